"""Small PDFs set the way documents typeset by other hands are: reports, scholarly
papers and book chapters with a title page (banners, bylines, affiliations), several
papers in one chapter, contents lists, numbered and unnumbered headings, drop caps,
dingbat bullets and figures labelled in capitals.

Everything is drawn with `pdfs.Doc` (DejaVu Sans) at known positions: body text is
10 pt on a 13 pt leading across the text block (`LEFT`..`RIGHT`), section headings
are bold 12 pt. Each builder returns what it drew, in reading order, for the tests
to compare the pipeline's output with.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pdfs import LEFT, RIGHT, Doc, _leaders, filler

BODY, LEADING, GAP = 10.0, 13.0, 8.0
MEASURE = RIGHT - LEFT
HEADING = (12.0, "B")
MARK_SIZE, MARK_RISE = 6.5, 4.0  # raised affiliation marks
FOOT = 760.0  # a new page starts when the next block would pass this baseline


def paragraph_text(start: int, words: int = 40) -> str:
    """A paragraph's logical text: filler words (no digits, no sentence end) closed by 'end.'."""
    return filler(words, start) + " end."


def section(d: Doc, y: float, heading: str, drawn: dict, start: int, paragraphs: int = 2) -> float:
    """A bold 12 pt heading over justified paragraphs; records both in `drawn`."""
    d.text(LEFT, y, heading, *HEADING)
    drawn["headings"].append(heading)
    y += 22
    for k in range(paragraphs):
        text = paragraph_text(start + 11 * k)
        _, y = d.paragraph(LEFT, y, MEASURE, text, BODY, LEADING)
        drawn["paragraphs"].append(text)
        y += GAP
    return y + 6


# ---------------------------------------------------------------- title pages


def article(path: Path, front: Callable[[Doc], float], cover: Callable[[Doc], None] | None = None) -> dict:
    """A two-page paper: `front(d)` draws the first page's title block and returns the
    baseline its text starts at; a section follows there and another tops page 2.
    `cover(d)`, if given, draws a page of its own before it."""
    d = Doc()
    if cover is not None:
        d.page()
        cover(d)
    d.page()
    drawn = {"headings": [], "paragraphs": []}
    section(d, front(d), "Introduction", drawn, start=0)
    d.page()
    section(d, 80, "Findings", drawn, start=30)
    d.save(path)
    return drawn


def title_and_byline(title: str, byline: Callable[[Doc, float], float] | str) -> Callable[[Doc], float]:
    """A front: a bold 18 pt title, and under it a byline (a string set in 11 pt, or a
    function drawing it at a baseline and returning the next free baseline)."""

    def front(d: Doc) -> float:
        d.text(LEFT, 80, title, 18, "B")
        if isinstance(byline, str):
            d.text(LEFT, 108, byline, 11)
            return 150
        return byline(d, 108) + 30

    return front


# ---------------------------------------------------------------- a chapter of papers

CHAPTER = [
    {
        "title": "Trade rules after the pandemic",
        "byline": "By Ana Costa and Li Wei",
        "authors": ["Ana Costa", "Li Wei"],
    },
    {"title": "Climate finance at a crossroads", "byline": "By Marco Rossi", "authors": ["Marco Rossi"]},
]


def chapter(path: Path, second: str = "mid-page", annex_in_title_type: bool = False) -> dict:
    """A chapter file holding two papers, each under a bold 18 pt title with an italic
    11 pt byline ('By ...') right under it. The second paper opens in the middle of
    page 2 (`second="mid-page"`) or at the top of page 3 (`second="top"`). With
    `annex_in_title_type`, the last page closes with a heading ('Statistical annex')
    set in the titles' type too, with no byline under it."""
    d = Doc()
    papers = [dict(p, headings=[], paragraphs=[]) for p in CHAPTER]

    def opener(y: float, paper: dict) -> float:
        d.text(LEFT, y, paper["title"], 18, "B")
        d.text(LEFT, y + 24, paper["byline"], 11, "I")
        return y + 62

    d.page()
    y = section(d, opener(80, papers[0]), "Introduction", papers[0], start=0)
    d.page()
    y = section(d, 80, "Conclusions", papers[0], start=20, paragraphs=1)
    if second == "top":
        d.page()
        y = 80
    y = section(d, opener(y + 20, papers[1]), "Background", papers[1], start=40, paragraphs=1)
    d.page()
    y = section(d, 80, "Outlook", papers[1], start=55)
    if annex_in_title_type:
        d.text(LEFT, y + 10, "Statistical annex", 18, "B")
        d.paragraph(LEFT, y + 40, MEASURE, paragraph_text(70), BODY, LEADING)
    d.save(path)
    return {"papers": papers, "pages": len(d.pdf.pages)}


NOTICES = [
    ("Inspection of bridges on the northern routes", "[Docket No. 2020–0686; Works", "Identifier 2019–NM–035]"),
    ("Resurfacing of the coastal roads", "[Docket No. 2020–0746; Works", "Identifier 2019–CE–012]"),
]


def notices(path: Path) -> dict:
    """A gazette's section of two notices with no byline. Page 1 opens with the section's
    banner (bold 24 pt) and a note on the section in smaller type; each notice opens under
    a title block set alike (issuer in bold body type, references in bold 8 pt, the title
    in bold body type right above a paragraph). The second opens in the middle of page 2."""
    d = Doc()
    papers = [dict(title=t, authors=[], headings=[], paragraphs=[]) for t, _, _ in NOTICES]

    def opener(y: float, notice: tuple) -> float:
        title, docket, identifier = notice
        for text, size in (("MINISTRY OF PUBLIC WORKS", BODY), ("National Roads Agency", BODY)):
            d.text(LEFT, y, text, size, "B")
            y += 16
        for text in (docket, identifier, "Reference 2120–AA64"):
            d.text(LEFT, y, text, 8, "B")
            y += 12
        d.text(LEFT, y + 4, title, BODY, "B")
        _, y = d.paragraph(LEFT, y + 4 + LEADING, MEASURE, paragraph_text(60, 30), BODY, LEADING)
        return y + 20

    d.page()
    d.text(LEFT, 80, "Notices", 24, "B")
    d.paragraph(LEFT, 110, MEASURE, filler(70, 3) + " end.", 8, 10)
    y = section(d, opener(180, NOTICES[0]), "Comments invited", papers[0], start=0)
    d.page()
    y = section(d, 80, "Background", papers[0], start=20, paragraphs=1)
    y = section(d, opener(y + 20, NOTICES[1]), "Comments invited", papers[1], start=40, paragraphs=1)
    d.save(path)
    return {"papers": papers, "pages": len(d.pdf.pages)}


# ---------------------------------------------------------------- contents lists

CONTENTS_ROWS = [("Introduction", 3), ("Trade rules", 3), ("Climate finance", 4), ("Conclusions", 4)]


def contents_page(path: Path) -> dict:
    """A report: a title page, a contents page whose rows end in page numbers (dot
    leaders) and close with a row that has none, then two pages of sections."""
    d = Doc()
    d.page()
    d.text(LEFT, 200, "Trade and climate in a divided world", 22, "B")
    d.text(LEFT, 235, "By Ana Costa", 12)
    d.page()
    d.text(LEFT, 80, "Contents", 16, "B")
    y = 120
    for title, page in CONTENTS_ROWS:
        _leaders(d, LEFT, y, title, page, BODY)
        y += 18
    unnumbered = "Annex on data sources and methods"
    d.text(LEFT, y, unnumbered, BODY)
    drawn = {"headings": [], "paragraphs": [], "contents": [t for t, _ in CONTENTS_ROWS] + [unnumbered]}
    for k, (title, _) in enumerate(CONTENTS_ROWS):
        if k % 2 == 0:
            d.page()
            y = 80
        y = section(d, y, title, drawn, start=9 * k)
    d.save(path)
    return drawn


def contents_under_abstract(path: Path) -> dict:
    """A paper whose first page holds its title, byline, an abstract (a paragraph of
    full lines in 9 pt) and an in-page 'Contents' block of numbered rows ending in
    page numbers; its sections follow on pages 2 and 3."""
    d = Doc()
    d.page()
    d.text(LEFT, 80, "Export controls in a fragmented world", 18, "B")
    d.text(LEFT, 106, "By Ana Costa and Li Wei", 11)
    abstract = filler(90, 3) + " end."
    lines, y = d.paragraph(LEFT, 140, MEASURE, abstract, 9, 11.5, last_full=False)
    d.text(LEFT, y + 20, "Contents", 12, "B")
    y += 42
    headings = [f"{n} {title}" for n, (title, _) in enumerate(CONTENTS_ROWS, start=1)]
    for heading, (_, page) in zip(headings, CONTENTS_ROWS):
        _leaders(d, LEFT, y, heading, page - 1, BODY)
        y += 16
    drawn = {"headings": [], "paragraphs": [], "abstract": abstract, "contents": headings}
    for k, heading in enumerate(headings):
        if k % 2 == 0:
            d.page()
            y = 80
        y = section(d, y, heading, drawn, start=9 * k)
    d.save(path)
    assert len(lines) >= 4, "the abstract must fill four lines to read as running text"
    return drawn


# ---------------------------------------------------------------- headings in the flow


def report(path: Path, items: list[tuple]) -> dict:
    """A one-column report: a bold 20 pt title with a byline, then `items` top to bottom,
    a new page whenever the next item would pass the foot. Items:

        ("heading", text, size, style)           a heading line at the column's edge
        ("numbered", number, text, size, style)  its number set apart to the left (a tab)
        ("paragraph", start)                     a justified paragraph ending in 'end.'
        ("open", start)                          three full lines that end no sentence,
                                                 the next item right under at the leading
        ("lead", bold, start, indent)            a bold line `indent` points in from the
                                                 edge, the text going on right under it
                                                 from the edge: with an indent, one
                                                 paragraph (a lead-in); without, a heading
        ("page",)                                a new page

    Returns the headings as printed and the paragraphs' logical texts, in order."""
    d = Doc()
    d.page()
    d.text(LEFT, 80, "Trade policy in a divided world", 20, "B")
    d.text(LEFT, 108, "By Ana Costa", 11)
    drawn = {"headings": [], "paragraphs": []}
    y = 150
    for kind, *args in items:
        if kind == "page" or y > FOOT:
            d.page()
            y = 80
            if kind == "page":
                continue
        if kind == "heading":
            text, size, style = args
            d.text(LEFT, y, text, size, style)
            drawn["headings"].append(text)
            y += 2 * size
        elif kind == "numbered":
            number, text, size, style = args
            d.text(LEFT, y, number, size, style)
            d.text(LEFT + 40, y, text, size, style)
            drawn["headings"].append(f"{number} {text}")
            y += 2 * size
        elif kind == "paragraph":
            text = paragraph_text(args[0])
            _, y = d.paragraph(LEFT, y, MEASURE, text, BODY, LEADING)
            drawn["paragraphs"].append(text)
            y += GAP
        elif kind == "open":
            lines, y = d.full_lines(LEFT, y, MEASURE, 3, start=args[0])
            drawn["paragraphs"].append(" ".join(lines))
        elif kind == "lead":
            bold, start, indent = args
            d.text(LEFT + indent, y, bold, BODY, "B")
            rest = paragraph_text(start)
            _, y = d.paragraph(LEFT, y + LEADING, MEASURE, rest, BODY, LEADING)
            if indent:
                drawn["paragraphs"].append(f"{bold} {rest}")
            else:
                drawn["headings"].append(bold)
                drawn["paragraphs"].append(rest)
            y += GAP
        else:
            raise ValueError(kind)
    d.save(path)
    return drawn


# ---------------------------------------------------------------- figures


def labelled_table(path: Path, label: str, title: str | None, sentence: str | None = None) -> dict:
    """A report page: a paragraph, a table in 8 pt (three rows of three cells on a 14 pt
    leading, and a source line) under a 9 pt regular label line, and a paragraph after it. With
    `title`, the label stands alone on its line and the title follows on the next
    one in bold 9 pt; without, `label` holds the title too. With `sentence`, no table
    is drawn: the paragraph after opens with that sentence (running text naming one)."""
    d = Doc()
    d.page()
    d.text(LEFT, 80, "Trade policy in a divided world", 20, "B")
    d.text(LEFT, 108, "By Ana Costa", 11)
    before = paragraph_text(0)
    _, y = d.paragraph(LEFT, 150, MEASURE, before, BODY, LEADING)
    rows = [
        ["Sector", "Exports", "Imports"],
        ["Machinery", "two hundred", "one hundred"],
        ["Chemicals", "ninety", "seventy"],
    ]
    source = "Source: customs records compiled by the authors"
    drawn = {"paragraphs": [before], "rows": rows, "source": source}
    if sentence is None:
        y += 14
        d.text(LEFT, y, label, 9)
        if title is not None:
            y += 12
            d.text(LEFT, y, title, 9, "B")
        for row in rows:
            y += 14
            for k, cell in enumerate(row):
                d.text(LEFT + 160 * k, y, cell, 8)
        y += 12
        d.text(LEFT, y, source, 8)
        y += 24
    after = (sentence + " " if sentence else "") + paragraph_text(20)
    _, y = d.paragraph(LEFT, y + GAP, MEASURE, after, BODY, LEADING)
    drawn["paragraphs"].append(after)
    d.save(path)
    return drawn


# ---------------------------------------------------------------- layout


def drop_cap(path: Path) -> dict:
    """A paragraph opening with a bold 36 pt drop cap 'F' beside its first three lines
    ('rom ...'), standing on the third line's baseline as drop caps do; the paragraph
    goes on under the cap from the column's edge."""
    d = Doc()
    d.page()
    size, y0 = 36.0, 120.0
    d.text(LEFT, y0 + 2 * LEADING, "F", size, "B")
    indent = LEFT + d.width("F", size, "B") + 3
    beside = d.wrap("rom " + filler(60), RIGHT - indent)[:3]
    for i, text in enumerate(beside):
        d.justified(indent, y0 + LEADING * i, RIGHT - indent, text)
    under, _ = d.paragraph(LEFT, y0 + 3 * LEADING, MEASURE, filler(40, 20) + " end.")
    d.save(path)
    return {"beside": beside, "under": under}


def raised_runs(path: Path, raised: str) -> dict:
    """A body line ending in `raised`, set in 6.5 pt and raised 4 pt right after its last
    word (a footnote marker, or a longer run of small type beside the line)."""
    d = Doc()
    d.page()
    text = "Imports from the region fell back in the second year"
    d.runs(LEFT, 120, [(text, BODY, "", 0), (raised, MARK_SIZE, "", MARK_RISE)])
    d.save(path)
    return {"text": text, "raised": raised}


def offset_baselines(path: Path, drop: float = 0.17) -> dict:
    """One line of 10 pt type whose figures are set `drop` em below the words' baseline
    (as a CJK font and a Latin font of one size place their baselines), over a second
    line at the usual leading."""
    d = Doc()
    d.page()
    runs = [
        ("Exports rose in ", BODY, "", 0),
        ("2023", BODY, "", -drop * BODY),
        (" and again in ", BODY, "", 0),
        ("2024", BODY, "", -drop * BODY),
    ]
    d.runs(LEFT, 120, runs)
    below = "and the trend held through the following years"
    d.text(LEFT, 120 + LEADING, below)
    d.save(path)
    return {"line": "".join(r[0] for r in runs), "below": below}


def dingbat_bullets(path: Path) -> dict:
    """List items whose bullet is a lone 'l' set in 5 pt on the baseline of 10.5 pt text,
    a tab's width to its left (a dingbat font's round bullet mapped to a letter), and a
    lone 'x' in the text's own size set apart to the left of a line (a mark in a
    checklist, no bullet)."""
    d = Doc()
    d.page()
    items = ["Invest in grid interconnection across borders", "Expand the carbon market to heavy industry"]
    y = 120
    for item in items:
        d.text(LEFT, y, "l", 5)
        d.text(LEFT + 18, y, item, 10.5)
        y += 16
    marked = "Open public procurement to reliable partners"
    d.text(LEFT, y + 10, "x", 10.5)
    d.text(LEFT + 30, y + 10, marked, 10.5)
    d.save(path)
    return {"items": items, "marked": marked}


def spaced(d: Doc, y: float, names: list[str], gap: float, size: float = 11.0) -> list[float]:
    """Names on one row at baseline y, each word drawn on its own (no space glyphs), words a
    space's width apart and names `gap` points apart. Returns the x where each name starts."""
    space = d.width(" ", size)
    x, starts = LEFT, []
    for name in names:
        starts.append(x)
        for word in name.split():
            x = d.text(x, y, word, size) + space
        x += gap - space
    return starts


def spaced_names(path: Path, names: list[str], gap: float) -> list[float]:
    """A page holding only `spaced` names; returns where each name starts."""
    d = Doc()
    d.page()
    starts = spaced(d, 120, names, gap)
    d.save(path)
    return starts
