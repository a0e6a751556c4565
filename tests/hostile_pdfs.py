"""Hostile PDFs as archives meet them: decompression bombs in each place a parser
inflates data, reference cycles, broken fonts, and sizes far past the ordinary
(20,000 pages, a million glyphs on a page). Each builder writes `path` and returns it;
`HOSTILE` names them all for the fuzz batch (bench/fuzz_batch.py).
"""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache
from pathlib import Path

from bad_pdfs import raw_pdf, surrogate_tounicode_pdf

BOMB = 2**30  # bytes a bomb inflates to: past any ceiling the tests and the fuzz batch set


@lru_cache(maxsize=4)
def inflating(head: bytes, size: int = BOMB, tail: bytes = b"") -> bytes:
    """Flate data of `head`, then `size` spaces (whitespace wherever a PDF parser looks),
    then `tail`: a megabyte that inflates to a gigabyte."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(head)]
    chunk = b" " * 2**24
    for _ in range(size // len(chunk)):
        parts.append(packer.compress(chunk))
    parts += [packer.compress(tail), packer.flush()]
    return b"".join(parts)


def stream(data: bytes, extra: bytes = b"/Filter /FlateDecode") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), extra, data)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 700 Td (Some words to read on the page.) Tj ET"


def _page(contents: bytes = b"4 0 R", font: bytes = b"5 0 R") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /Contents %s /Resources << /Font << /F1 %s >> >> >>" % (contents, font)


def content_bomb_pdf(path: Path) -> Path:
    """The page's content stream inflates to a gigabyte of spaces before its text."""
    return raw_pdf(path, [CATALOG, PAGES, _page(), stream(inflating(b"", tail=TEXT)), FONT])


def tounicode_bomb_pdf(path: Path) -> Path:
    """The font's ToUnicode map inflates to a gigabyte."""
    return raw_pdf(
        path,
        [
            CATALOG,
            PAGES,
            _page(),
            stream(TEXT, b""),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
            stream(inflating(b"/CIDInit /ProcSet findresource begin ")),
        ],
    )


def _xref_stream_pdf(
    path: Path, direct: list[bytes], packed: list[bytes] = (), padding: int = 0, xref_padding: int = 0
) -> Path:
    """Objects 1..n `direct`, then `packed` ones in an object stream (inflating `padding`
    spaces past them), then a cross-reference stream (inflating `xref_padding` more)."""
    out = bytearray(b"%PDF-1.7\n")
    entries = [(0, 0, 65535)]
    for number, body in enumerate(direct, start=1):
        entries.append((1, len(out), 0))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    if packed:
        holder = len(direct) + len(packed) + 1
        bodies, offsets, at = b"", [], 0
        for body in packed:
            offsets.append(b"%d %d" % (len(direct) + 1 + len(offsets), at))
            bodies += body + b"\n"
            at += len(body) + 1
        header = b" ".join(offsets) + b"\n"
        entries += [(2, holder, i) for i in range(len(packed))]
        data = inflating(header + bodies, padding) if padding else zlib.compress(header + bodies)
        entries.append((1, len(out), 0))
        out += b"%d 0 obj\n%s\nendobj\n" % (
            holder,
            stream(data, b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(packed), len(header))),
        )
    number = len(entries)
    entries.append((1, len(out), 0))
    rows = b"".join(struct.pack(">BIH", *e) for e in entries)
    data = inflating(rows, xref_padding) if xref_padding else zlib.compress(rows)
    start = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (
        number,
        stream(data, b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode" % (number + 1)),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % start
    Path(path).write_bytes(bytes(out))
    return Path(path)


def xref_stream_bomb_pdf(path: Path) -> Path:
    """The cross-reference stream inflates to a gigabyte: read before anything else."""
    return _xref_stream_pdf(path, [CATALOG, PAGES, _page(), stream(TEXT, b""), FONT], xref_padding=BOMB)


def object_stream_bomb_pdf(path: Path) -> Path:
    """The page tree sits in an object stream that inflates to a gigabyte."""
    return _xref_stream_pdf(
        path,
        [b"<< /Type /Catalog /Pages 4 0 R >>", stream(TEXT, b""), FONT],
        [
            b"<< /Type /Pages /Kids [5 0 R] /Count 1 /MediaBox [0 0 612 792] >>",
            _page(b"2 0 R", b"3 0 R").replace(b"/Parent 2 0 R", b"/Parent 4 0 R"),
        ],
        padding=BOMB,
    )


def page_tree_cycle_pdf(path: Path) -> Path:
    """The page tree's only kid is the tree itself."""
    return raw_pdf(path, [CATALOG, b"<< /Type /Pages /Kids [2 0 R] /Count 1 /MediaBox [0 0 612 792] >>"])


def form_cycle_pdf(path: Path) -> Path:
    """A form XObject that draws itself, for ever."""
    form = b"/X1 Do " + TEXT
    return raw_pdf(
        path,
        [
            CATALOG,
            PAGES,
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /X1 5 0 R >> "
            b"/Font << /F1 6 0 R >> >> >>",
            stream(b"/X1 Do", b""),
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject "
            b"<< /X1 5 0 R >> /Font << /F1 6 0 R >> >> /Length %d >>\nstream\n%s\nendstream" % (len(form), form),
            FONT,
        ],
    )


def many_pages_pdf(path: Path, pages: int = 20_000) -> Path:
    """`pages` pages sharing one content stream: a small file, a long document."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    return raw_pdf(
        path,
        [
            CATALOG,
            b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 612 792] >>" % (kids, pages),
            stream(TEXT, b""),
            FONT,
            *[b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"] * pages,
        ],
    )


def million_glyphs_pdf(path: Path, glyphs: int = 10**6) -> Path:
    """One page drawing `glyphs` characters in 2-point type."""
    line = b"(" + b"abcdefghij" * 50 + b") Tj T* "
    content = b"BT /F1 2 Tf 2 TL 10 790 Td " + line * (glyphs // 500) + b"ET"
    return raw_pdf(path, [CATALOG, PAGES, _page(), stream(zlib.compress(content)), FONT])


HOSTILE = {
    "bomb-content": content_bomb_pdf,
    "bomb-tounicode": tounicode_bomb_pdf,
    "bomb-xref-stream": xref_stream_bomb_pdf,
    "bomb-object-stream": object_stream_bomb_pdf,
    "cycle-page-tree": page_tree_cycle_pdf,
    "cycle-form": form_cycle_pdf,
    "tounicode-surrogate": surrogate_tounicode_pdf,
    "pages-20000": many_pages_pdf,
    "glyphs-1000000": million_glyphs_pdf,
}
