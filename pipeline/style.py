"""The document's typography, measured once: its body type and the styles its
headings recur in. Stages decide from this model, not from ratios of their own.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.model import Line, Page

BODY_TOLERANCE = 0.6  # points by which a line's size may differ from the body size and still be body type
DISPLAY = 1.15  # a line this many times the body size or more is display type
HEADING_LENGTH = 90  # characters: longer lines are running text, whatever their type
HEADING_PAGES = 2  # a style recurs as a heading style on at least this many pages


@dataclass(frozen=True, slots=True)
class DocumentStyle:
    body_size: float
    body_color: tuple
    measure: float  # the width of a full line of running text (a column's width)
    heading_styles: frozenset[tuple]  # styles of short bold or display lines recurring on several pages

    def is_body(self, line: Line) -> bool:
        """Set in the body's size."""
        return abs(line.size - self.body_size) <= BODY_TOLERANCE

    def is_display(self, line: Line) -> bool:
        return line.size >= DISPLAY * self.body_size

    def is_heading_style(self, line: Line) -> bool:
        return line.style in self.heading_styles


def body_size(pages: list[Page]) -> float:
    """The font size carrying the most characters: the body text of the document."""
    counts: Counter = Counter()
    for p in pages:
        for ln in p.lines:
            counts[ln.size] += len(ln.text)
    return counts.most_common(1)[0][0] if counts else 10.0


def document_style(pages: list[Page], skip: set[int] | frozenset[int] = frozenset()) -> DocumentStyle:
    """Measure the document; pages in `skip` (openers, covers) do not vote for heading styles."""
    size = body_size(pages)
    colours: Counter = Counter()
    widths: list[float] = []
    for p in pages:
        for ln in p.lines:
            if abs(ln.size - size) <= BODY_TOLERANCE:
                colours[ln.color] += len(ln.text)
                if len(ln.text) >= 20:
                    widths.append(ln.x1 - ln.x0)
    widths.sort()
    measure = widths[int(0.8 * (len(widths) - 1))] if widths else 0.0
    return DocumentStyle(size, colours.most_common(1)[0][0] if colours else (0.0,), measure,
                         frozenset(heading_styles(pages, skip, size)))


def heading_styles(pages: list[Page], skip: set[int] | frozenset[int], body: float) -> set[tuple]:
    """Styles of bold or large short lines on pages not in `skip`, recurring on several pages:
    the section headings, which a title page's byline or affiliations must not be mistaken for."""
    seen: dict[tuple, set[int]] = {}
    for p in pages:
        if p.number in skip:
            continue
        for ln in p.lines:
            if (ln.bold or ln.size > body * 1.1) and len(ln.plain) < HEADING_LENGTH:
                seen.setdefault(ln.style, set()).add(p.number)
    return {s for s, on in seen.items() if len(on) >= HEADING_PAGES}
