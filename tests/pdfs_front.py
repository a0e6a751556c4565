"""Small PDFs with the front-matter layouts of a compendium, built with fpdf2.

Sizes follow a typical compendium (22 pt page headings, 10.5 pt body, 11 pt bold
names) but nothing here copies the sample: texts, names and pages are made up.
"""
from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

BODY, LEADING, PARA_GAP = 10.5, 14.0, 8.0
FILLER = ("The network met twice a year to compare notes on trade, climate and health policy, "
          "and its members published joint briefs on questions where their views converged. ")


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


def cover(path: Path) -> Path:
    """A cover: programme line, series, volume label, large title, editors, imprint at the foot."""
    book = Book("Letter")
    book.cover([
        ("GLOBAL DIALOGUE PROGRAMME", "B", 13, 60),
        ("Ports, powers and the sea", "B", 22, 340),
        ("Volume 3", "", 16, 378),
        ("Charting a shared course", "B", 34, 430),
        ("Jane Doe and John Roe (eds.)", "", 14, 528),
        ("Institute for Maritime Affairs", "B", 11, 720),
    ])
    book.page_heading("Foreword")
    book.paragraph(FILLER * 4)
    return save(book, path)


def no_cover(path: Path, title: str, author: str) -> Path:
    """No cover page: the first page is running text; the metadata carries the title."""
    book = Book()
    book.set_title(title)
    book.set_author(author)
    book.add_page()
    for _ in range(6):
        book.paragraph(FILLER * 3)
    book.output(str(path))
    return path
