"""Footnotes and endnotes: each note's number, plain text, links and citing paragraphs.

The body stage hands over every paper's notes, cut from its small-type lines
(`PaperBody.notes`, see `notesplit`): endnotes after the paper, notes at the
foot of its pages, or both. Here each is read as text with its links, linked to
the paragraphs citing it, and checked: numbering gaps, repeats and restarts,
markers without notes and notes never cited go to diagnostics. One list printed
for several papers is shared out by the numbers each cites.

Every rule reads typography, geometry and the numbering, never the words of
one particular document.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from compendium_corpus.body import PaperBody
from compendium_corpus.model import Diagnostics, Line, Link, Page
from compendium_corpus.notesplit import NOTE_SYMBOLS, Note
from compendium_corpus.structure import PaperDraft
from compendium_corpus.text import join_lines, vocabulary_of

LINK_OVERLAP = 0.4  # share of a line's height a link's box must cover to be the line's link


def _overlaps(link: Link, line: Line) -> bool:
    height = min(link.bottom - link.top, line.bottom - line.top) or 1.0
    vertical = min(link.bottom, line.bottom) - max(link.top, line.top)
    return vertical >= LINK_OVERLAP * height and link.x0 < line.x1 and link.x1 > line.x0


def note_urls(note: Note, pages: dict[int, Page], used: set[int]) -> list[str]:
    """Targets of the link annotations over the note's lines, in reading order. One link
    broken over a line end is two annotations with one target, the first reaching the
    end of its line and the second starting the next: it counts once."""
    found: list[tuple[int, Link]] = []
    for i, line in enumerate(note.lines):
        page = pages.get(line.page)
        if page is None:
            continue
        here = [link for link in page.links if id(link) not in used and _overlaps(link, line)]
        for link in sorted(here, key=lambda found: found.x0):
            used.add(id(link))
            found.append((i, link))
    urls: list[str] = []
    last: tuple[int, Link] | None = None
    for i, link in found:
        if last is None or not _one_link(note.lines, last, (i, link)):
            urls.append(link.uri)
        last = (i, link)
    return urls


def _one_link(lines: list[Line], a: tuple[int, Link], b: tuple[int, Link]) -> bool:
    """Whether two annotations in a row are pieces of one link."""
    (i, first), (j, second) = a, b
    if first.uri != second.uri:
        return False
    size = lines[j].size
    if j == i:
        return second.x0 - first.x1 < size
    return j == i + 1 and first.x1 >= lines[i].x1 - 2 * size and second.x0 <= lines[j].x0 + 2 * size


def _check(body: PaperBody, notes: list[Note], diagnostics: Diagnostics) -> None:
    """Numbering and citation consistency: the slips a careful reader would flag."""
    pid = body.paper.paper_id
    numbers = [n.number for n in notes]
    cited: dict[int, list] = {}
    order: list[int] = []
    for p in body.paragraphs:
        for r in p.refs:
            if r.number not in cited:
                order.append(r.number)
            cited.setdefault(r.number, []).append(p)
    have = set(numbers)
    for number, paras in cited.items():
        if number not in have:
            diagnostics.add(
                "marker-without-note",
                f"marker {number} (in {paras[0].paragraph_id}) has no note {number}",
                page=paras[0].page_start,
                paper_id=pid,
            )
        if len(paras) > 1:
            diagnostics.add(
                "marker-repeat",
                f"note {number} is cited {len(paras)} times ({', '.join(p.paragraph_id for p in paras)})",
                page=paras[1].page_start,
                paper_id=pid,
            )
    for note in notes:
        if note.number not in cited and note.number not in body.heading_refs:
            diagnostics.add(
                "note-never-cited", f"note {note.number} is never cited in the body", page=note.page, paper_id=pid
            )
    for number, count in Counter(numbers).items():
        if count > 1:
            page = [n.page for n in notes if n.number == number][1]
            diagnostics.add(
                "numbering-repeat", f"note number {number} is printed {count} times", page=page, paper_id=pid
            )
    for before, after in zip(notes, notes[1:]):
        if after.number < before.number:
            diagnostics.add(
                "numbering-out-of-order",
                f"note {after.number} follows note {before.number}",
                page=after.page,
                paper_id=pid,
            )
    if numbers:
        missing = [n for n in range(min(numbers), max(numbers)) if n not in have]
        if missing:
            diagnostics.add(
                "numbering-gap",
                f"no note numbered {', '.join(map(str, missing))} between {min(numbers)} and {max(numbers)}",
                page=notes[0].page,
                paper_id=pid,
            )
    if any(b < a for a, b in zip(order, order[1:])):
        diagnostics.add(
            "citation-out-of-order",
            f"notes are first cited in the order {order}",
            page=body.paper.page_start,
            paper_id=pid,
        )


def _cited(body: PaperBody) -> set[int]:
    return {r.number for p in body.paragraphs for r in p.refs} | body.heading_refs


def _shared_lists_split(bodies: list[PaperBody], notes: list[list[Note]], diagnostics: Diagnostics) -> list[list[Note]]:
    """One list of notes serving several papers (a chapter's endnotes after its last paper)
    is split by the numbers each paper cites: a note that its own paper never cites goes to
    the one other paper that cites its number and has no note of that number."""
    cited = [_cited(b) for b in bodies]
    out = [list(n) for n in notes]
    for i, own in enumerate(notes):
        for note in own:
            if note.number in cited[i]:
                continue
            takers = [
                j
                for j in range(len(bodies))
                if j != i and note.number in cited[j] and all(n.number != note.number for n in out[j])
            ]
            if len(takers) == 1:
                out[i].remove(note)
                out[takers[0]].append(note)
    for i, (before, after) in enumerate(zip(notes, out)):
        moved = len(after) - len(before)
        if moved > 0:
            diagnostics.add(
                "notes-shared",
                f"{moved} note(s) of a list printed with another paper are cited here and given to it",
                page=after[0].page,
                paper_id=bodies[i].paper.paper_id,
            )
    return out


# A note naming one of these is an affiliation; one thanking, funding or speaking of the
# authors' shares is a note about them, whatever institution it names.
INSTITUTION = re.compile(
    r"\b(?:universit|institut|department|dept\b|faculty|school|college|academy|centre|center|"
    r"laborator|ministry|hospital|foundation|agency|corporation|company|inc\b|ltd\b)",
    re.I,
)
STATEMENT = re.compile(r"\b(?:support|fund|grant|thank|acknowledg|contribut|correspond)", re.I)
HEADER_MARK = re.compile(f"(\\d{{1,3}}|[{NOTE_SYMBOLS}]+)")


def _header_marks(paper: PaperDraft) -> dict[str, set[int]]:
    """The marks printed on a paper's title and byline, raised or glued to a name as a
    symbol: each with the positions in `paper.authors` of the names it follows (none for
    a mark on the title). A line naming no author holds no mark; one opening with a raised
    mark (an affiliation printed in the title block) is that mark's note, so a note of
    that number at the page's foot is another one."""
    names = [re.sub(r"\s+", " ", a.name).casefold() for a in paper.authors]
    title = {id(ln) for ln in paper.title_lines}
    marks: dict[str, set[int]] = {}
    printed: set[str] = set()
    for line in paper.header_lines:
        first = next((s for s in line.spans if s.text.strip()), None)
        if first is not None and first.superscript:
            printed.update(HEADER_MARK.findall(first.text))
        text = ""
        for span in line.spans:
            pieces = [span.text] if span.superscript else re.split(f"([{NOTE_SYMBOLS}]+)", span.text)
            for k, piece in enumerate(pieces):
                if not span.superscript and k % 2 == 0:
                    text = re.sub(r"\s+", " ", text + piece).casefold()
                    continue
                ends = {i: text.rfind(n) + len(n) for i, n in enumerate(names) if n and n in text}
                if not ends and id(line) not in title:
                    continue
                owners = {max(ends, key=lambda i: ends[i])} if ends else set()
                for mark in HEADER_MARK.findall(piece):
                    marks.setdefault(mark, set()).update(owners)
    return {mark: owners for mark, owners in marks.items() if mark not in printed}


def _author_notes(body: PaperBody, vocabulary: frozenset[str]) -> list[Note]:
    """The paper's notes hung on its title or byline, printed on the page of its title;
    an affiliation among them goes to the authors carrying its mark that have none."""
    marks = _header_marks(body.paper)
    page = body.paper.title_lines[0].page if body.paper.title_lines else body.paper.page_start
    found = [n for n in body.notes + body.symbol_notes if n.page == page and (n.mark or str(n.number)) in marks]
    affiliations: dict[int, list[tuple[str, list[Line]]]] = {}
    for note in found:
        text, _ = join_lines(note.text_lines, with_markers=False, vocabulary=vocabulary)
        if INSTITUTION.search(text) and not STATEMENT.search(text):
            for i in marks[note.mark or str(note.number)]:
                affiliations.setdefault(i, []).append((text, note.lines))
    for i, given in sorted(affiliations.items()):
        author = body.paper.authors[i]
        if author.affiliation is None:
            texts = [text for text, _ in given]
            author.affiliation = (" " if all(t.endswith(".") for t in texts) else "; ").join(texts)
            author.note_lines = [ln for _, lines in given for ln in lines]
    return found


@dataclass(slots=True)
class NoteDraft:
    paper_id: str
    number: int
    text: str
    urls: list[str]
    cited_by: list[str]
    page: int
    lines: list[Line]  # as printed, number included


def extract_notes(
    bodies: list[PaperBody], pages: list[Page], diagnostics: Diagnostics, *, by_number: dict[int, Page]
) -> list[NoteDraft]:
    """Stage entry: every paper's notes, read and linked to the paragraphs citing them."""
    vocabulary = vocabulary_of([ln for p in pages for ln in p.lines])
    rows: list[NoteDraft] = []
    used_links: set[int] = set()
    lists = []
    for b in bodies:
        authors = {id(n) for n in _author_notes(b, vocabulary)}
        lists.append([n for n in b.notes if id(n) not in authors])
        for note in b.symbol_notes:
            if id(note) not in authors:
                text, _ = join_lines(note.text_lines, with_markers=False, vocabulary=vocabulary)
                diagnostics.add(
                    "symbol-note",
                    f"note '{note.mark}' ('{text[:60]}') is marked by a symbol: "
                    "footnotes are numbered, so it is in none",
                    page=note.page,
                    paper_id=b.paper.paper_id,
                )
    by_paper = _shared_lists_split(bodies, lists, diagnostics)
    for b, notes in zip(bodies, by_paper):
        pid = b.paper.paper_id
        _check(b, notes, diagnostics)
        citing: dict[int, list[str]] = {}
        for p in b.paragraphs:
            for r in p.refs:
                ids = citing.setdefault(r.number, [])
                if p.paragraph_id not in ids:
                    ids.append(p.paragraph_id)
        for note in notes:
            text, _ = join_lines(note.text_lines, with_markers=False, vocabulary=vocabulary)
            if not text:
                diagnostics.add("empty-note", f"note {note.number} has no text", page=note.page, paper_id=pid)
            rows.append(
                NoteDraft(
                    pid,
                    note.number,
                    text,
                    note_urls(note, by_number, used_links),
                    citing.get(note.number, []),
                    note.page,
                    note.lines,
                )
            )
    return rows
