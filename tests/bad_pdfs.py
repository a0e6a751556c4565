"""Builders for the ways an uncurated PDF goes wrong, one function per situation.

Each writes `path` and returns it. They start from a small, valid text PDF
(fpdf2) and break one thing, so a test knows exactly what is wrong.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject

SENTENCE = "The EU and China should keep talking about trade, climate and security. "


def text_pdf(
    path: Path, pages: int = 3, compress: bool = True, title: str = "A tiny compendium", words: str = SENTENCE
) -> Path:
    doc = FPDF()
    doc.set_compression(compress)
    doc.set_title(title)
    for number in range(1, pages + 1):
        doc.add_page()
        doc.set_font("Helvetica", size=20)
        doc.cell(text=f"{title}, page {number}")
        doc.ln(20)
        doc.set_font("Helvetica", size=11)
        doc.multi_cell(0, 6, text=words * 8)
    doc.output(str(path))
    return Path(path)


def image_only_pdf(path: Path) -> Path:
    """A scan: one page holding a picture of text, no text layer."""
    picture = io.BytesIO()
    Image.new("L", (400, 560), 255).save(picture, format="PNG")
    doc = FPDF()
    doc.add_page()
    doc.image(picture, x=10, y=10, w=190)
    doc.output(str(path))
    return Path(path)


def rotated_pdf(path: Path, upright: str = "") -> Path:
    """Text turned 90 degrees, as on a landscape table page; `upright` text beside it, if given."""
    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=12)
    if upright:
        doc.text(20, 30, upright)
    with doc.rotation(90, x=100, y=150):
        doc.text(60, 150, "Firearm background checks by state and month")
    doc.output(str(path))
    return Path(path)


def edited_pdf(path: Path, edit: Callable[[PdfWriter], None], pages: int = 3) -> Path:
    """A valid text PDF rewritten by pypdf after `edit` changed its objects."""
    source = text_pdf(Path(path).with_suffix(".source"), pages=pages)
    writer = PdfWriter(clone_from=PdfReader(source))
    source.unlink()
    edit(writer)
    with open(path, "wb") as f:
        writer.write(f)
    return Path(path)


def encrypted_pdf(path: Path, user: str, owner: str = "owner") -> Path:
    return edited_pdf(path, lambda w: w.encrypt(user_password=user, owner_password=owner, algorithm="AES-256"))


def page_without_content_pdf(path: Path, page: int = 2) -> Path:
    """One page's /Contents points to a dictionary instead of a stream."""

    def edit(writer: PdfWriter) -> None:
        writer.pages[page - 1][NameObject("/Contents")] = writer._add_object(
            DictionaryObject({NameObject("/Foo"): NumberObject(1)})
        )

    return edited_pdf(path, edit)


def page_without_mediabox_pdf(path: Path, page: int = 2) -> Path:
    """One page has no /MediaBox, on itself or inherited: the page cannot even be set up."""

    def edit(writer: PdfWriter) -> None:
        for number, each in enumerate(writer.pages, start=1):
            if number != page:
                each[NameObject("/MediaBox")] = each.mediabox
            elif "/MediaBox" in each:
                del each[NameObject("/MediaBox")]
        del writer.root_object["/Pages"].get_object()[NameObject("/MediaBox")]

    return edited_pdf(path, edit)


def truncated_pdf(path: Path, keep: float = 0.5) -> Path:
    """The first part of a valid PDF, as left by an interrupted download."""
    data = text_pdf(path, compress=False).read_bytes()
    Path(path).write_bytes(data[: int(len(data) * keep)])
    return Path(path)


def unparsable_xref_pdf(path: Path) -> Path:
    """The cross-reference table's keyword is misspelt: a reader must rebuild it by scanning."""
    data = text_pdf(path, compress=False).read_bytes()
    Path(path).write_bytes(data.replace(b"\nxref\n", b"\nxrex\n"))
    return Path(path)


def wrong_xref_pdf(path: Path) -> Path:
    """Every cross-reference offset is wrong (shifted by 3 bytes), so a reader must rebuild the table."""
    data = text_pdf(path, compress=False).read_bytes()
    head, xref = data.split(b"\nxref\n", 1)
    xref = re.sub(rb"^(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m[1]) + 3), xref, flags=re.M)
    Path(path).write_bytes(head + b"\nxref\n" + xref)
    return Path(path)


def not_a_pdf(path: Path) -> Path:
    """A PNG saved under a .pdf name."""
    Image.new("RGB", (8, 8)).save(path, format="PNG")
    return Path(path)


def raw_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF from hand-written objects (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    Path(path).write_bytes(bytes(out))
    return Path(path)


def unmapped_glyphs_pdf(path: Path) -> Path:
    """Text set in a composite font with no ToUnicode map: glyph ids, but no characters."""
    content = b"BT /F1 14 Tf 72 700 Td <0041004200430044> Tj ET"
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /Glyphs /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Glyphs /DW 600"
            b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
        ],
    )


def zero_pages_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty."""
    return raw_pdf(path, [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def _simple_font_pdf(path: Path, font: bytes, extra: list[bytes] = (), text: bytes = b"(ABAB) Tj") -> Path:
    """One page of Helvetica-drawn text whose font dictionary is `font` (objects 5... are `extra`)."""
    content = b"BT /F1 14 Tf 72 700 Td (Plain words first, ) Tj %s ET" % text
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 %s >> >> >>"
            % (b"6 0 R" if extra else b"5 0 R"),
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            *extra,
            font,
        ],
    )


def surrogate_tounicode_pdf(path: Path) -> Path:
    """A font whose ToUnicode maps the code of "B" to U+D800, a lone surrogate no text may hold."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Broken def "
        b"1 begincodespacerange <00> <FF> endcodespacerange "
        b"1 beginbfchar <42> <D800> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    return _simple_font_pdf(
        path,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>",
        [b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap)],
    )


def surrogate_glyph_name_pdf(path: Path) -> Path:
    """A font whose encoding names the glyph of "B" `uniD800`: a lone surrogate again."""
    return _simple_font_pdf(
        path, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [66 /uniD800] >> >>"
    )
