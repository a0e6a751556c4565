"""One document through the stages: PDF path in, plain row dicts per table out."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.body import PaperBody, extract_body
from pipeline.document import describe, metadata_title
from pipeline.errors import NoPages
from pipeline.front import extract_front
from pipeline.layout import document_layout
from pipeline.model import Diagnostics, Page
from pipeline.notes import extract_notes
from pipeline.ocr import OcrPlan, read_scanned
from pipeline.outline import OutlineEntry, read_outline
from pipeline.recommendations import extract_recommendations
from pipeline.parallel import read_document
from pipeline.source import DEFAULT_ENGINE, open_pdf
from pipeline.structure import Structure, detect
from pipeline.style import DocumentStyle, document_style

ProgressCallback = Callable[[int, int], None]


def extract(path: Path, doc_id: str, sha256: str, password: str | None = None,
            on_page: ProgressCallback | None = None, jobs: int = 1,
            engine: str = DEFAULT_ENGINE, ocr: OcrPlan | None = None) -> dict[str, list[dict]]:
    """Return {table name: [row dict]} for one PDF; `jobs` processes read its pages
    (the rows are the same whatever `jobs`), `engine` names the character source,
    `ocr` whether a scan's pages are read by OCR (None: never; see ocr.py)."""
    diagnostics = Diagnostics()
    with open_pdf(path, password, engine) as pdf:
        total = len(pdf.pages)
        if total == 0:
            raise NoPages(f"{path.name} has no pages")
        metadata = dict(pdf.metadata or {})
        pages, tallies = read_document(pdf, diagnostics, jobs, on_page, path, password)
    scanned = read_scanned(path, password, tallies, diagnostics, ocr,
                           lambda copy: extract(copy, doc_id, sha256, password, on_page, jobs, engine), doc_id)
    if scanned is not None:
        return scanned
    pages = document_layout(pages, diagnostics)
    analysis = analyse(pages, metadata, diagnostics, read_outline(path, password))
    structure, body = analysis.structure, analysis.style.body_size
    tables: dict[str, list[dict]] = {
        "documents": [describe(pages, metadata, path.name, doc_id, sha256, total)],
        "chapters": [
            {"doc_id": doc_id, "chapter_id": c.chapter_id, "number": c.number, "title": c.title,
             "key_questions": c.key_questions, "page_start": c.page}
            for c in structure.chapters
        ],
        "papers": [
            {"doc_id": doc_id, "paper_id": p.paper_id, "chapter_id": p.chapter_id, "position": p.position,
             "title": p.title, "page_start": p.page_start, "page_end": p.page_end}
            for p in structure.papers
        ],
        "authors": [
            {"doc_id": doc_id, "paper_id": p.paper_id, "position": i, "name": a.name, "affiliation": a.affiliation}
            for p in structure.papers for i, a in enumerate(p.authors, start=1)
        ],
    }
    tables.update(extract_front(pages, structure, body, diagnostics, doc_id))
    bodies = analysis.bodies
    tables.update(body_rows(bodies, doc_id))
    tables["footnotes"] = extract_notes(bodies, pages, body, diagnostics, doc_id)
    tables["recommendations"] = extract_recommendations(bodies, doc_id)
    tables["diagnostics"] = diagnostics.rows(doc_id)
    return tables


@dataclass(slots=True)
class Analysis:
    """What the stages after layout decided about a document's pages."""

    style: DocumentStyle
    structure: Structure
    bodies: list[PaperBody]


def analyse(pages: list[Page], metadata: dict, diagnostics: Diagnostics,
            outline: list[OutlineEntry] = ()) -> Analysis:
    """The structure and bodies of laid-out pages (shared by `extract` and `inspect`)."""
    style = document_style(pages)
    structure = detect(pages, style, diagnostics, metadata_title(metadata))
    bodies = extract_body(pages, structure.papers, style, diagnostics, outline)
    return Analysis(style, structure, bodies)


def body_rows(bodies, doc_id: str) -> dict[str, list[dict]]:
    sections, paragraphs, quotes, figures = [], [], [], []
    for b in bodies:
        pid = b.paper.paper_id
        sections += [{"doc_id": doc_id, "paper_id": pid, "section_id": s.section_id,
                      "parent_section_id": s.parent_section_id, "level": s.level, "position": s.position,
                      "heading": s.heading, "page": s.page} for s in b.sections]
        paragraphs += [{"doc_id": doc_id, "paper_id": pid, "section_id": p.section_id, "paragraph_id": p.paragraph_id,
                        "position": p.position, "kind": p.kind, "lead": p.lead, "text": p.text,
                        "footnote_refs": [{"number": r.number, "offset": r.offset} for r in p.refs],
                        "page_start": p.page_start, "page_end": p.page_end} for p in b.paragraphs]
        quotes += [{"doc_id": doc_id, "paper_id": pid, **q} for q in b.pull_quotes]
        figures += [{"doc_id": doc_id, "paper_id": pid, "figure_id": f.figure_id, "label": f.label, "title": f.title,
                     "caption": f.caption, "rows": f.rows, "source": f.source, "page": f.page} for f in b.figures]
    return {"sections": sections, "paragraphs": paragraphs, "pull_quotes": quotes, "figures": figures}
