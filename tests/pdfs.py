"""Builders for small test PDFs, one function per situation.

Every builder draws text at exact positions (points, y = baseline measured from
the top of an A4 page) with DejaVu Sans, so a test knows the geometry and the
intended reading order of what it drew. Each builder takes the output path and
returns a dict describing what was drawn (the strings in reading order), which
is what the tests compare the pipeline's output with.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from fpdf import FPDF

from compendium_corpus.layout import document_layout
from compendium_corpus.lines import page_lines
from compendium_corpus.model import Diagnostics, Line, Page, Span, page_index
from compendium_corpus.source import open_pdf, read_pages

WIDTH, HEIGHT = 595.28, 841.89
LEFT, RIGHT = 56.0, 539.0  # text block of a one-column page
COL_W = 225.0  # two columns: 56..281 and 314..539
COL2 = RIGHT - COL_W

_STYLES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
_DIRS = [
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    str(Path.home() / ".fonts"),
]


def _font_dir() -> Path:
    for d in _DIRS:
        if (Path(d) / "DejaVuSans.ttf").exists():
            return Path(d)
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True, text=True).stdout
        if found.endswith("DejaVuSans.ttf"):
            return Path(found).parent
    raise RuntimeError("the test PDFs need the DejaVu Sans TTF fonts (fonts-dejavu-core)")


FONT_DIR = _font_dir()

FILLER = (
    "Relations between the two partners have entered a period of deep uncertainty in which trade "
    "investment technology and security are increasingly discussed together rather than apart and "
    "where each side watches the other with growing caution while still depending on open markets "
    "for growth jobs and the transition to clean energy that both have promised their citizens over "
    "the coming decade of reform and renewal in a world that is more divided than before"
).split()


def filler(n_words: int, start: int = 0) -> str:
    """Plain body text without digits or sentence ends (so no line looks like a TOC row)."""
    return " ".join(FILLER[(start + i) % len(FILLER)] for i in range(n_words))


class Doc:
    """A thin layer over FPDF in points with absolute text placement."""

    def __init__(self) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        for style, name in _STYLES.items():
            self.pdf.add_font("DejaVu", style, str(FONT_DIR / name))

    def page(self) -> None:
        self.pdf.add_page()

    def width(self, s: str, size: float = 10, style: str = "") -> float:
        self.pdf.set_font("DejaVu", style, size)
        return self.pdf.get_string_width(s)

    def text(self, x: float, y: float, s: str, size: float = 10, style: str = "") -> float:
        """Draw `s` with its baseline at y; return the x where it ends."""
        self.pdf.set_font("DejaVu", style, size)
        self.pdf.text(x, y, s)
        return x + self.pdf.get_string_width(s)

    def right(self, x1: float, y: float, s: str, size: float = 10, style: str = "") -> None:
        """Draw `s` right-aligned so that it ends at x1."""
        self.text(x1 - self.width(s, size, style), y, s, size, style)

    def runs(self, x: float, y: float, runs: list[tuple]) -> float:
        """Draw (text, size, style, rise) runs one after another on one baseline."""
        for s, size, style, rise in runs:
            x = self.text(x, y - rise, s, size, style)
        return x

    def wrap(self, text: str, width: float, size: float = 10, style: str = "") -> list[str]:
        lines, cur = [], ""
        for word in text.split():
            trial = f"{cur} {word}" if cur else word
            if cur and self.width(trial, size, style) > width:
                lines.append(cur)
                cur = word
            else:
                cur = trial
        if cur:
            lines.append(cur)
        return lines

    def justified(self, x: float, y: float, width: float, line: str, size: float = 10, style: str = "") -> None:
        """A full line: words spread so the line ends exactly at x + width."""
        words = line.split()
        if len(words) == 1:
            self.text(x, y, line, size, style)
            return
        space = self.width(" ", size, style)
        natural = sum(self.width(w, size, style) for w in words) + space * (len(words) - 1)
        extra = (width - natural) / (len(words) - 1)
        for i, w in enumerate(words):
            last = i == len(words) - 1
            x = self.text(x, y, w if last else w + " ", size, style) + (0 if last else extra)

    def paragraph(
        self,
        x: float,
        y: float,
        width: float,
        text: str,
        size: float = 10,
        leading: float = 13,
        style: str = "",
        last_full: bool = False,
    ) -> tuple[list[str], float]:
        """Justified paragraph whose last line is left-aligned (short) unless `last_full`.
        Returns the lines drawn and the baseline the next line would take."""
        lines = self.wrap(text, width, size, style)
        for i, line in enumerate(lines):
            if i < len(lines) - 1 or last_full:
                self.justified(x, y, width, line, size, style)
            else:
                self.text(x, y, line, size, style)
            y += leading
        return lines, y

    def full_lines(
        self, x: float, y: float, width: float, n: int, start: int = 0, size: float = 10, leading: float = 13
    ) -> tuple[list[str], float]:
        """n justified full lines of filler text (all reach the right edge)."""
        lines = self.wrap(filler(30 * n, start), width, size)[:n]
        for line in lines:
            self.justified(x, y, width, line, size)
            y += leading
        return lines, y

    def save(self, path: Path) -> Path:
        path = Path(path)
        self.pdf.output(str(path))
        return path


def layout(raw: list, diagnostics: Diagnostics) -> list[Page]:
    """Raw pages through layout as the pipeline runs it: each page's lines, then the document's layout."""
    return document_layout([page_lines(r) for r in raw], diagnostics)


def load(path: Path) -> tuple[list[Page], Diagnostics]:
    """open_pdf -> read_pages -> layout, as the pipeline does."""
    diagnostics = Diagnostics()
    with open_pdf(Path(path)) as pdf:
        raw = list(read_pages(pdf, diagnostics))
    return layout(raw, diagnostics), diagnostics


def extracted(path: Path, doc_id: str = "t", sha256: str = "0" * 64, **options) -> dict[str, list[dict]]:
    """`pipeline.extract.extract`'s rows as the dicts the Parquet files hold."""
    from compendium_corpus.extract import extract

    return dict(extract(Path(path), doc_id, sha256, **options))


def analyse(path: Path, title_hint: str | None = None):
    """load, then the stages after layout as `pipeline.stages.run_stages` runs them (the
    document's style, its structure with `title_hint` as the metadata title, the papers'
    bodies): returns (pages, structure, bodies)."""
    from compendium_corpus.body import extract_body
    from compendium_corpus.structure import detect
    from compendium_corpus.style import document_style

    pages, diagnostics = load(path)
    style = document_style(pages)
    by_number = page_index(pages)
    structure = detect(pages, style, diagnostics, title_hint, by_number=by_number)
    return pages, structure, extract_body(pages, structure.papers, style, diagnostics, by_number=by_number)


def line(
    text: str,
    top: float = 100.0,
    size: float = 10.0,
    x0: float = LEFT,
    *,
    page: int = 1,
    bold: bool = False,
    italic: bool = False,
    bullet: str | None = None,
    small_caps: bool = False,
    color: tuple = (0.0, 0.0, 0.0),
) -> Line:
    """A laid-out line made by hand (one span, glyphs half an em wide) for the rules that
    read lines, not PDFs."""
    x1 = x0 + 0.5 * size * len(text)
    return Line(
        page,
        [Span(text, x0, x1, size, bold, italic, color)],
        x0,
        x1,
        top,
        top + size,
        size,
        bold,
        italic,
        color,
        bullet=bullet,
        small_caps=small_caps,
    )


# ---------------------------------------------------------------- layout situations


def running_furniture(path: Path) -> dict:
    """Three pages with a running header (8 pt, same text and height on every page),
    a footer page number printed 11, 12, 13 and body text. Page 2 also has one body
    line near the top of the page (inside the header zone) that appears only there."""
    d = Doc()
    header = "Policy Review · Spring Issue"
    stray = "A body line that sits near the top of this page only"
    bodies = []
    for i, printed in enumerate(("11", "12", "13")):
        d.page()
        d.text(LEFT, 40, header, size=8)
        d.right(RIGHT, 815, printed, size=8)
        y = 120
        if i == 1:
            d.text(LEFT, 62, stray)
        lines, y = d.paragraph(LEFT, y, RIGHT - LEFT, filler(60, 7 * i) + " end.")
        bodies.append(lines)
    d.save(path)
    return {"header": header, "labels": ["11", "12", "13"], "stray": stray, "bodies": bodies}


def two_columns(path: Path) -> dict:
    """A full-width bold title above two columns of ten justified lines each."""
    d = Doc()
    d.page()
    title = "Rebalancing trade between Europe and China"
    d.text(LEFT, 90, title, size=16, style="B")
    left, _ = d.full_lines(LEFT, 130, COL_W, 10, start=0)
    right, _ = d.full_lines(COL2, 130, COL_W, 10, start=11)
    d.save(path)
    return {"title": title, "left": left, "right": right}


def tiny_compendium(path: Path, pages: int = 1) -> Path:
    """A bold title over thirty sentences that prescribe, and optionally a second page
    of plain words: the least a command must read to have something to show."""
    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", style="B", size=20)
    doc.cell(text="A tiny compendium")
    doc.set_font("Helvetica", size=11)
    doc.ln(20)
    doc.multi_cell(0, 6, text="The EU and China should keep talking. " * 30)
    if pages > 1:
        doc.add_page()
        doc.multi_cell(0, 6, text="More words on the second page. " * 30)
    doc.output(str(path))
    return path


def three_columns(path: Path) -> dict:
    """Under a full-width title, three columns: a table of short cells in two narrow
    sub-columns (no columns of the page: they are far narrower than the others), then
    two columns of ten justified lines each."""
    d = Doc()
    d.page()
    title = "Rebalancing trade between Europe and China"
    d.text(LEFT, 90, title, size=16, style="B")
    width = (RIGHT - LEFT - 2 * 18) / 3
    cells = []
    for row in range(8):
        y = 130 + 12 * row
        d.text(LEFT, y, f"Exports in row {row}", size=9)
        d.text(LEFT + width - 40, y, f"{row}0 bn", size=9)
        cells += [f"Exports in row {row}", f"{row}0 bn"]
    columns = []
    for k in (1, 2):
        lines, _ = d.full_lines(LEFT + k * (width + 18), 130, width, 10, start=17 * k, size=9, leading=12)
        columns.append(lines)
    d.save(path)
    return {"title": title, "cells": cells, "columns": columns}


def three_columns_over_two_of_notes(path: Path) -> dict:
    """Three columns of a dozen lines, and under them notes in small type set in two columns
    of their own (their lines cross the text's gutters)."""
    d = Doc()
    d.page()
    width = (RIGHT - LEFT - 2 * 18) / 3
    columns = []
    for k in range(3):  # set ragged-right: justified narrow lines of long words would gape
        lines = d.wrap(filler(60, 17 * k), width, 9)[:16]
        for i, line in enumerate(lines):
            d.text(LEFT + k * (width + 18), 100 + 12 * i, line, size=9)
        columns.append(lines)
    half = (RIGHT - LEFT - 20) / 2
    notes = [[], []]
    for k in range(2):
        for i in range(6):
            number = 6 * k + i + 1
            note = f"{number}. Report number {number} of the series, as cited in the text, second edition"
            d.text(LEFT + k * (half + 20), 320 + 10 * i, note, size=7)
            notes[k].append(note)
    d.save(path)
    assert d.width(notes[0][0], 7) > width + 18, "a note must cross the text's first gutter"
    return {"columns": columns, "notes": notes}


def three_columns_one_in_small_type(path: Path) -> dict:
    """Two pages of three columns of body text, then a page whose first column is set in
    smaller type (a rule's text) beside two of body text: body type alone shows only the
    page's second gutter."""
    d = Doc()
    width = (RIGHT - LEFT - 2 * 18) / 3
    columns = []
    for page in range(3):
        d.page()
        columns = []
        for k in range(3):
            size, leading = (8, 10) if page == 2 and k == 0 else (10, 13)
            lines = d.wrap(filler(90, 17 * k + page), width, size)[:14]
            for i, line in enumerate(lines):
                d.text(LEFT + k * (width + 18), 100 + leading * i, line, size=size)
            columns.append(lines)
    d.save(path)
    return {"columns": columns}


def columns_over_notes(path: Path) -> dict:
    """Page 1: two columns of ten lines. Page 2: the text runs out after three lines on
    the left and two on the right, over six lines of notes in small type set across the page."""
    d = Doc()
    d.page()
    d.full_lines(LEFT, 100, COL_W, 10, start=0)
    d.full_lines(COL2, 100, COL_W, 10, start=11)
    d.page()
    left, _ = d.full_lines(LEFT, 100, COL_W, 3, start=22)
    right, _ = d.full_lines(COL2, 100, COL_W, 2, start=29)
    notes = []
    for i in range(6):
        note = f"{i + 1}. A note set across the page in small type, citing report number {i + 1} of the series"
        d.text(LEFT, 180 + 10 * i, note, size=7.5)
        notes.append(note)
    d.save(path)
    assert d.width(notes[0], 7.5) > COL2 - LEFT, "the notes must cross the gutter"
    return {"left": left, "right": right, "notes": notes}


def two_columns_banded(path: Path) -> dict:
    """Two columns cut by a full-width body-size line in the middle of the page:
    six lines left and right above it, six lines left and right below it."""
    d = Doc()
    d.page()
    left_top, _ = d.full_lines(LEFT, 100, COL_W, 6, start=0)
    right_top, _ = d.full_lines(COL2, 100, COL_W, 6, start=5)
    full = "A line set across the whole page width cuts both columns here so the reader reads on below it"
    d.text(LEFT, 200, full)
    left_bottom, _ = d.full_lines(LEFT, 230, COL_W, 6, start=17)
    right_bottom, _ = d.full_lines(COL2, 230, COL_W, 6, start=23)
    d.save(path)
    assert d.width(full) > (COL2 - LEFT) + 40, "the middle line must span the gutter"
    return {
        "left_top": left_top,
        "right_top": right_top,
        "full": full,
        "left_bottom": left_bottom,
        "right_bottom": right_bottom,
    }


def one_column(path: Path) -> dict:
    """One column: a bold heading and two justified paragraphs across the text block."""
    d = Doc()
    d.page()
    heading = "Introduction"
    d.text(LEFT, 90, heading, size=12.5, style="B")
    first, y = d.paragraph(LEFT, 115, RIGHT - LEFT, filler(70) + " today.")
    second, _ = d.paragraph(LEFT, y + 8, RIGHT - LEFT, filler(55, 13) + " tomorrow.")
    d.save(path)
    return {"lines": [heading] + first + second}


def superscripts(path: Path) -> dict:
    """Footnote markers set small and raised: after a word (1), after a full stop (2)
    and at the very end of a line after a full stop (3). The same lines carry
    normal-size numbers: a year (2021) and 'COP26'."""
    d = Doc()
    d.page()
    sup = 6.5
    lines = [
        [
            ("Exports to the Union rose sharply", 10, "", 0),
            ("1", sup, "", 3.5),
            (" in the year 2021 as demand recovered", 10, "", 0),
        ],
        [
            ("and prices fell back to their earlier level.", 10, "", 0),
            ("2", sup, "", 3.5),
            (" The COP26 summit then", 10, "", 0),
        ],
        [("turned attention to the climate commitments of both partners.", 10, "", 0), ("3", sup, "", 3.5)],
        [("Neither side has yet met the targets it announced at that meeting", 10, "", 0)],
    ]
    y = 120
    for runs in lines:
        d.runs(LEFT, y, runs)
        y += 14
    _, _ = d.paragraph(LEFT, y + 10, RIGHT - LEFT, filler(60) + " again.")
    d.save(path)
    return {"texts": ["".join(r[0] for r in runs) for runs in lines]}


def bullets(path: Path) -> dict:
    """List items with a bullet glyph followed by a space ('•', '-'), a glyph set apart
    to the left in a smaller size ('▶'), and two lines that are not list items."""
    d = Doc()
    d.page()
    _, y = d.paragraph(LEFT, 90, RIGHT - LEFT, filler(45) + " follows.")
    items = {
        "•": "Invest in grid interconnection across borders",
        "-": "Expand the carbon market to heavy industry",
        "▶": "Open public procurement to reliable partners",
    }
    y += 10
    d.text(LEFT + 10, y, "• " + items["•"])
    y += 16
    d.text(LEFT + 10, y, "- " + items["-"])
    y += 16
    d.text(LEFT + 10, y + 0.5, "▶", size=8)
    d.text(LEFT + 28, y, items["▶"])
    y += 24
    plain = "Trade-offs remain - and they matter for both partners"
    d.text(LEFT, y, plain)
    y += 14
    negative = "-5 per cent was the lowest growth figure recorded"
    d.text(LEFT, y, negative)
    d.save(path)
    return {"items": items, "plain": plain, "negative": negative}


def ligatures(path: Path) -> dict:
    """Words printed with the ligature glyphs U+FB01 (ﬁ) and U+FB02 (ﬂ)."""
    d = Doc()
    d.page()
    d.text(LEFT, 120, "The \ufb01nancial \ufb02ows between the partners were signi\ufb01cant")
    d.paragraph(LEFT, 140, RIGHT - LEFT, filler(40) + " again.")
    d.save(path)
    return {"expanded": "The financial flows between the partners were significant"}


# ---------------------------------------------------------------- text situations


def hyphenation(path: Path) -> dict:
    """One paragraph, three lines: a word hyphenated at a line end ('transfor-' /
    'mation') and a real compound broken at its hyphen ('China-' / 'EU')."""
    d = Doc()
    d.page()
    lines = [
        "The economy needs a deep transfor-",
        "mation of its energy system and a new China-",
        "EU dialogue on climate.",
    ]
    y = 120
    for line in lines:
        d.text(LEFT, y, line)
        y += 13
    d.save(path)
    return {
        "lines": lines,
        "joined": "The economy needs a deep transformation of its energy system and a new China-EU dialogue on climate.",
    }


def paragraph_gap(path: Path) -> dict:
    """One column: two paragraphs separated by a wider vertical gap, no indents."""
    d = Doc()
    d.page()
    first, y = d.paragraph(LEFT, 120, RIGHT - LEFT, filler(50) + " first.")
    second, _ = d.paragraph(LEFT, y + 9, RIGHT - LEFT, filler(50, 9) + " second.")
    d.save(path)
    return {"paragraphs": [first, second]}


def column_continuation(path: Path, sentence_end: bool = False) -> dict:
    """Two columns. Left: paragraph A, a gap, then paragraph B filling the column to
    its bottom with a full (justified) line; B continues at the top of the right
    column and ends with a short line; a gap; paragraph C.
    With `sentence_end`, B's last line in the left column is still full but ends
    with a full stop (a sentence, not the paragraph, ends there)."""
    d = Doc()
    d.page()
    a, y = d.paragraph(LEFT, 100, COL_W, filler(35) + " done.")
    y += 9
    b_left = d.wrap(filler(180, 3), COL_W)[:6]
    if sentence_end:
        words = b_left[-1].split()[:-1]
        while d.width(" ".join(words + ["growth."])) > COL_W:
            words.pop()
        b_left[-1] = " ".join(words + ["growth."])
    for line in b_left:
        d.justified(LEFT, y, COL_W, line)
        y += 13
    b_right, y2 = d.paragraph(COL2, 100, COL_W, filler(20, 40) + " over.")
    c, _ = d.paragraph(COL2, y2 + 9, COL_W, filler(30, 17) + " finally.")
    d.save(path)
    return {"paragraphs": [a, b_left + b_right, c]}


def column_break_after_short_line(path: Path) -> dict:
    """Two columns. The left column ends with the short last line of paragraph A
    (ending with a full stop); paragraph B starts at the top of the right column."""
    d = Doc()
    d.page()
    a = d.wrap(filler(90), COL_W)[:-1] + ["and so it ends here."]
    y = 100
    for line in a[:-1]:
        d.justified(LEFT, y, COL_W, line)
        y += 13
    d.text(LEFT, y, a[-1])
    b, _ = d.paragraph(COL2, 100, COL_W, filler(80, 21) + " closes.")
    d.save(path)
    return {"paragraphs": [a, b]}


# ---------------------------------------------------------------- structure situations


def toc_regular_page_numbers(path: Path) -> dict:
    """One contents page whose chapter rows print the number inline ('2 DIGITAL RULES')
    in bold, with dot leaders, but the page number in regular weight."""
    d = Doc()
    d.page()
    d.text(48, 80, "Contents", size=22, style="B")
    _leaders(d, 48, 130, "Foreword", 3, 10.5)
    _leaders(d, 48, 160, "1 GREEN TRANSITION", 5, 9.5, "B", number_style="")
    _leaders(d, 71, 178, "Solar supply chains", 6, 9.5)
    d.text(71, 191, "Ana Lopez", size=8.5, style="I")
    _leaders(d, 48, 216, "2 DIGITAL RULES", 11, 9.5, "B", number_style="")
    _leaders(d, 71, 234, "Data flows and trust", 12, 9.5)
    d.text(71, 247, "Wang Fang", size=8.5, style="I")
    d.save(path)
    return {
        "chapters": [(1, "GREEN TRANSITION", 5), (2, "DIGITAL RULES", 11)],
        "papers": [("Solar supply chains", 6, ["Ana Lopez"]), ("Data flows and trust", 12, ["Wang Fang"])],
        "front": [("Foreword", 3)],
    }


COMPENDIUM = {
    "offset": 2,  # physical page = printed page + 2
    "front": ["Foreword", "List of acronyms"],
    "chapters": [
        {
            "number": 1,
            "toc": "TRADE AND INVESTMENT IN A CHANGING WORLD",
            "title": "Trade and Investment in a Changing World",
            "page": 5,
            "key_questions": [
                "How can the EU and China rebuild trust in trade?",
                "What would a realistic agenda for cooperation look like in a more fragmented order?",
                "Who pays for the transition?",
            ],
        },
        {
            "number": 2,
            "toc": "CLIMATE COOPERATION",
            "title": "Climate Cooperation",
            "page": 10,
            "key_questions": ["Can carbon markets be linked?", "Which rules should be common?"],
        },
    ],
    "papers": [
        {
            "title": "Rebuilding trust in trade",
            "chapter": 1,
            "page_start": 6,
            "page_end": 7,
            "toc_authors": ["Anna Schmidt", "Li Wei"],
            "authors": [
                ("Anna Schmidt", "Senior Fellow, Institute for Trade Studies, Berlin"),
                ("Li Wei", "Research Fellow, Fudan University"),
            ],
        },
        {
            "title": "Supply chains after the pandemic",
            "chapter": 1,
            "page_start": 8,
            "page_end": 9,
            "toc_authors": ["Marco Rossi"],
            "authors": [("Marco Rossi", "Head of the Asia Programme, Istituto per gli Studi Internazionali")],
        },
        {
            "title": "Carbon markets compared: Lessons from the EU and China",
            "chapter": 2,
            "page_start": 11,
            "page_end": 12,
            "toc_authors": ["Jane Doe", "John Roe"],  # the page prints John Roe first
            "authors": [("John Roe", "Professor, University of Ghent"), ("Jane Doe", "Analyst, Energy Policy Forum")],
        },
    ],
    "pages": 12,
}


def _footer(d: Doc, printed: int) -> None:
    d.text(250, 803, "EU–China crossroads", size=7.5)
    d.right(548, 803, str(printed), size=8.5, style="B")


def _leaders(
    d: Doc, x: float, y: float, title: str, page: int, size: float, style: str = "", number_style: str | None = None
) -> None:
    """'Title ........ 5': dot leaders up to a right-aligned page number, which is set
    in the title's weight unless `number_style` says otherwise."""
    number_style = style if number_style is None else number_style
    end = 545 - d.width(str(page), size, number_style) - 3
    text = title
    while d.width(text + ".", size, style) < end - x:
        text += "."
    d.text(x, y, text, size, style)
    d.right(545, y, str(page), size, number_style)


def _body(d: Doc, y: float, n_words: int, start: int) -> float:
    _, y = d.paragraph(48, y, 499, filler(n_words, start) + " today.")
    return y


def _opener(d: Doc, number: int, title_lines: list[str], questions: list[list[str]]) -> None:
    d.text(54, 250, str(number), size=110, style="B")
    y = 300
    for line in title_lines:
        d.text(57, y, line, size=24, style="B")
        y += 28
    y += 45
    for q in questions:
        d.text(57, y + 1.5, "▶", size=9.2)
        for part in q:
            d.text(77, y, part, size=11.5)
            y += 15
        y += 13


def compendium(path: Path) -> dict:
    """A twelve-page compendium whose footers print N on physical page N + 2.

    1 cover, 2 contents, 3 foreword (printed 1), 4 acronyms (2), 5 chapter 1 opener (3),
    6-7 paper 1 (4-5), 8-9 paper 2 (6-7), 10 chapter 2 opener (8), 11-12 paper 3 (9-10).
    The contents page mixes dot leaders with a bare right-aligned page number, wraps
    chapter 1's title onto two rows and prints each paper's authors in a smaller italic
    row below it; paper 3's authors are listed there in the other order."""
    d = Doc()
    # 1 cover
    d.page()
    d.text(48, 300, "EU–China Crossroads", size=30, style="B")
    d.text(48, 340, "The geometry of coexistence", size=16)
    # 2 contents
    d.page()
    d.text(48, 80, "Contents", size=22, style="B")
    _leaders(d, 48, 130, "Foreword", 1, 10.5)
    _leaders(d, 48, 148, "List of acronyms", 2, 10.5)
    d.text(48, 176, "1", size=9.5, style="B")
    d.text(71, 176, "TRADE AND INVESTMENT IN A CHANGING", size=9.5, style="B")
    _leaders(d, 71, 188, "WORLD", 3, 9.5, "B")
    _leaders(d, 71, 206, "Rebuilding trust in trade", 4, 9.5)
    d.text(71, 219, "Anna Schmidt, Li Wei", size=8.5, style="I")
    d.text(71, 237, "Supply chains after the pandemic", size=9.5)
    d.right(545, 237, "6", size=9.5)
    d.text(71, 250, "Marco Rossi", size=8.5, style="I")
    d.text(48, 275, "2", size=9.5, style="B")
    _leaders(d, 71, 275, "CLIMATE COOPERATION", 8, 9.5, "B")
    _leaders(d, 71, 293, "Carbon markets compared: Lessons from the EU and China", 9, 9.5)
    d.text(71, 306, "Jane Doe and John Roe", size=8.5, style="I")
    # 3 foreword
    d.page()
    d.text(48, 80, "Foreword", size=18, style="B")
    y = _body(d, 120, 80, 0)
    _body(d, y + 9, 60, 30)
    _footer(d, 1)
    # 4 acronyms
    d.page()
    d.text(48, 80, "List of acronyms", size=18, style="B")
    for i, (short, long) in enumerate(
        [("EU", "European Union"), ("ETS", "Emissions Trading System"), ("WTO", "World Trade Organization")]
    ):
        d.text(48, 120 + 16 * i, short, style="B")
        d.text(120, 120 + 16 * i, long)
    _footer(d, 2)
    # 5 chapter 1 opener
    d.page()
    _opener(
        d,
        1,
        ["Trade and Investment in a", "Changing World"],
        [
            ["How can the EU and China rebuild trust in trade?"],
            ["What would a realistic agenda for cooperation look like in a", "more fragmented order?"],
            ["Who pays for the transition?"],
        ],
    )
    _footer(d, 3)
    # 6 paper 1, two authors side by side
    d.page()
    d.text(48, 80, "Rebuilding trust in trade", size=19, style="B")
    d.text(48, 125, "Anna Schmidt", size=11.5, style="B")
    d.text(48, 141, "Senior Fellow, Institute for Trade Studies,", size=8.5)
    d.text(48, 151, "Berlin", size=8.5)
    d.text(293, 125, "Li Wei", size=11.5, style="B")
    d.text(293, 141, "Research Fellow, Fudan University", size=8.5)
    d.text(48, 195, "Introduction", size=12.5, style="B")
    _body(d, 215, 120, 0)
    _footer(d, 4)
    # 7
    d.page()
    d.text(48, 80, "A new agenda", size=12.5, style="B")
    _body(d, 100, 150, 5)
    _footer(d, 5)
    # 8 paper 2, one author with a two-line affiliation
    d.page()
    d.text(48, 80, "Supply chains after the pandemic", size=19, style="B")
    d.text(48, 125, "Marco Rossi", size=11.5, style="B")
    d.text(48, 141, "Head of the Asia Programme,", size=8.5)
    d.text(48, 151, "Istituto per gli Studi Internazionali", size=8.5)
    d.text(48, 195, "Introduction", size=12.5, style="B")
    _body(d, 215, 120, 11)
    _footer(d, 6)
    # 9
    d.page()
    d.text(48, 80, "Conclusions", size=12.5, style="B")
    _body(d, 100, 150, 17)
    _footer(d, 7)
    # 10 chapter 2 opener
    d.page()
    _opener(d, 2, ["Climate Cooperation"], [["Can carbon markets be linked?"], ["Which rules should be common?"]])
    _footer(d, 8)
    # 11 paper 3: two-line title, authors stacked (other order than the TOC)
    d.page()
    d.text(48, 80, "Carbon markets compared: Lessons from", size=19, style="B")
    d.text(48, 103, "the EU and China", size=19, style="B")
    d.text(48, 150, "John Roe", size=11.5, style="B")
    d.text(48, 165, "Professor, University of Ghent", size=8.5)
    d.text(48, 185, "Jane Doe", size=11.5, style="B")
    d.text(48, 200, "Analyst, Energy Policy Forum", size=8.5)
    d.text(48, 240, "Introduction", size=12.5, style="B")
    _body(d, 260, 120, 23)
    _footer(d, 9)
    # 12
    d.page()
    d.text(48, 80, "Recommendations", size=12.5, style="B")
    _body(d, 100, 150, 29)
    _footer(d, 10)
    d.save(path)
    return COMPENDIUM
