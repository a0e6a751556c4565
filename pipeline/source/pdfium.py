"""The default character source (`--engine pdfium`): pdfium reads the content streams.

pdfminer interprets a page's content stream in Python, which is most of what
extraction costs; pdfium (through pypdfium2, which pdfplumber installs anyway)
does it in C++. Only that part changes hands: pdfminer still opens the file,
sets up the pages (page tree, boxes, rotation, every classified error),
reads the metadata and the link annotations and checks damaged content
streams, which costs little, so both engines agree on everything but the
characters and drawings themselves.

Those are given in pdfminer's terms, so that the records are the ones the
pdfplumber engine makes: a character's box runs from its origin as wide as
its advance, which pdfminer's widths of the page's fonts give (pdfium finds a
width by Unicode, the wrong glyph where a font's codes are not Unicode), and
a font size high from the font's descent; it is upright when its matrix on
the page (pdfminer's page matrix included, for rotated pages) neither mirrors
nor turns it, and a glyph set sideways or upside down takes pdfminer's box
turned with it; a ligature glyph is one character even where pdfium splits
its text; paths become rectangles, lines and curves by pdfminer's own rules;
colours are what a viewer shows, as both engines give them (see
`common.displayed_cmyk`). What remains different: pdfium computes in single
precision (coordinates agree to about 1e-4 pt); it orders the glyphs of a
line by position where the content stream draws them otherwise (layout sorts
them anyway); a space glyph drawn after a kerning offset, which pdfium
replaces by one it makes up, is given back with an estimated width (and a
lone space glyph in a text object of its own, which pdfium leaves out, with
the font's width); where a font maps glyphs of
different widths to one text, the one drawn is told from where the next glyph
starts; and it counts a glyph as unmapped by its own judgement of the font's
encoding. Both engines give identical tables on both typesettings of the
sample (tests/test_engines.py); on other documents the tables can differ
(README, "Performance").
"""

from __future__ import annotations

import ctypes
import re
from pathlib import Path
from typing import NamedTuple, cast

import pypdfium2 as pdfium
import pypdfium2.raw as fpdf
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdffont import PDFCIDFont, PDFFont
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFObjRef, dict_value, resolve1
from pdfminer.psparser import LIT
from pdfplumber.container import Container
from pdfplumber.page import Page as PlumberPage
from pdfplumber.page import fix_fontname_bytes
from pdfplumber.table import TableFinder, TableSettings

from compendium_corpus.errors import Unreadable
from compendium_corpus.inflation import InflationGuard
from compendium_corpus.model import BLACK, Box, Diagnostics, TableGrid
from compendium_corpus.orientation import UPRIGHT, direction
from compendium_corpus.source.common import (
    BYTE,
    HALF_TURN,
    MIN_RULED_SHAPES,
    NO_BREAK_SPACE,
    QUARTER_TURN,
    Char,
    Interned,
    RawPage,
    check_content,
    displayed_size,
    extra,
    links,
    read_upright,
)
from compendium_corpus.source.pdfminer import SourcePdf, open_pdfminer

SAME_POINT = 0.01  # points: two positions closer than this are one (pdfium computes in single precision)
SAME_BASELINE = 0.1  # ems: glyphs whose baselines differ by less share one
SPACE_WIDTH = 0.25  # ems: the width of a space glyph whose font does not say
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_ADVANCE = 4  # ems: a glyph advance beyond this is not one (a font's width table gone wrong)
BEZIER_POINTS = 3  # a curve segment is drawn through three points; its end point is the third
CLOSED_BY_HAND = 4  # path operations (move, two lines or more, a line back) of a shape closed without h

CONTROL_CODES = 0x20  # below this a "character" is a control code: a glyph's code pdfium gave as its text
SIMPLE_CODES = 256
FORM_DEPTH = 3  # forms within forms whose fonts are looked for  # a simple font's codes are single bytes
LITERAL_FORM = LIT("Form")
SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")  # "ABCDEF+Garamond": a subset of Garamond
GENERATED = {"\r", "\n", "\x02"}  # line ends and soft hyphens pdfium makes up, besides the spaces it flags


def open_pdfium(path: Path, password: str | None = None) -> PdfiumSource:
    plumber = open_pdfminer(path, password)  # every classified failure, as with the other engine
    try:
        document = pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError:
        document = None  # pdfminer repairs files pdfium refuses: its pages are then read by pdfminer
    except BaseException:
        plumber.close()
        raise
    return PdfiumSource(plumber.pdf, plumber.pages, document, path, password)


class PdfiumSource(SourcePdf):
    engine = "pdfium"

    def __init__(self, pdf, pages, document: pdfium.PdfDocument | None, path=None, password=None):
        super().__init__(pdf, pages, path, password)
        self.document = document
        self.fell_back = False
        self.guard = InflationGuard()
        self.fonts = _FontMetrics(pdf.rsrcmgr)

    def read(self, number: int, diagnostics: Diagnostics) -> RawPage:
        page = self.pages[number - 1]
        if isinstance(page, Exception):
            raise page
        if self.document is not None:
            self.guard.check_page(page.page_obj)
        handle = fpdf.FPDF_LoadPage(self.document.raw, number - 1) if self.document is not None else None
        if not handle:
            self._fall_back(number, diagnostics)
            return super().read(number, diagnostics)
        try:
            reader = _PageReader(handle, page, self.interned, self.fonts.of_page(page))
            chars, directions, unmapped = reader.chars()
            shapes = reader.shapes()
            reader.add_inkless_spaces(chars, directions)
            sideways = reader.sideways
        finally:
            fpdf.FPDF_ClosePage(handle)
        if not (chars or unmapped):
            check_content(page)
        boxes = [Box(*s.box, s.fill) for s in shapes if s.kind == "rect"] + [
            Box(*s.box, s.fill) for s in shapes if s.kind == "line"
        ]
        upright = [c for c, d in zip(chars, directions) if d == UPRIGHT]
        raw = RawPage(
            number,
            *displayed_size(page),
            chars,
            boxes,
            extra(links, page, "links", diagnostics),
            extra(lambda p: _tables(p, shapes, upright, sideways), page, "ruled tables", diagnostics),
            0,
            unmapped,
        )
        page.close()
        return read_upright(raw, directions)

    def _fall_back(self, number: int, diagnostics: Diagnostics) -> None:
        if not self.fell_back:
            self.fell_back = True
            diagnostics.add(
                "engine-fallback",
                f"page {number}: pdfium could not {'load this page' if self.document else 'open the file'}"
                "; such pages are read by pdfminer",
                page=number,
            )

    def close(self) -> None:
        self.close_pdfium()
        super().close()

    def close_pdfium(self) -> None:
        """Close pdfium's document only (pdfminer's may be another source's, see `beside`)."""
        if self.document is not None:
            self.document.close()
            self.document = None

    def forked(self) -> PdfiumSource:
        """This source in a process forked from the one that opened it (a page reader):
        pdfminer's pages are shared (see `SourcePdf.forked`), pdfium's document is opened
        again, as pdfium reads its file at an offset both processes would move."""
        if self.document is None or self.path is None:
            return PdfiumSource(self.pdf, self.pages, None, self.path, self.password)
        return PdfiumSource(
            self.pdf,
            self.pages,
            pdfium.PdfDocument(str(self.path), password=self.password or None),
            self.path,
            self.password,
        )

    @classmethod
    def beside(cls, source: SourcePdf) -> PdfiumSource | None:
        """pdfium reading the pages a pdfminer source has set up (None if pdfium cannot open the file)."""
        if source.path is None:
            return None
        try:
            document = pdfium.PdfDocument(str(source.path), password=source.password or None)
        except pdfium.PdfiumError:
            return None
        return cls(source.pdf, source.pages, document, source.path, source.password)


class _TextObject:
    """What all glyphs of one pdfium text object share: its matrix (the glyph's, without
    the page's), font, colour, size and descent, and what follows from them."""

    __slots__ = (
        "obj",
        "address",
        "matrix",
        "style",
        "font",
        "colour",
        "size",
        "descent",
        "upright",
        "forwards",
        "horizontal",
        "direction",
        "height",
        "rise",
        "simple",
        "widths",
        "glyphs",
        "advances",
    )

    def __init__(
        self, obj, matrix: tuple, ctm: tuple, style: tuple[str, tuple, float, float], metrics: _Metrics | None
    ):
        self.obj, self.address, self.matrix, self.style = obj, _address(obj), matrix, style
        # pdfminer's metrics of the page's font of this name, if it has them
        self.widths = metrics.widths if metrics is not None else None
        self.glyphs = metrics.glyphs if metrics is not None else {}
        self.advances: dict[str, list[float]] = {}  # by text: the advances on the page, see _advances
        self.font, self.colour, self.size, self.descent = style
        ma, mb, mc, md = matrix
        pa, pb, pc, pd, _, _ = ctm
        a, b, c, d = ma * pa + mb * pc, ma * pb + mb * pd, mc * pa + md * pc, mc * pb + md * pd
        self.upright = a * d > 0 and b * c <= 0  # pdfminer's test, on the page as displayed
        # the box from the origin rightwards holds for glyphs that advance rightwards and
        # stand on their baseline; others (sideways, upside down) take pdfminer's box turned
        self.forwards = ma > 0 and md > 0
        self.horizontal = ma > 0 and mb == 0 and mc == 0
        self.direction = direction(a, b)
        self.height = self.size * md
        self.rise = self.descent * md  # from the baseline to the bottom of the box
        self.simple = self.upright and self.forwards and self.height > 0  # see _PageReader._chars


def _codes(textpage, count: int) -> list[int]:
    """Each glyph's Unicode, from the page's text in one call where it holds one character
    per glyph (pdfium leaves some out, and writes U+FFFE for several codes), else glyph by glyph."""
    get_unicode = fpdf.FPDFText_GetUnicode
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    written = fpdf.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: max(0, written - 1) * 2].decode("utf-16-le", "surrogatepass")
    if len(text) != count:
        return [get_unicode(textpage, i) for i in range(count)]
    return [get_unicode(textpage, i) if ch == "\ufffe" else ord(ch) for i, ch in enumerate(text)]


def _loose_box(textpage, index: int) -> tuple[float, float, float, float]:
    rect = fpdf.FS_RECTF()
    fpdf.FPDFText_GetLooseCharBox(textpage, index, ctypes.byref(rect))
    return rect.left, rect.bottom, rect.right, rect.top


def _plain(function, restype, *argtypes):
    """A pdfium function called with plain addresses and numbers: ctypes passes those at
    half the cost of pypdfium2's typed pointers, which counts on every glyph."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value or 0)


# a glyph's text object (its address, as an int), origin and whether pdfium could map its code
_object_address = _plain(fpdf.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_origin = _plain(
    fpdf.FPDFText_GetCharOrigin, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p
)
_map_error = _plain(fpdf.FPDFText_HasUnicodeMapError, ctypes.c_int, ctypes.c_void_p, ctypes.c_int)


def _address(obj) -> int | None:
    """A pdfium object's address: what tells its objects apart."""
    return ctypes.cast(obj, ctypes.c_void_p).value


def _literal(name) -> str:
    """A PDF name as text (pdfminer keeps names as PSLiteral objects)."""
    return str(getattr(name, "name", name))


class _Metrics(NamedTuple):
    """What pdfminer reads a font's glyphs with, at size 1."""

    widths: dict[str, tuple[float, ...]]  # by the text a glyph maps to: the widths of the glyphs mapped to it
    glyphs: dict[int, tuple[str, float]]  # by code: the glyph's text and width
    descent: float
    name: str  # the font's name as pdfminer gives it (its descriptor's, where pdfium gives the dictionary's)


def _font_specs(resources, depth: int = 0) -> list:
    """The font dictionaries (or references) of a resource dictionary and of the forms it
    holds, `FORM_DEPTH` forms deep at most (forms may nest, and refer to themselves)."""
    specs: list = []
    try:
        resources = dict_value(resolve1(resources))
        specs += list(dict_value(resolve1(resources.get("Font"))).values())
        if depth < FORM_DEPTH:
            for xobject in dict_value(resolve1(resources.get("XObject"))).values():
                stream = resolve1(xobject)
                if getattr(stream, "attrs", {}).get("Subtype") is LITERAL_FORM:
                    specs += _font_specs(stream.attrs.get("Resources"), depth + 1)
    except Exception:  # no or broken resources: pdfium's metrics serve
        pass
    return specs


class _FontMetrics:
    """pdfminer's metrics of a document's fonts, by the font's name (without a subset
    prefix, as pdfium names it), found without interpreting the page."""

    def __init__(self, resources: PDFResourceManager):
        self.resources = resources
        self.fonts: dict[int, _Metrics] = {}  # by font object number

    def of_page(self, page: PlumberPage) -> dict[str, _Metrics | None]:
        """The metrics of the page's fonts by name, those its forms (figures drawn as form
        XObjects) use included; None for a name two fonts of different metrics share
        (pdfium's own are used for those)."""
        found: dict[str, _Metrics | None] = {}
        for spec in _font_specs(page.page_obj.resources):
            try:
                objid = spec.objid if isinstance(spec, PDFObjRef) else None
                metrics = self._metrics(objid, self.resources.get_font(objid, dict_value(spec)))
            except Exception:  # a font pdfminer cannot load: pdfium's metrics serve
                continue
            name = SUBSET_PREFIX.sub("", _literal(resolve1(dict_value(spec).get("BaseFont"))))
            found[name] = metrics if found.get(name, metrics) == metrics else None
        return found

    def _metrics(self, objid: int | None, font: PDFFont) -> _Metrics:
        if objid is not None and objid in self.fonts:
            return self.fonts[objid]
        glyphs: dict[int, tuple[str, float]] = {}
        if isinstance(font, PDFCIDFont):
            codes = list(font.unicode_map.cid2unichr) if font.unicode_map else []
        else:
            codes = list(range(SIMPLE_CODES))
        for code in codes:
            try:
                glyphs[code] = font.to_unichr(code).replace(NO_BREAK_SPACE, " "), font.char_width(code)
            except Exception:  # a code the font maps to no text
                continue
        widths: dict[str, set[float]] = {}
        for text, width in glyphs.values():
            widths.setdefault(text, set()).add(width)
        name = font.fontname
        name = fix_fontname_bytes(name) if isinstance(name, bytes) else _literal(name)
        found = _Metrics(
            {text: tuple(sorted(options)) for text, options in widths.items()}, glyphs, font.get_descent(), name
        )
        if objid is not None:
            self.fonts[objid] = found
        return found


class _Shape:
    __slots__ = ("kind", "box", "fill", "pts", "y0", "y1")

    def __init__(self, kind: str, box: tuple[float, float, float, float], fill: bool, pts: list, y0: float, y1: float):
        self.kind, self.box, self.fill, self.pts, self.y0, self.y1 = kind, box, fill, pts, y0, y1


def _page_matrix(page: PlumberPage) -> tuple:
    """pdfminer's matrix from user space to its device space (PDFPageInterpreter.process_page)."""
    x0, y0, x1, y1 = page.page_obj.mediabox
    rotate = page.page_obj.rotate
    if rotate == QUARTER_TURN:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == HALF_TURN:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == QUARTER_TURN + HALF_TURN:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def _mult(m1: tuple, m0: tuple) -> tuple:
    """m1 then m0 (pdfminer's mult_matrix)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


class _PageReader:
    """One pdfium page in pdfplumber's coordinates: x from the left edge, top and bottom
    from the top edge of the MediaBox, as pdfplumber computes them from pdfminer's."""

    def __init__(self, handle, page: PlumberPage, interned: Interned, fonts: dict[str, _Metrics | None]):
        self.handle, self.interned, self.fonts = handle, interned, fonts
        self.ctm = _page_matrix(page)
        self.height = page.height
        self.mb_x0, self.mb_top = page.mediabox[:2]
        self.sideways: list[tuple] = []  # (text, x0, x1, top, bottom) of the characters not upright
        self.advances: dict[tuple, dict[str, list[float]]] = {}  # shared by text objects, see _described
        self.typefaces: dict[tuple, tuple[str, float, _Metrics | None]] = {}  # by font and size, see _described
        self.read_objects: set[int | None] = set()  # addresses of the text objects pdfium's text holds
        self.unread: list[tuple] = []  # the page's other text objects and their forms' matrix, see add_inkless_spaces

    def _box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """A user-space rectangle as (x0, x1, top, bottom) in pdfplumber's terms."""
        a, b, c, d, e, f = self.ctm
        if b == c == 0 and a == d == 1:  # a page not rotated (most): the same, without the products
            x0, x1, y0, y1 = left + e, right + e, bottom + f, top + f
            if x0 > x1:
                x0, x1 = x1, x0
            if y0 > y1:
                y0, y1 = y1, y0
        else:
            xs = (a * left + c * bottom + e, a * right + c * top + e)
            ys = (b * left + d * bottom + f, b * right + d * top + f)
            x0, x1 = min(xs), max(xs)
            y0, y1 = min(ys), max(ys)
        if self.mb_x0 != 0:
            x0, x1 = x0 + self.mb_x0, x1 + self.mb_x0
        return x0, x1, (self.height - y1) + self.mb_top, (self.height - y0) + self.mb_top

    def chars(self) -> tuple[list[Char], list[tuple[int, int]], int]:
        textpage = fpdf.FPDFText_LoadPage(self.handle)
        if not textpage:
            raise Unreadable("pdfium could not read its text")
        try:
            return self._chars(textpage)
        finally:
            fpdf.FPDFText_ClosePage(textpage)

    def _chars(self, textpage) -> tuple[list[Char], list[tuple[int, int]], int]:
        """Each glyph in pdfminer's terms. Every pdfium call costs more than the arithmetic
        around it, so a page's text is asked for at once, and what is the same for all
        glyphs of one text object (matrix, font, colour, direction) once per object."""
        count = fpdf.FPDFText_CountChars(textpage)
        codes = _codes(textpage, count)
        is_generated, is_hyphen = fpdf.FPDFText_IsGenerated, fpdf.FPDFText_IsHyphen
        page_text = _address(textpage)
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        ox_p, oy_p = ctypes.addressof(origin_x), ctypes.addressof(origin_y)
        objects: dict[int | None, _TextObject] = {}  # by address
        chars: list[Char] = []
        directions: list[tuple[int, int]] = []
        unmapped = 0
        previous = (
            None  # (object address, origin, index) of the last glyph kept: a ligature's parts share all but the index
        )
        end = None  # (right edge, baseline, size) in user space of the glyph before, upright or not
        space = None  # (left, right, baseline) of a space glyph pdfium replaced, if the next glyph leaves room
        # most glyphs are upright, of one width, on a page pdfminer does not turn: their box is
        # _glyph's, worked out here without the calls (the same operations, the same values)
        unturned = self.ctm[:4] == (1, 0, 0, 1)
        e, f, mb_x0 = self.ctm[4], self.ctm[5], self.mb_x0
        page_top = self.height
        mb_top = self.mb_top
        for i in range(count):
            code = codes[i]
            if code == 2 and is_hyphen(textpage, i):
                code = 0x2D  # a hyphen ending a line, which pdfium marks (its glyph is printed)
            text = chr(code) if code < 0x110000 else "\ufffd"
            if text == NO_BREAK_SPACE:
                text = " "
            if text in GENERATED or text == " " and is_generated(textpage, i):
                space = self._replaced_space(textpage, i, end) if text == " " and end else None
                previous = end = None
                continue
            address = _object_address(page_text, i)
            _origin(page_text, i, ox_p, oy_p)
            ox, oy = origin_x.value, origin_y.value
            if previous and previous[1] == ox and previous[0] == address and previous[2] == oy and chars:
                box = _loose_box(textpage, i)
                if box == _loose_box(textpage, previous[3]):  # a ligature: one glyph whose text pdfium split
                    last = chars[-1]
                    ligature = last[0] + text
                    advances = self._advances(objects[address], ligature)  # the ligature glyph's own
                    right = ox + advances[0] if advances else box[2]
                    chars[-1] = (ligature, last[1], self._box(ox, box[1], right, box[3])[1], *last[3:])
                    end = (right, end[1], end[2]) if end else None
                    continue
            found = objects.get(address)
            if found is None:
                found = objects[address] = self._text_object(textpage, i)
            if found.upright and (_map_error(page_text, i) or code == 0xFFFE or code == 0):
                # pdfium gives an unmapped glyph's code as its text: pdfminer's font may map it
                known = found.glyphs.get(code) if code not in (0, 0xFFFE) else None
                if known is None:
                    unmapped += 1
                    previous = end = space = None
                    continue
                text = known[0]
            elif code < CONTROL_CODES and code in found.glyphs:  # a code pdfium took for text, pdfminer's font maps
                text = found.glyphs[code][0]
            if found.simple and unturned and space is None:
                options = found.advances.get(text)
                if options is None:
                    options = found.advances[text] = self._advances(found, text)
                if len(options) == 1:
                    right = ox + options[0]
                    bottom_y = oy + found.rise
                    y0, y1 = bottom_y + f, (bottom_y + found.height) + f
                    top, bottom = (page_top - y1) + mb_top, (page_top - y0) + mb_top
                    chars.append(
                        (
                            text,
                            (ox + e) + mb_x0,
                            (right + e) + mb_x0,
                            top,
                            bottom,
                            bottom - top,
                            found.font,
                            found.colour,
                        )
                    )
                    directions.append(found.direction)
                    end = (right, oy, found.height) if found.horizontal else None
                    previous = (address, ox, oy, i)
                    continue
            glyphs, right = self._glyph(textpage, i, found, text, ox, oy, space)
            for glyph, x0, x1, top, bottom in glyphs:
                if not found.upright:
                    self.sideways.append((glyph, x0, x1, top, bottom))  # ruled tables read them as pdfplumber does
                chars.append((glyph, x0, x1, top, bottom, bottom - top, found.font, found.colour))
                directions.append(found.direction)
            space = None
            end = (right, oy, found.height) if found.horizontal else None
            previous = (address, ox, oy, i) if found.upright else None
        self.read_objects = set(objects)
        return chars, directions, unmapped

    def add_inkless_spaces(self, chars: list[Char], directions: list[tuple[int, int]]) -> None:
        """pdfium's text leaves out a text object that draws no ink: a lone space glyph,
        which is how Word sets a tab ("1.<tab>Policy context"), and pdfminer's glyph. Such an
        object becomes that space: at its origin (through the matrices of the forms it is
        drawn in), as wide as the font's space, unless a space stands there already. Call
        after `shapes`, which finds them."""
        taken = {(round(c[1]), round(c[4])) for c in chars if c[0] == " "}
        for obj, form in self.unread:
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            matrix, size = fpdf.FS_MATRIX(), ctypes.c_float()
            if not (
                fpdf.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
                and right.value - left.value < SAME_POINT
                and fpdf.FPDFPageObj_GetMatrix(obj, matrix)
                and fpdf.FPDFTextObj_GetFontSize(obj, size)
            ):
                continue
            a, b, c, d, e, f = _mult((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), form)
            found = self._described(obj, (a, b, c, d), size.value)
            if not (found.upright and found.forwards and found.horizontal):
                continue
            advance = (self._advances(found, " ") or [SPACE_WIDTH * found.size * a])[0]
            bottom_y = f + found.descent * d
            x0, x1, top_, bottom_ = self._box(e, bottom_y, e + advance, bottom_y + found.height)
            if (round(x0), round(bottom_)) in taken:
                continue
            chars.append((" ", x0, x1, top_, bottom_, bottom_ - top_, found.font, found.colour))
            directions.append(found.direction)

    def _text_object(self, textpage, index: int) -> _TextObject:
        obj = fpdf.FPDFText_GetTextObject(textpage, index)
        matrix = fpdf.FS_MATRIX()
        fpdf.FPDFText_GetMatrix(textpage, index, ctypes.byref(matrix))
        return self._described(
            obj, (matrix.a, matrix.b, matrix.c, matrix.d), fpdf.FPDFText_GetFontSize(textpage, index)
        )

    def _described(self, obj, matrix: tuple, size: float) -> _TextObject:
        """A text object with its style. A page's objects share a few fonts at a few sizes,
        so what a font at a size gives is worked out once (see `_typeface`)."""
        font = fpdf.FPDFTextObj_GetFont(obj)
        key = (_address(font), size)
        typeface = self.typefaces.get(key)
        if typeface is None:
            typeface = self.typefaces[key] = self._typeface(font, size)
        name, descent, metrics = typeface
        found = _TextObject(obj, matrix, self.ctm, (name, self._colour(obj), size, descent), metrics)
        if metrics is not None:  # the same font at the same size and scale advances alike in every object
            found.advances = self.advances.setdefault((id(metrics), size, matrix[0]), {})
        return found

    def _typeface(self, font, size: float) -> tuple[str, float, _Metrics | None]:
        """A font's name, its descent at `size`, and pdfminer's metrics of the page's font of
        its name where the page has one, whose name and descent then serve (pdfium's descent
        is not the font descriptor's)."""
        descent = ctypes.c_float()
        if not (font and fpdf.FPDFFont_GetDescent(font, ctypes.c_float(size), descent)):
            descent.value = 0.0
        name = ""
        if font:
            length = fpdf.FPDFFont_GetBaseFontName(font, None, 0)
            if length:
                buffer = ctypes.create_string_buffer(length)
                fpdf.FPDFFont_GetBaseFontName(font, buffer, length)
                name = buffer.value.decode("utf-8", "replace")
        if name in FONT_METRICS:  # pdfminer takes a standard font's metrics from its own tables
            descent.value = float(FONT_METRICS[name][0].get("Descent", 0)) * size / 1000  # type: ignore[arg-type]
        metrics = self.fonts.get(SUBSET_PREFIX.sub("", name))
        if metrics is not None:
            return self.interned.font(metrics.name), metrics.descent * size, metrics
        return self.interned.font(name), descent.value, None

    def _glyph(
        self, textpage, index: int, found: _TextObject, text: str, ox: float, oy: float, space: tuple | None
    ) -> tuple[list[tuple[str, float, float, float, float]], float]:
        """pdfminer's box of a glyph (from the origin, the advance wide and the font size
        high, its bottom at the font's descent; turned with a glyph set sideways or upside
        down), with the space glyph pdfium replaced before it where it fits between its
        neighbours; and the glyph's right edge in user space."""
        md = found.matrix[3]
        options = found.advances.get(text)
        if options is None:
            options = found.advances[text] = self._advances(found, text)
        advance = (
            options[0]
            if len(options) == 1
            else self._nearest(textpage, index, found, text, ox, options)
            if options
            else 0
        )
        box = None
        if advance > 0:
            right = ox + advance
        else:  # no width known: the loose box, as wide as it is, from the origin
            box = _loose_box(textpage, index)
            right = box[2] if box[0] >= ox - SAME_POINT else ox + (box[2] - box[0])
        bottom_y = oy + found.descent * md
        height = found.size * md
        spans = [(text, ox, right)]
        if space and space[1] <= ox + SAME_POINT and abs(space[2] - oy) < SAME_BASELINE * height:
            spans.insert(0, (" ", space[0], space[1]))
        if found.forwards:
            return [(glyph, *self._box(left, bottom_y, end, bottom_y + height)) for glyph, left, end in spans], right
        turned = self._turned_box(found.matrix, ox, oy, box or _loose_box(textpage, index), found.size, found.descent)
        return [(glyph, *turned) for glyph, _, _ in spans], right

    def _turned_box(
        self, matrix: tuple, ox: float, oy: float, box: tuple, size: float, descent: float
    ) -> tuple[float, float, float, float]:
        """pdfminer's box of a glyph whose baseline is not horizontal: from the origin along
        the baseline as far as the glyph's box reaches (its advance), and across it from the
        font's descent a font size high, turned with the glyph's matrix."""
        ma, mb, mc, md = matrix
        if abs(mb) > abs(ma):
            advance = (box[3] - oy if mb > 0 else oy - box[1]) / abs(mb)
        else:
            advance = (box[2] - ox if ma > 0 else ox - box[0]) / abs(ma) if ma else 0.0
        corners = [
            (ox + t * ma + u * mc, oy + t * mb + u * md) for t in (0.0, advance) for u in (descent, descent + size)
        ]
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        return self._box(min(xs), min(ys), max(xs), max(ys))

    def _replaced_space(self, textpage, index: int, end: tuple[float, float, float]) -> tuple | None:
        """pdfium replaces a space glyph drawn after a kerning offset (justified lines) by
        one it makes up and flags as generated; unlike a space it makes up for a bare gap,
        that one belongs to the text object it was drawn in, and sits where the glyph was
        drawn: past the end of the glyph before it, and (checked by the caller) ending
        before the glyph after it. It is pdfminer's space glyph and is given back, with the
        width of the font's space (a quarter em where the font does not say)."""
        right, baseline, size = end
        obj = fpdf.FPDFText_GetTextObject(textpage, index)
        if not obj:
            return None
        x, y = ctypes.c_double(), ctypes.c_double()
        fpdf.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y))
        if not (right + SAME_POINT < x.value < right + size and abs(y.value - baseline) < SAME_BASELINE * size):
            return None
        font, width = fpdf.FPDFTextObj_GetFont(obj), ctypes.c_float()
        if not (
            font
            and fpdf.FPDFFont_GetGlyphWidth(font, ord(" "), ctypes.c_float(size), ctypes.byref(width))
            and 0 < width.value < size
        ):
            width.value = SPACE_WIDTH * size
        return x.value, x.value + width.value, baseline

    def _advances(self, found: _TextObject, text: str) -> list[float]:
        """The advances on the page a glyph of a text object may have (none when they cannot
        be told or it does not advance rightwards; several where the font maps glyphs of
        different widths to its text, lining and superscript figures). pdfminer's widths of
        the page's font of that name come first: pdfium looks a width up by Unicode, and
        finds one glyph of several, or the wrong one, where the font's codes are not Unicode."""
        scale = found.matrix[0]
        if scale <= 0:
            return []
        if found.widths is not None and text in found.widths:
            options = [width * found.size for width in found.widths[text]]
        else:
            font = fpdf.FPDFTextObj_GetFont(found.obj)
            width = ctypes.c_float()
            ok = (
                font
                and len(text) == 1
                and fpdf.FPDFFont_GetGlyphWidth(font, ord(text), ctypes.c_float(found.size), ctypes.byref(width))
            )
            options = [width.value] if ok else []
        return [w * scale for w in options if 0 < w < MAX_ADVANCE * found.size]

    @staticmethod
    def _nearest(textpage, index: int, found: _TextObject, text: str, origin: float, options: list[float]) -> float:
        """Of a glyph's possible advances, the one that brings it nearest the origin of the
        glyph drawn right after it in its text object (a kerning offset or character
        spacing between them is far smaller than the difference of two glyphs' widths).
        Where a gap parts them (pdfium made a space up for it), the one pdfium itself finds
        by the text, if it is one of them; the narrowest when no glyph of its object follows."""
        count = fpdf.FPDFText_CountChars(textpage)
        following = index + 1
        while following < count and fpdf.FPDFText_IsGenerated(textpage, following):
            following += 1
        if following == count or found.address != _address(fpdf.FPDFText_GetTextObject(textpage, following)):
            return options[0]
        if following == index + 1:
            x, y = ctypes.c_double(), ctypes.c_double()
            fpdf.FPDFText_GetCharOrigin(textpage, following, ctypes.byref(x), ctypes.byref(y))
            return min(options, key=lambda advance: abs(origin + advance - x.value))
        font, width = fpdf.FPDFTextObj_GetFont(found.obj), ctypes.c_float()
        if font and len(text) == 1 and fpdf.FPDFFont_GetGlyphWidth(font, ord(text), ctypes.c_float(found.size), width):
            own = width.value * found.matrix[0]
            closest = min(options, key=lambda advance: abs(advance - own))
            if abs(closest - own) < SAME_POINT:
                return closest
        return options[0]

    def _colour(self, obj) -> tuple:
        r, g, b, alpha = (ctypes.c_uint() for _ in "rgba")
        if fpdf.FPDFPageObj_GetFillColor(obj, r, g, b, alpha):
            return self.interned.colour((r.value / BYTE, g.value / BYTE, b.value / BYTE))
        return self.interned.colour(BLACK)

    # --- drawings ----------------------------------------------------------------------------

    def shapes(self) -> list[_Shape]:
        out: list[_Shape] = []
        self._walk(
            [fpdf.FPDFPage_GetObject(self.handle, i) for i in range(fpdf.FPDFPage_CountObjects(self.handle))], out
        )
        return out

    def _walk(self, objects: list, out: list[_Shape], form: tuple = IDENTITY) -> None:
        """The page's paths into shapes, and its text objects pdfium's text left out into
        `unread`, each through the matrix of the forms it is drawn in (`form`: pdfium gives
        an object's matrix within its form)."""
        matrix = fpdf.FS_MATRIX()
        for obj in objects:
            kind = fpdf.FPDFPageObj_GetType(obj)
            if kind == fpdf.FPDF_PAGEOBJ_FORM:
                fpdf.FPDFPageObj_GetMatrix(obj, matrix)
                inner = _mult((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), form)
                children = [fpdf.FPDFFormObj_GetObject(obj, i) for i in range(fpdf.FPDFFormObj_CountObjects(obj))]
                self._walk(children, out, inner)
            elif kind == fpdf.FPDF_PAGEOBJ_TEXT and _address(obj) not in self.read_objects:
                self.unread.append((obj, form))
            elif kind == fpdf.FPDF_PAGEOBJ_PATH:
                fill, stroke = ctypes.c_int(), ctypes.c_int()
                fpdf.FPDFPath_GetDrawMode(obj, fill, stroke)
                if fill.value == fpdf.FPDF_FILLMODE_NONE and not stroke.value:
                    continue  # a path nobody paints (pdfminer never sees one)
                fpdf.FPDFPageObj_GetMatrix(obj, matrix)
                m = _mult(_mult((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), form), self.ctm)
                self._path(obj, m, fill.value != fpdf.FPDF_FILLMODE_NONE, out)

    def _path(self, obj, m: tuple, fill: bool, out: list[_Shape]) -> None:
        """A path's segments as pdfminer's shape string and points, then pdfminer's rules
        (PDFLayoutAnalyzer.paint_path): one shape per subpath, a single segment is a line,
        a closed axis-parallel four-sided one a rectangle, anything else a curve."""
        a, b, c, d, e, f = m
        x, y = ctypes.c_float(), ctypes.c_float()
        ops: list[str] = []
        pts: list[tuple[float, float]] = []
        pending_curve = 0
        for i in range(fpdf.FPDFPath_CountSegments(obj)):
            segment = fpdf.FPDFPath_GetPathSegment(obj, i)
            fpdf.FPDFPathSegment_GetPoint(segment, x, y)
            kind = fpdf.FPDFPathSegment_GetType(segment)
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            if kind == fpdf.FPDF_SEGMENT_BEZIERTO:
                pending_curve += 1
                if pending_curve < BEZIER_POINTS:
                    continue  # control points: a curve's point is its end point
                pending_curve = 0
                ops.append("c")
            else:
                ops.append("m" if kind == fpdf.FPDF_SEGMENT_MOVETO else "l")
            pts.append(point)
            if fpdf.FPDFPathSegment_GetClose(segment):
                # pdfium closes a subpath with a line back to its start (a rectangle's `re`
                # too), pdfminer with an "h" standing for that line: one becomes the other.
                start = max((j for j, op in enumerate(ops) if op == "m"), default=0)
                if ops[-1] == "l" and pts[-1] == pts[start]:
                    ops[-1] = "h"
                else:
                    ops.append("h")
                    pts.append(pts[start])
        shape = "".join(ops)
        for match in re.finditer(r"m[^m]+", shape):
            self._subpath(shape[match.start() : match.end()], pts[match.start() : match.end()], fill, out)

    def _subpath(self, shape: str, pts: list, fill: bool, out: list[_Shape]) -> None:
        if len(shape) >= CLOSED_BY_HAND and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts = pts[:-2] + pts[-1:]
        if shape in ("mlh", "ml"):
            out.append(self._shape("line", pts[:2], fill))
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            )
            if pts[0] == pts[4] and square:
                out.append(self._shape("rect", [pts[0], pts[2]], fill))
            else:
                out.append(self._shape("curve", pts, fill))
        else:
            out.append(self._shape("curve", pts, fill))

    def _shape(self, kind: str, pts: list, fill: bool) -> _Shape:
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        if self.mb_x0 != 0:
            x0, x1 = x0 + self.mb_x0, x1 + self.mb_x0
            pts = [(px + self.mb_x0, py) for px, py in pts]
        top, bottom = (self.height - y1) + self.mb_top, (self.height - y0) + self.mb_top
        points = [(px, (self.height - py) + self.mb_top) for px, py in pts]
        return _Shape(kind, (x0, x1, top, bottom), fill, points, y0, y1)


# --- ruled tables ------------------------------------------------------------------------------


class _Drawn(Container):
    """Just enough of a pdfplumber page for its table finder: the drawings as pdfplumber's
    records, and the characters for the cells of a table found."""

    def __init__(self, page: PlumberPage, objects: dict):
        self.bbox = page.bbox
        self.page_number = page.page_number
        self._drawn = objects

    @property
    def objects(self) -> dict:
        return self._drawn


def _record(kind: str, shape: _Shape) -> dict:
    x0, x1, top, bottom = shape.box
    record = {
        "object_type": kind,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "y0": shape.y0,
        "y1": shape.y1,
        "width": x1 - x0,
        "height": bottom - top,
        "fill": shape.fill,
    }
    if kind == "curve":
        record["pts"] = shape.pts
    return record


def _tables(page: PlumberPage, shapes: list[_Shape], chars: list[Char], sideways: list[tuple]) -> list[TableGrid]:
    """Ruled tables by pdfplumber's table finder, fed with pdfium's drawings (as in source._tables)."""
    kinds: dict[str, list[dict]] = {"rect": [], "line": [], "curve": []}
    for shape in shapes:
        kinds[shape.kind].append(_record(shape.kind, shape))
    if len(kinds["rect"]) + len(kinds["line"]) < MIN_RULED_SHAPES:
        return []
    drawn = _Drawn(page, {k: v for k, v in kinds.items() if v})
    settings = TableSettings.resolve(None)
    tables = TableFinder(cast(PlumberPage, drawn), settings).tables  # _Drawn stands in for the page
    if not tables:
        return []
    drawn._drawn["char"] = [
        {
            "object_type": "char",
            "text": c[0],
            "x0": c[1],
            "x1": c[2],
            "top": c[3],
            "bottom": c[4],
            "doctop": c[3],
            "width": c[2] - c[1],
            "height": c[4] - c[3],
            "upright": upright,
        }
        for group, upright in ((chars, True), (sideways, False))
        for c in group
    ]
    grids = []
    for table in tables:
        rows = [[(cell or "").replace("\n", " ").strip() for cell in row] for row in table.extract()]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            x0, top, x1, bottom = table.bbox
            grids.append(TableGrid(x0, x1, top, bottom, rows))
    return grids
