"""Front matter: the sections listed before the first chapter, the contributing
organisations and the list of acronyms."""
from __future__ import annotations

from pipeline.model import Diagnostics, Page
from pipeline.structure import Structure


def extract_front(pages: list[Page], structure: Structure, body: float, diagnostics: Diagnostics,
                  doc_id: str) -> dict[str, list[dict]]:
    """Stage entry: rows for front_sections, organisations and acronyms."""
    return {"front_sections": [], "organisations": [], "acronyms": []}
