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


def _cells(table: list[Line]) -> list[list[str]]:
    """Cells row by row. Column starts are the left edges many lines share; a bold
    line alone at the left (a band across the table) is a row of its own, and the
    lines between two bands make one row."""
    if not table:
        return []
    starts = sorted({round(ln.x0) for ln in table})
    columns: list[float] = []
    for x in starts:
        if not columns or x - columns[-1] > 8:
            columns.append(x)
    def column_of(ln: Line) -> int:
        return max(i for i, c in enumerate(columns) if ln.x0 >= c - 8) if ln.x0 >= columns[0] - 8 else 0
    bands = [ln for ln in table if ln.bold and column_of(ln) == 0]
    rows: list[list[str]] = []
    groups: list[list[Line]] = []
    for ln in sorted(table, key=lambda l: (l.top, l.x0)):
        if ln in bands:
            rows.append([ln.plain] + [""] * (len(columns) - 1))
            groups.append([])
            continue
        if not groups or not bands:
            groups.append([]) if not groups else None
        groups[-1].append(ln)
        if len(rows) < len(groups):
            rows.append([])
    out: list[list[str]] = []
    gi = 0
    for row in rows:
        if row:
            out.append(row)
            continue
        cell_lines: dict[int, list[Line]] = {}
        for ln in groups[gi] if gi < len(groups) else []:
            cell_lines.setdefault(column_of(ln), []).append(ln)
        gi += 1
        out.append([join_lines(sorted(cell_lines.get(i, []), key=lambda l: l.top), with_markers=False)[0]
                    for i in range(len(columns))])
    return [r for r in out if any(r)]


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
