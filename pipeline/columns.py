"""Columns and reading order: the gutters where a page's running text splits into columns
(any number, of one width), and its lines read band by band, column by column.

Every rule here reads geometry and typography only, never the words of one particular document.
"""

from __future__ import annotations

from collections import Counter

from compendium_corpus.model import Line, Page
from compendium_corpus.style import BODY_TOLERANCE, ROW_DRIFT, SMALL_TYPE

TEXT_CHARS = 3  # a line needs more characters than this to count as running text (not a number or a mark)
COLUMN_LINES = 8  # lines of running text a page, or a column, needs before gutters are sought in it
GUTTER_FROM, GUTTER_TO = 0.3, 0.7  # a gutter is sought between these shares of the width
EDGE_STEP = 0.01  # points past a line's end or before its start where a gutter is tried
GUTTER_CROSSING = 0.05  # share of lines that may cross a gutter (headings, notes set across)
GUTTER_SIDES = 0.2  # share of lines on each side of a gutter at least
CROSSING_COST = 4  # lines on the thinner side of a gutter that one line across it costs
EVEN_WIDTHS = 1.3  # the widest column of a page is at most this many times its narrowest
NOTES_SHARE = 0.8  # share of the lines under all the text that must be small type for a block of notes
BLOCK_GAP = 1.2  # ems of blank across all columns that may start a new block
GUTTER_MATCH = 1.0  # ems between a page's gutter and the document's that make them one gutter


def _text_lines(page: Page, size: float, smaller: bool = False) -> list[Line]:
    """The page's running text: body-size lines (`smaller`: and lines a little smaller, an
    abstract set apart in its own type), or on a page of notes or other small type, lines
    of the size most of its characters are set in."""
    body = [
        ln
        for ln in page.lines
        if (abs(ln.size - size) <= BODY_TOLERANCE or smaller and SMALL_TYPE * size <= ln.size <= size)
        and len(ln.text) > TEXT_CHARS
    ]
    if len(body) >= COLUMN_LINES or not page.lines:
        return body
    counts: Counter[float] = Counter()
    for ln in page.lines:
        counts[ln.size] += len(ln.text)
    main = counts.most_common(1)[0][0]
    return [ln for ln in page.lines if abs(ln.size - main) <= BODY_TOLERANCE and len(ln.text) > TEXT_CHARS]


def _gutters(page: Page, size: float) -> list[float]:
    """The x positions, left to right, where the page's running text splits into columns.
    Where body type alone shows no gutter, text a little smaller is counted in with it (a
    first page whose abstract fills one column's top)."""
    body = _text_lines(page, size)
    first = _gutter(body, page.width * GUTTER_FROM, page.width * GUTTER_TO) if len(body) >= COLUMN_LINES else None
    if first is None:
        body = _text_lines(page, size, smaller=True)
        first = _gutter(body, page.width * GUTTER_FROM, page.width * GUTTER_TO) if len(body) >= COLUMN_LINES else None
    if first is None:
        return []
    gutters = [first]
    for side in ([ln for ln in body if ln.x1 <= first], [ln for ln in body if ln.x0 >= first]):
        if len(side) < COLUMN_LINES:
            continue
        x0, x1 = min(ln.x0 for ln in side), max(ln.x1 for ln in side)
        more = _gutter(side, x0 + GUTTER_FROM * (x1 - x0), x0 + GUTTER_TO * (x1 - x0))
        if more is not None and _even_columns(body, sorted(gutters + [more])):
            gutters.append(more)
    return sorted(gutters)


def _gutter(body: list[Line], lo: float, hi: float) -> float | None:
    """The x between lo and hi that the most lines keep clear of on both sides, if any
    splits the lines into two columns."""
    best, best_score = None, 0
    # the score only changes where a line starts or ends
    edges = sorted({e for ln in body for e in (ln.x1 + EDGE_STEP, ln.x0 - EDGE_STEP) if lo <= e <= hi})
    for x in edges:
        left = sum(ln.x1 <= x for ln in body)
        right = sum(ln.x0 >= x for ln in body)
        crossing = sum(ln.x0 < x < ln.x1 for ln in body)
        if crossing <= GUTTER_CROSSING * len(body) and min(left, right) >= GUTTER_SIDES * len(body):
            score = min(left, right) - CROSSING_COST * crossing
            if score > best_score:
                best, best_score = x, score
    if best is None:
        return None
    # centre of the empty strip around the chosen x
    left_edge = max((ln.x1 for ln in body if ln.x1 <= best), default=best)
    right_edge = min((ln.x0 for ln in body if ln.x0 >= best), default=best)
    return (left_edge + right_edge) / 2


def _even_columns(body: list[Line], gutters: list[float]) -> bool:
    """Columns of a page are set to one width: a further split that leaves columns of
    unequal widths is a table or a list inside a column, not a column of the page."""
    bounds = [-float("inf"), *gutters, float("inf")]
    widths = []
    for lo, hi in zip(bounds, bounds[1:]):
        inside = [ln for ln in body if ln.x0 >= lo and ln.x1 <= hi]
        if not inside:
            return False
        widths.append(max(ln.x1 for ln in inside) - min(ln.x0 for ln in inside))
    return max(widths) <= EVEN_WIDTHS * min(widths)


def _fits_gutters(page: Page, size: float, gutters: list[float]) -> bool:
    """A page with too few lines to find its own gutters may still be set in the
    document's columns: body lines in more than one of them and none across. Body
    type decides where there is any in several columns (a few lines of text over notes
    set across the page); a page of small type only, by the type most of it is set in;
    body text in one column beside smaller type in another (references), by all lines."""
    body = [
        ln for ln in page.lines if abs(ln.size - size) <= BODY_TOLERANCE and len(ln.text) > TEXT_CHARS
    ] or _text_lines(page, size)
    if len({_column(ln, gutters) for ln in body}) == 1:
        # body text in one column, smaller type in another
        body = [ln for ln in page.lines if len(ln.text) > TEXT_CHARS]
    return len({_column(ln, gutters) for ln in body}) > 1 and not any(_crosses(ln, gutters) for ln in body)


def _short_of(gutters: list[float], document_gutters: list[float], size: float) -> bool:
    """The page shows fewer gutters than the document's, each at one of the document's: a
    column too thin in body type to show its own gutter (a column of smaller type)."""
    return len(gutters) < len(document_gutters) and all(
        any(abs(g - d) <= GUTTER_MATCH * size for d in document_gutters) for g in gutters
    )


def _crosses(line: Line, gutters: list[float]) -> bool:
    return any(line.x0 < g - 2 and line.x1 > g + 2 for g in gutters)


def _column(line: Line, gutters: list[float]) -> int:
    """The column (1 is the leftmost) of a line that crosses no gutter."""
    return 1 + sum(line.x1 > g + 2 for g in gutters)


def _order_page(page: Page, size: float, gutters: list[float], document_gutters: list[float] | None = None) -> None:
    """Reading order: lines that cross a gutter cut the page into bands; within a
    band the columns are read left to right. Notes closing the page in columns of
    their own (two under three of text) are read after the text, in their columns."""
    if document_gutters and _short_of(gutters, document_gutters, size) and _fits_gutters(page, size, document_gutters):
        gutters = document_gutters
    page.gutters = gutters
    page.columns = len(gutters) + 1 if gutters else 1
    notes, notes_gutters = _notes_in_own_columns(page, size, gutters)
    in_notes = {id(ln) for ln in notes}
    text = [ln for ln in page.lines if id(ln) not in in_notes]
    page.lines = _ordered(text, gutters, size) + _ordered(notes, notes_gutters, size, first=page.columns + 1)


def _ordered(lines: list[Line], gutters: list[float], size: float, first: int = 1) -> list[Line]:
    """Lines in reading order, each given its column: `first` for the leftmost, 0 for a
    line across a gutter (or on a page of one column)."""
    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    if not gutters:
        for ln in lines:
            ln.column = 0
        return _reading_sorted(lines)
    columns = range(first, first + len(gutters) + 1)
    out: list[Line] = []
    band: list[Line] = []
    for ln in lines:
        if _crosses(ln, gutters):
            ln.column = 0
            out.extend(_flush(band, size, columns))
            band = []
            out.append(ln)
        else:
            ln.column = first - 1 + _column(ln, gutters)
            band.append(ln)
    out.extend(_flush(band, size, columns))
    return out


def _notes_in_own_columns(page: Page, size: float, gutters: list[float]) -> tuple[list[Line], list[float]]:
    """The block of small type under all of the page's body text (notes), with its own
    gutters, when it is set in other columns than the text: some of its lines cross the
    text's gutters and it splits into columns of one width itself. Else nothing."""
    body = [ln for ln in page.lines if abs(ln.size - size) <= BODY_TOLERANCE]
    if not body:
        return [], []
    text_bottom = max(ln.bottom for ln in body)
    block = [ln for ln in page.lines if ln.top >= text_bottom]
    small = [ln for ln in block if ln.size < size - BODY_TOLERANCE and len(ln.text) > TEXT_CHARS]
    if (
        len(small) < COLUMN_LINES
        or len(small) < NOTES_SHARE * len(block)
        or not any(_crosses(ln, gutters) for ln in small)
    ):
        return [], []
    x0, x1 = min(ln.x0 for ln in small), max(ln.x1 for ln in small)
    gutter = _gutter(small, x0 + GUTTER_FROM * (x1 - x0), x0 + GUTTER_TO * (x1 - x0))
    if gutter is None or not _even_columns(small, [gutter]):
        return [], []
    return block, [gutter]


def _reading_sorted(lines: list[Line]) -> list[Line]:
    """Top to bottom; pieces of one visual row (e.g. a table row's cells) left to right."""
    out: list[Line] = []
    for ln in sorted(lines, key=lambda line: line.top):
        out.append(ln)
    rows: list[list[Line]] = []
    for ln in out:
        if rows and abs(rows[-1][0].bottom - ln.bottom) < ROW_DRIFT * ln.size:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [ln for row in rows for ln in sorted(row, key=lambda line: line.x0)]


def _flush(band: list[Line], size: float, columns: range) -> list[Line]:
    """The columns of a band, left first; a block that starts below the columns' text
    in all of them at once (endnotes under a paper's last page) is read after."""
    out: list[Line] = []
    for part in _blocks_below(band, size, columns):
        for column in columns:
            out += _reading_sorted([ln for ln in part if ln.column == column])
    return out


def _blocks_below(band: list[Line], size: float, columns: range) -> list[list[Line]]:
    """Cut a band where a blank strip crosses all columns and, in each column, the
    first line under it is not body type (a heading or notes), or nothing under it is
    body type (a notes title in one column over notes set across the page): a new
    block, not the flow of text going on from one column to the next."""
    cuts = []
    ordered = sorted(band, key=lambda line: line.top)
    for upper, lower in zip(ordered, ordered[1:]):
        gap_top = max(ln.bottom for ln in ordered if ln.top <= upper.top)
        if lower.top - gap_top < BLOCK_GAP * size:
            continue
        below = [ln for ln in ordered if ln.top >= lower.top]
        firsts = [min((ln for ln in below if ln.column == c), key=lambda line: line.top, default=None) for c in columns]
        if all(f is not None and abs(f.size - size) > BODY_TOLERANCE for f in firsts) or all(
            abs(ln.size - size) > BODY_TOLERANCE for ln in below
        ):
            cuts.append(lower.top)
    parts, rest = [], ordered
    for y in cuts:
        parts.append([ln for ln in rest if ln.top < y])
        rest = [ln for ln in rest if ln.top >= y]
    return [p for p in parts + [rest] if p]


def order_pages(pages: list[Page], size: float) -> None:
    """Every page's columns and reading order. A page too sparse to show its own gutters
    may be set in the columns most pages of the document share."""
    own = {p.number: _gutters(p, size) for p in pages}
    common = Counter(tuple(round(g) for g in gutters) for gutters in own.values() if gutters).most_common(1)
    document_gutters = [float(g) for g in common[0][0]] if common else []
    for p in pages:
        _order_page(p, size, own[p.number], document_gutters)
