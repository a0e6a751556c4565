"""Acronyms: a front section laid out as a two-column list, a short form at the left and its
long form in a column further right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from compendium_corpus.model import Line, Span
from compendium_corpus.structure import rows
from compendium_corpus.style import BODY_TOLERANCE
from compendium_corpus.text import join_lines

SHORT_FORM = re.compile(r"^\S+(?: ?[/&+,] ?\S+| \S+){0,2}$")
CONNECTOR = "-/&+,"  # a short form ending in one of these carries on in the row below
SHORT_FORM_CHARS = 20  # a short form is at most this long
ROW_PITCH = 1.15  # row pitches at most from the row above for a row to carry an entry on
SOLID_PITCH = 1.5  # ems from row to row assumed where a column has a single row
MIN_ENTRIES = 3  # complete entries an acronym list has at least
FITTING = 0.7  # share of the rows, from the first entry on, that must read as the list's


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
                previous is not None and row[0].top - previous[0].top <= ROW_PITCH * pitch
            )
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
    if len(complete) < MIN_ENTRIES or fitting < FITTING * total:
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
    return gaps[len(gaps) // 2] if gaps else page_rows[0][0].size * SOLID_PITCH


def _long_column(page_rows: list[list[Line]]) -> float | None:
    """The x where long forms start in this column: the most frequent start of a row's second cell."""
    starts = [round(r[1].x0) for r in page_rows if len(r) == 2]
    return max(set(starts), key=starts.count) if starts else None


def _is_short_form(text: str) -> bool:
    """Short forms are compact: at most three tokens ('MoU / MoUs', 'US-China', 'R&D'),
    none long, at least one capital or digit."""
    return (
        bool(SHORT_FORM.match(text))
        and len(text) <= SHORT_FORM_CHARS
        and any(ch.isupper() or ch.isdigit() for ch in text)
    )


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
    return all(abs(ln.size - before.size) < BODY_TOLERANCE and ln.bold == bold for ln in row)


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
            parts.append(join_lines(run, vocabulary=vocabulary)[0])
            run = []
    parts.append(join_lines(run, vocabulary=vocabulary)[0])
    return " ".join(p for p in parts if p)


def _detached(line: Line, text: str) -> Line:
    """A copy of `line` holding only `text`, so it can be joined like any other line."""
    return replace(line, spans=[Span(text, line.x0, line.x1, line.size, False, line.italic, line.color)])


def _without_header(entries: list[_Entry]) -> list[_Entry]:
    """A column-heading row ('Acronym / Meaning') sets its second cell bold like its first;
    the long forms below it are not bold."""
    if len(entries) > 1 and all(ln.bold for ln in entries[0].long) and not all(ln.bold for ln in entries[1].long):
        return entries[1:]
    return entries
