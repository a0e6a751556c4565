"""The documents row read from a cover page, with the PDF metadata as fallback."""

from __future__ import annotations

from compendium_corpus.document import describe
from compendium_corpus.extract import extract
from compendium_corpus.model import Diagnostics
from compendium_corpus.source import open_pdf, read_pages
from compendium_corpus.style import body_size
from tests import pdfs_front
from tests.pdfs import layout


def describe_pdf(path):
    diagnostics = Diagnostics()
    with open_pdf(path) as pdf:
        metadata = dict(pdf.metadata or {})
        raw = list(read_pages(pdf, diagnostics))
    pages = layout(raw, diagnostics)
    return describe(pages, metadata, body_size(pages))


def test_cover_gives_series_volume_title_editor_publisher(tmp_path):
    row = describe_pdf(pdfs_front.cover(tmp_path / "cover.pdf"))
    assert row.title == "Charting a shared course"
    assert row.series == "Ports, powers and the sea"
    assert row.volume == "3"
    assert row.editor == "Jane Doe and John Roe"
    assert row.publisher == "Institute for Maritime Affairs"


def test_without_cover_metadata_title_and_a_printed_author_are_used(tmp_path):
    path = pdfs_front.no_cover(
        tmp_path / "plain.pdf",
        "Open seas, Vol. II: Rules for a crowded ocean",
        "Harbour Policy Forum",
        imprint="© 2024 Harbour  policy forum. All rights reserved.",
    )
    row = describe_pdf(path)
    assert (row.series, row.volume, row.title) == ("Open seas", "II", "Rules for a crowded ocean")
    assert (row.editor, row.publisher) == (None, "Harbour Policy Forum")


def test_a_metadata_author_the_pages_never_print_is_nobody(tmp_path):
    row = describe_pdf(pdfs_front.no_cover(tmp_path / "plain.pdf", "Rules for a crowded ocean", "Preferred Customer"))
    assert (row.title, row.editor, row.publisher) == ("Rules for a crowded ocean", None, None)


def test_metadata_author_marked_as_editor_is_the_editor(tmp_path):
    row = describe_pdf(
        pdfs_front.no_cover(
            tmp_path / "plain.pdf", "Rules for a crowded ocean", "Ann Lee (ed.)", imprint="Edited by Ann Lee."
        )
    )
    assert (row.title, row.editor, row.publisher) == ("Rules for a crowded ocean", "Ann Lee", None)


def test_extract_reads_cover_and_keeps_each_line_in_one_table(tmp_path):
    """A foreword after the cover of a document without contents is the body of its one
    paper; the cover's lines the documents row holds are not repeated as a title page."""
    tables = extract(pdfs_front.cover(tmp_path / "cover.pdf"), "t", "0" * 64)
    assert tables["documents"][0]["title"] == "Charting a shared course"
    assert [s["heading"] for s in tables["sections"]] == ["Foreword"]
    assert tables["paragraphs"][0]["text"].startswith("The network met twice a year")
    front = {s["section_id"]: s["text"] for s in tables["front_sections"]}
    assert front == {"title-page": "GLOBAL DIALOGUE PROGRAMME"}
    document = tables["documents"][0]
    assert document["chars_kept"] == document["chars_total"] > 0
