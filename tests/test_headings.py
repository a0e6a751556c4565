"""headings: section numbers, heading levels and what is no heading; a bold first line
that is a paragraph's lead-in (`body._first_line_of`).

Pure rules are tested on lines made by hand (`pdfs.line`); the rest end to end on
small reports drawn by tests/pdfs_typeset.py: `report`, read through layout,
`detect` and `extract_body`. Expected headings, levels and paragraphs are what the
builder drew and the numbering or type it drew them in.
"""

from __future__ import annotations

import pdfs
import pytest
from pdfs import line
from pdfs_typeset import report

from compendium_corpus.body import _blocks
from compendium_corpus.headings import Number, assign_levels, heading_types, looks_like_heading, section_number
from compendium_corpus.style import DocumentStyle

STYLE = DocumentStyle(body_size=10.0, body_color=(0.0, 0.0, 0.0), measure=483.0, heading_styles=frozenset())


def _h(text, size=12.0, bold=True, italic=False):
    """A heading of one line."""
    return [line(text, size=size, bold=bold, italic=italic)]


def _levels(*papers):
    """assign_levels on papers given as lists of headings; the levels in the same shape."""
    got = assign_levels([list(p) for p in papers])
    return [[got[id(h[0])] for h in paper] for paper in papers]


def _sections(path):
    """(heading, level, parent heading) of the report's sections, and its paragraphs' texts."""
    _, structure, bodies = pdfs.analyse(path)
    assert len(bodies) == 1, [p.title for p in structure.papers]
    body = bodies[0]
    by_id = {s.section_id: s.heading for s in body.sections}
    return (
        [(s.heading, s.level, by_id.get(s.parent_section_id)) for s in body.sections],
        [p.text for p in body.paragraphs],
    )


# ------------------------------------------------------------------ section numbers


@pytest.mark.parametrize(
    "text, bullet, number",
    [
        ("Introduction", "1.", Number("arabic", 1)),  # the number set apart, as the line's bullet
        ("Background", "1.1", Number("arabic", 2)),
        ("1.2.3 Scope of the review", None, Number("arabic", 3)),
        ("IV. Options", None, Number("roman", 1)),
        ("A. Trade", None, Number("letter", 1)),
        ("Annex A Data tables", None, Number("annex", 1)),
        ("2023 was a difficult year", None, None),  # a year opening a line numbers nothing
        ("Introduction", None, None),
    ],
)
def test_section_number_from_the_bullet_or_the_first_word(text, bullet, number):
    assert section_number(line(text, bullet=bullet)) == number


# ------------------------------------------------------------------ levels from numbering


def test_the_depth_of_an_arabic_number_is_its_level():
    """All in one type: the numbers alone set the levels."""
    assert _levels([_h("1 Introduction"), _h("1.1 Background"), _h("1.1.1 Detail"), _h("2 Findings")]) == [[1, 2, 3, 1]]


def test_roman_and_letter_schemes_nest_in_the_order_of_first_use():
    assert _levels([_h("I. Context"), _h("A. Trade"), _h("B. Climate"), _h("II. Options"), _h("A. Finance")]) == [
        [1, 2, 2, 1, 2]
    ]
    assert _levels([_h("A. Context"), _h("I. Trade"), _h("II. Climate"), _h("B. Options")]) == [[1, 2, 2, 1]]


def test_an_annex_is_level_one():
    """Even set in the type of the subsections, after numbered sections two deep."""
    assert _levels([_h("1 Introduction"), _h("1.1 Background", 11), _h("Annex A Data tables", 11)]) == [[1, 2, 1]]


def test_a_recurring_more_prominent_type_used_before_the_numbers_stands_above_them():
    """Unnumbered capitals in a larger type open the report's parts before its numbered
    sections begin: they are level 1 and the numbered headings move down one level."""
    got = _levels(
        [
            _h("CONTEXT AND STAKES", 14),
            _h("1 Introduction"),
            _h("1.1 Background", 11),
            _h("OPTIONS FOR EUROPE", 14),
            _h("2 Findings"),
        ]
    )
    assert got == [[1, 2, 3, 1, 2]]


def test_a_more_prominent_type_first_used_after_the_numbers_begin_shifts_nothing():
    """Boxes in a larger type between numbered sections do not enclose them."""
    got = _levels([_h("1 Introduction"), _h("Highlights", 14), _h("2 Findings"), _h("Lessons", 14), _h("3 Outlook")])
    assert got == [[1, 1, 1, 1, 1]]


def test_an_unnumbered_less_prominent_type_sits_under_the_numbered_heading_before_it():
    got = _levels([_h("1 Introduction"), _h("Context", 10.5), _h("1.1 Detail"), _h("Aside", 10.5)])
    assert got == [[1, 2, 2, 3]]


# ------------------------------------------------------------------ levels from type alone


def test_unnumbered_level_one_is_the_top_recurring_type():
    """A larger type used once ('Overview') does not push the recurring 14 pt headings
    down; it is level 1 too."""
    got = _levels([_h("Overview", 18), _h("Introduction", 14), _h("Context", 12), _h("Conclusions", 14)])
    assert got == [[1, 1, 2, 1]]


def test_lower_types_rank_by_size_weight_and_slant_within_each_level_one_section():
    """Under 'Introduction' bold 12 is level 2 and bold italic 12 level 3; under
    'Conclusions', which holds only bold italic 12, that type is level 2."""
    got = _levels(
        [
            _h("Introduction", 14),
            _h("Context", 12),
            _h("Detail", 12, italic=True),
            _h("Conclusions", 14),
            _h("Caveat", 12, italic=True),
        ]
    )
    assert got == [[1, 2, 3, 1, 2]]


def test_capitals_alone_do_not_make_a_level():
    got = _levels([_h("Introduction", 14), _h("WHAT NEXT", 12), _h("Why now", 12), _h("Conclusions", 14)])
    assert got == [[1, 2, 2, 1]]


# ------------------------------------------------------------------ what is a heading


def test_a_line_opening_with_a_lower_case_word_is_never_a_heading():
    assert looks_like_heading(line("Introduction", bold=True), STYLE, (0.0, 0.0, 0.0))
    assert not looks_like_heading(line("for each partner the rules differ", bold=True), STYLE, (0.0, 0.0, 0.0))
    assert not looks_like_heading(line("eIDAS and the digital wallet", size=14, bold=True), STYLE, (0.0, 0.0, 0.0))


@pytest.mark.parametrize(
    "text, size, bold, heading",
    [
        ("POLICY OPTIONS", 7.5, True, True),  # bold capitals at 0.75 of the body size
        ("POLICY OPTIONS", 7.5, False, False),  # capitals alone, this small, are notes
        ("Policy options", 7.5, True, False),  # bold, this small, without capitals
        ("POLICY OPTIONS", 6.5, True, False),  # below 0.7 of the body size
    ],
)
def test_small_bold_capitals_can_be_headings(text, size, bold, heading):
    assert looks_like_heading(line(text, size=size, bold=bold), STYLE, (0.0, 0.0, 0.0)) is heading


# ------------------------------------------------------------------ end to end


def test_numbered_report_headings_numbers_levels_and_parents(tmp_path):
    """Numbers set apart as bullets ('1.', '1.1') stay in the heading text; depth gives the
    level; a body-size numbered heading in capitals right under a paragraph that has not
    ended is a heading; small bold capitals under it are a heading one level down."""
    path = tmp_path / "numbered.pdf"
    drawn = report(
        path,
        [
            ("numbered", "1.", "Introduction", 12, "B"),
            ("paragraph", 0),
            ("numbered", "1.1", "Background", 12, "B"),
            ("paragraph", 5),
            ("numbered", "1.2", "Scope", 12, "B"),
            ("paragraph", 10),
            ("page",),
            ("numbered", "2.", "Findings", 12, "B"),
            ("paragraph", 15),
            ("open", 20),
            ("heading", "2.1 TRADE DEFENCE", 10, ""),
            ("paragraph", 25),
            ("heading", "POLICY OPTIONS", 7.5, "B"),
            ("paragraph", 30),
        ],
    )
    sections, paragraphs = _sections(path)
    assert sections == [
        ("1. Introduction", 1, None),
        ("1.1 Background", 2, "1. Introduction"),
        ("1.2 Scope", 2, "1. Introduction"),
        ("2. Findings", 1, None),
        ("2.1 TRADE DEFENCE", 2, "2. Findings"),
        ("POLICY OPTIONS", 3, "2.1 TRADE DEFENCE"),
    ]
    assert [s[0] for s in sections] == drawn["headings"]
    assert paragraphs == drawn["paragraphs"]


def test_roman_over_letter_headings_set_apart(tmp_path):
    path = tmp_path / "roman.pdf"
    drawn = report(
        path,
        [
            ("numbered", "I.", "Context", 12, "B"),
            ("paragraph", 0),
            ("numbered", "A.", "Trade", 11, "B"),
            ("paragraph", 5),
            ("page",),
            ("numbered", "II.", "Options", 12, "B"),
            ("paragraph", 10),
            ("numbered", "A.", "Finance", 11, "B"),
            ("paragraph", 15),
        ],
    )
    sections, paragraphs = _sections(path)
    assert sections == [
        ("I. Context", 1, None),
        ("A. Trade", 2, "I. Context"),
        ("II. Options", 1, None),
        ("A. Finance", 2, "II. Options"),
    ]
    assert paragraphs == drawn["paragraphs"]


def test_a_bare_number_set_apart_stays_in_its_heading(tmp_path):
    """'2<tab>Findings', as word processors set numbered headings."""
    path = tmp_path / "bare.pdf"
    drawn = report(
        path,
        [
            ("numbered", "1", "Introduction", 12, "B"),
            ("paragraph", 0),
            ("numbered", "2", "Findings", 12, "B"),
            ("paragraph", 5),
        ],
    )
    sections, _ = _sections(path)
    assert [s[0] for s in sections] == drawn["headings"]


# ------------------------------------------------------------------ a bold first line is a lead-in


def test_an_indented_bold_first_line_with_text_under_it_is_a_lead_in(tmp_path):
    """The bold line starts at the paragraph indent and the text goes on under it from
    the column's edge: one paragraph. The same bold line at the column's edge, with text
    under it at the same spacing, is a heading."""
    path = tmp_path / "lead.pdf"
    lead = "Trade defence instruments have multiplied"
    drawn = report(
        path,
        [
            ("heading", "Introduction", 12, "B"),
            ("paragraph", 0),
            ("lead", lead, 5, 15),
            ("paragraph", 10),
            ("page",),
            ("heading", "Conclusions", 12, "B"),
            ("paragraph", 20),
            ("lead", "Safeguards", 25, 0),
        ],
    )
    sections, paragraphs = _sections(path)
    assert [s[0] for s in sections] == ["Introduction", "Conclusions", "Safeguards"] == drawn["headings"]
    assert paragraphs == drawn["paragraphs"]
    assert any(p.startswith(lead + " ") for p in paragraphs)


def _after_a_paragraph(heading):
    """A paragraph closing with a sentence, `heading`, and three full body lines right
    under it at the leading, from the column's edge."""
    before = line("The paragraph before the heading ends here with a full stop.", 60)
    body = [
        line("Relations between the two partners have entered a period of deep uncertainty", 103 + 13 * i)
        for i in range(3)
    ]
    for ln in body:
        ln.x1 = pdfs.RIGHT
    lines = [before, heading, *body]
    blocks = _blocks(lines, set(), heading_types([lines], STYLE, (0.0, 0.0, 0.0)), STYLE)
    return [(kind, len(lines)) for kind, lines in blocks]


def test_first_line_of_needs_the_bold_line_indented_from_the_edge():
    lead = line("Trade defence instruments have multiplied", 90, bold=True, x0=pdfs.LEFT + 15)
    assert _after_a_paragraph(lead) == [("paragraph", 1), ("paragraph", 4)]
    edge = line("Trade defence instruments", 90, bold=True)
    assert _after_a_paragraph(edge) == [("paragraph", 1), ("heading", 1), ("paragraph", 3)]


def test_a_numbered_heading_set_apart_is_no_lead_in():
    numbered = line("Findings", 90, bold=True, x0=pdfs.LEFT + 40, bullet="2.")
    assert _after_a_paragraph(numbered) == [("paragraph", 1), ("heading", 1), ("paragraph", 3)]


def test_a_bold_figure_alone_is_no_heading(tmp_path):
    """A bold number on a line of its own (a page number set larger than the running
    furniture, a value) has no words: no section opens there, while a bold section
    number alone still may."""
    path = tmp_path / "figure.pdf"
    items = [
        ("heading", "Background", 12, "B"),
        ("paragraph", 0),
        ("heading", "47699", 12, "B"),
        ("paragraph", 11),
        ("heading", "Outlook", 12, "B"),
        ("paragraph", 22),
    ]
    report(path, items)
    sections, _ = _sections(path)
    assert [s[0] for s in sections] == ["Background", "Outlook"]
    assert looks_like_heading(line("3", bold=True, size=12.0), STYLE, (0.0,))
