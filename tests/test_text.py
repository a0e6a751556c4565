"""text: joining lines (hyphenation, footnote markers) and splitting paragraphs,
on lines produced by layout from small drawn PDFs."""

import pdfs
import pytest

from compendium_corpus.text import Ref, join_lines, split_paragraphs


def _page(tmp_path_factory, builder, **kwargs):
    path = tmp_path_factory.mktemp("text") / f"{builder.__name__}.pdf"
    info = builder(path, **kwargs)
    pages, _ = pdfs.load(path)
    assert len(pages) == 1
    return pages[0], info


# ------------------------------------------------------------ join_lines


def test_hyphenated_word_is_rejoined_and_compound_keeps_its_hyphen(tmp_path_factory):
    page, info = _page(tmp_path_factory, pdfs.hyphenation)
    assert [ln.plain for ln in page.lines] == info["lines"]
    text, refs = join_lines(page.lines)
    assert text == info["joined"]
    assert "transformation" in text and "transfor" + "-" not in text
    assert "China-EU" in text
    assert refs == []


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    page, info = _page(tmp_path_factory, pdfs.superscripts)
    lines = page.lines[:4]  # the paragraph carrying the three markers
    assert [ln.text for ln in lines] == info["texts"]
    return join_lines(lines)


def test_markers_are_removed_from_the_text(marked):
    text, _ = marked
    assert text == (
        "Exports to the Union rose sharply in the year 2021 as demand recovered "
        "and prices fell back to their earlier level. The COP26 summit then "
        "turned attention to the climate commitments of both partners. "
        "Neither side has yet met the targets it announced at that meeting"
    )


def test_markers_become_refs_right_after_the_preceding_character(marked):
    text, refs = marked
    assert [r.number for r in refs] == [1, 2, 3]
    assert all(isinstance(r, Ref) for r in refs)
    assert text[: refs[0].offset].endswith("rose sharply")  # after a word
    assert text[: refs[1].offset].endswith("earlier level.")  # after a full stop
    assert text[: refs[2].offset].endswith("both partners.")  # after a full stop at a line end
    assert text[refs[0].offset] == " " and text[refs[1].offset] == " "


# ------------------------------------------------------------ split_paragraphs


def _texts(paragraphs):
    return [[ln.plain for ln in para] for para in paragraphs]


def test_wider_gap_starts_a_new_paragraph(tmp_path_factory):
    page, info = _page(tmp_path_factory, pdfs.paragraph_gap)
    assert _texts(split_paragraphs(page.lines)) == info["paragraphs"]


def test_paragraph_continues_from_left_column_into_right_column(tmp_path_factory):
    page, info = _page(tmp_path_factory, pdfs.column_continuation)
    assert page.columns == 2
    assert _texts(split_paragraphs(page.lines)) == info["paragraphs"]


def test_full_line_ending_a_sentence_at_the_column_foot_does_not_end_the_paragraph(tmp_path_factory):
    """The last left-column line is full width (justified to the column's edge) and
    happens to end with a full stop: only a short line closes a paragraph at a break."""
    page, info = _page(tmp_path_factory, pdfs.column_continuation, sentence_end=True)
    assert page.columns == 2
    assert info["paragraphs"][1][5].endswith("growth.")
    assert _texts(split_paragraphs(page.lines)) == info["paragraphs"]


def test_short_last_line_before_a_column_break_ends_the_paragraph(tmp_path_factory):
    page, info = _page(tmp_path_factory, pdfs.column_break_after_short_line)
    assert page.columns == 2
    assert _texts(split_paragraphs(page.lines)) == info["paragraphs"]
