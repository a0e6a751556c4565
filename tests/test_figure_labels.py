"""figures: labels set in capitals or alone on their line (not only in bold), and running
text that names a table.

Each test draws a report page with a small table (tests/pdfs_typeset.py:
`labelled_table`) and reads it through layout, `detect` and `extract_body`; the
expected label, title and paragraphs are what the builder drew.
"""

from __future__ import annotations

import pdfs
import pytest
from pdfs_typeset import labelled_table

TITLE = "Exports by sector and year"


def _read(tmp_path, *args):
    path = tmp_path / "table.pdf"
    drawn = labelled_table(path, *args)
    _, _, bodies = pdfs.analyse(path)
    assert len(bodies) == 1
    return drawn, bodies[0]


def _figure_texts(drawn, figure_title):
    return [figure_title, drawn["source"]] + [cell for row in drawn["rows"] for cell in row]


@pytest.mark.parametrize(
    "label, title_line, want_label",
    [
        (f"TABLE 1: {TITLE}", None, "TABLE 1"),  # label in capitals, title on its line, regular weight
        ("Table 2", TITLE, "Table 2"),  # label alone, the title on the next line in bold
        ("Table 2.", TITLE, "Table 2"),
    ],
    ids=["capitals", "alone", "alone-with-stop"],
)
def test_a_label_in_capitals_or_alone_makes_a_figure_whose_lines_leave_the_body(
    tmp_path, label, title_line, want_label
):
    drawn, body = _read(tmp_path, label, title_line)
    assert [(f.label, f.title, f.source) for f in body.figures] == [(want_label, TITLE, drawn["source"])]
    assert [p.text for p in body.paragraphs] == drawn["paragraphs"]
    assert body.sections == []
    left = [ln.plain for ln in body.note_lines]
    for text in _figure_texts(drawn, TITLE) + [want_label]:
        assert not any(text in t for t in left), text


def test_running_text_naming_a_table_is_no_figure(tmp_path):
    """'Table 1 shows that ...' opening a paragraph of body text is that paragraph's text."""
    sentence = "Table 1 shows that exports rose"
    drawn, body = _read(tmp_path, None, None, sentence)
    assert body.figures == []
    assert [p.text for p in body.paragraphs] == drawn["paragraphs"]
    assert drawn["paragraphs"][1].startswith(sentence)


def test_a_raised_mark_before_a_label_is_no_crash():
    """A label line opening with a raised mark ('*Table 1. ...'): its plain text matches the
    label, the joined title text (marks kept) does not; the label is still read."""
    from compendium_corpus.figures import find_figures
    from compendium_corpus.model import Line, Page, Span

    c = (0.0, 0.0, 0.0)
    label = Line(
        1,
        [Span("*", 72, 75, 6, False, False, c, True), Span(f"Table 1. {TITLE}", 76, 250, 10, True, False, c)],
        72,
        250,
        100,
        110,
        10,
        True,
        False,
        c,
    )
    text = Line(
        1,
        [Span("Some body text that runs on well past the table.", 72, 400, 10, False, False, c)],
        72,
        400,
        130,
        140,
        10,
        False,
        False,
        c,
    )
    figures, _ = find_figures("p01", [label, text], {1: Page(1, 600, 800, lines=[label, text])}, 10.0)
    assert [(f.label, f.title) for f in figures] == [("Table 1", TITLE)]
