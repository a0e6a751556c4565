"""Running headers, footers and page numbers: what repeats in the page margins, set apart from the text.

Every rule here reads geometry and repetition across pages only, never the words of one particular document.
"""

from __future__ import annotations

import re
from collections import defaultdict

from compendium_corpus.model import Line, Page
from compendium_corpus.style import body_size

PAGE_NUMBER = re.compile(r"^(\d{1,4}|[ivxlcdm]{1,7})$", re.I)
HEADER_BAND, FOOTER_BAND = 0.1, 0.88  # shares of the page's height above and below which its margins are
FURNITURE_SIZE = 1.05  # running furniture is set at most this many times the body size
BAND = 3  # points: the steps of height at which margin lines of different pages are compared
TEXT_GAP = 0.6  # ems of blank at most between a line and the text it carries on


def _furniture_key(line: Line) -> str:
    """Text that repeats from page to page once numbers (arabic or roman) are masked."""
    if PAGE_NUMBER.match(line.plain):
        return "#"
    return re.sub(r"\d+", "#", line.plain.lower())


def remove_furniture(pages: list[Page]) -> None:
    """Running headers, footers and page numbers: small text in the page margins that
    repeats at the same height across pages. A header printed on one page only (a short
    paper's running title) is recognised by standing in a band and style that
    repeated furniture uses elsewhere."""
    size = body_size(pages)

    def in_margin(p: Page, ln: Line) -> bool:
        return (
            (ln.bottom < HEADER_BAND * p.height or ln.top > FOOTER_BAND * p.height)
            and ln.size <= size * FURNITURE_SIZE
            and not _opens_with_marker(ln)
        )

    # Lines that carry on the text into a margin band (notes down to the foot of the
    # page) do not count as repeating there, whatever they print.
    seen: dict[tuple[int, str], set[int]] = defaultdict(set)
    for p in pages:
        margin = [ln for ln in p.lines if in_margin(p, ln)]
        flowing = {id(ln) for ln in _attached(p, margin)}
        for ln in margin:
            if id(ln) not in flowing:
                seen[(round(ln.top / BAND), _furniture_key(ln))].add(p.number)
    repeated = {key for key, on in seen.items() if len(on) >= 2}

    def repeats(p: Page, ln: Line) -> bool:
        return in_margin(p, ln) and (round(ln.top / BAND), _furniture_key(ln)) in repeated

    bands = {(round(ln.top / BAND), ln.size, ln.color) for p in pages for ln in _edges(p, repeats)}

    def furniture(p: Page, ln: Line) -> bool:
        return repeats(p, ln) or in_margin(p, ln) and (round(ln.top / BAND), ln.size, ln.color) in bands

    for p in pages:
        outer = {id(ln) for ln in _edges(p, furniture)}
        keep = []
        for ln in p.lines:
            if id(ln) in outer:
                if PAGE_NUMBER.match(ln.plain) and p.label is None:
                    p.label = ln.plain
                p.furniture.append(ln)
            else:
                keep.append(ln)
        p.lines = keep


def _opens_with_marker(line: Line) -> bool:
    """A line opening with a raised number is a footnote, wherever it stands."""
    first = next((s for s in line.spans if s.text.strip()), None)
    return first is not None and first.superscript and first.text.strip().isdigit()


def _edges(page: Page, furniture) -> list[Line]:
    """Furniture stands at the edges of the page, apart from the text: walking in from
    the top and from the bottom, lines count while they look like furniture, and
    none that carries on the text at its line spacing does. So a note's last line
    that repeats at the same height on two pages ('2025.') stays text."""
    lines = sorted(page.lines, key=lambda line: line.top)
    outer: list[Line] = []
    for walk in (lines, lines[::-1]):
        for ln in walk:
            if not furniture(page, ln):
                break
            outer.append(ln)
    attached = {id(ln) for ln in _attached(page, outer)}
    return [ln for ln in outer if id(ln) not in attached]


def _attached(page: Page, candidates: list[Line]) -> list[Line]:
    """The candidates that carry on the page's other lines at text spacing, directly
    below them (in the bottom half) or above them (in the top half), link by link."""
    ids = {id(ln) for ln in candidates}
    text = [ln for ln in page.lines if id(ln) not in ids]
    out: list[Line] = []
    below = sorted((ln for ln in candidates if ln.top > page.height / 2), key=lambda line: line.top)
    above = sorted((ln for ln in candidates if ln.top <= page.height / 2), key=lambda line: -line.bottom)
    for walk, gap in ((below, lambda ln, k: ln.top - k.bottom), (above, lambda ln, k: k.top - ln.bottom)):
        for ln in walk:
            if any(0 <= gap(ln, k) < TEXT_GAP * min(ln.size, k.size) and ln.x0 < k.x1 and k.x0 < ln.x1 for k in text):
                text.append(ln)
                out.append(ln)
    return out
