"""figures: a labelled table's title, caption, cells row by row and source line.

Each test draws a small PDF (tests/pdfs_figures.py) and runs it through
open_pdf -> read_pages -> layout, then `find_figures` on all its lines in reading
order, as the body stage does for a paper. Expected values are what the builder
drew, never the pipeline's output.
"""

from __future__ import annotations

import pdfs
import pdfs_figures
import pytest

from compendium_corpus.figures import find_figures
from compendium_corpus.style import body_size


def _run(tmp_path_factory, builder, **kwargs):
    path = tmp_path_factory.mktemp("figures") / f"{builder.__name__}.pdf"
    drawn = builder(path, **kwargs)
    pages, _ = pdfs.load(path)
    lines = [ln for p in pages for ln in p.lines]
    figures, taken = find_figures("p01", lines, {p.number: p for p in pages}, body_size(pages))
    return drawn, figures, taken, lines


def _one(figures):
    assert len(figures) == 1, [f.label for f in figures]
    return figures[0]


def _check_taken(drawn, taken, lines):
    """The figure takes its own lines (label and title, caption, cells, source) and
    none of the body text around it."""
    taken_ids = {id(ln) for ln in taken}
    assert any(ln.plain.startswith(drawn["label"]) for ln in taken)
    body = [ln for ln in lines if ln.size >= 9.5 and not ln.bold]
    assert body and not any(id(ln) in taken_ids for ln in body)
    small = [ln for ln in lines if ln.size < 9.5]
    assert all(id(ln) in taken_ids for ln in small), [ln.plain for ln in small if id(ln) not in taken_ids]


# ------------------------------------------------------------------ a banded, ruled table


@pytest.fixture(scope="module")
def banded(tmp_path_factory):
    return _run(tmp_path_factory, pdfs_figures.table_figure)


def test_label_title_caption_and_source(banded):
    drawn, figures, _, _ = banded
    fig = _one(figures)
    assert (fig.label, fig.title, fig.caption, fig.source) == (
        drawn["label"],
        drawn["title"],
        drawn["caption"],
        drawn["source"],
    )
    assert fig.page == 1


def test_bands_are_rows_and_wrapped_cells_are_joined(banded):
    drawn, figures, _, _ = banded
    assert _one(figures).rows == drawn["rows"]


def test_the_figure_takes_its_lines_and_no_body_text(banded):
    drawn, _, taken, lines = banded
    _check_taken(drawn, taken, lines)


def test_banded_table_without_rules(tmp_path_factory):
    """The same table without rules or filled boxes: bold lines alone on their height
    are the bands; rows apart by blank gaps."""
    drawn, figures, _, _ = _run(tmp_path_factory, pdfs_figures.table_figure, ruled=False, gap=6.0)
    assert _one(figures).rows == drawn["rows"]


# ------------------------------------------------------------------ no bands, no rules


def test_table_without_bands_or_rules(tmp_path_factory):
    drawn, figures, taken, lines = _run(tmp_path_factory, pdfs_figures.plain_table)
    fig = _one(figures)
    assert fig.rows == drawn["rows"]
    assert fig.source == drawn["source"]
    _check_taken(drawn, taken, lines)


# ------------------------------------------------------------------ cells that nearly touch


@pytest.mark.parametrize("ruled", [False, True])
def test_cells_that_nearly_touch_are_cut_apart(tmp_path_factory, ruled):
    drawn, figures, _, lines = _run(tmp_path_factory, pdfs_figures.touching_table, ruled=ruled)
    merged = [ln for ln in lines if ln.size < 9.5 and ln.x1 - ln.x0 > 60.0]
    assert merged, "the builder should set some cells close enough to be read as one line"
    assert _one(figures).rows == drawn["rows"]


# ------------------------------------------------------------------ a table over a page break


@pytest.mark.parametrize("split", [True, False])
def test_table_continued_on_the_next_page(tmp_path_factory, split):
    """The rows on page 2 belong to the table; a row cut by the page break is one row,
    a break between two rows leaves them apart; the source line is found on page 2."""
    drawn, figures, taken, lines = _run(tmp_path_factory, pdfs_figures.continued_table, split=split)
    assert {ln.page for ln in lines if ln.size < 9.5} == {1, 2}
    fig = _one(figures)
    assert fig.rows == drawn["rows"]
    assert fig.source == drawn["source"] and fig.page == 1
    _check_taken(drawn, taken, lines)


# ------------------------------------------------------------------ an unruled table in small type


@pytest.fixture(scope="module")
def unruled(tmp_path_factory):
    return _run(tmp_path_factory, pdfs_figures.unruled_table)


def test_a_label_in_body_type_over_rows_of_figures_makes_a_table(unruled):
    """'Table 3. Readings ...' in the body's type and weight is a label because rows of
    cells in smaller type follow it; the headnote a blank line under the title, in the
    body's type too, does not end the figure (set in the title's type, it reads with it)."""
    drawn, figures, taken, lines = unruled
    fig = _one(figures)
    assert (fig.label, fig.title) == (drawn["label"], f"{drawn['title']} {drawn['headnote']}")
    taken_ids = {id(ln) for ln in taken}
    heads = (drawn["label"], drawn["headnote"])
    body = [ln for ln in lines if ln.size >= 9.5 and not ln.plain.startswith(heads)]
    assert body and not any(id(ln) in taken_ids for ln in body)
    assert all(id(ln) in taken_ids for ln in lines if ln.size < 9.5 or ln.plain.startswith(heads))


def test_rows_set_line_under_line_are_one_row_each(unruled):
    """Without rules or blank gaps, each printed line filling the first column is a row;
    a line with the first column empty carries on the row above."""
    drawn, figures, _, _ = unruled
    assert _one(figures).rows == drawn["rows"]


def test_a_page_repeating_the_label_continues_the_table(unruled):
    """Page 2 opens with 'Table 3. ...—Continued' and the header again: it is the same
    figure, its label line no cell, its header row not read twice."""
    drawn, figures, taken, lines = unruled
    fig = _one(figures)
    assert drawn["pages"] == 2 and {ln.page for ln in fig.lines} == {1, 2}
    repeated = [ln for ln in lines if ln.page == 2 and ln.plain.startswith(drawn["label"])]
    assert repeated and all(any(ln is t for t in taken) for ln in repeated)
    assert not any(drawn["label"] in cell for row in fig.rows for cell in row)


def test_rows_under_a_long_headnote_still_make_a_table(tmp_path_factory):
    """A title and headnote of several lines push the rows further under the label than
    a short one would: the reach is counted from the last line above the rows."""
    drawn, figures, _, _ = _run(tmp_path_factory, pdfs_figures.unruled_table, headnote_lines=6)
    assert _one(figures).rows == drawn["rows"]


def test_a_headnote_put_in_another_column_does_not_keep_the_table_in_one():
    """Layout may cut a wide table's page into columns: the label in one, its headnote
    (body type, above the rows) in another, the rows' cells across both. The table spans
    the columns when small type of the other column stands level with its rows; what
    stands above the rows says nothing of that."""
    from compendium_corpus.model import Line, Span

    c = (0.0, 0.0, 0.0)

    def line(text, x0, top, size, column):
        x1 = x0 + 0.5 * size * len(text)
        return Line(
            1, [Span(text, x0, x1, size, False, False, c)], x0, x1, top, top + size, size, False, False, c, column
        )

    lines = [line("Table 4.", 150, 70, 10, 1), line("Readings at four stations", 200, 70, 10, 2)]
    lines.append(line("[mg/L, milligrams per liter]", 320, 90, 10, 2))
    for i in range(6):
        top = 120 + 9 * i
        lines += [line(f"Station {i}", 60, top, 7, 1), line(f"{i}.5", 320, top, 7, 2), line(f"{i}.7", 400, top, 7, 2)]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    figures, _ = find_figures("p01", lines, {}, 10.0)
    assert [row[-2:] for row in _one(figures).rows] == [[f"{i}.5", f"{i}.7"] for i in range(6)]
