"""layout: lines, furniture, columns and reading order, superscripts, bullets, ligatures.

Each test draws a small PDF (tests/pdfs.py) whose geometry it knows and runs it
through open_pdf -> read_pages -> layout.
"""

import pdfs
import pytest


def _build(tmp_path_factory, builder, **kwargs):
    path = tmp_path_factory.mktemp("layout") / f"{builder.__name__}.pdf"
    info = builder(path, **kwargs)
    pages, diagnostics = pdfs.load(path)
    return pages, info


def _plains(lines):
    return [ln.plain for ln in lines]


def _line_with(page, words):
    found = [ln for ln in page.lines if words in ln.text]
    assert len(found) == 1, f"expected one line containing {words!r}, got {[ln.text for ln in found]}"
    return found[0]


# ------------------------------------------------------------ running header, footer, page label


@pytest.fixture(scope="module")
def furniture(tmp_path_factory):
    return _build(tmp_path_factory, pdfs.running_furniture)


def test_running_header_and_page_number_are_furniture(furniture):
    pages, info = furniture
    assert len(pages) == 3
    for page, printed in zip(pages, info["labels"]):
        assert info["header"] in _plains(page.furniture)
        assert printed in _plains(page.furniture)
        assert info["header"] not in _plains(page.lines)
        assert printed not in _plains(page.lines)
        assert not any(ln.plain.isdigit() for ln in page.lines)


def test_page_label_is_the_printed_number(furniture):
    pages, info = furniture
    assert [p.label for p in pages] == info["labels"]


def test_body_text_stays_in_lines_in_order(furniture):
    pages, info = furniture
    for page, body in zip(pages, info["bodies"]):
        text = [t for t in _plains(page.lines) if t != info["stray"]]
        assert text == body


def test_body_line_near_the_top_of_one_page_is_not_furniture(furniture):
    pages, info = furniture
    second = pages[1]
    assert info["stray"] not in _plains(second.furniture)
    assert _plains(second.lines)[0] == info["stray"]  # above the paragraph, so read first
    assert info["stray"] not in _plains(pages[0].lines) + _plains(pages[2].lines)


# ------------------------------------------------------------ columns and reading order


def test_two_columns_read_left_column_then_right_after_full_width_title(tmp_path_factory):
    pages, info = _build(tmp_path_factory, pdfs.two_columns)
    page = pages[0]
    assert page.columns == 2
    assert _plains(page.lines) == [info["title"]] + info["left"] + info["right"]
    columns = {ln.plain: ln.column for ln in page.lines}
    assert columns[info["title"]] == 0
    assert {columns[t] for t in info["left"]} == {1}
    assert {columns[t] for t in info["right"]} == {2}
    assert len(page.gutters) == 1 and 281 < page.gutters[0] < 314  # between the columns' edges as drawn


def test_three_columns_are_read_one_after_the_other(tmp_path_factory):
    pages, info = _build(tmp_path_factory, pdfs.three_columns)
    page = pages[0]
    assert page.columns == 3 and len(page.gutters) == 2
    second, third = info["columns"]
    expected = (
        [(0, info["title"])] + [(1, t) for t in info["cells"]] + [(2, t) for t in second] + [(3, t) for t in third]
    )
    assert [(ln.column, ln.plain) for ln in page.lines] == expected


def test_a_column_of_smaller_type_takes_the_documents_gutter(tmp_path_factory):
    """A page whose body type shows one of the document's two gutters (its first column is
    set smaller) is read in the document's three columns, not two."""
    pages, info = _build(tmp_path_factory, pdfs.three_columns_one_in_small_type)
    page = pages[2]
    assert page.columns == 3
    expected = [(k + 1, t) for k, column in enumerate(info["columns"]) for t in column]
    assert [(ln.column, ln.plain) for ln in page.lines] == expected


def test_notes_in_two_columns_under_three_of_text_are_read_in_their_own_columns(tmp_path_factory):
    pages, info = _build(tmp_path_factory, pdfs.three_columns_over_two_of_notes)
    page = pages[0]
    assert page.columns == 3
    text = [t for column in info["columns"] for t in column]
    notes = info["notes"][0] + info["notes"][1]
    assert _plains(page.lines) == text + notes
    assert {ln.column for ln in page.lines if ln.plain in info["notes"][0]} != {
        ln.column for ln in page.lines if ln.plain in info["notes"][1]
    }


def test_a_few_lines_of_text_over_notes_across_the_page_keep_the_documents_columns(tmp_path_factory):
    pages, info = _build(tmp_path_factory, pdfs.columns_over_notes)
    page = pages[1]
    assert page.columns == 2
    expected = [(1, t) for t in info["left"]] + [(2, t) for t in info["right"]] + [(0, t) for t in info["notes"]]
    assert [(ln.column, ln.plain) for ln in page.lines] == expected


def test_full_width_line_cuts_the_columns_into_bands(tmp_path_factory):
    pages, info = _build(tmp_path_factory, pdfs.two_columns_banded)
    page = pages[0]
    assert page.columns == 2
    assert _plains(page.lines) == (
        info["left_top"] + info["right_top"] + [info["full"]] + info["left_bottom"] + info["right_bottom"]
    )
    assert next(ln for ln in page.lines if ln.plain == info["full"]).column == 0


def test_one_column_page_keeps_top_to_bottom_order(tmp_path_factory):
    pages, info = _build(tmp_path_factory, pdfs.one_column)
    page = pages[0]
    assert page.columns == 1
    assert page.gutters == []
    assert _plains(page.lines) == info["lines"]
    assert {ln.column for ln in page.lines} == {0}


# ------------------------------------------------------------ superscripts


@pytest.fixture(scope="module")
def sups(tmp_path_factory):
    pages, info = _build(tmp_path_factory, pdfs.superscripts)
    return pages[0], info


def _sup_spans(line):
    return [s.text.strip() for s in line.spans if s.superscript]


def test_superscript_after_a_word_is_a_raised_span_of_the_same_line(sups):
    page, _ = sups
    line = _line_with(page, "rose sharply")
    assert _sup_spans(line) == ["1"]
    assert "demand recovered" in line.text  # the words after the marker are on the same line
    assert "1" not in _plains(page.lines)  # the marker did not become a line of its own


def test_superscript_after_punctuation(sups):
    page, _ = sups
    line = _line_with(page, "earlier level.")
    assert _sup_spans(line) == ["2"]
    assert line.text.index("level.") < line.text.index("2") < line.text.index("The COP26")


def test_superscript_at_the_end_of_a_line(sups):
    page, _ = sups
    line = _line_with(page, "both partners.")
    assert _sup_spans(line) == ["3"]
    assert line.plain == "turned attention to the climate commitments of both partners."


def test_normal_size_numbers_are_not_superscript(sups):
    page, _ = sups
    all_sup = [t for ln in page.lines for t in _sup_spans(ln)]
    assert all_sup == ["1", "2", "3"]
    for ln in page.lines:
        for span in ln.spans:
            if "2021" in span.text or "COP26" in span.text:
                assert not span.superscript


def test_text_around_a_superscript_keeps_its_word_space(sups):
    """Line.plain (what headings and titles read as) drops the marker, not the space after it."""
    page, info = sups
    line = _line_with(page, "rose sharply")
    assert line.plain == "Exports to the Union rose sharply in the year 2021 as demand recovered"
    line = _line_with(page, "earlier level.")
    assert line.plain == "and prices fell back to their earlier level. The COP26 summit then"


# ------------------------------------------------------------ bullets and ligatures


@pytest.fixture(scope="module")
def bullet_page(tmp_path_factory):
    pages, info = _build(tmp_path_factory, pdfs.bullets)
    return pages[0], info


@pytest.mark.parametrize("glyph", ["•", "-"])
def test_bullet_glyph_followed_by_a_space_sets_bullet(bullet_page, glyph):
    page, info = bullet_page
    line = _line_with(page, info["items"][glyph])
    assert line.bullet == glyph
    assert line.text == info["items"][glyph]


def test_bullet_glyph_set_apart_to_the_left_sets_bullet(bullet_page):
    page, info = bullet_page
    line = _line_with(page, info["items"]["▶"])
    assert line.bullet == "▶"
    assert line.text == info["items"]["▶"]
    assert not any("▶" in ln.text for ln in page.lines)


def test_lines_that_are_not_list_items_keep_their_text(bullet_page):
    page, info = bullet_page
    for key in ("plain", "negative"):
        line = _line_with(page, info[key])
        assert line.bullet is None
        assert line.text == info[key]
    assert sum(ln.bullet is not None for ln in page.lines) == 3


def test_ligature_glyphs_are_expanded(tmp_path_factory):
    pages, info = _build(tmp_path_factory, pdfs.ligatures)
    page = pages[0]
    assert page.lines[0].text == info["expanded"]
    assert not any(ch in ln.text for ln in page.lines for ch in "\ufb00\ufb01\ufb02\ufb03\ufb04")


def test_neighbouring_cells_on_nearly_the_same_baseline_are_not_interleaved():
    from compendium_corpus.lines import _unmix

    def chars(text, x, bottom):
        return [(ch, x + 3 * i, x + 3 * i + 3, bottom - 6, bottom, 6.2, "F", (0.0,)) for i, ch in enumerate(text)]

    left, right = chars("transparent", 100, 500.0), chars("overcapacity", 131, 500.6)
    assert sorted(map(len, _unmix(left + right))) == [11, 12]  # overflowing cell: two lines
    apart = chars("overcapacity", 140, 500.6)
    assert len(_unmix(left + apart)) == 1  # side by side, only the baseline differs: one row


def test_a_gutter_of_about_an_em_splits_a_row_whose_word_spaces_are_drawn():
    from compendium_corpus.lines import _segments

    def run(text, x, size=9.3, spaced=True):
        """Glyphs half an em wide; words apart by a space glyph or, unspaced, a third of an em."""
        out = []
        for word in text.split():
            if out:
                if spaced:
                    out.append((" ", x, x + size / 4, 100 - size, 100.0, size, "F", (0.0,)))
                x += size / 4 if spaced else size / 3
            for ch in word:
                out.append((ch, x, x + size / 2, 100 - size, 100.0, size, "F", (0.0,)))
                x += size / 2
        return out, x

    def texts(segments):
        return ["".join(c[0] for c in seg).strip() for seg in segments]

    left, end = run("the end of a line in the left column", 40)
    right, _ = run("and the right column goes on", end + 0.9 * 9.3)
    assert texts(_segments(left + right)) == ["the end of a line in the left column", "and the right column goes on"]
    # words set apart by bare gaps: a gap of 0.9 em may be a loose justified line, one row
    left, end = run("the end of a line", 40, spaced=False)
    right, _ = run("and more words", end + 0.9 * 9.3, spaced=False)
    assert len(_segments(left + right)) == 1
    # a list mark set off by a tab stays with its text
    bullet = [("•", 40, 44, 91, 100.0, 9.3, "F", (0.0,))]
    item, _ = run("open public procurement to partners", 44 + 0.9 * 9.3)
    assert len(_segments(bullet + item)) == 1


def test_a_notes_title_under_the_columns_starts_a_block_but_a_heading_with_text_under_it_does_not():
    """Below a blank strip across both columns: a title with nothing in body type under it
    (notes follow, set across the page) is read after both columns; a heading followed by
    body text in its column carries on the flow of that column."""
    from compendium_corpus.columns import _blocks_below
    from compendium_corpus.model import Line, Span

    def line(column, top, size=10.0, text="words of the running text"):
        x0 = 50.0 if column == 1 else 300.0
        ln = Line(
            1,
            [Span(text, x0, x0 + 200, size, False, False, (0.0,))],
            x0,
            x0 + 200,
            top,
            top + size,
            size,
            False,
            False,
            (0.0,),
        )
        ln.column = column
        return ln

    left = [line(1, 100 + 13 * i) for i in range(8)]
    right = [line(2, 100 + 13 * i) for i in range(5)]
    title = line(1, 230, 12.0, "Endnotes")
    assert [len(part) for part in _blocks_below(left + right + [title], 10.0, range(1, 3))] == [13, 1]
    text_under = [line(1, 250 + 13 * i) for i in range(3)]
    assert len(_blocks_below(left + right + [title] + text_under, 10.0, range(1, 3))) == 1
