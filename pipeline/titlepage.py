"""The title and authors of a document that is one paper (a report, a brief, an article).

The title is the most prominent block of the first page's front (what stands
above the running text): the largest type, joined across its lines, never a
date, a document symbol, a lone number or a byline. The PDF's metadata title
is only a hint: a block that reads as it wins. A cover that sets nothing in
display type (a statement's centred cover) hands over to the next page.

Authors are read from the byline under the title ("By Ian Appleton, Working
Group A", names with affiliation marks, names set apart on one row); a byline
naming a body ("Note by the secretariat") gives none. What the title page
holds around them (banners, dates, affiliations, e-mail addresses) is kept
out of the body, up to the first line in one of the document's heading styles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from compendium_corpus.model import AuthorDraft, Line, Page
from compendium_corpus.names import BY, is_corporate, is_honorific, ordinary_words, split_names
from compendium_corpus.style import BODY_TOLERANCE, DocumentStyle

DATE = re.compile(
    r"^(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?"
    r"\d{4}$|^\d{4}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$",
    re.I,
)
SYMBOL = re.compile(r"^[A-Z0-9][A-Z0-9./()\-–]*\d[A-Z0-9./()\-–]*$")  # 'TD/B/EX(72)/2', 'GE.22-12339(E)'
LABEL = re.compile(r"^(?:(?:chapter|part|section)\s+)?(?:\d{1,3}|[IVXL]{1,6})\.?$", re.I)
ADDRESS = re.compile(r"https?://|www\.|@|\{", re.I)
HINT_MATCH = 90  # fuzzy ratio at which a block reads as the metadata title
SHORT_TITLE = 3  # words: a title this short goes on in the display block right under it
COVER_PAGES = 3  # pages searched for a title block
BYLINE_REACH = 4  # rows under a title in which its byline starts
ASIDE_WIDTH = 0.6  # share of a full line under which a title page's line is no running text
MARK_GLYPHS = "∗*†‡§¶#$+"
PARAGRAPH_LINES = 4  # full lines in a row that make running text in a smaller regular type
ABSTRACT_SIZE = 0.8  # the smallest share of the body size an abstract is set in
FULL_LINE = 0.7  # share of the measure a full line of running text fills
LAST_LINE = 0.3  # ...and the line under it at least (a paragraph's last)
OPENER_LINES = 4  # bold lines at least in a title block opening each paper (issuer, references, title)
OPENER_TYPES = 2  # types at least such a block sets its lines in (one type is a heading or a table's head)
OPENER_LEADING = 1.5  # ems of blank at most between two lines of one title block


@dataclass(slots=True)
class TitleBlock:
    title: str
    title_lines: list[Line]
    authors: list[AuthorDraft]
    header_lines: list[Line]  # everything of the title page(s) that is not body text
    page: int
    byline: list[Line] = field(default_factory=list)


def read_title_page(
    pages: list[Page], style: DocumentStyle, hint: str | None, skip: set[int] | frozenset[int] = frozenset()
) -> TitleBlock | None:
    """The title block of the first pages, or None when no page has text. Lines whose ids
    are in `skip` (a contents list) are not looked at."""
    fronts: list[tuple[Page, list[Line]]] = []
    ordinary = document_words(pages)
    for page in [p for p in pages if p.lines][:COVER_PAGES]:
        front = [ln for ln in front_lines(page, style) if id(ln) not in skip]
        fronts.append((page, front))
        title = _title(front, style, hint, ordinary)
        if title is not None and (_display(title, style) or len(front) < len(page.lines)):
            return _block(fronts, title, style, ordinary)
        if len(front) < len(page.lines):
            break  # running text begins on this page: no title block follows it
    for page, front in fronts:  # no page sets its title apart: the first block that can be one
        title = _title(front, style, hint, ordinary)
        if title is not None:
            return _block(fronts[: fronts.index((page, front)) + 1], title, style, ordinary)
    return None


def document_words(pages: list[Page]) -> frozenset[str]:
    """The words the document sets in lower case (see `names.ordinary_words`)."""
    return ordinary_words([ln.plain for p in pages for ln in p.lines])


def front_lines(page: Page, style: DocumentStyle) -> list[Line]:
    """The page's lines above its running text (all of them on a cover). Running text is a
    full line of body type with another under it, or a paragraph of full lines in a
    regular type a little smaller (an abstract)."""
    lines = page.lines
    for i, line in enumerate(lines):
        if _running(line, style) and any(
            _running(nxt, style, LAST_LINE) and 0 < nxt.top - line.top < 2 * line.size for nxt in lines[i + 1 : i + 3]
        ):
            return lines[:i]
        run = lines[i : i + PARAGRAPH_LINES]
        if (
            len(run) == PARAGRAPH_LINES
            and ABSTRACT_SIZE * style.body_size <= line.size <= style.body_size
            and all(_full(ln, style) and ln.size == line.size for ln in run)
            and all(0 < b.top - a.top < 2 * a.size for a, b in zip(run, run[1:]))
        ):
            return lines[:i]
    return list(lines)


def _running(line: Line, style: DocumentStyle, share: float = FULL_LINE) -> bool:
    return style.is_body(line) and _full(line, style, share)


def _full(line: Line, style: DocumentStyle, share: float = FULL_LINE) -> bool:
    return not line.bold and line.x1 - line.x0 >= share * style.measure


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Consecutive lines of one type, close together: a title set over several lines."""
    blocks: list[list[Line]] = []
    for line in lines:
        last = blocks[-1][-1] if blocks else None
        if (
            last is not None
            and (line.size, line.bold, line.italic) == (last.size, last.bold, last.italic)
            and 0 <= line.top - last.bottom < line.size
            and line.page == last.page
        ):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return blocks


def text_of(lines: list[Line]) -> str:
    """Lines joined as a reader reads them: a hyphen that ends a line joins the word."""
    out = ""
    for line in lines:
        part = re.sub(r"\s+", " ", line.plain).strip()
        if not part:
            continue
        if out.endswith("-") and out[-2:-1].isalpha() and part[:1].islower():
            out = out[:-1] + part
        else:
            out += (" " if out else "") + part
    return out


def _can_title(text: str, ordinary: frozenset[str]) -> bool:
    return _wording(text) and not split_names(text, ordinary) and not is_corporate(text)


def _wording(text: str) -> bool:
    """Words, not a date, a document symbol, a lone number or an address."""
    letters = sum(ch.isalpha() for ch in text)
    return (
        letters >= 2
        and not DATE.match(text)
        and not SYMBOL.match(text)
        and not LABEL.match(text)
        and not ADDRESS.search(text)
    )


def _title(front: list[Line], style: DocumentStyle, hint: str | None, ordinary: frozenset[str]) -> list[Line] | None:
    """The title's lines among a front: the block reading as the metadata title; else the
    block right above the byline (a chapter's or a meeting's name may stand larger above
    it), joined to a larger block it continues; else the most prominent block (largest,
    then bold), a very short one with the display block right under it."""
    blocks = [b for b in _blocks(front) if _can_title(text_of(b), ordinary)]
    if not blocks:
        return None
    if hint:
        for i, block in enumerate(blocks):
            for joined in (block, block + blocks[i + 1] if i + 1 < len(blocks) else block):
                if fuzz.ratio(_fold(text_of(joined)), _fold(hint)) >= HINT_MATCH:
                    return joined
    _, byline = read_byline(front, ordinary)
    if byline:
        above = [b for b in blocks if b[-1].page == byline[0].page and b[-1].bottom <= byline[0].top + 1]
        if above:
            title = above[-1]
            if (
                len(above) > 1
                and above[-2][0].size > title[0].size + BODY_TOLERANCE
                and title[0].top - above[-2][-1].bottom < title[0].size
            ):
                title = above[-2] + title
            return title
    best = max(blocks, key=lambda b: (b[0].size, b[0].bold, -b[0].top))
    at = blocks.index(best)
    if len(text_of(best).split()) <= SHORT_TITLE and at + 1 < len(blocks):
        below = blocks[at + 1]
        if _display(below, style) and below[0].top - best[-1].bottom < 2 * below[0].size:
            best = best + below
    return best


def _display(lines: list[Line], style: DocumentStyle) -> bool:
    return style.is_display(lines[0]) or lines[0].bold


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _block(
    fronts: list[tuple[Page, list[Line]]], title_lines: list[Line], style: DocumentStyle, ordinary: frozenset[str]
) -> TitleBlock:
    page, front = next((p, f) for p, f in fronts if any(ln is title_lines[0] for ln in f))
    after = front[next(i for i, ln in enumerate(front) if ln is title_lines[-1]) + 1 :]
    authors, byline = read_byline(after, ordinary, reach=BYLINE_REACH)
    if not authors and not byline:
        covers = [ln for p, f in fronts if p is not page for ln in f]
        authors, byline = read_byline(covers, ordinary, introduced=True)
    last = byline[-1] if byline else title_lines[-1]
    header = [ln for p, f in fronts if p is not page for ln in f]
    if len(front) == len(page.lines):
        return TitleBlock(text_of(title_lines), title_lines, authors, header + front, page.number, byline)
    cut = next((i for i, ln in enumerate(front) if ln is last), len(front) - 1) + 1
    header += front[:cut]
    for line in front[cut:]:
        if style.is_heading_style(line) or not _aside(line, style):
            break
        header.append(line)
    return TitleBlock(text_of(title_lines), title_lines, authors, header, page.number, byline)


def later_openers(pages: list[Page], first: TitleBlock, ordinary: frozenset[str]) -> list[TitleBlock]:
    """Further papers of a chapter, each opening (often mid-page) under a title in the first
    paper's title type with a byline in its byline type right under it. The title type must
    be the openers' own: where other lines are set in it too (headings), none is trusted."""
    if not first.byline:
        return []
    title_type, byline_type = _type(first.title_lines[0]), _type(first.byline[0])
    found: list[TitleBlock] = []
    typed = 0
    for page in pages:
        if page.number <= first.page:
            continue
        lines = page.lines
        i = 0
        while i < len(lines):
            if _type(lines[i]) != title_type or not _can_title(lines[i].plain, ordinary):
                i += 1
                continue
            typed += 1
            j = i + 1
            while j < len(lines) and _type(lines[j]) == title_type and _goes_on([lines[j - 1]], [lines[j]]):
                j += 1
            after = [ln for ln in lines[j : j + BYLINE_REACH] if _type(ln) == byline_type]
            authors, byline = read_byline(after, ordinary, reach=1) if after and after[0] is lines[j] else ([], [])
            if authors:
                found.append(
                    TitleBlock(text_of(lines[i:j]), lines[i:j], authors, lines[i:j] + byline, page.number, byline)
                )
            i = j
    return found if len(found) == typed else []


def repeated_openers(pages: list[Page]) -> list[TitleBlock]:
    """Papers that each open under a title block set alike, with no byline (a gazette's
    notices: issuing body, references, then the title right above the text): a run of
    bold lines on the first page with text, in several types, whose sequence of types
    recurs later (often mid-page). Each run's last block is its paper's title; the titles
    differ from one paper to the next (a repeated table head does not). Nothing when no
    run recurs."""
    text_pages = [p for p in pages if p.lines]
    if not text_pages:
        return []
    runs = [run for page in text_pages for run in _bold_runs(page.lines)]
    for at, first in enumerate(runs):
        if first[0].page != text_pages[0].number:
            break
        shape = _shape(first)
        if len(first) < OPENER_LINES or len(set(shape)) < OPENER_TYPES:
            continue
        blocks = [_opener(r) for r in runs[at:] if _shape(r) == shape]
        titles = [b.title for b in blocks if b is not None]
        if len(blocks) > 1 and len(titles) == len(blocks) and len(set(titles)) == len(titles):
            return [b for b in blocks if b is not None]
    return []


def _bold_runs(lines: list[Line]) -> list[list[Line]]:
    """Consecutive bold lines of a page in one column, close together."""
    runs: list[list[Line]] = []
    last: Line | None = None
    for line in lines:
        if not line.bold:
            last = None
            continue
        if (
            last is not None
            and line.column == last.column
            and 0 <= line.top - last.bottom <= OPENER_LEADING * line.size
        ):
            runs[-1].append(line)
        else:
            runs.append([line])
        last = line
    return runs


def _shape(run: list[Line]) -> tuple:
    """The types of a run's lines in order, a type set over several lines counted once."""
    types = [_type(ln) for ln in run]
    return tuple(t for i, t in enumerate(types) if i == 0 or t != types[i - 1])


def _opener(run: list[Line]) -> TitleBlock | None:
    """A title block of a run: its last block of one type is the title, if it is words (no
    byline goes with it, so a title naming a company or two capitalised words is no name)."""
    start = len(run)
    while start > 0 and _type(run[start - 1]) == _type(run[-1]):
        start -= 1
    title = run[start:]
    if not _wording(text_of(title)):
        return None
    return TitleBlock(text_of(title), title, [], run, run[0].page)


def _type(line: Line) -> tuple:
    return line.size, line.bold, line.italic


def _aside(line: Line, style: DocumentStyle) -> bool:
    """A line of the title page under the byline that is no body text: an affiliation
    (opening with its mark), an address, or a line well short of a full one that is not
    bold (a bold one heads the first section)."""
    first = next((s for s in line.spans if s.text.strip()), None)
    marked = first is not None and (first.superscript or first.text.strip()[0] in MARK_GLYPHS)
    if marked or ADDRESS.search(line.plain):
        return True
    return not line.bold and line.x1 - line.x0 < ASIDE_WIDTH * style.measure


def _rows(lines: list[Line]) -> list[list[Line]]:
    rows: list[list[Line]] = []
    for line in lines:
        if rows and rows[-1][0].page == line.page and abs(rows[-1][0].top - line.top) < 0.5 * line.size:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(r, key=lambda ln: ln.x0) for r in rows]


def _row_text(row: list[Line]) -> str:
    """A row's text with its separately set groups (names spaced apart on one row) parted by commas."""
    parts = []
    for line in row:
        groups = [""]
        for prev, span in zip([None, *line.spans], line.spans):
            if span.superscript:
                continue
            if prev is not None and span.x0 - prev.x1 > 0.5 * line.size and groups[-1].strip():
                groups.append("")
            groups[-1] += span.text
        parts += [g.strip() for g in groups if g.strip()]
    return ", ".join(parts)


def read_byline(
    lines: list[Line], ordinary: frozenset[str] = frozenset(), introduced: bool = False, reach: int | None = None
) -> tuple[list[AuthorDraft], list[Line]]:
    """The names of the first byline among `lines` (with the lines read), a corporate
    byline's lines with no names, or nothing. `ordinary`: the document's lower-case words
    (see `names.ordinary_words`); `introduced`: only a byline opened by 'By'; `reach`: only
    one starting in the first rows."""
    rows = _rows(lines)
    for i, row in enumerate(rows[:reach]):
        if i and _goes_on(rows[i - 1], row):
            continue  # a row carrying on the one above (a title's second line) opens no byline
        text = _row_text(row)
        if is_corporate(text):
            return [], row
        opened = bool(BY.match(text))
        if introduced and not opened:
            continue
        run, j = [row], i + 1
        if opened and not BY.sub("", text).strip():
            while j < len(rows) and is_honorific(_row_text(rows[j])):
                run.append(rows[j])
                j += 1
            if j == len(rows):
                return [], []
            run.append(rows[j])
            j += 1
        while j < len(rows) and _goes_on(run[-1], rows[j]):
            run.append(rows[j])
            j += 1
        names, used = _names(run, ordinary)
        if names:
            return [AuthorDraft(n) for n in names], [ln for r in used for ln in r]
    return [], []


def _goes_on(row: list[Line], nxt: list[Line]) -> bool:
    """The next row carries on a byline: the same type, right under it."""
    a, b = row[0], nxt[0]
    return (a.size, a.bold, a.italic) == (b.size, b.bold, b.italic) and 0 <= b.top - a.bottom < a.size


def _names(run: list[list[Line]], ordinary: frozenset[str]) -> tuple[list[str] | None, list[list[Line]]]:
    """Names of a run of byline rows, and the rows they were read from: the run is cut
    back until it reads as names. Rows of a list that flows on ('..., Corina' over
    'Forăscu, ...') are joined as one text; rows of one name each are separate names."""
    while run:
        parts = [_row_text(row) for row in run]
        flowing = any("," in p or re.search(r"\band\b", p, re.I) for p in parts)
        text = ""
        for part in parts:
            if text.endswith("-") and part[:1].islower():
                text = text[:-1] + part
            elif text:
                text += " " + part if flowing or text.endswith(",") else ", " + part
            else:
                text = part
        names = split_names(re.sub(r"\s+,", ",", text), ordinary)
        if names:
            return names, run
        run = run[:-1]
    return None, []
