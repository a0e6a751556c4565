"""Cutting a paper's small-type lines into notes.

A note starts on a line that opens with a number printed the way this paper
numbers its notes (a raised digit, "1." or "1)", a bare "1" after a bullet, or a
number set apart in its own column); every other line carries on the note above
it, across column and page breaks. A line that merely starts with digits (a
year or page range wrapped onto a new line) is told apart by the numbering
sequence and by where the line before it ended.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from compendium_corpus.model import Diagnostics, Line
from compendium_corpus.style import DEFAULT_BODY, SUPERSCRIPT
from compendium_corpus.text import is_short, usual_leading

RAISED = 0.15  # ems by which a marker's bottom stands above the next line's to count as raised
STRONG_SHARE = 0.6  # share of a numbering's marks that must be set apart (raised, bold) for it to be the notes'
SOLID_LEADING = 1.3  # line pitch, in ems, of a lone note line (no second line to measure it from)
NOTE_GAP = 2.5  # leadings: a larger gap above a line ends the notes
DATA_TOKENS = 3  # a line of fewer tokens is never table data by its figures alone

DOT_NUMBER = re.compile(r"^(\d{1,3})[.)]\s+(?=\S)")  # "12. Text" / "12) Text"
BARE_NUMBER = re.compile(r"^(\d{1,3})\s+(?=\S)")  # "12 Text"
LONE_NUMBER = re.compile(r"^\(?(\d{1,3})([.)]?)$")  # "12", "12.", "(12)" standing alone
SUP_NUMBER = re.compile(r"^(\d{1,3})$")
# Marks of notes numbered by symbols ('∗Equal contribution', '† Corresponding author'); not
# § or ¶, which open the lines of legal citations ('§ 1.12 of the Act').
NOTE_SYMBOLS = "∗*†‡⋆"
MAX_SYMBOLS = 3  # '∗∗∗': more in a row is a rule or a pattern, not a mark
SYMBOL_MARK = re.compile(f"^([{NOTE_SYMBOLS}]{{1,{MAX_SYMBOLS}}})\\s*(?=[^\\s{NOTE_SYMBOLS}])")
KINDS = ("sup", "dot", "bare")
# How far a note may skip ahead of the expected number and still count as a note
# (a missing note); further is more likely a number inside the text.
MAX_SKIP = 5


@dataclass(slots=True)
class Start:
    """A line that may open a note: its number, how the number is printed, and
    the line with the number taken off."""

    number: int
    kind: str  # "sup" raised digits, "dot" 1. / 1), "bare" 1 followed by text
    strong: bool  # raised, bulleted or set apart: not plain text that happens to start with digits
    line: Line  # the text after the number
    printed: Line  # the line as printed, for when the digits turn out to be text


@dataclass(slots=True)
class Note:
    number: int
    page: int
    lines: list[Line] = field(default_factory=list)  # as printed (geometry, links)
    text_lines: list[Line] = field(default_factory=list)  # number taken off the first
    kind: str = "sup"  # how its number is printed (see `Start.kind`)
    mark: str | None = None  # a note marked by a symbol instead of a number (number 0): the symbol


def _drop_prefix(line: Line, n_chars: int) -> Line:
    """The line without its first n_chars characters (spans trimmed)."""
    spans = []
    for span in line.spans:
        if n_chars >= len(span.text):
            n_chars -= len(span.text)
            continue
        spans.append(replace(span, text=span.text[n_chars:]) if n_chars else span)
        n_chars = 0
    if spans:
        spans[0] = replace(spans[0], text=spans[0].text.lstrip())
    return replace(line, spans=spans, bullet=None)


def _start_of(line: Line) -> Start | None:
    """The note number opening this line, if it opens with one."""
    text = line.text
    if not text.strip():
        return None
    bullet = line.bullet
    if bullet is not None:
        lone = LONE_NUMBER.match(bullet)
        if lone:  # a number set apart to the left of the text
            return Start(
                int(lone.group(1)),
                "dot" if lone.group(2) else "bare",
                True,
                replace(line, bullet=None),
                _plain_line(line),
            )
    first = next((s for s in line.spans if s.text.strip()), None)
    if first is not None and first.superscript and SUP_NUMBER.match(first.text.strip()):
        lead = len(text) - len(text.lstrip()) + len(first.text)
        return Start(int(first.text.strip()), "sup", True, _drop_prefix(line, lead), _plain_line(line))
    for kind, pattern in (("dot", DOT_NUMBER), ("bare", BARE_NUMBER)):
        m = pattern.match(text)
        if m:
            return Start(int(m.group(1)), kind, bullet is not None, _drop_prefix(line, m.end()), _plain_line(line))
    return None


def _symbol_of(line: Line) -> tuple[str, Line] | None:
    """The symbol opening a line that opens a note marked by a symbol ('∗These authors
    contributed equally'), raised or not, with the line without it; None for any other line."""
    if line.bullet is not None:
        bullet = line.bullet.strip()
        symbol = bool(bullet) and len(bullet) <= MAX_SYMBOLS and all(c in NOTE_SYMBOLS for c in bullet)
        return (bullet, replace(line, bullet=None)) if symbol else None
    m = SYMBOL_MARK.match(line.text.lstrip())
    if m is None:
        return None
    lead = len(line.text) - len(line.text.lstrip()) + m.end()
    return m.group(1), _drop_prefix(line, lead)


def _starts(lines: list[Line], strays: list[Line]) -> list[Line | Start]:
    """Each line, or its Start when it opens with a number. A number standing alone
    beside the first line of its note (a hanging number too far from the text to
    share its line) becomes that line's start; a lone raised number with no text
    beside it (a marker that lost its line) goes to `strays`; a lone number in note
    type is text (a volume or page number wrapped onto a line of its own)."""
    size = Counter(round(ln.size, 1) for ln in lines).most_common(1)[0][0] if lines else 0.0
    out: list[Line | Start] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        lone = LONE_NUMBER.match(ln.text.strip())
        if lone:
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            beside = (
                nxt is not None
                and nxt.page == ln.page
                and nxt.x0 > ln.x1
                and nxt.top < ln.bottom
                and nxt.bottom > ln.top
            )
            if beside and nxt is not None:  # (beside implies nxt)
                raised = ln.size < SUPERSCRIPT * nxt.size or ln.bottom < nxt.bottom - RAISED * nxt.size
                kind = "sup" if raised else ("dot" if lone.group(2) else "bare")
                printed = replace(nxt, spans=[replace(nxt.spans[0], text=ln.text.strip() + " "), *nxt.spans])
                out.append(Start(int(lone.group(1)), kind, True, nxt, _plain_line(replace(printed, bullet=ln.bullet))))
                i += 2
                continue
            if ln.size < SUPERSCRIPT * size or all(sp.superscript for sp in ln.spans if sp.text.strip()):
                strays.append(ln)  # a raised marker that lost its line: not note text
                i += 1
                continue
        out.append(_start_of(ln) or ln)
        i += 1
    return out


def _longest_run(starts: list[Start]) -> tuple[int, int]:
    """The longest run of these starts, in reading order, numbered in steps of one:
    (its length, its first number)."""
    chain: dict[int, tuple[int, int]] = {}
    for s in starts:
        length, first = chain.get(s.number - 1, (0, s.number))
        if length + 1 > chain.get(s.number, (0, 0))[0]:
            chain[s.number] = (length + 1, first)
    return max(chain.values(), default=(0, 0))


@dataclass(slots=True)
class Numbering:
    """How one paper prints its note numbers."""

    kind: str | None  # the kind whose numbers run in sequence longest
    first: int  # the number its notes start from
    set_apart: bool  # its numbers are raised, bulleted or set apart: plain digits opening a line are text


def _numbering(items: list[Line | Start]) -> Numbering:
    by_kind: dict[str, list[Start]] = {}
    for it in items:
        if isinstance(it, Start):
            by_kind.setdefault(it.kind, []).append(it)
    if not by_kind:
        return Numbering(None, 1, False)
    runs = {k: _longest_run(v) for k, v in by_kind.items()}
    kind = max(by_kind, key=lambda k: (runs[k][0], sum(s.strong for s in by_kind[k]), -KINDS.index(k)))
    strong = sum(s.strong for s in by_kind[kind])
    return Numbering(kind, runs[kind][1], strong >= max(1, STRONG_SHARE * len(by_kind[kind])))


def _plain_line(line: Line) -> Line:
    """A line without a number that carries on a note: a dash or bullet glyph that layout
    took for a list bullet is text again."""
    if line.bullet is None:
        return line
    spans = list(line.spans)
    if spans:
        spans[0] = replace(spans[0], text=f"{line.bullet} {spans[0].text}")
    return replace(line, spans=spans, bullet=None)


class _Flow:
    """Geometry of a paper's note lines: right edges and the usual line spacing."""

    def __init__(self, lines: list[Line]):
        solo = lines[0].size * SOLID_LEADING if lines else DEFAULT_BODY  # (no lines: no gap is ever measured)
        self.leading = usual_leading(lines) if len(lines) > 1 else solo
        self.right: dict[tuple[int, int], float] = {}
        for ln in lines:
            key = (ln.page, ln.column)
            self.right[key] = max(self.right.get(key, ln.x1), ln.x1)

    def right_edge(self, line: Line) -> float:
        own = self.right.get((line.page, line.column), line.x1)
        spanning = self.right.get((line.page, 0), own) if line.column else own
        return max(own, spanning)

    @staticmethod
    def new_flow(prev: Line, line: Line) -> bool:
        """A page or column break between two lines."""
        if line.page != prev.page or line.top <= prev.top:
            return True
        return line.x0 >= prev.x1 or line.x1 <= prev.x0  # side by side columns

    def adjacent(self, prev: Line, line: Line) -> bool:
        return line.top - prev.top <= NOTE_GAP * self.leading

    def ended(self, prev: Line) -> bool:
        """The line stops short of the right edge: what came before it has ended."""
        return is_short(prev, self.right_edge(prev))


def _accept(start: Start, numbering: Numbering, prev: Line | None, notes: list[Note], flow: _Flow) -> bool:
    """Whether a line opening with a number opens a note (see the module docstring)."""
    if start.kind != numbering.kind or numbering.set_apart and not start.strong:
        return False
    if not notes:
        return start.kind == "sup" or start.number <= numbering.first
    expected = notes[-1].number + 1
    boundary = prev is None or flow.new_flow(prev, start.line) or flow.ended(prev)
    if start.kind == "sup":
        return True  # raised digits at a line start are a note number whatever the sequence says
    if start.number == expected:
        return start.strong or start.kind == "dot" or boundary
    seen = {n.number for n in notes}
    if not boundary or start.number in seen or start.number < 1:
        return False
    return start.number < expected or start.number <= expected + MAX_SKIP


def split_notes(
    lines: list[Line],
    diagnostics: Diagnostics | None = None,
    paper_id: str | None = None,
    symbols: list[Note] | None = None,
) -> list[Note]:
    """Cut one paper's note lines into numbered notes; a line opening with a symbol mark
    opens a note of its own, which goes to `symbols` (when given) with the lines carrying it on."""
    markers: list[Line] = []
    items = _starts(lines, markers)
    numbering = _numbering(items)
    flow = _Flow(lines)
    notes: list[Note] = []
    prev: Line | None = None
    current: Note | None = None
    stray: list[Line] = []
    for it in items:
        line = it.line if isinstance(it, Start) else it
        symbol = None if isinstance(it, Start) else _symbol_of(it)
        if symbol is not None:
            current = Note(0, line.page, [line], [symbol[1]], "symbol", symbol[0])
            if symbols is not None:
                symbols.append(current)
        elif isinstance(it, Start) and _accept(it, numbering, prev, notes, flow):
            current = Note(it.number, line.page, [line], [it.line], it.kind)
            notes.append(current)
        elif current is not None and prev is not None and (flow.new_flow(prev, line) or flow.adjacent(prev, line)):
            current.lines.append(line)
            current.text_lines.append(it.printed if isinstance(it, Start) else _plain_line(line))
        else:
            current = None
            stray.append(line)
        prev = line
    if markers and diagnostics is not None:
        diagnostics.add(
            "stray-marker",
            f"raised number(s) {', '.join(m.plain for m in markers)} stand on a line of their own, "
            "outside any note (a body marker set apart from its text?)",
            page=markers[0].page,
            paper_id=paper_id,
        )
    if stray and diagnostics is not None:
        diagnostics.add(
            "note-text-unattached",
            f"{len(stray)} small-type line(s) belong to no numbered note, e.g. '{stray[0].plain[:60]}'",
            page=stray[0].page,
            paper_id=paper_id,
        )
    return notes


def uncited_lists(notes: list[Note], markers: set[int]) -> list[Note]:
    """Notes that are no notes: numbered lines (a table's rows, a chart's axis, a numbered
    list in small type) that no marker in the text cites, in a list most of whose numbers
    nobody cites. Raised numbers are notes whatever the citations say (an author may
    forget a marker); plain numbers need the markers to show they are."""
    plain = [n for n in notes if n.kind != "sup"]
    if not plain or sum(n.number in markers for n in plain) >= CITED_SHARE * len(plain):
        return []
    return [n for n in plain if n.number not in markers]


CITED_SHARE = 0.5  # share of a list of plainly numbered notes that markers must cite


def tabular(notes: list[Note]) -> list[Note]:
    """'Notes' that are rows of a table or a chart's labels: mostly figures ('110.0 10 100.0 5
    Bromobenzene 1 108.9'), or runs of short codes ('TL EF GP Ow Sc Shf'), never prose."""
    return [note for note in notes if reads_as_data(note.text_lines)]


def reads_as_data(lines: list[Line]) -> bool:
    """Lines that hold a table's figures or a chart's labels (see `tabular`), not prose."""
    tokens = LEADER.sub(" ", " ".join(ln.plain for ln in lines)).split()
    if tokens and ENUMERATOR.match(tokens[0]) and len(tokens) > 1:
        tokens = tokens[1:]  # an item's number, as in prose: '(1) Anabolic steroids ... 4000'
    figures = sum(bool(FIGURE.match(t)) for t in tokens)
    words = [t for t in tokens if not FIGURE.match(t)]
    short = len(words) >= CODES and sum(len(w.strip(".,;:()")) for w in words) < SHORT_CODE * len(words)
    return not words or len(tokens) >= DATA_TOKENS and figures >= DATA_SHARE * len(tokens) or short


FIGURE = re.compile(r"^[\d.,%()+\-–−*]+$")
ENUMERATOR = re.compile(r"^\(?\d{1,3}[.)]$")
LEADER = re.compile(r"[.…·]{3,}")  # dots leading the eye from an entry to its number: neither word nor figure
DATA_SHARE = 0.5  # share of a note's words that are figures in a table row
CODES, SHORT_CODE = 8, 3  # so many words this short on average are a chart's labels
