"""Lines into plain text: hyphenation repaired, footnote markers lifted out,
lines grouped into paragraphs by spacing. Shared by the front-matter, body and
notes stages so every table is cleaned by the same rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Line

SOFT_HYPHENS = "\u00ad\u2010"
MARKER = re.compile(r"^\d{1,3}$")
# A lower-case letter before the hyphen and after the break: a word was split.
WORD_CHAR = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(slots=True)
class Ref:
    number: int
    offset: int


def _ends_hyphenated(text: str) -> bool:
    return len(text) >= 2 and text[-1] in "-" + SOFT_HYPHENS and bool(WORD_CHAR.match(text[-2]))


def _line_pieces(line: Line, with_markers: bool) -> tuple[str, list[tuple[int, int]]]:
    """The line's text and its superscript numbers as (number, offset) pairs."""
    out, refs = [], []
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


def join_lines(lines: list[Line], with_markers: bool = True) -> tuple[str, list[Ref]]:
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
        elif _ends_hyphenated(text) and not _keeps_hyphen(text, piece):
            text, joiner = text[:-1], ""
        elif text.endswith(("-", "/", "–")) and not text.endswith(" –"):
            joiner = ""
        else:
            joiner = " "
        base = len(text) + len(joiner)
        text += joiner + piece
        refs.extend(Ref(n, base + o) for n, o in line_refs)
    # Markers may stand before trailing spaces that the strip removed.
    refs = [Ref(r.number, min(r.offset, len(text))) for r in refs]
    return text, refs


def _keeps_hyphen(before: str, after: str) -> bool:
    """A line-end hyphen is kept when the next part starts upper-case or with a digit
    ('China-' / 'EU'), or when the word before it is already a compound."""
    if not after:
        return True
    if not after[0].islower():
        return True
    word_before = re.split(r"\s", before)[-1]
    return "-" in word_before[:-1]


def is_short(line: Line, right_edge: float) -> bool:
    """A line ending well before the column's right edge (a paragraph's last line)."""
    return line.x1 < right_edge - 2.5 * line.size


def split_paragraphs(lines: list[Line], leading: float | None = None) -> list[list[Line]]:
    """Group consecutive lines into paragraphs: a gap wider than the usual line
    spacing, a first-line indent, or a short line ending a sentence closes one."""
    if not lines:
        return []
    if leading is None:
        gaps = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if 0 < b.top - a.top < 3 * a.size)
        leading = gaps[len(gaps) // 4] if gaps else lines[0].size * 1.3
    right = max(ln.x1 for ln in lines)
    left = min(ln.x0 for ln in lines)
    paras = [[lines[0]]]
    for prev, line in zip(lines, lines[1:]):
        same_flow = line.page == prev.page and line.column == prev.column and line.top > prev.top
        if same_flow:
            gap = line.top - prev.top
            new = gap > leading * 1.25 or (line.x0 > left + 0.8 * line.size and prev.x0 <= left + 1)
        else:  # column or page break: only a finished short line ends the paragraph
            new = is_short(prev, right) and prev.text.rstrip()[-1:] in ".!?:;”’\")"
        if new:
            paras.append([line])
        else:
            paras[-1].append(line)
    return paras
