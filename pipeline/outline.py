"""The document outline (bookmarks) the PDF declares: titles, depths and target pages.

An outline is evidence, not truth: producers write stale, generic or truncated
entries (a word processor cuts titles at sixty characters), so the body stage
only trusts an entry where a line on its target page reads as it. Read through
pdfium whatever the character engine: one reader, and it resolves named
destinations to pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

MAX_DEPTH = 8  # outline levels read
MAX_ENTRIES = 5000  # a runaway (cyclic or generated) outline is cut here


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    level: int  # 0 for the top level
    title: str
    page: int  # 1-based physical page it points to


def read_outline(path: Path, password: str | None = None) -> list[OutlineEntry]:
    """The entries that point to a page, in outline order; none when the file has no
    outline or it cannot be read (the outline is never worth a document)."""
    try:
        pdf = pdfium.PdfDocument(str(path), password=password)
    except Exception:
        return []
    entries: list[OutlineEntry] = []
    try:
        for mark in pdf.get_toc(max_depth=MAX_DEPTH):
            dest = mark.get_dest()
            index = dest.get_index() if dest is not None else None
            title = re.sub(r"\s+", " ", mark.get_title() or "").strip()
            if index is not None and title:
                entries.append(OutlineEntry(mark.level, title, index + 1))
            if len(entries) >= MAX_ENTRIES:
                break
    except Exception:
        return entries
    finally:
        pdf.close()
    return entries
