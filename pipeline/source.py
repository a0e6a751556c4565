"""Open a PDF and read each page's characters, drawings, links and tables once.

Everything later works on these plain records, so the PDF is parsed a single
time and each pdfplumber page is closed as soon as it has been read. Files come
from archives nobody curated: every way a file, a page or its text can be
unreadable ends here as a classified error or a per-page diagnostic.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfminer.layout import LTContainer
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.page import Page as PlumberPage, fix_fontname_bytes
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import (EmptyFile, Encrypted, NoTextLayer, NotAPdf, UndecodableText,
                             Unreadable)
from pipeline.model import Box, Diagnostics, Link, TableGrid
from pipeline.orientation import Frame, direction, frame

# (text, x0, x1, top, bottom, size, fontname, colour)
Char = tuple[str, float, float, float, float, float, str, tuple]

UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")  # pdfminer's stand-in for a glyph its font cannot map to Unicode
# Python words this message by where on the stack the limit was hit, which is not the
# document's business (nor the same in every process): it is reported in one wording.
RECURSION = re.compile(r"maximum recursion depth exceeded[^;)]*")

# Character sources, all giving the same records (see source_pdfium.py for the second).
ENGINES = ("pdfplumber", "pdfium")
DEFAULT_ENGINE = "pdfplumber"


def engine_version(version: str, engine: str) -> str:
    """A pipeline version as the manifest records it: a character source other than the
    default makes other output, so it is part of the version."""
    return version if engine == DEFAULT_ENGINE else f"{version}+{engine}"


def engine_of(version: str) -> str:
    """The character source a recorded pipeline version was made with."""
    engine = version.partition("+")[2]
    return engine if engine in ENGINES else DEFAULT_ENGINE


@dataclass(slots=True)
class RawPage:
    number: int
    width: float
    height: float
    chars: list[Char]
    boxes: list[Box]
    links: list[Link]
    tables: list[TableGrid]
    rotated: int = 0  # printing characters skipped because they run another way than the page's text
    unmapped: int = 0  # glyphs skipped because their font maps them to no Unicode text
    frame: Frame | None = None  # the turn that made its text read left to right (None: read as displayed)

    @property
    def turned(self) -> int:
        return self.frame.turned if self.frame else 0


@dataclass(slots=True, frozen=True)
class Tally:
    """What `require_text` and the character accounting need to know of a page once its
    characters are gone: its printing characters (spaces are not counted), read or set aside."""

    chars: int
    rotated: int = 0
    unmapped: int = 0

    @classmethod
    def of(cls, raw: RawPage) -> Tally:
        return cls(sum(1 for c in raw.chars if c[0].strip()), raw.rotated, raw.unmapped)

    @property
    def total(self) -> int:
        return self.chars + self.rotated + self.unmapped


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

    def __init__(self, pdf: pdfplumber.PDF, pages: list[PlumberPage | Exception]):
        self.pdf = pdf
        self.pages = pages
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


class Interned:
    """One shared object per distinct font name and colour of a document.

    A page holds thousands of characters in a handful of fonts and colours: sharing
    those objects keeps the records small in memory, and pickle writes a shared
    object once, so a page read in another process crosses over in a fraction of
    the bytes.
    """

    def __init__(self) -> None:
        self.colours: dict = {}
        self.fonts: dict = {}

    def colour(self, value) -> tuple:
        try:
            return self.colours[value]
        except KeyError:
            colour = _colour(value)
            colour = self.colours.setdefault(colour, colour)
            self.colours[value] = colour
            return colour
        except TypeError:  # an unhashable value (a list) is still a colour
            colour = _colour(value)
            return self.colours.setdefault(colour, colour)

    def font(self, name) -> str:
        return self.fonts.setdefault(name, name)


def _check_content(page) -> None:
    """Raise Unreadable if a content stream of the page is not a stream at all (a wrong
    object offset, typically in a truncated or damaged file): the page is then not blank
    but lost, and must not pass for a page without text."""
    if not all(isinstance(resolve1(s), PDFStream) for s in page.page_obj.contents):
        raise Unreadable("its content stream is missing or damaged "
                         "(a truncated or corrupt file?)", page=page.page_number)


def out_of_memory(exc: BaseException | None) -> bool:
    """Whether memory ran out underneath `exc`: pdfminer and pdfplumber wrap the MemoryError
    of a stream inflating past the ceiling in exceptions of their own (PdfminerException,
    PSException), which must not pass for a damaged file."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, MemoryError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__ or next((a for a in exc.args if isinstance(a, BaseException)), None)
    return False


def _raise_if_out_of_memory(exc: BaseException) -> None:
    if out_of_memory(exc):
        raise MemoryError(str(exc)) from exc


def _extra(read, page, what: str, diagnostics: Diagnostics) -> list:
    """Links and ruled tables are extras: when their objects are broken (cyclic annotation
    references, odd drawings), the page loses them, with a warning, but keeps its text."""
    try:
        return read(page)
    except Exception as exc:
        _raise_if_out_of_memory(exc)
        diagnostics.add("page-part-unreadable", f"page {page.page_number}: its {what} could not be read ({_describe(exc)}); "
                        "its text is kept", page=page.page_number)
        return []


def _describe(exc: Exception) -> str:
    return RECURSION.sub("maximum recursion depth exceeded", f"{type(exc).__name__}: {exc}")


def _links(page) -> list[Link]:
    return [Link(h["uri"], h["x0"], h["x1"], h["top"], h["bottom"]) for h in page.hyperlinks if h.get("uri")]


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
    if len(shapes["rect"]) + len(shapes["line"]) < 4:
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
            if "(cid:" in text and UNMAPPED_GLYPH.fullmatch(text):
                unmapped += 1
            else:
                x0, x1 = (obj.x0 + mb_x0, obj.x1 + mb_x0) if mb_x0 != 0 else (obj.x0, obj.x1)
                colour = obj.graphicstate.ncolor
                fontname = obj.fontname
                if isinstance(fontname, bytes):
                    fontname = fix_fontname_bytes(fontname)
                chars.append((text, x0, x1, (height - obj.y1) + mb_top, (height - obj.y0) + mb_top, obj.size,
                              interned.font(fontname),
                              interned.colour(colour if isinstance(colour, tuple) else (colour,))))
                directions.append(direction(obj.matrix[0], obj.matrix[1]))
        elif kind in ("LTRect", "LTLine", "LTCurve"):
            shapes[kind[2:].lower()].append(obj)
    if not (chars or unmapped):  # with some text, a damaged stream is not the page's whole story
        _check_content(page)
    for obj in shapes["rect"] + shapes["line"]:
        x0, x1 = (obj.x0 + mb_x0, obj.x1 + mb_x0) if mb_x0 != 0 else (obj.x0, obj.x1)
        boxes.append(Box(x0, x1, (height - obj.y1) + mb_top, (height - obj.y0) + mb_top, bool(obj.fill)))
    raw = RawPage(number, *displayed_size(page), chars, boxes,
                  _extra(_links, page, "links", diagnostics),
                  _extra(lambda p: _tables(p, shapes), page, "ruled tables", diagnostics), 0, unmapped)
    return read_upright(raw, directions)


def displayed_size(page: PlumberPage) -> tuple[float, float]:
    """Width and height of the page as a viewer shows it: pdfminer gives the characters of a
    page with /Rotate in the turned page's coordinates, while pdfplumber's size stays the
    MediaBox's."""
    if page.rotation % 180 == 90:
        return float(page.height), float(page.width)
    return float(page.width), float(page.height)


def read_upright(raw: RawPage, directions: list[tuple[int, int]]) -> RawPage:
    """The page turned the way a reader turns it (see `orientation`): the characters that
    run the page's way, in its turned coordinates, with its drawings, links and tables;
    the others counted as set sideways."""
    printing = [(d, c[3]) for c, d in zip(raw.chars, directions) if c[0].strip()]
    turn = frame([d for d, _ in printing], [t for _, t in printing], raw.width, raw.height)
    dominant = (turn.matrix[0], turn.matrix[1])
    kept = [c for c, d in zip(raw.chars, directions) if d == dominant]
    rotated = sum(1 for c, d in zip(raw.chars, directions) if d != dominant and c[0].strip())
    if not turn.turned:
        return RawPage(raw.number, raw.width, raw.height, kept, raw.boxes, raw.links, raw.tables, rotated,
                       raw.unmapped)

    def box(x0: float, x1: float, top: float, bottom: float) -> tuple[float, float, float, float]:
        bx0, btop, bx1, bbottom = turn.box(x0, top, x1, bottom)
        return bx0, bx1, btop, bbottom

    chars = []
    for c in kept:
        x0, x1, top, bottom = box(c[1], c[2], c[3], c[4])
        chars.append((c[0], x0, x1, top, bottom, bottom - top, c[6], c[7]))
    chars.sort(key=lambda c: (round(c[4]), c[1]))
    return RawPage(raw.number, turn.width, turn.height, chars,
                   [Box(*box(b.x0, b.x1, b.top, b.bottom), b.filled) for b in raw.boxes],
                   [Link(k.uri, *box(k.x0, k.x1, k.top, k.bottom)) for k in raw.links],
                   [TableGrid(*box(t.x0, t.x1, t.top, t.bottom), t.rows) for t in raw.tables],
                   rotated, raw.unmapped, turn)


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
            _raise_if_out_of_memory(exc)
            if not pages:
                raise Unreadable(f"the page tree could not be read: {type(exc).__name__}: {exc}") from None
            pages.append(exc)
            return pages
        try:
            page = PlumberPage(pdf, page_obj, page_number=len(pages) + 1, initial_doctop=doctop)
        except Exception as exc:  # e.g. a page without a usable MediaBox
            _raise_if_out_of_memory(exc)
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
        _raise_if_out_of_memory(exc)
        kids = None
    if kids != []:
        raise Unreadable(f"{name}: its page tree leads to no page (a damaged page tree or cross-reference table?)")


def check_header(path: Path) -> None:
    """Raise EmptyFile or NotAPdf before any parser sees the file."""
    with open(path, "rb") as f:
        head = f.read(1024)
    if not head:
        raise EmptyFile(f"{path.name} is empty (0 bytes)")
    if b"%PDF-" not in head:
        raise NotAPdf(f"{path.name} is not a PDF (no %PDF- header)")


def open_pdf(path: Path, password: str | None = None, engine: str = DEFAULT_ENGINE) -> SourcePdf:
    """Open with the engine's parser, turning its failures into classified errors."""
    path = Path(path)
    if engine == "pdfium":
        from pipeline.source_pdfium import open_pdfium
        return open_pdfium(path, password)
    if engine != "pdfplumber":
        raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")
    check_header(path)
    try:
        pdf = pdfplumber.open(path, password=password or "")
    except PdfminerException as exc:
        _raise_if_out_of_memory(exc)
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect) or "password" in repr(cause).lower():
            raise Encrypted(f"{path.name} is encrypted and the password was "
                            f"{'wrong' if password else 'not given (use --password)'}") from None
        raise Unreadable(f"{path.name} could not be parsed: {cause}") from None
    except Exception as exc:  # pdfminer raises bare errors on some corrupt files
        _raise_if_out_of_memory(exc)
        raise Unreadable(f"{path.name} could not be parsed: {type(exc).__name__}: {exc}") from None
    try:
        pages = _set_up_pages(pdf)
        if not pages:
            _check_empty_tree(pdf, path.name)
        return SourcePdf(pdf, pages)
    except BaseException:
        if not pdf.stream_is_external:
            pdf.stream.close()
        raise


def read_pages(pdf: SourcePdf, diagnostics: Diagnostics, numbers: Iterable[int] | None = None) -> Iterator[RawPage]:
    """Yield the records of each page (of `numbers`, 1-based, default all) in order;
    a page that fails alone is reported and skipped."""
    for index in numbers if numbers is not None else range(1, len(pdf.pages) + 1):
        setup = pdf.pages[index - 1]
        if isinstance(setup, Exception):
            diagnostics.add("page-unreadable", f"page {index} could not be set up: {type(setup).__name__}: {setup}", page=index)
            continue
        try:
            raw = pdf.read(index, diagnostics)
        except Exception as exc:  # a broken content stream must not cost the document
            _raise_if_out_of_memory(exc)  # the document as a whole is over its budget: not a page's fault
            message = exc.message if isinstance(exc, Unreadable) else _describe(exc)
            diagnostics.add("page-unreadable", f"page {index} could not be read: {message}",
                            page=index)
            continue
        if raw.turned:
            diagnostics.add("page-turned", f"page {index}: its text runs turned by {raw.turned}°; read as a reader turns the page",
                            page=index)
        if raw.rotated:
            diagnostics.add("rotated-text-unsupported", f"page {index}: {raw.rotated} characters set another way than the page's text "
                            "(sideways, upside down) were skipped", page=index)
        if raw.unmapped:
            diagnostics.add("unmapped-glyphs", f"page {index}: {raw.unmapped} glyphs whose font maps them to no text were skipped",
                            page=index)
        yield raw


def require_text(pages: list[RawPage] | list[Tally], diagnostics: Diagnostics, name: str) -> None:
    """Raise the most precise reason why no page yielded a single character, if none did.

    "No text layer" is only claimed when no page draws any text, so a damaged,
    rotated or badly encoded file is never mistaken for a scan needing OCR.
    """
    if any(p.chars for p in pages):
        return
    if sum(p.unmapped for p in pages):
        raise UndecodableText(f"{name}: its fonts map no glyph to text (no ToUnicode tables)")
    broken = [d.message for d in diagnostics.items if d.code == "page-unreadable"]
    if broken:
        raise Unreadable(f"{name}: no page could be read; first: {broken[0]}")
    raise NoTextLayer(f"{name} has no text layer on any of its {len(pages)} pages: OCR would be needed")
