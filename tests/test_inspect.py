"""`compendium inspect`: every line's role, drawn at the right place on the page."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pdfs
import pytest
from click.testing import CliRunner
from PIL import Image

from compendium_corpus.cli import main
from compendium_corpus.overlay import HEADER_HEIGHT, KINDS, LEGEND_WIDTH, render_page

ROOT = Path(__file__).resolve().parents[1]


def kinds(inspection, page: int) -> Counter:
    return Counter(e.kind for e in inspection.elements[page] if not e.label.endswith("(cont.)"))


def test_two_column_page_with_pull_quote_and_endnotes(vol5_inspection):
    ins = vol5_inspection
    page = ins.pages[20]
    assert page.columns == 2 and len(page.gutters) == 1
    elements = ins.elements[20]
    found = kinds(ins, 20)
    assert found["pull_quote"] == 1 and found["heading1"] == 1 and found["paragraph"] + found["recommendation"] >= 5
    assert found["header"] == found["footer"] == found["page_number"] == 1
    assert found["marker"] >= 1
    (quote,) = [e for e in elements if e.kind == "pull_quote"]
    assert quote.x0 > page.gutters[0], "the pull-quote stands in the right column"
    body = next(b for b in ins.drafts.bodies if b.paper.paper_id == "p02")
    assert quote.label in {q.pull_quote_id for q in body.pull_quotes}
    assert any(e.kind == "paragraph" and e.x1 < page.gutters[0] for e in elements)
    assert any(e.kind == "paragraph" and e.x0 > page.gutters[0] for e in elements)
    # endnotes 1..10 below both columns, across the page
    notes = sorted((e for e in elements if e.kind == "note"), key=lambda e: e.top)
    assert [e.label for e in notes if "cont" not in e.label] == [f"note {n}" for n in range(1, 11)]
    text_bottom = max(e.bottom for e in elements if e.kind in ("paragraph", "pull_quote"))
    assert all(n.top > text_bottom for n in notes)
    # the removed furniture sits in the margins
    assert all(
        e.top < 0.1 * page.height or e.top > 0.88 * page.height
        for e in elements
        if e.kind in ("header", "footer", "page_number")
    )


def test_paper_first_page(vol5_inspection):
    ins = vol5_inspection
    found = kinds(ins, 14)
    assert found["title"] == 1 and found["author"] == 2
    assert found["heading1"] >= 1 and found["heading2"] >= 1 and found["paragraph"] >= 5
    assert found["header"] == 0, "a paper's first page prints no running header"
    elements = ins.elements[14]
    title = next(e for e in elements if e.kind == "title")
    authors = [e for e in elements if e.kind == "author"]
    first_text = min(e.top for e in elements if e.kind in ("paragraph", "heading1"))
    assert all(title.bottom < a.top < first_text for a in authors)
    assert ins.paper_of(14).paper_id == "p01"


def test_every_line_of_every_page_has_a_role(vol5_inspection):
    roles = Counter(e.kind for elements in vol5_inspection.elements.values() for e in elements)
    assert roles["unread"] == 0
    assert set(roles) <= set(KINDS)
    papers = vol5_inspection.structure.papers
    assert roles["title"] == len(papers)
    assert sum(len(b.pull_quotes) for b in vol5_inspection.drafts.bodies) == len(
        {(e.label) for es in vol5_inspection.elements.values() for e in es if e.kind == "pull_quote"}
    )


def test_recommendations_are_drawn_as_such_with_their_ids(vol5_inspection):
    drawn = {
        e.label.removesuffix(" (cont.)")
        for es in vol5_inspection.elements.values()
        for e in es
        if e.kind == "recommendation"
    }
    assert drawn == {r.recommendation_id for r in vol5_inspection.drafts.recommendations} and drawn


def test_render_draws_boxes_where_the_elements_are(vol5_inspection, tmp_path):
    summary = render_page(vol5_inspection, 20, tmp_path / "p20.png", resolution=100)
    with Image.open(tmp_path / "p20.png") as png:
        image = png.convert("RGB")
    scale = 100 / 72
    page = vol5_inspection.pages[20]
    assert image.size == (math.ceil(page.width * scale) + LEGEND_WIDTH, math.ceil(page.height * scale) + HEADER_HEIGHT)
    assert summary["elements"]["pull_quote"] == 1 and summary["paper_id"] == "p02"
    quote = next(e for e in vol5_inspection.elements[20] if e.kind == "pull_quote")
    # the box's left edge, halfway down, is drawn in the pull-quote colour
    x = int((quote.x0 - 1.5) * scale)
    y = int((quote.top + quote.bottom) / 2 * scale) + HEADER_HEIGHT
    colours = {image.getpixel((x + dx, y)) for dx in (-1, 0, 1)}
    assert KINDS["pull_quote"][1] in colours
    # the legend beside the page shows every kind's colour
    legend = image.crop((image.width - LEGEND_WIDTH, 0, image.width, image.height))
    present = {colour for _, colour in legend.getcolors(maxcolors=1 << 24)}
    assert all(colour in present for _, colour in KINDS.values())


# ---------------------------------------------------------------- command line, on a small PDF


@pytest.fixture
def tiny(tmp_path) -> Path:
    return pdfs.tiny_compendium(tmp_path / "tiny.pdf", pages=2)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_inspect_one_page(tiny, tmp_path):
    out = tmp_path / "page1.png"
    result = run("inspect", tiny, "--page", 1, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"page 1  {out}  (") and "paragraph" in result.stdout
    with Image.open(out) as image:
        assert image.size == (math.ceil(210 / 25.4 * 100) + LEGEND_WIDTH, math.ceil(297 / 25.4 * 100) + HEADER_HEIGHT)


def test_inspect_paper_json(tiny, tmp_path):
    result = run("inspect", tiny, "--paper", "p01", "--out", tmp_path / "p01", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["pages"] == 2 and [i["page"] for i in summary["images"]] == [1, 2]
    assert sorted(p.name for p in (tmp_path / "p01").iterdir()) == ["page-001.png", "page-002.png"]
    assert summary["images"][0]["elements"]["title"] == 1
    assert result.stderr.count("\npage ") + result.stderr.startswith("page ") == 2  # human lines on stderr


def test_inspect_quiet_prints_nothing(tiny, tmp_path):
    result = run("-q", "inspect", tiny, "--page", 2, "--out", tmp_path / "x.png")
    assert result.exit_code == 0 and result.stdout == "" and (tmp_path / "x.png").is_file()


@pytest.mark.parametrize(
    "args,status,message",
    [
        ([], 2, "give --page N"),
        (["--page", 3], 2, "has 2 pages, not 3"),
        (["--paper", "p09"], 2, "no paper 'p09'; it has: p01 (pages 1-2)"),
    ],
)
def test_inspect_bad_requests(tiny, args, status, message):
    result = run("inspect", tiny, *args)
    assert result.exit_code == status and message in result.output
    assert "Traceback" not in result.output


def test_inspect_unreadable_file(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"<html>not a pdf</html>")
    result = run("inspect", bad, "--page", 1)
    assert result.exit_code == 1 and result.stderr.startswith("error: not-a-pdf:")


def test_a_cropped_page_is_drawn_whole_with_its_boxes_where_its_lines_are(tmp_path):
    """The stages read every character of the media box; a crop box (a printer's trim)
    must not shift the drawing against the boxes."""
    from bad_pdfs import edited_pdf
    from pypdf.generic import RectangleObject

    from compendium_corpus.overlay import inspect_pdf

    def crop(writer):
        for page in writer.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            page.cropbox = RectangleObject((100, 150, width - 60, height - 40))

    path = edited_pdf(tmp_path / "cropped.pdf", crop, pages=1)
    inspection = inspect_pdf(path)
    page = inspection.pages[1]
    summary = render_page(inspection, 1, tmp_path / "p1.png", resolution=72)
    with Image.open(tmp_path / "p1.png") as png:
        image = png.convert("RGB")
    assert image.size == (math.ceil(page.width) + LEGEND_WIDTH, math.ceil(page.height) + HEADER_HEIGHT)
    element = next(e for e in inspection.elements[1] if e.kind not in ("header", "footer", "page_number"))
    inside = image.crop(
        (int(element.x0), int(element.top) + HEADER_HEIGHT, int(element.x1), int(element.bottom) + HEADER_HEIGHT)
    )
    assert min(low for low, _ in inside.getextrema()) < 100, "the box should hold the line's dark glyphs"
    assert summary["elements"]
