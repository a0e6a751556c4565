"""A page read the way a reader turns it.

Text is judged by the direction its lines run on the page (each glyph's
baseline, from its text matrix), not by a flag a viewer's transform may set:
a page whose text mostly runs down, up or right to left (a landscape table, a
document set sideways, a page printed mirrored or upside down) is turned so
that it runs left to right, and its lines then stack the way the text was
written (the order the content stream draws them in). Text running in any
other direction than the page's own (a stamp in the margin) is set aside as
sideways, and counted.

Directions and boxes are in the page's top-left coordinates (y down), as the
character sources give them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

UPRIGHT = (1, 0)  # a baseline running left to right
QUARTERS = {(1, 0): 0, (0, 1): 90, (-1, 0): 180, (0, -1): 270}  # degrees turned, by the baselines' direction
SIDEWAYS = (90, 270)  # turns that swap a page's width and height


@dataclass(frozen=True, slots=True)
class Frame:
    """The turn that makes a page's text run left to right: a quarter-turn matrix (and
    a vertical mirror where the lines were drawn bottom to top) about the page."""

    width: float  # of the page as read
    height: float
    matrix: tuple[int, int, int, int]  # x' = a x + b y, y' = c x + d y (before the shift)
    shift: tuple[float, float]
    turned: int  # degrees the page was turned to be read (0, 90, 180, 270)
    mirrored: bool

    def box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """A box (x0, top, x1, bottom) as it stands on the page as read."""
        a, b, c, d = self.matrix
        xs = [a * x + b * y + self.shift[0] for x, y in ((x0, top), (x1, bottom))]
        ys = [c * x + d * y + self.shift[1] for x, y in ((x0, top), (x1, bottom))]
        y0, y1 = min(ys), max(ys)
        if self.mirrored:
            y0, y1 = self.height - y1, self.height - y0
        return min(xs), y0, max(xs), y1

    def displayed(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """A box on the page as read, back where it stands on the page as displayed."""
        if self.mirrored:
            top, bottom = self.height - bottom, self.height - top
        a, b, c, d = self.matrix  # a quarter turn: its inverse is its transpose
        corners = [(x - self.shift[0], y - self.shift[1]) for x, y in ((x0, top), (x1, bottom))]
        xs = [a * x + c * y for x, y in corners]
        ys = [b * x + d * y for x, y in corners]
        return min(xs), min(ys), max(xs), max(ys)


def direction(a: float, b: float) -> tuple[int, int]:
    """The quarter direction, in top-left page coordinates, of a baseline whose text
    matrix starts (a, b): the glyph's x axis in PDF space (y up)."""
    if abs(a) >= abs(b):
        return (1 if a > 0 else -1), 0
    return 0, (-1 if b > 0 else 1)


def frame(directions: list[tuple[int, int]], tops: list[float], width: float, height: float) -> Frame:
    """The turn for a page whose printing glyphs run in `directions` (content order) with
    `tops` as given: none when most run left to right."""
    dominant = Counter(directions).most_common(1)[0][0] if directions else UPRIGHT
    ux, uy = dominant
    matrix = (ux, uy, -uy, ux)  # the rotation taking the dominant direction to (1, 0)
    quarter = QUARTERS[dominant]
    size = (height, width) if quarter in SIDEWAYS else (width, height)
    corners = [(0.0, 0.0), (width, height)]
    a, b, c, d = matrix
    shift = (-min(a * x + b * y for x, y in corners), -min(c * x + d * y for x, y in corners))
    turn = Frame(size[0], size[1], matrix, shift, quarter, False)
    if quarter and _drawn_upwards([turn.box(0, t, 0, t)[1] for t, dirn in zip(tops, directions) if dirn == dominant]):
        turn = Frame(size[0], size[1], matrix, shift, quarter, True)
    return turn


def _drawn_upwards(tops: list[float]) -> bool:
    """Whether, on the page as turned, the content draws line after line upwards (a page
    printed mirrored reads right to left with its lines still going down)."""
    steps = Counter((b > a) - (b < a) for a, b in zip(tops, tops[1:]) if abs(b - a) > LINE_STEP)
    return steps[-1] > steps[1]


LINE_STEP = 2.0  # points between two glyphs' tops that make a new line, not a wobble
