"""The two character sources behind one character model: pdfium's records are pdfminer's
(to single precision), and the whole pipeline gives identical tables on both
typesettings of the sample whichever engine reads them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pdfs
import pyarrow.parquet as pq
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from compendium_corpus.model import Diagnostics
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.source import DEFAULT_ENGINE, ENGINES, open_pdf, read_pages

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
    # x1 excepted: where a glyph's ink sticks out of its advance (an italic, a roman r or
    # slash), pdfium only gives the box around the ink, a little wider.
    assert all(close(x[1:2] + x[3:6], y[1:2] + y[3:6]) and x[6] == y[6] for x, y in zip(chars_a, chars_b))
    assert all(-TOLERANCE <= y[2] - x[2] <= 0.25 for x, y in zip(chars_a, chars_b))
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
