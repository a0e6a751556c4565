"""Figures and tables: a labelled block ("Figure 1", "Table 2", ...) with its
title, caption, cells and source line, kept out of the body text.

A table's cells are read from geometry only. When the table draws its cell
borders (rules under every cell, filled bands), the rules give the column edges
and the row boundaries; otherwise the columns are where the lines of small type
start and the rows are separated by blank gaps and bold bands. Cells of one row
that sit so close together that layout read them as one line are cut apart at
the word space that best fits the column edges (see `_split_line`). A table
broken by a page or column break carries on at the top of the next one, and a
row cut in two by that break is one row again."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from pdfminer.fontmetrics import FONT_METRICS

from compendium_corpus.model import Box, Line, Page
from compendium_corpus.style import BODY_TOLERANCE, ROW_DRIFT, RULE_HEIGHT, SMALL_TYPE
from compendium_corpus.text import join_lines

LABEL = re.compile(
    r"^((?:Figure|Fig\.|Table|Chart|Graph|Map|Box|Exhibit|Infographic)\s+\d+[A-Za-z]?)[.:—–]*\s*(.*)$", re.I
)
SOURCE = re.compile(r"^(Sources?|Credits?|Note|Notes)\s*:", re.I)
SOFT_HYPHENS = "\u00ad\u2010"
CAPTION_GAP = 0.8  # ems of blank under a caption (set below its figure) before the text resumes
COVER = 0.6  # a rule is a row boundary when it runs under this share of the table's width
CAPTION_STEP = 0.9  # a caption may be set this share of small type
SHARED_ROWS = 3  # rows of small type level with a table's, beside it, that show it spans columns
RULE_SEARCH = 3  # ems above and below a table's lines searched for its rules
CELL_RULE = 1.5  # points: a drawn box this thin is a cell border (thinner than RULE_HEIGHT)
RULE_MERGE = 0.6  # points between rules drawn at one height
RULE_REACH = 2.5  # ems from a table's first or last line to a rule that closes it
CELL_WIDTH = 1.5  # ems: a rule segment narrower than this is no cell's border
COLUMN_STEP = 1.5  # ems between two columns' starts at least
COLUMN_LEAD = 0.3  # ems before a column's start where the column to its left ends
MIN_EDGES = 3  # cell edges a ruled grid needs (two columns)
PADDED = 0.8  # share of a table's lines that must start in a cell's padding for the rules to give the columns
BAND_HEIGHT = 2.5  # ems: a filled band at most this tall shades one row
CELL_REACH = 0.25  # ems a line must run past a column's start to reach into it
SKIP_COST = 1.5  # ems whose square is the cost of leaving a column empty when a line is cut into cells
SLACK_COST = 0.01  # the weight of room left at a cell's end, against a piece overflowing it
MEASURED_CHARS = 3  # lines shorter than this say nothing of the font's widths
MEASURED_LINES = 3  # lines needed to learn a table's font widths
HYPHEN_WIDTH, LETTER_WIDTH = 333, 556  # 1/1000 em: a hyphen's and an 'n''s advance, where a metric lacks a glyph
SYMBOL_WIDTH = 750.0  # 1/1000 em: ticks, crosses and other symbols, about a wide letter
EPSILON = 1e-6  # points: keeps a zero width from dividing


@dataclass(slots=True)
class FigureDraft:
    figure_id: str
    label: str
    title: str
    caption: str | None
    rows: list[list[str]]
    source: str | None
    page: int
    lines: list[Line] = field(default_factory=list)  # the figure's region: label, title, cells, source


def find_figures(
    paper_id: str, lines: list[Line], pages: dict[int, Page], body: float
) -> tuple[list[FigureDraft], list[Line]]:
    figures: list[FigureDraft] = []
    taken: list[Line] = []
    for ln in lines:
        match = LABEL.match(ln.plain)
        if not match or any(ln is t for t in taken) or not _labels(ln, match, body, lines):
            continue
        region, repeated = _region_lines(ln, lines, body)
        taken.extend(region)
        first = len(taken) - len(region)
        rest = [r for r in region[1:] if id(r) not in repeated]
        title_lines = [ln]
        title_style = ln.style if match.group(2) or not rest else rest[0].style  # a label alone: the title follows
        while rest and rest[0].style == title_style:
            title_lines.append(rest.pop(0))
        caption_lines = []
        while rest and rest[0].italic and rest[0].size >= SMALL_TYPE * body * CAPTION_STEP:
            caption_lines.append(rest.pop(0))
        source = rest.pop() if rest and SOURCE.match(rest[-1].plain) else None
        if not rest:  # a caption set under its figure: the figure is what stands right above it
            rest = _above_caption(ln, lines, body, taken)
            taken.extend(rest)
        title_text = join_lines(title_lines, with_markers=False)[0]
        label_match = LABEL.match(title_text) or match  # a raised mark before the label: plain has none
        table = _table_lines(rest, pages)
        figures.append(
            FigureDraft(
                f"{paper_id}-f{len(figures) + 1:02d}",
                label_match.group(1),
                label_match.group(2).strip(),
                join_lines(caption_lines, with_markers=False)[0] or None,
                _cells(table, pages),
                re.sub(r"\s+", " ", source.plain) if source else None,
                ln.page,
                taken[first:],
            )
        )
    return figures, taken


def _above_caption(label: Line, lines: list[Line], body: float, taken: list[Line]) -> list[Line]:
    """The lines of a figure whose caption is set under it: going up from the caption in its
    frame, the small type (cells, labels) and short lines standing close above one another,
    up to the running text."""
    frame = [
        ln
        for ln in _frame(lines, label.page, label.column)
        if ln.bottom <= label.top + 1 and not any(ln is t for t in taken)
    ]
    out: list[Line] = []
    edge = label.top
    for ln in sorted(frame, key=lambda line: -line.bottom):
        if edge - ln.bottom > FIGURE_GAP * max(ln.size, body):
            break
        running = abs(ln.size - body) < BODY_TOLERANCE and not ln.bold and len(ln.plain) >= RUNNING_CHARS
        if running:
            break
        out.append(ln)
        edge = min(edge, ln.top)
    return sorted(out, key=lambda line: (line.top, line.x0))


FIGURE_GAP = 2.5  # ems of blank that part a figure from the text above its caption
RUNNING_CHARS = 40  # a body-size line this long is running text, not a figure's label


def turned_inserts(
    paper_id: str, lines: list[Line], pages: dict[int, Page], taken: list[Line], first: int
) -> tuple[list[FigureDraft], list[Line]]:
    """Pages turned to be read in a document of upright pages (a landscape table, a chart set
    sideways) hold a figure each, labelled or not: their lines are its title and cells,
    never body text. Figure ids go on from `first`."""
    upright = sum(not p.turned for p in pages.values())
    figures: list[FigureDraft] = []
    out: list[Line] = []
    for number in sorted({ln.page for ln in lines}):
        page = pages[number]
        if not page.turned or upright <= len(pages) / 2:
            continue
        here = [ln for ln in lines if ln.page == number and not any(ln is t for t in taken)]
        if not here:
            continue
        label = next((LABEL.match(ln.plain) for ln in here if LABEL.match(ln.plain)), None)
        title = max(here, key=lambda ln: (ln.size, ln.bold, -ln.top))
        figures.append(
            FigureDraft(
                f"{paper_id}-f{first + len(figures):02d}",
                label.group(1) if label else "",
                title.plain,
                None,
                _cells([ln for ln in here if ln is not title], pages),
                None,
                number,
                here,
            )
        )
        out += here
    return figures, out


def _labels(line: Line, match: re.Match, body: float, lines: list[Line]) -> bool:
    """A figure's label, not a sentence that names one ('Table 1 shows ...'): set in bold,
    in capitals ('TABLE 1'), standing alone on its line, or set off by a stop or a dash
    from a caption that is in type other than the body's ('Table 1.—Compounds tested') or
    that leads into a table's rows (a caption in the body's type over unruled columns)."""
    punctuated = line.plain[len(match.group(1)) :][:1] in (".", ":", "—", "–")
    return (
        line.bold
        or match.group(1).isupper()
        or not match.group(2).strip()
        or punctuated
        and (abs(line.size - body) > BODY_TOLERANCE or _table_head(line, lines, body) is not None)
    )


def _smaller(line: Line, body: float) -> bool:
    """Set in type smaller than the body's (a table's cells, which may be larger than small type)."""
    return line.size < body - BODY_TOLERANCE


def _table_head(label: Line, lines: list[Line], body: float) -> float | None:
    """Where the rows of a table start under its label: the first of `TABLE_ROWS` rows in
    type smaller than the body's, each of several lines side by side, that begin in the
    label's frame within `HEAD_REACH` ems under it, or under the last of at most
    `HEAD_LINES` lines between (a title and headnote of several lines), before any other
    label or a heading. Those lines are the table's title and headnote, whatever their
    type. None: no table (a caption set under its figure reaches no rows before the text
    resumes)."""
    page = [ln for ln in lines if ln.page == label.page and ln.top > label.top + 1 and _smaller(ln, body)]
    limit = label.bottom + HEAD_REACH * body
    head: float | None = None
    rows: list[float] = []
    passed = 0  # lines between the label and the rows
    for ln in _frame(lines, label.page, label.column):
        if ln.top <= label.top + 1 or rows and abs(ln.top - rows[-1]) < ROW_DRIFT * ln.size:
            continue
        if LABEL.match(ln.plain) or head is None and (ln.top > limit or ln.bold and ln.size >= body):
            return None  # (another figure, a heading: the text goes on under the label)
        if _smaller(ln, body) and sum(abs(o.top - ln.top) < ROW_DRIFT * ln.size for o in page) >= 2:
            head = ln.top if head is None else head
            rows.append(ln.top)
            if len(rows) >= TABLE_ROWS:
                return head
        elif head is None:
            passed += 1
            if passed > HEAD_LINES:
                return None
            limit = max(limit, ln.bottom + HEAD_REACH * body)
    return None


HEAD_REACH = 8  # ems under a label, or under the last line of its title and headnote, within which its rows start
HEAD_LINES = 8  # lines of title and headnote a table's label may stand over before its rows
TABLE_ROWS = 3  # rows of several cells in smaller type that make a table


# ------------------------------------------------------------------ the figure's lines


def _frame(lines: list[Line], page: int, column: int) -> list[Line]:
    """The lines of one page (column 0) or of one column of it, top to bottom."""
    return sorted(
        (ln for ln in lines if ln.page == page and (not column or ln.column == column)),
        key=lambda line: (line.top, line.x0),
    )


def _region_lines(label: Line, lines: list[Line], body: float) -> tuple[list[Line], set[int]]:
    """Lines from the label down to the source line (or to the first body-size line
    after the figure's small type), within the label's column or across the page when
    the table's rows run on into the next column. Small type that runs on to the foot
    of the page or column carries on at the top of the next one (a table broken by the
    page). Also the ids of the lines that repeat the label and title over the rows
    carried on ('Table 2.—Continued'), which are no cells."""
    column = label.column
    head = _table_head(label, lines, body)
    region, ended = _walk(label, lines, body, column, head)
    if column and _spans_columns(region, lines, body):
        column = 0
        region, ended = _walk(label, lines, body, column, head)
    last_row = [ln for ln in region if abs(ln.top - region[-1].top) < ROW_DRIFT * ln.size]
    repeated: set[int] = set()
    if not ended and any(ln.size < SMALL_TYPE * body for ln in region) and any(_smaller(ln, body) for ln in last_row):
        region.extend(_continuation(label, (label.page, column), region, lines, body, repeated))
    return region, repeated


def _walk(label: Line, lines: list[Line], body: float, column: int, head: float | None) -> tuple[list[Line], bool]:
    """The region's lines in one frame, and whether something (a source line, body
    text) ended it there. Nothing above the table's `head` (its title and headnote,
    see `_table_head`) ends it."""
    region: list[Line] = []
    seen_small = False
    label_match = LABEL.match(label.plain)
    assert label_match is not None  # the label was found by matching LABEL
    alone = not label_match.group(2).strip()
    for ln in _frame(lines, label.page, column):
        if ln.top < label.top - 1:
            continue
        if region and SOURCE.match(ln.plain):
            region.append(ln)
            return region, True
        small = ln.size < SMALL_TYPE * body
        text = ln is not label and abs(ln.size - body) < BODY_TOLERANCE and not ln.bold and not ln.italic
        heading = ln.bold and ln.size >= body and (len(region) > 1 or not alone)  # (a lone label's title)
        apart = bool(region) and ln.top - region[-1].bottom > CAPTION_GAP * ln.size
        headnote = head is not None and ln.top < head - 1
        if not headnote and (text and seen_small or apart and not small and (text or heading)):
            return region, True  # the text resumes under the figure's small type, or apart from its caption
        seen_small = seen_small or small
        region.append(ln)
    return region, False


def _spans_columns(region: list[Line], lines: list[Line], body: float) -> bool:
    """Small type of other columns printed on the same heights as the region's, row
    after row, and no body text beside those rows: the table is wider than the column
    its label was put in. (Its title and headnote, above the rows, may have been put in
    any column.)"""
    mine = {id(ln) for ln in region}
    tops = [ln.top for ln in region if ln.size < SMALL_TYPE * body]
    if not tops:
        return False
    beside = [
        o for o in lines if o.page == region[0].page and id(o) not in mine and min(tops) - 1 <= o.top <= max(tops) + 1
    ]
    if any(o.size >= SMALL_TYPE * body and not o.bold for o in beside):
        return False
    shared = {round(o.top) for o in beside if any(abs(o.top - t) < 1 for t in tops)}
    return len(shared) >= SHARED_ROWS


def _next_frames(page: int, column: int, lines: list[Line]) -> list[tuple[int, int]]:
    """Where text goes on after the foot of (page, column): the next column of the
    page, else the top of the next page."""
    pages = sorted({ln.page for ln in lines if ln.page > page})
    frames = []
    if column and any(ln.page == page and ln.column == column + 1 for ln in lines):
        frames.append((page, column + 1))
    for p in pages[:2]:
        frames.append((p, 1 if column and any(ln.page == p and ln.column == 1 for ln in lines) else 0))
    return frames


def _continuation(
    label: Line, after: tuple[int, int], region: list[Line], lines: list[Line], body: float, repeated: set[int]
) -> list[Line]:
    """The rest of a table cut by a page or column break after the frame `after` (page,
    column). A frame that opens with the table's label again ('Table 2.—Continued') over
    rows in smaller type carries it on as the label's own region does, through as many
    pages as repeat it; the repeated label, title and headnote go to `repeated`. Else
    the small type at the top of the next frame, within the table's width and starting
    where one of its lines starts, down to the source line or the first line in larger
    type."""
    small = [ln for ln in region if ln.size < SMALL_TYPE * body]
    left, right = min(ln.x0 for ln in small), max(ln.x1 for ln in small)
    starts = [ln.x0 for ln in small]
    out: list[Line] = []
    for page, column in _next_frames(*after, lines):
        frame = _frame(lines, page, column)
        head = _table_head(frame[0], lines, body) if frame and _repeats_label(frame[0], label) else None
        if head is not None:
            carried, closed = _walk(frame[0], lines, body, column, head)
            repeated.update(id(ln) for ln in carried if ln.top < head - 1)
            out.extend(carried)
            if not closed:
                out.extend(_continuation(label, (page, column), region, lines, body, repeated))
            return out
        here: list[Line] = []
        ended = False
        for ln in frame:
            if here and SOURCE.match(ln.plain):
                here.append(ln)
                ended = True
                break
            if ln.size >= SMALL_TYPE * body or ln.x0 < left - ln.size or ln.x1 > right + ln.size:
                ended = True
                break
            here.append(ln)
        if not here:
            return out
        first_row = [ln for ln in here if abs(ln.top - here[0].top) < 2]
        if not any(abs(ln.x0 - s) < 2 for ln in first_row for s in starts):
            return out
        out.extend(here)
        if ended:
            return out
    return out


def _repeats_label(line: Line, label: Line) -> bool:
    """The line opens with the same label ('Table 2', whatever its case and spacing)."""
    mine, other = LABEL.match(label.plain), LABEL.match(line.plain)
    assert mine is not None  # the label was found by matching LABEL

    def key(m: re.Match) -> str:
        return re.sub(r"\s+", "", m.group(1)).lower()

    return other is not None and key(other) == key(mine)


def _table_lines(lines: list[Line], pages: dict[int, Page]) -> list[Line]:
    """The table proper: from the first drawn band, or from the first row of several
    cells and the bold bands right above it (not a legend in small type)."""
    if not lines:
        return []
    first = lines[0].page
    here = [ln for ln in lines if ln.page == first]
    page = pages.get(first)
    if page is not None:
        left, right = min(ln.x0 for ln in here), max(ln.x1 for ln in here)
        boxes = [
            b
            for b in page.boxes
            if b.filled
            and b.bottom - b.top > RULE_HEIGHT
            and b.x0 < right
            and b.x1 > left
            and b.bottom >= here[0].top
            and b.bottom <= here[-1].bottom + 2
        ]
        if boxes:
            top = min(b.top for b in boxes)
            return [ln for ln in lines if ln.page != first or ln.top >= top - 1]
    for i, ln in enumerate(here):
        if sum(abs(o.top - ln.top) < 2 for o in here) >= 2:
            while i and here[i - 1].bold:  # bands heading the table
                i -= 1
            return lines[i:]
    return lines


# ------------------------------------------------------------------ cells


@dataclass(slots=True)
class _Piece:
    """Text of one cell on one printed line."""

    line: Line
    column: int
    x: float
    text: str


@dataclass(slots=True)
class _Grid:
    """Where the columns' text starts (`anchors`) and ends at the latest (`limits`),
    and where a piece starting at x belongs (`edges`: left edges of the columns)."""

    anchors: list[float]
    limits: list[float]
    edges: list[float]

    def column(self, x: float) -> int:
        return max((i for i, e in enumerate(self.edges) if x >= e - 1), default=0)


@dataclass(slots=True)
class _Part:
    """The table's lines on one page, with the rows' drawn boundaries there."""

    page: int
    lines: list[Line]
    bounds: list[float] = field(default_factory=list)  # y of each rule between rows
    fills: list[Box] = field(default_factory=list)  # filled boxes (bands)
    segments: dict[float, list[tuple[float, float]]] = field(default_factory=dict)  # rules by height

    def closed_below(self) -> bool:
        last = max(ln.bottom for ln in self.lines)
        size = self.lines[-1].size
        return any(last - 1 < y < last + RULE_REACH * size for y in self.bounds)

    def closed_above(self) -> bool:
        first = min(ln.top for ln in self.lines)
        size = self.lines[0].size
        return any(first - RULE_REACH * size < y < first + 1 for y in self.bounds)


def _cells(table: list[Line], pages: dict[int, Page] | None = None) -> list[list[str]]:
    """Cells row by row. A line alone on its height at the first column, in bold or
    on a filled band across the table, is a row of its own (a band). Other rows are
    bounded by the rules drawn under the cells, or else by blank gaps. Text runs go
    to the column their left edge falls in; a line running over column starts is cut
    into cells first. A row cut by a page break is joined up again."""
    if not table:
        return []
    pages = pages or {}
    parts = _parts(table, pages)
    grid = _ruled_grid(parts, table) or _text_grid(table)
    widths = _WidthModel(table, grid)
    rows: list[tuple[list[_Piece], bool]] = []  # (pieces, is band)
    for n, part in enumerate(parts):
        bands = {id(ln) for ln in part.lines if _is_band(ln, part, grid)}
        pieces = []
        for ln in part.lines:
            if id(ln) in bands:
                pieces.append(_Piece(ln, 0, ln.x0, "".join(ch for ch, _, _ in _chars(ln)).strip()))
            else:
                pieces.extend(_split_line(ln, grid, widths))
        part_rows = _group_rows(part, pieces, bands)
        if n and rows and part_rows and _joins(parts[n - 1], part, rows[-1], part_rows[0]):
            rows[-1] = (rows[-1][0] + part_rows[0][0], False)
            part_rows = part_rows[1:]
        if n and rows and part_rows and _repeats_header(rows, part_rows[0], len(grid.anchors)):
            part_rows = part_rows[1:]
        rows.extend(part_rows)
    out = []
    for pieces, _ in rows:
        row = [_cell_text([p for p in pieces if p.column == i]) for i in range(len(grid.anchors))]
        if any(row):
            out.append(row)
    return out


def _parts(table: list[Line], pages: dict[int, Page]) -> list[_Part]:
    """The table's lines page by page, with the rules that bound rows there: thin
    drawn rules and the edges of filled boxes that run under most of the table."""
    left, right = min(ln.x0 for ln in table), max(ln.x1 for ln in table)
    parts: list[_Part] = []
    for ln in table:
        if not parts or parts[-1].page != ln.page:
            parts.append(_Part(ln.page, []))
        parts[-1].lines.append(ln)
    for part in parts:
        part.lines.sort(key=lambda line: (line.top, line.x0))
        page = pages.get(part.page)
        if page is None:
            continue
        size = max(ln.size for ln in part.lines)
        top = part.lines[0].top - RULE_SEARCH * size
        bottom = max(ln.bottom for ln in part.lines) + RULE_SEARCH * size
        near = [b for b in page.boxes if top <= b.top and b.bottom <= bottom and b.x1 > left and b.x0 < right]
        edges: dict[float, list[tuple[float, float]]] = {}
        for b in near:
            if b.bottom - b.top <= CELL_RULE:
                edges.setdefault(round((b.top + b.bottom) / 2, 1), []).append((b.x0, b.x1))
            elif b.filled:
                part.fills.append(b)
                edges.setdefault(round(b.top, 1), []).append((b.x0, b.x1))
                edges.setdefault(round(b.bottom, 1), []).append((b.x0, b.x1))
        merged: dict[float, list[tuple[float, float]]] = {}
        for y in sorted(edges):
            key = next((k for k in merged if abs(k - y) <= RULE_MERGE), y)
            merged.setdefault(key, []).extend(edges[y])
        part.segments = {y: segs for y, segs in merged.items() if _covered(segs, left, right) >= COVER}
        part.bounds = sorted(part.segments)
    return parts


def _covered(segments: list[tuple[float, float]], left: float, right: float) -> float:
    """Share of [left, right] under the union of the segments."""
    total, reach = 0.0, left
    for x0, x1 in sorted(segments):
        x0, x1 = max(x0, reach), min(x1, right)
        if x1 > x0:
            total += x1 - x0
            reach = x1
    return total / max(EPSILON, right - left)


def _ruled_grid(parts: list[_Part], table: list[Line]) -> _Grid | None:
    """Columns from drawn cell borders: the rule drawn in the most pieces under one
    row gives every column's left and right edge. Used when most lines start just
    right of one of those edges (the cell padding)."""
    size = median(ln.size for ln in table)
    best: list[tuple[float, float]] = []
    for part in parts:
        for segments in part.segments.values():
            cells = sorted(s for s in segments if s[1] - s[0] >= CELL_WIDTH * size)
            if len(cells) > len(best):
                best = cells
    if len(best) < 2:
        return None
    edges: list[float] = []
    for x in sorted(x for seg in best for x in seg):
        if not edges or x - edges[-1] > 1.0:
            edges.append(x)
    offsets = []
    for ln in table:
        i = max((k for k, e in enumerate(edges[:-1]) if ln.x0 >= e - 1), default=None)
        if i is not None and ln.x0 - edges[i] <= 2 * ln.size:
            offsets.append(ln.x0 - edges[i])
    if len(edges) < MIN_EDGES or len(offsets) < PADDED * len(table):
        return None
    pad = max(0.0, median(offsets))
    return _Grid([e + pad for e in edges[:-1]], [e - pad for e in edges[1:]], edges[:-1])


def _text_grid(table: list[Line]) -> _Grid:
    """Columns from the text: where the lines of the fullest row start, and every
    other position where several lines start, unless more lines run across it than
    start there. Starts closer than one and a half ems are one column."""
    size = median(ln.size for ln in table)
    cells = [ln for ln in table if not (ln.bold and _alone(ln, table))] or table
    rows: list[list[Line]] = []
    for ln in sorted(cells, key=lambda line: line.top):
        if rows and abs(rows[-1][0].top - ln.top) < 2:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    fullest = max(rows, key=len)
    clusters: list[list[float]] = []
    for x in sorted(ln.x0 for ln in cells):
        if clusters and x - clusters[-1][-1] <= 2:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    candidates = [ln.x0 for ln in fullest]
    for c in clusters:
        across = sum(ln.x0 < c[0] - 1 and ln.x1 > c[0] + 1 for ln in cells)
        if len(c) >= 2 and across < len(c):
            candidates.append(c[0])
    candidates.append(min(ln.x0 for ln in table))
    anchors: list[float] = []
    for x in sorted(candidates):
        if not anchors or x - anchors[-1] >= COLUMN_STEP * size:
            anchors.append(x)
    right = max(ln.x1 for ln in table)
    limits = [a - COLUMN_LEAD * size for a in anchors[1:]] + [right]
    return _Grid(anchors, limits, [a - 2 for a in anchors])


def _alone(line: Line, lines: list[Line]) -> bool:
    return not any(o is not line and abs(o.top - line.top) < 2 for o in lines)


def _is_band(line: Line, part: _Part, grid: _Grid) -> bool:
    """A line in the first column with nothing else between the same two row rules
    (or, without rules, on the same height), in bold or on a filled box of one line's
    height under most of the table: a band across the table."""
    if grid.column(line.x0) != 0:
        return False
    if part.bounds:
        where = _interval(line, part.bounds)
        if any(o is not line and _interval(o, part.bounds) == where for o in part.lines):
            return False
    elif not _alone(line, part.lines):
        return False
    if line.bold:
        return True
    width = grid.limits[-1] - grid.anchors[0]
    mid = (line.top + line.bottom) / 2
    return any(
        b.top <= mid <= b.bottom
        and b.bottom - b.top < BAND_HEIGHT * line.size
        and b.x0 <= line.x0 + 1
        and b.x1 - b.x0 >= COVER * width
        for b in part.fills
    )


def _interval(line: Line, bounds: list[float]) -> int:
    """How many row rules lie above the middle of the line."""
    return sum(y <= (line.top + line.bottom) / 2 for y in bounds)


# ------------------------------------------------------------------ cutting merged lines

_FAMILIES = (("Helvetica", "Helvetica-Bold"), ("Times-Roman", "Times-Bold"))


def _glyph(widths: dict, ch: str) -> float:
    """Advance width of a character in 1/1000 em in a standard font's metrics."""
    w = widths.get(ch)
    if w is not None:
        return w
    if ch in SOFT_HYPHENS:
        return widths.get("-", HYPHEN_WIDTH)
    if ch.isalnum():
        return widths.get("n", LETTER_WIDTH)
    return SYMBOL_WIDTH


def _chars(line: Line) -> list[tuple[str, float, bool]]:
    """The line's printed characters (a list glyph first) with their size and weight."""
    spans = [s for s in line.spans if not s.superscript and s.text]
    out: list[tuple[str, float, bool]] = []
    if line.bullet:
        first = spans[0] if spans else line
        out += [(line.bullet, first.size, first.bold), (" ", first.size, first.bold)]
    for s in spans:
        out += [(ch, s.size, s.bold) for ch in s.text]
    while out and out[-1][0] == " ":
        out.pop()
    return out


class _WidthModel:
    """Estimated advance widths of a table's characters: the standard font metrics
    (sans or serif, whichever fits better) scaled to the table's type, both learnt
    from the lines that stay within one column."""

    def __init__(self, table: list[Line], grid: _Grid) -> None:
        singles = [
            ln
            for ln in table
            if len(ln.plain) >= MEASURED_CHARS
            and grid.column(ln.x0) == grid.column(ln.x1 - 1)
            and ln.x1 <= grid.limits[grid.column(ln.x0)] + 0.5 * ln.size
        ]
        self.family = _FAMILIES[0]
        self.scale: float | None = None
        best = None
        for family in _FAMILIES:
            ratios = [(ln.x1 - ln.x0) / u for ln in singles if (u := self._units(_chars(ln), family)) > 0]
            if len(ratios) < MEASURED_LINES:
                continue
            mid = median(ratios)
            spread = median(abs(r - mid) for r in ratios) / mid
            if best is None or spread < best:
                best, self.family, self.scale = spread, family, mid

    @staticmethod
    def _units(chars: list[tuple[str, float, bool]], family: tuple[str, str]) -> float:
        regular, bold = FONT_METRICS[family[0]][1], FONT_METRICS[family[1]][1]
        return sum(_glyph(bold if b else regular, ch) * size / 1000 for ch, size, b in chars)

    def widths(self, line: Line, chars: list[tuple[str, float, bool]]) -> list[float]:
        regular, bold = FONT_METRICS[self.family[0]][1], FONT_METRICS[self.family[1]][1]
        raw = [_glyph(bold if b else regular, ch) * size / 1000 for ch, size, b in chars]
        scale = self.scale or (line.x1 - line.x0) / max(EPSILON, sum(raw))
        return [w * scale for w in raw]


def _split_line(line: Line, grid: _Grid, model: _WidthModel) -> list[_Piece]:
    """The line's cells. A line running over the start of further columns holds the
    cells of neighbouring columns set too close to read apart: it is cut at word
    spaces so that every later cell starts at its column's text start, no cell runs
    past its column, and the last cell ends where the line ends (widths estimated
    with `_WidthModel`; the exact positions of characters are not kept by layout)."""
    chars = _chars(line)
    text = "".join(ch for ch, _, _ in chars)
    first = grid.column(line.x0)
    last = first
    for k in range(first + 1, len(grid.anchors)):
        if grid.anchors[k] < line.x1 - CELL_REACH * line.size:
            last = k
    if last == first or not text.strip():
        return [_Piece(line, first, line.x0, text.strip())] if text.strip() else []
    widths = model.widths(line, chars)
    cum = [0.0]
    for w in widths:
        cum.append(cum[-1] + w)
    spaces = [i for i, (ch, _, _) in enumerate(chars) if ch == " "]
    skip = (SKIP_COST * line.size) ** 2
    # best[(start char, column)] = (cost, previous state, end of the previous piece)
    best: dict[tuple[int, int], tuple[float, tuple[int, int] | None, int]] = {(0, first): (0.0, None, 0)}
    starts = [0] + [s + 1 for s in spaces]
    for a in starts:
        for k in range(first, last + 1):
            if (a, k) not in best:
                continue
            cost = best[(a, k)][0]
            x = line.x0 if a == 0 else grid.anchors[k]
            for s in spaces:
                if s <= a or not text[a:s].strip():
                    continue
                end = x + cum[s] - cum[a]
                c = cost + max(0.0, end - grid.limits[k]) ** 2 + SLACK_COST * max(0.0, grid.limits[k] - end)
                for k2 in range(k + 1, last + 1):
                    c2 = c + (k2 - k - 1) * skip
                    if (s + 1, k2) not in best or c2 < best[(s + 1, k2)][0]:
                        best[(s + 1, k2)] = (c2, (a, k), s)
    final, final_cost = None, None
    for (a, k), (cost, _, _) in best.items():
        if not text[a:].strip():
            continue
        x = line.x0 if a == 0 else grid.anchors[k]
        total = cost + (x + cum[len(chars)] - cum[a] - line.x1) ** 2 + (last - k) * skip
        if final_cost is None or total < final_cost:
            final, final_cost = (a, k), total
    pieces: list[_Piece] = []
    state, end = final, len(chars)
    while state is not None:
        a, k = state
        pieces.append(_Piece(line, k, line.x0 if a == 0 else grid.anchors[k], text[a:end].strip()))
        _, state, end = best[state]
        end = end if state is not None else 0
    return pieces[::-1]


# ------------------------------------------------------------------ rows


def _group_rows(part: _Part, pieces: list[_Piece], bands: set[int]) -> list[tuple[list[_Piece], bool]]:
    """The part's pieces row by row: a band is a row; other rows end at a drawn rule
    or at a blank gap. Where no blank gap parts any two printed rows (a table set
    line under line, see `_packed`), a printed row that fills the first column and
    another starts a row; one that leaves the first column empty carries on the row
    above (a wrapped cell, a second value for the same key)."""
    by_line: dict[int, list[_Piece]] = {}
    for p in pieces:
        by_line.setdefault(id(p.line), []).append(p)
    printed = _printed_rows(part.lines, bands)
    packed = _packed(printed, part, bands)
    rows: list[tuple[list[_Piece], bool]] = []
    current: list[_Piece] = []
    bottom = interval = None

    def flush() -> None:
        if current:
            rows.append((list(current), False))
            current.clear()

    for printed_row in printed:
        first = printed_row[0]
        if id(first) in bands:
            flush()
            rows.append((by_line.get(id(first), []), True))
            bottom = interval = None
            continue
        where = _interval(first, part.bounds)
        columns = {p.column for ln in printed_row for p in by_line.get(id(ln), [])}
        if (
            current
            and bottom is not None
            and (
                where != interval
                or first.top > bottom + ROW_GAP * first.size
                or packed
                and 0 in columns
                and len(columns) > 1
            )
        ):  # (bottom: set with the row)
            flush()
        if not current:
            bottom = None
        for ln in printed_row:
            current.extend(by_line.get(id(ln), []))
            bottom = ln.bottom if bottom is None else max(bottom, ln.bottom)
        interval = where
    flush()
    return rows


ROW_GAP = 0.5  # ems of blank between printed rows that part two rows of a table


def _printed_rows(lines: list[Line], bands: set[int]) -> list[list[Line]]:
    """Lines top to bottom, gathered into the rows they are printed on (tops within
    ROW_DRIFT); a band is a printed row of its own."""
    out: list[list[Line]] = []
    for ln in sorted(lines, key=lambda line: (line.top, line.x0)):
        if (
            out
            and id(ln) not in bands
            and id(out[-1][0]) not in bands
            and abs(ln.top - out[-1][0].top) < ROW_DRIFT * ln.size
        ):
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def _packed(printed: list[list[Line]], part: _Part, bands: set[int]) -> bool:
    """A table set line under line: at least TABLE_ROWS printed rows, fewer than one in
    PACKED_ROWS of them parted from the one above by a blank gap, a drawn rule or a band.
    Its few partings set off groups of rows (a header, a section), not the rows themselves."""
    if len(printed) < TABLE_ROWS:
        return False
    parted = 0
    for above, below in zip(printed, printed[1:]):
        parted += (
            id(above[0]) in bands
            or id(below[0]) in bands
            or _interval(above[0], part.bounds) != _interval(below[0], part.bounds)
            or below[0].top > max(ln.bottom for ln in above) + ROW_GAP * below[0].size
        )
    return parted * PACKED_ROWS < len(printed)


PACKED_ROWS = 5  # printed rows per blank gap below which gaps do not part a table's rows


def _joins(before: _Part, after: _Part, last: tuple[list[_Piece], bool], first: tuple[list[_Piece], bool]) -> bool:
    """Whether the first row after a page break carries on the last row before it:
    where the table draws rules between rows, when no rule closes the one row and
    none opens the other; without rules, when the two fill different columns."""
    if last[1] or first[1]:
        return False
    if before.segments or after.segments:
        return not before.closed_below() and not after.closed_above()
    return not ({p.column for p in last[0]} & {p.column for p in first[0]})


def _repeats_header(rows: list[tuple[list[_Piece], bool]], first: tuple[list[_Piece], bool], n: int) -> bool:
    """A continued table may print its header row again at the top of the page."""

    def texts(row):
        return [_cell_text([p for p in row[0] if p.column == i]) for i in range(n)]

    return texts(rows[0]) == texts(first)


def _cell_text(pieces: list[_Piece]) -> str:
    """Pieces of one cell in reading order, joined across line ends: a soft hyphen is
    dropped, a hyphen after a letter kept without a space. A glyph set a little off
    the text's baseline (a tick before an item) still reads first on its line."""
    ordered = sorted(pieces, key=lambda p: (p.line.page, p.line.top, p.x))
    visual: list[list[_Piece]] = []
    for p in ordered:
        if visual and p.line.page == visual[-1][0].line.page and p.line.top - visual[-1][0].line.top < 2:
            visual[-1].append(p)
        else:
            visual.append([p])
    text = ""
    for group in visual:
        for p in sorted(group, key=lambda p: p.x):
            t = re.sub(r"\s+", " ", p.text).strip()
            if not t:
                continue
            if not text:
                text = t
            elif text[-1] in SOFT_HYPHENS:
                text = text[:-1] + t
            elif text[-1] == "-" and len(text) > 1 and text[-2].isalpha():
                text += t
            else:
                text += " " + t
    return text
