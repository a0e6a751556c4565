"""The documents row: what the cover and title pages say the volume is."""
from __future__ import annotations

from pipeline import __version__
from pipeline.model import Page


def describe(pages: list[Page], metadata: dict, source_file: str, doc_id: str, sha256: str) -> dict:
    """Stage entry: one documents row."""
    return {
        "doc_id": doc_id, "source_file": source_file, "sha256": sha256,
        "title": metadata.get("Title") or source_file, "series": None, "volume": None, "editor": None,
        "publisher": None, "page_count": len(pages), "pipeline_version": __version__,
    }
