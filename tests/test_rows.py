"""Drafts into rows (pipeline/rows.py): every printing character accounted for, every
text row pointing back to where it stands on the page, a failed document still a row."""

from __future__ import annotations

import hashlib
import re

import pdfplumber
import pdfs
import pdfs_body
import pytest

from compendium_corpus.orientation import frame
from compendium_corpus.rows import _why, failed_document
from compendium_corpus.source import Tally


@pytest.fixture(scope="module")
def compendium(tmp_path_factory):
    path = tmp_path_factory.mktemp("rows") / "compendium.pdf"
    pdfs_body.compendium(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return path, pdfs.extracted(path, sha[:16], sha)


def _printing(text: str) -> int:
    return sum(not c.isspace() for c in text)


def test_every_printing_character_is_kept_furniture_or_dropped(compendium):
    path, tables = compendium
    doc = tables["documents"][0]
    with pdfplumber.open(path) as pdf:
        drawn = sum(_printing(c["text"]) for page in pdf.pages for c in page.chars)
    assert doc["chars_total"] == drawn
    assert doc["chars_kept"] + doc["chars_furniture"] + doc["chars_dropped"] == doc["chars_total"]
    assert doc["chars_furniture"] > 0  # the running headers and page numbers
    assert doc["chars_dropped"] <= 0.02 * drawn
    assert "characters-dropped" not in {d["code"] for d in tables["diagnostics"]}


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def test_text_under_each_box_is_the_rows_text(compendium):
    path, tables = compendium
    assert all(tables[t] for t in ("paragraphs", "sections", "footnotes", "pull_quotes"))
    with pdfplumber.open(path) as pdf:
        for table in ("paragraphs", "sections", "footnotes", "pull_quotes"):
            for row in tables[table]:
                text = row["text" if "text" in row else "heading"]
                assert row["boxes"], f"{table} row without a box: {text[:40]}"
                under = ""
                for box in row["boxes"]:
                    page = pdf.pages[box["page"] - 1]
                    bbox = (box["x0"] - 0.5, box["top"] - 0.5, box["x1"] + 0.5, box["bottom"] + 0.5)
                    under += " " + page.within_bbox(bbox).extract_text()
                words = _words(text)
                assert words[0] in _words(under) and words[-1] in _words(under), (table, text[:60])


@pytest.mark.parametrize("direction", [(1, 0), (0, 1), (-1, 0), (0, -1)])
@pytest.mark.parametrize("bottom_up", [False, True])
def test_a_box_turned_to_be_read_turns_back_to_where_it_was_displayed(direction, bottom_up):
    width, height = 400.0, 700.0
    tops = [600.0, 500.0, 400.0] if bottom_up else [100.0, 200.0, 300.0]
    turn = frame([direction] * 3, tops, width, height)
    box = (30.0, 40.0, 130.0, 52.0)
    assert turn.displayed(*turn.box(*box)) == pytest.approx(box)


def test_a_pages_loss_says_what_the_source_could_not_read():
    assert _why(Tally(chars=100, rotated=3, unmapped=5)) == ": 5 without Unicode, 3 sideways"
    assert _why(Tally(chars=100, rotated=0, unmapped=0)) == ""


def test_failed_document_row_says_what_is_known():
    row = failed_document("broken.pdf", "ab" * 32, "unreadable-pdf")
    assert (row.doc_id, row.status, row.error_code, row.title) == ("ab" * 8, "failed", "unreadable-pdf", "broken")
    assert row.page_count is None and row.chars_total is None
