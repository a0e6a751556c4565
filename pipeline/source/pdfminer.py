"""The pdfminer engine (`--engine pdfplumber`; pdfium is the default): pdfminer interprets the
content streams, and each page's records are made from its layout objects with
pdfplumber's arithmetic, without pdfplumber's dictionaries.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pdfplumber
from pdfminer.layout import LTContainer
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1
from pdfplumber.page import Page as PlumberPage
from pdfplumber.page import fix_fontname_bytes
from pdfplumber.utils.exceptions import PdfminerException

from compendium_corpus.errors import Encrypted, Unreadable
from compendium_corpus.model import Box, Diagnostics, TableGrid
from compendium_corpus.orientation import direction
from compendium_corpus.source.common import (
    MIN_RULED_SHAPES,
    NO_BREAK_SPACE,
    Char,
    Interned,
    RawPage,
    check_content,
    check_header,
    displayed_size,
    extra,
    links,
    raise_if_out_of_memory,
    read_upright,
)

UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")  # pdfminer's stand-in for a glyph its font cannot map to Unicode


class SourcePdf:
    """An open PDF whose pages were set up one by one, read page by page.

    pdfplumber sets up every page at once and one bad page (a missing MediaBox,
    a broken page-tree node) would cost the whole document; here such a page is
    kept as the error that made it unreadable, so the others are still read and
    page numbers stay physical. Each page is closed as soon as it has been read,
    and pdfminer's cache of parsed objects is emptied every few pages, so memory
    stays flat however long the document.

    Every engine (`ENGINES`) gives the same interface: `pages` (one entry per
    physical page, the error for a page that cannot be set up), `metadata`,
    `read(number, diagnostics)` and `close()`.
    """

    engine = "pdfplumber"
    FLUSH_EVERY = 16  # pages between two flushes of pdfminer's object cache

    def __init__(
        self,
        pdf: pdfplumber.PDF,
        pages: list[PlumberPage | Exception],
        path: Path | None = None,
        password: str | None = None,
    ):
        self.pdf = pdf
        self.pages = pages
        self.path, self.password = path, password  # for another engine to open the file beside this one
        self.interned = Interned()
        self._read = 0

    @property
    def metadata(self) -> dict:
        return self.pdf.metadata

    def read(self, number: int, diagnostics: Diagnostics) -> RawPage:
        """The records of page `number` (1-based); raises what makes the page unreadable."""
        page = self.pages[number - 1]
        if isinstance(page, Exception):
            raise page
        try:
            return _read_page(page, number, diagnostics, self.interned)
        finally:
            page.close()
            self._read += 1
            if self._read % self.FLUSH_EVERY == 0:
                self.flush()

    def flush(self) -> None:
        """Forget the objects pdfminer parsed for pages already read (content streams,
        images): it parses an object again if a later page needs it. Fonts stay cached."""
        self.pdf.doc._cached_objs.clear()
        self.pdf.doc._parsed_objs.clear()

    def forked(self) -> SourcePdf:
        """This source in a process forked from the one that opened it (a page reader): its
        pages, set up once, are shared rather than set up again (see `_OwnPosition`)."""
        return self

    def close(self) -> None:
        for page in self.pages:
            if isinstance(page, PlumberPage):
                page.close()
        self.pdf.stream.close()

    def __enter__(self) -> SourcePdf:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _layout_objects(objs) -> Iterator:
    """A page's layout objects in pdfplumber's order, form XObjects opened in place."""
    for obj in objs:
        if isinstance(obj, LTContainer):
            yield from _layout_objects(obj._objs)
        else:
            yield obj


def _tables(page, shapes: dict[str, list]) -> list[TableGrid]:
    """Ruled tables only: a page without drawn cells has none worth the finder's cost.

    The table finder looks at the page's drawings only, and at its characters only to
    fill the cells of a table it found. So it first gets the drawings alone, and the
    characters are converted to pdfplumber's records (which costs more than the whole
    search) only for a page where it found a table."""
    if len(shapes["rect"]) + len(shapes["line"]) < MIN_RULED_SHAPES:
        return []
    page._objects = {kind: [page.process_object(o) for o in objs] for kind, objs in shapes.items() if objs}
    if not page.find_tables():
        return []
    page.flush_cache([p for p in page.cached_properties if p != "_layout"])
    grids = []
    for table in page.find_tables():  # the same tables, now with the characters their cells need
        rows = [[(cell or "").replace("\n", " ").strip() for cell in row] for row in table.extract()]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            x0, top, x1, bottom = table.bbox
            grids.append(TableGrid(x0, x1, top, bottom, rows))
    return grids


def _read_page(page: PlumberPage, number: int, diagnostics: Diagnostics, interned: Interned) -> RawPage:
    """The page's records, straight from pdfminer's layout objects.

    The numbers are exactly those of pdfplumber's `page.chars` and `page.rects`
    (the same arithmetic on the same objects), without building its dictionary of
    some twenty attributes per character, which costs as much as parsing the page.
    """
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    chars: list[Char] = []
    directions: list[tuple[int, int]] = []
    unmapped = 0
    shapes: dict[str, list] = {"rect": [], "line": [], "curve": []}
    boxes: list[Box] = []
    for obj in _layout_objects(page.layout._objs):
        kind = obj.__class__.__name__
        if kind == "LTChar":
            text = obj._text
            if not text:
                continue
            if NO_BREAK_SPACE in text:
                text = text.replace(NO_BREAK_SPACE, " ")
            if "(cid:" in text and UNMAPPED_GLYPH.fullmatch(text):
                unmapped += 1
            else:
                x0, x1 = (obj.x0 + mb_x0, obj.x1 + mb_x0) if mb_x0 != 0 else (obj.x0, obj.x1)
                colour = obj.graphicstate.ncolor
                fontname = obj.fontname
                if isinstance(fontname, bytes):
                    fontname = fix_fontname_bytes(fontname)
                chars.append(
                    (
                        text,
                        x0,
                        x1,
                        (height - obj.y1) + mb_top,
                        (height - obj.y0) + mb_top,
                        obj.size,
                        interned.font(fontname),
                        interned.colour(colour if isinstance(colour, tuple) else (colour,)),
                    )
                )
                directions.append(direction(obj.matrix[0], obj.matrix[1]))
        elif kind in ("LTRect", "LTLine", "LTCurve"):
            shapes[kind[2:].lower()].append(obj)
    if not (chars or unmapped):  # with some text, a damaged stream is not the page's whole story
        check_content(page)
    for obj in shapes["rect"] + shapes["line"]:
        x0, x1 = (obj.x0 + mb_x0, obj.x1 + mb_x0) if mb_x0 != 0 else (obj.x0, obj.x1)
        boxes.append(Box(x0, x1, (height - obj.y1) + mb_top, (height - obj.y0) + mb_top, bool(obj.fill)))
    raw = RawPage(
        number,
        *displayed_size(page),
        chars,
        boxes,
        extra(links, page, "links", diagnostics),
        extra(lambda p: _tables(p, shapes), page, "ruled tables", diagnostics),
        0,
        unmapped,
    )
    return read_upright(raw, directions)


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
            raise_if_out_of_memory(exc)
            if not pages:
                raise Unreadable(f"the page tree could not be read: {type(exc).__name__}: {exc}") from None
            pages.append(exc)
            return pages
        try:
            page = PlumberPage(pdf, page_obj, page_number=len(pages) + 1, initial_doctop=doctop)
        except Exception as exc:  # e.g. a page without a usable MediaBox
            raise_if_out_of_memory(exc)
            pages.append(exc)
            continue
        pages.append(page)
        doctop += page.height


def _check_empty_tree(pdf: pdfplumber.PDF, name: str) -> None:
    """Raise Unreadable unless the parsed page tree is really empty: a catalog whose /Pages
    has no kids. A tree with kids that lead nowhere (unreachable objects, a cycle) is damaged,
    whatever the raw bytes hold; and so is a file without a catalog or a tree."""
    try:
        tree = resolve1(pdf.doc.catalog.get("Pages"))
        kids = resolve1(tree.get("Kids")) if isinstance(tree, dict) else None
    except Exception as exc:
        raise_if_out_of_memory(exc)
        kids = None
    if kids != []:
        raise Unreadable(f"{name}: its page tree leads to no page (a damaged page tree or cross-reference table?)")


class _OwnPosition(io.RawIOBase):
    """A file read at a position each process keeps in its own memory (pread): a process
    forked with the file open reads on from where it stands, where a shared file offset
    would be moved under it by the other."""

    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_RDONLY)
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = os.pread(self.fd, len(buffer), self.position)
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: os.fstat(self.fd).st_size}[whence]
        self.position = base + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


def open_pdfminer(path: Path, password: str | None = None) -> SourcePdf:
    """Open with pdfminer, turning its failures into classified errors."""
    check_header(path)
    stream = cast(io.BufferedReader, io.BufferedReader(_OwnPosition(path)))
    try:
        return _open_stream(stream, path, password)
    except BaseException:
        stream.close()
        raise


def _open_stream(stream: io.BufferedReader, path: Path, password: str | None) -> SourcePdf:
    try:
        pdf = pdfplumber.open(stream, password=password or "")
    except PdfminerException as exc:
        raise_if_out_of_memory(exc)
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in repr(cause).lower():
            raise Encrypted(
                f"{path.name} is encrypted and the password was {'wrong' if password else 'not given (use --password)'}"
            ) from None
        raise Unreadable(f"{path.name} could not be parsed: {cause}") from None
    except Exception as exc:  # pdfminer raises bare errors on some corrupt files
        raise_if_out_of_memory(exc)
        raise Unreadable(f"{path.name} could not be parsed: {type(exc).__name__}: {exc}") from None
    pages = _set_up_pages(pdf)
    if not pages:
        _check_empty_tree(pdf, path.name)
    return SourcePdf(pdf, pages, path, password)
