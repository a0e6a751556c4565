"""Figures and tables: a labelled block ("Figure 1", "Table 2", ...) with its
title, caption, cells and source line, kept out of the body text."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Line, Page
from pipeline.text import join_lines

LABEL = re.compile(r"^((?:Figure|Fig\.|Table|Chart|Graph|Map|Box|Exhibit|Infographic)\s+\d+[A-Za-z]?)[.:]?\s*(.*)$")
SOURCE = re.compile(r"^(Sources?|Credits?|Note|Notes)\s*:", re.I)


@dataclass(slots=True)
class FigureDraft:
    figure_id: str
    label: str
    title: str
    caption: str | None
    rows: list[list[str]]
    source: str | None
    page: int


def _region_lines(label: Line, lines: list[Line], body: float) -> list[Line]:
    """Lines from the label down to the source line (or to the first body-size line
    after the figure's small type), within the label's column or across the page."""
    page_lines = [ln for ln in lines if ln.page == label.page and ln.top >= label.top - 1]
    if label.column:
        page_lines = [ln for ln in page_lines if ln.column == label.column]
    page_lines.sort(key=lambda l: (l.top, l.x0))
    region: list[Line] = []
    seen_small = False
    for ln in page_lines:
        if region and SOURCE.match(ln.plain):
            region.append(ln)
            break
        small = ln.size < 0.9 * body
        if seen_small and not small and ln is not label and abs(ln.size - body) < 0.6 and not ln.bold and not ln.italic:
            break
        seen_small = seen_small or small
        region.append(ln)
    return region


def _column_starts(table: list[Line]) -> list[float]:
    """Where the table's columns begin: the left edges of its fullest row."""
    rows: list[list[Line]] = []
    for ln in sorted(table, key=lambda l: l.top):
        if rows and abs(rows[-1][0].top - ln.top) < 2:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    fullest = max(rows, key=len)
    return sorted(ln.x0 for ln in fullest)


def _pieces(line: Line, columns: list[float]) -> list[tuple[float, str]]:
    """The line's text cut where it runs over a column start: at the space nearest
    the start, character positions interpolated within each span."""
    chars: list[tuple[float, str]] = [(line.x0, line.bullet), (line.x0, " ")] if line.bullet else []
    for span in line.spans:
        if span.superscript or not span.text:
            continue
        step = (span.x1 - span.x0) / max(1, len(span.text))
        chars.extend((span.x0 + i * step, ch) for i, ch in enumerate(span.text))
    cuts = []
    for c in columns:
        if line.x0 + 3 < c < line.x1:
            spaces = [i for i, (x, ch) in enumerate(chars) if ch == " " and abs(x - c) < 12]
            if spaces:
                cuts.append(min(spaces, key=lambda i: abs(chars[i][0] - c)))
    pieces, start = [], 0
    for cut in sorted(set(cuts)) + [len(chars)]:
        text = "".join(ch for _, ch in chars[start:cut]).strip()
        if text:
            pieces.append((chars[start][0], text))
        start = cut + 1
    return pieces


def _cells(table: list[Line]) -> list[list[str]]:
    """Cells row by row. A bold line alone in its row at the first column is a band
    across the table and a row of its own; the lines between two bands make one
    row. Without bands, a blank gap between lines separates rows. Text runs are
    put into the column their left edge falls in."""
    if not table:
        return []
    columns = _column_starts(table)

    def column_of(x: float) -> int:
        return max((i for i, c in enumerate(columns) if x >= c - 3), default=0)

    def alone(ln: Line) -> bool:
        return not any(o is not ln and abs(o.top - ln.top) < 2 for o in table)

    bands = {id(ln) for ln in table if ln.bold and column_of(ln.x0) == 0 and alone(ln)}
    rows: list[list[str]] = []
    cells: dict[int, list[tuple[float, float, str]]] = {}
    bottom = None

    def flush() -> None:
        if cells:
            rows.append([_cell_text(cells.get(i, [])) for i in range(len(columns))])
            cells.clear()

    for ln in sorted(table, key=lambda l: (l.top, l.x0)):
        if id(ln) in bands:
            flush()
            rows.append([ln.plain] + [""] * (len(columns) - 1))
            bottom = None
            continue
        if bottom is not None and ln.top > bottom + 0.5 * ln.size:
            flush()
        for x, text in _pieces(ln, columns):
            cells.setdefault(column_of(x), []).append((ln.top, x, text))
        bottom = ln.bottom if bottom is None else max(bottom, ln.bottom)
    flush()
    return rows


def _cell_text(pieces: list[tuple[float, float, str]]) -> str:
    """Pieces of one cell in reading order; a glyph set a little off the text's
    baseline (a tick before an item) still reads first on its row."""
    ordered = sorted(pieces)
    rows: list[list[tuple[float, float, str]]] = []
    for piece in ordered:
        if rows and piece[0] - rows[-1][0][0] < 2:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    text = " ".join(p[2] for row in rows for p in sorted(row, key=lambda p: p[1]))
    return re.sub(r"(\w)- (\w)", r"\1-\2", re.sub(r"\s+", " ", text)).strip()


def find_figures(paper_id: str, lines: list[Line], pages: dict[int, Page],
                 body: float) -> tuple[list[FigureDraft], list[Line]]:
    figures: list[FigureDraft] = []
    taken: list[Line] = []
    for ln in lines:
        match = LABEL.match(ln.plain)
        if not match or not ln.bold or any(ln is t for t in taken):
            continue
        region = _region_lines(ln, lines, body)
        taken.extend(region)
        rest = region[1:]
        title_lines = [ln]
        while rest and rest[0].style == ln.style:
            title_lines.append(rest.pop(0))
        caption_lines = []
        while rest and rest[0].italic and rest[0].size >= 0.9 * body * 0.9:
            caption_lines.append(rest.pop(0))
        source = rest.pop() if rest and SOURCE.match(rest[-1].plain) else None
        title_text = join_lines(title_lines, with_markers=False)[0]
        label_match = LABEL.match(title_text)
        table = _table_lines(rest, pages.get(ln.page))
        figures.append(FigureDraft(
            f"{paper_id}-f{len(figures) + 1:02d}", label_match.group(1), label_match.group(2).strip(),
            join_lines(caption_lines, with_markers=False)[0] or None, _cells(table),
            source.plain if source else None, ln.page))
    return figures, taken


def _table_lines(lines: list[Line], page: Page | None) -> list[Line]:
    """The table proper: from the first drawn band or the first row of several cells."""
    if not lines:
        return []
    if page is not None:
        boxes = [b for b in page.boxes if b.filled and b.bottom - b.top > 3
                 and b.top >= lines[0].top - 2 and b.bottom <= lines[-1].bottom + 2]
        if boxes:
            top = min(b.top for b in boxes)
            return [ln for ln in lines if ln.top >= top - 1]
    for i, ln in enumerate(lines):
        if sum(abs(o.top - ln.top) < 2 for o in lines) >= 3:
            return lines[i:]
    return lines
