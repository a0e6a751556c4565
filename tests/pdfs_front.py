"""Small PDFs with the front-matter layouts of a compendium, built with fpdf2.

Sizes follow a typical compendium (22 pt page headings, 10.5 pt body, 11 pt bold
names) but nothing here copies the sample: texts, names and pages are made up.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

BODY, LEADING, PARA_GAP = 10.5, 14.0, 8.0
FILLER = (
    "The network met twice a year to compare notes on trade, climate and health policy, "
    "and its members published joint briefs on questions where their views converged. "
)


class Book(FPDF):
    def __init__(self, size: str = "A4"):
        super().__init__(unit="pt", format=size)
        self.set_margins(56, 60, 56)
        self.set_auto_page_break(True, 60)

    def page_heading(self, text: str) -> None:
        self.add_page()
        self.set_font("Helvetica", "B", 22)
        self.cell(0, 30, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(20)

    def paragraph(self, text: str) -> None:
        self.set_font("Helvetica", "", BODY)
        self.multi_cell(0, LEADING, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(PARA_GAP)

    def subheading(self, text: str) -> None:
        self.set_font("Helvetica", "B", 11)
        self.multi_cell(0, LEADING, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def signature(self, name: str, role: str, place_date: str | None = None) -> None:
        self.ln(22)
        self.set_font("Helvetica", "B", 11)
        self.cell(0, LEADING, name, new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10)
        self.cell(0, LEADING, role, new_x="LMARGIN", new_y="NEXT")
        if place_date:
            self.set_font("Helvetica", "I", 10)
            self.cell(0, LEADING, place_date, new_x="LMARGIN", new_y="NEXT")

    def acronym(self, short: str, long_: str, long_width: float = 250) -> None:
        self.set_font("Helvetica", "B", 10)
        self.cell(85, LEADING, short)
        self.set_font("Helvetica", "", 10)
        self.multi_cell(long_width, LEADING, long_, new_x="LMARGIN", new_y="NEXT")
        self.ln(6)

    def opener(self, text: str) -> None:
        """A chapter opener: the first body page."""
        self.add_page()
        self.set_font("Helvetica", "B", 28)
        self.multi_cell(0, 34, text, new_x="LMARGIN", new_y="NEXT")
        self.paragraph(FILLER * 3)

    def cover(self, blocks: list[tuple[str, str, float, float]]) -> None:
        """(text, style, size, y) blocks placed where a designer would put them."""
        self.add_page()
        self.set_auto_page_break(False)
        for text, style, size, y in blocks:
            self.set_font("Helvetica", style, size)
            self.set_xy(62, y)
            self.cell(0, size * 1.2, text)
        self.set_auto_page_break(True, 60)


def save(book: Book, path: Path) -> Path:
    book.output(str(path))
    return path


def foreword_and_preface(path: Path) -> Path:
    """Cover, a foreword signed with name, role and place/date, a preface signed with a
    name and a role only, whose last paragraph runs onto a second page, then the body."""
    book = Book()
    book.cover([("A volume of papers", "B", 30, 300)])
    book.page_heading("Foreword")
    for n in range(3):
        book.paragraph(f"Paragraph {n + 1} of the foreword. " + FILLER * 2)
    book.signature("Marta Quinlan", "Director of the Network", "Lisbon, March 2024")
    book.page_heading("Preface")
    for n in range(8):
        book.paragraph(f"Paragraph {n + 1} of the preface. " + FILLER * 3)
    book.signature("Tomas Berg", "Senior Fellow, Policy Institute")
    book.opener("Trade and its discontents")
    return save(book, path)


def organisations(path: Path) -> Path:
    """A section of organisation names in bold, each over its description; the third
    description runs over a page break and the fourth name has two paragraphs."""
    book = Book()
    book.cover([("A volume of papers", "B", 30, 300)])
    book.page_heading("About the partner institutes")
    book.subheading("Northern Institute for Policy Research (NIPR)")
    book.paragraph("The Northern Institute for Policy Research is an independent think tank. " + FILLER)
    book.subheading("Centre for Maritime Studies, University of Valdor")
    book.paragraph("The Centre studies ports, shipping and the law of the sea. " + FILLER * 2)
    book.subheading("Eastern Forum on Development")
    book.set_y(book.h - 60 - 3 * LEADING)
    book.paragraph("The Forum brings officials and researchers together on development finance. " + FILLER * 3)
    book.subheading("Institute of Comparative Governance (ICG)")
    book.paragraph("The Institute compares how governments regulate new technologies. " + FILLER)
    book.paragraph("Its second programme looks at the reform of public administration. " + FILLER)
    book.opener("Trade and its discontents")
    return save(book, path)


ACRONYMS = [
    ("ASEAN", "Association of Southeast Asian Nations"),
    ("CSR", "Corporate Social Responsibility"),
    ("GHG", "Greenhouse Gas"),
    ("IMF", "International Monetary Fund"),
    ("UNCLOS", "United Nations Convention on the Law of the Sea as adopted at Montego Bay and in force since"),
    ("R&D", "Research and Development"),
    ("SMEs", "Small and Medium-sized Enterprises"),
    ("WHO", "World Health Organization"),
]


def acronyms(path: Path) -> Path:
    """A list of acronyms, short form in bold, one long form wrapping onto a second line
    in the long-form column, the list running onto a second page."""
    book = Book()
    book.cover([("A volume of papers", "B", 30, 300)])
    book.page_heading("Abbreviations")
    for short, long_ in ACRONYMS[:5]:
        book.acronym(short, long_)
    book.add_page()
    for short, long_ in ACRONYMS[5:]:
        book.acronym(short, long_)
    book.opener("Trade and its discontents")
    return save(book, path)


# (short form as printed, one string per line; long form), in reading order.
HANGING_LEFT = [
    (["ASEAN"], "Association of Southeast Asian Nations"),
    (["CSR"], "Corporate Social Responsibility"),
    (["GHG"], "Greenhouse Gas"),
    (["UNCLOS"], "United Nations Convention on the Law of the Sea"),
    (["PA / PAs"], "Protected Area / Protected Areas"),
    (["IMF"], "International Monetary Fund"),
    (["UNESCAP"], "United Nations Economic and Social Commission for Asia and the Pacific"),
]
HANGING_RIGHT = [
    (["SDR /", "SDRs"], "Special Drawing Right / Special Drawing Rights"),
    (["OECD-", "DAC"], "Development Assistance Committee of the Organisation for Economic Co-operation"),
    (["R&D"], "Research and Development"),
    (["SMEs"], "Small and Medium-sized Enterprises"),
    (["WHO"], "World Health Organization"),
    (["WTO"], "World Trade Organization"),
]
# set as top-aligned table cells, the short form wrapped after its slash
CELL_ENTRY = (["NGO /", "NGOs"], "Non-Governmental Organisation / Non-Governmental Organisations")
HANGING_NOTE = "Others are spelt out in the text."


def _wrap(book: Book, words: list[str], width: float) -> tuple[str, list[str]]:
    """The words that fit on a line of `width`, and the rest."""
    line = words[0]
    for i, w in enumerate(words[1:], start=1):
        if book.get_string_width(line + " " + w) > width:
            return line, words[i:]
        line += " " + w
    return line, []


def cell_list(
    book: Book, x: float, y: float, width: float, entries: list[tuple[list[str], str]], indent: float = 64
) -> float:
    """Entries set as table cells, both top-aligned: the short form's lines at `x`, the long
    form's lines wrapping within the long column from `x + indent`."""
    leading, gap = 1.3 * BODY, 0.3 * BODY
    for shorts, long_ in entries:
        book.set_font("Helvetica", "B", BODY)
        for i, part in enumerate(shorts):
            book.text(x, y + i * leading, part)
        book.set_font("Helvetica", "", BODY)
        rest, n = long_.split(), 0
        while rest:
            line, rest = _wrap(book, rest, width - indent)
            book.text(x + indent, y + n * leading, line)
            n += 1
        y += max(n, len(shorts)) * leading + gap
    return y


def hanging_list(
    book: Book, x: float, y: float, width: float, entries: list[tuple[list[str], str]], indent: float = 64
) -> tuple[float, int]:
    """Entries set like a floated term beside its definition: the short form bold at `x`,
    the long form from `x + indent` (or right after a short form too wide for its column),
    a wrapped long form continuing at `x`, under the short forms. A short form printed on
    several lines has its long form beside its last line. Returns the baseline after the
    list and how many long-form lines were wrapped back under the short-form column."""
    leading, gap = 1.3 * BODY, 0.3 * BODY
    under = 0
    for shorts, long_ in entries:
        book.set_font("Helvetica", "B", BODY)
        for part in shorts[:-1]:
            book.text(x, y, part)
            y += leading
        book.text(x, y, shorts[-1])
        short_w = book.get_string_width(shorts[-1])
        book.set_font("Helvetica", "", BODY)
        start = x + indent if short_w < indent - 1.5 * BODY else x + short_w + book.get_string_width(" ")
        line, rest = _wrap(book, long_.split(), x + width - start)
        book.text(start, y, line)
        while rest:
            y += leading
            line, rest = _wrap(book, rest, width)
            book.text(x, y, line)
            under += 1
        y += leading + gap
    return y, under


def acronyms_two_columns(path: Path) -> tuple[Path, int]:
    """A list of acronyms set in two page columns, long forms wrapping back under the
    short-form column, short forms with a slash (on one line, or wrapped over two) and a
    hyphen (wrapped), a short form too wide for its column followed by its long form on
    the same line, an entry set as top-aligned cells, and a note under the list. Returns the path and the number of
    long-form lines wrapped under the short forms."""
    book = Book()
    book.cover([("A volume of papers", "B", 30, 300)])
    book.page_heading("Abbreviations")
    top, width = 140.0, 200.0
    _, left = hanging_list(book, 56, top, width, HANGING_LEFT)
    y, right = hanging_list(book, 320, top, width, HANGING_RIGHT)
    y = cell_list(book, 320, y, width, [CELL_ENTRY])
    book.set_font("Helvetica", "I", BODY)
    book.text(320, y + 2 * BODY, HANGING_NOTE)
    book.opener("Trade and its discontents")
    return save(book, path), left + right


SIDE_BY_SIDE = [
    ("EIB", "European Investment Bank"),
    ("G20", "Group of Twenty"),
    ("NDB", "New Development Bank"),
    ("ODA", "Official Development Assistance"),
    ("SOE / SOEs", "State-Owned Enterprise / State-Owned Enterprises"),
    ("WB", "World Bank"),
]


def acronyms_side_by_side(path: Path) -> Path:
    """A short list of acronyms in two columns on a page of a one-column book: too few
    lines for layout to see page columns, so each row holds two entries side by side."""
    book = Book()
    book.cover([("A volume of papers", "B", 30, 300)])
    book.page_heading("Acronyms")
    half = len(SIDE_BY_SIDE) // 2
    hanging_list(book, 56, 140.0, 220, [([short], long_) for short, long_ in SIDE_BY_SIDE[:half]])
    hanging_list(book, 310, 140.0, 220, [([short], long_) for short, long_ in SIDE_BY_SIDE[half:]])
    book.opener("Trade and its discontents")
    return save(book, path)


DASHED = [
    "The network grew out of a shared concern: as the formal channels between the two sides narrowed",
    "– and in some places closed – it kept informal lines of exchange open.",
    None,
    "Its members agreed on three principles:",
    "– meet twice a year",
    "– publish joint briefs",
    "– share their data openly.",
    None,
    "The rest of this volume shows what came of it.",
]


def dashed_lines(path: Path) -> Path:
    """A foreword whose sentence carries on in a line opening with a dash (which layout
    takes for a bullet), then a list of dash items without end punctuation."""
    book = Book()
    book.core_fonts_encoding = "windows-1252"  # the en dash
    book.cover([("A volume of papers", "B", 30, 300)])
    book.page_heading("Foreword")
    book.set_font("Helvetica", "", BODY)
    y = book.get_y() + BODY
    for line in DASHED:
        if line is None:
            y += PARA_GAP
            continue
        book.text(56, y, line)
        y += LEADING
    book.opener("Trade and its discontents")
    return save(book, path)


def cover(path: Path) -> Path:
    """A cover: programme line, series, volume label, large title, editors, imprint at the foot."""
    book = Book("Letter")
    book.cover(
        [
            ("GLOBAL DIALOGUE PROGRAMME", "B", 13, 60),
            ("Ports, powers and the sea", "B", 22, 340),
            ("Volume 3", "", 16, 378),
            ("Charting a shared course", "B", 34, 430),
            ("Jane Doe and John Roe (eds.)", "", 14, 528),
            ("Institute for Maritime Affairs", "B", 11, 720),
        ]
    )
    book.page_heading("Foreword")
    book.paragraph(FILLER * 4)
    return save(book, path)


def no_cover(path: Path, title: str, author: str, imprint: str | None = None) -> Path:
    """No cover page: the first page is running text, ending with `imprint` when given;
    the metadata carries the title and author."""
    book = Book()
    book.set_title(title)
    book.set_author(author)
    book.add_page()
    for _ in range(6):
        book.paragraph(FILLER * 3)
    if imprint:
        book.paragraph(imprint)
    book.output(str(path))
    return path
