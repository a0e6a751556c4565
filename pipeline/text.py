"""Lines into plain text: hyphenation repaired, footnote markers lifted out,
lines grouped into paragraphs by spacing. Shared by the front-matter, body and
notes stages so every table is cleaned by the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compendium_corpus.model import Line

SOFT_HYPHENS = "\u00ad\u2010"
MARKER = re.compile(r"^\d{1,3}$")
# A lower-case letter before the hyphen and after the break: a word was split.
WORD_CHAR = re.compile(r"[^\W\d_]", re.UNICODE)
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
PARAGRAPH_GAP = 1.25  # line pitches between two lines' tops past which a new paragraph starts
INDENT = 0.8  # ems of indent that mark a paragraph's first line
SHORT_LINE = 2.5  # ems short of the column's right edge at which a line ends a paragraph
MAX_LEADING = 3  # ems: a larger step from one line to the next is a break, not leading
SOLID_LEADING = 1.3  # leading as a multiple of the type size, where a flow has no two lines to measure
DEFAULT_LEADING = 12.0  # points: the leading assumed where there are no lines at all


@dataclass(slots=True)
class Ref:
    number: int
    offset: int


def _ends_hyphenated(text: str) -> bool:
    return len(text) >= 2 and text[-1] in "-" + SOFT_HYPHENS and bool(WORD_CHAR.match(text[-2]))


def _line_pieces(line: Line, with_markers: bool) -> tuple[str, list[tuple[int, int]]]:
    """The line's text and its superscript numbers as (number, offset) pairs."""
    out: list[str] = []
    refs: list[tuple[int, int]] = []
    for span in line.spans:
        if span.superscript and with_markers:
            digits = span.text.strip()
            if MARKER.match(digits):
                refs.append((int(digits), len("".join(out).rstrip())))
                if span.text.endswith(" ") and out and not "".join(out).endswith(" "):
                    out.append(" ")
                continue
            for part in re.split(r"[,\s]+", digits):
                if MARKER.match(part):
                    refs.append((int(part), len("".join(out).rstrip())))
            continue
        out.append(span.text)
    return "".join(out), refs


def join_lines(
    lines: list[Line], with_markers: bool = True, vocabulary: frozenset[str] = frozenset()
) -> tuple[str, list[Ref]]:
    """Join lines into one paragraph string, re-joining words hyphenated at line ends
    and keeping real compounds (a hyphen before an upper-case letter or when the
    remainder is itself a compound)."""
    text = ""
    refs: list[Ref] = []
    for line in lines:
        piece, line_refs = _line_pieces(line, with_markers)
        piece = re.sub(r"\s+", " ", piece).strip()
        if not piece:
            continue
        if not text:
            joiner = ""
        elif text[-1] in SOFT_HYPHENS:
            text, joiner = text[:-1], ""
        elif _ends_hyphenated(text):
            text, joiner = text[:-1], _hyphen_join(text, piece, vocabulary)
        elif text.endswith(("-", "/", "–")) and not text.endswith(" –"):
            joiner = ""
        elif CJK.match(text[-1]) and CJK.match(piece[0]):
            joiner = ""  # Chinese and Japanese run on across line ends without a space
        else:
            joiner = " "
        base = len(text) + len(joiner)
        text += joiner + piece
        refs.extend(Ref(n, base + o) for n, o in line_refs)
    # Markers may stand before trailing spaces that the strip removed.
    refs = [Ref(r.number, min(r.offset, len(text))) for r in refs]
    return text, refs


SUSPENDED = {"and", "or", "nor", "to", "as"}


def _hyphen_join(before: str, after: str, vocabulary: frozenset[str]) -> str:
    """How a line-end hyphen joins the next line: "" (a split word: hyphen dropped),
    "-" (a compound: 'China-EU', 'de-risking') or "- " (a suspended hyphen:
    'medium- and long-term'). The document's own vocabulary decides first."""
    word_before = re.split(r"\s", before)[-1]
    word_after = re.match(r"\w+", after)
    head = word_before[:-1].strip("'‘’\"“”(").lower()
    tail = word_after.group(0).lower() if word_after else ""
    if tail in SUSPENDED and after[len(tail) : len(tail) + 1] in (" ", ""):
        return "- "
    if f"{head}-{tail}" in vocabulary:
        return "-"
    if head + tail in vocabulary:
        return ""
    if not after[:1].islower() or "-" in word_before[:-1]:
        return "-"
    # Neither form printed elsewhere: two words of the document joined by a hyphen
    # ('demand-driven') are a compound; a fragment ('transfor-mation') is not.
    both_words = len(head) > 2 and len(tail) > 2 and head in vocabulary and tail in vocabulary
    return "-" if both_words else ""


WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def vocabulary_of(lines: list[Line]) -> frozenset[str]:
    """The document's vocabulary: words and hyphenated vocabulary printed inside lines
    (the halves of a word split over two lines are left out)."""
    found: set[str] = set()
    split_before = False
    for ln in lines:
        text = ln.plain
        words = WORD.findall(text)
        split_after = text.endswith(("-", "\u00ad", "\u2010"))
        found.update(w.lower() for w in words[int(split_before) : len(words) - int(split_after)])
        split_before = split_after
    return frozenset(found)


def is_short(line: Line, right_edge: float) -> bool:
    """A line ending well before the column's right edge (a paragraph's last line)."""
    return line.x1 < right_edge - SHORT_LINE * line.size


SENTENCE_END = re.compile(r"[.!?][”’\"')]?$")


def finished(line: Line, right_edge: float) -> bool:
    """A short line ending a sentence: what closes a paragraph at a column or page break."""
    return is_short(line, right_edge) and line.plain[-1:] in '.!?:;”’")'


def column_edges(lines: list[Line]) -> dict[tuple[int, int], tuple[float, float]]:
    """Left and right text edge of every (page, column) among the lines."""
    edges: dict[tuple[int, int], tuple[float, float]] = {}
    for ln in lines:
        key = (ln.page, ln.column)
        left, right = edges.get(key, (ln.x0, ln.x1))
        edges[key] = (min(left, ln.x0), max(right, ln.x1))
    return edges


def usual_leading(lines: list[Line]) -> float:
    """The common distance between consecutive lines of one flow."""
    gaps = sorted(
        b.top - a.top
        for a, b in zip(lines, lines[1:])
        if a.page == b.page and a.column == b.column and 0 < b.top - a.top < MAX_LEADING * a.size
    )
    return gaps[len(gaps) // 4] if gaps else (lines[0].size * SOLID_LEADING if lines else DEFAULT_LEADING)


def continues(
    prev: Line, line: Line, edges: dict, leading: float, interrupted: set[int], hanging: bool = False
) -> bool:
    """Whether `line` carries on the paragraph that `prev` belongs to.

    Within one column a wider gap or a first-line indent starts a new paragraph.
    Across a column or page break, or around something taken out of the flow (a
    pull-quote, a figure, notes), only a short line ending a sentence closes it.
    `hanging` is for list items, whose wrapped lines are indented under the text."""
    left, right = edges[(prev.page, prev.column)]
    same_flow = (
        line.page == prev.page and line.column == prev.column and line.top > prev.top and id(line) not in interrupted
    )
    if not same_flow:
        if id(line) in interrupted and SENTENCE_END.search(prev.plain) and line.plain[:1].isupper():
            return False  # a sentence ends where a figure or quote cuts in: a new paragraph
        return not finished(prev, right)
    if line.top - prev.top > leading * PARAGRAPH_GAP:
        return False
    if hanging:  # a list item's later lines may be indented under its text
        return True
    line_left = edges[(line.page, line.column)][0]
    return not (line.x0 > line_left + INDENT * line.size and prev.x0 <= line_left + 1)


def split_paragraphs(
    lines: list[Line], leading: float | None = None, interrupted: set[int] | None = None
) -> list[list[Line]]:
    """Group consecutive lines into paragraphs (see `continues`)."""
    if not lines:
        return []
    interrupted = interrupted or set()
    leading = leading or usual_leading(lines)
    edges = column_edges(lines)
    paras = [[lines[0]]]
    for prev, line in zip(lines, lines[1:]):
        if continues(prev, line, edges, leading, interrupted):
            paras[-1].append(line)
        else:
            paras.append([line])
    return paras
