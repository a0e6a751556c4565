"""Front matter read from small PDFs built for each layout (tests/pdfs_front.py)."""
from __future__ import annotations

import pytest

from pipeline.front import extract_front
from pipeline.layout import body_size, layout
from pipeline.model import Diagnostics
from pipeline.source import open_pdf, read_pages
from pipeline.structure import Structure, TocEntry
from tests import pdfs_front


def run_front(path, entries: list[tuple[str, int]], first_body_page: int):
    """source -> layout -> extract_front, with the TOC's front entries given by hand."""
    diagnostics = Diagnostics("t")
    with open_pdf(path) as pdf:
        raw = list(read_pages(pdf, diagnostics))
    pages = layout(raw, diagnostics)
    structure = Structure(toc=[], toc_pages=[], page_offset=0, chapters=[], papers=[],
                          front_entries=[TocEntry(title=t, page=p, style=(), x0=0.0) for t, p in entries],
                          first_body_page=first_body_page)
    return extract_front(pages, structure, body_size(pages), diagnostics, "t"), diagnostics.rows


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    path = pdfs_front.foreword_and_preface(tmp_path_factory.mktemp("front") / "signed.pdf")
    return run_front(path, [("Foreword", 2), ("Preface", 3)], first_body_page=5)


def test_signature_block_closes_foreword(signed):
    tables, _ = signed
    foreword = tables["front_sections"][0]
    assert (foreword["section_id"], foreword["title"]) == ("foreword", "Foreword")
    assert foreword["signature_name"] == "Marta Quinlan"
    assert foreword["signature_role"] == "Director of the Network"
    paragraphs = foreword["text"].split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[0].startswith("Paragraph 1 of the foreword.")
    for printed in ("Marta", "Director", "Lisbon"):
        assert printed not in foreword["text"]


def test_signature_after_page_break_without_place(signed):
    tables, _ = signed
    preface = tables["front_sections"][1]
    assert preface["signature_name"] == "Tomas Berg"
    assert preface["signature_role"] == "Senior Fellow, Policy Institute"
    assert len(preface["text"].split("\n\n")) == 8 and "Tomas" not in preface["text"]
    assert not tables["organisations"] and not tables["acronyms"]


def test_front_entry_on_wrong_page_is_found_nearby_and_reported(tmp_path):
    path = pdfs_front.foreword_and_preface(tmp_path / "signed.pdf")
    tables, diagnostics = run_front(path, [("Foreword", 3), ("Preface", 3), ("Afterword", 4)], first_body_page=5)
    assert [s["title"] for s in tables["front_sections"]] == ["Foreword", "Preface"]
    codes = {(d["code"], d["page"]) for d in diagnostics}
    assert ("front-page-differs", 2) in codes
    assert ("front-entry-not-found", 4) in codes


def test_without_toc_sections_come_from_page_headings(tmp_path):
    path = pdfs_front.foreword_and_preface(tmp_path / "signed.pdf")
    tables, _ = run_front(path, [], first_body_page=1)
    assert [s["title"] for s in tables["front_sections"]] == ["Foreword", "Preface"]
    assert tables["front_sections"][1]["signature_name"] == "Tomas Berg"


def test_organisations_one_row_per_subheading(tmp_path):
    path = pdfs_front.organisations(tmp_path / "orgs.pdf")
    tables, _ = run_front(path, [("About the partner institutes", 2)], first_body_page=4)
    names = [o["name"] for o in tables["organisations"]]
    assert names == ["Northern Institute for Policy Research (NIPR)",
                     "Centre for Maritime Studies, University of Valdor",
                     "Eastern Forum on Development", "Institute of Comparative Governance (ICG)"]
    forum = tables["organisations"][2]["description"]
    assert forum.startswith("The Forum brings") and forum.endswith("converged.") and "\n" not in forum
    assert len(tables["organisations"][3]["description"].split("\n\n")) == 2
    assert tables["front_sections"][0]["signature_name"] is None


def test_acronym_list_with_wrapped_long_form_over_two_pages(tmp_path):
    path = pdfs_front.acronyms(tmp_path / "acronyms.pdf")
    tables, _ = run_front(path, [("Abbreviations", 2)], first_body_page=4)
    assert [(a["short"], a["long"]) for a in tables["acronyms"]] == pdfs_front.ACRONYMS
    assert not tables["organisations"]
