"""Open a PDF and read each page's characters, drawings, links and tables once.

Everything later works on these plain records, so the PDF is parsed a single
time and each pdfplumber page is closed as soon as it has been read.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import EmptyFile, Encrypted, NotAPdf, Unreadable
from pipeline.model import Box, Diagnostics, Link, TableGrid

# (text, x0, x1, top, bottom, size, fontname, colour)
Char = tuple[str, float, float, float, float, float, str, tuple]


@dataclass(slots=True)
class RawPage:
    number: int
    width: float
    height: float
    chars: list[Char]
    boxes: list[Box]
    links: list[Link]
    tables: list[TableGrid]


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


def _read_page(page, number: int) -> RawPage:
    chars = [
        (c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"], c["fontname"],
         _colour(c.get("non_stroking_color")))
        for c in page.chars if c.get("upright", True) and c["text"]
    ]
    boxes = [Box(r["x0"], r["x1"], r["top"], r["bottom"], bool(r.get("fill")))
             for r in list(page.rects) + list(page.lines)]
    links = [Link(h["uri"], h["x0"], h["x1"], h["top"], h["bottom"])
             for h in page.hyperlinks if h.get("uri")]
    return RawPage(number, float(page.width), float(page.height), chars, boxes, links, _tables(page))


def open_pdf(path: Path, password: str | None = None):
    """Open with pdfplumber, turning its failures into classified errors."""
    data_head = path.read_bytes()[:1024] if path.exists() else b""
    if not data_head:
        raise EmptyFile(f"{path.name} is empty (0 bytes)")
    if b"%PDF-" not in data_head:
        raise NotAPdf(f"{path.name} is not a PDF (no %PDF- header)")
    try:
        return pdfplumber.open(path, password=password or "")
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in repr(cause).lower():
            raise Encrypted(f"{path.name} is encrypted and the password was "
                            f"{'wrong' if password else 'not given (use --password)'}") from None
        raise Unreadable(f"{path.name} could not be parsed: {cause}") from None
    except Exception as exc:  # pdfminer raises bare errors on some corrupt files
        raise Unreadable(f"{path.name} could not be parsed: {type(exc).__name__}: {exc}") from None


def read_pages(pdf, diagnostics: Diagnostics) -> Iterator[RawPage]:
    """Yield each page's records; a page that fails alone is reported and skipped."""
    for index, page in enumerate(pdf.pages, start=1):
        try:
            yield _read_page(page, index)
        except Exception as exc:  # a broken content stream must not cost the document
            diagnostics.add("source", "error", "page-unreadable",
                            f"page {index} could not be read: {type(exc).__name__}: {exc}", page=index)
        finally:
            page.close()
