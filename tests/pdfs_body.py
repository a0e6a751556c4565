"""A small two-column compendium for the body and recommendations stages.

`compendium(path, **options)` draws a cover, a contents page, a chapter opener and
two papers in two justified columns (DejaVu Sans, 10 pt body on a 13 pt leading),
with a running header and page-number footer on every body page. Everything is
placed by a small column `Flow`, which records what it drew: each paragraph's
logical text (what a reader reads: split words re-joined, compounds kept, marker
digits left out), its footnote markers with their offsets, the page and column of
each printed line, every heading with its level, pull-quotes, the figure and the
expected recommendations. The tests compare the pipeline's output with that record.

Paragraph specs are plain strings with a little markup:

    word|          the line ends after this word
    transfor=|mation   a word split at a line end ('transfor-' / 'mation'): one word
    de-|risking    a compound broken at its own hyphen ('de-' / 'risking'): keeps it
    word^3         a raised footnote marker 3 after the word (or its punctuation)
    **Lead:**      bold words (a list item's lead-in)
    ~              as many filler words as make the line ending at the next `|` full
    @              filler words, as many as give the paragraph the asked-for line count
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pdfs import Doc, _footer, _leaders, _opener

BODY, LEADING, PARA_GAP = 10.0, 13.0, 6.0
COLS = (56.0, 314.0)
COL_W = 225.0
MARK_SIZE, MARK_RISE = 6.5, 3.5
H1 = (12.5, "B")
H2 = (9.5, "B")
QUOTE_COLOUR = (0, 84, 140)

WORDS = (
    "relations between the two partners have entered a period of deep uncertainty in which trade "
    "investment technology and security are increasingly discussed together rather than apart and "
    "where each side watches the other with growing caution while still depending on open markets "
    "for growth jobs and the transition to clean energy that both have promised their citizens over "
    "the coming decade of reform and renewal in a world that is more divided than before"
).split()


# ---------------------------------------------------------------- words and lines


@dataclass
class Word:
    runs: list[tuple[str, float, str, float]]  # (text, size, style, rise)
    logical: str  # what the word contributes to the text
    refs: list[int] = field(default_factory=list)
    glue: str = " "  # logical joiner to the next word
    brk: bool = False  # a line ends after this word
    bold: bool = False


ELASTIC, COUNTED = "~", "@"


class Filler:
    """An endless, deterministic stream of lower-case filler words (no digits, no stops)."""

    def __init__(self, start: int = 0) -> None:
        self.i = start

    def peek(self) -> Word:
        w = WORDS[self.i % len(WORDS)]
        return Word([(w, BODY, "", 0.0)], w)

    def take(self) -> Word:
        w = self.peek()
        self.i += 1
        return w


def parse(spec: str) -> list:
    """Markup (see the module docstring) into Words and ELASTIC / COUNTED placeholders."""
    out: list = []
    bold = False
    for token in spec.split():
        if token in (ELASTIC, COUNTED):
            out.append(token)
            continue
        if token.startswith("**"):
            bold, token = True, token[2:]
        closes = token.endswith("**") or token.endswith("**|")
        token = token.replace("**", "")
        style = "B" if bold else ""
        brk = token.endswith("|") and "=|" not in token[-2:] and "-|" not in token[-2:]
        token = token[:-1] if brk else token
        refs: list[int] = []
        if "^" in token:
            token, marks = token.split("^", 1)
            refs = [int(m) for m in marks.split(",")]
        if "=|" in token or "-|" in token:
            sep = "=|" if "=|" in token else "-|"
            head, tail = token.split(sep)
            out.append(
                Word(
                    [(head + "-", BODY, style, 0.0)], head if sep == "=|" else head + "-", glue="", brk=True, bold=bold
                )
            )
            token = tail
        runs = [(token, BODY, style, 0.0)] + [(str(n), MARK_SIZE, "", MARK_RISE) for n in refs]
        out.append(Word(runs, token, refs, brk=brk, bold=bold))
        if closes:
            bold = False
    return out


class Typesetter:
    def __init__(self, doc: Doc) -> None:
        self.d = doc
        self.space = doc.width(" ", BODY)
        self.cache: dict[tuple, float] = {}

    def run_width(self, text: str, size: float, style: str) -> float:
        key = (text, size, style)
        if key not in self.cache:
            self.cache[key] = self.d.width(text, size, style)
        return self.cache[key]

    def width(self, words: list[Word]) -> float:
        w = sum(self.run_width(t, s, st) for word in words for t, s, st, _ in word.runs)
        return w + self.space * max(0, len(words) - 1)

    def fits(self, words: list[Word], width: float) -> bool:
        return self.width(words) <= width

    def compose(self, items: list, width: float, filler: Filler) -> list[list[Word]]:
        """Greedy lines; `|` ends a line, `~` fills the line that ends at the next `|`."""
        lines: list[list[Word]] = []
        cur: list[Word] = []

        def room() -> float:
            return width

        i = 0
        while i < len(items):
            item = items[i]
            if item == ELASTIC:
                j = next(k for k in range(i + 1, len(items)) if isinstance(items[k], Word) and items[k].brk)
                tail = items[i + 1 : j + 1]
                if not self.fits(cur + tail, room()):
                    while self.fits(cur + [filler.peek()], room()):
                        cur.append(filler.take())
                    lines.append(cur)
                    cur = []
                while self.fits(cur + [filler.peek()] + tail, room()):
                    cur.append(filler.take())
                assert self.fits(cur + tail, room()), "a forced line is too long for the column"
                lines.append(cur + tail)
                cur = []
                i = j + 1
                continue
            if cur and not self.fits(cur + [item], room()):
                lines.append(cur)
                cur = []
            cur.append(item)
            if item.brk:
                lines.append(cur)
                cur = []
            i += 1
        if cur:
            lines.append(cur)
        # the last line must look short: it ends the paragraph
        if len(lines[-1]) > 1 and self.width(lines[-1]) > width - 4 * BODY:
            lines.append([lines[-1].pop()])
        return lines

    def draw(self, x: float, y: float, width: float, words: list[Word], justify: bool) -> None:
        """One line; justified lines end exactly at x + width (space glyphs kept)."""
        extra = 0.0
        if justify and len(words) > 1:
            extra = (width - self.width(words)) / (len(words) - 1)
            assert 0 <= extra < 2.5 * BODY, f"justification gap {extra:.1f} would split the line"
        for i, word in enumerate(words):
            for text, size, style, rise in word.runs:
                x = self.d.text(x, y - rise, text, size, style)
            if i < len(words) - 1:
                x = self.d.text(x, y, " ", BODY) + extra


def logical(words: list[Word]) -> tuple[str, list[tuple[int, int]]]:
    """The words' text as a reader reads it, and each marker's (number, offset)."""
    text, refs = "", []
    for i, w in enumerate(words):
        text += w.logical
        refs += [(n, len(text)) for n in w.refs]
        if i < len(words) - 1:
            text += w.glue
    return text, refs


# ---------------------------------------------------------------- the flow


@dataclass
class Placed:
    page: int
    column: int  # 1 left, 2 right
    x: float
    y: float


class Flow:
    """Two columns per band, bands per page, pages on demand; records what it drew."""

    def __init__(self, doc: Doc, running_header: str, paper: str) -> None:
        self.d, self.ts = doc, Typesetter(doc)
        self.header, self.paper = running_header, paper
        self.filler = Filler(0)
        self.paragraphs: list[dict] = []
        self.sections: list[dict] = []
        self.quotes: list[dict] = []
        self.section: str | None = None
        self.l1: str | None = None
        self.page_bands: dict[int, list[tuple[float, float]]] = {}

    # -- geometry
    def start(self, page: int, bands: list[tuple[float, float]]) -> None:
        self.page, self.bands, self.band, self.col = page, bands, 0, 0
        self.y = bands[0][0]
        self.at_top = True
        self.fresh = True  # nothing placed since the last heading

    @property
    def bottom(self) -> float:
        return self.bands[self.band][1]

    def advance(self, next_bands: list[tuple[float, float]] | None = None) -> None:
        if self.col == 0:
            self.col = 1
        elif self.band + 1 < len(self.bands):
            self.band, self.col = self.band + 1, 0
        else:
            self.new_page(next_bands)
            return
        self.y = self.bands[self.band][0]
        self.at_top = True

    def new_page(self, bands: list[tuple[float, float]] | None = None) -> None:
        self.d.page()
        number = self.page + 1
        self.d.text(COLS[0], 40, self.header, size=8, style="I")
        _footer(self.d, number)
        self.start(number, bands or self.page_bands.get(number, [(110.0, 470.0)]))

    def slot(self, gap: float) -> Placed:
        if not self.at_top:
            self.y += gap
        if self.y > self.bottom:
            self.advance()
        p = Placed(self.page, self.col + 1, COLS[self.col], self.y)
        self.y += LEADING
        self.at_top = False
        return p

    def lines_left(self, gap: float = PARA_GAP) -> int:
        y = self.y + (0 if self.at_top else gap)
        return int((self.bottom - y) // LEADING) + 1 if y <= self.bottom else 0

    # -- headings
    def heading(self, text: str, level: int) -> None:
        size, style = H1 if level == 1 else H2
        before, after = (14.0, 19.0) if level == 1 else (10.0, 15.0)
        if not self.at_top:
            self.y += before
        if self.y + after + 2 * LEADING > self.bottom + LEADING:
            self.advance()
        self.d.text(COLS[self.col], self.y, text, size, style)
        section = {"heading": text, "level": level, "page": self.page, "parent": self.l1 if level == 2 else None}
        self.sections.append(section)
        if level == 1:
            self.l1 = text
        self.section = text
        self.y += after
        self.at_top = False
        self.fresh = True

    # -- paragraphs and list items
    def _place(
        self,
        lines: list[list[Word]],
        x_off: float = 0.0,
        first_off: float = 0.0,
        quote_after: int | None = None,
        quote: tuple | None = None,
        bullet: tuple | None = None,
    ) -> list[Placed]:
        placed = []
        gap = 0.0 if self.fresh else PARA_GAP
        for i, words in enumerate(lines):
            p = self.slot(gap if i == 0 else 0.0)
            gap = 0.0
            off = first_off if i == 0 else x_off
            if i == 0 and bullet is not None:
                glyph, size, dy = bullet
                self.d.text(p.x + 8, p.y + dy, glyph, size)
            self.ts.draw(p.x + off, p.y, COL_W - off, words, justify=i < len(lines) - 1)
            placed.append(p)
            if quote_after is not None and i + 1 == quote_after:
                self._quote(*quote)
        self.fresh = False
        return placed

    def _record(self, kind: str, words: list[Word], placed: list[Placed], lead: str | None = None) -> dict:
        text, refs = logical(words)
        row = {
            "kind": kind,
            "lead": lead,
            "text": text,
            "refs": refs,
            "section": self.section,
            "page_start": placed[0].page,
            "page_end": placed[-1].page,
            "where": [(p.page, p.column) for p in placed],
            "paper": self.paper,
        }
        self.paragraphs.append(row)
        return row

    def para(
        self, spec: str, lines: int | None = None, quote_after: int | None = None, quote: tuple | None = None
    ) -> dict:
        items = parse(spec)
        if lines is None:
            words = self._expand(items, 0)
            composed = self.ts.compose(words, COL_W, self.filler)
        else:
            composed = None
            for n in range(0, 600):
                saved = self.filler.i
                words = self._expand(items, n)
                trial = self.ts.compose(words, COL_W, self.filler)
                if len(trial) == lines:
                    composed = trial
                    break
                self.filler.i = saved
            assert composed is not None, f"no filler count gives {lines} lines"
        words = [w for line in composed for w in line]
        placed = self._place(composed, quote_after=quote_after, quote=quote)
        if quote_after is not None:  # the quote stands between two halves in one column
            before, after = placed[quote_after - 1], placed[quote_after]
            assert (
                (before.page, before.column)
                == (after.page, after.column)
                == (self.quotes[-1]["page"], self.quotes[-1]["column"])
            )
        return self._record("paragraph", words, placed)

    def _expand(self, items: list, n: int) -> list:
        out = []
        for it in items:
            if it == COUNTED:
                out += [self.filler.take() for _ in range(n)]
            else:
                out.append(it)
        return out

    def fill(self, keep: int) -> None:
        """A filler paragraph leaving exactly `keep` lines in the current column."""
        y0 = self.y + (0 if self.at_top else PARA_GAP)
        n = self.lines_left()
        while n > 0 and keep and int((self.bottom - (y0 + n * LEADING + PARA_GAP)) // LEADING) + 1 < keep:
            n -= 1
        assert n >= 2, f"only {self.lines_left()} lines left, cannot keep {keep}"
        self.para("Meanwhile @ in the end.", lines=n)

    def item(self, spec: str, bullet: str = "•") -> dict:
        """A list item: glyph at the column's left edge + 8, text (and wrapped lines) at + 20."""
        items = parse(spec)
        words = self._expand(items, 0)
        composed = self.ts.compose(words, COL_W - 20, self.filler)
        size, dy = (8.0, 0.5) if bullet == "▶" else (BODY, 0.0)
        placed = self._place(composed, x_off=20, first_off=20, bullet=(bullet, size, dy))
        lead_words = [w for w in words if w.bold]
        rest = words[len(lead_words) :]
        lead = logical(lead_words)[0].rstrip(":") if lead_words else None
        return self._record("list_item", rest, placed, lead=lead)

    # -- pull-quotes (drawn in the middle of a paragraph, in its column)
    def _quote(self, kind: str, text: str) -> None:
        source = len(self.paragraphs)  # index the paragraph being drawn will get
        x = COLS[self.col]
        page, column = self.page, self.col + 1
        if kind == "display":
            lines = self.d.wrap(text, COL_W, 13, "I")
            self.y += 10
            self.d.pdf.set_text_color(*QUOTE_COLOUR)
            for line in lines:
                self.d.text(x, self.y, line, 13, "I")
                self.y += 16
            self.d.pdf.set_text_color(0, 0, 0)
            self.y += 8
        else:  # framed: body-like type between two rules of the column's width
            lines = self.d.wrap(text, COL_W - 10, 11)
            top = self.y - LEADING + 12
            self.d.pdf.set_line_width(0.8)
            self.d.pdf.line(x, top, x + COL_W, top)
            y = top + 18
            for line in lines:
                self.d.text(x + 5, y, line, 11)
                y += 14
            bottom = y - 14 + 10
            self.d.pdf.line(x, bottom, x + COL_W, bottom)
            self.y = bottom + 18
        assert self.y < self.bottom, "the pull-quote must sit inside the column"
        self.quotes.append(
            {
                "kind": kind,
                "text": " ".join(lines),
                "lines": lines,
                "source": source,
                "page": page,
                "column": column,
                "paper": self.paper,
            }
        )


# ---------------------------------------------------------------- the document

TITLE_1 = "Rebuilding trust in trade"
TITLE_2 = "Supply chains after the pandemic"
CHAPTER = ("TRADE AND TECHNOLOGY", "Trade and Technology")

PULL_DISPLAY = "Trust is rebuilt in small steps and not in grand declarations."
PULL_FRAMED = "Common rules matter more than common speeches about rules."
PULL_PRESCRIPTIVE = "Europe should keep its market open while it screens investment."

FIGURE = {
    "label": "Figure 1",
    "title": "Trade in goods between the European Union and China",
    "caption": "Values in billions of euro; imports exceed exports in every year shown",
    "rows": [
        ["Indicator", "2019", "2023"],
        ["Exports to China (EUR bn)", "198", "223"],
        ["Imports from China (EUR bn)", "362", "514"],
    ],
    "source": "Source: Eurostat; General Administration of Customs of China",
}

NOTES = [
    "1 Eurostat, international trade in goods statistics by partner country, extracted in March of the following year.",
    "2 General Administration of Customs of China, annual statistical report on foreign trade and customs clearance.",
]


def compendium(path: Path) -> dict:
    """Cover (1), contents (2), chapter opener (3), paper 1 on pages 4-7, paper 2 on page 8.

    Paper 1: 'Introduction' (footnote markers, a paragraph running from the left column's
    foot to the right column's top, a bulleted list) with the subsection 'A CHANGING
    CONTEXT' (split words, a paragraph running over the page turn); 'The state of play'
    (a display pull-quote in a paragraph, 'de-risking' inside a line and split at a line
    end, a line opening with '– ', a paragraph cut by a full-width figure, a framed
    pull-quote, an empty subheading); 'Recommendations for Europe' with the subsection
    'PRIORITIES FOR CHINA'. Paper 2 has an 'Introduction' and 'Conclusions' only."""
    d = Doc()
    # 1 cover
    d.page()
    d.text(48, 300, "EU–China Crossroads", size=30, style="B")
    d.text(48, 340, "Trade, technology and trust", size=16)
    # 2 contents
    d.page()
    d.text(48, 80, "Contents", size=22, style="B")
    d.text(48, 130, "1", size=9.5, style="B")
    _leaders(d, 71, 130, CHAPTER[0], 3, 9.5, "B")
    _leaders(d, 71, 148, TITLE_1, 4, 9.5)
    d.text(71, 161, "Anna Schmidt", size=8.5, style="I")
    _leaders(d, 71, 179, TITLE_2, 8, 9.5)
    d.text(71, 192, "Marco Rossi", size=8.5, style="I")
    # 3 chapter opener
    d.page()
    _opener(
        d,
        1,
        [CHAPTER[1]],
        [["How can the two partners rebuild trust in trade?"], ["Which technologies should stay open?"]],
    )
    _footer(d, 3)

    # 4 paper 1, first page
    d.page()
    d.text(48, 80, TITLE_1, size=19, style="B")
    d.text(48, 125, "Anna Schmidt", size=11.5, style="B")
    d.text(48, 141, "Senior Fellow, Institute for Trade Studies, Berlin", size=8.5)
    _footer(d, 4)
    y = 565.0
    for note in NOTES:
        d.text(COLS[0], y, note, size=8)
        y += 11
    f = Flow(d, TITLE_1, "p01")
    fig_top, fig_bottom = 290.0, 402.0
    f.page_bands = {6: [(110.0, 266.0), (fig_bottom + 20, 545.0)]}
    f.start(4, [(200.0, 540.0)])
    marks = {}

    f.heading("Introduction", 1)
    marks["markers"] = f.para(
        "Exports to the Union rose sharply^1 in the year 2021 as demand recovered and prices fell back to "
        "their earlier level.^2 The COP26 summit then turned attention to the climate commitments of both "
        "partners, which neither side has yet met in full."
    )
    f.fill(keep=4)
    marks["columns"] = f.para(
        "Across the gutter this paragraph begins at the foot of the left column and @ "
        "closes at the top of the right one.",
        lines=4 + 3,
    )
    assert [w[1] for w in marks["columns"]["where"]] == [1] * 4 + [2] * 3, marks["columns"]["where"]
    f.para("They could act in three areas:")
    marks["item_bullet"] = f.item("**Grid links:** Invest in grids.", "•")
    marks["item_wrapped"] = f.item("**Carbon markets:** Expand the carbon market to heavy industry.", "▶")
    assert len(marks["item_wrapped"]["where"]) == 2, marks["item_wrapped"]
    assert len(marks["item_bullet"]["where"]) == 1
    marks["item_dash"] = f.item("**Procurement:** Open public tenders to all reliable partners.", "-")
    marks["should_outside"] = f.para("Officials should keep these areas apart from security questions for now.")
    f.heading("A CHANGING CONTEXT", 2)
    marks["hyphens"] = f.para(
        "The economy needs a deep ~ transfor=|mation of its energy system and a new "
        "~ China-|EU dialogue on climate and trade."
    )
    f.fill(keep=3)
    marks["page_turn"] = f.para(
        "Over the page turn this paragraph runs from the foot of the right column @ and ends on the following page.",
        lines=3 + 4,
    )
    assert [w[:2] for w in marks["page_turn"]["where"]][2:4] == [(4, 2), (5, 1)]

    f.heading("The state of play", 1)
    marks["display_quote"] = f.para(
        "Negotiators on both sides now accept a simple lesson. " + PULL_DISPLAY + " This lesson @ "
        "shapes every meeting of the two partners.",
        lines=9,
        quote_after=5,
        quote=("display", PULL_DISPLAY),
    )
    marks["derisking_inline"] = f.para(
        "Officials now speak of de-risking rather than decoupling @ in their public statements.", lines=4
    )
    marks["derisking_split"] = f.para(
        "Both capitals pursue the ~ de-|risking of supply chains with different tools and different goals."
    )
    marks["dash_line"] = f.para(
        "Investment screening is only one part of the ~ policy mix| – and it matters "
        "more than ever – because @ the rules keep changing.",
        lines=5,
    )
    # page 6 carries a figure across both columns between two bands of text
    while f.page == 5:
        f.fill(keep=0) if f.lines_left() >= 2 else f.advance()
    assert (f.page, f.band, f.col) == (6, 0, 0)
    f.fill(keep=0)
    f.advance()
    f.fill(keep=4)
    marks["figure_para"] = f.para(
        "Around the figure this paragraph begins in the upper right column @ and ends below the figure.", lines=4 + 3
    )
    assert [w[:2] for w in marks["figure_para"]["where"]] == [(6, 2)] * 4 + [(6, 1)] * 3
    _figure(d, fig_top)
    f.fill(keep=0)
    f.advance()
    f.fill(keep=0)
    f.advance()
    assert (f.page, f.col) == (7, 0)
    marks["framed_quote"] = f.para(
        "Institutions can still help. " + PULL_FRAMED + " The two partners @ know it well.",
        lines=8,
        quote_after=4,
        quote=("framed", PULL_FRAMED),
    )
    f.heading("OPEN QUESTIONS", 2)
    marks["empty"] = f.sections[-1]
    f.heading("Recommendations for Europe", 1)
    marks["rec_intro"] = f.para("Three steps stand out for the Union:")
    marks["rec_item_1"] = f.item("**Open a standing dialogue:** Meet every quarter on trade disputes.", "•")
    marks["rec_item_2"] = f.item("**Fund joint research:** Finance joint laboratories for batteries.", "▶")
    assert len(marks["rec_item_2"]["where"]) == 2
    marks["rec_should"] = f.para(
        "The Union should also publish its screening decisions so that investors "
        "can see how the rules are applied in practice."
    )
    marks["rec_plain"] = f.para(
        "These steps would restore some confidence on both sides within a few years of patient work."
    )
    f.heading("PRIORITIES FOR CHINA", 2)
    marks["rec_must"] = f.para(
        "Beijing must publish clear rules on data transfers and apply them to every foreign company in the same way."
    )
    marks["rec_plain_2"] = f.para("Both partners gain from predictable rules in the long run.")
    # a prescriptive pull-quote inside the recommendations: its paragraph is one, the display copy is not
    marks["rec_filler"] = f.para(
        "Meanwhile " + PULL_PRESCRIPTIVE + " @ in the end.",
        lines=8,
        quote_after=4,
        quote=("display", PULL_PRESCRIPTIVE),
    )
    paper1_end = f.page

    # 8 paper 2, one page
    d.page()
    page2 = f.page + 1
    d.text(48, 80, TITLE_2, size=19, style="B")
    d.text(48, 125, "Marco Rossi", size=11.5, style="B")
    d.text(48, 141, "Head of the Asia Programme, Istituto per gli Studi Internazionali", size=8.5)
    _footer(d, page2)
    g = Flow(d, TITLE_2, "p02")
    g.filler = Filler(17)
    g.start(page2, [(200.0, 470.0)])
    g.heading("Introduction", 1)
    g.para("Supply chains were tested by the pandemic @ and they bent without breaking.", lines=12)
    g.fill(keep=0)
    g.advance()
    g.heading("Conclusions", 1)
    p2_should = g.para("Firms should map their suppliers beyond the first tier before the next crisis comes.")
    p2_item = g.item("**Stockpiles:** Keep reserves of the inputs that cannot be replaced quickly.", "•")
    g.para("Public money @ will follow these efforts where they succeed.", lines=6)
    d.save(path)

    recs = [marks[k] for k in ("rec_item_1", "rec_item_2", "rec_should", "rec_must", "rec_filler")]
    return {
        "pages": page2,
        "papers": [
            {"paper_id": "p01", "title": TITLE_1, "page_start": 4, "page_end": paper1_end},
            {"paper_id": "p02", "title": TITLE_2, "page_start": page2, "page_end": page2},
        ],
        "paragraphs": f.paragraphs + g.paragraphs,
        "sections": [dict(s, paper="p01") for s in f.sections] + [dict(s, paper="p02") for s in g.sections],
        "quotes": f.quotes,
        "figure": dict(FIGURE, page=6),
        "marks": marks,
        "paper2": {"should": p2_should, "item": p2_item},
        "recommendations": recs,
    }


def _figure(d: Doc, top: float) -> None:
    """Label and title in bold, an italic caption, a three-column table in small type and
    a source line, across both columns."""
    left = COLS[0]
    d.text(left, top, f"{FIGURE['label']}: {FIGURE['title']}", 10, "B")
    d.text(left, top + 14, FIGURE["caption"], 9.5, "I")
    xs = (left, 330.0, 450.0)
    y = top + 36
    for i, row in enumerate(FIGURE["rows"]):
        for x, cell in zip(xs, row):
            d.text(x, y, cell, 8.5, "B" if i == 0 else "")
        y += 17
    d.text(left, y + 4, FIGURE["source"], 8)
    assert d.width(f"{FIGURE['label']}: {FIGURE['title']}", 10, "B") > COLS[1] - left
    assert d.width(FIGURE["caption"], 9.5, "I") > COLS[1] - left
