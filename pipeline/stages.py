"""The stages wired once: a PDF in, every stage's typed drafts out.

`extract` turns the drafts into rows (rows.py); `inspect` and `report --inspect`
draw them on the page (overlay.py). Both call `run_stages`, so what an overlay
shows is what the tables hold, read with the same engine.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from compendium_corpus.body import PaperBody, extract_body
from compendium_corpus.document import DocumentDraft, describe, metadata_title
from compendium_corpus.errors import NoPages
from compendium_corpus.front import FrontMatter, extract_front
from compendium_corpus.layout import document_layout
from compendium_corpus.model import Diagnostics, Page, page_index
from compendium_corpus.notes import NoteDraft, extract_notes
from compendium_corpus.ocr import OcrPlan, read_scanned
from compendium_corpus.outline import read_outline
from compendium_corpus.parallel import read_document
from compendium_corpus.recommendations import RecommendationDraft, extract_recommendations
from compendium_corpus.source import DEFAULT_ENGINE, Tally, open_pdf
from compendium_corpus.structure import Structure, detect
from compendium_corpus.style import DocumentStyle, document_style

ProgressCallback = Callable[[int, int], None]
log = logging.getLogger(__name__)


@dataclass(slots=True)
class Drafts:
    """Everything the stages decided about one PDF, each draft with the lines it was read from."""

    source_file: str
    page_count: int
    tallies: list[Tally]  # per page read: its characters, those set sideways or unmapped included
    pages: list[Page]
    by_number: dict[int, Page]  # the same pages by number (model.page_index), built once
    style: DocumentStyle
    document: DocumentDraft
    structure: Structure
    bodies: list[PaperBody]
    notes: list[NoteDraft]
    recommendations: list[RecommendationDraft]
    front: FrontMatter
    diagnostics: Diagnostics
    ocr_pages: int = 0  # pages read by OCR


def run_stages(
    path: Path,
    password: str | None = None,
    engine: str = DEFAULT_ENGINE,
    jobs: int = 1,
    on_page: ProgressCallback | None = None,
    ocr: OcrPlan | None = None,
) -> Drafts:
    """Every stage on `path`: `jobs` processes read its pages (the drafts are the same
    whatever `jobs`), `engine` names the character source, `ocr` whether a scan's pages
    are read by OCR (None: never; see ocr.py). Raises the pipeline's ExtractionError for a
    document that cannot be read at all."""
    diagnostics, clock = Diagnostics(), _Clock()
    with open_pdf(path, password, engine) as pdf:
        total = len(pdf.pages)
        if total == 0:
            raise NoPages(f"{path.name} has no pages")
        metadata = dict(pdf.metadata or {})
        pages, tallies = read_document(pdf, diagnostics, jobs, on_page)
    scanned = read_scanned(
        path, password, tallies, diagnostics, ocr, lambda copy: run_stages(copy, password, engine, jobs, on_page)
    )
    if scanned is not None:
        drafts, ocr_notes, ocr_pages = scanned
        drafts.diagnostics.items += ocr_notes
        drafts.ocr_pages = ocr_pages
        return drafts
    clock.lap("read", f"{total} pages, {sum(t.total for t in tallies)} printing characters")
    pages = document_layout(pages, diagnostics)
    clock.lap(
        "layout",
        f"{sum(len(p.lines) for p in pages)} lines, "
        f"{sum(len(p.furniture) for p in pages)} running headers, footers and page numbers",
    )
    style = document_style(pages)
    clock.lap("style", f"body {style.body_size:g} pt, {len(style.heading_styles)} heading styles")
    log.debug("heading styles: %s", sorted(style.heading_styles, key=repr))
    by_number = page_index(pages)
    structure = detect(pages, style, diagnostics, metadata_title(metadata), by_number=by_number)
    clock.lap(
        "structure",
        f"{len(structure.chapters)} chapters, {len(structure.papers)} papers"
        + (f", contents on pages {structure.toc_pages}" if structure.toc_pages else ""),
    )
    for paper in structure.papers:
        log.debug(
            "%s pages %d-%d: %r by %s",
            paper.paper_id,
            paper.page_start,
            paper.page_end,
            paper.title,
            ", ".join(a.name for a in paper.authors) or "no author",
        )
    bodies = extract_body(
        pages, structure.papers, style, diagnostics, read_outline(path, password), by_number=by_number
    )
    clock.lap(
        "body",
        f"{sum(len(b.sections) for b in bodies)} sections, "
        f"{sum(len(b.paragraphs) for b in bodies)} paragraphs, "
        f"{sum(len(b.pull_quotes) for b in bodies)} pull-quotes, {sum(len(b.figures) for b in bodies)} figures",
    )
    document = describe(pages, metadata, style.body_size)
    clock.lap("document", repr(document.title))
    front = extract_front(pages, structure, style.body_size, diagnostics, document.lines, by_number=by_number)
    clock.lap(
        "front",
        f"{len(front.sections)} sections, {len(front.organisations)} organisations, {len(front.acronyms)} acronyms",
    )
    notes = extract_notes(bodies, pages, diagnostics, by_number=by_number)
    clock.lap("notes", f"{len(notes)} notes, {sum(1 for n in notes if n.cited_by)} cited")
    recommendations = extract_recommendations(bodies)
    clock.lap("recommendations", f"{len(recommendations)}")
    return Drafts(
        path.name,
        total,
        tallies,
        pages,
        by_number,
        style,
        document,
        structure,
        bodies,
        notes,
        recommendations,
        front,
        diagnostics,
    )


class _Clock:
    """Logs (at -v) each stage of a document as it ends: its time and what it found."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def lap(self, stage: str, found: str) -> None:
        now = time.perf_counter()
        log.info("%-15s %6.2f s  %s", stage, now - self.last, found)
        self.last = now
