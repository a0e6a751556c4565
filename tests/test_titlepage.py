"""Single documents read from their title page (`structure.detect` -> `titlepage`): the
title, the authors, what of the title page stays out of the body, later papers of a
chapter, and contents lists kept out of the text.

Each test draws a small PDF (tests/pdfs_typeset.py) and runs it through layout,
`detect` and `extract_body` (`pdfs.analyse`). Expected titles, names, headings and
paragraphs are what the builder drew.
"""

from __future__ import annotations

import pdfs
import pytest
from pdfs import LEFT
from pdfs_typeset import article, chapter, contents_page, contents_under_abstract, notices, spaced, title_and_byline

TITLE = "Investment screening in practice"
AFFILIATION = "School of Economics and Department of International Trade, Fudan University, Shanghai, China"


def _read(path, drawn=None, hint=None):
    """(pages, structure, bodies); with `drawn`, the single paper's body must be exactly the
    sections and paragraphs the builder drew under its title block."""
    pages, structure, bodies = pdfs.analyse(path, hint)
    if drawn is not None:
        assert len(structure.papers) == 1, [p.title for p in structure.papers]
        assert [s.heading for s in bodies[0].sections] == drawn["headings"]
        assert [p.text for p in bodies[0].paragraphs] == drawn["paragraphs"]
    return pages, structure, bodies


def _paper(path, drawn, hint=None):
    return _read(path, drawn, hint)[1].papers[0]


def _authors(paper):
    return [a.name for a in paper.authors]


# ------------------------------------------------------------------ the title


def test_title_is_the_block_right_above_the_byline_under_a_larger_banner(tmp_path):
    """A series banner set larger than the title stands apart above it: the byline says
    which block is the paper's title."""

    def front(d):
        d.text(LEFT, 70, "Economic Security Review", 24, "B")
        d.text(LEFT, 130, "Rethinking export controls for dual use goods", 16, "B")
        d.text(LEFT, 152, "By Ana Costa and Li Wei", 11)
        return 190

    path = tmp_path / "banner.pdf"
    paper = _paper(path, article(path, front))
    assert paper.title == "Rethinking export controls for dual use goods"
    assert _authors(paper) == ["Ana Costa", "Li Wei"]


def test_a_very_short_largest_title_goes_on_in_the_display_block_under_it(tmp_path):
    def front(d):
        d.text(LEFT, 80, "Brexit", 28, "B")
        d.text(LEFT, 106, "and the future of European trade policy", 16, "B")
        return 150

    path = tmp_path / "short.pdf"
    assert _paper(path, article(path, front)).title == "Brexit and the future of European trade policy"


@pytest.mark.parametrize(
    "distractor, size",
    [
        ("14 March 2024", 26),  # a date
        ("TD/B/EX(72)/2", 26),  # a document symbol
        ("3", 48),  # a lone chapter number
        ("IV", 48),  # in roman numerals
        ("Chapter 3", 30),  # or named
    ],
)
def test_a_date_a_symbol_or_a_chapter_number_is_never_the_title(tmp_path, distractor, size):
    """Set larger than the title, above it, the line still does not read as a title."""

    def front(d):
        d.text(LEFT, 90, distractor, size, "B")
        d.text(LEFT, 140, TITLE, 18, "B")
        return 180

    path = tmp_path / "distractor.pdf"
    assert _paper(path, article(path, front)).title == TITLE


def test_a_cover_in_body_type_hands_over_to_the_next_pages_display_title(tmp_path):
    """A statement's centred cover sets nothing in display type: the title is the next
    page's, and the cover's lines are not body text."""

    def cover(d):
        for i, text in enumerate(["Statement of the delegation", "to the Trade and Development Board", "Geneva"]):
            d.text(200, 300 + 14 * i, text)

    def front(d):
        d.text(LEFT, 80, TITLE, 18, "B")
        return 120

    path = tmp_path / "cover.pdf"
    paper = _paper(path, article(path, front, cover))
    assert paper.title == TITLE
    assert (paper.page_start, paper.page_end) == (1, 3)


def _series_front(d):
    """A larger series banner over the title, apart from it, and no byline."""
    d.text(LEFT, 70, "Working Paper Series", 24, "B")
    d.text(LEFT, 140, "Export controls in a fragmented world", 16, "B")
    return 180


def test_the_metadata_title_wins_when_a_block_reads_as_it(tmp_path):
    path = tmp_path / "hint.pdf"
    drawn = article(path, _series_front)
    paper = _paper(path, drawn, hint="Export Controls in a Fragmented World")
    assert paper.title == "Export controls in a fragmented world"
    # the hint is what decides: without it the larger banner is read as the title
    _, structure, _ = _read(path)
    assert structure.papers[0].title == "Working Paper Series"


# ------------------------------------------------------------------ the authors


def _marked(d, y):
    """Names with raised affiliation letters and a corresponding-author star."""
    d.runs(LEFT, y, [("Ana Costa", 11, "", 0), ("a", 6.5, "", 4), (", Li Wei", 11, "", 0), ("b,∗", 6.5, "", 4)])
    return y


def _apart(d, y):
    """Names set apart on one row, far from each other (separate lines of one row)."""
    for x, name in zip((LEFT, 220, 380), ("Ana Costa", "Li Wei", "Marco Rossi")):
        d.text(x, y, name, 11)
    return y


def _spaced(d, y):
    """Names on one row, every word drawn on its own (no space glyphs), names 1 em apart."""
    spaced(d, y, ["Ana Costa", "Li Wei", "Marco Rossi"], gap=11)
    return y


def _flowing(d, y, first="By Michael Rönnlund, Anna Sund-", second="ström and Lars Nilsson"):
    """A list flowing over two lines, a name broken by a hyphen at the line end."""
    d.text(LEFT, y, first, 11)
    d.text(LEFT, y + 14, second, 11)
    return y + 14


def _flowing_at_a_space(d, y):
    """A list flowing over two lines, broken between a first name and a surname."""
    return _flowing(d, y, "By Michael Rönnlund, Anna", "Sundström and Lars Nilsson")


@pytest.mark.parametrize(
    "byline, names",
    [
        ("By Ana Costa, Li Wei and Marco Rossi", ["Ana Costa", "Li Wei", "Marco Rossi"]),
        (_marked, ["Ana Costa", "Li Wei"]),
        (_apart, ["Ana Costa", "Li Wei", "Marco Rossi"]),
        (_spaced, ["Ana Costa", "Li Wei", "Marco Rossi"]),
        (_flowing, ["Michael Rönnlund", "Anna Sundström", "Lars Nilsson"]),
        (_flowing_at_a_space, ["Michael Rönnlund", "Anna Sundström", "Lars Nilsson"]),
    ],
    ids=["by-a-b-and-c", "marks", "apart", "spaced-words", "flowing-hyphen", "flowing-space"],
)
def test_authors_are_read_from_the_byline(tmp_path, byline, names):
    path = tmp_path / "byline.pdf"
    paper = _paper(path, article(path, title_and_byline(TITLE, byline)))
    assert (paper.title, _authors(paper)) == (TITLE, names)


def test_a_corporate_byline_gives_no_authors_and_still_marks_the_title(tmp_path):
    """'Note by the ... secretariat' is the byline of a body: no people, but the block
    right above it is the title, not the larger board name over it."""

    def front(d):
        d.text(LEFT, 70, "Trade and Development Board", 22, "B")
        d.text(LEFT, 130, TITLE, 16, "B")
        d.text(LEFT, 152, "Note by the UNCTAD secretariat", 11)
        return 190

    path = tmp_path / "corporate.pdf"
    paper = _paper(path, article(path, front))
    assert (paper.title, paper.authors) == (TITLE, [])


def test_banner_affiliations_and_address_stay_out_of_the_body_but_text_under_them_does_not(tmp_path):
    """Around the title and byline: a banner above, affiliation lines (opening with their
    raised mark, one as long as a line of text) and an e-mail address below, at body size.
    None of them reaches the paper's paragraphs or sections; the heading and text right
    under them do (`_read` compares the body with what was drawn)."""

    def front(d):
        d.text(LEFT, 50, "POLICY BRIEF", 9, "B")
        d.text(LEFT, 90, TITLE, 18, "B")
        d.runs(LEFT, 116, [("Ana Costa", 11, "", 0), ("1", 6.5, "", 4), (" and Li Wei", 11, "", 0), ("2", 6.5, "", 4)])
        d.runs(LEFT, 136, [("1", 6.5, "", 4), ("Institute for Trade Studies, Berlin", 10, "", 0)])
        assert d.width(AFFILIATION, 10) > 0.6 * (pdfs.RIGHT - LEFT), "as long as a line of text"
        d.runs(LEFT, 149, [("2", 6.5, "", 4), (AFFILIATION, 10, "", 0)])
        d.text(LEFT, 162, "ana.costa@example.org", 10)
        return 195

    path = tmp_path / "affiliations.pdf"
    pages, structure, bodies = _read(path, article(path, front))
    assert (structure.papers[0].title, _authors(structure.papers[0])) == (TITLE, ["Ana Costa", "Li Wei"])
    body = bodies[0]
    for text in ("POLICY BRIEF", "Institute for Trade Studies", "Fudan", "example.org"):
        assert not any(text in ln.plain for ln in body.note_lines), text


# ------------------------------------------------------------------ later papers of a chapter


def _papers_read_as_drawn(structure, bodies, drawn):
    got = [
        (p.title, _authors(p), [s.heading for s in b.sections], [q.text for q in b.paragraphs])
        for p, b in zip(structure.papers, bodies)
    ]
    assert got == [(p["title"], p["authors"], p["headings"], p["paragraphs"]) for p in drawn["papers"]]


def test_a_second_paper_opening_mid_page_is_a_paper_of_its_own(tmp_path):
    """The second title, in the first title's type with a byline in the first byline's type
    under it, opens a paper halfway down page 2: the first paper ends there, at that line."""
    path = tmp_path / "chapter.pdf"
    drawn = chapter(path)
    pages, structure, bodies = _read(path)
    first, second = structure.papers
    assert (first.page_start, first.page_end, second.page_start, second.page_end) == (1, 2, 2, drawn["pages"])
    assert second.first_index > 0 and first.end_index == second.first_index
    assert pages[1].lines[second.first_index].plain == drawn["papers"][1]["title"]
    _papers_read_as_drawn(structure, bodies, drawn)


def test_a_second_paper_opening_a_page_ends_the_first_on_the_page_before(tmp_path):
    path = tmp_path / "chapter.pdf"
    drawn = chapter(path, second="top")
    _, structure, bodies = _read(path)
    first, second = structure.papers
    assert (first.page_start, first.page_end, first.end_index) == (1, 2, None)
    assert (second.page_start, second.first_index) == (3, 0)
    _papers_read_as_drawn(structure, bodies, drawn)


def test_no_later_papers_where_headings_share_the_title_type(tmp_path):
    """A heading elsewhere set in the titles' type without a byline ('Statistical annex')
    shows the type is not the openers' own: the file is read as one paper."""
    path = tmp_path / "chapter.pdf"
    drawn = chapter(path, annex_in_title_type=True)
    _, structure, _ = _read(path)
    assert [(p.title, p.page_start, p.page_end) for p in structure.papers] == [
        (drawn["papers"][0]["title"], 1, drawn["pages"])
    ]


def test_papers_open_under_title_blocks_set_alike_not_under_the_banner(tmp_path):
    """Two notices, each under a title block of issuer, references and title set alike and
    no byline: the second opens a paper mid-page, and the first paper's title is its own
    title block's, not the section banner above it."""
    path = tmp_path / "notices.pdf"
    drawn = notices(path)
    pages, structure, bodies = _read(path)
    assert [(p.title, p.page_start, p.page_end) for p in structure.papers] == [
        (drawn["papers"][0]["title"], 1, 2),
        (drawn["papers"][1]["title"], 2, drawn["pages"]),
    ]
    second = structure.papers[1]
    assert second.first_index > 0 and structure.papers[0].end_index == second.first_index
    assert pages[1].lines[second.first_index].plain == "MINISTRY OF PUBLIC WORKS"
    assert [[s.heading for s in b.sections] for b in bodies] == [p["headings"] for p in drawn["papers"]]


# ------------------------------------------------------------------ contents lists


def test_a_contents_page_stays_out_of_the_body(tmp_path):
    """Rows ending in page numbers (and the unnumbered row closing the list) are no
    paragraphs or sections; the sections they list are read once, from the pages."""
    path = tmp_path / "contents.pdf"
    drawn = contents_page(path)
    _, structure, bodies = _read(path, drawn)
    assert structure.toc_pages == [2]
    assert structure.papers[0].title == "Trade and climate in a divided world"
    assert not any(row in ln.plain for ln in bodies[0].note_lines for row in drawn["contents"])


def test_an_in_page_contents_block_under_title_and_abstract_stays_out_of_the_body(tmp_path):
    """The abstract above the block is the paper's text; the block's heading and rows are not."""
    path = tmp_path / "abstract.pdf"
    drawn = contents_under_abstract(path)
    _read(path, dict(drawn, paragraphs=[drawn["abstract"]] + drawn["paragraphs"]))
