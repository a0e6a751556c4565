"""One PDF to its partitions, turning every failure into a result and a diagnostics row.

A corpus run must survive a bad file: nothing here raises for a document's
content, so the caller can go on with the next one.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import EmptyFile, ExtractionError
from pipeline.extract import extract
from pipeline.validate import validate_rows
from pipeline.write import write_document, write_tables


@dataclass
class DocumentResult:
    source: Path
    doc_id: str | None  # None when the file could not even be read
    status: str  # "ok" or "failed"
    error_code: str | None = None
    error_message: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def run_document(path: Path, out_dir: Path, password: str | None = None,
                 on_page: Callable[[int, int], None] | None = None) -> DocumentResult:
    """Extract, validate and write one PDF.

    On failure only the document's diagnostics partition is (re)written: its
    other tables keep whatever an earlier good run left, never half of a new one.
    """
    path = Path(path)
    start = time.perf_counter()
    try:
        data = path.read_bytes()
    except OSError as err:
        return DocumentResult(path, None, "failed", "io-error", err.strerror or str(err),
                              seconds=time.perf_counter() - start)
    sha256 = hashlib.sha256(data).hexdigest()
    doc_id = sha256[:16]
    try:
        if not data:
            raise EmptyFile("file is empty")
        clean, problems = validate_rows(extract(path, doc_id, sha256, password=password, on_page=on_page), doc_id)
    except ExtractionError as err:
        code, message, page = err.code, err.message, err.page
    except Exception as err:  # last resort: a stage bug must not stop the corpus run
        code, message, page = "internal-error", f"{type(err).__name__}: {err}", None
    else:
        clean["diagnostics"] += problems
        counts = write_document(out_dir, doc_id, clean)
        return DocumentResult(path, doc_id, "ok", counts=counts, seconds=time.perf_counter() - start)
    diagnostic = {"doc_id": doc_id, "stage": "extract", "severity": "error", "code": code,
                  "message": message, "page": page, "paper_id": None}
    counts = write_tables(out_dir, doc_id, {"diagnostics": [diagnostic]})
    return DocumentResult(path, doc_id, "failed", code, message, counts, time.perf_counter() - start)
