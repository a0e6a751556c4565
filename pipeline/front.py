"""Front matter: the sections listed before the first chapter, the contributing
organisations and the list of acronyms.

Sections are found from the TOC's front entries (verified on the page) or, with
no TOC to guide, from page headings. What a section holds is read from its
layout only: a two-column short/long list is an acronym list, a run of short
bold subheadings each over a paragraph is a list of organisations, and a short
bold name closing a section over a role line is a signature.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from pipeline.layout import DASHES
from pipeline.model import Diagnostics, Line, Page, Span
from pipeline.structure import Structure, rows
from pipeline.text import (column_edges, continues, finished, is_short, join_lines, split_paragraphs,
                           usual_leading, vocabulary_of)

YEAR = re.compile(r"\b(1[89]|20)\d\d\b")


@dataclass(slots=True)
class Section:
    title: str
    page: int
    lines: list[Line]  # body of the section in reading order, heading excluded
    heading: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    kind: str  # "heading" or "paragraph"
    text: str


@dataclass(slots=True)
class FrontSectionDraft:
    section_id: str
    title: str
    text: str
    signature_name: str | None
    signature_role: str | None
    lines: list[Line]  # its heading and text as printed


@dataclass(slots=True)
class FrontMatter:
    sections: list[FrontSectionDraft] = field(default_factory=list)
    organisations: list[tuple[str, str]] = field(default_factory=list)  # (name, description)
    acronyms: list[tuple[str, str]] = field(default_factory=list)  # (short form, long form)


def extract_front(pages: list[Page], structure: Structure, body: float, diagnostics: Diagnostics,
                  described: Sequence[Line] = ()) -> FrontMatter:
    """Stage entry: the front-matter sections with their signatures, the contributing
    organisations, the acronyms; and, as sections of their own, a contents list and what
    a single document's title page prints besides its title, its byline and what the
    documents row took from it (`described`: series, volume, editor, publisher)."""
    out = FrontMatter()
    vocabulary = vocabulary_of([ln for p in pages for ln in p.lines])
    for section in find_sections(pages, structure, body, diagnostics):
        pairs = acronym_pairs(section.lines, vocabulary)
        signature: tuple[str | None, str | None] | None = None
        if pairs:
            out.acronyms += pairs
            text = "\n\n".join(f"{s} {l}" for s, l in pairs)
            _check_acronyms(pairs, section, diagnostics)
        else:
            lines, signature = split_signature(section.lines)
            blocks = to_blocks(lines, body, vocabulary)
            text = "\n\n".join(b.text for b in blocks)
            out.organisations += organisations(blocks)
        if not text:
            diagnostics.add("front-section-empty", f"front section '{section.title}' has no text", page=section.page)
        out.sections.append(FrontSectionDraft(_slug(section.title), section.title, text,
                                              *(signature or (None, None)), section.heading + section.lines))
    taken = {id(ln) for ln in described}
    for section_id, title, lines in (("contents", "Contents", structure.contents_lines),
                                     ("title-page", "Title page",
                                      [ln for ln in structure.title_page_lines if id(ln) not in taken])):
        if lines:
            text = "\n".join(" ".join(ln.plain for ln in row) for row in rows(lines))
            out.sections.append(FrontSectionDraft(section_id, title, text, None, None, lines))
    return out


# --- finding the sections -------------------------------------------------------------------

def find_sections(pages: list[Page], structure: Structure, body: float,
                  diagnostics: Diagnostics) -> list[Section]:
    by_number = {p.number: p for p in pages}
    if structure.front_entries:
        starts = _starts_from_toc(by_number, structure, body, diagnostics)
        last_page = max([structure.first_body_page - 1] + [s[1] for s in starts])
    else:
        starts, last_page = _starts_from_headings(pages, structure, body)
    skip = set(structure.toc_pages)
    sections = []
    for i, (title, page_no, heading) in enumerate(starts):
        stop = starts[i + 1][2][0] if i + 1 < len(starts) else None
        lines = _lines_between(by_number, page_no, heading[-1], stop, last_page, skip)
        sections.append(Section(title, page_no, lines, heading))
    return sections


def _starts_from_toc(pages: dict[int, Page], structure: Structure, body: float,
                     diagnostics: Diagnostics) -> list[tuple[str, int, list[Line]]]:
    """Each front entry's heading, looked for on its page and, failing that, on nearby pages
    (the printed page numbers of front matter are often off by one or two)."""
    starts = []
    for entry in structure.front_entries:
        expected = entry.page + structure.page_offset
        found = _find_heading(pages, expected, entry.title, body)
        if found is None:
            diagnostics.add("front-entry-not-found", f"front entry '{entry.title}' listed on page {entry.page} has no matching "
                            f"heading on physical page {expected} or near it",
                            page=expected if expected in pages else None)
            continue
        page_no, heading = found
        if page_no in structure.toc_pages:
            continue  # the TOC listing itself
        printed = _text(heading)
        if page_no != expected:
            diagnostics.add("front-page-differs", f"front entry '{entry.title}' is listed on page {entry.page} but starts on "
                            f"physical page {page_no} (expected {expected})", page=page_no)
        if _similarity(printed, entry.title) < 0.95:
            diagnostics.add("front-title-differs", f"TOC lists '{entry.title}', the page prints '{printed}'; the page wins", page=page_no)
        starts.append((printed, page_no, heading))
    return sorted(starts, key=lambda s: (s[1], pages[s[1]].lines.index(s[2][0])))


def _find_heading(pages: dict[int, Page], expected: int, title: str,
                  body: float) -> tuple[int, list[Line]] | None:
    for delta in (0, 1, -1, 2, -2, 3, -3):
        page = pages.get(expected + delta)
        if page is None:
            continue
        for group in _display_groups(page, body):
            if _similarity(_text(group), title) >= 0.85:
                return page.number, group
    return None


def _display_groups(page: Page, body: float) -> list[list[Line]]:
    """Runs of consecutive lines set larger than body text or bold, one style per run:
    the candidates for a printed heading."""
    groups: list[list[Line]] = []
    current: list[Line] = []
    for ln in page.lines:
        if not (ln.bold or ln.size >= 1.15 * body):
            current = []
        elif current and current[-1].style == ln.style and ln.top - current[-1].bottom < ln.size:
            current.append(ln)
        else:
            current = [ln]
            groups.append(current)
    return groups


def _starts_from_headings(pages: list[Page], structure: Structure,
                          body: float) -> tuple[list[tuple[str, int, list[Line]]], int]:
    """Without front entries: pages opening with a large bold heading, after the cover and
    the TOC, and the last page of the front matter: the page before the first paper or,
    with no paper found, before the first page whose heading is set in another style (a
    chapter or paper opener)."""
    first = max([1] + structure.toc_pages) + 1
    end = structure.first_body_page - 1 if structure.papers else pages[-1].number
    starts, style = [], None
    for page in pages:
        if not first <= page.number <= end:
            continue
        heading = _page_heading(page, body)
        if heading is None:
            continue
        if style is None:
            style = heading[0].style
        elif heading[0].style != style:
            return starts, page.number - 1
        starts.append((_text(heading), page.number, heading))
    return starts, end


def _page_heading(page: Page, body: float) -> list[Line] | None:
    """The first lines of a page when they are bold and set much larger than body text."""
    if not page.lines:
        return None
    top = min(page.lines, key=lambda ln: ln.top)
    if not (top.bold and top.size >= 1.4 * body):
        return None
    return next(g for g in _display_groups(page, body) if top in g)


def _lines_between(pages: dict[int, Page], page_no: int, after: Line, stop: Line | None,
                   last_page: int, skip: set[int]) -> list[Line]:
    """Lines in reading order after the heading `after`, up to the line `stop` (the next
    section's heading) or the end of `last_page`."""
    out: list[Line] = []
    started = False
    for number in range(page_no, last_page + 1):
        page = pages.get(number)
        if page is None or number in skip:
            continue
        for ln in page.lines:
            if ln is stop:
                return out
            if started:
                out.append(ln)
            started = started or ln is after
    return out


# --- text -----------------------------------------------------------------------------------

def _text(lines: list[Line], vocabulary: frozenset[str] = frozenset()) -> str:
    return join_lines(lines, vocabulary=vocabulary)[0]


def _slug(title: str) -> str:
    return re.sub(r"[^\w]+", "-", title.lower()).strip("-") or "section"


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u2013", "-").replace("\u2014", "-")).strip().lower()


def _similarity(a: str, b: str) -> float:
    return fuzz.ratio(_fold(a), _fold(b)) / 100


def is_subheading(line: Line, body: float) -> bool:
    """A bold line at about body size, not a list item: an in-section heading or a name."""
    return line.bold and 0.9 * body <= line.size <= 1.5 * body and line.bullet is None


def to_blocks(lines: list[Line], body: float, vocabulary: frozenset[str] = frozenset()) -> list[Block]:
    """Subheadings (consecutive bold lines, possibly across a break) and paragraphs."""
    blocks: list[Block] = []
    run: list[Line] = []
    heading: list[Line] = []

    def flush_run() -> None:
        blocks.extend(Block("paragraph", _text(p, vocabulary)) for p in split_paragraphs(run))
        run.clear()

    def flush_heading() -> None:
        if heading:
            blocks.append(Block("heading", _text(heading, vocabulary)))
            heading.clear()

    for ln in _dashes_restored(lines):
        if is_subheading(ln, body):
            flush_run()
            if heading and _same_flow(heading[-1], ln) and ln.top - heading[-1].bottom > ln.size:
                flush_heading()
            heading.append(ln)
        else:
            flush_heading()
            run.append(ln)
    flush_run()
    flush_heading()
    return [b for b in blocks if b.text]


def _dashes_restored(lines: list[Line]) -> list[Line]:
    """A dash opening a line that layout took for a list bullet goes back into the text when
    the line carries on an unfinished sentence of a paragraph (not of a list item) at its
    line spacing: 'closing altogether' / '– it helped keep'. The lines are copied, not changed."""
    if not lines:
        return lines
    leading = usual_leading(lines)
    edges = column_edges(lines)
    out: list[Line] = [lines[0]]
    in_item = lines[0].bullet is not None
    for ln in lines[1:]:
        prev = out[-1]
        right = edges[(prev.page, prev.column)][1]
        carries_on = continues(prev, ln, edges, leading, set()) and not finished(prev, right)
        if ln.bullet and ln.bullet in DASHES and carries_on and not in_item and not prev.bold and ln.spans:
            first = replace(ln.spans[0], text=f"{ln.bullet} {ln.spans[0].text}")
            ln = replace(ln, spans=[first] + ln.spans[1:], bullet=None)
        elif ln.bullet is not None:
            in_item = True
        elif not _same_flow(prev, ln) or ln.top - prev.top > 1.25 * leading:
            in_item = False  # a list item ends at a gap, whatever the indents
        out.append(ln)
    return out


def _same_flow(a: Line, b: Line) -> bool:
    return (a.page, a.column) == (b.page, b.column)


# --- signatures -----------------------------------------------------------------------------

def split_signature(lines: list[Line]) -> tuple[list[Line], tuple[str, str | None] | None]:
    """A foreword or preface closes with a block of short lines set apart by space: a bold
    name, then role lines, possibly a slanted place/date. Returns the lines without the
    block and (name, role), or the lines unchanged and None."""
    block = _closing_block(lines)
    if len(block) < 2 or not block[0].bold or any(ln.bold for ln in block[1:]):
        return lines, None
    rest = block[1:]
    if len(rest) > 1 and (rest[-1].italic or YEAR.search(rest[-1].plain)):
        rest = rest[:-1]  # place and date
    role = join_lines(rest, with_markers=False)[0] or None
    return lines[: len(lines) - len(block)], (block[0].plain, role)


def _closing_block(lines: list[Line]) -> list[Line]:
    """The last lines of a section when they are few, short, closely set and separated
    from the text above by a wider gap (or a page or column break)."""
    if len(lines) < 2:
        return []
    leading = usual_leading(lines)
    right = max(ln.x1 for ln in lines)
    block = [lines[-1]]
    for ln in reversed(lines[:-1]):
        nxt = block[0]
        if not _same_flow(ln, nxt) or nxt.top - ln.top > 1.6 * leading:
            break
        block.insert(0, ln)
        if len(block) > 4:
            return []
    if len(block) == len(lines) or any(not is_short(ln, right) for ln in block):
        return []
    return block


# --- organisations --------------------------------------------------------------------------

def organisations(blocks: list[Block]) -> list[tuple[str, str]]:
    """(name, description) pairs when the section is a list of organisations: at least three
    subheadings that read as proper names, each over its own paragraphs, with at most one
    introductory paragraph before the first."""
    heads = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    if len(heads) < 3 or heads[0] > 1:
        return []
    out = []
    for i, start in enumerate(heads):
        end = heads[i + 1] if i + 1 < len(heads) else len(blocks)
        description = "\n\n".join(b.text for b in blocks[start + 1:end])
        if not description or not _reads_as_name(blocks[start].text):
            return []
        out.append((blocks[start].text, description))
    return out


def _reads_as_name(text: str) -> bool:
    """Proper names capitalise most of their longer words; section headings rarely do."""
    if text.endswith(("?", ".")):
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.5 * len(words)


# --- acronyms -------------------------------------------------------------------------------

SHORT_FORM = re.compile(r"^\S+(?: ?[/&+,] ?\S+| \S+){0,2}$")
CONNECTOR = "-/&+,"  # a short form ending in one of these carries on in the row below


@dataclass(slots=True)
class _Entry:
    short: list[str]
    long: list[Line]


def acronym_pairs(lines: list[Line], vocabulary: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(short, long) pairs when the section is laid out as a two-column list: a compact
    short form at the left, its long form in a column further right. The list is read
    row by row within each page column. A row with no short form beside it that directly
    follows an entry at line spacing continues that entry's long form, wherever it starts
    (in the long column or wrapped back under the short forms); a short form that wraps
    ('MoU /' over 'MoUs', 'US-' over 'China') is joined with the row below. From the first
    entry on (an introduction may precede the list), most rows must fit the pattern."""
    styles = _list_styles(lines)
    entries: list[_Entry] = []
    fitting = total = 0
    carried = False  # the previous page column ended inside the list
    for flow in _flows(lines):
        flow_rows = rows(flow)
        column = _long_column(flow_rows)
        pitch = _pitch(flow_rows)
        previous: list[Line] | None = None  # the last row of this column read as part of the list
        for row in flow_rows:
            pair = _pair(row, column, styles)
            if pair is None and not entries:
                continue  # introduction
            total += 1
            last = entries[-1] if entries else None
            follows = (previous is None and carried) or (
                previous is not None and row[0].top - previous[0].top <= 1.15 * pitch)
            if pair is not None and last is not None and follows and _open(last):
                last.short.append(pair.short[0])  # the short form wrapped onto this row
                last.long += pair.long
            elif pair is not None:
                entries.append(pair)
            elif last is not None and last.long and follows and _continues_long(row, last.long[-1]):
                last.long += row
            else:
                previous = None
                continue
            fitting += 1
            previous = row
        carried = previous is not None and previous is flow_rows[-1]
    complete = [e for e in entries if e.long]
    if len(complete) < 3 or fitting < 0.7 * total:
        return []
    return [(_join_short(e.short), _join_long(e.long, vocabulary)) for e in _without_header(complete)]


def _flows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped by page column: the unit in which the list's columns line up. A list
    set in columns on a page that layout reads as one column is split into them too."""
    flows: dict[tuple[int, int], list[Line]] = {}
    for ln in lines:
        flows.setdefault((ln.page, ln.column), []).append(ln)
    return [part for flow in flows.values() for part in _list_columns(flow)]


def _list_columns(flow: list[Line]) -> list[list[Line]]:
    """The flow cut where a second two-cell list starts beside the first: at the left edge
    of some lines that no line crosses, with rows of two cells on both sides."""
    left_edge = min(ln.x0 for ln in flow)
    for x in sorted({round(ln.x0, 1) for ln in flow if ln.x0 > left_edge + 1}):
        if any(ln.x0 < x - 1 and ln.x1 > x + 1 for ln in flow):
            continue
        left = [ln for ln in flow if ln.x0 < x - 1]
        right = [ln for ln in flow if ln.x0 >= x - 1]
        if all(sum(len(r) == 2 for r in rows(side)) >= 2 for side in (left, right)):
            return [left] + _list_columns(right)
    return [flow]


def _list_styles(lines: list[Line]) -> tuple[bool, bool] | None:
    """(short forms bold, long forms bold) as most two-cell rows print them, if any."""
    pairs = [r for flow in _flows(lines) for r in rows(flow) if len(r) == 2 and _is_short_form(r[0].plain)]
    if not pairs:
        return None
    shorts = sum(r[0].bold for r in pairs)
    longs = sum(r[1].bold for r in pairs)
    return 2 * shorts > len(pairs), 2 * longs > len(pairs)


def _pitch(page_rows: list[list[Line]]) -> float:
    """The usual distance from one row of the list to the next within a page column."""
    gaps = sorted(b[0].top - a[0].top for a, b in zip(page_rows, page_rows[1:]))
    gaps = [g for g in gaps if g > 0]
    return gaps[len(gaps) // 2] if gaps else page_rows[0][0].size * 1.5


def _long_column(page_rows: list[list[Line]]) -> float | None:
    """The x where long forms start in this column: the most frequent start of a row's second cell."""
    starts = [round(r[1].x0) for r in page_rows if len(r) == 2]
    return max(set(starts), key=starts.count) if starts else None


def _is_short_form(text: str) -> bool:
    """Short forms are compact: at most three tokens ('MoU / MoUs', 'US-China', 'R&D'),
    none long, at least one capital or digit."""
    return (bool(SHORT_FORM.match(text)) and len(text) <= 20
            and any(ch.isupper() or ch.isdigit() for ch in text))


def _compact(text: str) -> bool:
    """Mostly capitals and digits ('MoU /', 'US-'), unlike a word wrapped from a long form."""
    upper = sum(ch.isupper() or ch.isdigit() for ch in text)
    return upper > 0 and upper >= sum(ch.islower() for ch in text)


def _pair(row: list[Line], column: float | None, styles: tuple[bool, bool] | None) -> _Entry | None:
    """A row read as an entry: two cells, the second in the long column; one line whose
    bold lead-in is the short form; or a short form alone (the first line of a wrapped
    short form, its long form beside the next line)."""
    if len(row) == 2 and column is not None and abs(row[1].x0 - column) < 2:
        short = row[0].plain
        return _Entry([short], [row[1]]) if _is_short_form(short) else None
    if len(row) != 1:
        return None
    line = row[0]
    spans = line.spans
    if len(spans) >= 2 and spans[0].bold and not spans[1].bold:
        short = spans[0].text.strip()
        long_ = "".join(s.text for s in spans[1:]).strip()
        if _is_short_form(short) and long_:
            return _Entry([short], [_detached(line, long_)])
    text = line.plain
    if _is_short_form(text) and styles is not None and _compact(text):
        short_bold, long_bold = styles
        if (line.bold == short_bold != long_bold) or text.endswith(tuple(CONNECTOR)):
            return _Entry([text], [])
    return None


def _open(entry: _Entry) -> bool:
    """An entry whose short form carries on in the next row: it has no long form yet, or
    it ends in a joining character."""
    return not entry.long or entry.short[-1].endswith(tuple(CONNECTOR))


def _continues_long(row: list[Line], before: Line) -> bool:
    """A row set like the long form above it (size and weight)."""
    bold = all(s.bold for s in before.spans if s.text.strip())
    return all(abs(ln.size - before.size) < 0.6 and ln.bold == bold for ln in row)


def _join_short(parts: list[str]) -> str:
    """A wrapped short form joined: 'US-' + 'China' -> 'US-China', 'MoU /' + 'MoUs' -> 'MoU / MoUs'."""
    out = ""
    for part in parts:
        if out and not (out[-1] in CONNECTOR and not out[-2:-1].isspace()):
            out += " "
        out += part
    return out


def _join_long(lines: list[Line], vocabulary: frozenset[str]) -> str:
    """A long form's lines joined; a line ending in a spaced slash ('Right /') keeps the
    space after it, as the slash separates two forms ('Right / Rights')."""
    parts, run = [], []
    for ln in lines:
        run.append(ln)
        if re.search(r"\s[/|]$", ln.plain):
            parts.append(_text(run, vocabulary))
            run = []
    parts.append(_text(run, vocabulary))
    return " ".join(p for p in parts if p)


def _detached(line: Line, text: str) -> Line:
    """A copy of `line` holding only `text`, so it can be joined like any other line."""
    return replace(line, spans=[Span(text, line.x0, line.x1, line.size, False, line.italic, line.color)])


def _without_header(entries: list[_Entry]) -> list[_Entry]:
    """A column-heading row ('Acronym / Meaning') sets its second cell bold like its first;
    the long forms below it are not bold."""
    if (len(entries) > 1 and all(ln.bold for ln in entries[0].long)
            and not all(ln.bold for ln in entries[1].long)):
        return entries[1:]
    return entries


def _check_acronyms(pairs: list[tuple[str, str]], section: Section, diagnostics: Diagnostics) -> None:
    seen: dict[str, str] = {}
    for short, long_ in pairs:
        if short in seen and seen[short] != long_:
            diagnostics.add("acronym-repeated", f"acronym '{short}' is listed twice: '{seen[short]}' and '{long_}'", page=section.page)
        seen[short] = long_
