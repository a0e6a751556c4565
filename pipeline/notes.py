"""Footnotes and endnotes: each note's number, plain text, links and citing paragraphs."""
from __future__ import annotations

from pipeline.body import PaperBody
from pipeline.model import Diagnostics, Page


def extract_notes(bodies: list[PaperBody], pages: list[Page], body: float, diagnostics: Diagnostics,
                  doc_id: str) -> list[dict]:
    """Stage entry: footnotes rows for every paper."""
    return []
