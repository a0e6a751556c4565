"""notes: endnotes and footnotes cut into numbered notes, their text, links,
citing paragraphs and the numbering checks.

Two small compendiums (tests/pdfs_notes.py) go through the whole extraction;
the finer rules are tested on lines built by hand.
"""

import pdfs
import pdfs_notes
import pytest

from compendium_corpus.body import PaperBody, ParagraphDraft
from compendium_corpus.model import Diagnostics, Line, Link, Page, Span, page_index
from compendium_corpus.notes import extract_notes
from compendium_corpus.notesplit import split_notes
from compendium_corpus.source import open_pdf, read_pages
from compendium_corpus.structure import PaperDraft
from compendium_corpus.text import Ref


def _run(tmp_path_factory, label):
    path = tmp_path_factory.mktemp("notes") / "notes.pdf"
    expected = pdfs_notes.notes_compendium(path, label)
    tables = pdfs.extracted(path, "test", "0" * 64)
    return tables, expected


@pytest.fixture(scope="module")
def dotted(tmp_path_factory):
    return _run(tmp_path_factory, "{n}.")


@pytest.fixture(scope="module")
def dashed(tmp_path_factory):
    return _run(tmp_path_factory, "- {n}")


def _notes(tables, title):
    pid = next(p["paper_id"] for p in tables["papers"] if p["title"] == title)
    return pid, {r["number"]: r for r in tables["footnotes"] if r["paper_id"] == pid}


def _codes(tables, pid):
    return [(r["code"], r["message"]) for r in tables["diagnostics"] if r["stage"] == "notes" and r["paper_id"] == pid]


# ------------------------------------------------------------- whole documents


def test_endnotes_with_raised_numbers(dotted):
    tables, expected = dotted
    _, notes = _notes(tables, "Endnotes in practice")
    assert {n: r["text"] for n, r in notes.items()} == expected["A"]["notes"]
    assert {n: r["page"] for n, r in notes.items()} == expected["A"]["pages"]


def test_year_opening_a_wrapped_line_is_no_note_and_hyphen_is_rejoined(dotted):
    tables, _ = dotted
    _, notes = _notes(tables, "Endnotes in practice")
    assert 2025 not in notes
    assert "transformation in Europe" in notes[1]["text"] and notes[1]["text"].endswith("published on 2025.")


def test_link_inside_a_note_gives_its_url(dotted):
    tables, expected = dotted
    _, notes = _notes(tables, "Endnotes in practice")
    assert {n: r["urls"] for n, r in notes.items() if r["urls"]} == expected["A"]["links"]
    assert "](" not in notes[2]["text"]


def test_cited_by_lists_the_citing_paragraphs(dotted):
    tables, _ = dotted
    pid, notes = _notes(tables, "Endnotes in practice")
    citing = {}
    for p in (p for p in tables["paragraphs"] if p["paper_id"] == pid):
        for r in p["footnote_refs"]:
            citing.setdefault(r["number"], []).append(p["paragraph_id"])
    assert all(notes[n]["cited_by"] == citing[n] for n in notes)
    assert notes[2]["cited_by"] == notes[3]["cited_by"]  # one paragraph cites 2 and 3


def test_marker_without_note_is_diagnosed_and_extraction_goes_on(dotted):
    tables, expected = dotted
    pid, notes = _notes(tables, "Endnotes in practice")
    codes = _codes(tables, pid)
    assert any(code == "marker-without-note" and str(expected["A"]["missing"]) in msg for code, msg in codes)
    assert expected["A"]["missing"] not in notes
    assert not any(code in ("note-never-cited", "numbering-gap") for code, _ in codes)
    _, other = _notes(tables, "Footnotes at the foot of the page")
    assert len(other) == 3


@pytest.mark.parametrize("variant", ["dotted", "dashed"])
def test_footnotes_numbered_in_plain_digits_run_over_the_page(variant, request):
    tables, expected = request.getfixturevalue(variant)
    pid, notes = _notes(tables, "Footnotes at the foot of the page")
    assert {n: r["text"] for n, r in notes.items()} == expected["B"]["notes"]
    assert {n: r["page"] for n, r in notes.items()} == expected["B"]["pages"]
    assert _codes(tables, pid) == []


def test_notes_stay_with_their_paper(dotted):
    tables, _ = dotted
    pages = {p["paper_id"]: (p["page_start"], p["page_end"]) for p in tables["papers"]}
    for note in tables["footnotes"]:
        start, end = pages[note["paper_id"]]
        assert start <= note["page"] <= end


def test_note_lines_running_into_the_bottom_margin_are_not_furniture(tmp_path):
    """A note's last line ('2025.') at the same height on two pages repeats like a footer
    would, but it carries on the note above it at the note spacing."""
    d = pdfs.Doc()
    for printed, source in ((1, "Office for Statistics"), (2, "Bureau of Trade")):
        d.page()
        d.paragraph(48, 80, 499, pdfs.filler(120, printed))
        d.text(48, 748, f"{printed}. {source}, a long reference that wraps onto a second line in", size=7.5)
        d.text(48, 758, "2025.", size=7.5)
        d.text(290, 803, str(printed), size=8.5)
    path = d.save(tmp_path / "margin.pdf")
    with open_pdf(path) as pdf:
        pages = pdfs.layout(list(read_pages(pdf, Diagnostics())), Diagnostics())
    for page in pages:
        assert "2025." in [ln.plain for ln in page.lines]
        assert [ln.plain for ln in page.furniture] == [str(page.number)]


# ------------------------------------------------------------- rules on hand-made lines


def _line(
    page: int,
    top: float,
    text: str,
    number: str | None = None,
    x0: float = 50,
    x1: float | None = None,
    size: float = 7.5,
    bullet: str | None = None,
    column: int = 0,
) -> Line:
    spans = []
    if number is not None:
        spans.append(Span(number, x0, x0 + 4, size * 0.7, False, False, (0,), True))
    spans.append(Span(text, x0 + (5 if number else 0), x1 or 50 + 3.4 * len(text), size, False, False, (0,)))
    return Line(
        page,
        spans,
        x0,
        x1 or 50 + 3.4 * len(text),
        top,
        top + size,
        size,
        False,
        False,
        (0,),
        column=column,
        bullet=bullet,
    )


FULL = 540  # the right edge of a full note line


def _texts(notes):
    from compendium_corpus.text import join_lines

    return {n.number: join_lines(n.text_lines, with_markers=False)[0] for n in notes}


def test_raised_numbers_win_over_a_wrapped_date():
    lines = [
        _line(3, 600, 'Ministry of Trade, "Notice on export rules and the procedures that apply", 11', "11", x1=FULL),
        _line(3, 610, "12 March 2019."),  # plain digits: the date wrapped, not note 12
        _line(3, 622, "Next source, 2020.", "12"),
    ]
    notes = split_notes(lines)
    assert [n.number for n in notes] == [11, 12]
    assert _texts(notes)[11].endswith(", 11 12 March 2019.")


def test_bare_digits_count_where_the_line_before_ended():
    lines = [
        _line(3, 600, "1 First source, a report that runs to the right edge of the note column and", x1=FULL),
        _line(3, 610, "2 March 2019, pp. 4-5."),  # carries on note 1: the line above is full
        _line(3, 622, "2 Second source, 2021."),
    ]  # opens note 2: the line above ended short
    notes = split_notes(lines)
    assert [n.number for n in notes] == [1, 2]
    assert _texts(notes)[1].endswith("and 2 March 2019, pp. 4-5.")


def test_parenthesis_numbers_and_numbers_set_apart():
    parens = [_line(5, 600, "1) Alpha source, 2020."), _line(5, 610, "2) Beta source, 2021.")]
    assert _texts(split_notes(parens)) == {1: "Alpha source, 2020.", 2: "Beta source, 2021."}
    apart = [
        _line(5, 600, "1.", x0=50, x1=56),
        _line(5, 600, "Alpha source, 2020.", x0=62),
        _line(5, 610, "2.", x0=50, x1=56),
        _line(5, 610, "Beta source, 2021.", x0=62),
    ]
    assert _texts(split_notes(apart)) == {1: "Alpha source, 2020.", 2: "Beta source, 2021."}


def test_stray_marker_and_distant_small_type_are_not_note_text():
    stray = Line(4, [Span("7", 50, 53, 5.0, False, False, (0,), True)], 50, 53, 300, 305, 5.0, False, False, (0,))
    lines = [
        stray,
        _line(4, 600, "First source.", "1"),
        _line(4, 610, "Second source.", "2"),
        _line(4, 700, "Photo credit: Harbour Institute"),
    ]  # far below the notes
    diagnostics = Diagnostics()
    notes = split_notes(lines, diagnostics, "p09")
    assert _texts(notes) == {1: "First source.", 2: "Second source."}
    assert [d.code for d in diagnostics.items] == ["stray-marker", "note-text-unattached"]


def test_note_running_over_columns_and_pages():
    lines = [
        _line(3, 700, "First source, a title long enough to fill its column in", "1", x1=280, column=1),
        _line(3, 710, "the first place and", x1=280, column=1),
        _line(3, 650, "to go on at the top of the next column.", x0=310, x1=400, column=2),
        _line(3, 660, "Second source.", "2", x0=310, x1=380, column=2),
        _line(4, 60, "It goes on overleaf.", x1=150),
    ]
    notes = split_notes(lines)
    assert _texts(notes) == {
        1: "First source, a title long enough to fill its column in the first place and to go on at the top of the next column.",
        2: "Second source. It goes on overleaf.",
    }


def _body(pid: str, refs: list[list[int]], lines: list[Line]) -> PaperBody:
    body = PaperBody(PaperDraft(pid, None, 1, "A paper", 1, 9, []))
    body.paragraphs = [
        ParagraphDraft(f"{pid}-para{i:03d}", None, "paragraph", None, "text.", [Ref(n, 5) for n in r], 1, 1, i)
        for i, r in enumerate(refs, start=1)
    ]
    body.note_lines = lines
    body.notes = split_notes(lines)  # as the body stage cuts them
    return body


def test_numbering_checks():
    """Cited 15 with no note 15, note 13 never cited, 2 cited twice, a gap at 4, a repeated 5,
    then 3 printed after 6."""
    numbers = [1, 2, 5, 5, 6, 3, 13]
    lines = [_line(2, 600 + 10 * i, f"Source number {i}.", str(n)) for i, n in enumerate(numbers)]
    body = _body("p07", [[1, 2], [2, 15], [3, 5, 6]], lines)
    diagnostics = Diagnostics()
    pages = [Page(2, 595, 842, links=[])]
    notes = extract_notes([body], pages, diagnostics, by_number=page_index(pages))
    assert [n.number for n in notes] == numbers
    codes = {(d.code, d.message) for d in diagnostics.items}
    found = {code for code, _ in codes}
    assert {
        "marker-without-note",
        "note-never-cited",
        "numbering-gap",
        "numbering-repeat",
        "numbering-out-of-order",
        "marker-repeat",
    } <= found
    assert any(code == "marker-without-note" and "15" in msg for code, msg in codes)
    assert any(code == "note-never-cited" and "13" in msg for code, msg in codes)
    assert any(code == "numbering-gap" and "4" in msg for code, msg in codes)
    assert notes[0].cited_by == ["p07-para001"] and notes[1].cited_by == ["p07-para001", "p07-para002"]


def test_urls_in_reading_order_and_a_link_split_over_two_lines_counts_once():
    lines = [
        _line(2, 600, "See the report and the annex for the figures of the second", "1", x1=FULL),
        _line(2, 610, "quarter; the same annex again."),
        _line(2, 622, "Another source, 2021.", "2"),
    ]
    links = [
        Link("https://example.org/b", 300, FULL, 600, 608),  # second on the first line, to its end
        Link("https://example.org/a", 60, 120, 600, 608),  # first on the first line
        Link("https://example.org/b", 50, 80, 610, 618),  # the second link's end, on the next line
        Link("https://example.org/b", 120, 150, 610, 618),
    ]  # another link to the same target
    pages = [Page(2, 595, 842, links=links)]
    notes = extract_notes([_body("p01", [[1, 2]], lines)], pages, Diagnostics(), by_number=page_index(pages))
    assert notes[0].urls == ["https://example.org/a", "https://example.org/b", "https://example.org/b"]
    assert notes[1].urls == []


def test_chinese_running_over_a_line_end_joins_without_a_space():
    lines = [
        _line(2, 600, 'Xinhua, "Outline of the plan [中华人民共和国国', "1", x1=FULL),
        _line(2, 610, '民经济和社会发展规划纲要]", 13 March 2026.'),
    ]
    assert _texts(split_notes(lines)) == {
        1: 'Xinhua, "Outline of the plan [中华人民共和国国民经济和社会发展规划纲要]", 13 March 2026.'
    }


def test_notes_hung_on_the_byline_are_author_notes_and_symbol_notes_no_footnotes(tmp_path):
    """The byline's marks '1,∗' and '2,∗' name the notes at the foot of the title page:
    the numbered ones give the authors their affiliations, the starred one is about the
    authors; none is a footnote. A note marked '†' on page 2 ends the note above it and is
    in no table (footnotes are numbered), with a diagnostic; the real note 1 is a footnote."""
    path = tmp_path / "authors.pdf"
    drawn = pdfs_notes.author_notes_article(path)
    tables = pdfs.extracted(path)
    assert [(r["number"], r["text"], r["page"]) for r in tables["footnotes"]] == [(1, drawn["note"], 2)]
    assert [(a["name"], a["affiliation"]) for a in tables["authors"]] == list(
        zip(["Ana Costa", "Li Wei"], drawn["affiliations"])
    )
    assert [r["message"] for r in tables["diagnostics"] if r["code"] == "symbol-note"] == [
        f"note '†' ('{drawn['symbol']}') is marked by a symbol: footnotes are numbered, so it is in none"
    ]


def test_a_line_opening_with_a_symbol_opens_a_note_of_its_own():
    lines = [
        _line(2, 600, "First source, 2020.", "1"),
        _line(2, 610, "Equal contribution.", "∗"),
        _line(2, 620, "It goes on here."),
        _line(2, 630, "** Corresponding author."),
    ]
    symbols: list = []
    assert _texts(split_notes(lines, symbols=symbols)) == {1: "First source, 2020."}
    assert [(n.mark, " ".join(ln.plain for ln in n.text_lines)) for n in symbols] == [
        ("∗", "Equal contribution. It goes on here."),
        ("**", "Corresponding author."),
    ]


def test_a_foot_note_numbered_as_an_affiliation_printed_in_the_title_block_is_a_footnote(tmp_path):
    """The affiliations stand under the byline, each opening with its mark: note 1 at the
    foot of the title page is a footnote, though the byline prints a mark 1 too."""
    path = tmp_path / "block.pdf"
    drawn = pdfs_notes.author_notes_article(path, in_title_block=True)
    tables = pdfs.extracted(path)
    assert [(r["number"], r["text"], r["page"]) for r in tables["footnotes"]] == [
        (1, drawn["note"], 1),
        (1, drawn["note"], 2),
    ]


def test_running_text_in_note_type_with_no_number_is_a_paragraph_and_a_small_table_is_not(tmp_path):
    """Small type that no note holds is body text when it reads as running text (lines of
    words, one to a row); a small table's figures, set beside their labels, stay out."""
    path = tmp_path / "small.pdf"
    drawn = pdfs_notes.small_type_passage(path)
    assert drawn["passage_lines"] >= 3
    tables = pdfs.extracted(path)
    texts = [p["text"] for p in tables["paragraphs"]]
    assert drawn["passage"] in texts
    assert not any(figures in t for _, figures in drawn["table"] for t in texts)
    assert tables["footnotes"] == []


def test_a_schedule_in_small_type_keeps_each_entry_with_the_number_its_dots_lead_to(tmp_path):
    """A schedule whose numbers stand apart from their dotted entries is no table of cells:
    every entry is kept, in order, with its own number after its dots."""
    path = tmp_path / "schedule.pdf"
    drawn = pdfs_notes.small_type_schedule(path)
    tables = pdfs.extracted(path)
    texts = [p["text"] for p in tables["paragraphs"]]
    assert [t for t in texts if "...." in t] == drawn["entries"]
    assert tables["footnotes"] == []


@pytest.mark.parametrize(
    ("lines", "stray_mark"),
    [(pdfs_notes.HYPHENATED, False), (pdfs_notes.HYPHENATED, True), (pdfs_notes.BRACKETED, False)],
    ids=["hyphens", "hyphens-and-a-stray-mark", "bracket"],
)
def test_small_type_carried_over_broken_words_and_open_brackets_is_kept(tmp_path, lines, stray_mark):
    """Lines of few words that carry on a word broken by a hyphen or a bracket left open
    read as running text, and a lone glyph beside a line makes it no table cell."""
    path = tmp_path / "carried.pdf"
    drawn = pdfs_notes.small_type_lines(path, lines, stray_mark)
    text = _unbroken(" ".join(p["text"] for p in pdfs.extracted(path)["paragraphs"]))
    for line in drawn["lines"]:
        assert _unbroken(line) in text, line


def _unbroken(text: str) -> str:
    """Text without spaces and hyphens, which joining lines at a broken word may take out."""
    return "".join(c for c in text if not c.isspace() and c != "-")


def test_a_list_of_sections_in_small_type_under_a_heading_in_capitals_is_kept(tmp_path):
    """Numbered entries of a few words ('1309.02 Definitions.') are a list's text, and a
    heading in capitals over them tells nothing against it."""
    path = tmp_path / "sections.pdf"
    drawn = pdfs_notes.small_type_section_list(path)
    text = " ".join(p["text"] for p in pdfs.extracted(path)["paragraphs"])
    for line in drawn["lines"][2:]:
        assert line in text, line
