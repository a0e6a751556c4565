"""The document's typography, measured once: its body type and the styles its
headings recur in. Stages decide from this model, not from ratios of their own;
the ratios and tolerances several stages share are named here, once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from compendium_corpus.model import BLACK, Line, Page

BODY_TOLERANCE = 0.6  # points by which a line's size may differ from the body's (or two lines') and still be one type
BODY_EXACT = 0.3  # points: the narrower tolerance, for type at the body size itself and not merely near it
SMALL_TYPE = 0.9  # type under this share of the body size is small type (notes, tables); above it, text may run
SUPERSCRIPT = 0.85  # a raised glyph under this share of its line's size is a superscript (a note marker)
LARGER = 1.1  # type at least this many times the body size is set larger than the body
DISPLAY = 1.15  # a line this many times the body size or more is display type
TITLE = 1.4  # a line this many times the body size or more is a title's type (a paper, chapter or front section)
RUNNING_LINE = 20  # characters: a body-size line this long is running text, not a label or a number
ROW_DRIFT = 0.3  # ems between the baselines of pieces set on one row (a table's cells, a number and its text)
MARK_GAP = 4  # ems at most between a mark set apart (a bullet, a heading's number) and the text it marks
RULE_HEIGHT = 3  # points: a drawn box this thin or thinner is a rule, not a box
DEFAULT_BODY = 10.0  # points: the body size of a document without text
MEASURE_SHARE = 0.8  # the measure is the width that this share of the running lines stays within
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
    return counts.most_common(1)[0][0] if counts else DEFAULT_BODY


def document_style(pages: list[Page], skip: set[int] | frozenset[int] = frozenset()) -> DocumentStyle:
    """Measure the document; pages in `skip` (openers, covers) do not vote for heading styles."""
    size = body_size(pages)
    colours: Counter = Counter()
    widths: list[float] = []
    for p in pages:
        for ln in p.lines:
            if abs(ln.size - size) <= BODY_TOLERANCE:
                colours[ln.color] += len(ln.text)
                if len(ln.text) >= RUNNING_LINE:
                    widths.append(ln.x1 - ln.x0)
    widths.sort()
    measure = widths[int(MEASURE_SHARE * (len(widths) - 1))] if widths else 0.0
    return DocumentStyle(
        size, colours.most_common(1)[0][0] if colours else BLACK, measure, frozenset(heading_styles(pages, skip, size))
    )


def heading_styles(pages: list[Page], skip: set[int] | frozenset[int], body: float) -> set[tuple]:
    """Styles of bold or large short lines on pages not in `skip`, recurring on several pages:
    the section headings, which a title page's byline or affiliations must not be mistaken for."""
    seen: dict[tuple, set[int]] = {}
    for p in pages:
        if p.number in skip:
            continue
        for ln in p.lines:
            if (ln.bold or ln.size > body * LARGER) and len(ln.plain) < HEADING_LENGTH:
                seen.setdefault(ln.style, set()).add(p.number)
    return {s for s, on in seen.items() if len(on) >= HEADING_PAGES}
