"""recommendations: the blocks of a paper's final 'Recommendations ...' section (with
its subsections) that propose action, read end to end from the compendium drawn by
tests/pdfs_body.py.

Paper 1 ends with 'Recommendations for Europe' (an introductory sentence, two bulleted
items with bold lead-ins, a 'should' paragraph, a paragraph without prescriptive
language) and its subsection 'PRIORITIES FOR CHINA' (a 'must' paragraph, two plain
paragraphs). Earlier, its Introduction holds bulleted items and a 'should' paragraph.
Paper 2 has no recommendations section, only 'Conclusions' with a 'should' paragraph
and a bulleted item.
"""

from __future__ import annotations

import hashlib

import pdfs
import pdfs_body
import pytest


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("recommendations") / "compendium.pdf"
    expected = pdfs_body.compendium(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return expected, pdfs.extracted(path, sha[:16], sha)


def _section_headings(tables):
    return {(s["paper_id"], s["section_id"]): s["heading"] for s in tables["sections"]}


def test_recommendations_are_the_drawn_items_and_prescriptive_paragraphs(doc):
    expected, tables = doc
    headings = _section_headings(tables)
    got = [
        (r["paper_id"], r["kind"], r["lead"], r["text"], headings.get((r["paper_id"], r["section_id"])), r["page"])
        for r in tables["recommendations"]
    ]
    want = [
        ("p01", m["kind"], m["lead"], m["text"], m["section"], m["page_start"]) for m in expected["recommendations"]
    ]
    assert got == want


def test_every_list_item_of_the_section_is_a_recommendation_with_its_lead(doc):
    expected, tables = doc
    for key in ("rec_item_1", "rec_item_2"):
        mark = expected["marks"][key]
        rows = [r for r in tables["recommendations"] if r["text"] == mark["text"]]
        assert [(r["kind"], r["lead"]) for r in rows] == [("list_item", mark["lead"])]


def test_prescriptive_paragraphs_in_section_and_subsection_are_recommendations(doc):
    expected, tables = doc
    for key, word in (("rec_should", "should"), ("rec_must", "must")):
        mark = expected["marks"][key]
        assert f" {word} " in mark["text"]
        rows = [r for r in tables["recommendations"] if r["text"] == mark["text"]]
        assert [(r["kind"], r["lead"]) for r in rows] == [("paragraph", None)]


def test_paragraphs_without_prescriptive_language_are_not(doc):
    expected, tables = doc
    texts = {r["text"] for r in tables["recommendations"]}
    for key in ("rec_intro", "rec_plain", "rec_plain_2"):
        assert expected["marks"][key]["text"] not in texts, key


def test_nothing_outside_the_recommendations_section_is_a_recommendation(doc):
    expected, tables = doc
    texts = {r["text"] for r in tables["recommendations"]}
    for key in ("item_bullet", "item_wrapped", "item_dash", "should_outside"):
        assert expected["marks"][key]["text"] not in texts, key
    assert not [r for r in tables["recommendations"] if r["paper_id"] == "p02"]
    rec_sections = {
        s["section_id"]
        for s in tables["sections"]
        if s["paper_id"] == "p01" and s["heading"] in ("Recommendations for Europe", "PRIORITIES FOR CHINA")
    }
    assert len(rec_sections) == 2
    assert {r["section_id"] for r in tables["recommendations"]} <= rec_sections


def test_pull_quotes_and_headings_are_never_recommendations(doc):
    expected, tables = doc
    texts = {r["text"] for r in tables["recommendations"]}
    in_recommendations = [q for q in expected["quotes"] if " should " in q["text"]]
    assert in_recommendations  # the pull-quote the recommendations section holds, prescriptive itself
    assert not texts & {q["text"] for q in expected["quotes"]}
    assert not texts & {s["heading"] for s in expected["sections"]}


def test_ids_positions_and_links_to_paragraphs(doc):
    _, tables = doc
    recs = tables["recommendations"]
    assert [r["position"] for r in recs] == list(range(1, len(recs) + 1))
    assert len({r["recommendation_id"] for r in recs}) == len(recs)
    paragraphs = {p["paragraph_id"]: p for p in tables["paragraphs"]}
    for r in recs:
        p = paragraphs[r["paragraph_id"]]
        assert (p["paper_id"], p["kind"], p["lead"], p["text"], p["section_id"], p["page_start"]) == (
            r["paper_id"],
            r["kind"],
            r["lead"],
            r["text"],
            r["section_id"],
            r["page"],
        )


def test_the_paragraph_a_recommendation_announces_is_one_and_so_is_a_next_step():
    from compendium_corpus.body import PaperBody, ParagraphDraft, SectionDraft
    from compendium_corpus.recommendations import extract_recommendations
    from compendium_corpus.structure import PaperDraft

    body = PaperBody(PaperDraft("p01", None, 1, "A paper", 1, 2, []))
    body.sections = [SectionDraft("p01-s01", None, 1, "Recommendations", 2, 1)]
    texts = [
        "Making the idea actionable requires a research agenda that involves the following.",
        "On the African side: mapping which value chains can be developed, country by country.",
        "The trust deficit is real and deep.",
        "Exploring it seriously is the most productive next step for anyone in the field.",
        "Both sides have gained from trade over the last decade.",
    ]
    body.paragraphs = [
        ParagraphDraft(f"p01-para{i:03d}", "p01-s01", "paragraph", None, t, [], 2, 2, i)
        for i, t in enumerate(texts, start=1)
    ]
    drafts = extract_recommendations([body])
    assert [r.paragraph.text for r in drafts] == [texts[0], texts[1], texts[3]]
    assert [r.position for r in drafts] == [1, 2, 3]
