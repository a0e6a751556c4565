"""The two character sources behind one character model: pdfium's records are pdfminer's
(to single precision), and the whole pipeline gives identical tables on both
typesettings of the sample whichever engine reads them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import bad_pdfs
import pdfs
import pyarrow.parquet as pq
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from compendium_corpus.lines import page_lines
from compendium_corpus.model import Diagnostics
from compendium_corpus.orientation import UPRIGHT
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.source import DEFAULT_ENGINE, ENGINES, RawPage, open_pdf, read_pages
from compendium_corpus.source.common import read_upright

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "compendium"
OTHER = next(e for e in ENGINES if e != DEFAULT_ENGINE)
TOLERANCE = 1e-3  # pdfium computes in single precision
BOX_STEP = 0.011  # boxes are rounded to a hundredth of a point: the engines may round apart by one step


def partitions(out: Path) -> dict:
    return {str(f.relative_to(out)): pq.read_table(f) for name in TABLES for f in (out / name).glob("*/*.parquet")}


@pytest.mark.slow
def test_both_engines_give_identical_tables_on_both_typesettings(sample_out, tmp_path):
    out = tmp_path / "out"
    run = subprocess.run(
        [CLI, "extract", ROOT / "raw", "--out", out, "--engine", OTHER, "--jobs", "2"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    a, b = partitions(sample_out), partitions(out)
    assert len(a) == 2 * len(TABLES) and a.keys() == b.keys()
    assert [key for key in a if not same_rows(a[key], b[key])] == []


def same_rows(a, b) -> bool:
    """Equal tables, boxes within a rounding step."""
    if "boxes" not in a.column_names:
        return a.equals(b)
    if not a.drop_columns(["boxes"]).equals(b.drop_columns(["boxes"])):
        return False
    boxes_a, boxes_b = ([box for boxes in t.column("boxes").to_pylist() for box in boxes] for t in (a, b))
    return len(boxes_a) == len(boxes_b) and all(
        p["page"] == q["page"] and all(abs(p[k] - q[k]) <= BOX_STEP for k in ("x0", "top", "x1", "bottom"))
        for p, q in zip(boxes_a, boxes_b)
    )


def drawn(path: Path, rotate: int = 0) -> Path:
    """Text in three fonts and colours, spaces kerned and missing, rectangles (`re`, a path closed
    by hand, one of zero height), lines, a curve, a link and a ruled 3x3 table."""
    c = canvas.Canvas(str(path), pagesize=A4)
    if rotate:
        c.setPageRotation(rotate)
    c.setFont("Helvetica-Bold", 16)
    c.setFillColorRGB(0.2, 0.3, 0.6)
    c.drawString(72, 780, "A heading in blue")
    c.setFont("Times-Roman", 10.5)
    c.setFillColorRGB(0, 0, 0)
    for i in range(6):
        c.drawString(72, 740 - 14 * i, f"Body line {i}: words, words and 12.5 numbers/slashes.")
    c.setFont("Times-Roman", 6)
    c.drawString(330, 744, "1")  # a raised note marker
    c.rect(60, 600, 200, 40, stroke=1, fill=0)
    c.rect(60, 560, 200, 0, stroke=0, fill=1)
    c.rect(60, 520, 200, 4, stroke=0, fill=1)
    path_ = c.beginPath()
    path_.moveTo(300, 600), path_.lineTo(500, 600), path_.lineTo(500, 640), path_.lineTo(300, 640), path_.close()
    c.drawPath(path_, stroke=1, fill=1)
    c.line(60, 500, 500, 500)
    c.bezier(60, 450, 100, 480, 200, 420, 260, 450)
    c.linkURL("https://example.org/report", (72, 736, 200, 750))
    for k in range(4):  # a ruled table
        c.line(300, 300 + 30 * k, 480, 300 + 30 * k)
        c.line(300 + 60 * k, 300, 300 + 60 * k, 390)
    # spaces after kerning offsets (pdfium swaps such a space glyph for one it makes up), and
    # words set apart by bare gaps with no space glyph (pdfminer has none, pdfium makes some up)
    c.setFont("Helvetica", 10)
    font = c._doc.getInternalFontName("Helvetica")
    c._code.append(f"BT {font} 10 Tf 72 200 Td [(kerned) -300 ( before) -250 ( the) 200 ( spaces)] TJ ET")
    x = 72
    for word in ("words", "without", "spaces"):
        c.drawString(x, 180, word)
        x += c.stringWidth(word, "Helvetica", 10) + 4
    c.setFont("Helvetica", 9)
    for row in range(3):
        for col in range(3):
            c.drawString(305 + 60 * col, 370 - 30 * row, f"r{row}c{col}")
    c.showPage()
    c.save()
    return path


def pages(path: Path, engine: str):
    diagnostics = Diagnostics()
    with open_pdf(path, None, engine) as pdf:
        return list(read_pages(pdf, diagnostics)), [
            {"code": d.code, "message": d.message, "page": d.page} for d in diagnostics.items
        ]


def close(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return abs(a - b) <= TOLERANCE
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    return a == b


@pytest.mark.parametrize("rotate", [0, 90])
def test_pdfium_records_are_pdfminers(tmp_path, rotate):
    pdf = drawn(tmp_path / "drawn.pdf", rotate)
    (a,), rows_a = pages(pdf, "pdfplumber")
    (b,), rows_b = pages(pdf, "pdfium")
    assert (a.width, a.height, a.rotated, a.unmapped) == (b.width, b.height, b.rotated, b.unmapped)
    key = lambda c: (round(c[4], 1), round(c[1], 1))  # noqa: E731 (pdfium may order a line's glyphs otherwise)
    # on a turned page pdfium drops a space glyph drawn after a kerning offset (the gap still
    # reads as a word space: the tables are the same, see test_turned_page_tables_are_the_same)
    printing = (lambda c: c[0] != " ") if rotate else (lambda c: True)  # noqa: E731
    chars_a = sorted(filter(printing, a.chars), key=key)
    chars_b = sorted(filter(printing, b.chars), key=key)
    assert "".join(c[0] for c in chars_a) == "".join(c[0] for c in chars_b)
    # x1 too: the advance from the font's widths, not pdfium's box around the ink (wider
    # where the ink sticks out: an italic, a roman r or a slash)
    assert all(close(x[1:6], y[1:6]) and x[6] == y[6] for x, y in zip(chars_a, chars_b))
    assert all(
        len(x[7]) == len(y[7]) and all(abs(u - v) <= 1 / 255 for u, v in zip(x[7], y[7]))
        for x, y in zip(chars_a, chars_b)
    )  # RGB colours, to pdfium's 8 bits
    assert len(a.boxes) == len(b.boxes) == 12  # 3 rectangles (not the flat one: a curve), 1 + 8 lines
    assert all(
        close((x.x0, x.x1, x.top, x.bottom), (y.x0, y.x1, y.top, y.bottom)) and x.filled == y.filled
        for x, y in zip(a.boxes, b.boxes)
    )
    assert (
        [(link.uri, round(link.x0, 2), round(link.top, 2)) for link in a.links]
        == [(link.uri, round(link.x0, 2), round(link.top, 2)) for link in b.links]
        != []
    )
    grid = [[f"r{row}c{col}" for col in range(3)] for row in range(3)]
    if rotate:  # the page turned a quarter: what was a row is a column, read bottom up
        grid = [[grid[2 - row][col] for row in range(3)] for col in range(3)]
    assert [t.rows for t in a.tables] == [t.rows for t in b.tables] == [grid]
    assert rows_a == rows_b
    assert [r["code"] for r in rows_a] == (["page-turned"] if rotate else [])  # the page is read turned back


def test_turned_page_tables_are_the_same(tmp_path):
    path = drawn(tmp_path / "drawn.pdf", 90)
    a, b = (pdfs.extracted(path, "t", "t", engine=engine) for engine in ("pdfplumber", "pdfium"))
    assert a["paragraphs"] and all(a[t] == b[t] for t in a if t != "documents")


def test_cmyk_black_is_told_from_grey_black_alike_by_both_engines(tmp_path):
    """A viewer shows CMYK black a shade lighter than grey black: both engines give the
    colour pdfium shows, so both tell (or do not tell) the same lines apart."""
    path = tmp_path / "colours.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    for y, fill in ((700, lambda: c.setFillGray(0)), (680, lambda: c.setFillColorCMYK(0, 0, 0, 1))):
        fill()
        c.drawString(72, y, "Some words in black")
    c.setFillColorCMYK(0, 0, 0, 0.5)
    c.drawString(72, 660, "Some words in grey")
    c.showPage()
    c.save()
    colours = {}
    for engine in ("pdfplumber", "pdfium"):
        (page,), _ = pages(path, engine)
        colours[engine] = [next(ch[7] for ch in page.chars if abs(ch[4] - bottom) < 1) for bottom in (144, 164, 184)]
    assert colours["pdfplumber"] == colours["pdfium"]
    grey_black, cmyk_black, cmyk_grey = colours["pdfium"]
    assert grey_black == (0.0, 0.0, 0.0) and cmyk_black != grey_black and cmyk_grey != cmyk_black


def test_text_set_upside_down_has_pdfminers_boxes(tmp_path):
    path = tmp_path / "upside-down.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.translate(500, 500)
    c.rotate(180)
    c.setFont("Helvetica", 10)
    for i in range(5):
        c.drawString(0, 14 * i, f"Line {i} of text set upside down, words and spaces.")
    c.showPage()
    c.save()
    (a,), _ = pages(path, "pdfplumber")
    (b,), _ = pages(path, "pdfium")
    assert a.turned == b.turned == 180
    key = lambda c: (round(c[4], 1), round(c[1], 1))  # noqa: E731
    chars_a, chars_b = sorted(a.chars, key=key), sorted(b.chars, key=key)
    assert len(chars_a) == len(chars_b) > 200
    assert all(x[0] == y[0] and close(x[1:6], y[1:6]) for x, y in zip(chars_a, chars_b))


def one_font_pdf(path: Path, font: bytes, content: bytes) -> Path:
    """A one-page PDF with one font (F1) and a content stream, written byte by byte."""
    return bad_pdfs.raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            font,
        ],
    )


def narrow_sans(widths: list[str], differences: bytes) -> bytes:
    """A font without a program, its widths for codes 31 on and its encoding's differences."""
    return (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /NarrowSans /FirstChar 31 /LastChar %d /Widths [%s]"
        b" /Encoding << /Type /Encoding /Differences [%s] >> /FontDescriptor << /Type /FontDescriptor"
        b" /FontName /NarrowSans /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 800"
        b" /Descent -200 /CapHeight 700 /StemV 80 >> >>" % (30 + len(widths), " ".join(widths).encode(), differences)
    )


def test_advances_come_from_the_glyph_drawn_where_two_glyphs_map_to_one_text(tmp_path):
    """Code 31 and code 49 both show '1' but are of different widths (lining and narrow
    figures): pdfium finds a width by the text, so the one drawn is told by where the glyph
    after it starts (the last of a text object takes the narrowest); the boxes are pdfminer's."""
    font = narrow_sans(["600"] + ["500"] * 17 + ["556"] + ["500"] * 13, b"31 /one")  # codes 31 to 62
    content = b"BT /F1 10 Tf 72 700 Td (\\037\\037\\0371) Tj ET BT /F1 10 Tf 72 680 Td (11\\037\\0371) Tj ET"
    path = tmp_path / "two-ones.pdf"
    one_font_pdf(path, font, content)
    (a,), _ = pages(path, "pdfplumber")
    (b,), _ = pages(path, "pdfium")
    assert [c[0] for c in a.chars] == [c[0] for c in b.chars] == list("1111" + "11111")
    assert [round(c[2] - c[1], 2) for c in a.chars] == [6.0, 6.0, 6.0, 5.56, 5.56, 5.56, 6.0, 6.0, 5.56]
    assert all(close(x[1:6], y[1:6]) for x, y in zip(a.chars, b.chars))


def test_a_lone_space_object_is_pdfminers_space_glyph(tmp_path):
    """Word sets a tab as a text object holding one space glyph, which draws no ink:
    pdfium's text leaves it out, pdfminer has the glyph. It is given back, so the number
    and its heading stay one line (without it the tab's gap would part them); drawn in
    a form (a figure), it stands where the form's matrix puts it."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    tab = b"BT /F1 10 Tf 0 0 Td (1.) Tj ET BT /F1 10 Tf 8.34 0 Td ( ) Tj ET BT /F1 10 Tf 28 0 Td (Policy context) Tj ET"
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 300 50] /Resources << /Font << /F1 5 0 R >> >> /Length %d >>"
    content = b"q 1 0 0 1 72 700 cm " + tab + b" Q q 0.5 0 0 0.5 72 600 cm /Fm1 Do Q"
    path = bad_pdfs.raw_pdf(
        tmp_path / "tab.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            font,
            form % len(tab) + b"\nstream\n" + tab + b"\nendstream",
        ],
    )
    (a,), _ = pages(path, "pdfplumber")
    (b,), _ = pages(path, "pdfium")
    key = lambda c: (round(c[4]), c[1])  # noqa: E731
    chars_a, chars_b = sorted(a.chars, key=key), sorted(b.chars, key=key)
    assert "".join(c[0] for c in chars_a) == "".join(c[0] for c in chars_b) == "1. Policy context" * 2
    assert all(close(x[1:6], y[1:6]) for x, y in zip(chars_a, chars_b))
    assert [line.text for line in page_lines(b).lines] == ["1. Policy context"] * 2


def test_a_no_break_space_is_read_as_a_space_by_both_engines(tmp_path):
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [160 /nbspace] >> >>"
    path = tmp_path / "nbsp.pdf"
    one_font_pdf(path, font, b"BT /F1 10 Tf 72 700 Td (Report\\240submitted to the agency) Tj ET")
    texts = {engine: "".join(ch[0] for ch in pages(path, engine)[0][0].chars) for engine in ("pdfplumber", "pdfium")}
    assert texts["pdfplumber"] == texts["pdfium"] == "Report submitted to the agency"


def test_sizes_and_baselines_are_settled_before_anything_rounds_them():
    """9.75 pt computed as 9.7499999 by one engine and 9.7500001 by the other must round
    alike later (to a tenth: 9.8 both), so both engines' noise is settled at the source."""
    glyph = lambda noise: ("a", 72.0, 77.0, 100.0 + noise, 109.75 + noise, 9.75 + noise, "Serif", (0.0, 0.0, 0.0))  # noqa: E731
    raw = RawPage(1, 595.0, 842.0, [glyph(-1e-7), glyph(1e-7)], [], [], [])
    (a, b) = read_upright(raw, [UPRIGHT, UPRIGHT]).chars
    assert a == b and round(a[5], 1) == round(b[5], 1) == 9.8


def test_a_page_pdfminer_cannot_read_is_read_by_pdfium(tmp_path):
    """An operator given a number where it wants an array stops pdfminer's whole page;
    pdfium skips the operator and reads the rest, so the page is read, and said so."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    path = tmp_path / "bad-operator.pdf"
    one_font_pdf(path, font, b"BT /F1 12 Tf 72 700 Td (Readable words) Tj 5 TJ ET")
    for engine in ("pdfplumber", "pdfium"):
        (page,), rows = pages(path, engine)
        assert "".join(c[0] for c in page.chars) == "Readable words"
        assert [r["code"] for r in rows] == (["engine-fallback"] if engine == "pdfplumber" else [])


def test_a_glyph_before_a_gap_takes_the_advance_pdfium_finds(tmp_path):
    """Two codes show '’' at different widths and a kerning gap follows the one drawn:
    the next glyph's origin no longer tells the advance (the nearer would be the wider),
    so the one pdfium finds by the text is taken where it is one of the font's."""
    font = narrow_sans(["278"] + ["500"] * 7 + ["700"] + ["500"] * 76, b"31 /quoteright 39 /quoteright")
    path = tmp_path / "gap.pdf"
    one_font_pdf(path, font, b"BT /F1 10 Tf 72 700 Td [(s\\037) -600 (s)] TJ ET")
    (a,), _ = pages(path, "pdfplumber")
    (b,), _ = pages(path, "pdfium")
    assert [c[0] for c in a.chars] == [c[0] for c in b.chars] == ["s", "’", "s"]
    assert round(a.chars[1][2] - a.chars[1][1], 2) == 2.78
    assert all(close(x[1:6], y[1:6]) for x, y in zip(a.chars, b.chars))


def test_drawings_in_a_form_stand_where_the_form_puts_them(tmp_path):
    """pdfium gives a path's matrix within its form: the form's matrix places it on the page."""
    drawing = b"10 10 100 20 re f 0 40 m 200 40 l S"
    form = b"<< /Type /XObject /Subtype /Form /BBox [0 0 300 50] /Length %d >>" % len(drawing)
    content = b"q 0.5 0 0 0.5 72 600 cm /Fm1 Do Q"
    path = bad_pdfs.raw_pdf(
        tmp_path / "form.pdf",
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /XObject << /Fm1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            form + b"\nstream\n" + drawing + b"\nendstream",
        ],
    )
    boxes = {}
    for engine in ("pdfplumber", "pdfium"):
        (page,), _ = pages(path, engine)
        boxes[engine] = [(round(b.x0, 2), round(b.x1, 2), round(b.top, 2), round(b.bottom, 2)) for b in page.boxes]
    assert boxes["pdfplumber"] == boxes["pdfium"] and (77.0, 127.0, 227.0, 237.0) in boxes["pdfium"]
