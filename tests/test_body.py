"""body: sections, paragraphs, list items, footnote markers, pull-quotes and figures,
read end to end (`pipeline.extract.extract`) from one small two-column compendium.

The PDF is drawn once by tests/pdfs_body.py: `compendium`. Every expected value
below comes from the builder's record of what it drew (the logical text of each
paragraph, where its lines went, the headings and their levels, the figure), never
from the pipeline's output.
"""

from __future__ import annotations

import hashlib

import pdfs
import pdfs_body
import pytest


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    path = tmp_path_factory.mktemp("body") / "compendium.pdf"
    expected = pdfs_body.compendium(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    tables = pdfs.extracted(path, sha[:16], sha)
    return expected, tables


def _paragraphs(tables, paper_id="p01"):
    return [p for p in tables["paragraphs"] if p["paper_id"] == paper_id]


def _containing(tables, needle):
    """The paragraph rows whose text contains `needle`."""
    return [p for p in tables["paragraphs"] if needle in p["text"]]


def _one(tables, needle):
    found = _containing(tables, needle)
    assert len(found) == 1, f"{len(found)} paragraphs contain {needle!r}: {[p['text'][:60] for p in found]}"
    return found[0]


def _heading_of(tables, paragraph):
    by_id = {s["section_id"]: s for s in tables["sections"] if s["paper_id"] == paragraph["paper_id"]}
    section = by_id.get(paragraph["section_id"])
    return section["heading"] if section else None


def _check_whole(tables, mark, first_words, last_words):
    """The paragraph drawn as `mark` comes out as one row with exactly its text and pages."""
    start = _one(tables, first_words)
    assert last_words in start["text"], "the paragraph was cut: its end is in another row"
    assert start["text"] == mark["text"]
    assert start["kind"] == mark["kind"]
    assert (start["page_start"], start["page_end"]) == (mark["page_start"], mark["page_end"])
    assert _heading_of(tables, start) == mark["section"]
    return start


# ------------------------------------------------------------------ the document itself


def test_both_papers_are_found_on_the_pages_drawn(doc):
    expected, tables = doc
    got = [(p["paper_id"], p["title"], p["page_start"], p["page_end"]) for p in tables["papers"]]
    assert got == [(p["paper_id"], p["title"], p["page_start"], p["page_end"]) for p in expected["papers"]]


def test_every_paragraph_in_reading_order(doc):
    """All body blocks of both papers, in order: kind, lead-in, text, pages and section."""
    expected, tables = doc
    got = [
        (p["paper_id"], p["kind"], p["lead"], p["text"], p["page_start"], p["page_end"], _heading_of(tables, p))
        for p in tables["paragraphs"]
    ]
    want = [
        (p["paper"], p["kind"], p["lead"], p["text"], p["page_start"], p["page_end"], p["section"])
        for p in expected["paragraphs"]
    ]
    assert got == want


def test_positions_and_ids_run_in_order_within_each_paper(doc):
    _, tables = doc
    for pid in ("p01", "p02"):
        rows = _paragraphs(tables, pid)
        assert [p["position"] for p in rows] == list(range(1, len(rows) + 1))
        assert len({p["paragraph_id"] for p in rows}) == len(rows)


def test_running_header_footer_and_page_numbers_are_not_body_text(doc):
    _, tables = doc
    for p in tables["paragraphs"]:
        assert pdfs_body.TITLE_1 not in p["text"]  # the running header of pages 5-7
        assert "crossroads" not in p["text"].lower()  # the footer
        assert not p["text"].split()[-1].isdigit()  # no page number glued to a paragraph's end


# ------------------------------------------------------------------ paragraphs over breaks


def test_paragraph_from_left_column_foot_to_right_column_top_is_one(doc):
    expected, tables = doc
    mark = expected["marks"]["columns"]
    assert {c for _, c in mark["where"]} == {1, 2}  # the builder drew it over both columns
    _check_whole(tables, mark, "Across the gutter", "closes at the top of the right one.")


def test_paragraph_over_a_page_turn_with_running_header_is_one(doc):
    expected, tables = doc
    mark = expected["marks"]["page_turn"]
    assert (mark["page_start"], mark["page_end"]) == (4, 5)
    row = _check_whole(tables, mark, "Over the page turn", "and ends on the following page.")
    assert pdfs_body.TITLE_1 not in row["text"]


# ------------------------------------------------------------------ hyphenation


def test_word_hyphenated_at_line_end_is_rejoined(doc):
    expected, tables = doc
    mark = expected["marks"]["hyphens"]
    row = _one(tables, "The economy needs a deep")
    assert "transformation" in row["text"]
    assert "transfor-" not in row["text"] and "transfor mation" not in row["text"]
    assert row["text"] == mark["text"]


def test_compound_with_capital_after_the_line_end_hyphen_keeps_it(doc):
    _, tables = doc
    row = _one(tables, "The economy needs a deep")
    assert "China-EU dialogue" in row["text"]


def test_compound_printed_elsewhere_keeps_its_hyphen_when_split_at_line_end(doc):
    expected, tables = doc
    inline = _one(tables, "Officials now speak of")
    assert "de-risking rather than decoupling" in inline["text"]  # printed whole inside a line
    split = _one(tables, "Both capitals pursue")
    assert "de-risking of supply chains" in split["text"]
    assert "derisking" not in split["text"] and "de- risking" not in split["text"]
    assert split["text"] == expected["marks"]["derisking_split"]["text"]


# ------------------------------------------------------------------ footnote markers


def test_footnote_markers_after_a_word_and_after_punctuation(doc):
    expected, tables = doc
    mark = expected["marks"]["markers"]
    row = _one(tables, "Exports to the Union")
    assert row["text"] == mark["text"]
    refs = [(r["number"], r["offset"]) for r in row["footnote_refs"]]
    assert refs == mark["refs"]
    assert row["text"][: refs[0][1]].endswith("rose sharply")  # after a word
    assert row["text"][: refs[1][1]].endswith("earlier level.")  # after a full stop


def test_marker_digits_are_gone_but_a_year_and_cop26_stay(doc):
    _, tables = doc
    row = _one(tables, "Exports to the Union")
    text = row["text"]
    assert "sharply1" not in text and "sharply 1" not in text
    assert "level.2" not in text and "level. 2" not in text
    assert "in the year 2021 as" in text and "The COP26 summit" in text
    assert sorted(r["number"] for r in row["footnote_refs"]) == [1, 2]  # 2021 and COP26 are no markers


# ------------------------------------------------------------------ pull-quotes


@pytest.mark.parametrize(
    "kind, mark_key, opening",
    [
        ("display", "display_quote", "Negotiators on both sides"),
        ("framed", "framed_quote", "Institutions can still help."),
    ],
)
def test_pull_quote_goes_to_pull_quotes_and_its_paragraph_stays_whole(doc, kind, mark_key, opening):
    expected, tables = doc
    drawn = next(q for q in expected["quotes"] if q["kind"] == kind)
    mark = expected["marks"][mark_key]
    host = _check_whole(tables, mark, opening, mark["text"][-25:])
    # the quote's sentence is read once, inside its paragraph; no paragraph is the quote
    assert len(_containing(tables, drawn["text"])) == 1
    assert all(p["text"] != drawn["text"] for p in tables["paragraphs"])
    quotes = [q for q in tables["pull_quotes"] if q["text"] == drawn["text"]]
    assert len(quotes) == 1, [q["text"] for q in tables["pull_quotes"]]
    quote = quotes[0]
    assert (quote["paper_id"], quote["page"]) == (drawn["paper"], drawn["page"])
    assert quote["source_paragraph_id"] == host["paragraph_id"]


def test_only_the_drawn_pull_quotes(doc):
    expected, tables = doc
    assert sorted(q["text"] for q in tables["pull_quotes"]) == sorted(q["text"] for q in expected["quotes"])
    assert len({q["pull_quote_id"] for q in tables["pull_quotes"]}) == len(tables["pull_quotes"])


# ------------------------------------------------------------------ headings and sections


def test_sections_with_levels_parents_and_pages(doc):
    expected, tables = doc
    for pid in ("p01", "p02"):
        rows = [s for s in tables["sections"] if s["paper_id"] == pid]
        by_id = {s["section_id"]: s["heading"] for s in rows}
        got = [(s["heading"], s["level"], by_id.get(s["parent_section_id"]), s["page"]) for s in rows]
        want = [(s["heading"], s["level"], s["parent"], s["page"]) for s in expected["sections"] if s["paper"] == pid]
        assert got == want
        assert [s["position"] for s in rows] == list(range(1, len(rows) + 1))
        assert all(s["parent_section_id"] is None for s in rows if s["level"] == 1)


def test_headings_are_not_paragraphs(doc):
    expected, tables = doc
    headings = {s["heading"] for s in expected["sections"]}
    assert not [p["text"] for p in tables["paragraphs"] if p["text"] in headings]


def test_heading_with_no_text_under_it_is_reported(doc):
    expected, tables = doc
    empty = expected["marks"]["empty"]
    rows = [d for d in tables["diagnostics"] if d["code"] == "empty-section"]
    assert len(rows) == 1, rows  # only the one heading drawn without text under it
    row = rows[0]
    assert (row["paper_id"], row["page"]) == ("p01", empty["page"])
    assert empty["heading"] in row["message"]
    assert row["severity"] in ("info", "warning")


# ------------------------------------------------------------------ list items


@pytest.mark.parametrize("mark_key, glyph", [("item_bullet", "•"), ("item_wrapped", "▶"), ("item_dash", "-")])
def test_bullet_items_with_bold_lead_in(doc, mark_key, glyph):
    expected, tables = doc
    mark = expected["marks"][mark_key]
    rows = [p for p in tables["paragraphs"] if p["lead"] == mark["lead"]]
    assert len(rows) == 1, f"lead {mark['lead']!r} (after {glyph!r}) found {len(rows)} times"
    row = rows[0]
    assert (row["kind"], row["lead"], row["text"]) == ("list_item", mark["lead"], mark["text"])
    assert not row["lead"].endswith(":") and not row["text"].startswith(":")
    assert glyph not in row["text"][:2]


def test_bullet_item_wrapping_onto_a_second_line_is_one_item(doc):
    expected, tables = doc
    mark = expected["marks"]["item_wrapped"]
    assert len(mark["where"]) == 2  # drawn on two lines
    second_line = mark["text"].split()[-1]
    rows = _containing(tables, second_line)
    assert [(r["kind"], r["lead"], r["text"]) for r in rows] == [("list_item", mark["lead"], mark["text"])]


def test_paragraphs_around_the_list_are_paragraphs(doc):
    expected, tables = doc
    intro = _one(tables, "could act in three areas")
    after = _one(tables, "Officials should keep these areas apart")
    assert (intro["kind"], intro["lead"]) == ("paragraph", None)
    assert (after["kind"], after["lead"]) == ("paragraph", None)
    assert after["text"] == expected["marks"]["should_outside"]["text"]


def test_sentence_line_opening_with_a_dash_is_not_a_list_item(doc):
    expected, tables = doc
    mark = expected["marks"]["dash_line"]
    row = _one(tables, "Investment screening is only one part")
    assert row["kind"] == "paragraph" and row["lead"] is None
    assert "policy mix – and it matters more than ever – because" in row["text"]
    assert row["text"] == mark["text"]
    assert not [p for p in tables["paragraphs"] if p["text"].startswith("and it matters more than ever")]


# ------------------------------------------------------------------ figures


def test_figure_row_with_label_title_caption_cells_and_source(doc):
    expected, tables = doc
    fig = expected["figure"]
    assert len(tables["figures"]) == 1
    row = tables["figures"][0]
    assert (row["paper_id"], row["label"], row["title"]) == ("p01", fig["label"], fig["title"])
    assert row["caption"] == fig["caption"]
    assert row["rows"] == fig["rows"]
    assert row["source"] == fig["source"]
    assert row["page"] == fig["page"]


def test_no_figure_words_in_paragraphs(doc):
    expected, tables = doc
    fig = expected["figure"]
    pieces = [fig["label"], fig["title"], fig["caption"], fig["source"], "Eurostat", "EUR bn", "Indicator"]
    pieces += [cell for r in fig["rows"] for cell in r if not cell.isdigit()]
    for p in tables["paragraphs"]:
        for piece in pieces:
            assert piece not in p["text"], f"{piece!r} leaked into {p['paragraph_id']}"
        for number in ("198", "223", "362", "514", "2019", "2023"):
            assert number not in p["text"].split()


def test_paragraph_interrupted_by_the_figure_stays_whole(doc):
    expected, tables = doc
    mark = expected["marks"]["figure_para"]
    assert mark["where"][3] == (6, 2) and mark["where"][4] == (6, 1)  # above and below the figure
    _check_whole(tables, mark, "Around the figure", "and ends below the figure.")


def _line(text, top, size, x0=50.0, page=1, superscript=False):
    from compendium_corpus.model import Line, Span

    x1 = x0 + len(text) * size * 0.5
    return Line(
        page,
        [Span(text, x0, x1, size, False, False, (0.0, 0.0, 0.0), superscript)],
        x0,
        x1,
        top,
        top + size,
        size,
        False,
        False,
        (0.0, 0.0, 0.0),
    )


def test_marker_pushed_onto_its_own_line_rejoins_the_line_above():
    from compendium_corpus.body import _wrapped_marker

    body = _line("be part of digital health cooperation, not an afterthought.", 100, 10)
    marker = _line("32", 113, 6.2)
    assert _wrapped_marker(body, marker)
    # a year in body type, a small number far below, or on another page is not
    assert not _wrapped_marker(body, _line("2025", 113, 10))
    assert not _wrapped_marker(body, _line("32", 140, 6.2))
    assert not _wrapped_marker(body, _line("32", 113, 6.2, page=2))


def test_numbered_items_after_a_heading_are_list_items_but_a_sentence_is_not():
    from compendium_corpus.body import _blocks

    heading = _line("Recommendations", 100, 12)
    heading.bold = True
    heading.spans[0].bold = True
    first = _line("1. Strengthen cooperation on climate finance.", 120, 10)
    second = _line("2. Build trust through people-to-people exchanges.", 140, 10)
    prose = _line("Overall, three steps matter most for both sides.", 180, 10)
    blocks = _blocks([heading, first, second, prose], set(), {heading.style}, _style(10))
    assert [k for k, _ in blocks] == ["heading", "list_item", "list_item", "paragraph"]
    assert [b[1][0].bullet for b in blocks[1:3]] == ["1.", "2."]
    assert blocks[1][1][0].text == "Strengthen cooperation on climate finance."


def test_a_notes_title_closing_the_paper_is_not_a_section():
    from compendium_corpus.body import _without_notes_title

    text = ("paragraph", [_line("The last paragraph of the paper.", 100, 10)])
    notes = ("heading", [_line("Endnotes", 130, 12)])
    references = ("heading", [_line("References", 130, 12)])
    late = ("heading", [_line("Notes on method", 130, 12)])
    assert _without_notes_title([text, notes]) == [text]
    assert _without_notes_title([text, references]) == [text, references]  # works cited are a section
    assert _without_notes_title([text, late]) == [text, late]
    assert _without_notes_title([notes, text]) == [notes, text]


def test_a_quote_floated_beside_the_text_is_one_pull_quote():
    """The floated quote's lines are read interleaved with the body lines beside
    them; they still make one quote, and the body lines stay out of it."""
    from compendium_corpus.body import _pull_quote_groups
    from compendium_corpus.model import Page

    quote_words = ["In fact, the shared risk for", "China and Europe is a", "disordered world order."]
    lines = []
    for i in range(3):
        lines.append(_line(f"body text line number {i} of the paragraph beside", 100 + 13 * i, 9.5))
        q = _line(quote_words[i], 104 + 15 * i, 12, x0=354)
        q.italic = True
        q.spans[0].italic = True
        lines.append(q)
    groups = _pull_quote_groups(lines, {1: Page(1, 595, 842, lines=lines)}, 9.5, (0.0, 0.0, 0.0), set())
    assert [[ln.plain for ln in g] for g in groups] == [quote_words]


def test_capitals_at_body_size_head_a_section_only_when_they_do_not_carry_on_a_paragraph():
    from compendium_corpus.body import _blocks
    from compendium_corpus.headings import heading_types

    first = _line("The paragraph before the heading ends here.", 100, 9.3)
    heading = _line("THE RISE OF TRUMPISM AND THE FRAGMENTED ORDER", 125, 9.5)
    body = _line("Trumpism emerged from deep economic, social and political roots and it", 142, 9.3)
    body.x1 = 300
    caps_inside = _line("NATO AND THE EU", 154, 9.3)
    after = _line("went on to shape the debate for years.", 166, 9.3)
    lines = [first, heading, body, caps_inside, after]
    for ln in lines:
        ln.x1 = 300 if ln is not first else 200
    blocks = _blocks(lines, set(), heading_types([lines], _style(9.3), (0.0, 0.0, 0.0)), _style(9.3))
    assert [(k, [ln.plain for ln in ls]) for k, ls in blocks] == [
        ("paragraph", [first.plain]),
        ("heading", [heading.plain]),
        ("paragraph", [body.plain, caps_inside.plain, after.plain]),
    ]


def test_a_pull_quote_is_traced_to_the_copy_nearest_its_page():
    """A sentence repeated far apart (a book read as one paper) is credited to the
    paragraph printed near the quote, and the search stays within a few spreads."""
    from compendium_corpus.body import ParagraphDraft, _source_paragraph

    sentence = "Trust is built in small steps, kept promises and shared results."

    def paragraph(n: int, page: int, text: str) -> ParagraphDraft:
        return ParagraphDraft(f"p01-para{n:03d}", None, "paragraph", None, text, [], page, page, n)

    early = paragraph(1, 3, "Both sides agree on one thing. " + sentence)
    filler = [paragraph(n, 4 + n, f"Paragraph {n} is about something else entirely.") for n in range(2, 40)]
    late = paragraph(40, 60, sentence + " The rest follows from there.")
    paragraphs = [early, *filler, late]
    assert _source_paragraph(sentence, 61, paragraphs) == late.paragraph_id
    assert _source_paragraph(sentence, 4, paragraphs) == early.paragraph_id
    assert _source_paragraph(sentence, 30, paragraphs) is None


def _style(body: float):
    """A document style whose body type is `body` points (columns wide enough for any test line)."""
    from compendium_corpus.style import DocumentStyle

    return DocumentStyle(body, (0.0, 0.0, 0.0), 500.0, frozenset())


def _styled(line, bold=False, size=None):
    """The line set bold and/or in another size, span and line alike."""
    for span in line.spans:
        span.bold = bold
        span.size = size or span.size
    line.bold, line.size = bold, size or line.size
    return line


def test_a_heading_in_its_own_type_goes_on_over_lines_that_do_not_look_like_one():
    """Capitals a size above the body, wrapped: an opening line ending in a colon, a last
    line with no letters; a paragraph that ended a sentence at the foot of the column
    before does not take the heading's first line."""
    from compendium_corpus.body import _blocks

    before = _line("The last sentence of the paragraph before runs to the end.", 60, 10)
    first = _styled(_line("1. STRUCTURAL CHALLENGES:", 100, 10), size=11)
    second = _styled(_line("THE FIVE-YEAR PLAN", 113, 10), size=11)
    third = _styled(_line("(2026-2030)", 126, 10), size=11)
    text = _line("The paragraph under the heading opens here and runs on.", 142, 10)
    blocks = _blocks([before, first, second, third, text], set(), {first.style}, _style(10))
    assert [(k, [ln.plain for ln in lines]) for k, lines in blocks] == [
        ("paragraph", [before.plain]),
        ("heading", [first.plain, second.plain, third.plain]),
        ("paragraph", [text.plain]),
    ]


def test_a_bold_lead_in_wrapping_onto_a_line_of_its_own_stays_in_its_item():
    from compendium_corpus.body import _blocks

    item = _line("Treat capital controls and the", 100, 10)
    item.bullet = "•"
    item.spans[0].bold = True
    lead = _styled(_line("undervalued currency as a trade issue:", 113, 10), bold=True)
    rest = _line("The structural undervaluation distorts the terms of trade.", 126, 10)
    heading = _styled(_line("Conclusions", 150, 10), bold=True)
    after = _line("In short, both sides gain from a steadier relationship.", 166, 10)
    blocks = _blocks([item, lead, rest, heading, after], set(), {heading.style}, _style(10))
    assert [(k, len(lines)) for k, lines in blocks] == [("list_item", 3), ("heading", 1), ("paragraph", 1)]


def test_an_item_carried_onto_a_page_of_its_own_lines_stays_one_item():
    """Over a page turn, the item's hanging lines are all the new column holds, so they
    make its left edge: the second of them does not start a new paragraph."""
    from compendium_corpus.body import _blocks

    text = _line("A paragraph at the column's left edge, long enough to set it.", 100, 10, x0=48)
    item = _line("Various forms of co-financing should be encouraged from both", 120, 10, x0=60)
    item.bullet = "•"
    wrapped = _line("sides to mobilise more private capital, and insurers should", 133, 10, x0=60)
    over = [
        _line("cooperate to provide more robust risk mitigation mechanisms", 60, 10, x0=60, page=2),
        _line("for energy transition projects in the region as a whole.", 73, 10, x0=60, page=2),
    ]
    blocks = _blocks([text, item, wrapped, *over], set(), set(), _style(10))
    assert [(k, len(lines)) for k, lines in blocks] == [("paragraph", 1), ("list_item", 4)]
    back = _line("A new paragraph back at the left edge after the item ends.", 86, 10, x0=48, page=2)
    blocks = _blocks([text, item, wrapped, *over, back], set(), set(), _style(10))
    assert [(k, len(lines)) for k, lines in blocks] == [("paragraph", 1), ("list_item", 4), ("paragraph", 1)]


def test_a_heading_numbered_as_a_legal_section_is_no_pull_quote_when_a_list_repeats_it():
    """'§12.44 Request for hearing or appearance; waiver.' in bold is the section's heading,
    though a list of sections nearby prints its words again."""
    from dataclasses import replace

    from compendium_corpus.body import _repeating
    from compendium_corpus.style import DocumentStyle

    heading = [
        replace(_line("§12.44 Request for hearing or ap-", 100, 8), bold=True),
        replace(_line("pearance; waiver.", 110, 8), bold=True),
    ]
    listed = [_line("12.44 Request for hearing or appearance; waiver.", 300, 7)]
    style = DocumentStyle(8.0, (0.0, 0.0, 0.0), 200.0, frozenset())
    kept, quotes = _repeating([("heading", heading), ("paragraph", listed)], style)
    assert quotes == [] and [kind for kind, _ in kept] == ["heading", "paragraph"]
