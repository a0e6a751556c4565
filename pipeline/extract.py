"""One document through the stages: PDF path in, plain row dicts per table out."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline import __version__

ProgressCallback = Callable[[int, int], None]


def extract(path: Path, doc_id: str, sha256: str, password: str | None = None,
            on_page: ProgressCallback | None = None) -> dict[str, list[dict]]:
    """Return {table name: [row dict]} for one PDF (stub until the stages land)."""
    return {
        "documents": [{
            "doc_id": doc_id, "source_file": path.name, "sha256": sha256, "title": path.stem,
            "series": None, "volume": None, "editor": None, "publisher": None,
            "page_count": 1, "pipeline_version": __version__,
        }],
        "diagnostics": [],
    }
