"""The records every character source gives, and the checks and helpers they share.

A page is read once into plain records (`RawPage`: characters, drawings, links, ruled
tables), turned the way a reader turns it; everything later works on these.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as fpdf
from pdfminer.pdftypes import PDFStream, resolve1
from pdfplumber.page import Page as PlumberPage

from compendium_corpus.errors import EmptyFile, NotAPdf, Unreadable
from compendium_corpus.model import BLACK, Box, Diagnostics, Link, TableGrid
from compendium_corpus.orientation import UPRIGHT, Frame, frame

GREY, RGB, CMYK = 1, 3, 4  # components of a colour in each device space
SETTLED_DECIMALS = 4  # a character's box and size: finer is the engines' arithmetic noise
COLOUR_DECIMALS = 2  # colour components to a hundredth: finer is noise of the engines' colour arithmetic
BYTE = 255  # pdfium's colour components are 8-bit
# A no-break space is read as a space, as pdfium gives it: no reader of the tables wants U+00A0.
NO_BREAK_SPACE = "\xa0"
QUARTER_TURN, HALF_TURN = 90, 180  # degrees
HEADER_BYTES = 1024  # where a PDF's %PDF- header must stand (viewers look this far)
MIN_RULED_SHAPES = 4  # rectangles and lines a page needs before a ruled table is looked for

# (text, x0, x1, top, bottom, size, fontname, colour)
Char = tuple[str, float, float, float, float, float, str, tuple]

# Python words this message by where on the stack the limit was hit, which is not the
# document's business (nor the same in every process): it is reported in one wording.
RECURSION = re.compile(r"maximum recursion depth exceeded[^;)]*")


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


def _colour(value) -> tuple:
    """A fill colour as the RGB a viewer shows, whatever space it was given in: grey and RGB
    as they are, CMYK as pdfium converts it (not by the PDF specification's naive formula,
    which makes CMYK black the same as grey black where a viewer shows it a shade lighter),
    so that both engines (pdfium gives RGB) tell the same colours apart; a pattern or a
    value that is not a colour counts as black."""
    if isinstance(value, (int, float)):
        value = (value,)
    try:
        components = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        return BLACK
    if len(components) == GREY:
        rgb: tuple[float, ...] = components * RGB
    elif len(components) == RGB:
        rgb = components
    elif len(components) == CMYK:
        rgb = displayed_cmyk(components)
    else:
        return BLACK
    return tuple(round(v, COLOUR_DECIMALS) for v in rgb)


@cache
def displayed_cmyk(cmyk: tuple[float, ...]) -> tuple[float, float, float]:
    """pdfium's RGB for a DeviceCMYK colour, asked of pdfium itself: a one-rectangle page
    filled with it (a document holds a handful of colours; each costs a fraction of a ms)."""
    content = b"%f %f %f %f k 0 0 1 1 re f" % tuple(min(1.0, max(0.0, v)) for v in cmyk)
    document = pdfium.PdfDocument(_one_page_pdf(content))
    page = document[0]
    rgba = [ctypes.c_uint() for _ in range(CMYK)]
    filled = fpdf.FPDFPageObj_GetFillColor(fpdf.FPDFPage_GetObject(page.raw, 0), *rgba)
    page.close()
    document.close()
    return (rgba[0].value / BYTE, rgba[1].value / BYTE, rgba[2].value / BYTE) if filled else BLACK


def _one_page_pdf(content: bytes) -> bytes:
    """The smallest well-formed PDF of one page drawing `content`."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 1] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


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


def check_content(page) -> None:
    """Raise Unreadable if a content stream of the page is not a stream at all (a wrong
    object offset, typically in a truncated or damaged file): the page is then not blank
    but lost, and must not pass for a page without text."""
    if not all(isinstance(resolve1(s), PDFStream) for s in page.page_obj.contents):
        raise Unreadable(
            "its content stream is missing or damaged (a truncated or corrupt file?)", page=page.page_number
        )


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


def raise_if_out_of_memory(exc: BaseException) -> None:
    if out_of_memory(exc):
        raise MemoryError(str(exc)) from exc


def extra(read, page, what: str, diagnostics: Diagnostics) -> list:
    """Links and ruled tables are extras: when their objects are broken (cyclic annotation
    references, odd drawings), the page loses them, with a warning, but keeps its text."""
    try:
        return read(page)
    except Exception as exc:
        raise_if_out_of_memory(exc)
        diagnostics.add(
            "page-part-unreadable",
            f"page {page.page_number}: its {what} could not be read ({describe(exc)}); its text is kept",
            page=page.page_number,
        )
        return []


def describe(exc: Exception) -> str:
    return RECURSION.sub("maximum recursion depth exceeded", f"{type(exc).__name__}: {exc}")


def links(page) -> list[Link]:
    return [Link(h["uri"], h["x0"], h["x1"], h["top"], h["bottom"]) for h in page.hyperlinks if h.get("uri")]


def displayed_size(page: PlumberPage) -> tuple[float, float]:
    """Width and height of the page as a viewer shows it: pdfminer gives the characters of a
    page with /Rotate in the turned page's coordinates, while pdfplumber's size stays the
    MediaBox's."""
    if page.rotation % HALF_TURN == QUARTER_TURN:
        return float(page.height), float(page.width)
    return float(page.width), float(page.height)


def _settled(chars: list[Char]) -> list[Char]:
    """Each character's box and size to a ten-thousandth of a point: later stages compare
    and round them, and a size of 9.75 must not come out 9.7 from one engine (9.74999...
    in double precision) and 9.8 from the other (9.75000... in pdfium's single
    precision), nor a gap of exactly two ems be wider than two ems for one of them."""
    settle = _Settled()  # a page repeats its tops, bottoms and sizes: each is rounded once
    places = SETTLED_DECIMALS
    return [
        (text, round(x0, places), round(x1, places), settle[top], settle[bottom], settle[size], font, colour)
        for text, x0, x1, top, bottom, size, font, colour in chars
    ]


class _Settled(dict):
    """Values to `SETTLED_DECIMALS`, each worked out on its first lookup."""

    def __missing__(self, value: float) -> float:
        settled = self[value] = round(value, SETTLED_DECIMALS)
        return settled


def read_upright(raw: RawPage, directions: list[tuple[int, int]]) -> RawPage:
    """The page turned the way a reader turns it (see `orientation`): the characters that
    run the page's way, in its turned coordinates, with its drawings, links and tables;
    the others counted as set sideways."""
    raw.chars[:] = _settled(raw.chars)
    if set(directions) <= {UPRIGHT}:  # as on most pages: all is kept as it is
        return raw
    printing = [(d, c[3]) for c, d in zip(raw.chars, directions) if c[0].strip()]
    turn = frame([d for d, _ in printing], [t for _, t in printing], raw.width, raw.height)
    dominant = (turn.matrix[0], turn.matrix[1])
    kept = [c for c, d in zip(raw.chars, directions) if d == dominant]
    rotated = sum(1 for c, d in zip(raw.chars, directions) if d != dominant and c[0].strip())
    if not turn.turned:
        return RawPage(raw.number, raw.width, raw.height, kept, raw.boxes, raw.links, raw.tables, rotated, raw.unmapped)

    def box(x0: float, x1: float, top: float, bottom: float) -> tuple[float, float, float, float]:
        bx0, btop, bx1, bbottom = turn.box(x0, top, x1, bottom)
        return bx0, bx1, btop, bbottom

    chars = []
    for c in kept:
        x0, x1, top, bottom = box(c[1], c[2], c[3], c[4])
        chars.append((c[0], x0, x1, top, bottom, bottom - top, c[6], c[7]))
    chars.sort(key=lambda c: (round(c[4]), c[1]))
    return RawPage(
        raw.number,
        turn.width,
        turn.height,
        chars,
        [Box(*box(b.x0, b.x1, b.top, b.bottom), b.filled) for b in raw.boxes],
        [Link(k.uri, *box(k.x0, k.x1, k.top, k.bottom)) for k in raw.links],
        [TableGrid(*box(t.x0, t.x1, t.top, t.bottom), t.rows) for t in raw.tables],
        rotated,
        raw.unmapped,
        turn,
    )


def check_header(path: Path) -> None:
    """Raise EmptyFile or NotAPdf before any parser sees the file."""
    with open(path, "rb") as f:
        head = f.read(HEADER_BYTES)
    if not head:
        raise EmptyFile(f"{path.name} is empty (0 bytes)")
    if b"%PDF-" not in head:
        raise NotAPdf(f"{path.name} is not a PDF (no %PDF- header)")
