"""A paper's body: sections, paragraphs, list items, pull-quotes and figures.

Every line of a paper's pages is given exactly one role. Figures and
pull-quotes are taken out of the flow first (so that they never cut the
paragraph they interrupt), small type goes to the notes stage, and what is
left is read as headings, list items and paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from compendium_corpus.figures import FigureDraft, find_figures, turned_inserts
from compendium_corpus.headings import (
    STATEMENT_END,
    assign_levels,
    heading_text,
    heading_types,
    is_caps,
    looks_like_heading,
    section_number,
)
from compendium_corpus.lines import DASHES
from compendium_corpus.model import BLACK, Box, Diagnostics, Line, Page, Span
from compendium_corpus.notesplit import LEADER, Note, reads_as_data, split_notes, tabular, uncited_lists
from compendium_corpus.outline import OutlineEntry
from compendium_corpus.structure import PaperDraft
from compendium_corpus.style import (
    BODY_EXACT,
    BODY_TOLERANCE,
    DISPLAY,
    LARGER,
    MARK_GAP,
    ROW_DRIFT,
    RULE_HEIGHT,
    SMALL_TYPE,
    SUPERSCRIPT,
    DocumentStyle,
)
from compendium_corpus.text import (
    DEFAULT_LEADING,
    INDENT,
    PARAGRAPH_GAP,
    SENTENCE_END,
    Ref,
    column_edges,
    continues,
    finished,
    join_lines,
    usual_leading,
    vocabulary_of,
)

NOTES_HEADING = re.compile(r"^(?:(?:end|foot)?notes)$", re.I)
# A list of works cited is body text of its own section, however small its type.
REFERENCES = re.compile(
    r"^(?:\d{1,2}\.?\s+)?(?:references(?:\s+cited)?|bibliography|works\s+cited|literature(?:\s+cited)?)$", re.I
)
FOOT_SMALLER = 0.5  # points by which type under all of a page's body text is smaller than it: notes
FRAME_HEIGHT = 1.5  # ems: a drawn box taller than this can frame text; rules this far apart at least enclose it
FRAME_WIDTH = 8  # ems: a frame or a rule enclosing text is wider than this
FRAME_REACH = 25  # ems: two rules farther apart than this enclose no quote
QUOTE_GAP = 1.5  # ems of blank at most between two lines of one pull-quote
QUOTE_CHARS = 40  # a quotation is longer than this; a large heading is not
NOTE_DIGITS = 3  # a note number has at most this many digits


@dataclass(slots=True)
class ParagraphDraft:
    paragraph_id: str
    section_id: str | None
    kind: str
    lead: str | None
    text: str
    refs: list[Ref]
    page_start: int
    page_end: int
    position: int
    lines: list[Line] = field(default_factory=list)  # where it stands on the page


@dataclass(slots=True)
class SectionDraft:
    section_id: str
    parent_section_id: str | None
    level: int
    heading: str
    page: int
    position: int
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class PullQuoteDraft:
    pull_quote_id: str
    text: str
    source_paragraph_id: str | None
    page: int
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class PaperBody:
    paper: PaperDraft
    sections: list[SectionDraft] = field(default_factory=list)
    paragraphs: list[ParagraphDraft] = field(default_factory=list)
    pull_quotes: list[PullQuoteDraft] = field(default_factory=list)
    figures: list[FigureDraft] = field(default_factory=list)
    note_lines: list[Line] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # the note lines cut into notes
    symbol_notes: list[Note] = field(default_factory=list)  # notes marked by a symbol (∗, †), not a number
    heading_refs: set[int] = field(default_factory=set)  # notes a heading's marker cites
    # What each line was read as, for `compendium inspect` (read-only; no stage uses them):
    blocks: list[tuple[str, list[Line]]] = field(default_factory=list)  # heading, list_item, paragraph
    quote_lines: list[list[Line]] = field(default_factory=list)  # each pull-quote's lines
    figure_lines: list[Line] = field(default_factory=list)


def paper_lines(pages: dict[int, Page], paper: PaperDraft) -> list[Line]:
    """The paper's lines in reading order, without its title and author block."""
    skip = {id(ln) for ln in paper.header_lines}
    out: list[Line] = []
    for n in range(paper.page_start, paper.page_end + 1):
        if n not in pages:
            continue
        lines = pages[n].lines
        if n == paper.page_end and paper.end_index is not None:
            lines = lines[: paper.end_index]
        if n == paper.page_start:
            lines = lines[paper.first_index :]
        out += [ln for ln in lines if id(ln) not in skip]
    return out


def _inside(line: Line, box: Box, pad: float = 2.0) -> bool:
    return (
        line.x0 >= box.x0 - pad
        and line.x1 <= box.x1 + pad
        and line.top >= box.top - pad
        and line.bottom <= box.bottom + pad
    )


def _frames(page: Page, body: float) -> list[Box]:
    """Regions set apart by drawing: a box around text, or two rules of equal
    width above and below it."""
    frames = [b for b in page.boxes if b.bottom - b.top > FRAME_HEIGHT * body and b.x1 - b.x0 > FRAME_WIDTH * body]
    rules = sorted(
        (b for b in page.boxes if b.bottom - b.top <= RULE_HEIGHT and b.x1 - b.x0 > FRAME_WIDTH * body),
        key=lambda b: b.top,
    )
    for upper, lower in zip(rules, rules[1:]):
        if (
            abs(upper.x0 - lower.x0) < 2
            and abs(upper.x1 - lower.x1) < 2
            and FRAME_HEIGHT * body < lower.top - upper.bottom < FRAME_REACH * body
        ):
            frames.append(Box(upper.x0, upper.x1, upper.top, lower.bottom, False))
    return frames


def _is_display(line: Line, body: float, body_color: tuple) -> bool:
    """Display type of a pull-quote: larger than the body, not bold, and slanted or
    in another colour than the body text."""
    return not line.bold and line.size >= LARGER * body and (line.italic or line.color != body_color)


def _pull_quote_groups(
    lines: list[Line], pages: dict[int, Page], body: float, body_color: tuple, taken: set[int]
) -> list[list[Line]]:
    """Runs of framed or display-type lines. A quote floated beside the text is read
    interleaved with the lines it stands next to, so a run is held together by its
    frame or by its type, place and spacing, not by being consecutive in the flow."""
    groups: list[list[Line]] = []
    open_groups: dict[tuple, list[Line]] = {}
    frames_of: dict[int, Box | None] = {}
    frames = {n: _frames(p, body) for n, p in pages.items()}
    for ln in lines:
        if id(ln) in taken:
            continue
        frame = next((f for f in frames.get(ln.page, []) if _inside(ln, f)), None)
        framed_text = frame is not None and ln.size >= SMALL_TYPE * body and not ln.bold
        if not (framed_text or _is_display(ln, body, body_color)):
            continue
        group = open_groups.get(ln.style)
        same_frame = frame is not None and group is not None and frames_of.get(id(group[-1])) is frame
        if group is not None and (same_frame or _same_run(group[-1], ln) or _runs_over_page(group, ln)):
            group.append(ln)
        else:
            open_groups[ln.style] = [ln]
            groups.append(open_groups[ln.style])
        frames_of[id(ln)] = frame
    return [
        g
        for g in groups
        if _quote_like(g, framed=frames_of.get(id(g[0])) is not None)
        and len(g) < PAGE_SHARE * len(pages[g[0].page].lines)
    ]  # a frame round a page's text is a border


def _same_run(last: Line, line: Line) -> bool:
    return (
        last.page == line.page
        and 0 <= line.top - last.bottom < QUOTE_GAP * line.size
        and abs(line.x0 - last.x0) < 2 * line.size
    )


def _runs_over_page(group: list[Line], line: Line) -> bool:
    """An unfinished quote carried over to the top of the next page, in the same place."""
    return (
        line.page == group[-1].page + 1
        and not SENTENCE_END.search(group[-1].plain)
        and abs(line.x0 - group[0].x0) < 2 * line.size
    )


def _quote_like(group: list[Line], framed: bool) -> bool:
    """A quotation is a sentence of some length; a large heading is not. Framed or
    slanted display text counts even when the quote stops mid-sentence; coloured
    upright text must read as a sentence, since headings are often coloured too."""
    text = " ".join(ln.plain for ln in group).strip()
    if len(text) <= QUOTE_CHARS or text.isupper():
        return False
    return framed or all(ln.italic for ln in group) or bool(SENTENCE_END.search(text))


PAGE_SHARE = 0.6  # a pull-quote holds less than this share of its page's lines


def _bold_prefix(lines: list[Line]) -> list[Line]:
    """The item's lines cut after their opening run of bold spans."""
    out = []
    for ln in lines:
        spans: list[Span] = []
        for span in ln.spans:
            if not span.bold and not span.superscript and span.text.strip():
                if spans:
                    out.append(replace(ln, spans=spans))
                return out
            spans.append(span)
        out.append(ln)
    return []  # bold throughout: a bold item, not a lead-in


def _item_text(lines: list[Line], vocabulary: frozenset[str]) -> tuple[str | None, str, list[Ref]]:
    """A list item's bold lead-in (without its colon) and the rest of its text."""
    text, refs = join_lines(lines, vocabulary=vocabulary)
    lead, _ = join_lines(_bold_prefix(lines), with_markers=False, vocabulary=vocabulary)
    if not lead or not text.startswith(lead) or len(lead) >= len(text):
        return None, text, refs
    rest = text[len(lead) :].lstrip(" :.–—-")
    cut = len(text) - len(rest)
    return lead.rstrip(" :.–—-") or None, rest, [Ref(r.number, max(0, r.offset - cut)) for r in refs]


NUMBERED = re.compile(r"^\(?(\d{1,2}|[a-z])[.)]\s+(?=\S)")


def _split_number(line: Line) -> None:
    """'1. Strengthen ...' opening a block (not carrying on a sentence): a numbered
    list item, its number kept as the bullet."""
    match = NUMBERED.match(line.text)
    if not match or line.spans[0].superscript:
        return
    line.bullet = match.group(0).strip()
    cut = match.end()
    for span in line.spans:  # the number may be a span of its own, in another weight
        taken = min(cut, len(span.text))
        span.text, cut = span.text[taken:], cut - taken
    line.spans = [span for span in line.spans if span.text]


def _restore_dash(line: Line) -> None:
    """A dash taken for a bullet that actually continues a sentence goes back into the text."""
    line.spans[0].text = f"{line.bullet} {line.spans[0].text}"
    line.bullet = None


def _blocks(
    lines: list[Line], interrupted: set[int], types: set[tuple], style: DocumentStyle, body_color: tuple = BLACK
) -> list[tuple[str, list[Line]]]:
    """Lines to ('heading' | 'list_item' | 'paragraph', lines) blocks in reading order;
    `types` are the styles headings are set in."""
    body = style.body_size
    leading = usual_leading([ln for ln in lines if abs(ln.size - body) < BODY_TOLERANCE]) if lines else DEFAULT_LEADING
    edges = column_edges(lines)
    blocks: list[tuple[str, list[Line]]] = []
    for ln in lines:
        prev_kind, prev_lines = blocks[-1] if blocks else (None, [])
        if prev_lines and _leads_to(prev_lines[-1], ln):
            prev_lines.append(ln)  # a schedule's number, set apart from its entry on the row
            continue
        ended = bool(prev_lines) and _ends_entry(prev_lines)
        carries_on = (
            prev_kind == "paragraph"
            and not ended
            and continues(prev_lines[-1], ln, edges, leading, interrupted)
            and not finished(prev_lines[-1], edges[(prev_lines[-1].page, prev_lines[-1].column)][1])
        )
        # type of another size than the body's cannot carry on a body paragraph
        marked = (
            ln.bold or ln.size >= DISPLAY * body or abs(ln.size - body) > BODY_EXACT or section_number(ln) is not None
        )
        looks = ln.style in types and looks_like_heading(ln, style, body_color)
        if prev_kind == "heading" and _heading_goes_on(prev_lines[-1], ln, looks, body, body_color):
            prev_lines.append(ln)
            continue
        if prev_kind == "heading" and looks and _number_beside(prev_lines, ln):
            ln.bullet = prev_lines[0].plain  # '2<tab>Findings': the number set apart is the heading's
            blocks[-1] = ("heading", [ln])
            continue
        if prev_kind == "heading" and _first_line_of(prev_lines, ln, edges, leading, style):
            blocks[-1] = ("paragraph", prev_lines + [ln])
            continue
        if (
            looks
            and (marked or not carries_on)
            and not _lead_in_goes_on(prev_kind, prev_lines, ln, edges, leading, interrupted)
        ):
            blocks.append(("heading", [ln]))
            continue
        if ln.bullet and ln.bullet in DASHES and carries_on:
            _restore_dash(ln)
        if not ln.bullet and not carries_on:
            _split_number(ln)
        if ln.bullet:
            blocks.append(("list_item", [ln]))
            continue
        if (
            prev_kind in ("paragraph", "list_item")
            and not ended
            and continues(prev_lines[-1], ln, edges, leading, interrupted, hanging=prev_kind == "list_item")
        ):
            if prev_kind == "list_item" and _leaves_item(prev_lines, ln, edges):
                blocks.append(("paragraph", [ln]))
            else:
                prev_lines.append(ln)
            continue
        blocks.append(("paragraph", [ln]))
    return blocks


def _number_beside(heading: list[Line], line: Line) -> bool:
    """A heading that is only a bare number, with the heading's text beside it on its row."""
    number = heading[0]
    return (
        len(heading) == 1
        and number.plain.isdigit()
        and number.page == line.page
        and abs(number.bottom - line.bottom) < ROW_DRIFT * line.size
        and 0 < line.x0 - number.x1 < MARK_GAP * line.size
    )


def _lower(line: Line) -> bool:
    """Set in lower case (not capitals, small capitals or figures alone)."""
    return not line.small_caps and any(ch.islower() for ch in line.plain)


def _first_line_of(heading: list[Line], line: Line, edges: dict, leading: float, style: DocumentStyle) -> bool:
    """A bold line indented like a paragraph's first line, with body text going on under it
    at the text's spacing from the column's edge: a paragraph's bold lead-in that fills its
    first line, not a heading."""
    first = heading[0]
    left = edges[(first.page, first.column)][0]
    return (
        len(heading) == 1
        and first.bullet is None
        and style.is_body(line)
        and not line.bold
        and line.page == first.page
        and line.column == first.column
        and 0 < line.top - first.top <= PARAGRAPH_GAP * leading
        and first.x0 > left + INDENT * first.size
        and line.x0 <= left + 1
    )


def _heading_goes_on(last: Line, line: Line, looks: bool, body: float, body_color: tuple) -> bool:
    """The next line of a heading: its style, right under it. A line that does not look
    like a heading itself ('(2026-2030)') goes on one in other type than the body's
    that has not ended a sentence; not one marked by capitals alone, since a paragraph
    can open right under that in the same type; never a list item's first line, nor
    mixed case under capitals."""
    if line.style != last.style or line.page != last.page or not 0 <= line.top - last.bottom < line.size:
        return False
    if line.bullet is not None and section_number(line) is None or is_caps(last) and _lower(line):
        return False  # a list item's first line, or mixed case under capitals, starts something new
    if looks:
        return True
    body_type = abs(last.size - body) <= BODY_EXACT and not last.bold and last.color == body_color
    return not body_type and line.column == last.column and not STATEMENT_END.search(last.plain)


def _lead_in_goes_on(
    prev_kind: str | None, prev_lines: list[Line], line: Line, edges: dict, leading: float, interrupted: set[int]
) -> bool:
    """A bold line under a line that ends in bold words, at the text's spacing: the bold
    lead-in of an item or paragraph wrapping onto a line of its own (narrow columns),
    not a heading."""
    if prev_kind not in ("list_item", "paragraph") or not line.bold:
        return False
    last = prev_lines[-1]
    words = [span for span in last.spans if span.text.strip() and not span.superscript]
    return (
        bool(words)
        and words[-1].bold
        and not last.plain.rstrip().endswith(":")
        and not STATEMENT_END.search(last.plain)
        and continues(last, line, edges, leading, interrupted, hanging=prev_kind == "list_item")
    )


def _leaves_item(item: list[Line], line: Line, edges: dict) -> bool:
    """A line back at the column's left edge after an indented item is a new paragraph;
    not one under the item's last line (a column holding nothing but the item's
    continuation has its left edge there)."""
    left = edges[(line.page, line.column)][0]
    first = item[0]
    indented_item = (
        first.x0 > edges[(first.page, first.column)][0] + 0.5 * first.size
        or len(item) > 1
        and item[1].x0 > edges[(item[1].page, item[1].column)][0] + 0.5 * item[1].size
    )
    return (
        indented_item
        and line.x0 <= left + 1
        and line.x0 < item[-1].x0 - 1
        and line.page == item[-1].page
        and line.column == item[-1].column
    )


def layout_paper(
    paper: PaperDraft,
    lines: list[Line],
    pages: dict[int, Page],
    style: DocumentStyle,
    body_color: tuple,
    types: set[tuple],
    foot: set[int],
    markers: set[int],
    outline: list[OutlineEntry],
    diagnostics: Diagnostics,
) -> PaperBody:
    """A paper's lines given their roles: figures and pull-quotes taken out, small type
    (and the lines of `foot`, under a page's text) cut into notes, except in a list of
    references and where no marker of the document (`markers`) shows them to be notes, the
    rest cut into heading, list item and paragraph blocks, with the `outline`'s headings
    confirmed on their pages."""
    body = style.body_size
    result = PaperBody(paper)
    result.figures, figure_lines = find_figures(paper.paper_id, lines, pages, body)
    inserts, insert_lines = turned_inserts(paper.paper_id, lines, pages, figure_lines, len(result.figures) + 1)
    result.figures += inserts
    figure_lines += insert_lines
    taken = {id(ln) for ln in figure_lines}
    quotes = _pull_quote_groups(lines, pages, body, body_color, taken)
    for group in quotes:
        taken.update(id(ln) for ln in group)
    notes: list[Line] = []
    references = False
    text: Line | None = None
    for ln in lines:
        heading = looks_like_heading(ln, style, body_color)
        if heading and id(ln) not in taken and (ln.size >= SMALL_TYPE * body or references):
            references = bool(REFERENCES.match(ln.plain))
        if id(ln) in taken or text is not None and _wrapped_marker(text, ln):
            continue
        if (ln.size < SMALL_TYPE * body or id(ln) in foot) and not heading and not references:
            notes.append(ln)
        else:
            text = ln
    result.notes = split_notes(notes, diagnostics, paper.paper_id, result.symbol_notes)
    rejected = {id(n): n for n in uncited_lists(result.notes, markers) + tabular(result.notes)}
    for note in rejected.values():  # small type that is no note (a table's rows): back to the body
        result.notes.remove(note)
        notes = [ln for ln in notes if not any(ln is n for n in note.lines)]
    prose = _loose_prose(notes, {_spot(ln) for note in result.notes + result.symbol_notes for ln in note.lines}, body)
    notes = [ln for ln in notes if id(ln) not in prose]
    result.note_lines = notes
    taken |= {id(ln) for ln in notes}
    flow: list[Line] = []
    interrupted: set[int] = set()
    gap = False
    for ln in lines:
        if flow and not gap and _wrapped_marker(flow[-1], ln):
            flow[-1].spans.append(Span(ln.plain, ln.x0, ln.x1, ln.size, ln.bold, ln.italic, ln.color, True))
            continue
        if id(ln) in taken:
            gap = True
            continue
        if gap and flow:
            interrupted.add(id(ln))
        gap = False
        flow.append(ln)
    blocks = _blocks(flow, interrupted, types, style, body_color)
    blocks, repeated = _repeating(_declared(blocks, [e for e in outline if e.page in pages_of(paper)]), style)
    result.blocks = _without_notes_title(blocks)
    quotes = sorted(quotes + repeated, key=lambda g: (g[0].page, g[0].top))
    result.quote_lines, result.figure_lines = quotes, figure_lines
    return result


def _spot(line: Line) -> tuple[int, float, float]:
    """Where a line stands: a note's first line is a copy without its number, standing there."""
    return line.page, line.top, line.x0


def _loose_prose(small: list[Line], noted: set[tuple], body: float) -> set[int]:
    """Ids of the small-type lines that no note holds and that read as running text (a
    page or passage set in smaller type than the body, a schedule, a list of sections):
    runs of such lines, in reading order, most of which read as text (see `_text_lines`)
    standing alone on their row (not a table's cells or figures, not a chart's labels).
    A figure that dots lead to on its row is its entry's, not a cell beside it, a glyph
    standing alone without a letter or digit ('–', '¶') is a stray mark, not a cell, and a
    line in capitals heads what follows: none of them counts for or against the run. A run ends at a
    column break or a gap wider than a blank line; lines set on one row stay in one run."""
    runs: list[list[Line]] = []
    last: Line | None = None
    for ln in small:
        if _spot(ln) in noted or ln.size < LEGIBLE * body:
            last = None
            continue
        if (
            last is None
            or ln.page != last.page
            or ln.column != last.column
            or not -ROW_DRIFT * ln.size <= ln.top - last.top <= RUN_LEADING * ln.size
        ):
            runs.append([])
        runs[-1].append(ln)
        last = ln
    out: set[int] = set()
    for run in runs:
        led = _led_figures(run)
        entries = [ln for ln in run if id(ln) not in led and any(c.isalnum() for c in ln.plain)]
        cells = {id(a) for a in entries for b in entries if a is not b and a.top < b.bottom and b.top < a.bottom}
        counted = [ln for ln in entries if id(ln) in cells or not is_caps(ln)]
        text = _text_lines(entries, cells)
        if text and sum(id(ln) in text for ln in counted) >= PROSE_SHARE * len(counted):
            out.update(id(ln) for ln in run)
    return out


def _led_figures(run: list[Line]) -> set[int]:
    """Ids of the figures that a line ending in dots leads to on its row ('Barbital ......
    2145' set as two pieces): the number of a schedule's or a contents list's entry."""
    return {id(b) for b in run if any(_leads_to(a, b) for a in run if a is not b)}


def _ends_entry(lines: list[Line]) -> bool:
    """Lines closing with the number that dots lead to: an entry of a schedule or a list of
    contents ends there, and the next line is the next entry."""
    return bool(LED_NUMBER.search(lines[-1].plain)) or len(lines) > 1 and _leads_to(lines[-2], lines[-1])


def _leads_to(entry: Line, line: Line) -> bool:
    """`line` is the figure that `entry`'s closing dots lead to, set beside it on its row."""
    return (
        entry.page == line.page
        and bool(LED.search(entry.plain))
        and entry.x1 <= line.x0
        and entry.top < line.bottom
        and line.top < entry.bottom
        and reads_as_data([line])
    )


def _text_lines(lines: list[Line], cells: set[int]) -> set[int]:
    """Ids of the lines, none of them a cell, that read as text: lines of words (`_words`),
    entries of a numbered list ('1308.02 Definitions.'), and lines that carry on a text
    line left open above them (a word broken by a hyphen, a bracket not yet closed), however
    many figures they hold ('13967, Mar. 24, 1997]')."""
    out: set[int] = set()
    depth = 0  # brackets the text lines so far have opened and not closed
    broken = False  # the last text line ends in the middle of a word
    for ln in lines:
        if id(ln) in cells:
            depth, broken = 0, False
            continue
        if _words(ln) or ENTRY.match(ln.plain) or depth > 0 or broken:
            out.add(id(ln))
            depth = max(0, depth + sum(ln.plain.count(c) for c in "([") - sum(ln.plain.count(c) for c in ")]"))
            broken = bool(BROKEN_WORD.search(ln.plain))
        else:
            depth, broken = 0, False
    return out


def _words(line: Line) -> bool:
    """A line of running text: `PROSE_WORDS` words or more, or an entry led by dots to its
    number (a schedule, a list of contents), not a table's row."""
    words = [w for w in line.plain.split() if any(c.isalpha() for c in w)]
    return (len(words) >= PROSE_WORDS or bool(words) and bool(LEADER.search(line.plain))) and not reads_as_data([line])


# An entry of a numbered list: a section number ('1308.02') or an item's ('(ii)', '3.') and a word.
ENTRY = re.compile(r"^(?:\d+(?:\.\d+)+|\(?(?:\d{1,3}|[ivx]{1,4}|[a-z])[.)])\s+(?=[^\W\d_])")
BROKEN_WORD = re.compile(r"\S-$")  # a line ending in a word broken by a hyphen
LED = re.compile(r"[.…·]{3,}\s*$")  # a line ending in dots that lead the eye to a number
LED_NUMBER = re.compile(r"[.…·]{3,}\s*\d[\d.,]*$")  # ... and the number they lead to
LEGIBLE = 0.6  # share of the body size under which small type is a chart's labels, not text
RUN_LEADING = 2.0  # ems between the tops of two lines of one run of small type
PROSE_WORDS = 4  # words on a line of running text (a table's cell holds fewer)
PROSE_SHARE = 0.7  # share of a run of small type in such lines that makes it running text (a table has its labels)


def read_paper(result: PaperBody, levels: dict[int, int], vocabulary: frozenset[str], diagnostics: Diagnostics) -> None:
    """A laid-out paper's sections, paragraphs and pull-quotes, its headings at `levels`."""
    _read_blocks(result, result.blocks, levels, vocabulary, diagnostics)
    for i, group in enumerate(result.quote_lines, start=1):
        text, _ = join_lines(group, with_markers=False, vocabulary=vocabulary)
        result.pull_quotes.append(
            PullQuoteDraft(
                f"{result.paper.paper_id}-q{i:02d}",
                text,
                _source_paragraph(text, group[0].page, result.paragraphs),
                group[0].page,
                group,
            )
        )


def foot_lines(page: Page, style: DocumentStyle) -> list[Line]:
    """Lines in type smaller than the body standing under all of the body text of their
    column: the notes at the foot of the page, whatever their size."""
    text = [ln for ln in page.lines if abs(ln.size - style.body_size) <= BODY_EXACT]
    out = []
    for ln in page.lines:
        if ln.size > style.body_size - FOOT_SMALLER:
            continue
        above = [t for t in text if t.x0 < ln.x1 and ln.x0 < t.x1]
        if above and ln.top >= max(t.bottom for t in above):
            out.append(ln)
    return out


def _repeating(
    blocks: list[tuple[str, list[Line]]], style: DocumentStyle
) -> tuple[list[tuple[str, list[Line]]], list[list[Line]]]:
    """Display copies of the text found as headings or display paragraphs: a block in bold or
    display type that reads as a sentence (not numbered, not in capitals, as headings are),
    whose words the paragraphs printed within a few pages repeat, is a pull-quote whatever
    it looks like (bold, centred, boxed across the page). A heading numbered as a legal
    section ('§ 12.44 Request for hearing') is no quote when a list of sections repeats it."""
    text: dict[int, list[str]] = {}
    for kind, lines in blocks:
        if kind != "heading":
            for ln in lines:
                text.setdefault(ln.page, []).append(ln.plain)
    kept, quotes = [], []
    for kind, lines in blocks:
        first = lines[0]
        if (kind == "heading" or first.bold or style.is_display(first)) and _repeats(lines, text):
            quotes.append(lines)
        else:
            kept.append((kind, lines))
    return kept, quotes


def _repeats(lines: list[Line], text: dict[int, list[str]]) -> bool:
    """The lines read as a sentence (not numbered, not a legal section's heading, not in
    capitals) whose words `text`, the
    lines of the paragraphs by page, repeats within a few pages (the lines' own aside)."""
    own = [ln.plain for ln in lines]
    words = " ".join(own)
    first = lines[0]
    sentence = SENTENCE_END.search(words) or len(words.split()) >= 2 * QUOTE_WORDS
    if not (
        sentence
        and len(words.split()) >= QUOTE_WORDS
        and not is_caps(first)
        and section_number(first) is None
        and not LEGAL_NUMBER.match(first.plain)
    ):
        return False
    # the lines' own text, as `text` holds it: the very same strings, told apart by identity
    # (a line's text made anew never is one of them), looked up in a set, not line by line
    ours = {id(plain) for plain in own}
    nearby = " ".join(
        t
        for page in range(first.page - QUOTE_REACH[0], first.page + QUOTE_REACH[0] + 1)
        for t in text.get(page, [])
        if id(t) not in ours
    )
    if not nearby:
        return False
    # scored only down to a little under SURE_MATCH: rapidfuzz gives up on what cannot reach it
    return fuzz.partial_ratio(_folded(words), _folded(nearby), score_cutoff=SURE_MATCH - CUTOFF_SLACK) >= SURE_MATCH


QUOTE_WORDS = 8  # a display block this many words long may be a copy of the text
LEGAL_NUMBER = re.compile(r"^§+\s*\d")  # '§1308.44': a legal section's number, which headings open with


def pages_of(paper: PaperDraft) -> range:
    return range(paper.page_start, paper.page_end + 1)


def _declared(blocks: list[tuple[str, list[Line]]], entries: list[OutlineEntry]) -> list[tuple[str, list[Line]]]:
    """Blocks with the headings the outline declares made sure of: where the opening lines
    of a paragraph or item on an entry's page read as its title (numbers aside, any case),
    those lines are a heading of their own, cut from what follows them (a heading set in
    type the typography alone did not take for one). A heading is left whole: producers
    cut long titles short in the outline."""
    out = list(blocks)
    for entry in entries:
        title = _folded(entry.title)
        for i, (kind, lines) in enumerate(out):
            if lines[0].page != entry.page or kind == "heading":
                continue
            k = next(
                (
                    k
                    for k in range(1, min(len(lines), MAX_HEADING_LINES) + 1)
                    if _reads_as(_folded(heading_text(lines, " ".join(ln.plain for ln in lines[:k]))), title)
                ),
                None,
            )
            if k is None:
                continue
            rest = [(kind, lines[k:])] if k < len(lines) else []
            out[i : i + 1] = [("heading", lines[:k]), *rest]
            break
    return out


def _reads_as(text: str, title: str) -> bool:
    """The whole of `text` is the title (not a run-in heading with its paragraph after it)."""
    return fuzz.ratio(text, title) >= DECLARED_MATCH and len(text) <= len(title) + DECLARED_SLACK


def _folded(text: str) -> str:
    """A heading's words for comparison: no section number, no case, no punctuation."""
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    while words and (words[0].isdigit() or re.fullmatch(r"[ivxl]+|[a-z]", words[0])):
        words = words[1:]
    return " ".join(words)


DECLARED_MATCH = 92  # fuzzy ratio at which lines read as an outline entry's title
DECLARED_SLACK = 3  # characters lines may run past the title they read as
MAX_HEADING_LINES = 4


def _without_notes_title(blocks: list[tuple[str, list[Line]]]) -> list[tuple[str, list[Line]]]:
    """A 'Notes' heading with nothing but notes after it titles the endnotes: it is not a
    section of the paper."""
    while blocks and blocks[-1][0] == "heading" and NOTES_HEADING.match(blocks[-1][1][0].plain):
        blocks = blocks[:-1]
    return blocks


def _wrapped_marker(prev: Line, line: Line) -> bool:
    """A note number pushed onto a line of its own by the line break: small digits
    alone, right under the end of a body line of the same column."""
    return (
        line.plain.isdigit()
        and len(line.plain) <= NOTE_DIGITS
        and line.size < SUPERSCRIPT * prev.size
        and line.page == prev.page
        and line.column == prev.column
        and 0 < line.top - prev.bottom < prev.size
        and not prev.spans[-1].superscript
    )


def _body_color(lines: list[Line], body: float) -> tuple:
    counts: dict[tuple, int] = {}
    for ln in lines:
        if abs(ln.size - body) < BODY_EXACT:
            counts[ln.color] = counts.get(ln.color, 0) + len(ln.text)
    return max(counts, key=counts.__getitem__) if counts else BLACK


def _read_blocks(
    result: PaperBody,
    blocks: list[tuple[str, list[Line]]],
    levels: dict[int, int],
    vocabulary: frozenset[str],
    diagnostics: Diagnostics,
) -> None:
    pid = result.paper.paper_id
    open_sections: list[SectionDraft] = []  # the enclosing section at each level, outermost first
    current: SectionDraft | None = None
    last_heading_had_text = True

    current_look: tuple = ()

    def report_if_empty(next_look: tuple | None) -> None:
        """A heading followed by nothing, by a larger heading or by one that looks
        the same (not a subheading) heads no text."""
        if current is None or last_heading_had_text:
            return
        if next_look is None or next_look[0] > current_look[0] or next_look == current_look:
            diagnostics.add(
                "empty-section", f"heading '{current.heading}' has no text under it", page=current.page, paper_id=pid
            )

    for kind, lines in blocks:
        if kind == "heading":
            level = min(levels.get(id(lines[0]), 2), len(open_sections) + 1)  # no level skipped
            look = (lines[0].size, lines[0].style, lines[0].plain.isupper())
            report_if_empty(look)
            heading = heading_text(lines, join_lines(lines, with_markers=False, vocabulary=vocabulary)[0])
            result.heading_refs.update(r.number for r in join_lines(lines)[1])
            del open_sections[level - 1 :]
            section = SectionDraft(
                f"{pid}-s{len(result.sections) + 1:02d}",
                open_sections[-1].section_id if open_sections else None,
                level,
                heading,
                lines[0].page,
                len(result.sections) + 1,
                lines,
            )
            result.sections.append(section)
            open_sections.append(section)
            current, current_look = section, look
            last_heading_had_text = False
            continue
        last_heading_had_text = True
        if kind == "list_item":
            lead, text, refs = _item_text(lines, vocabulary)
        else:
            lead = None
            text, refs = join_lines(lines, vocabulary=vocabulary)
        if not text and not lead:
            continue
        result.paragraphs.append(
            ParagraphDraft(
                f"{pid}-para{len(result.paragraphs) + 1:03d}",
                current.section_id if current else None,
                kind,
                lead,
                text,
                refs,
                lines[0].page,
                lines[-1].page,
                len(result.paragraphs) + 1,
                lines,
            )
        )
    report_if_empty(None)


QUOTE_REACH = 2, 12  # pages between a pull-quote and its source: searched first, searched at most
SURE_MATCH, LIKELY_MATCH, FULL_MATCH = 90, 70, 100.0
# Score points under a threshold that rapidfuzz is told to score down to (`score_cutoff`): it
# gives 0 for what falls short and the score itself for the rest, save perhaps at the cut-off's
# very edge, which this keeps off the threshold.
CUTOFF_SLACK = 0.01


def _source_paragraph(quote: str, page: int, paragraphs: list[ParagraphDraft]) -> str | None:
    """The paragraph a pull-quote copies. Display copies are set on or near the pages of
    their source, so the search starts there and never goes further than a few spreads:
    scoring every paragraph for every quote would grow with the square of a paper's length
    (a book read as one paper)."""
    for reach in QUOTE_REACH:
        nearby = [p for p in paragraphs if p.page_start - reach <= page <= p.page_end + reach]
        best, score = _best_match(quote, nearby)
        if score >= SURE_MATCH:
            break
    return best if score >= LIKELY_MATCH else None


def _best_match(quote: str, paragraphs: list[ParagraphDraft]) -> tuple[str | None, float]:
    """The first of the paragraphs that scores best against the quote, and its score. A
    paragraph that holds the quote whole (or that the quote holds whole) scores the most
    there is, 100: the first such is found by a plain search. The others are scored only
    as far as the best so far (rapidfuzz gives up on one that cannot beat it)."""
    eligible = [p for p in paragraphs if len(p.text) >= len(quote) * 0.5]
    if quote:
        whole = next((p for p in eligible if quote in p.text or p.text in quote), None)
        if whole is not None:
            return whole.paragraph_id, FULL_MATCH
    best, best_score = None, 0.0
    for p in eligible:
        score = fuzz.partial_ratio(quote, p.text, score_cutoff=best_score)
        if score > best_score:
            best, best_score = p.paragraph_id, score
    return best, best_score


def extract_body(
    pages: list[Page],
    papers: list[PaperDraft],
    style: DocumentStyle,
    diagnostics: Diagnostics,
    outline: Sequence[OutlineEntry] = (),
    *,
    by_number: dict[int, Page],
) -> list[PaperBody]:
    """Stage entry: every paper's sections, paragraphs, pull-quotes, figures and note lines.
    Heading levels are decided across all papers at once, from every heading found; the
    PDF's `outline` confirms headings on their pages; `by_number` indexes `pages` (model.page_index)."""
    vocabulary = vocabulary_of([ln for p in pages for ln in p.lines])
    all_lines = [paper_lines(by_number, p) for p in papers]
    body_color = _body_color([ln for lines in all_lines for ln in lines], style.body_size)
    types = heading_types(all_lines, style, body_color)
    foot = {id(ln) for p in pages for ln in foot_lines(p, style)}
    markers = {r.number for lines in all_lines for ln in lines for r in join_lines([ln])[1]}
    bodies = [
        layout_paper(p, lines, by_number, style, body_color, types, foot, markers, list(outline), diagnostics)
        for p, lines in zip(papers, all_lines)
    ]
    levels = assign_levels([[lines for kind, lines in b.blocks if kind == "heading"] for b in bodies])
    for b in bodies:
        read_paper(b, levels, vocabulary, diagnostics)
    return bodies
