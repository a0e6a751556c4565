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

from collections import Counter
from dataclasses import dataclass

from compendium_corpus.body import PaperBody
from compendium_corpus.model import Diagnostics, Line, Link, Page
from compendium_corpus.notesplit import Note
from compendium_corpus.text import join_lines, vocabulary_of


def _overlaps(link: Link, line: Line) -> bool:
    height = min(link.bottom - link.top, line.bottom - line.top) or 1.0
    vertical = min(link.bottom, line.bottom) - max(link.top, line.top)
    return vertical >= 0.4 * height and link.x0 < line.x1 and link.x1 > line.x0


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
        for link in sorted(here, key=lambda l: l.x0):
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
            diagnostics.add("marker-without-note", f"marker {number} (in {paras[0].paragraph_id}) has no note {number}",
                            page=paras[0].page_start, paper_id=pid)
        if len(paras) > 1:
            diagnostics.add("marker-repeat", f"note {number} is cited {len(paras)} times ({', '.join(p.paragraph_id for p in paras)})",
                            page=paras[1].page_start, paper_id=pid)
    for note in notes:
        if note.number not in cited and note.number not in body.heading_refs:
            diagnostics.add("note-never-cited", f"note {note.number} is never cited in the body",
                            page=note.page, paper_id=pid)
    for number, count in Counter(numbers).items():
        if count > 1:
            page = [n.page for n in notes if n.number == number][1]
            diagnostics.add("numbering-repeat", f"note number {number} is printed {count} times",
                            page=page, paper_id=pid)
    for before, after in zip(notes, notes[1:]):
        if after.number < before.number:
            diagnostics.add("numbering-out-of-order", f"note {after.number} follows note {before.number}", page=after.page, paper_id=pid)
    if numbers:
        missing = [n for n in range(min(numbers), max(numbers)) if n not in have]
        if missing:
            diagnostics.add("numbering-gap", f"no note numbered {', '.join(map(str, missing))} "
                            f"between {min(numbers)} and {max(numbers)}",
                            page=notes[0].page, paper_id=pid)
    if any(b < a for a, b in zip(order, order[1:])):
        diagnostics.add("citation-out-of-order", f"notes are first cited in the order {order}", page=body.paper.page_start, paper_id=pid)


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
            takers = [j for j in range(len(bodies)) if j != i and note.number in cited[j]
                      and all(n.number != note.number for n in out[j])]
            if len(takers) == 1:
                out[i].remove(note)
                out[takers[0]].append(note)
    for i, (before, after) in enumerate(zip(notes, out)):
        moved = len(after) - len(before)
        if moved > 0:
            diagnostics.add("notes-shared", f"{moved} note(s) of a list printed with another paper are cited here and given to it",
                            page=after[0].page, paper_id=bodies[i].paper.paper_id)
    return out


@dataclass(slots=True)
class NoteDraft:
    paper_id: str
    number: int
    text: str
    urls: list[str]
    cited_by: list[str]
    page: int
    lines: list[Line]  # as printed, number included


def extract_notes(bodies: list[PaperBody], pages: list[Page], diagnostics: Diagnostics) -> list[NoteDraft]:
    """Stage entry: every paper's notes, read and linked to the paragraphs citing them."""
    by_number = {p.number: p for p in pages}
    vocabulary = vocabulary_of([ln for p in pages for ln in p.lines])
    rows: list[NoteDraft] = []
    used_links: set[int] = set()
    by_paper = _shared_lists_split(bodies, [b.notes for b in bodies], diagnostics)
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
                diagnostics.add("empty-note", f"note {note.number} has no text",
                                page=note.page, paper_id=pid)
            rows.append(NoteDraft(pid, note.number, text, note_urls(note, by_number, used_links),
                                  citing.get(note.number, []), note.page, note.lines))
    return rows
