"""Characters into lines; running headers, footers and page numbers set apart;
columns found and lines put into reading order.

Every rule here reads geometry and typography only (sizes, positions,
repetition across pages), never the words of one particular document.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import cache
from statistics import median
from collections import Counter, defaultdict
from collections.abc import Sequence

from pipeline.model import Diagnostics, Line, Page, Span
from pipeline.source import Char, RawPage
from pipeline.style import body_size

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
# Weight and slant as font names spell them: full words ("Helvetica-BoldOblique"), URW's
# abbreviations ("NimbusRomNo9L-Medi", "-ReguItal") and TeX's ("CMBX10", "CMTI10", "CMSL10").
BOLD = re.compile(r"bold|black|heavy|semi|demi|medi|-bd\b|^cmbx|^cmb\d|^cmssbx", re.I)
ITALIC = re.compile(r"italic|oblique|ital\b|-it\b|^cmti|^cmsl|^cmbxti|^cmssi", re.I)
PAGE_NUMBER = re.compile(r"^(\d{1,4}|[ivxlcdm]{1,7})$", re.I)


SMALL_CAPS = re.compile(r"smallcaps|small-caps|[-_]sc\b|sc$|^cmcsc|caps", re.I)


@cache
def _font_flags(fontname: str) -> tuple[bool, bool]:
    name = fontname.split("+", 1)[-1]
    return bool(BOLD.search(name)), bool(ITALIC.search(name))


@cache
def _small_caps(fontname: str) -> bool:
    return bool(SMALL_CAPS.search(fontname.split("+", 1)[-1]))


def _mostly_small_caps(chars: list[Char]) -> bool:
    """Most letters in small-capitals fonts (a word in italics may interrupt them)."""
    letters = [c for c in chars if c[0].isalpha()]
    return bool(letters) and sum(_small_caps(c[6]) for c in letters) >= MOSTLY * len(letters)


MOSTLY = 0.7  # share of a line's letters that sets its look


# Ems by which glyphs of one line may sit apart: a little for type of another size (a raised
# marker is a row of its own until it is attached), more for type of one size, whose fonts of
# two scripts (CJK and Latin digits) may disagree on where the baseline is.
BASELINE_SLACK, SAME_SIZE_SLACK = 0.15, 0.2


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Group characters sharing a baseline."""
    rows: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (round(c[4], 1), c[1])):
        first = rows[-1][0] if rows else None
        slack = SAME_SIZE_SLACK if first is not None and abs(first[5] - ch[5]) <= 0.15 * ch[5] else BASELINE_SLACK
        drift = abs(first[4] - ch[4]) if first is not None else 0.0
        if first is not None and (drift <= slack * ch[5] or ch[4] - rows[-1][-1][4] <= 0.5 and drift <= 2 * slack * ch[5]):
            rows[-1].append(ch)
        else:
            rows.append([ch])
    return [part for row in rows for part in _unmix(row)]


def _unmix(row: list[Char]) -> list[list[Char]]:
    """Two lines whose baselines differ by a fraction of a point (neighbouring table
    cells) fall into one row; if glyphs of the two baselines overlap they are two
    lines, and sorting them by x would interleave their letters."""
    by_baseline: dict[float, list[Char]] = defaultdict(list)
    for ch in row:
        by_baseline[round(ch[4], 1)].append(ch)
    if len(by_baseline) < 2:
        return [row]
    ordered = sorted(row, key=lambda c: c[1])
    overlapping = any(round(a[4], 1) != round(b[4], 1) and b[1] < a[2] - 0.25 * b[5] and a[0].strip() and b[0].strip()
                      for a, b in zip(ordered, ordered[1:]))
    return list(by_baseline.values()) if overlapping else [row]


def _segments(row: list[Char], strips: Sequence[tuple[float, float]] = ()) -> list[list[Char]]:
    """Split a row where the horizontal gap is too wide to be a word space (columns, tab
    stops). Where the row draws its word spaces as glyphs, a gap with no space glyph in it,
    after words, is no word space once it is wider than letters are ever tracked: that keeps
    a gutter of about an em apart, which the width test alone cannot tell from a loose
    justified line. A gap between printing glyphs that spans most of one of the page's empty
    `strips` is a gutter however narrow (three columns a few points apart). A list mark set
    off by a tab is no run of words and stays with its text."""
    row = sorted(row, key=lambda c: (c[1], c[0] == " "))  # a space drawn where a glyph starts comes after it
    spaced = sum(c[0] == " " for c in row) >= DRAWN_SPACES
    out = [[row[0]]]
    words = False  # the current segment has a space glyph in it
    ink = row[0] if row[0][0].strip() else None  # the last printing glyph
    for prev, ch in zip(row, row[1:]):
        gap = ch[1] - prev[2]
        em = max(prev[5], ch[5])
        if prev[0] == " ":
            wide = 2.0  # the space glyph before the gap already covers part of it
        else:
            wide = UNSPACED_GAP if spaced and words and ch[0] != " " else 1.2
        if gap > wide * em or ch[0].strip() and ink is not None and _spans_strip(ink[2], ch[1], strips):
            out.append([ch])
            words = False
        else:
            out[-1].append(ch)
        words = words or ch[0] == " "
        if ch[0].strip():
            ink = ch
    return out


def _spans_strip(x0: float, x1: float, strips: Sequence[tuple[float, float]]) -> bool:
    return any(x0 <= (a + b) / 2 <= x1 and x1 - x0 >= STRIP_COVER * (b - a) for a, b in strips)


def _strips(rows: list[list[Char]], width: float) -> list[tuple[float, float]]:
    """Vertical strips of the page, away from its edges, that almost no row prints in
    while many rows print text on both sides: the gutters between columns, found from
    the glyphs before any line is made (a row is cut at them even where its word spaces
    run up to them)."""
    inked = [[(c[1], c[2]) for c in row if c[0].strip()] for row in rows]
    inked = [r for r in inked if r]
    if len(inked) < STRIP_ROWS:
        return []
    size = median(c[5] for row in rows for c in row)
    cells = int(width) + 1
    crossing = [0] * cells
    for spans in inked:
        covered: set[int] = set()
        for x0, x1 in spans:
            covered.update(range(max(0, int(x0)), min(cells, int(x1) + 1)))
        for x in covered:
            crossing[x] += 1
    empty = [crossing[x] <= STRIP_CROSSING * len(inked) for x in range(cells)]
    strips, x = [], int(STRIP_MARGIN * width)
    while x < (1 - STRIP_MARGIN) * width:
        if not empty[x]:
            x += 1
            continue
        start = x
        while x < cells and empty[x]:
            x += 1
        a, b = start, x
        left = [a - min(s[0] for s in r) for r in inked if any(s[1] <= a for s in r)]
        right = [max(s[1] for s in r) - b for r in inked if any(s[0] >= b for s in r)]
        if b - a >= STRIP_WIDTH and min(len(left), len(right)) >= STRIP_SIDES * len(inked) \
                and min(median(left), median(right)) >= STRIP_TEXT * size:
            strips.append((float(a), float(b)))
    return strips


STRIP_ROWS = 12  # rows a page needs before its strips say anything
STRIP_CROSSING = 0.05  # share of rows that may print across a gutter (headings, notes across)
STRIP_MARGIN = 0.15  # gutters are sought this share of the width in from each edge
STRIP_WIDTH = 3  # points: the narrowest gutter
STRIP_SIDES = 0.2  # share of rows printing on each side of a gutter
STRIP_TEXT = 4  # ems of text the rows on each side of a gutter run to (a column of note numbers is none)
STRIP_COVER = 0.6  # share of a strip a gap must span to be cut there (a loose word space does not)


MARKER_GLYPHS = 8  # a raised run longer than this ("12,13", "†,‡", "th") is not a marker
DRAWN_SPACES = 3  # space glyphs in a row that show the typesetter draws its word spaces
UNSPACED_GAP = 0.6  # ems of gap, with no space glyph, that no tracking or kerning makes


def _extent(seg: list[Char]) -> tuple[float, float, float, float, float]:
    """(size, x0, x1, top, bottom) of a segment's printing characters."""
    ink = [c for c in seg if c[0].strip()] or seg
    return (max(c[5] for c in ink), min(c[1] for c in ink), max(c[2] for c in ink),
            min(c[3] for c in ink), max(c[4] for c in ink))


def _attach_raised(segments: list[list[Char]]) -> list[list[Char]]:
    """Small raised runs (superscript markers) join the line they sit on: the larger-type
    segment whose x-range they touch and whose baseline they are raised above."""
    ext = [_extent(s) for s in segments]
    hosts: dict[int, int] = {}
    for i, (size, x0, x1, top, bottom) in enumerate(ext):
        if sum(1 for c in segments[i] if c[0].strip()) > MARKER_GLYPHS:
            continue  # a run of words beside a larger glyph (a drop cap) is a line of its own
        for j, (hsize, hx0, hx1, htop, hbottom) in enumerate(ext):
            if j == i or size > 0.85 * hsize:
                continue
            if not (htop - 0.2 * hsize <= bottom <= hbottom - 0.15 * hsize):
                continue
            if x1 >= hx0 - hsize and x0 <= hx1 + 0.6 * hsize:
                hosts[i] = j
                break
    out = []
    for j, seg in enumerate(segments):
        if j in hosts:
            continue
        seg = list(seg)
        for i, h in hosts.items():
            if h == j:
                seg.extend(segments[i])
        out.append(sorted(seg, key=lambda c: c[1]))
    return out


def _line(page: int, chars: list[Char]) -> Line | None:
    chars = [c for c in chars]
    while chars and not chars[-1][0].strip():
        chars.pop()
    while chars and not chars[0][0].strip():
        chars.pop(0)
    if not chars:
        return None
    base_size = Counter(c[5] for c in chars if c[0].strip()).most_common(1)[0][0]
    base_bottom = max(c[4] for c in chars if c[5] == base_size)
    spans: list[Span] = []
    wide = _wide_gap(chars)
    prev = None
    for ch in chars:
        if ch[0] == " " and prev is not None and ch[1] < prev[2] - 0.5 * (ch[2] - ch[1]):
            continue  # a space glyph drawn over the glyph before it is no gap between words
        text = LIGATURES.get(ch[0], ch[0])
        bold, italic = _font_flags(ch[6])
        sup = ch[5] < 0.85 * base_size and ch[4] < base_bottom - 0.15 * base_size
        apart = False
        if prev is not None and ch[0] != " " and prev[0] != " " and ch[1] - prev[2] > 0.18 * min(ch[5], prev[5]):
            _append(spans, " ", ch, bold, italic, sup and bool(spans) and spans[-1].superscript)
            apart = ch[1] - prev[2] >= wide
        _append(spans, text, ch, bold, italic, sup, apart)
        prev = ch
    body = [c for c in chars if c[5] == base_size and c[0].strip()]
    # weight and slant are the letters' and digits': a mark from another font ('´') does not count
    flags = [_font_flags(c[6]) for c in body if c[0].isalnum()] or [_font_flags(c[6]) for c in body]
    color = Counter(c[7] for c in body).most_common(1)[0][0]
    return Line(
        page=page, spans=spans, x0=chars[0][1], x1=max(c[2] for c in chars),
        top=min(c[3] for c in body), bottom=base_bottom, size=base_size,
        bold=all(b for b, _ in flags), italic=all(i for _, i in flags), color=color,
        small_caps=_mostly_small_caps(body), glyphs=sum(1 for c in chars if c[0].strip()),
    )


def _wide_gap(chars: list[Char]) -> float:
    """The gap that sets words of a line well apart (names in a byline spaced like table
    cells): several times the line's usual word space. Each such gap starts a span, so
    that later stages can tell the groups apart by the spans' positions."""
    gaps = sorted(b[1] - a[2] for a, b in zip(chars, chars[1:])
                  if a[0] != " " and b[0] != " " and b[1] - a[2] > 0.18 * min(a[5], b[5]))
    if len(gaps) < 2:
        return float("inf")
    return max(WIDE_WORD_GAP * gaps[len(gaps) // 2], 0.5 * chars[0][5])


WIDE_WORD_GAP = 2.5  # word spaces in a gap that sets groups of words apart on one line


def _append(spans: list[Span], text: str, ch: Char, bold: bool, italic: bool, sup: bool,
            apart: bool = False) -> None:
    if text == " ":
        if spans and spans[-1].text.endswith(" "):
            return
        if spans and spans[-1].superscript == sup:
            spans[-1].text += " "
            return
    key = (ch[5], bold, italic, ch[7], sup)
    if spans and not apart:
        last = spans[-1]
        if (last.size, last.bold, last.italic, last.color, last.superscript) == key:
            last.text += text
            last.x1 = ch[2]
            return
    spans.append(Span(text, ch[1], ch[2], ch[5], bold, italic, ch[7], sup))


def build_lines(raw: RawPage) -> Page:
    """Page records into lines (not yet ordered, furniture not yet removed)."""
    page = Page(raw.number, raw.width, raw.height, boxes=raw.boxes, links=raw.links, tables=raw.tables,
                frame=raw.frame)
    # sizes to 0.1 pt: the same font size must compare equal wherever it is used
    chars = [(unicodedata.normalize("NFC", c[0]), c[1], c[2], c[3], c[4], round(c[5], 1), c[6], c[7])
             for c in raw.chars]
    rows = _rows(chars)
    strips = _strips(rows, raw.width)
    segments = [seg for row in rows for seg in _segments(row, strips) if any(c[0].strip() for c in seg)]
    for seg in _attach_raised(segments):
        line = _line(raw.number, seg)
        if line is not None:
            page.lines.append(line)
    return page


# What a list or heading sets apart to the left of its text: a glyph, an item number ('1.',
# '(a)') or a section number ('3.1', 'IV.', 'A.').
BULLET_ONLY = re.compile(r"^(?:[^\w\s]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\d{1,2}(?:\.(?:\d{1,2}|[IVX]{1,3})){1,3}\.?|"
                         r"[IVXL]{1,6}\.|[A-Z]\.)$")


def attach_bullets(page: Page) -> None:
    """A list glyph set apart from its text becomes the `bullet` of the line to its right: a
    mark or number (`BULLET_ONLY`), or any single glyph set much smaller than the text (a
    dingbat whose font maps it to a letter, 'l' for a round bullet)."""
    bullets = [ln for ln in page.lines if (BULLET_ONLY.match(ln.plain) or len(ln.plain) == 1)
               and ln.plain not in ".,;:)]}'\""]
    marks = {id(b) for b in bullets}
    by_height = sorted((ln for ln in page.lines if id(ln) not in marks), key=lambda ln: (ln.top + ln.bottom) / 2)
    middles = [(ln.top + ln.bottom) / 2 for ln in by_height]
    taken = set()
    reach = 0.6 * max((ln.size for ln in page.lines), default=0.0)  # the farthest a line's middle may be
    for b in bullets:
        mid = (b.top + b.bottom) / 2
        best = None
        for ln in by_height[bisect_left(middles, mid - reach):bisect_right(middles, mid + reach)]:
            if id(ln) in taken or ln.x0 <= b.x1:
                continue
            if ln.x0 - b.x1 > 4 * ln.size or abs((ln.top + ln.bottom) / 2 - mid) > 0.6 * ln.size:
                continue
            if not BULLET_ONLY.match(b.plain) and b.size > DINGBAT * ln.size:
                continue
            if best is None or ln.x0 < best.x0:
                best = ln
        if best is not None:
            best.bullet = b.plain
            best.glyphs += b.glyphs
            taken.add(id(best))
            taken.add(id(b))
    page.lines = [ln for ln in page.lines if id(ln) not in taken or ln.bullet is not None]
    for ln in page.lines:
        _split_leading_bullet(ln)


DINGBAT = 0.7  # a lone glyph this much smaller than the text beside it is its bullet
BULLET_GLYPHS = "•▶►▸▪■●◦‣○□➢➤✓◆◇♦*·"
DASHES = "-–—"


def _split_leading_bullet(line: Line) -> None:
    """A glyph opening the line and followed by a space is the line's bullet."""
    text = line.text
    if line.bullet is not None or len(text) < 3 or text[1] != " ":
        return
    glyph = text[0]
    if glyph not in BULLET_GLYPHS and glyph not in DASHES:
        return
    line.bullet = glyph
    first = line.spans[0]
    first.text = first.text[2:] if len(first.text) > 2 else ""
    if not first.text:
        line.spans.pop(0)
        if line.spans:
            line.spans[0].text = line.spans[0].text.lstrip()


def _furniture_key(line: Line) -> str:
    """Text that repeats from page to page once numbers (arabic or roman) are masked."""
    if PAGE_NUMBER.match(line.plain):
        return "#"
    return re.sub(r"\d+", "#", line.plain.lower())


def remove_furniture(pages: list[Page], diagnostics: Diagnostics) -> None:
    """Running headers, footers and page numbers: small text in the page margins that
    repeats at the same height across pages. A header printed on one page only (a short
    paper's running title) is recognised by standing in a band and style that
    repeated furniture uses elsewhere."""
    size = body_size(pages)

    def in_margin(p: Page, ln: Line) -> bool:
        return (ln.bottom < 0.1 * p.height or ln.top > 0.88 * p.height) and ln.size <= size * 1.05 \
            and not _opens_with_marker(ln)

    # Lines that carry on the text into a margin band (notes down to the foot of the
    # page) do not count as repeating there, whatever they print.
    seen: dict[tuple[int, str], set[int]] = defaultdict(set)
    for p in pages:
        margin = [ln for ln in p.lines if in_margin(p, ln)]
        flowing = {id(ln) for ln in _attached(p, margin)}
        for ln in margin:
            if id(ln) not in flowing:
                seen[(round(ln.top / 3), _furniture_key(ln))].add(p.number)
    repeated = {key for key, on in seen.items() if len(on) >= 2}

    def repeats(p: Page, ln: Line) -> bool:
        return in_margin(p, ln) and (round(ln.top / 3), _furniture_key(ln)) in repeated

    bands = {(round(ln.top / 3), ln.size, ln.color) for p in pages for ln in _edges(p, repeats)}

    def furniture(p: Page, ln: Line) -> bool:
        return repeats(p, ln) or in_margin(p, ln) and (round(ln.top / 3), ln.size, ln.color) in bands

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
    lines = sorted(page.lines, key=lambda l: l.top)
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
    below = sorted((ln for ln in candidates if ln.top > page.height / 2), key=lambda l: l.top)
    above = sorted((ln for ln in candidates if ln.top <= page.height / 2), key=lambda l: -l.bottom)
    for walk, gap in ((below, lambda ln, k: ln.top - k.bottom), (above, lambda ln, k: k.top - ln.bottom)):
        for ln in walk:
            if any(0 <= gap(ln, k) < 0.6 * min(ln.size, k.size) and ln.x0 < k.x1 and k.x0 < ln.x1 for k in text):
                text.append(ln)
                out.append(ln)
    return out


TEXT_SMALLER = 0.9  # running text may be set this much smaller than the body (an abstract)


def _text_lines(page: Page, size: float, smaller: bool = False) -> list[Line]:
    """The page's running text: body-size lines (`smaller`: and lines a little smaller, an
    abstract set apart in its own type), or on a page of notes or other small type, lines
    of the size most of its characters are set in."""
    body = [ln for ln in page.lines if (abs(ln.size - size) <= 0.6 or smaller and TEXT_SMALLER * size <= ln.size <= size)
            and len(ln.text) > 3]
    if len(body) >= 8 or not page.lines:
        return body
    counts: Counter[float] = Counter()
    for ln in page.lines:
        counts[ln.size] += len(ln.text)
    main = counts.most_common(1)[0][0]
    return [ln for ln in page.lines if abs(ln.size - main) <= 0.6 and len(ln.text) > 3]


def _gutters(page: Page, size: float) -> list[float]:
    """The x positions, left to right, where the page's running text splits into columns.
    Where body type alone shows no gutter, text a little smaller is counted in with it (a
    first page whose abstract fills one column's top)."""
    body = _text_lines(page, size)
    first = _gutter(body, page.width * 0.3, page.width * 0.7) if len(body) >= 8 else None
    if first is None:
        body = _text_lines(page, size, smaller=True)
        first = _gutter(body, page.width * 0.3, page.width * 0.7) if len(body) >= 8 else None
    if first is None:
        return []
    gutters = [first]
    for side in ([ln for ln in body if ln.x1 <= first], [ln for ln in body if ln.x0 >= first]):
        if len(side) < 8:
            continue
        x0, x1 = min(ln.x0 for ln in side), max(ln.x1 for ln in side)
        more = _gutter(side, x0 + 0.3 * (x1 - x0), x0 + 0.7 * (x1 - x0))
        if more is not None and _even_columns(body, sorted(gutters + [more])):
            gutters.append(more)
    return sorted(gutters)


def _gutter(body: list[Line], lo: float, hi: float) -> float | None:
    """The x between lo and hi that the most lines keep clear of on both sides, if any
    splits the lines into two columns."""
    best, best_score = None, 0
    # the score only changes where a line starts or ends
    edges = sorted({e for ln in body for e in (ln.x1 + 0.01, ln.x0 - 0.01) if lo <= e <= hi})
    for x in edges:
        left = sum(ln.x1 <= x for ln in body)
        right = sum(ln.x0 >= x for ln in body)
        crossing = sum(ln.x0 < x < ln.x1 for ln in body)
        if crossing <= 0.05 * len(body) and min(left, right) >= 0.2 * len(body):
            score = min(left, right) - 4 * crossing
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
    return max(widths) <= 1.3 * min(widths)


def _fits_gutters(page: Page, size: float, gutters: list[float]) -> bool:
    """A page with too few lines to find its own gutters may still be set in the
    document's columns: body lines in more than one of them and none across. Body
    type decides where there is any in several columns (a few lines of text over notes
    set across the page); a page of small type only, by the type most of it is set in;
    body text in one column beside smaller type in another (references), by all lines."""
    body = [ln for ln in page.lines if abs(ln.size - size) <= 0.6 and len(ln.text) > 3] or _text_lines(page, size)
    if len({_column(ln, gutters) for ln in body}) == 1:
        body = [ln for ln in page.lines if len(ln.text) > 3]  # body text in one column, smaller type in another
    return (len({_column(ln, gutters) for ln in body}) > 1
            and not any(_crosses(ln, gutters) for ln in body))


def _crosses(line: Line, gutters: list[float]) -> bool:
    return any(line.x0 < g - 2 and line.x1 > g + 2 for g in gutters)


def _column(line: Line, gutters: list[float]) -> int:
    """The column (1 is the leftmost) of a line that crosses no gutter."""
    return 1 + sum(line.x1 > g + 2 for g in gutters)


def order_page(page: Page, size: float, gutters: list[float], document_gutters: list[float] | None = None) -> None:
    """Reading order: lines that cross a gutter cut the page into bands; within a
    band the columns are read left to right. Notes closing the page in columns of
    their own (two under three of text) are read after the text, in their columns."""
    if not gutters and document_gutters and _fits_gutters(page, size, document_gutters):
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
    body = [ln for ln in page.lines if abs(ln.size - size) <= 0.6]
    if not body:
        return [], []
    text_bottom = max(ln.bottom for ln in body)
    block = [ln for ln in page.lines if ln.top >= text_bottom]
    small = [ln for ln in block if ln.size < size - 0.6 and len(ln.text) > 3]
    if len(small) < 8 or len(small) < 0.8 * len(block) or not any(_crosses(ln, gutters) for ln in small):
        return [], []
    x0, x1 = min(ln.x0 for ln in small), max(ln.x1 for ln in small)
    gutter = _gutter(small, x0 + 0.3 * (x1 - x0), x0 + 0.7 * (x1 - x0))
    if gutter is None or not _even_columns(small, [gutter]):
        return [], []
    return block, [gutter]


def _reading_sorted(lines: list[Line]) -> list[Line]:
    """Top to bottom; pieces of one visual row (e.g. a table row's cells) left to right."""
    out: list[Line] = []
    for ln in sorted(lines, key=lambda l: l.top):
        out.append(ln)
    rows: list[list[Line]] = []
    for ln in out:
        if rows and abs(rows[-1][0].bottom - ln.bottom) < 0.3 * ln.size:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [ln for row in rows for ln in sorted(row, key=lambda l: l.x0)]


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
    ordered = sorted(band, key=lambda l: l.top)
    for upper, lower in zip(ordered, ordered[1:]):
        gap_top = max(ln.bottom for ln in ordered if ln.top <= upper.top)
        if lower.top - gap_top < 1.2 * size:
            continue
        below = [ln for ln in ordered if ln.top >= lower.top]
        firsts = [min((ln for ln in below if ln.column == c), key=lambda l: l.top, default=None) for c in columns]
        if all(f is not None and abs(f.size - size) > 0.6 for f in firsts) or \
                all(abs(ln.size - size) > 0.6 for ln in below):
            cuts.append(lower.top)
    parts, rest = [], ordered
    for y in cuts:
        parts.append([ln for ln in rest if ln.top < y])
        rest = [ln for ln in rest if ln.top >= y]
    return [p for p in parts + [rest] if p]


def join_drop_caps(page: Page) -> None:
    """A drop cap (one large initial set beside the first lines of a paragraph) is the
    first letter of the word on the line its top is level with: 'F' + 'rom' is 'From'."""
    for cap in [ln for ln in page.lines if len(ln.plain) == 1 and ln.plain.isalpha()]:
        beside = [ln for ln in page.lines if ln is not cap and ln.size * DROP_CAP <= cap.size
                  and 0 <= ln.x0 - cap.x1 < ln.size * 2 and abs(ln.top - cap.top) < ln.size]
        if not beside:
            continue
        line = min(beside, key=lambda ln: (abs(ln.top - cap.top), ln.x0))
        first = line.spans[0]
        line.spans[0] = Span(cap.plain + first.text, cap.x0, first.x1, first.size, first.bold, first.italic,
                             first.color, first.superscript)
        line.x0 = cap.x0
        line.glyphs += cap.glyphs
        page.lines.remove(cap)


DROP_CAP = 1.8  # a drop cap is set at least this many times the size of the lines beside it


def page_layout(raw: RawPage) -> Page:
    """What layout decides from one page alone: its lines, their bullets and drop caps. The
    source runs it as each page is read (in the process that read it), so a page's characters
    are dropped at once and only its lines are kept; it must not look at other pages."""
    page = build_lines(raw)
    join_drop_caps(page)
    attach_bullets(page)
    return page


def layout(raw_pages: list[RawPage], diagnostics: Diagnostics) -> list[Page]:
    """Stage entry: raw page records to ordered pages with furniture set apart."""
    return document_layout([page_layout(r) for r in raw_pages], diagnostics)


def document_layout(pages: list[Page], diagnostics: Diagnostics) -> list[Page]:
    """What layout decides across pages (furniture, the document's columns, reading
    order), on pages that went through `page_layout`."""
    remove_furniture(pages, diagnostics)
    size = body_size(pages)
    own = {p.number: _gutters(p, size) for p in pages}
    common = Counter(tuple(round(g) for g in gutters) for gutters in own.values() if gutters).most_common(1)
    document_gutters = [float(g) for g in common[0][0]] if common else []
    for p in pages:
        order_page(p, size, own[p.number], document_gutters)
    return pages
