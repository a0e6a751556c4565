"""Characters into lines: glyphs sharing a baseline into rows, rows cut at gutters and tab stops,
raised markers attached as superscripts, ligatures spelt out, list bullets and drop caps joined
to their text.

Every rule here reads geometry and typography only, never the words of one particular document.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cache
from statistics import median

from compendium_corpus.model import Line, Page, Span
from compendium_corpus.source import Char, RawPage
from compendium_corpus.style import MARK_GAP, SUPERSCRIPT

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
# Weight and slant as font names spell them: full words ("Helvetica-BoldOblique"), URW's
# abbreviations ("NimbusRomNo9L-Medi", "-ReguItal") and TeX's ("CMBX10", "CMTI10", "CMSL10").
BOLD = re.compile(r"bold|black|heavy|semi|demi|medi|-bd\b|^cmbx|^cmb\d|^cmssbx", re.I)
ITALIC = re.compile(r"italic|oblique|ital\b|-it\b|^cmti|^cmsl|^cmbxti|^cmssi", re.I)
SMALL_CAPS = re.compile(r"smallcaps|small-caps|[-_]sc\b|sc$|^cmcsc|caps", re.I)
MOSTLY = 0.7  # share of a line's letters that sets its look
# Ems by which glyphs of one line may sit apart: a little for type of another size (a raised
# marker is a row of its own until it is attached), more for type of one size, whose fonts of
# two scripts (CJK and Latin digits) may disagree on where the baseline is.
BASELINE_SLACK, SAME_SIZE_SLACK = 0.15, 0.2
ONE_SIZE = 0.15  # glyphs whose sizes differ by at most this share are of one size (for the slack above)
OVERLAP = 0.25  # ems by which glyphs of two baselines in one row overlap when they are two lines
WORD_GAP = 1.2  # ems of gap between glyphs wider than any word space: a gutter or a tab stop
WORD_SPACE = 0.18  # ems of gap between two glyphs, where no space glyph is drawn, that is a word space
RAISE = 0.15  # ems a superscript's baseline stands above its line's at least
RAISED_REACH = 0.2  # ems above its host line's top a raised marker's baseline may stand at most
MARKER_REACH = 0.6  # ems after its host line's end a raised marker may start
BULLET_DRIFT = 0.6  # ems between a bullet's middle and its line's at most
BULLET_TEXT = 3  # characters a line opening with a bullet glyph needs: the glyph, a space and text
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
WIDE_WORD_GAP = 2.5  # word spaces in a gap that sets groups of words apart on one line
# What a list or heading sets apart to the left of its text: a glyph, an item number ('1.',
# '(a)') or a section number ('3.1', 'IV.', 'A.').
BULLET_ONLY = re.compile(
    r"^(?:[^\w\s]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\d{1,2}(?:\.(?:\d{1,2}|[IVX]{1,3})){1,3}\.?|"
    r"[IVXL]{1,6}\.|[A-Z]\.)$"
)
DINGBAT = 0.7  # a lone glyph this much smaller than the text beside it is its bullet
BULLET_GLYPHS = "•▶►▸▪■●◦‣○□➢➤✓◆◇♦*·"
DASHES = "-–—"
DROP_CAP = 1.8  # a drop cap is set at least this many times the size of the lines beside it


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


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Group characters sharing a baseline."""
    rows: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (round(c[4], 1), c[1])):
        first = rows[-1][0] if rows else None
        slack = SAME_SIZE_SLACK if first is not None and abs(first[5] - ch[5]) <= ONE_SIZE * ch[5] else BASELINE_SLACK
        drift = abs(first[4] - ch[4]) if first is not None else 0.0
        if first is not None and (
            drift <= slack * ch[5] or ch[4] - rows[-1][-1][4] <= 0.5 and drift <= 2 * slack * ch[5]
        ):
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
    overlapping = any(
        round(a[4], 1) != round(b[4], 1) and b[1] < a[2] - OVERLAP * b[5] and a[0].strip() and b[0].strip()
        for a, b in zip(ordered, ordered[1:])
    )
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
            wide = UNSPACED_GAP if spaced and words and ch[0] != " " else WORD_GAP
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
        if (
            b - a >= STRIP_WIDTH
            and min(len(left), len(right)) >= STRIP_SIDES * len(inked)
            and min(median(left), median(right)) >= STRIP_TEXT * size
        ):
            strips.append((float(a), float(b)))
    return strips


def _extent(seg: list[Char]) -> tuple[float, float, float, float, float]:
    """(size, x0, x1, top, bottom) of a segment's printing characters."""
    ink = [c for c in seg if c[0].strip()] or seg
    return (
        max(c[5] for c in ink),
        min(c[1] for c in ink),
        max(c[2] for c in ink),
        min(c[3] for c in ink),
        max(c[4] for c in ink),
    )


def _attach_raised(segments: list[list[Char]]) -> list[list[Char]]:
    """Small raised runs (superscript markers) join the line they sit on: the larger-type
    segment whose x-range they touch and whose baseline they are raised above."""
    ext = [_extent(s) for s in segments]
    hosts: dict[int, int] = {}
    for i, (size, x0, x1, _top, bottom) in enumerate(ext):
        if sum(1 for c in segments[i] if c[0].strip()) > MARKER_GLYPHS:
            continue  # a run of words beside a larger glyph (a drop cap) is a line of its own
        for j, (hsize, hx0, hx1, htop, hbottom) in enumerate(ext):
            if j == i or size > SUPERSCRIPT * hsize:
                continue
            if not (htop - RAISED_REACH * hsize <= bottom <= hbottom - RAISE * hsize):
                continue
            if x1 >= hx0 - hsize and x0 <= hx1 + MARKER_REACH * hsize:
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
        sup = ch[5] < SUPERSCRIPT * base_size and ch[4] < base_bottom - RAISE * base_size
        apart = False
        if prev is not None and ch[0] != " " and prev[0] != " " and ch[1] - prev[2] > WORD_SPACE * min(ch[5], prev[5]):
            _append(spans, " ", ch, bold, italic, sup and bool(spans) and spans[-1].superscript)
            apart = ch[1] - prev[2] >= wide
        _append(spans, text, ch, bold, italic, sup, apart)
        prev = ch
    body = [c for c in chars if c[5] == base_size and c[0].strip()]
    # weight and slant are the letters' and digits': a mark from another font ('´') does not count
    flags = [_font_flags(c[6]) for c in body if c[0].isalnum()] or [_font_flags(c[6]) for c in body]
    color = Counter(c[7] for c in body).most_common(1)[0][0]
    return Line(
        page=page,
        spans=spans,
        x0=chars[0][1],
        x1=max(c[2] for c in chars),
        top=min(c[3] for c in body),
        bottom=base_bottom,
        size=base_size,
        bold=all(b for b, _ in flags),
        italic=all(i for _, i in flags),
        color=color,
        small_caps=_mostly_small_caps(body),
        glyphs=sum(1 for c in chars if c[0].strip()),
    )


def _wide_gap(chars: list[Char]) -> float:
    """The gap that sets words of a line well apart (names in a byline spaced like table
    cells): several times the line's usual word space. Each such gap starts a span, so
    that later stages can tell the groups apart by the spans' positions."""
    gaps = sorted(
        b[1] - a[2]
        for a, b in zip(chars, chars[1:])
        if a[0] != " " and b[0] != " " and b[1] - a[2] > WORD_SPACE * min(a[5], b[5])
    )
    if len(gaps) < 2:
        return float("inf")
    return max(WIDE_WORD_GAP * gaps[len(gaps) // 2], 0.5 * chars[0][5])


def _append(spans: list[Span], text: str, ch: Char, bold: bool, italic: bool, sup: bool, apart: bool = False) -> None:
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


def _build_lines(raw: RawPage) -> Page:
    """Page records into lines (not yet ordered, furniture not yet removed)."""
    page = Page(raw.number, raw.width, raw.height, boxes=raw.boxes, links=raw.links, tables=raw.tables, frame=raw.frame)
    # sizes to 0.1 pt: the same font size must compare equal wherever it is used
    chars = [
        (unicodedata.normalize("NFC", c[0]), c[1], c[2], c[3], c[4], round(c[5], 1), c[6], c[7]) for c in raw.chars
    ]
    rows = _rows(chars)
    strips = _strips(rows, raw.width)
    segments = [seg for row in rows for seg in _segments(row, strips) if any(c[0].strip() for c in seg)]
    for seg in _attach_raised(segments):
        line = _line(raw.number, seg)
        if line is not None:
            page.lines.append(line)
    return page


def _attach_bullets(page: Page) -> None:
    """A list glyph set apart from its text becomes the `bullet` of the line to its right: a
    mark or number (`BULLET_ONLY`), or any single glyph set much smaller than the text (a
    dingbat whose font maps it to a letter, 'l' for a round bullet)."""
    bullets = [
        ln for ln in page.lines if (BULLET_ONLY.match(ln.plain) or len(ln.plain) == 1) and ln.plain not in ".,;:)]}'\""
    ]
    marks = {id(b) for b in bullets}
    by_height = sorted((ln for ln in page.lines if id(ln) not in marks), key=lambda ln: (ln.top + ln.bottom) / 2)
    middles = [(ln.top + ln.bottom) / 2 for ln in by_height]
    taken = set()
    reach = BULLET_DRIFT * max((ln.size for ln in page.lines), default=0.0)  # the farthest a line's middle may be
    for b in bullets:
        mid = (b.top + b.bottom) / 2
        best = None
        for ln in by_height[bisect_left(middles, mid - reach) : bisect_right(middles, mid + reach)]:
            if id(ln) in taken or ln.x0 <= b.x1:
                continue
            if ln.x0 - b.x1 > MARK_GAP * ln.size or abs((ln.top + ln.bottom) / 2 - mid) > BULLET_DRIFT * ln.size:
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


def _split_leading_bullet(line: Line) -> None:
    """A glyph opening the line and followed by a space is the line's bullet."""
    text = line.text
    if line.bullet is not None or len(text) < BULLET_TEXT or text[1] != " ":
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


def _join_drop_caps(page: Page) -> None:
    """A drop cap (one large initial set beside the first lines of a paragraph) is the
    first letter of the word on the line its top is level with: 'F' + 'rom' is 'From'."""
    for cap in [ln for ln in page.lines if len(ln.plain) == 1 and ln.plain.isalpha()]:
        beside = [
            ln
            for ln in page.lines
            if ln is not cap
            and ln.size * DROP_CAP <= cap.size
            and 0 <= ln.x0 - cap.x1 < ln.size * 2
            and abs(ln.top - cap.top) < ln.size
        ]
        if not beside:
            continue
        line = min(beside, key=lambda ln: (abs(ln.top - cap.top), ln.x0))
        first = line.spans[0]
        line.spans[0] = Span(
            cap.plain + first.text,
            cap.x0,
            first.x1,
            first.size,
            first.bold,
            first.italic,
            first.color,
            first.superscript,
        )
        line.x0 = cap.x0
        line.glyphs += cap.glyphs
        page.lines.remove(cap)


def page_lines(raw: RawPage) -> Page:
    """What layout decides from one page alone: its lines, their bullets and drop caps. The
    source runs it as each page is read (in the process that read it), so a page's characters
    are dropped at once and only its lines are kept; it must not look at other pages."""
    page = _build_lines(raw)
    _join_drop_caps(page)
    _attach_bullets(page)
    return page
