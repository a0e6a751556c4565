"""One PDF to validated rows, every failure turned into a classified result.

`extract_document` is what a worker process runs: it never writes (its parent
commits, so a worker killed at any moment leaves nothing half-done) and never
raises for a document's content. `commit` is the parent's side; `run_document`
chains both in-process, without isolation, for embedding and tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from compendium_corpus.errors import ExtractionError
from compendium_corpus.extract import extract
from compendium_corpus.inputs import file_sha256
from compendium_corpus.model import Diagnostics
from compendium_corpus.ocr import DEFAULT_MODE, OcrPlan
from compendium_corpus.packing import PackedTables
from compendium_corpus.parser_log import parser_log
from compendium_corpus.repair import REPAIRABLE, REPAIRED, rebuild, scratch
from compendium_corpus.rows import diagnostic_rows, failed_document
from compendium_corpus.safe_text import repair, repair_rows
from compendium_corpus.source import DEFAULT_ENGINE
from compendium_corpus.write import PART_FILE, PARTITION_KEY, write_document, write_tables


@dataclass
class DocumentResult:
    source: Path
    doc_id: str | None  # None when the file could not even be read
    sha256: str | None
    status: str  # "ok" or "failed"
    error_code: str | None = None
    error_message: str | None = None
    tables: Mapping[str, list[dict]] = field(default_factory=dict)  # validated rows; a failure's diagnostics only
    pages: int | None = None
    seconds: float = 0.0  # extraction wall time


def failure(
    path: Path,
    sha256: str | None,
    code: str,
    message: str,
    seconds: float,
    page: int | None = None,
    notes: Iterable[dict] = (),
) -> DocumentResult:
    """A failed result, when the bytes could be read: its documents row saying so, and
    diagnostics holding the error row (and `notes`)."""
    message = repair(message)
    doc_id = sha256[:16] if sha256 else None
    error = Diagnostics()
    error.add(code, message, page=page)
    tables = {}
    if doc_id and sha256:
        tables = repair_rows(
            {
                "documents": [failed_document(Path(path).name, sha256, code).model_dump()],
                "diagnostics": diagnostic_rows(error.items, doc_id) + list(notes),
            }
        )
    return DocumentResult(Path(path), doc_id, sha256, "failed", code, message, tables, seconds=seconds)


def extract_document(
    path: Path,
    password: str | None = None,
    on_page: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    engine: str = DEFAULT_ENGINE,
    ocr: str = DEFAULT_MODE,
    timeout: float | None = None,
) -> DocumentResult:
    """Extract and validate one PDF, its pages read by `jobs` processes; return its
    rows, or its classified failure. `ocr` is a mode of ocr.MODES; `timeout`, the
    seconds after which the document's worker is killed, bounds the time OCR may take."""
    path = Path(path)
    start = time.perf_counter()
    plan = OcrPlan(ocr, time.monotonic() + timeout if timeout else None, jobs)
    try:
        sha256 = file_sha256(path)
    except ExtractionError as err:
        return failure(path, None, err.code, err.message, time.perf_counter() - start)
    except OSError as err:
        return failure(path, None, "io-error", f"{path.name}: {err.strerror or err}", time.perf_counter() - start)
    doc_id = sha256[:16]
    rows, error = None, None
    with parser_log() as log:
        try:
            rows = _extract_or_repair(path, doc_id, sha256, password, on_page, jobs, engine, plan)
        except ExtractionError as err:
            error = err.code, err.message, err.page
        except MemoryError:
            error = "out-of-memory", f"{path.name} needs more memory than the worker may use", None
        except RecursionError:  # cyclic or absurdly nested objects
            error = "unreadable-pdf", f"{path.name}: objects nest too deeply to be parsed", None
        except Exception as err:  # last resort: a stage bug must not stop the corpus run
            error = "internal-error", f"{path.name}: {type(err).__name__}: {err}", None
    seconds = time.perf_counter() - start
    if error:
        code, message, page = error
        return failure(path, sha256, code, message, seconds, page, log.rows(doc_id))
    assert rows is not None  # no error: the tables were extracted
    rows.add("diagnostics", log.rows(doc_id))
    documents = rows["documents"]
    pages = documents[0]["page_count"] if documents else None
    return DocumentResult(path, doc_id, sha256, "ok", tables=rows, pages=pages, seconds=seconds)


def _extract_or_repair(
    path: Path,
    doc_id: str,
    sha256: str,
    password: str | None,
    on_page: Callable[[int, int], None] | None,
    jobs: int,
    engine: str,
    ocr: OcrPlan,
) -> PackedTables:
    """The document's rows; for a damaged file, those of qpdf's rebuilt copy (see repair.py)."""
    try:
        return extract(path, doc_id, sha256, password=password, on_page=on_page, jobs=jobs, engine=engine, ocr=ocr)
    except ExtractionError as err:
        if err.code not in REPAIRABLE:
            raise
        with scratch() as folder:
            copy = folder / path.name
            found = rebuild(path, password, copy)
            if found is None:
                raise
            try:
                tables = extract(
                    copy, doc_id, sha256, password=password, on_page=on_page, jobs=jobs, engine=engine, ocr=ocr
                )
            except ExtractionError as again:
                raise type(err)(f"{err.message} (a copy rebuilt by qpdf failed too: {again.code})", err.page) from None
        repaired = Diagnostics()
        repaired.add(
            REPAIRED, f"{err.message}; the file was rebuilt by qpdf and extracted from the rebuilt copy (qpdf: {found})"
        )
        tables.add("diagnostics", diagnostic_rows(repaired.items, doc_id))
        return tables


def commit(result: DocumentResult, out_dir: Path) -> dict[str, int] | None:
    """Replace the document's partitions by a result's rows, atomically; return the rows written per table.

    A good result replaces every table. A failure writes only its documents row
    (status `failed`) and diagnostics, and only when no earlier run left good output
    for these bytes: a timeout or a crash on a re-run must never cost tables that were fine.
    """
    if result.status == "ok":
        assert result.doc_id is not None  # an extracted file was hashed
        return write_document(out_dir, result.doc_id, result.tables)
    if result.doc_id and result.tables and not extracted(out_dir, result.doc_id):
        return write_tables(out_dir, result.doc_id, result.tables)
    return None


def extracted(out_dir: Path, doc_id: str) -> bool:
    """Whether the output holds the document's good tables: a documents row not marked
    failed (an unreadable one is taken as good: what is there is never overwritten by a failure)."""
    part = Path(out_dir) / "documents" / f"{PARTITION_KEY}={doc_id}" / PART_FILE
    if not part.parent.is_dir():
        return False
    try:
        statuses = pq.read_table(part, columns=["status"]).column("status").to_pylist()
    except Exception:  # a part file from before the status column, or damaged
        return True
    return "failed" not in statuses


def run_document(
    path: Path,
    out_dir: Path,
    password: str | None = None,
    on_page: Callable[[int, int], None] | None = None,
    jobs: int = 1,
    engine: str = DEFAULT_ENGINE,
    ocr: str = DEFAULT_MODE,
) -> DocumentResult:
    """Extract, validate and commit one PDF in this process (no timeout, no memory ceiling;
    `jobs` > 1 forks page readers)."""
    result = extract_document(path, password, on_page, jobs, engine, ocr)
    commit(result, out_dir)
    return result
