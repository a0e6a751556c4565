"""Layout across a document's pages, on pages whose lines each page reader made (lines.py):
running headers, footers and page numbers set apart (furniture.py), then columns found and
lines put into reading order (columns.py).
"""

from __future__ import annotations

from compendium_corpus.columns import order_pages
from compendium_corpus.furniture import remove_furniture
from compendium_corpus.model import Diagnostics, Page
from compendium_corpus.style import body_size


def document_layout(pages: list[Page], diagnostics: Diagnostics) -> list[Page]:
    """Stage entry: pages that went through `lines.page_lines` to ordered pages with their
    furniture set apart. Records no findings yet; it takes `diagnostics` as every stage does."""
    remove_furniture(pages)
    order_pages(pages, body_size(pages))
    return pages
