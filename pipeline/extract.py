"""One document through the stages into the contract's rows."""

from __future__ import annotations

from pathlib import Path

from compendium_corpus.ocr import OcrPlan
from compendium_corpus.packing import PackedTables
from compendium_corpus.rows import tables
from compendium_corpus.source import DEFAULT_ENGINE
from compendium_corpus.stages import ProgressCallback, run_stages


def extract(
    path: Path,
    doc_id: str,
    sha256: str,
    password: str | None = None,
    on_page: ProgressCallback | None = None,
    jobs: int = 1,
    engine: str = DEFAULT_ENGINE,
    ocr: OcrPlan | None = None,
) -> PackedTables:
    """Every table's rows for one PDF (see `run_stages` for the arguments); raises the
    pipeline's ExtractionError for a document that cannot be read at all."""
    return tables(run_stages(path, password, engine, jobs, on_page, ocr), doc_id, sha256)
