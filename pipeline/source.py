"""Open a PDF and read each page's characters, drawings, links and tables once.

Everything later works on these plain records, so the PDF is parsed a single
time and each pdfplumber page is closed as soon as it has been read. Files come
from archives nobody curated: every way a file, a page or its text can be
unreadable ends here as a classified error or a per-page diagnostic.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.page import Page as PlumberPage
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import (EmptyFile, Encrypted, NoTextLayer, NotAPdf, RotatedTextOnly, UndecodableText,
                             Unreadable)
from pipeline.model import Box, Diagnostics, Link, TableGrid

# (text, x0, x1, top, bottom, size, fontname, colour)
Char = tuple[str, float, float, float, float, float, str, tuple]

UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")  # pdfminer's stand-in for a glyph its font cannot map to Unicode
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


@dataclass(slots=True)
class RawPage:
    number: int
    width: float
    height: float
    chars: list[Char]
    boxes: list[Box]
    links: list[Link]
    tables: list[TableGrid]
    rotated: int = 0  # characters skipped because they are not upright
    unmapped: int = 0  # glyphs skipped because their font maps them to no Unicode text


@dataclass
class SourcePdf:
    """An open PDF whose pages were set up one by one.

    pdfplumber sets up every page at once and one bad page (a missing MediaBox,
    a broken page-tree node) would cost the whole document; here such a page is
    kept as the error that made it unreadable, so the others are still read and
    page numbers stay physical.
    """

    pdf: pdfplumber.PDF
    pages: list[PlumberPage | Exception]

    @property
    def metadata(self) -> dict:
        return self.pdf.metadata

    def close(self) -> None:
        for page in self.pages:
            if isinstance(page, PlumberPage):
                page.close()
        if not self.pdf.stream_is_external:
            self.pdf.stream.close()

    def __enter__(self) -> SourcePdf:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _colour(value) -> tuple:
    if value is None:
        return (0.0,)
    if isinstance(value, (int, float)):
        return (round(float(value), 3),)
    try:
        return tuple(round(float(v), 3) for v in value)
    except (TypeError, ValueError):
        return (0.0,)


def _tables(page) -> list[TableGrid]:
    """Ruled tables only: a page without drawn cells has none worth the finder's cost."""
    if len(page.rects) + len(page.lines) < 4:
        return []
    grids = []
    for table in page.find_tables():
        rows = [[(cell or "").replace("\n", " ").strip() for cell in row] for row in table.extract()]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            x0, top, x1, bottom = table.bbox
            grids.append(TableGrid(x0, x1, top, bottom, rows))
    return grids


def _check_content(page) -> None:
    """Raise Unreadable if a content stream of the page is not a stream at all (a wrong
    object offset, typically in a truncated or damaged file): the page is then not blank
    but lost, and must not pass for a page without text."""
    if not all(isinstance(resolve1(s), PDFStream) for s in page.page_obj.contents):
        raise Unreadable("its content stream is missing or damaged "
                         "(a truncated or corrupt file?)", page=page.page_number)


def _extra(read, page, what: str, diagnostics: Diagnostics) -> list:
    """Links and ruled tables are extras: when their objects are broken (cyclic annotation
    references, odd drawings), the page loses them, with a warning, but keeps its text."""
    try:
        return read(page)
    except MemoryError:
        raise
    except Exception as exc:
        diagnostics.add("source", "warning", "page-part-unreadable",
                        f"page {page.page_number}: its {what} could not be read ({type(exc).__name__}: {exc}); "
                        "its text is kept", page=page.page_number)
        return []


def _links(page) -> list[Link]:
    return [Link(h["uri"], h["x0"], h["x1"], h["top"], h["bottom"]) for h in page.hyperlinks if h.get("uri")]


def _read_page(page, number: int, diagnostics: Diagnostics) -> RawPage:
    chars, rotated, unmapped = [], 0, 0
    for c in page.chars:
        if not c["text"]:
            continue
        if not c.get("upright", True):
            rotated += 1
        elif UNMAPPED_GLYPH.fullmatch(c["text"]):
            unmapped += 1
        else:
            chars.append((c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"], c["fontname"],
                          _colour(c.get("non_stroking_color"))))
    if not (chars or rotated or unmapped):  # with some text, a damaged stream is not the page's whole story
        _check_content(page)
    boxes = [Box(r["x0"], r["x1"], r["top"], r["bottom"], bool(r.get("fill")))
             for r in list(page.rects) + list(page.lines)]
    return RawPage(number, float(page.width), float(page.height), chars, boxes,
                   _extra(_links, page, "links", diagnostics), _extra(_tables, page, "ruled tables", diagnostics),
                   rotated, unmapped)


def _set_up_pages(pdf: pdfplumber.PDF) -> list[PlumberPage | Exception]:
    pages: list[PlumberPage | Exception] = []
    doctop = 0.0
    tree = PDFPage.create_pages(pdf.doc)
    while True:
        try:
            page_obj = next(tree)
        except StopIteration:
            return pages
        except Exception as exc:  # a broken page-tree node ends the walk: keep what was found
            if not pages:
                raise Unreadable(f"the page tree could not be read: {type(exc).__name__}: {exc}") from None
            pages.append(exc)
            return pages
        try:
            page = PlumberPage(pdf, page_obj, page_number=len(pages) + 1, initial_doctop=doctop)
        except Exception as exc:  # e.g. a page without a usable MediaBox
            pages.append(exc)
            continue
        pages.append(page)
        doctop += page.height


def _check_page_objects(path: Path) -> None:
    """Raise Unreadable if the parser reached no page though the file holds page objects:
    then the page tree or the cross-reference table is damaged, the file is not empty."""
    found = len(PAGE_OBJECT.findall(path.read_bytes()))
    if found:
        raise Unreadable(f"{path.name}: its page tree leads to no page, though the file holds {found} page "
                         "object(s) (a damaged page tree or cross-reference table?)")


def open_pdf(path: Path, password: str | None = None) -> SourcePdf:
    """Open with pdfplumber, turning its failures into classified errors."""
    with open(path, "rb") as f:
        head = f.read(1024)
    if not head:
        raise EmptyFile(f"{path.name} is empty (0 bytes)")
    if b"%PDF-" not in head:
        raise NotAPdf(f"{path.name} is not a PDF (no %PDF- header)")
    try:
        pdf = pdfplumber.open(path, password=password or "")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in repr(cause).lower():
            raise Encrypted(f"{path.name} is encrypted and the password was "
                            f"{'wrong' if password else 'not given (use --password)'}") from None
        raise Unreadable(f"{path.name} could not be parsed: {cause}") from None
    except Exception as exc:  # pdfminer raises bare errors on some corrupt files
        raise Unreadable(f"{path.name} could not be parsed: {type(exc).__name__}: {exc}") from None
    try:
        pages = _set_up_pages(pdf)
        if not pages:
            _check_page_objects(path)
        return SourcePdf(pdf, pages)
    except BaseException:
        if not pdf.stream_is_external:
            pdf.stream.close()
        raise


def read_pages(pdf: SourcePdf, diagnostics: Diagnostics) -> Iterator[RawPage]:
    """Yield each page's records; a page that fails alone is reported and skipped."""
    for index, page in enumerate(pdf.pages, start=1):
        if isinstance(page, Exception):
            diagnostics.add("source", "error", "page-unreadable",
                            f"page {index} could not be set up: {type(page).__name__}: {page}", page=index)
            continue
        try:
            raw = _read_page(page, index, diagnostics)
        except MemoryError:
            raise  # the document as a whole is over its budget: not a page's fault
        except Exception as exc:  # a broken content stream must not cost the document
            message = exc.message if isinstance(exc, Unreadable) else f"{type(exc).__name__}: {exc}"
            diagnostics.add("source", "error", "page-unreadable", f"page {index} could not be read: {message}",
                            page=index)
            continue
        finally:
            page.close()
        if raw.rotated:
            diagnostics.add("source", "warning", "rotated-text-unsupported",
                            f"page {index}: {raw.rotated} characters set sideways or vertically were skipped",
                            page=index)
        if raw.unmapped:
            diagnostics.add("source", "warning", "unmapped-glyphs",
                            f"page {index}: {raw.unmapped} glyphs whose font maps them to no text were skipped",
                            page=index)
        yield raw


def require_text(pages: list[RawPage], diagnostics: Diagnostics, name: str) -> None:
    """Raise the most precise reason why no page yielded a single character, if none did.

    "No text layer" is only claimed when no page draws any text, so a damaged,
    rotated or badly encoded file is never mistaken for a scan needing OCR.
    """
    if any(p.chars for p in pages):
        return
    if sum(p.rotated for p in pages):
        raise RotatedTextOnly(f"{name}: all its text is set sideways or vertically, which is not supported")
    if sum(p.unmapped for p in pages):
        raise UndecodableText(f"{name}: its fonts map no glyph to text (no ToUnicode tables)")
    broken = [r["message"] for r in diagnostics.rows if r["code"] == "page-unreadable"]
    if broken:
        raise Unreadable(f"{name}: no page could be read; first: {broken[0]}")
    raise NoTextLayer(f"{name} has no text layer on any of its {len(pages)} pages: OCR would be needed")
