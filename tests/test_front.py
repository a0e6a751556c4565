"""Front matter read from small PDFs built for each layout (tests/pdfs_front.py)."""

from __future__ import annotations

import pytest

from compendium_corpus.front import extract_front
from compendium_corpus.model import Diagnostics, page_index
from compendium_corpus.source import open_pdf, read_pages
from compendium_corpus.structure import Structure, TocEntry
from compendium_corpus.style import body_size
from tests import pdfs_front
from tests.pdfs import layout


def run_front(path, entries: list[tuple[str, int]], first_body_page: int):
    """source -> layout -> extract_front, with the TOC's front entries given by hand; its
    drafts as the tables' columns."""
    diagnostics = Diagnostics()
    with open_pdf(path) as pdf:
        raw = list(read_pages(pdf, diagnostics))
    pages = layout(raw, diagnostics)
    structure = Structure(
        toc=[],
        toc_pages=[],
        page_offset=0,
        chapters=[],
        papers=[],
        front_entries=[TocEntry(title=t, page=p, style=(), x0=0.0) for t, p in entries],
        first_body_page=first_body_page,
    )
    front = extract_front(pages, structure, body_size(pages), diagnostics, by_number=page_index(pages))
    tables = {
        "front_sections": [
            {
                "section_id": s.section_id,
                "title": s.title,
                "text": s.text,
                "signature_name": s.signature_name,
                "signature_role": s.signature_role,
            }
            for s in front.sections
        ],
        "organisations": [{"name": n, "description": d} for n, d in front.organisations],
        "acronyms": [{"short": short, "long": long_} for short, long_ in front.acronyms],
    }
    return tables, [{"code": d.code, "page": d.page} for d in diagnostics.items]


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
    assert names == [
        "Northern Institute for Policy Research (NIPR)",
        "Centre for Maritime Studies, University of Valdor",
        "Eastern Forum on Development",
        "Institute of Comparative Governance (ICG)",
    ]
    forum = tables["organisations"][2]["description"]
    assert forum.startswith("The Forum brings") and forum.endswith("converged.") and "\n" not in forum
    assert len(tables["organisations"][3]["description"].split("\n\n")) == 2
    assert tables["front_sections"][0]["signature_name"] is None


def test_acronym_list_with_wrapped_long_form_over_two_pages(tmp_path):
    path = pdfs_front.acronyms(tmp_path / "acronyms.pdf")
    tables, _ = run_front(path, [("Abbreviations", 2)], first_body_page=4)
    assert [(a["short"], a["long"]) for a in tables["acronyms"]] == pdfs_front.ACRONYMS
    assert not tables["organisations"]


def _joined(entries):
    out = []
    for shorts, long_ in entries:
        short = ""
        for part in shorts:
            short += part if not short or short.endswith("-") else " " + part
        out.append((short, long_))
    return out


@pytest.fixture(scope="module")
def two_columns(tmp_path_factory):
    path, wrapped_under = pdfs_front.acronyms_two_columns(tmp_path_factory.mktemp("front") / "acr2.pdf")
    tables, _ = run_front(path, [("Abbreviations", 2)], first_body_page=3)
    return tables, wrapped_under


def test_acronym_list_in_two_page_columns_read_column_by_column(two_columns):
    tables, _ = two_columns
    got = [(a["short"], a["long"]) for a in tables["acronyms"]]
    assert got == _joined(pdfs_front.HANGING_LEFT + pdfs_front.HANGING_RIGHT + [pdfs_front.CELL_ENTRY])
    assert not tables["organisations"]


def test_long_form_wrapping_under_the_short_form_column(two_columns):
    tables, wrapped_under = two_columns
    assert wrapped_under >= 3  # the PDF really sets continuation lines under the short forms
    longs = {a["short"]: a["long"] for a in tables["acronyms"]}
    assert longs["UNCLOS"] == "United Nations Convention on the Law of the Sea"
    assert longs["UNESCAP"] == "United Nations Economic and Social Commission for Asia and the Pacific"
    # the note under the list, a paragraph gap below, is not part of the last long form
    assert longs["NGO / NGOs"].endswith("Organisations")


def test_short_forms_with_slash_or_hyphen_kept_whole(two_columns):
    tables, _ = two_columns
    longs = {a["short"]: a["long"] for a in tables["acronyms"]}
    assert longs["PA / PAs"] == "Protected Area / Protected Areas"  # on one line
    assert longs["SDR / SDRs"] == "Special Drawing Right / Special Drawing Rights"  # wrapped over two
    # wrapped in a table cell beside a long form that starts on its first line
    assert longs["NGO / NGOs"] == "Non-Governmental Organisation / Non-Governmental Organisations"
    assert "OECD-DAC" in longs and "SDRs" not in longs and "DAC" not in longs


def test_dash_opening_a_line_mid_sentence_stays_in_the_text(tmp_path):
    path = pdfs_front.dashed_lines(tmp_path / "dashed.pdf")
    tables, _ = run_front(path, [("Foreword", 2)], first_body_page=3)
    text = tables["front_sections"][0]["text"]
    assert "sides narrowed – and in some places closed – it kept" in text
    # list items keep their dashes as bullets, out of the text, even without end punctuation
    assert "–" not in text.split("principles:")[1]
    assert "meet twice a year" in text and "share their data openly." in text


def test_acronym_list_side_by_side_on_a_one_column_page(tmp_path):
    path = pdfs_front.acronyms_side_by_side(tmp_path / "side.pdf")
    tables, _ = run_front(path, [("Acronyms", 2)], first_body_page=3)
    assert [(a["short"], a["long"]) for a in tables["acronyms"]] == pdfs_front.SIDE_BY_SIDE
