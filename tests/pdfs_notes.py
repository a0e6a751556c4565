"""Small compendiums with notes, built with fpdf2 on top of tests/pdfs.py.

Seven pages, footers printing N on physical page N + 2: 1 cover, 2 contents,
3 chapter opener, 4-5 paper A with endnotes after its text (raised numbers),
6-7 paper B with notes at the foot of each page numbered "1." in body-style
digits, one of them running over the page break. Texts, names and links are
made up; each builder returns what it drew so the tests compare with that.
"""

from __future__ import annotations

from pathlib import Path

from pdfs import Doc, _footer, _leaders, _opener, filler

BODY, LEADING = 10, 13
NOTE, NOTE_LEADING = 7.5, 10
SUP = (5.4, 2.8)  # size and rise of a raised note number in a note
MARK = (6.0, 3.6)  # size and rise of a marker in the body
X, WIDTH = 48, 499
URL = "https://example.org/notes/report"


def _marked_paragraph(d: Doc, y: float, n_words: int, start: int, markers: list[int]) -> float:
    """A justified paragraph whose short last line ends with raised note markers."""
    lines, y = d.paragraph(X, y, WIDTH, filler(n_words, start), BODY, LEADING, last_full=True)
    runs = [("It ends here.", BODY, "", 0)]
    for i, n in enumerate(markers):
        runs.append(((", " if i else "") + str(n), MARK[0], "", MARK[1]))
    d.runs(X, y, runs)
    return y + LEADING + 8


def _paper_head(d: Doc, title: str, author: str, affiliation: str) -> float:
    d.text(X, 80, title, size=19, style="B")
    d.text(X, 125, author, size=11.5, style="B")
    d.text(X, 141, affiliation, size=8.5)
    d.text(X, 151, "Harbour City", size=8.5)
    d.text(X, 195, "Introduction", size=12.5, style="B")
    return 215


def _raised_note(d: Doc, y: float, number: int, lines: list[str]) -> float:
    """An endnote: raised number, text in note type, wrapped lines flush left."""
    d.runs(X, y, [(str(number), SUP[0], "", SUP[1]), (" " + lines[0], NOTE, "", 0)])
    for line in lines[1:]:
        y += NOTE_LEADING
        d.text(X, y, line, size=NOTE)
    return y + NOTE_LEADING + 3


def _plain_note(d: Doc, y: float, label: str, lines: list[str]) -> float:
    """A footnote numbered in note-type digits ('1. Text' or '- 1 Text')."""
    d.text(X, y, f"{label} {lines[0]}" if label else lines[0], size=NOTE)
    for line in lines[1:]:
        y += NOTE_LEADING
        d.text(X, y, line, size=NOTE)
    return y + NOTE_LEADING


ENDNOTES = [  # paper A: (number, printed lines, expected text)
    (
        1,
        [
            'Weber, Lena (2024), "Trade and the politics of transfor-',
            'mation in Europe", Policy Brief, Centre for Open Economies, Brussels, 12 pages with annexes and data, published on',
            "2025.",
        ],
        'Weber, Lena (2024), "Trade and the politics of transformation in Europe", Policy Brief, Centre for Open '
        "Economies, Brussels, 12 pages with annexes and data, published on 2025.",
    ),
    (
        2,
        ['Institute for Trade Studies, "Annual report on supply chains", Berlin, 4 March 2025.'],
        'Institute for Trade Studies, "Annual report on supply chains", Berlin, 4 March 2025.',
    ),
    (
        3,
        ['Chen Yu, "Ports and corridors", Journal of Connectivity, No. 3, pp. 11-29.'],
        'Chen Yu, "Ports and corridors", Journal of Connectivity, No. 3, pp. 11-29.',
    ),
]
LINKED = (2, "Annual report on supply chains")  # note 2 carries a link over these words

FOOTNOTES = [  # paper B: (number, page, printed lines, expected text)
    (
        1,
        6,
        ['Martin, Paul, "Harbours in a changing world", Maritime Review, 2 May 2024.'],
        'Martin, Paul, "Harbours in a changing world", Maritime Review, 2 May 2024.',
    ),
    (
        2,
        6,
        [
            'Office for Economic Statistics, "Quarterly accounts of trade in goods and services between the two blocs, with',
            'revisions for the previous years and a methodological annex on the treatment of re-exports", Statistical Bulletin',
        ],
        None,
    ),  # runs over to page 7, see FOOTNOTE_2_REST
    (
        3,
        7,
        ['Novak, Irena, "Ten years of the connectivity strategy", Working Paper No. 14.'],
        'Novak, Irena, "Ten years of the connectivity strategy", Working Paper No. 14.',
    ),
]
FOOTNOTE_2_REST = ["3 March 2025, No. 4, revised in", "2026."]  # starts with the next note's number
FOOTNOTE_2 = (
    'Office for Economic Statistics, "Quarterly accounts of trade in goods and services between the two '
    "blocs, with revisions for the previous years and a methodological annex on the treatment of "
    're-exports", Statistical Bulletin 3 March 2025, No. 4, revised in 2026.'
)


def notes_compendium(path: Path, foot_label: str = "{n}.") -> dict:
    """The seven-page compendium above. `foot_label` prints paper B's note numbers
    ('{n}.' plain digits with a full stop, '- {n}' a dash bullet and a bare digit)."""
    d = Doc()
    d.page()
    d.text(48, 300, "Notes on Connectivity", size=30, style="B")
    d.page()
    d.text(48, 80, "Contents", size=22, style="B")
    d.text(48, 130, "1", size=9.5, style="B")
    _leaders(d, 71, 130, "TRADE AND CONNECTIVITY", 1, 9.5, "B")
    _leaders(d, 71, 148, "Endnotes in practice", 2, 9.5)
    d.text(71, 161, "Anna Berg", size=8.5, style="I")
    _leaders(d, 71, 179, "Footnotes at the foot of the page", 4, 9.5)
    d.text(71, 192, "Tomas Lind", size=8.5, style="I")
    # 3 opener
    d.page()
    _opener(d, 1, ["Trade and Connectivity"], [["How do ports shape trade?"], ["Who builds the corridors?"]])
    _footer(d, 1)
    # 4-5 paper A: markers 1, 2, 3 and 4 (no note 4)
    d.page()
    y = _paper_head(d, "Endnotes in practice", "Anna Berg", "Senior Fellow, Institute for Ports")
    y = _marked_paragraph(d, y, 60, 0, [1])
    y = _marked_paragraph(d, y, 60, 9, [2, 3])
    _footer(d, 2)
    d.page()
    d.text(X, 80, "Conclusions", size=12.5, style="B")
    y = _marked_paragraph(d, 100, 70, 20, [4])
    y += 20
    links = {}
    for number, lines, _ in ENDNOTES:
        if number == LINKED[0]:
            x0 = X + d.width(str(number), SUP[0]) + d.width(' Institute for Trade Studies, "', NOTE)
            d.pdf.link(x0, y - NOTE, d.width(LINKED[1], NOTE), NOTE + 2, URL)
            links[number] = [URL]
        y = _raised_note(d, y, number, lines)
    _footer(d, 3)
    # 6-7 paper B: notes at the foot of each page, note 2 runs over the break
    d.page()
    y = _paper_head(d, "Footnotes at the foot of the page", "Tomas Lind", "Researcher, Harbour Institute")
    y = _marked_paragraph(d, y, 60, 3, [1])
    _marked_paragraph(d, y, 60, 14, [2])
    y = 735
    for number, _page, lines, _ in FOOTNOTES[:2]:
        y = _plain_note(d, y, foot_label.format(n=number), lines)
    _footer(d, 4)
    d.page()
    _marked_paragraph(d, 80, 80, 25, [3])
    y = 745
    y = _plain_note(d, y, "", FOOTNOTE_2_REST)
    _plain_note(d, y, foot_label.format(n=3), FOOTNOTES[2][2])
    _footer(d, 5)
    d.save(path)
    return {
        "A": {
            "notes": {n: text for n, _, text in ENDNOTES},
            "pages": {n: 5 for n, _, _ in ENDNOTES},
            "links": links,
            "cited": {1: 4, 2: 4, 3: 4},
            "missing": 4,
        },
        "B": {"notes": {1: FOOTNOTES[0][3], 2: FOOTNOTE_2, 3: FOOTNOTES[2][3]}, "pages": {1: 6, 2: 6, 3: 7}},
    }


AUTHOR_NOTES = {  # the marks on the byline of `author_notes_article` and the notes at the foot of page 1
    "1": "Department of Economics, Harbour University, Harbour City.",
    "2": "Institute of Trade Studies, Lake City.",
    "∗": "These authors contributed equally to this work.",
}
REAL_NOTE = 'Berg, Anna, "Ports and corridors", Working Paper No. 3, 2024.'
SYMBOL_NOTE = "Presented at the harbour workshop in spring."


def author_notes_article(path: Path, in_title_block: bool = False) -> dict:
    """A two-page paper whose byline marks its authors '1,∗' and '2,∗', with the notes of
    those marks (two affiliations, an equal contribution) at the foot of page 1 (or, with
    `in_title_block`, under the byline, and a real note 1 cited on page 1 at its foot);
    page 2 cites a real note 1 and carries a note marked '†' at its foot."""
    d = Doc()
    d.page()
    d.text(X, 80, "Ports and the politics of trade", size=18, style="B")
    d.runs(
        X,
        110,
        [
            ("Ana Costa", 11, "", 0),
            ("1,∗", MARK[0], "", MARK[1]),
            (", Li Wei", 11, "", 0),
            ("2,∗", MARK[0], "", MARK[1]),
        ],
    )
    y = 740
    if in_title_block:
        for i, (mark, text) in enumerate(AUTHOR_NOTES.items()):
            _raised_note_marked(d, 126 + NOTE_LEADING * i, mark, text)
    d.text(X, 180, "Introduction", size=12.5, style="B")
    _marked_paragraph(d, 200, 120, 0, [1] if in_title_block else [])
    if in_title_block:
        _raised_note(d, y, 1, [REAL_NOTE])
    else:
        for mark, text in AUTHOR_NOTES.items():
            y = _raised_note_marked(d, y, mark, text)
    d.page()
    d.text(X, 80, "Findings", size=12.5, style="B")
    _marked_paragraph(d, 100, 120, 40, [1])
    y = _raised_note(d, 750, 1, [REAL_NOTE])
    _raised_note_marked(d, y, "†", SYMBOL_NOTE)
    d.save(path)
    return {"affiliations": [AUTHOR_NOTES["1"], AUTHOR_NOTES["2"]], "note": REAL_NOTE, "symbol": SYMBOL_NOTE}


def _raised_note_marked(d: Doc, y: float, mark: str, text: str) -> float:
    d.runs(X, y, [(mark, SUP[0], "", SUP[1]), (text, NOTE, "", 0)])
    return y + NOTE_LEADING


SMALL_PASSAGE = (
    "Each operator must revise the operating procedures within thirty days and keep a copy of the "
    "revised text with the flight manual of every aircraft of the fleet it flies, as the paragraph "
    "above requires, and send the changes to the office named in the notice, with the date on which "
    "each aircraft was brought into line and the name of the inspector who saw the work done, so "
    "that the office can check the fleet without a visit end."
)
SMALL_TABLE = [
    ("Share of the fleet revised", "12.5% 31.0% 47.5%"),
    ("Share of the fleet inspected", "10.5% 28.0% 44.5%"),
]


def small_type_passage(path: Path) -> dict:
    """One page: a heading and a body paragraph, then a passage of running text set in note
    type with no number (a proviso, a schedule), then a small table in note type whose rows
    set a label beside its figures."""
    d = Doc()
    d.page()
    d.text(X, 80, "Rules for operators", size=19, style="B")
    d.text(X, 120, "Introduction", size=12.5, style="B")
    _, y = d.paragraph(X, 140, WIDTH, filler(90, 0) + " end.", BODY, LEADING)
    lines, y = d.paragraph(X, y + 14, WIDTH, SMALL_PASSAGE, NOTE, NOTE_LEADING)
    y += 20
    for label, figures in SMALL_TABLE:
        d.text(X, y, label, size=NOTE)
        d.text(X + 260, y, figures, size=NOTE)
        y += NOTE_LEADING
    d.save(path)
    return {"passage": SMALL_PASSAGE, "table": SMALL_TABLE, "passage_lines": len(lines)}


SCHEDULE = [("Alprazolam", "2882"), ("Barbital", "2145"), ("Bromazepam", "2748"), ("Camazepam", "2749")]
SCHEDULE_DOTS = 28  # dots leading each entry to its number
# Passages in note type most of whose lines hold few words, carrying on a word broken by a
# hyphen ('pentyl-6H-dibenzopyran-1-ol or delta-9-'), or a bracket left open.
HYPHENATED = [
    "Some other names for the compound are 6aR-",
    "trans-6a,7,8,10a-tetrahydro-6,6,9-trimethyl-3-",
    "pentyl-6H-dibenzopyran-1-ol or delta-9-",
    "trans-tetrahydrocannabinol, set down in the",
    "register of names kept by the office.",
]
BRACKETED = [
    "[39 FR 22142, June 20, 1974, as amended at 41",
    "FR 43401, Oct. 1, 1976; 43 FR 3359, Jan. 25, 1978;",
    "13967, Mar. 24, 1997; 62 FR 139, Jan. 3, 1999;",
    "13967, Mar. 24, 1997]",
]
SECTION_LIST = [
    "GENERAL INFORMATION",
    "Sec.",
    "1309.01 Scope of part 1309.",
    "1309.02 Definitions.",
    "1309.03 Information; special instructions.",
    "1309.11 Fee amounts.",
]


def _small_type_page(d: Doc) -> float:
    """A heading and a body paragraph (the body's type), returning where small type may start."""
    d.page()
    d.text(X, 80, "Rules for operators", size=19, style="B")
    d.text(X, 120, "Introduction", size=12.5, style="B")
    _, y = d.paragraph(X, 140, WIDTH, filler(90, 0) + " end.", BODY, LEADING)
    return y + 14


def small_type_schedule(path: Path) -> dict:
    """One page: body text, then a schedule in note type whose entries dots lead to their
    numbers, each number set apart beyond a gap on the entry's row, then body text again."""
    d = Doc()
    y = _small_type_page(d)
    for name, number in SCHEDULE:
        end = d.text(X, y, f"{name} {'.' * SCHEDULE_DOTS}", size=NOTE)
        d.text(end + 3 * NOTE, y, number, size=NOTE)
        y += NOTE_LEADING
    d.paragraph(X, y + 14, WIDTH, filler(150, 5) + " end.", BODY, LEADING)  # the page is no list of contents
    d.save(path)
    return {"entries": [f"{name} {'.' * SCHEDULE_DOTS} {number}" for name, number in SCHEDULE]}


def small_type_lines(path: Path, lines: list[str], stray_mark: bool = False) -> dict:
    """One page: body text, then `lines` line by line in note type; `stray_mark` draws a
    lone dash apart on the first line's row (a glyph its font set on its own)."""
    d = Doc()
    y = _small_type_page(d)
    for i, line in enumerate(lines):
        end = d.text(X, y, line, size=NOTE)
        if stray_mark and i == 0:
            d.text(end + 4 * NOTE, y, "–", size=NOTE)
        y += NOTE_LEADING
    d.save(path)
    return {"lines": lines}


def small_type_section_list(path: Path) -> dict:
    """One page: body text, then the list of a part's sections in note type under a heading
    in smaller capitals: 'Sec.', then numbered entries of one to four words."""
    d = Doc()
    y = _small_type_page(d)
    for line in SECTION_LIST:
        caps = line.isupper()
        d.text(X + (40 if caps else 0), y, line, size=NOTE * 0.8 if caps else NOTE)
        y += NOTE_LEADING
    d.save(path)
    return {"lines": SECTION_LIST}
