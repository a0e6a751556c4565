"""Internal hand-off types between stages.

Plain slotted dataclasses, not Pydantic: a page has thousands of characters
and validation belongs at the output boundary only (schemas/).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from compendium_corpus.codes import CODES, Severity
from compendium_corpus.orientation import Frame

BLACK = (0.0, 0.0, 0.0)  # the colour of text whose colour is unknown, as RGB (the model colours are in)


@dataclass(slots=True)
class Span:
    """A run of characters on one line sharing font, size, colour and baseline role."""

    text: str
    x0: float
    x1: float
    size: float
    bold: bool
    italic: bool
    color: tuple
    superscript: bool = False


@dataclass(slots=True)
class Line:
    """A horizontal run of text in one column; the unit every later stage reads."""

    page: int
    spans: list[Span]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool
    color: tuple
    column: int = 0  # 0: spans the page or single column; 1, 2, ...: column index
    bullet: str | None = None  # list glyph printed to the left of the line, if any
    small_caps: bool = False  # set in a small-capitals font: reads as capitals whatever its text's case
    glyphs: int = 0  # printing characters of the page it was built from (its bullet and drop cap included)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def style(self) -> tuple:
        """What makes two lines look alike: size, weight, slant and colour."""
        return (self.size, self.bold, self.italic, self.color)

    @property
    def plain(self) -> str:
        """Text without superscript runs (what a heading or title reads as)."""
        return "".join(s.text for s in self.spans if not s.superscript).strip()


@dataclass(slots=True)
class AuthorDraft:
    name: str
    affiliation: str | None = None
    note_lines: list[Line] = field(default_factory=list)  # an affiliation read from a note hung on the name


@dataclass(slots=True)
class Box:
    """A drawn rectangle or rule: frames pull-quotes, tables and figures."""

    x0: float
    x1: float
    top: float
    bottom: float
    filled: bool


@dataclass(slots=True)
class Link:
    uri: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass(slots=True)
class TableGrid:
    """A table found by pdfplumber's table finder, cells row by row."""

    x0: float
    x1: float
    top: float
    bottom: float
    rows: list[list[str]]


@dataclass(slots=True)
class Page:
    """One physical page after layout: body lines in reading order, furniture set apart."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    furniture: list[Line] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    tables: list[TableGrid] = field(default_factory=list)
    label: str | None = None  # printed page number, when one was found
    columns: int = 1
    gutters: list[float] = field(default_factory=list)  # x of each gutter between columns, left to right
    frame: Frame | None = (
        None  # the turn that made its text read left to right (a landscape table, a page set sideways)
    )

    @property
    def turned(self) -> int:
        """Degrees the page was turned to be read (0: as displayed)."""
        return self.frame.turned if self.frame else 0


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about a document: what a careful reader would want to know of its extraction."""

    stage: str
    severity: Severity
    code: str  # one of `codes.CODES`
    message: str
    page: int | None = None
    paper_id: str | None = None


@dataclass(slots=True)
class Diagnostics:
    """Collects a document's findings; stages append instead of raising."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        page: int | None = None,
        paper_id: str | None = None,
        severity: Severity | None = None,
    ) -> None:
        """Record a finding; its stage and usual severity come from the code's entry in `CODES`."""
        known = CODES[code]
        self.items.append(Diagnostic(known.stage, severity or known.severity, code, message, page, paper_id))


def page_index(pages: list[Page]) -> dict[int, Page]:
    """Page number -> page. The stage runner builds it once per document and hands it to
    every stage that looks pages up by number."""
    return {p.number: p for p in pages}
