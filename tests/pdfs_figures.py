"""Builders for small PDFs with one labelled table each (tests/test_figures.py).

A table is drawn cell by cell: every cell's text is wrapped to its column's
width (less the padding) and set line by line from the cell's top; a band is one
bold line across the table, on a filled box when the table draws its rules. A
ruled table draws a rule under every cell, as HTML tables with cell borders
print. Each builder returns what it drew: the label, title, caption and source,
the rows as they should be read (wrapped cells joined by single spaces), and the
body lines printed before and after the figure.
"""

from __future__ import annotations

from pathlib import Path

from pdfs import LEFT, Doc, filler

BODY = 10.0
CELL = 7.0
LEADING = 8.6

LABEL = "Table 2"
TITLE = "Commitments made at four ministerial meetings"
CAPTION = "What each meeting agreed and what became of it two years later"
SOURCE = "Source: meeting records compiled by the authors"

BANDED = [
    ("band", "ROUND OF TALKS"),
    (
        "row",
        [
            "Autumn meeting in the capital",
            "Spring meeting by video",
            "Summer meeting at the coast",
            "Winter meeting in the north",
        ],
    ),
    ("band", "AGREED OUTCOMES"),
    (
        "row",
        [
            "✓ A working group on standards for batteries was set up",
            "✗ No statement, talks ended early",
            "✓ Customs data to be shared every quarter from next year",
            "✓ Joint study of port capacity",
        ],
    ),
    (
        "row",
        [
            "✗ The visa question was left open",
            "",
            "✓ Two pilot projects on rail freight, one of them already running",
            "",
        ],
    ),
    ("band", "FOLLOW-UP"),
    ("row", ["Report delivered", "", "Delayed by one year", "Report delivered"]),
]


def _wrap(d: Doc, text: str, width: float, style: str = "") -> list[str]:
    return d.wrap(text, width, CELL, style) if text else []


def _body(d: Doc, y: float, n: int, start: int = 0) -> tuple[list[str], float]:
    """n full body lines across the text block from baseline y."""
    return d.full_lines(LEFT, y, 539.0 - LEFT, n, start=start, size=BODY, leading=13)


def _heading(d: Doc, y: float) -> float:
    """Label, title and caption; returns the top of the table."""
    d.text(LEFT, y, f"{LABEL} {TITLE}", BODY, "B")
    d.text(LEFT, y + 14, CAPTION, 9.0, "I")
    return y + 24


def _rule(d: Doc, edges: list[float], y: float) -> None:
    """A rule under every cell: one segment per column, as cell borders print."""
    d.pdf.set_line_width(0.5)
    for x0, x1 in zip(edges, edges[1:]):
        d.pdf.line(x0, y, x1, y)


def _band(d: Doc, edges: list[float], top: float, text: str, ruled: bool, pad: float) -> float:
    height = CELL + 2 * pad
    if ruled:
        d.pdf.set_fill_color(200, 210, 230)
        d.pdf.rect(edges[0], top, edges[-1] - edges[0], height, style="F")
    d.text(edges[0] + pad, top + pad + 0.8 * CELL, text, CELL, "B")
    return top + height


def _row_lines(d: Doc, edges: list[float], cells: list[str], pad: float) -> list[list[str]]:
    return [_wrap(d, c, x1 - x0 - 2 * pad) for c, x0, x1 in zip(cells, edges, edges[1:])]


def _draw_row(
    d: Doc,
    edges: list[float],
    wrapped: list[list[str]],
    top: float,
    pad: float,
    first: int = 0,
    count: int | None = None,
) -> float:
    """Lines first..first+count of every cell of a row from `top`; returns the bottom."""
    count = max(len(w) for w in wrapped) - first if count is None else count
    for col, lines in enumerate(wrapped):
        for i, line in enumerate(lines[first : first + count]):
            d.text(edges[col] + pad, top + pad + 0.8 * CELL + i * LEADING, line, CELL)
    return top + 2 * pad + max(0, count - 1) * LEADING + CELL


def _expected(table: list[tuple], n: int) -> list[list[str]]:
    return [[c] + [""] * (n - 1) if kind == "band" else list(c) for kind, c in table]


def table_figure(
    path: Path,
    table: list[tuple] = BANDED,
    edges: list[float] | None = None,
    ruled: bool = True,
    pad: float = 3.0,
    gap: float = 0.0,
) -> dict:
    """One page: body text, the labelled table, its source line, more body text.
    `gap` adds blank space between rows (what separates rows of a table without rules)."""
    d = Doc()
    d.page()
    edges = edges or [LEFT, 176.0, 296.0, 416.0, 539.0]
    before, y = _body(d, 80, 4)
    top = _heading(d, y + 6)
    for kind, content in table:
        if kind == "band":
            bottom = _band(d, edges, top, content, ruled, pad)
        else:
            bottom = _draw_row(d, edges, _row_lines(d, edges, content, pad), top, pad)
        if ruled:
            _rule(d, edges, bottom)
        top = bottom + gap
    d.text(LEFT, top + 12, SOURCE, 7.5)
    after, _ = _body(d, top + 40, 4, start=50)
    d.save(path)
    return {
        "label": LABEL,
        "title": TITLE,
        "caption": CAPTION,
        "source": SOURCE,
        "rows": _expected(table, len(edges) - 1),
        "before": before,
        "after": after,
    }


PLAIN = [
    ("row", ["Indicator", "First year", "Last year"]),
    ("row", ["Goods exported to the partner, in billions", "181", "223"]),
    ("row", ["Goods imported from the partner, in billions", "362", "514"]),
    ("row", ["Services traded both ways, in billions, as far as recorded", "61", "83"]),
]


def plain_table(path: Path) -> dict:
    """No rules and no bands: rows apart by a blank gap, the first column wrapped."""
    return table_figure(path, PLAIN, edges=[LEFT, 150.0, 330.0, 450.0], ruled=False, gap=7.0)


TOUCHING = [
    ("row", ["Quota rules", "Import licences", "Export controls", "Market access"]),
    (
        "row",
        [
            "Tighter quota rules for imported batteries",
            "Import licences granted within sixty days",
            "Export controls on gallium and germanium",
            "Market access for insurers widened",
        ],
    ),
    (
        "row",
        [
            "Steel safeguard extended twice",
            "Public tenders opened to bidders",
            "Dual use items listed in one annex",
            "Financial services licensing sped up",
        ],
    ),
]


def touching_table(path: Path, ruled: bool = False) -> dict:
    """Narrow columns with hardly any padding: a cell's line ends so close to the
    next column's text that layout reads both as one line."""
    return table_figure(
        path, TOUCHING, edges=[LEFT, 116.0, 176.0, 236.0, 296.0], ruled=ruled, pad=0.6, gap=0.0 if ruled else 7.0
    )


def continued_table(path: Path, split: bool = True) -> dict:
    """A ruled, banded table that runs over the foot of page 1 and carries on at the
    top of page 2, then its source line and body text. With `split`, the page break
    falls inside a row (the first line of its cells at the foot of page 1, the rest on
    page 2, no rule between); otherwise it falls between two rows (a rule closes the last row on page 1)."""
    d = Doc()
    edges = [LEFT, 176.0, 296.0, 416.0, 539.0]
    pad = 3.0
    table = BANDED + [
        ("band", "LATER MEETINGS"),
        (
            "row",
            [
                "✓ Follow-up meeting on hydrogen standards with a shared roadmap for certification",
                "✗ Talks on procurement stalled",
                "✓ Pilot for green shipping corridors agreed in principle",
                "✗ No date set",
            ],
        ),
        ("row", ["Closing report", "Closing report", "", "Closing report"]),
    ]
    split_at = len(BANDED) + 1  # the long row after the fourth band
    d.page()
    _, y = _body(d, 60, 42)
    top = _heading(d, y + 6)
    for i, (kind, content) in enumerate(table):
        if i == split_at:
            wrapped = _row_lines(d, edges, content, pad)
            if split:
                _draw_row(d, edges, wrapped, top, pad, 0, 1)
                d.page()
                top = _draw_row(d, edges, wrapped, 56.0 - pad - 0.8 * CELL, pad, 1)
            else:
                d.page()
                top = _draw_row(d, edges, wrapped, 56.0 - pad - 0.8 * CELL, pad)
            _rule(d, edges, top)
            continue
        if kind == "band":
            bottom = _band(d, edges, top, content, True, pad)
        else:
            bottom = _draw_row(d, edges, _row_lines(d, edges, content, pad), top, pad)
        _rule(d, edges, bottom)
        top = bottom
    d.text(LEFT, top + 12, SOURCE, 7.5)
    after, _ = _body(d, top + 40, 4, start=50)
    d.save(path)
    rows = _expected(table, len(edges) - 1)
    return {"label": LABEL, "title": TITLE, "caption": CAPTION, "source": SOURCE, "rows": rows, "after": after}


UNRULED_TITLE = "Readings at the monitoring stations"
HEADNOTE = "[mg/L, milligrams per liter; nd, not determined]"
UNRULED_HEADER = ["Station", "Nitrate (mg/L)", "Sulfate (mg/L)", "Samples"]


def unruled_table(path: Path, rows: int = 70, headnote_lines: int = 1) -> dict:
    """A table without rules or bands, set line under line in small type: its label and
    title in the body's type and weight ('Table 3. Readings ...', set off by a stop), a
    headnote in the body's type a blank line under it, a header row, then one row per
    printed line, where a line with the first column empty gives a second reading of the
    station above. The rows run over the foot of page 1 into page 2, which repeats the
    label ('...—Continued') and the header; body text follows."""
    d = Doc()
    edges = [LEFT, 220.0, 330.0, 440.0]
    label = "Table 3."
    d.page()
    _, y = _body(d, 60, 30)
    d.text(LEFT, y + 10, f"{label} {UNRULED_TITLE}", BODY)
    for i in range(headnote_lines):  # a long headnote pushes the rows well under the label
        d.text(LEFT, y + 34 + 14 * i, HEADNOTE, BODY)
    y += 14 * (headnote_lines - 1)
    expected = [UNRULED_HEADER]

    def header(top: float) -> float:
        for x, cell in zip(edges, UNRULED_HEADER):
            d.text(x, top, cell, CELL)
        return top + LEADING

    top = header(y + 56)
    n = 0
    pages = 0
    while n < rows:
        if top > 790:
            pages += 1
            d.page()
            d.text(LEFT, 60, f"{label} {UNRULED_TITLE}—Continued", BODY)
            top = header(84)
        station = f"Station {n + 1:02d}"
        values = [f"{(n * 7) % 10}.{n % 10}", f"{(n * 3) % 10}.{(n + 4) % 10}", str(10 + n % 9)]
        cells = [station] + values
        for x, cell in zip(edges, cells):
            d.text(x, top, cell, CELL)
        top += LEADING
        if n % 10 == 3:  # a second reading of the same station
            again = [f"{(n * 5) % 10}.{(n + 1) % 10}", f"{(n * 9) % 10}.{(n + 2) % 10}", str(20 + n % 9)]
            for x, cell in zip(edges[1:], again):
                d.text(x, top, cell, CELL)
            top += LEADING
            cells = [station] + [f"{a} {b}" for a, b in zip(values, again)]
        expected.append(cells)
        n += 1
    after, _ = _body(d, top + 30, 30, start=50)
    d.save(path)
    return {
        "label": "Table 3",
        "title": UNRULED_TITLE,
        "headnote": HEADNOTE,
        "rows": expected,
        "after": after,
        "pages": pages + 1,
    }


__all__ = ["table_figure", "plain_table", "touching_table", "continued_table", "unruled_table", "filler"]
