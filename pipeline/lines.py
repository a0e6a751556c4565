"""Characters into lines: glyphs sharing a baseline into rows, rows cut at gutters and tab stops,
raised markers attached as superscripts, ligatures spelt out, list bullets and drop caps joined
to their text.

Every rule here reads geometry and typography only, never the words of one particular document.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import accumulate, chain, compress, count, groupby, islice, repeat
from operator import eq, gt, itemgetter, le, lt, sub
from statistics import median
from typing import Any

from compendium_corpus.model import Line, Page, Span
from compendium_corpus.source import Char, RawPage
from compendium_corpus.style import MARK_GAP, SUPERSCRIPT

# A character's fields (`Char`), for the builtins that read one field of many characters.
TEXT, X0, X1, TOP, BOTTOM, SIZE, FONT, COLOUR = (itemgetter(i) for i in range(8))
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
STRIP_SAMPLE = 4  # rows are counted one in this many at a time: on a page of one column, a share shows it has no strip
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
HOST_BAND = 8.0  # points: bands of height segments are filed in for raised markers (any height finds the same hosts)
HOST_BANDS = 32  # a segment reaching over more bands than this is tried on every marker


@cache
def _font_flags(fontname: str) -> tuple[bool, bool]:
    name = fontname.split("+", 1)[-1]
    return bool(BOLD.search(name)), bool(ITALIC.search(name))


@cache
def _small_caps(fontname: str) -> bool:
    return bool(SMALL_CAPS.search(fontname.split("+", 1)[-1]))


def _mostly_small_caps(chars: list[Char]) -> bool:
    """Most letters in small-capitals fonts (a word in italics may interrupt them)."""
    fonts = [c[6] for c in chars if c[0].isalpha()]  # the letters'
    return bool(fonts) and sum(map(_small_caps, fonts)) >= MOSTLY * len(fonts)


def _most_common(values: list) -> Any:
    """The value met most often, the first met of those met as often (`Counter.most_common`);
    at once when all are one, as a line's sizes and colours mostly are."""
    if values.count(values[0]) == len(values):
        return values[0]
    return Counter(values).most_common(1)[0][0]


class _Tenths(dict):
    """Values rounded to 0.1 point, each distinct value once: `round` costs more than a
    look-up, and a page's glyphs share a few sizes and baselines. Two values are rounded
    afresh each time, as `round` alone would: NaN, which equals nothing, not even itself,
    and zero, whose two signs are one key but round apart."""

    def __missing__(self, value: float) -> float:
        rounded = round(value, 1)
        if value == value and value != 0:
            self[value] = rounded
        return rounded


def _rows(chars: list[Char]) -> list[list[Char]]:
    """Group characters sharing a baseline."""
    tenths = _Tenths()
    rows: list[list[Char]] = []
    mixed: list[bool] = []  # by row: some of its characters' baselines differ from its first's
    row: list[Char] | None = None
    first_size = first_bottom = last_bottom = 0.0  # the row's first character's; the character before's
    for part in _runs(sorted(chars, key=lambda c: (tenths[c[4]], c[1]))):
        bottom, size = part[0][4], part[0][5]
        if row is not None:
            slack = SAME_SIZE_SLACK if abs(first_size - size) <= ONE_SIZE * size else BASELINE_SLACK
            drift = abs(first_bottom - bottom)
            if drift <= slack * size or bottom - last_bottom <= 0.5 and drift <= 2 * slack * size:
                row += part
                last_bottom = part[-1][4]
                mixed[-1] = mixed[-1] or bottom != first_bottom
                continue
        row = part
        rows.append(row)
        mixed.append(False)
        first_size, first_bottom, last_bottom = size, bottom, part[-1][4]
    return [part for row, unsure in zip(rows, mixed) for part in (_unmix(row, tenths) if unsure else [row])]


def _runs(ordered: Iterable[Char]) -> Iterator[list[Char]]:
    """The characters, in their order, in runs of one baseline and size: the characters
    after a run's first join the row it joins or starts, as each would alone (`_rows`).
    One by one where that is not so sure: a baseline not finite, a size below zero or
    not a number."""
    for bottom, same_bottom in groupby(ordered, BOTTOM):
        for size, run in groupby(same_bottom, SIZE):
            if size >= 0 and bottom - bottom == 0:
                yield list(run)
            else:
                yield from ([ch] for ch in run)


def _unmix(row: list[Char], tenths: dict[float, float] | None = None) -> list[list[Char]]:
    """Two lines whose baselines differ by a fraction of a point (neighbouring table
    cells) fall into one row; if glyphs of the two baselines overlap they are two
    lines, and sorting them by x would interleave their letters. `tenths` rounds
    baselines (the page's, to share their rounding)."""
    if all(map(eq, map(BOTTOM, row), repeat(row[0][4]))):
        return [row]  # one baseline exactly, as most rows have: nothing to round
    tenths = _Tenths() if tenths is None else tenths
    baselines = list(map(tenths.__getitem__, map(BOTTOM, row)))
    if baselines.count(baselines[0]) == len(baselines):
        return [row]  # one baseline to 0.1 pt
    ordered = sorted(row, key=X0)
    overlapping = any(
        b[1] < a[2] - OVERLAP * b[5] and tenths[a[4]] != tenths[b[4]] and a[0].strip() and b[0].strip()
        for a, b in zip(ordered, ordered[1:])
    )
    if not overlapping:
        return [row]
    by_baseline: dict[float, list[Char]] = defaultdict(list)
    for ch, baseline in zip(row, baselines):
        by_baseline[baseline].append(ch)
    return list(by_baseline.values())


def _segments(row: list[Char], gutters: _Gutters | None = None) -> list[list[Char]]:
    """Split a row where the horizontal gap is too wide to be a word space (columns, tab
    stops). Where the row draws its word spaces as glyphs, a gap with no space glyph in it,
    after words, is no word space once it is wider than letters are ever tracked: that keeps
    a gutter of about an em apart, which the width test alone cannot tell from a loose
    justified line. A gap between printing glyphs that spans most of one of the page's
    empty strips (`gutters`) is a gutter however narrow (three columns a few points apart).
    A list mark set off by a tab is no run of words and stays with its text. The gaps are
    tried where they may cut (`_cut_candidates`), most rows nowhere."""
    starts = list(map(X0, row))
    in_order = all(map(lt, starts, islice(starts, 1, None)))  # as a row mostly is
    if not in_order:
        row = sorted(row, key=lambda c: (c[1], c[0] == " "))  # a space drawn where a glyph starts comes after it
        starts = list(map(X0, row))
    ends = list(map(X1, row))
    candidates = _cut_candidates(row, starts, ends, gutters, in_order)
    if not candidates:
        return [row]
    texts = list(map(TEXT, row))
    spaced = texts.count(" ") >= DRAWN_SPACES
    narrowest = gutters.narrowest if gutters is not None else math.inf
    out = []
    first = 0  # the current segment's first glyph
    words = False  # the current segment has a space glyph in it (after the row's first glyph)
    ink_x1 = ends[0] if texts[0].strip() else None  # where the last printing glyph ends
    seen = 1  # the glyphs before this one are in `words` and `ink_x1`
    for i in candidates:
        words = words or " " in texts[seen:i]
        for k in range(i - 1, seen - 1, -1):
            if texts[k].strip():
                ink_x1 = ends[k]
                break
        seen = i
        text, x0, size = texts[i], starts[i], row[i][5]
        prev_text, prev_x1, prev_size = texts[i - 1], ends[i - 1], row[i - 1][5]
        if prev_text == " ":
            wide = 2.0  # the space glyph before the gap already covers part of it
        else:
            wide = UNSPACED_GAP if spaced and words and text != " " else WORD_GAP
        if (
            x0 - prev_x1 > wide * (size if size > prev_size else prev_size)
            or text.strip()
            and ink_x1 is not None
            and x0 - ink_x1 >= narrowest
            and gutters is not None
            and gutters.between(ink_x1, x0)
        ):
            out.append(row[first:i])
            first = i
            words = False
    out.append(row[first:])
    return out


def _cut_candidates(
    row: list[Char], starts: list[float], ends: list[float], gutters: _Gutters | None, in_order: bool
) -> list[int]:
    """The indexes, in order, of the glyphs before which a gap may cut the row
    (`_segments`; `starts` and `ends`: the glyphs' x0 and x1), found with a few passes
    over the row rather than a step per glyph. By width: a gap wider than `UNSPACED_GAP`
    of the row's least size, the least any cut needs. By a strip: the first printing
    glyph from the strip's middle on, if one prints before it; where the glyphs are in
    order (by x0) and each has some width, that is the only one whose gap from the last
    printing glyph can meet the middle. Where neither bound holds (a size below zero,
    glyphs out of order or without width beside a strip), every glyph."""
    least = min(map(SIZE, row))
    if not least >= 0:
        return list(range(1, len(row)))
    wider = compress(count(1), map(gt, map(sub, islice(starts, 1, None), ends), repeat(UNSPACED_GAP * least)))
    if gutters is None or not gutters.cuts:
        return list(wider)
    if not ((in_order or all(map(le, starts, islice(starts, 1, None)))) and all(map(lt, starts, ends))):
        return list(range(1, len(row)))
    first = _printing_from(row, 0)
    at_middles = {_printing_from(row, bisect_left(starts, middle)) for middle, _ in gutters.cuts}
    return sorted({i for i in at_middles if first < i < len(row)}.union(wider))


def _printing_from(row: list[Char], i: int) -> int:
    """The index of the row's first printing glyph from `i` on (its length if none)."""
    while i < len(row) and not row[i][0].strip():
        i += 1
    return i


class _Gutters:
    """The page's empty strips (`_strips`) as a gap between two glyphs meets them: each
    strip's middle and the least of it a gap must span (`STRIP_COVER`), worked out once per
    page rather than once per glyph, and the `narrowest` such span: a gap narrower spans none."""

    def __init__(self, strips: Sequence[tuple[float, float]]) -> None:
        self.cuts = [((a + b) / 2, STRIP_COVER * (b - a)) for a, b in strips]
        self.narrowest = min((cover for _, cover in self.cuts), default=math.inf)

    def between(self, x0: float, x1: float) -> bool:
        """The gap from `x0` to `x1` spans most of a strip, across its middle."""
        return any(x0 <= middle <= x1 and x1 - x0 >= cover for middle, cover in self.cuts)


def _strips(rows: list[list[Char]], inks: list[list[Char]], width: float) -> list[tuple[float, float]]:
    """Vertical strips of the page, away from its edges, that almost no row prints in
    while many rows print text on both sides: the gutters between columns, found from
    the glyphs before any line is made (a row is cut at them even where its word spaces
    run up to them). `inks`: each row's printing characters."""
    inked = [ink for ink in inks if ink]
    if len(inked) < STRIP_ROWS:
        return []
    edges = [(list(map(X0, printing)), list(map(X1, printing))) for printing in inked]  # left and right, by row
    cells = int(width) + 1
    steps = [0] * (cells + 1)  # rows whose runs start at a cell, less those ending there
    # The rows a share at a time: once those counted print in every cell a strip could start
    # in, as on a page of one column, no cell is empty, whatever the other rows print.
    start_cells = range(int(STRIP_MARGIN * width), math.ceil((1 - STRIP_MARGIN) * width))
    for share in range(STRIP_SAMPLE):
        _count_runs(steps, edges[share::STRIP_SAMPLE], cells)
        if 0 <= start_cells.start < start_cells.stop <= cells:
            crossing = islice(accumulate(steps), start_cells.start, start_cells.stop)
            if min(crossing) > STRIP_CROSSING * len(inked):
                return []
    empty = [n <= STRIP_CROSSING * len(inked) for n in accumulate(steps[:cells])]  # by cell
    # each row's reach: where its text starts and ends, its first glyph's end, its last glyph's start
    reach = [(min(xs), max(ends), min(ends), max(xs)) for xs, ends in edges]
    size = None  # the glyphs' median size, once a strip is wide enough and has rows on both sides
    strips, x = [], int(STRIP_MARGIN * width)
    while x < (1 - STRIP_MARGIN) * width:
        if not empty[x]:
            x += 1
            continue
        start = x
        while x < cells and empty[x]:
            x += 1
        a, b = start, x
        if b - a < STRIP_WIDTH:
            continue
        left = [a - first for first, _, first_end, _ in reach if first_end <= a]
        right = [last - b for _, last, _, last_start in reach if last_start >= b]
        if min(len(left), len(right)) < STRIP_SIDES * len(inked):
            continue
        if size is None:
            size = median(map(SIZE, chain.from_iterable(rows)))
        if min(median(left), median(right)) >= STRIP_TEXT * size:
            strips.append((float(a), float(b)))
    return strips


def _count_runs(steps: list[int], edges: list[tuple[list[float], list[float]]], cells: int) -> None:
    """Count the rows of `edges` (their glyphs' left and right edges) in `steps`, by the
    one-point cells across the page they print in: a row's glyphs merged into runs of
    cells, counted where a run starts and ends (not cell by cell)."""
    for xs, ends in edges:
        # the cells of each glyph's left and right edge (trunc is int, the faster through map),
        # from left to right: as the row has them, as it mostly does, else sorted
        cuts: Iterable[tuple[int, int]] = zip(map(math.trunc, xs), map(math.trunc, ends))
        if not all(map(le, xs, islice(xs, 1, None))):
            cuts = sorted(cuts)
        start = end = None  # the run of cells being merged, both ends in it
        for a, b in cuts:
            if b < a:
                continue  # a glyph drawn backwards covers no cell
            if end is not None and a <= end + 1:
                if b > end:
                    end = b
                continue
            if start is not None and end is not None:
                _count_run(steps, start, end, cells)
            start, end = a, b
        if start is not None and end is not None:
            _count_run(steps, start, end, cells)


def _count_run(steps: list[int], start: int, end: int, cells: int) -> None:
    """One row prints in cells `start` to `end` (those on the page)."""
    lo, hi = max(0, start), min(cells, end + 1)
    if lo < hi:
        steps[lo] += 1
        steps[hi] -= 1


def _heights(chars: list[Char]) -> tuple[float, float, float]:
    """(size, top, bottom) of the characters."""
    return max(map(SIZE, chars)), min(map(TOP, chars)), max(map(BOTTOM, chars))


def _across(chars: list[Char]) -> tuple[float, float]:
    """(x0, x1) of the characters."""
    return min(map(X0, chars)), max(map(X1, chars))


def _attach_raised(
    segments: list[list[Char]], inks: list[list[Char]], in_order: list[bool]
) -> list[tuple[list[Char], list[Char]]]:
    """Small raised runs (superscript markers) join the line they sit on: the larger-type
    segment whose x-range they touch and whose baseline they are raised above. Heights
    are taken of every segment, x-ranges only of the markers and of the segments one
    is raised above. `inks`: each segment's printing characters; `in_order`: whether each
    is by x0 already (a row left whole). Returned: each line's characters, by x0, with the
    printing ones among them."""
    heights = [_heights(ink or seg) for ink, seg in zip(inks, segments)]
    bands = _HostBands(heights)
    hosts: dict[int, int] = {}
    for i, (size, _top, bottom) in enumerate(heights):
        if len(inks[i]) > MARKER_GLYPHS:
            continue  # a run of words beside a larger glyph (a drop cap) is a line of its own
        x0, x1 = _across(inks[i] or segments[i])
        for j in bands.around(bottom):
            hsize, htop, hbottom = heights[j]
            if j == i or size > SUPERSCRIPT * hsize:
                continue
            if not (htop - RAISED_REACH * hsize <= bottom <= hbottom - RAISE * hsize):
                continue
            hx0, hx1 = _across(inks[j] or segments[j])
            if x1 >= hx0 - hsize and x0 <= hx1 + MARKER_REACH * hsize:
                hosts[i] = j
                break
    attached: dict[int, list[int]] = defaultdict(list)
    for i, h in hosts.items():
        attached[h].append(i)
    out = []
    for j, seg in enumerate(segments):
        if j in hosts:
            continue
        if j in attached:
            ordered = sorted(seg + [c for i in attached[j] for c in segments[i]], key=X0)
            out.append((ordered, [c for c in ordered if c[0].strip()]))
        elif in_order[j]:
            out.append((seg, inks[j]))
        else:
            ordered = sorted(seg, key=X0)  # mostly as it was, its printing characters too
            out.append((ordered, inks[j] if ordered == seg else [c for c in ordered if c[0].strip()]))
    return out


class _HostBands:
    """Segments filed by the heights a raised marker's baseline may stand at to sit on
    them (from `RAISED_REACH` above their top to `RAISE` above their baseline), in bands
    `HOST_BAND` high, so that a marker is tried on the segments of its own band only,
    not on all of the page's. Filing keeps the order of heights (the floor of a quotient
    never reverses it), so no segment a marker could sit on is left out; one whose
    heights are not finite or reach over more than `HOST_BANDS` bands is tried on all."""

    def __init__(self, heights: list[tuple[float, float, float]]) -> None:
        self.bands: dict[int, list[int]] = defaultdict(list)  # segment indexes, in order, by band
        self.everywhere: list[int] = []
        for j, (size, top, bottom) in enumerate(heights):
            low, high = top - RAISED_REACH * size, bottom - RAISE * size
            if not low <= high:
                continue  # no height is between (or one is NaN): nothing sits on it
            if not (math.isfinite(low) and math.isfinite(high)):
                self.everywhere.append(j)
                continue
            first, last = math.floor(low / HOST_BAND), math.floor(high / HOST_BAND)
            if last - first > HOST_BANDS:
                self.everywhere.append(j)
                continue
            for band in range(first, last + 1):
                self.bands[band].append(j)

    def around(self, bottom: float) -> list[int]:
        """In order, the segments a marker whose baseline is at `bottom` may sit on (and others)."""
        near = self.bands.get(math.floor(bottom / HOST_BAND), []) if math.isfinite(bottom) else []
        return sorted(near + self.everywhere) if self.everywhere else near


def _line(page: int, chars: list[Char], printing: list[Char]) -> Line | None:
    """The line of `chars`, whose `printing` ones are given in their order."""
    start, end = 0, len(chars)
    while end > start and not chars[end - 1][0].strip():
        end -= 1
    while start < end and not chars[start][0].strip():
        start += 1
    if start == end:
        return None
    if start or end < len(chars):
        chars = chars[start:end]
    every_size = list(map(SIZE, chars))
    base_size = every_size[0]  # the first character prints
    one_size = base_size == base_size and every_size.count(base_size) == len(chars)  # spaces too, as mostly
    if one_size:
        base_bottom = max(map(BOTTOM, chars))
    else:
        sizes = list(map(SIZE, printing))
        one_size = sizes.count(sizes[0]) == len(sizes)
        base_size = sizes[0] if one_size else _most_common(sizes)
        base_bottom = max([c[4] for c in chars if c[5] == base_size])
    body = printing if one_size else [c for c in printing if c[5] == base_size]
    color = _most_common(list(map(COLOUR, body)))
    bold, italic, small_caps = _look(body)
    return Line(
        page=page,
        spans=_spans(chars, base_size, base_bottom),
        x0=chars[0][1],
        x1=max(map(X1, chars)),
        top=min(map(TOP, body)),
        bottom=base_bottom,
        size=base_size,
        bold=bold,
        italic=italic,
        color=color,
        small_caps=small_caps,
        glyphs=len(printing),
    )


def _look(body: list[Char]) -> tuple[bool, bool, bool]:
    """Bold, italic and small capitals, as a line's body characters are set: weight and slant
    are the letters' and digits' (a mark from another font ('´') does not count), small
    capitals most letters'. A line set in one font throughout, as most are, is that font's."""
    fonts = list(map(FONT, body))
    font = fonts[0]
    if fonts.count(font) == len(fonts):
        bold, italic = _font_flags(font)
        return bold, italic, _small_caps(font) and any(c[0].isalpha() for c in body)
    flagged = {c[6] for c in body if c[0].isalnum()} or set(fonts)
    return all(_font_flags(f)[0] for f in flagged), all(_font_flags(f)[1] for f in flagged), _mostly_small_caps(body)


def _spans(chars: list[Char], base_size: float, base_bottom: float) -> list[Span]:
    """A line's characters as runs of one look, a space put in where glyphs stand a word
    space apart, and a new run started after a gap that sets words well apart. A glyph
    of the last run's look is added to it here, the common case; `_start` starts a run."""
    small, raised = SUPERSCRIPT * base_size, base_bottom - RAISE * base_size
    wide: float | None = None  # _wide_gap, once a gap needs it (most lines draw their spaces)
    spans: list[Span] = []
    last: Span | None = None
    look: tuple = ()  # the last span's size, weight, slant, colour and superscript
    prev_text: str | None = None  # None: no glyph before
    prev_x1 = prev_size = 0.0
    font = chars[0][6]
    bold, italic = _font_flags(font)
    for ch in chars:
        text, x0, x1, _, bottom, size, fontname, colour = ch
        if text == " ":
            if prev_text is not None and x0 < prev_x1 - 0.5 * (x1 - x0):
                continue  # a space glyph drawn over the glyph before it is no gap between words
            if fontname is not font:
                font = fontname
                bold, italic = _font_flags(font)
            sup = size < small and bottom < raised
            if last is None:
                last, look = _start(spans, text, ch, bold, italic, sup)
            elif not last.text.endswith(" "):  # one space between words, however many are drawn
                if last.superscript == sup:
                    last.text += " "
                else:
                    last, look = _start(spans, text, ch, bold, italic, sup)
            prev_text, prev_x1, prev_size = text, x1, size
            continue
        if fontname is not font:
            font = fontname
            bold, italic = _font_flags(font)
        sup = size < small and bottom < raised
        apart = False
        if last is not None and prev_text != " ":
            gap = x0 - prev_x1
            if gap > WORD_SPACE * (prev_size if prev_size < size else size):
                if not last.text.endswith(" "):
                    if not last.superscript or sup:
                        last.text += " "
                    else:  # after a superscript, before a glyph that is none: a space of neither's look
                        last, look = _start(spans, " ", ch, bold, italic, False)
                wide = _wide_gap(chars) if wide is None else wide
                apart = gap >= wide
        if not apart and last is not None and (size, bold, italic, colour, sup) == look:
            last.text += text
            last.x1 = x1
        else:
            last, look = _start(spans, text, ch, bold, italic, sup)
        prev_text, prev_x1, prev_size = text, x1, size
    return spans


def _wide_gap(chars: list[Char]) -> float:
    """The gap that sets words of a line well apart (names in a byline spaced like table
    cells): several times the line's usual word space. Each such gap starts a span, so
    that later stages can tell the groups apart by the spans' positions."""
    gaps = []
    prev = chars[0]
    for ch in islice(chars, 1, None):
        if prev[0] != " " and ch[0] != " ":
            gap = ch[1] - prev[2]
            if gap > WORD_SPACE * (ch[5] if ch[5] < prev[5] else prev[5]):
                gaps.append(gap)
        prev = ch
    if len(gaps) < 2:
        return float("inf")
    gaps.sort()
    return max(WIDE_WORD_GAP * gaps[len(gaps) // 2], 0.5 * chars[0][5])


def _start(spans: list[Span], text: str, ch: Char, bold: bool, italic: bool, sup: bool) -> tuple[Span, tuple]:
    """Start a span with `text` at `ch`; return it and its look."""
    spans.append(Span(text, ch[1], ch[2], ch[5], bold, italic, ch[7], sup))
    return spans[-1], (ch[5], bold, italic, ch[7], sup)


def _spelt(text: str) -> str:
    """A glyph's text composed (NFC), a ligature spelt out: as the lines spell it."""
    text = unicodedata.normalize("NFC", text)
    return LIGATURES.get(text, text)


def _build_lines(raw: RawPage) -> Page:
    """Page records into lines (not yet ordered, furniture not yet removed)."""
    page = Page(raw.number, raw.width, raw.height, boxes=raw.boxes, links=raw.links, tables=raw.tables, frame=raw.frame)
    # sizes to 0.1 pt: the same font size must compare equal wherever it is used; ASCII is in NFC
    # already, and holds no ligature
    tenths = _Tenths()
    chars = [
        (
            text if text.isascii() else _spelt(text),
            x0,
            x1,
            top,
            bottom,
            tenths[size],
            font,
            colour,
        )
        for text, x0, x1, top, bottom, size, font, colour in raw.chars
    ]
    rows = _rows(chars)
    inks = [[c for c in row if c[0].strip()] for row in rows]  # each row's printing characters
    gutters = _Gutters(_strips(rows, inks, raw.width))
    segments: list[list[Char]] = []
    segment_inks: list[list[Char]] = []
    in_order: list[bool] = []
    for row, ink in zip(rows, inks):
        for seg in _segments(row, gutters):
            whole = seg is row
            seg_ink = ink if whole else [c for c in seg if c[0].strip()]  # the row as it was, as mostly
            if seg_ink:
                segments.append(seg)
                segment_inks.append(seg_ink)
                in_order.append(whole)
    for seg, printing in _attach_raised(segments, segment_inks, in_order):
        line = _line(raw.number, seg, printing)
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
    # DROP_CAP times the page's least size: beside a letter smaller than that, no line is small enough
    smallest = min((ln.size * DROP_CAP for ln in page.lines if ln.size == ln.size), default=math.inf)
    for cap in [ln for ln in page.lines if len(ln.plain) == 1 and ln.plain.isalpha()]:
        if cap.size < smallest:
            continue
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
