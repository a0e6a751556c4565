"""Headings: which lines head a section, and at which level.

A line looks like a heading when it is bold, set in display type, or set
apart at body size by colour or capitals, and is no sentence of running text.
Levels come from two kinds of evidence, numbering first:

* Numbering schemes (`1` / `1.1` / `1.1.1`, `I.` / `A.`, `Annex A`): the
  depth of an arabic number is its level among arabic numbers; schemes of
  other kinds nest in the order the document first uses them; annexes and
  appendices stand at the top level. Unnumbered headings of a type that the
  numbered ones use take their level ("Abstract", "References").
* Typography, where numbering is silent: types (size, weight, capitals,
  slant, colour) ranked by prominence. Level 1 is the top type that recurs
  (in most papers of a compendium, or at least twice in a single paper); a
  more prominent type that does not recur is level 1 too; under a level-1
  heading, the less prominent types it holds rank 2, 3, 4 by size, weight and
  slant. A recurring type
  more prominent than every numbered heading stands above them all (a report
  whose parts are unnumbered capitals over numbered sections) if it opens
  sections before the numbered headings begin; an unnumbered
  type less prominent than the numbered ones sits under the numbered heading
  before it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from compendium_corpus.model import Line
from compendium_corpus.style import BODY_EXACT, SMALL_TYPE, DocumentStyle

STATEMENT_END = re.compile(r"[.!][”’\"')]?$")  # a heading may end with a question mark, not a full stop
HEADING_CHARS = 160  # a longer line is running text, whatever its type
SMALL_CAPS = 0.7  # bold or numbered capitals under small type, down to this share of the body size, are a heading's
CAPS_LETTERS = 4  # letters a line in capitals needs to read as a heading, not an abbreviation
MAX_LEVEL = 4
# Figures alone ('47699', '8/13/2020', '3%'): a page number or a value, no heading unless a section number.
FIGURES = re.compile(r"^[\d\s.,:/%–-]*\d[\d\s.,:/%–-]*$")
# Section numbers: '3', '3.1', '3.1.2' (a trailing stop allowed), 'IV.', 'A.', and named
# divisions ('Annex A', 'Appendix 2', 'Chapter 3', 'Part II', 'Section One').
ARABIC = re.compile(r"^((?:\d{1,2}|[IVX]{1,4})(?:\.(?:\d{1,2}|[IVX]{1,4})){0,3})\.?$")
ROMAN = re.compile(r"^([IVXL]{1,6})[.)]$")
LETTER = re.compile(r"^([A-Z])[.)]$")
NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
NAMED = re.compile(
    rf"^(annex|appendix|chapter|part|section)\s+(\d{{1,2}}|[A-Z]|[IVXL]{{1,6}}|{NUMBER_WORDS})\b[.:]?", re.I
)
TOP_NAMED = ("annex", "appendix", "chapter", "part")


@dataclass(frozen=True, slots=True)
class Number:
    scheme: str  # "arabic", "roman", "letter" or a division word ("annex", "section", ...)
    depth: int  # components of an arabic number; 1 otherwise


def section_number(line: Line) -> Number | None:
    """The section number a heading line opens with: its bullet (a number set apart) or
    its first word."""
    text = line.plain if line.bullet is None else f"{line.bullet} {line.plain}"
    named = NAMED.match(text)
    if named:
        return Number(named.group(1).lower(), 1)
    token = (text.split() or [""])[0]
    if ROMAN.match(token):
        return Number("roman", 1)
    if LETTER.match(token):
        return Number("letter", 1)
    arabic = ARABIC.match(token)
    if arabic and token[0].isdigit():  # '4.I' is '4.1' with a slip of the keyboard
        return Number("arabic", arabic.group(1).count(".") + 1)
    return None


def heading_text(lines: list[Line], text: str) -> str:
    """A heading as printed: its number set apart (a bullet) goes back in front of it."""
    bullet = lines[0].bullet
    return f"{bullet} {text}" if bullet is not None and section_number(lines[0]) else text


def looks_like_heading(line: Line, style: DocumentStyle, body_color: tuple) -> bool:
    """Bold, larger than the body, or set apart in colour or capitals; a line with a list
    bullet, or with figures alone, only when it opens with a section number."""
    text = line.plain
    if not text or len(text) > HEADING_CHARS or line.bullet is not None and section_number(line) is None:
        return False
    if FIGURES.match(text) and section_number(line) is None:
        return False
    small_caps = is_caps(line) and (line.bold or section_number(line) is not None)
    if line.size < (SMALL_CAPS if small_caps else SMALL_TYPE) * style.body_size:
        return False
    if line.italic and not line.bold or _opens_lower(text):
        return False
    return line.bold or style.is_display(line) or set_apart(line, style, body_color)


def _opens_lower(text: str) -> bool:
    """A heading never opens with a lower-case word (pseudo-code keywords, a wrapped phrase)."""
    first = next((ch for ch in text if ch.isalpha()), "")
    return first.islower()


def set_apart(line: Line, style: DocumentStyle, body_color: tuple) -> bool:
    """Body-size upright type marked only by colour or capitals (small caps), not
    ending a sentence: a heading when it does not carry on a paragraph."""
    text = line.plain
    if line.size < style.body_size - BODY_EXACT or STATEMENT_END.search(text):
        return False
    return line.color != body_color or is_caps(line)


def is_caps(line: Line) -> bool:
    """Set in capitals: upper-case text, or a small-capitals font."""
    text = line.plain
    return (text.isupper() or line.small_caps) and sum(ch.isalpha() for ch in text) >= CAPS_LETTERS


def heading_types(papers_lines: list[list[Line]], style: DocumentStyle, body_color: tuple) -> set[tuple]:
    """The styles lines that look like headings are set in, across the document."""
    return {ln.style for lines in papers_lines for ln in lines if looks_like_heading(ln, style, body_color)}


def _key(line: Line) -> tuple:
    return line.size, line.bold, line.italic, line.color, is_caps(line)


def _prominence(key: tuple) -> tuple:
    size, bold, italic, _, caps = key
    return round(size * 2) / 2, bold, caps, not italic


def _tier(key: tuple) -> tuple:
    """What sets subheadings a level apart: size, weight and slant. Capitals or colour alone
    vary the look of one level (a paper's 'CHALLENGE: ...' beside its 'Europe's challenge')."""
    size, bold, italic, _, _ = key
    return round(size * 2) / 2, bold, not italic


def assign_levels(papers: list[list[list[Line]]]) -> dict[int, int]:
    """Levels (1 to 4) of every heading of the document, keyed by the id of its first line;
    `papers` holds each paper's headings (lists of lines) in reading order."""
    headings = [h for paper in papers for h in paper]
    if not headings:
        return {}
    numbers = {id(h[0]): section_number(h[0]) for h in headings}
    keys = {id(h[0]): _key(h[0]) for h in headings}
    schemes = _scheme_levels([n for h in headings if (n := numbers[id(h[0])])])
    levels: dict[int, int] = {}
    numbered_keys: dict[tuple, Counter] = {}
    for h in headings:
        number = numbers[id(h[0])]
        if number is not None:
            numbered_keys.setdefault(keys[id(h[0])], Counter())[schemes[number]] += 1
    recurring = _recurring(papers, keys)
    if numbered_keys:
        top = max(_prominence(k) for k in numbered_keys)
        enclosing = set()  # types of headings opening a paper's sections before its numbered ones begin
        for paper in papers:
            for h in paper:
                if numbers[id(h[0])]:
                    break
                enclosing.add(keys[id(h[0])])
        above = sorted(
            {_prominence(k) for k in recurring & enclosing if _prominence(k) > top and k not in numbered_keys},
            reverse=True,
        )
        shift = len(above)
        for paper in papers:
            last = 0
            for h in paper:
                key, number = keys[id(h[0])], numbers[id(h[0])]
                if number is not None:
                    level = schemes[number] + shift
                elif key in numbered_keys:
                    level = numbered_keys[key].most_common(1)[0][0] + shift
                elif _prominence(key) > top:
                    level = 1 + sum(p > _prominence(key) for p in above)
                else:
                    level = last + 1 if last else 1
                level = min(level, MAX_LEVEL)
                levels[id(h[0])] = level
                if number is not None or _prominence(key) > top:
                    last = level
        return levels
    top = max((_prominence(k) for k in recurring), default=max(_prominence(k) for k in keys.values()))
    for paper in papers:
        for section in _split_at(paper, lambda h: _prominence(keys[id(h[0])]) >= top):
            below = sorted({_tier(keys[id(h[0])]) for h in section if _prominence(keys[id(h[0])]) < top}, reverse=True)
            for h in section:
                key = keys[id(h[0])]
                levels[id(h[0])] = 1 if _prominence(key) >= top else min(2 + below.index(_tier(key)), MAX_LEVEL)
    return levels


def _split_at(headings: list[list[Line]], opens) -> list[list[list[Line]]]:
    """Headings cut into runs, each opened by a heading for which `opens` holds."""
    runs: list[list[list[Line]]] = [[]]
    for h in headings:
        if opens(h) and runs[-1]:
            runs.append([])
        runs[-1].append(h)
    return runs


def _scheme_levels(numbers: list[Number]) -> dict[Number, int]:
    """The level each numbering scheme stands for: arabic numbers by depth, other schemes
    nested in the order the document first uses them, annexes and chapters on top."""
    order: list[Number] = []
    for n in numbers:
        if n.scheme in TOP_NAMED or n in order:
            continue
        order.append(n)
    families = list(dict.fromkeys(n.scheme for n in order))
    order.sort(key=lambda n: (families.index(n.scheme), n.depth))
    levels = {n: i + 1 for i, n in enumerate(order)}
    levels.update({n: 1 for n in numbers if n.scheme in TOP_NAMED})
    return levels


def _recurring(papers: list[list[list[Line]]], keys: dict[int, tuple]) -> set[tuple]:
    """Types that recur: in a compendium, used by at least half of its papers; in a single
    paper, by at least two headings."""
    if len(papers) > 1:
        used = Counter(k for paper in papers for k in {keys[id(h[0])] for h in paper})
        return {k for k, n in used.items() if n >= len(papers) / 2}
    counts = Counter(keys[id(h[0])] for h in papers[0])
    return {k for k, n in counts.items() if n >= 2}
