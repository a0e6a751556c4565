"""Drafts into the contract's rows: the one place a row is written.

Every row is built as its schema model (schemas/tables.py), so a misspelt or
ill-typed column fails where it is written; a row its model refuses is dropped
and named in an `invalid-row` diagnostic, so one stage bug costs a row, not the
document. Each text row gets the boxes of the lines it was read from, and the
documents row the character accounting: every printing character on the pages
is kept in some table, set apart as running furniture, or counted as dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from compendium_corpus import PIPELINE_VERSION
from compendium_corpus.model import Diagnostic, Diagnostics, Line, Page
from compendium_corpus.packing import PackedTables
from compendium_corpus.schemas.tables import (
    TABLES,
    Box,
    Document,
    FootnoteRef,
)
from compendium_corpus.schemas.tables import (
    Diagnostic as DiagnosticRow,
)
from compendium_corpus.source import Tally
from compendium_corpus.stages import Drafts
from compendium_corpus.validate import brief

# Boxes to a hundredth of a point: finer is noise of the character source, not ink.
BOX_DECIMALS = 2
# Dropped characters above this share of a document's are worth a warning naming the pages.
DROPPED_WARNING = 0.02


def tables(drafts: Drafts, doc_id: str, sha256: str) -> PackedTables:
    """Stage entry: every table's rows for one document."""
    refused = Diagnostics()
    rows = Rows(doc_id, refused)
    pages = drafts.by_number

    def box(lines: list[Line]) -> list[Box]:
        return boxes(lines, pages)

    d, structure = drafts.document, drafts.structure
    out = PackedTables()  # each table packed as it is made: one table's models live at a time
    out["chapters"] = rows.make(
        "chapters",
        (
            dict(
                chapter_id=c.chapter_id,
                number=c.number,
                title=c.title,
                key_questions=c.key_questions,
                page_start=c.page,
            )
            for c in structure.chapters
        ),
    )
    out["papers"] = rows.make(
        "papers",
        (
            dict(
                paper_id=p.paper_id,
                chapter_id=p.chapter_id,
                position=p.position,
                title=p.title,
                page_start=p.page_start,
                page_end=p.page_end,
            )
            for p in structure.papers
        ),
    )
    out["authors"] = rows.make(
        "authors",
        (
            dict(paper_id=p.paper_id, position=i, name=a.name, affiliation=a.affiliation)
            for p in structure.papers
            for i, a in enumerate(p.authors, start=1)
        ),
    )
    out["front_sections"] = rows.make(
        "front_sections",
        (
            dict(
                section_id=s.section_id,
                title=s.title,
                text=s.text,
                signature_name=s.signature_name,
                signature_role=s.signature_role,
            )
            for s in drafts.front.sections
        ),
    )
    out["organisations"] = rows.make(
        "organisations", (dict(name=n, description=t) for n, t in drafts.front.organisations)
    )
    out["acronyms"] = rows.make("acronyms", (dict(short=short, long=long_) for short, long_ in drafts.front.acronyms))
    out["sections"] = rows.make(
        "sections",
        (
            dict(
                paper_id=b.paper.paper_id,
                section_id=s.section_id,
                parent_section_id=s.parent_section_id,
                level=s.level,
                position=s.position,
                heading=s.heading,
                page=s.page,
                boxes=box(s.lines),
            )
            for b in drafts.bodies
            for s in b.sections
        ),
    )
    out["paragraphs"] = rows.make(
        "paragraphs",
        (
            dict(
                paper_id=b.paper.paper_id,
                section_id=p.section_id,
                paragraph_id=p.paragraph_id,
                position=p.position,
                kind=p.kind,
                lead=p.lead,
                text=p.text,
                footnote_refs=[FootnoteRef(number=r.number, offset=r.offset) for r in p.refs],
                page_start=p.page_start,
                page_end=p.page_end,
                boxes=box(p.lines),
            )
            for b in drafts.bodies
            for p in b.paragraphs
        ),
    )
    out["pull_quotes"] = rows.make(
        "pull_quotes",
        (
            dict(
                paper_id=b.paper.paper_id,
                pull_quote_id=q.pull_quote_id,
                text=q.text,
                source_paragraph_id=q.source_paragraph_id,
                page=q.page,
                boxes=box(q.lines),
            )
            for b in drafts.bodies
            for q in b.pull_quotes
        ),
    )
    out["figures"] = rows.make(
        "figures",
        (
            dict(
                paper_id=b.paper.paper_id,
                figure_id=f.figure_id,
                label=f.label,
                title=f.title,
                caption=f.caption,
                rows=f.rows,
                source=f.source,
                page=f.page,
                boxes=box(f.lines),
            )
            for b in drafts.bodies
            for f in b.figures
        ),
    )
    out["footnotes"] = rows.make(
        "footnotes",
        (
            dict(
                paper_id=n.paper_id,
                number=n.number,
                text=n.text,
                urls=n.urls,
                cited_by=n.cited_by,
                page=n.page,
                boxes=box(n.lines),
            )
            for n in drafts.notes
        ),
    )
    out["recommendations"] = rows.make(
        "recommendations",
        (
            dict(
                paper_id=r.paper_id,
                recommendation_id=r.recommendation_id,
                position=r.position,
                kind=r.paragraph.kind,
                lead=r.paragraph.lead,
                text=r.paragraph.text,
                paragraph_id=r.paragraph.paragraph_id,
                section_id=r.paragraph.section_id,
                page=r.paragraph.page_start,
                boxes=box(r.paragraph.lines),
            )
            for r in drafts.recommendations
        ),
    )
    found = Diagnostics(list(drafts.diagnostics.items))
    kept, furniture, dropped = account(drafts, found)
    total = kept + furniture + dropped
    out["documents"] = rows.make(
        "documents",
        [
            dict(
                source_file=drafts.source_file,
                sha256=sha256,
                title=d.title or Path(drafts.source_file).stem,
                series=d.series,
                volume=d.volume,
                editor=d.editor,
                publisher=d.publisher,
                page_count=drafts.page_count,
                pipeline_version=PIPELINE_VERSION,
                status="ok",
                error_code=None,
                chars_total=total,
                chars_kept=kept,
                chars_furniture=furniture,
                chars_dropped=dropped,
                ocr_pages=drafts.ocr_pages,
            )
        ],
    )
    out["diagnostics"] = diagnostic_rows(found.items + refused.items, doc_id)
    return out.ordered(TABLES)


class Rows:
    """Builds one document's rows, dropping (and reporting) those their model refuses."""

    def __init__(self, doc_id: str, refused: Diagnostics) -> None:
        self.doc_id, self.refused = doc_id, refused

    def make(self, table: str, fields: Iterable[dict]) -> Iterator[dict]:
        """The table's rows, each built as the table's model (schemas.tables.TABLES) and
        handed on as the model dumps it, one at a time (see packing.PackedTables)."""
        model = TABLES[table]
        for i, values in enumerate(fields):
            try:
                yield model(doc_id=self.doc_id, **values).model_dump()
            except ValidationError as err:
                self.refused.add("invalid-row", f"{table} row {i}: {brief(err)}", paper_id=values.get("paper_id"))


def diagnostic_rows(items: Iterable[Diagnostic], doc_id: str) -> list[dict]:
    """Diagnostics as rows, built as the table's model and handed on as it dumps them (as `Rows.make`)."""
    return [
        DiagnosticRow(
            doc_id=doc_id,
            stage=d.stage,
            severity=d.severity,
            code=d.code,
            message=d.message,
            page=d.page,
            paper_id=d.paper_id,
        ).model_dump()
        for d in items
    ]


def boxes(lines: list[Line], pages: dict[int, Page]) -> list[Box]:
    """One box per page and column the lines stand in, in reading order, in the coordinates
    of the page as displayed (a page turned to be read is turned back)."""
    groups: dict[tuple[int, int], list[Line]] = {}
    for ln in lines:
        groups.setdefault((ln.page, ln.column), []).append(ln)
    out = []
    for (number, _), group in groups.items():
        x0, top = min(ln.x0 for ln in group), min(ln.top for ln in group)
        x1, bottom = max(ln.x1 for ln in group), max(ln.bottom for ln in group)
        page = pages.get(number)
        if page is not None and page.frame is not None:
            x0, top, x1, bottom = page.frame.displayed(x0, top, x1, bottom)
        x0, top, x1, bottom = (round(v, BOX_DECIMALS) for v in (x0, top, x1, bottom))
        out.append(Box(page=number, x0=x0, top=top, x1=x1, bottom=bottom))
    return out


def kept_lines(drafts: Drafts) -> Iterable[Line]:
    """Every line some row was read from (a line may be named by several)."""
    yield from drafts.document.lines
    for c in drafts.structure.chapters:
        yield from c.lines
    for p in drafts.structure.papers:
        yield from p.title_lines
        yield from p.header_lines
        for a in p.authors:
            yield from a.note_lines
    for s in drafts.front.sections:
        yield from s.lines
    for b in drafts.bodies:
        for section in b.sections:
            yield from section.lines
        for para in b.paragraphs:
            yield from para.lines
        for q in b.pull_quotes:
            yield from q.lines
        for f in b.figures:
            yield from f.lines
    for n in drafts.notes:
        yield from n.lines


def account(drafts: Drafts, diagnostics: Diagnostics) -> tuple[int, int, int]:
    """(kept, furniture, dropped) printing characters; the pages that lost more than
    `DROPPED_WARNING` of theirs are named in a `characters-dropped` warning."""
    kept_by_page: dict[int, int] = {}
    seen: set[int] = set()
    for ln in kept_lines(drafts):
        if id(ln) not in seen:
            seen.add(id(ln))
            kept_by_page[ln.page] = kept_by_page.get(ln.page, 0) + ln.glyphs
    furniture_by_page = {p.number: sum(ln.glyphs for ln in p.furniture) for p in drafts.pages}
    totals = {p.number: t.total for p, t in zip(drafts.pages, drafts.tallies)}
    tallies = {p.number: t for p, t in zip(drafts.pages, drafts.tallies)}
    kept = furniture = 0
    lost: dict[int, int] = {}
    for number, total in totals.items():
        page_furniture = furniture_by_page.get(number, 0)
        page_kept = min(kept_by_page.get(number, 0), total - page_furniture)
        kept, furniture = kept + page_kept, furniture + page_furniture
        lost[number] = total - page_kept - page_furniture
    dropped = sum(lost.values())
    total = kept + furniture + dropped
    if dropped > DROPPED_WARNING * total:
        worst = sorted((n for n in lost if lost[n] > DROPPED_WARNING * totals[n]), key=lambda n: -lost[n])
        named = ", ".join(f"{n} ({lost[n]}{_why(tallies[n])})" for n in sorted(worst[:NAMED_PAGES]))
        more = f" and {len(worst) - NAMED_PAGES} more" if len(worst) > NAMED_PAGES else ""
        diagnostics.add(
            "characters-dropped",
            f"{dropped} of {total} printing characters ({dropped / total:.1%}) are "
            f"in no table; pages losing most: {named}{more}",
        )
    return kept, furniture, dropped


NAMED_PAGES = 10  # pages a characters-dropped warning names, those losing most


def _why(tally: Tally) -> str:
    """What the source could already tell of a page's lost characters: glyphs without a
    Unicode mapping and text set sideways are lost for a reason no stage can undo; the rest
    is text the stages read into no table."""
    reasons = [f"{n} {what}" for n, what in ((tally.unmapped, "without Unicode"), (tally.rotated, "sideways")) if n]
    return f": {', '.join(reasons)}" if reasons else ""


def failed_document(source_file: str, sha256: str, code: str, page_count: int | None = None) -> Document:
    """The documents row of a document whose extraction failed: what is known of it."""
    return Document(
        doc_id=sha256[:16],
        source_file=source_file,
        sha256=sha256,
        title=Path(source_file).stem,
        series=None,
        volume=None,
        editor=None,
        publisher=None,
        page_count=page_count,
        pipeline_version=PIPELINE_VERSION,
        status="failed",
        error_code=code,
        chars_total=None,
        chars_kept=None,
        chars_furniture=None,
        chars_dropped=None,
        ocr_pages=None,
    )
