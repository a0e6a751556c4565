"""Table of contents, chapters, papers and authors.

The TOC is read as a guide (titles, printed pages, authors); the pages
themselves win wherever the two disagree, and the disagreement is reported.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from compendium_corpus.model import AuthorDraft, Diagnostics, Line, Page
from compendium_corpus.style import BODY_EXACT, RUNNING_LINE, TITLE, DocumentStyle, heading_styles
from compendium_corpus.titlepage import TitleBlock, document_words, later_openers, read_title_page, repeated_openers

CONTENTS_SHARE = 0.5  # rows referring to pages on a page that is all contents
TOC_ROWS, TOC_SHARE = 3, 0.3  # rows ending in a page number on a contents page: at least so many and this share
TOC_PAGES, TOC_FRACTION = 3, 4  # contents are sought on the first pages: this many, or this fraction of the pages
TOC_HEADING = 1.5  # a contents row this many times the entries' size is the list's own heading
ROW_TOLERANCE = 0.35  # ems between the tops of lines on one row of a list (looser than style.ROW_DRIFT)
TITLE_GAP = 1.5  # ems of blank that end a title's lines
PAGE_DRIFT = (0, 1, -1, 2, -2, 3, -3, 4, -4)  # physical pages tried around where a TOC entry points, nearest first
TITLE_MATCH = 0.75  # similarity at which a page's top lines read as a TOC entry's title
CLEARLY_BETTER = 0.05  # similarity by which a farther page must beat a nearer one
SAME_TITLE = 0.95  # similarity under which a printed title differs from its TOC entry (a diagnostic)
BYLINE_CLEARANCE = 0.2  # ems above the running text where a paper's byline block ends
CONTENTS = re.compile(r"^(?:table\s+of\s+)?contents$", re.I)
PAGE_REF = re.compile(r"^(.*?)(?:\s*\.{2,}\s*|\s+)(\d{1,4}|[ivxlc]{1,7})$")
CHAPTER_NO = re.compile(r"^(?:(?:chapter|part|section)\s+)?(\d{1,2}|[IVXL]{1,6})(?:[.:]|\s+[–—-])?\s+(\S.*)$", re.I)
CHAPTER_LABEL = re.compile(r"^(?:(?:chapter|part|section)\s+)?(?:\d{1,2}|[IVXL]{1,6})$", re.I)
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def chapter_number(text: str) -> int:
    """'3' or 'III' as an integer."""
    if text.isdigit():
        return int(text)
    values = [ROMAN[c] for c in text.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


@dataclass(slots=True)
class TocEntry:
    title: str
    page: int  # printed page number (arabic), or the page a roman label stands for, less the offset
    style: tuple
    x0: float
    number: int | None = None  # chapter number printed before the title
    label: str = ""  # the page reference as printed
    authors: list[str] = field(default_factory=list)
    kind: str = "front"  # front, chapter or paper


@dataclass(slots=True)
class ChapterDraft:
    chapter_id: str
    number: int
    title: str
    key_questions: list[str]
    page: int
    lines: list[Line] = field(default_factory=list)  # its label, title and key questions


@dataclass(slots=True)
class PaperDraft:
    paper_id: str
    chapter_id: str | None
    position: int
    title: str
    page_start: int
    page_end: int
    authors: list[AuthorDraft]
    title_lines: list[Line] = field(default_factory=list)
    header_lines: list[Line] = field(default_factory=list)  # title and author block
    # A paper sharing a page with its neighbour begins or ends there at a line: the index in
    # page_start's lines of its first line, and in page_end's lines of the next paper's first.
    first_index: int = 0
    end_index: int | None = None


@dataclass(slots=True)
class Structure:
    toc: list[TocEntry]
    toc_pages: list[int]
    page_offset: int
    chapters: list[ChapterDraft]
    papers: list[PaperDraft]
    front_entries: list[TocEntry]
    first_body_page: int  # first page of the first chapter or paper
    contents_lines: list[Line] = field(default_factory=list)  # the rows of a contents list
    title_page_lines: list[Line] = field(default_factory=list)  # a single document's title page, title and byline aside


def rows(lines: list[Line], tolerance: float = ROW_TOLERANCE) -> list[list[Line]]:
    """Lines sharing a visual row, top to bottom, each row left to right."""
    out: list[list[Line]] = []
    for ln in sorted(lines, key=lambda line: (line.top, line.x0)):
        if out and abs(out[-1][0].top - ln.top) < tolerance * ln.size:
            out[-1].append(ln)
        else:
            out.append([ln])
    return [sorted(r, key=lambda line: line.x0) for r in out]


def _row_text(row: list[Line]) -> str:
    return " ".join(ln.plain for ln in row).strip()


def _toc_rows(page: Page) -> list[list[Line]]:
    return [r for r in rows(page.lines) if _row_text(r)]


def _is_toc_page(page: Page) -> bool:
    rs = _toc_rows(page)
    refs = sum(bool(PAGE_REF.match(_row_text(r))) for r in rs)
    return refs >= TOC_ROWS and refs >= TOC_SHARE * len(rs)


def find_toc_pages(pages: list[Page]) -> list[int]:
    """The first run of pages, early in the document, whose rows end in page numbers."""
    limit = max(TOC_PAGES, len(pages) // TOC_FRACTION)
    found: list[int] = []
    for p in pages[:limit]:
        if _is_toc_page(p):
            found.append(p.number)
        elif found:
            # a TOC's last page may hold only a few entries
            rs = _toc_rows(p)
            if rs and any(PAGE_REF.match(_row_text(r)) for r in rs):
                found.append(p.number)
            break
    return found


def parse_toc(pages: list[Page], numbers: list[int]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    pending: list[list[Line]] = []
    entry_size = Counter(ln.size for p in pages if p.number in numbers for ln in p.lines).most_common(1)[0][0]
    for p in pages:
        if p.number not in numbers:
            continue
        for row in _toc_rows(p):
            if max(ln.size for ln in row) > TOC_HEADING * entry_size:
                continue  # the TOC's own heading
            text = _row_text(row)
            match = PAGE_REF.match(text)
            alone = re.match(r"^()(\d{1,4}|[ivxlc]{1,7})$", text)
            if pending and alone:  # page number wrapped onto a row of its own
                entries.append(_entry(pending + [row], alone))
                pending = []
            elif match:
                pending.append(row)
                entries.append(_entry(pending, match))
                pending = []
            elif pending and pending[0][-1].style == row[-1].style:
                pending.append(row)
            elif not pending and entries and _is_byline(row, entries[-1]):
                entries[-1].authors.extend(a.strip() for a in re.split(r",|\band\b|;", text) if a.strip())
            else:
                pending = [row]
    _classify(entries)
    return entries


def _join_title(parts: list[str]) -> str:
    """Title lines joined: no space after a dash or hyphen that ends a line."""
    out = ""
    for part in (p.strip() for p in parts):
        if part:
            out += ("" if not out or out.endswith(("-", "–", "—", "/")) else " ") + part
    return out


def _is_byline(row: list[Line], entry: TocEntry) -> bool:
    """Authors under a TOC entry: set smaller or slanted, never bold."""
    line = row[0]
    return not line.bold and (line.italic or line.size < entry.style[0]) and not CHAPTER_NO.match(_row_text(row))


def _entry(rows_: list[list[Line]], last: re.Match) -> TocEntry:
    parts = [_row_text(r) for r in rows_[:-1]] + [last.group(1)]
    title = re.sub(r"\s*\.{2,}\s*$", "", _join_title(parts))
    number = None
    first = rows_[0]
    numbered = CHAPTER_NO.match(title)
    if numbered and (len(first) > 1 and CHAPTER_NO.match(first[0].plain + " x") or first[0].spans[0].bold):
        number, title = chapter_number(numbered.group(1)), numbered.group(2)
    body_line = first[1] if number is not None and len(first) > 1 else first[0]
    label = last.group(2)
    return TocEntry(
        title=title.strip(),
        page=int(label) if label.isdigit() else chapter_number(label.upper()),
        style=body_line.style,
        x0=body_line.x0,
        number=number,
        label=label,
    )


def _classify(entries: list[TocEntry]) -> None:
    """Numbered entries are chapters; entries after the first chapter (or with
    authors) are papers; entries before it are front matter."""
    seen_chapter = False
    for e in entries:
        if e.number is not None:
            e.kind = "chapter"
            seen_chapter = True
        elif seen_chapter or e.authors:
            e.kind = "paper"
    # Entries after the last paper set like front matter (annexes) are not papers.
    for e in entries:
        if e.kind == "paper" and not e.authors and seen_chapter:
            papers = [x for x in entries if x.kind == "paper" and x.authors]
            if papers and abs(e.x0 - papers[0].x0) > 2:
                e.kind = "back"


def page_offset(pages: list[Page]) -> int:
    """Physical page minus printed page, from the page numbers found in the footers."""
    diffs = Counter(p.number - int(p.label) for p in pages if p.label and p.label.isdigit())
    return diffs.most_common(1)[0][0] if diffs else 0


def _resolve_roman_labels(toc: list[TocEntry], pages: list[Page], offset: int) -> None:
    """Front matter numbered i, ii, iii: a TOC reference to such a page is found
    through the page numbers printed in the footers, not through the offset."""
    physical = {p.label.lower(): p.number for p in pages if p.label and not p.label.isdigit()}
    for e in toc:
        if e.label and not e.label.isdigit():
            e.page = physical.get(e.label.lower(), e.page) - offset


def _top_lines(page: Page, min_size: float) -> list[Line]:
    """The large lines opening a page: a title, possibly over several lines."""
    big = [ln for ln in sorted(page.lines, key=lambda line: line.top) if ln.size >= min_size]
    if not big:
        return []
    size = max(ln.size for ln in big[:3])
    out: list[Line] = []
    for ln in sorted(page.lines, key=lambda line: line.top):
        if abs(ln.size - size) < 0.5 and ln.bold == big[0].bold:
            if out and ln.top - out[-1].bottom > TITLE_GAP * size:
                break
            out.append(ln)
        elif out:
            break
    return out


def _similar(a: str, b: str) -> float:
    return fuzz.ratio(_fold(a), _fold(b)) / 100


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u2013", "-").replace("\u2014", "-")).strip().lower()


def _locate(
    pages: dict[int, Page], expected: int, title: str, body: float, used: set[int], chapter: bool
) -> int | None:
    """The physical page near `expected` whose opening large lines read as `title`."""
    best, best_score = None, 0.0
    for delta in PAGE_DRIFT:
        p = pages.get(expected + delta)
        if p is None or p.number in used:
            continue
        top = _top_lines_excluding_number(p, body) if chapter else _top_lines(p, TITLE * body)
        head = " ".join(ln.plain for ln in top)
        score = max(_similar(head, title), fuzz.partial_ratio(_fold(title), _fold(head)) / 100 if head else 0)
        if score > best_score + CLEARLY_BETTER:
            best, best_score = p.number, score
    return best if best_score >= TITLE_MATCH else None


def detect(
    pages: list[Page],
    style: DocumentStyle,
    diagnostics: Diagnostics,
    title_hint: str | None = None,
    *,
    by_number: dict[int, Page],
) -> Structure:
    """Stage entry: the document's chapters and papers with their pages and authors;
    `title_hint` is the title the PDF's metadata gives (checked against the pages);
    `by_number` indexes `pages` (model.page_index).
    A compendium lists its papers in its contents or opens each on a page of its own
    under a title and byline; anything else is read from its title page."""
    toc_pages = find_toc_pages(pages)
    toc = parse_toc(pages, toc_pages) if toc_pages else []
    offset = page_offset(pages)
    _resolve_roman_labels(toc, pages, offset)
    openers: list[TocEntry] = []
    if not any(e.kind == "paper" and e.authors for e in toc):
        openers = openers_from_pages(pages, style.body_size, offset, set(toc_pages))
    if any(e.kind == "paper" and e.authors for e in toc) or sum(e.kind == "paper" for e in openers) >= 2:
        found = Diagnostics()
        structure = _compendium(pages, by_number, toc_pages, toc + openers, offset, style.body_size, found)
        if structure is not None:
            if not toc:
                diagnostics.add("no-toc", "no table of contents found; papers found from their opening pages")
            diagnostics.items += found.items
            return structure
    return _single_document(pages, by_number, toc_pages, toc, offset, openers, style, diagnostics, title_hint)


def _compendium(
    pages: list[Page],
    by_number: dict[int, Page],
    toc_pages: list[int],
    toc: list[TocEntry],
    offset: int,
    body: float,
    diagnostics: Diagnostics,
) -> Structure | None:
    """Chapters and papers located from the contents (or openers) on their pages; None if no
    paper is found there."""
    used: set[int] = set()
    chapters: list[ChapterDraft] = []
    starts: list[tuple[int, TocEntry]] = []
    for e in toc:
        if e.kind not in ("chapter", "paper"):
            continue
        page = _locate(by_number, e.page + offset, e.title, body, used, chapter=e.kind == "chapter")
        if page is None:
            diagnostics.add(
                "toc-entry-not-found", f"{e.kind} '{e.title}' listed on page {e.page} was not found in the document"
            )
            continue
        used.add(page)
        starts.append((page, e))
    # Paper ends: the page before the next opener, less trailing blank or unnumbered pages.
    boundaries = sorted(p for p, _ in starts)
    headings = heading_styles(pages, set(boundaries), body)
    papers: list[PaperDraft] = []
    current_chapter: ChapterDraft | None = None
    for page, e in starts:
        if e.kind == "chapter":
            current_chapter = _chapter(by_number[page], e, len(chapters) + 1, body)
            chapters.append(current_chapter)
            continue
        later = [b for b in boundaries if b > page]
        end = (later[0] - 1) if later else pages[-1].number
        end = _trim_end(by_number, page, end)
        paper_id = f"p{len(papers) + 1:02d}"
        draft = _paper(by_number[page], paper_id, current_chapter, len(papers) + 1, end, body, headings)
        _compare_with_toc(draft, e, diagnostics)
        papers.append(draft)
    if not papers:
        return None
    return Structure(
        toc,
        toc_pages,
        offset,
        chapters,
        papers,
        [e for e in toc if e.kind == "front"],
        min(boundaries),
        contents_lines(pages, toc_pages),
    )


def openers_from_pages(pages: list[Page], body: float, offset: int, skip: set[int]) -> list[TocEntry]:
    """Without a usable table of contents: chapter openers are pages led by a large
    chapter number or label, paper openers are pages led by a large title with a
    byline (bold names over smaller affiliations) beneath it."""
    entries: list[TocEntry] = []
    for page in pages:
        if page.number in skip or not page.lines:
            continue
        label = next((ln for ln in page.lines if CHAPTER_LABEL.match(ln.plain) and ln.size >= 2 * body), None)
        title_lines = _top_lines_excluding_number(page, body) if label else _top_lines(page, TITLE * body)
        if not title_lines or min(ln.top for ln in page.lines) < title_lines[0].top - 2 and not label:
            continue
        title = _join_title([ln.plain for ln in title_lines])
        if label is not None:
            found = re.search(r"(\d{1,2}|[IVXL]{1,6})$", label.plain, re.I)
            assert found is not None  # CHAPTER_LABEL ends in the number
            number = found.group(1)
            entries.append(
                TocEntry(
                    title,
                    page.number - offset,
                    title_lines[0].style,
                    title_lines[0].x0,
                    number=chapter_number(number.upper()),
                    kind="chapter",
                )
            )
            continue
        block = _under_title(page, max(ln.bottom for ln in title_lines), body)
        if any(a.affiliation for a in _authors(block, set())[0]):
            entries.append(TocEntry(title, page.number - offset, title_lines[0].style, title_lines[0].x0, kind="paper"))
    return entries


def _single_document(
    pages: list[Page],
    by_number: dict[int, Page],
    toc_pages: list[int],
    toc: list[TocEntry],
    offset: int,
    openers: list[TocEntry],
    style: DocumentStyle,
    diagnostics: Diagnostics,
    title_hint: str | None,
) -> Structure:
    """Not a compendium (a report, an article, a chapter file): the document read from its
    title page as one paper, or as several where later papers open under a title and byline
    set like the first's, or under title blocks set alike (issuer, references, title) with
    no byline, the first of which holds the first paper's title. A chapter number opening
    the first page makes a chapter of it. Its contents list, if any, is front matter, never
    body text."""
    text_pages = [p for p in pages if p.lines]
    contents = contents_lines(pages, toc_pages)
    first = read_title_page(text_pages, style, title_hint, skip={id(ln) for ln in contents})
    if first is None and text_pages:  # running text from the first line: no title page to read
        first = TitleBlock(title_hint or "", [], [], [], text_pages[0].number)
    chapters = [
        _chapter(by_number[e.page + offset], e, 1, style.body_size, key_questions=False)
        for e in openers[:1]
        if e.kind == "chapter" and first and e.page + offset <= first.page
    ]
    chapter_id = chapters[0].chapter_id if chapters else None
    papers: list[PaperDraft] = []
    if first is not None:
        repeated = repeated_openers(text_pages)
        if repeated:  # papers opening under title blocks set alike: the first is one of them
            ahead = [ln for ln in first.header_lines if ln.page <= repeated[0].page]
            first = TitleBlock(
                repeated[0].title, repeated[0].title_lines, [], ahead + repeated[0].header_lines, repeated[0].page
            )
        skip = first.header_lines + contents
        blocks = [first] + (repeated[1:] or later_openers(pages, first, document_words(pages)))
        for i, block in enumerate(blocks):
            start = text_pages[0].number if i == 0 else block.page
            first_index = 0 if i == 0 else by_number[block.page].lines.index(block.header_lines[0])
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt is None:
                end, end_index = text_pages[-1].number, None
            else:
                cut = by_number[nxt.page].lines.index(nxt.header_lines[0])
                end, end_index = (nxt.page, cut) if cut else (nxt.page - 1, None)
            papers.append(
                PaperDraft(
                    f"p{i + 1:02d}",
                    chapter_id,
                    i + 1,
                    block.title,
                    start,
                    end,
                    block.authors,
                    block.title_lines,
                    skip if i == 0 else block.header_lines,
                    first_index,
                    end_index,
                )
            )
    diagnostics.add(
        "no-compendium-structure",
        f"no table of contents listing papers: read as {len(papers)} paper(s) from the title page",
        severity="info" if papers else "warning",
    )
    named = {id(ln) for p in papers[:1] for ln in p.title_lines} | {id(ln) for ln in (first.byline if first else [])}
    title_page = [ln for p in papers[:1] for ln in p.header_lines if id(ln) not in named]
    listed = {id(ln) for ln in contents}
    return Structure(
        toc,
        toc_pages,
        offset,
        chapters,
        papers,
        [e for e in toc if e.kind == "front"],
        papers[0].page_start if papers else 1,
        contents,
        [ln for ln in title_page if id(ln) not in listed],
    )


def contents_lines(pages: list[Page], toc_pages: list[int]) -> list[Line]:
    """The lines of a contents list: on each contents page, from its first row that refers
    to a page (or the heading above it) to its last, or to the page's end on a page that
    holds nothing else (entries without a page number close many lists)."""
    out: list[Line] = []
    for page in pages:
        if page.number not in toc_pages:
            continue
        listed = _toc_rows(page)
        refs = [i for i, r in enumerate(listed) if PAGE_REF.match(_row_text(r))]
        if not refs:
            continue
        start = refs[0] - 1 if refs[0] and CONTENTS.match(_row_text(listed[refs[0] - 1])) else refs[0]
        end = len(listed) if len(refs) >= CONTENTS_SHARE * len(listed) else refs[-1] + 1
        out += [ln for r in listed[start:end] for ln in r]
    return out


def _trim_end(pages: dict[int, Page], start: int, end: int) -> int:
    numbered = pages[start].label is not None
    while end > start:
        p = pages.get(end)
        if p is not None and p.lines and (p.label is not None or not numbered):
            break
        end -= 1
    return end


def _chapter(page: Page, entry: TocEntry, index: int, body: float, key_questions: bool = True) -> ChapterDraft:
    title_lines = [ln for ln in _top_lines_excluding_number(page, body)]
    title = _join_title([ln.plain for ln in title_lines]) or entry.title
    below = [ln for ln in page.lines if title_lines and ln.top > title_lines[-1].bottom]
    questions = list_items(below) if key_questions else []
    labels = [ln for ln in page.lines if CHAPTER_LABEL.match(ln.plain)]
    return ChapterDraft(
        f"c{entry.number or index:02d}",
        entry.number or index,
        title,
        questions,
        page.number,
        labels + title_lines + (below if questions else []),
    )


def _top_lines_excluding_number(page: Page, body: float) -> list[Line]:
    lines = [ln for ln in page.lines if ln.size >= TITLE * body and not CHAPTER_LABEL.match(ln.plain)]
    if not lines:
        return []
    size = max(ln.size for ln in lines)
    return sorted((ln for ln in lines if abs(ln.size - size) < 0.5), key=lambda line: line.top)


def list_items(lines: list[Line]) -> list[str]:
    """Bulleted items (a bullet opens each); without bullets, one item per question."""
    lines = sorted(lines, key=lambda line: line.top)
    if any(ln.bullet for ln in lines):
        items: list[list[Line]] = []
        for ln in lines:
            if ln.bullet or not items:
                items.append([ln])
            else:
                items[-1].append(ln)
        from compendium_corpus.text import join_lines

        return [join_lines(it, with_markers=False)[0] for it in items]
    text = " ".join(ln.plain for ln in lines)
    return [q.strip() for q in re.findall(r"[^?]+\?", text)]


def _under_title(page: Page, bottom: float, body: float) -> list[Line]:
    """The lines between a title ending at `bottom` and the running text under it: its byline."""
    texts = [
        ln
        for ln in page.lines
        if abs(ln.size - body) < BODY_EXACT and not ln.bold and len(ln.plain) > RUNNING_LINE and ln.top > bottom
    ]
    body_top = min((ln.top for ln in texts), default=page.height)
    return [ln for ln in page.lines if bottom < ln.top and ln.bottom < body_top - BYLINE_CLEARANCE * body]


def _paper(
    page: Page, paper_id: str, chapter: ChapterDraft | None, position: int, end: int, body: float, headings: set[tuple]
) -> PaperDraft:
    title_lines = _top_lines(page, TITLE * body)
    title = _join_title([ln.plain for ln in title_lines])
    block = _under_title(page, max((ln.bottom for ln in title_lines), default=0), body)
    authors, byline = _authors(block, headings)
    header = title_lines + [ln for ln in block if ln.style not in headings or any(ln is b for b in byline)]
    return PaperDraft(
        paper_id,
        chapter.chapter_id if chapter else None,
        position,
        title,
        page.number,
        end,
        authors,
        title_lines,
        header,
    )


def _authors(block: list[Line], headings: set[tuple]) -> tuple[list[AuthorDraft], list[Line]]:
    """Bold names, each with the smaller lines printed under it as its affiliation
    (returned with the lines they were read from).
    Where some names carry affiliations, a bold line without one is not a name (it
    is the first section heading); where none do, bold lines in a style that
    headings use elsewhere are left out."""
    candidates = [
        ln
        for ln in block
        if ln.bold and not any(ch.isdigit() for ch in ln.plain) and sum(ch.isalpha() for ch in ln.plain) >= 2
    ]
    candidates.sort(key=lambda line: (round(line.top), line.x0))
    affiliations: dict[int, list[Line]] = {i: [] for i in range(len(candidates))}
    for ln in sorted(block, key=lambda line: line.top):
        if ln in candidates or ln.bold:
            continue
        owners = [
            i for i, n in enumerate(candidates) if n.top < ln.top and n.x0 <= ln.x0 + 2 and ln.size < n.size + 0.5
        ]
        if owners:
            owner = max(owners, key=lambda i: (candidates[i].x0, candidates[i].top))
            affiliations[owner].append(ln)
    from compendium_corpus.text import join_lines

    with_affiliation = any(affiliations.values())
    kept = [i for i, n in enumerate(candidates) if affiliations[i] or not with_affiliation and n.style not in headings]
    authors = [
        AuthorDraft(candidates[i].plain, join_lines(affiliations[i], with_markers=False)[0] or None) for i in kept
    ]
    return authors, [ln for i in kept for ln in [candidates[i]] + affiliations[i]]


def _compare_with_toc(draft: PaperDraft, entry: TocEntry, diagnostics: Diagnostics) -> None:
    if _similar(draft.title, entry.title) < SAME_TITLE:
        diagnostics.add(
            "toc-title-differs",
            f"TOC lists '{entry.title}', the paper's first page prints '{draft.title}'; the page wins",
            page=draft.page_start,
            paper_id=draft.paper_id,
        )
    printed = [a.name for a in draft.authors]
    if entry.authors and [_fold(a) for a in entry.authors] != [_fold(a) for a in printed]:
        same_people = sorted(map(_fold, entry.authors)) == sorted(map(_fold, printed))
        diagnostics.add(
            "toc-authors-differ",
            f"TOC lists authors {entry.authors}, the paper's first page prints {printed}"
            f"{' (same people, other order)' if same_people else ''}; the page wins",
            page=draft.page_start,
            paper_id=draft.paper_id,
        )
