"""structure: contents page, chapters, papers, authors, page offset, key questions.

One twelve-page compendium (tests/pdfs.py: compendium) is drawn once; its footers
print N on physical page N + 2, and every expectation below follows from how the
builder laid it out (see COMPENDIUM there).
"""

import pdfs
import pytest

from compendium_corpus.model import Diagnostics, page_index
from compendium_corpus.structure import detect, find_toc_pages, parse_toc
from compendium_corpus.style import document_style


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("structure") / "compendium.pdf"
    expected = pdfs.compendium(path)
    pages, _ = pdfs.load(path)
    diagnostics = Diagnostics()
    structure = detect(pages, document_style(pages), diagnostics, by_number=page_index(pages))
    return structure, diagnostics, expected, pages


def _codes(diagnostics):
    return [d.code for d in diagnostics.items]


def test_layout_reads_every_page(built):
    _, _, expected, pages = built
    assert len(pages) == expected["pages"]
    assert pages[2].label == "1" and pages[-1].label == "10"


def test_contents_page_is_found(built):
    structure, diagnostics, _, _ = built
    assert structure.toc_pages == [2]
    assert "no-toc" not in _codes(diagnostics)


def test_front_entries_come_before_the_first_chapter(built):
    structure, _, expected, _ = built
    assert [e.title for e in structure.front_entries] == expected["front"]
    assert [e.page for e in structure.front_entries] == [1, 2]
    assert [e.kind for e in structure.toc] == ["front", "front", "chapter", "paper", "paper", "chapter", "paper"]


def test_chapter_entries_have_number_and_whole_title(built):
    structure, _, expected, _ = built
    chapters = [(e.number, e.title, e.page) for e in structure.toc if e.kind == "chapter"]
    assert chapters == [(c["number"], c["toc"], c["page"] - expected["offset"]) for c in expected["chapters"]]


def test_paper_entries_with_printed_pages_and_authors(built):
    structure, _, expected, _ = built
    papers = [(e.title, e.page, e.authors) for e in structure.toc if e.kind == "paper"]
    assert papers == [(p["title"], p["page_start"] - expected["offset"], p["toc_authors"]) for p in expected["papers"]]


def test_printed_page_offset_is_found(built):
    structure, _, expected, _ = built
    assert structure.page_offset == expected["offset"]


def test_chapters_are_located_with_the_title_printed_on_the_opener(built):
    structure, _, expected, _ = built
    got = [(c.chapter_id, c.number, c.title, c.page) for c in structure.chapters]
    assert got == [(f"c{c['number']:02d}", c["number"], c["title"], c["page"]) for c in expected["chapters"]]
    assert structure.first_body_page == expected["chapters"][0]["page"]


def test_key_questions_come_from_the_opener_bullets(built):
    structure, _, expected, _ = built
    assert [c.key_questions for c in structure.chapters] == [c["key_questions"] for c in expected["chapters"]]


def test_papers_are_located_and_end_before_the_next_opener(built):
    structure, diagnostics, expected, _ = built
    got = [(p.paper_id, p.position, p.chapter_id, p.title, p.page_start, p.page_end) for p in structure.papers]
    assert got == [
        (f"p{i:02d}", i, f"c{p['chapter']:02d}", p["title"], p["page_start"], p["page_end"])
        for i, p in enumerate(expected["papers"], start=1)
    ]
    assert "toc-entry-not-found" not in _codes(diagnostics)
    assert "toc-title-differs" not in _codes(diagnostics)


def test_two_authors_side_by_side_with_their_affiliations(built):
    structure, _, expected, _ = built
    got = [(a.name, a.affiliation) for a in structure.papers[0].authors]
    assert got == expected["papers"][0]["authors"]


def test_affiliation_over_two_lines_is_joined(built):
    structure, _, expected, _ = built
    got = [(a.name, a.affiliation) for a in structure.papers[1].authors]
    assert got == expected["papers"][1]["authors"]


def test_stacked_authors_in_printed_order_and_toc_disagreement_reported(built):
    structure, diagnostics, expected, _ = built
    got = [(a.name, a.affiliation) for a in structure.papers[2].authors]
    assert got == expected["papers"][2]["authors"]  # the page's order, not the TOC's
    differ = [d for d in diagnostics.items if d.code == "toc-authors-differ"]
    assert len(differ) == 1
    assert differ[0].paper_id == "p03" and differ[0].page == 11
    assert differ[0].severity == "warning"


def test_chapter_row_with_page_number_in_regular_weight(tmp_path):
    """A bold chapter row ('2 DIGITAL RULES ....') whose page number is set in regular
    weight is still a numbered chapter entry, and its papers follow it."""
    path = tmp_path / "toc.pdf"
    expected = pdfs.toc_regular_page_numbers(path)
    pages, _ = pdfs.load(path)
    numbers = find_toc_pages(pages)
    assert numbers == [1]
    entries = parse_toc(pages, numbers)
    assert [(e.title, e.page) for e in entries if e.kind == "front"] == expected["front"]
    assert [(e.number, e.title, e.page) for e in entries if e.kind == "chapter"] == expected["chapters"]
    assert [(e.title, e.page, e.authors) for e in entries if e.kind == "paper"] == expected["papers"]


def test_a_document_without_compendium_structure_is_read_as_one_paper(tmp_path):
    """A single brief (no contents page, no chapters) still gives one paper spanning
    its text pages, titled by its largest type, with a diagnostic saying why."""
    path = tmp_path / "brief.pdf"
    d = pdfs.Doc()
    for page in range(2):
        d.page()
        if page == 0:
            d.text(48, 80, "A brief on trade defence", size=20, style="B")
        d.text(48, 140, pdfs.filler(60, page * 60), size=10)
    d.save(path)
    pages, diagnostics = pdfs.load(path)
    structure = detect(pages, document_style(pages), diagnostics, by_number=page_index(pages))
    assert [(p.title, p.page_start, p.page_end) for p in structure.papers] == [("A brief on trade defence", 1, 2)]
    assert "no-compendium-structure" in _codes(diagnostics)


def test_chapter_rows_labelled_in_words_or_roman_numerals(tmp_path):
    from compendium_corpus.structure import chapter_number

    path = tmp_path / "toc.pdf"
    d = pdfs.Doc()
    d.page()
    d.text(48, 80, "Contents", size=22, style="B")
    pdfs._leaders(d, 48, 130, "Foreword", 3, 10.5)
    pdfs._leaders(d, 48, 160, "Chapter II: Digital rules", 5, 9.5, "B")
    pdfs._leaders(d, 71, 180, "Data flows after the pandemic", 6, 9.5)
    d.text(71, 193, "Ana Costa", size=8.5, style="I")
    pdfs._leaders(d, 48, 215, "Part 3 – Climate", 9, 9.5, "B")
    d.save(path)
    pages, _ = pdfs.load(path)
    entries = parse_toc(pages, find_toc_pages(pages))
    assert [(e.kind, e.number, e.title) for e in entries] == [
        ("front", None, "Foreword"),
        ("chapter", 2, "Digital rules"),
        ("paper", None, "Data flows after the pandemic"),
        ("chapter", 3, "Climate"),
    ]
    assert [chapter_number(n) for n in ("4", "IV", "IX", "XII")] == [4, 4, 9, 12]


def test_toc_references_to_roman_numbered_front_matter(tmp_path):
    """'Foreword ..... iii' points to the page whose footer prints iii, whatever the
    arabic numbering of the body does."""
    path = tmp_path / "roman.pdf"
    d = pdfs.Doc()
    d.page()
    d.text(48, 80, "Contents", size=22, style="B")
    pdfs._leaders(d, 48, 130, "Preface", "ii", 10.5)
    pdfs._leaders(d, 48, 150, "Foreword", "iii", 10.5)
    pdfs._leaders(d, 48, 170, "List of acronyms", "iv", 10.5)
    for label, title in (("i", None), ("ii", "Preface"), ("iii", "Foreword"), ("iv", "List of acronyms")):
        d.page()
        if title:
            d.text(48, 80, title, size=22, style="B")
            d.text(48, 130, pdfs.filler(40), size=10)
        d.text(290, 800, label, size=9)
    d.save(path)
    pages, diagnostics = pdfs.load(path)
    structure = detect(pages, document_style(pages), diagnostics, by_number=page_index(pages))
    found = {e.title: e.page + structure.page_offset for e in structure.front_entries}
    assert found == {"Preface": 3, "Foreword": 4, "List of acronyms": 5}


def test_openers_are_found_on_the_pages_when_there_is_no_contents_page(tmp_path):
    """No TOC: a page led by a big chapter number opens a chapter; a page led by a
    large title with a bold name over a smaller affiliation opens a paper; a front
    section with a large heading but no byline opens nothing."""
    path = tmp_path / "notoc.pdf"
    d = pdfs.Doc()
    d.page()
    d.text(48, 300, "Trade and trust", size=30, style="B")
    d.page()
    d.text(48, 80, "Foreword", size=19, style="B")
    d.text(48, 130, pdfs.filler(60), size=10)
    d.page()
    pdfs._opener(d, 1, ["Climate Cooperation"], [["Can carbon markets be linked?"]])
    for title, author in (("Linking carbon markets", "Ana Costa"), ("Green hydrogen deals", "Li Wei")):
        d.page()
        d.text(48, 80, title, size=19, style="B")
        d.text(48, 125, author, size=11.5, style="B")
        d.text(48, 141, "Senior Fellow, Institute for Trade Studies", size=8.5)
        d.text(48, 195, "Introduction", size=12.5, style="B")
        for i in range(12):
            d.text(48, 215 + 13 * i, pdfs.filler(14, 14 * i), size=10)
    d.save(path)
    pages, diagnostics = pdfs.load(path)
    structure = detect(pages, document_style(pages), diagnostics, by_number=page_index(pages))
    assert [(c.number, c.title, c.page) for c in structure.chapters] == [(1, "Climate Cooperation", 3)]
    assert [(p.title, p.page_start, p.page_end, p.chapter_id) for p in structure.papers] == [
        ("Linking carbon markets", 4, 4, "c01"),
        ("Green hydrogen deals", 5, 5, "c01"),
    ]
    assert [[a.name for a in p.authors] for p in structure.papers] == [["Ana Costa"], ["Li Wei"]]
