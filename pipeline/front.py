"""Front matter: the sections listed before the first chapter and their signatures; the
contributing organisations (organisations.py) and the list of acronyms (acronyms.py)
read from them.

Sections are found from the TOC's front entries (verified on the page) or, with
no TOC to guide, from page headings. What a section holds is read from its
layout only: a two-column short/long list is an acronym list, a run of short
bold subheadings each over a paragraph is a list of organisations, and a short
bold name closing a section over a role line is a signature.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from compendium_corpus.acronyms import acronym_pairs
from compendium_corpus.lines import DASHES
from compendium_corpus.model import Diagnostics, Line, Page
from compendium_corpus.organisations import Block, organisations
from compendium_corpus.structure import SAME_TITLE, Structure, rows
from compendium_corpus.style import DISPLAY, SMALL_TYPE, TITLE
from compendium_corpus.text import (
    PARAGRAPH_GAP,
    column_edges,
    continues,
    finished,
    is_short,
    join_lines,
    split_paragraphs,
    usual_leading,
    vocabulary_of,
)

YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
PAGE_DRIFT = (0, 1, -1, 2, -2, 3, -3)  # physical pages tried around a front entry's, nearest first (papers: 4 away)
HEADING_MATCH = 0.85  # similarity at which display lines read as a front entry's heading
SUBHEADING_SIZE = 1.5  # a bold subheading is set at most this many times the body size
SIGNATURE_GAP = 1.6  # line pitches of blank at least between a section's text and its signature
SIGNATURE_LINES = 4  # lines a signature block holds at most


@dataclass(slots=True)
class Section:
    title: str
    page: int
    lines: list[Line]  # body of the section in reading order, heading excluded
    heading: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class FrontSectionDraft:
    section_id: str
    title: str
    text: str
    signature_name: str | None
    signature_role: str | None
    lines: list[Line]  # its heading and text as printed


@dataclass(slots=True)
class FrontMatter:
    sections: list[FrontSectionDraft] = field(default_factory=list)
    organisations: list[tuple[str, str]] = field(default_factory=list)  # (name, description)
    acronyms: list[tuple[str, str]] = field(default_factory=list)  # (short form, long form)


def extract_front(
    pages: list[Page],
    structure: Structure,
    body: float,
    diagnostics: Diagnostics,
    described: Sequence[Line] = (),
    *,
    by_number: dict[int, Page],
) -> FrontMatter:
    """Stage entry: the front-matter sections with their signatures, the contributing
    organisations, the acronyms; and, as sections of their own, a contents list and what
    a single document's title page prints besides its title, its byline and what the
    documents row took from it (`described`: series, volume, editor, publisher)."""
    out = FrontMatter()
    vocabulary = vocabulary_of([ln for p in pages for ln in p.lines])
    for section in _find_sections(pages, by_number, structure, body, diagnostics):
        pairs = acronym_pairs(section.lines, vocabulary)
        signature: tuple[str | None, str | None] | None = None
        if pairs:
            out.acronyms += pairs
            text = "\n\n".join(f"{short} {long_}" for short, long_ in pairs)
            _check_acronyms(pairs, section, diagnostics)
        else:
            lines, signature = _split_signature(section.lines)
            blocks = _to_blocks(lines, body, vocabulary)
            text = "\n\n".join(b.text for b in blocks)
            out.organisations += organisations(blocks)
        if not text:
            diagnostics.add("front-section-empty", f"front section '{section.title}' has no text", page=section.page)
        out.sections.append(
            FrontSectionDraft(
                _slug(section.title), section.title, text, *(signature or (None, None)), section.heading + section.lines
            )
        )
    taken = {id(ln) for ln in described}
    for section_id, title, lines in (
        ("contents", "Contents", structure.contents_lines),
        ("title-page", "Title page", [ln for ln in structure.title_page_lines if id(ln) not in taken]),
    ):
        if lines:
            text = "\n".join(" ".join(ln.plain for ln in row) for row in rows(lines))
            out.sections.append(FrontSectionDraft(section_id, title, text, None, None, lines))
    return out


# --- finding the sections -------------------------------------------------------------------


def _find_sections(
    pages: list[Page], by_number: dict[int, Page], structure: Structure, body: float, diagnostics: Diagnostics
) -> list[Section]:
    if structure.front_entries:
        starts = _starts_from_toc(by_number, structure, body, diagnostics)
        last_page = max([structure.first_body_page - 1] + [s[1] for s in starts])
    else:
        starts, last_page = _starts_from_headings(pages, structure, body)
    skip = set(structure.toc_pages)
    sections = []
    for i, (title, page_no, heading) in enumerate(starts):
        stop = starts[i + 1][2][0] if i + 1 < len(starts) else None
        lines = _lines_between(by_number, page_no, heading[-1], stop, last_page, skip)
        sections.append(Section(title, page_no, lines, heading))
    return sections


def _starts_from_toc(
    pages: dict[int, Page], structure: Structure, body: float, diagnostics: Diagnostics
) -> list[tuple[str, int, list[Line]]]:
    """Each front entry's heading, looked for on its page and, failing that, on nearby pages
    (the printed page numbers of front matter are often off by one or two)."""
    starts = []
    for entry in structure.front_entries:
        expected = entry.page + structure.page_offset
        found = _find_heading(pages, expected, entry.title, body)
        if found is None:
            diagnostics.add(
                "front-entry-not-found",
                f"front entry '{entry.title}' listed on page {entry.page} has no matching "
                f"heading on physical page {expected} or near it",
                page=expected if expected in pages else None,
            )
            continue
        page_no, heading = found
        if page_no in structure.toc_pages:
            continue  # the TOC listing itself
        printed = _text(heading)
        if page_no != expected:
            diagnostics.add(
                "front-page-differs",
                f"front entry '{entry.title}' is listed on page {entry.page} but starts on "
                f"physical page {page_no} (expected {expected})",
                page=page_no,
            )
        if _similarity(printed, entry.title) < SAME_TITLE:
            diagnostics.add(
                "front-title-differs",
                f"TOC lists '{entry.title}', the page prints '{printed}'; the page wins",
                page=page_no,
            )
        starts.append((printed, page_no, heading))
    return sorted(starts, key=lambda s: (s[1], pages[s[1]].lines.index(s[2][0])))


def _find_heading(pages: dict[int, Page], expected: int, title: str, body: float) -> tuple[int, list[Line]] | None:
    for delta in PAGE_DRIFT:
        page = pages.get(expected + delta)
        if page is None:
            continue
        for group in _display_groups(page, body):
            if _similarity(_text(group), title) >= HEADING_MATCH:
                return page.number, group
    return None


def _display_groups(page: Page, body: float) -> list[list[Line]]:
    """Runs of consecutive lines set larger than body text or bold, one style per run:
    the candidates for a printed heading."""
    groups: list[list[Line]] = []
    current: list[Line] = []
    for ln in page.lines:
        if not (ln.bold or ln.size >= DISPLAY * body):
            current = []
        elif current and current[-1].style == ln.style and ln.top - current[-1].bottom < ln.size:
            current.append(ln)
        else:
            current = [ln]
            groups.append(current)
    return groups


def _starts_from_headings(
    pages: list[Page], structure: Structure, body: float
) -> tuple[list[tuple[str, int, list[Line]]], int]:
    """Without front entries: pages opening with a large bold heading, after the cover and
    the TOC, and the last page of the front matter: the page before the first paper or,
    with no paper found, before the first page whose heading is set in another style (a
    chapter or paper opener)."""
    first = max([1] + structure.toc_pages) + 1
    end = structure.first_body_page - 1 if structure.papers else pages[-1].number
    starts, style = [], None
    for page in pages:
        if not first <= page.number <= end:
            continue
        heading = _page_heading(page, body)
        if heading is None:
            continue
        if style is None:
            style = heading[0].style
        elif heading[0].style != style:
            return starts, page.number - 1
        starts.append((_text(heading), page.number, heading))
    return starts, end


def _page_heading(page: Page, body: float) -> list[Line] | None:
    """The first lines of a page when they are bold and set much larger than body text."""
    if not page.lines:
        return None
    top = min(page.lines, key=lambda ln: ln.top)
    if not (top.bold and top.size >= TITLE * body):
        return None
    return next(g for g in _display_groups(page, body) if top in g)


def _lines_between(
    pages: dict[int, Page], page_no: int, after: Line, stop: Line | None, last_page: int, skip: set[int]
) -> list[Line]:
    """Lines in reading order after the heading `after`, up to the line `stop` (the next
    section's heading) or the end of `last_page`."""
    out: list[Line] = []
    started = False
    for number in range(page_no, last_page + 1):
        page = pages.get(number)
        if page is None or number in skip:
            continue
        for ln in page.lines:
            if ln is stop:
                return out
            if started:
                out.append(ln)
            started = started or ln is after
    return out


# --- text -----------------------------------------------------------------------------------


def _text(lines: list[Line], vocabulary: frozenset[str] = frozenset()) -> str:
    return join_lines(lines, vocabulary=vocabulary)[0]


def _slug(title: str) -> str:
    return re.sub(r"[^\w]+", "-", title.lower()).strip("-") or "section"


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u2013", "-").replace("\u2014", "-")).strip().lower()


def _similarity(a: str, b: str) -> float:
    return fuzz.ratio(_fold(a), _fold(b)) / 100


def _is_subheading(line: Line, body: float) -> bool:
    """A bold line at about body size, not a list item: an in-section heading or a name."""
    return line.bold and SMALL_TYPE * body <= line.size <= SUBHEADING_SIZE * body and line.bullet is None


def _to_blocks(lines: list[Line], body: float, vocabulary: frozenset[str] = frozenset()) -> list[Block]:
    """Subheadings (consecutive bold lines, possibly across a break) and paragraphs."""
    blocks: list[Block] = []
    run: list[Line] = []
    heading: list[Line] = []

    def flush_run() -> None:
        blocks.extend(Block("paragraph", _text(p, vocabulary)) for p in split_paragraphs(run))
        run.clear()

    def flush_heading() -> None:
        if heading:
            blocks.append(Block("heading", _text(heading, vocabulary)))
            heading.clear()

    for ln in _dashes_restored(lines):
        if _is_subheading(ln, body):
            flush_run()
            if heading and _same_flow(heading[-1], ln) and ln.top - heading[-1].bottom > ln.size:
                flush_heading()
            heading.append(ln)
        else:
            flush_heading()
            run.append(ln)
    flush_run()
    flush_heading()
    return [b for b in blocks if b.text]


def _dashes_restored(lines: list[Line]) -> list[Line]:
    """A dash opening a line that layout took for a list bullet goes back into the text when
    the line carries on an unfinished sentence of a paragraph (not of a list item) at its
    line spacing: 'closing altogether' / '– it helped keep'. The lines are copied, not changed."""
    if not lines:
        return lines
    leading = usual_leading(lines)
    edges = column_edges(lines)
    out: list[Line] = [lines[0]]
    in_item = lines[0].bullet is not None
    for ln in lines[1:]:
        prev = out[-1]
        right = edges[(prev.page, prev.column)][1]
        carries_on = continues(prev, ln, edges, leading, set()) and not finished(prev, right)
        if ln.bullet and ln.bullet in DASHES and carries_on and not in_item and not prev.bold and ln.spans:
            first = replace(ln.spans[0], text=f"{ln.bullet} {ln.spans[0].text}")
            ln = replace(ln, spans=[first] + ln.spans[1:], bullet=None)
        elif ln.bullet is not None:
            in_item = True
        elif not _same_flow(prev, ln) or ln.top - prev.top > PARAGRAPH_GAP * leading:
            in_item = False  # a list item ends at a gap, whatever the indents
        out.append(ln)
    return out


def _same_flow(a: Line, b: Line) -> bool:
    return (a.page, a.column) == (b.page, b.column)


# --- signatures -----------------------------------------------------------------------------


def _split_signature(lines: list[Line]) -> tuple[list[Line], tuple[str, str | None] | None]:
    """A foreword or preface closes with a block of short lines set apart by space: a bold
    name, then role lines, possibly a slanted place/date. Returns the lines without the
    block and (name, role), or the lines unchanged and None."""
    block = _closing_block(lines)
    if len(block) < 2 or not block[0].bold or any(ln.bold for ln in block[1:]):
        return lines, None
    rest = block[1:]
    if len(rest) > 1 and (rest[-1].italic or YEAR.search(rest[-1].plain)):
        rest = rest[:-1]  # place and date
    role = join_lines(rest, with_markers=False)[0] or None
    return lines[: len(lines) - len(block)], (block[0].plain, role)


def _closing_block(lines: list[Line]) -> list[Line]:
    """The last lines of a section when they are few, short, closely set and separated
    from the text above by a wider gap (or a page or column break)."""
    if len(lines) < 2:
        return []
    leading = usual_leading(lines)
    right = max(ln.x1 for ln in lines)
    block = [lines[-1]]
    for ln in reversed(lines[:-1]):
        nxt = block[0]
        if not _same_flow(ln, nxt) or nxt.top - ln.top > SIGNATURE_GAP * leading:
            break
        block.insert(0, ln)
        if len(block) > SIGNATURE_LINES:
            return []
    if len(block) == len(lines) or any(not is_short(ln, right) for ln in block):
        return []
    return block


# --- checks ---------------------------------------------------------------------------------


def _check_acronyms(pairs: list[tuple[str, str]], section: Section, diagnostics: Diagnostics) -> None:
    seen: dict[str, str] = {}
    for short, long_ in pairs:
        if short in seen and seen[short] != long_:
            diagnostics.add(
                "acronym-repeated",
                f"acronym '{short}' is listed twice: '{seen[short]}' and '{long_}'",
                page=section.page,
            )
        seen[short] = long_
