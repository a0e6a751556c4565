"""HTML to PDF with WeasyPrint, and what the layout decided: on which physical page
every anchored element landed, what page number each page prints and what kind of
page it is. Read from WeasyPrint's own page boxes, so the truth and the PDF come
from one layout and cannot disagree."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from weasyprint.formatting_structure.boxes import MarginBox

STYLES = Path(__file__).resolve().parent / "styles"
PAGE_NUMBER = re.compile(r"^(\d+|[ivxlcdm]+)$")
# Font subsets carry a 'modified' time: fixed, so that the same input gives the same bytes
# (doc_id derives from them).
REPRODUCIBLE_TIME = "1767225600"  # 2026-01-01
# fontTools warns on every load of a font whose dates it finds odd (Carlito's): noise here
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)


@dataclass
class Layout:
    document: weasyprint.Document
    first_page: dict[str, int]  # anchor id -> 1-based page where the element starts
    labels: list[str | None]  # the page number printed on each page, None when none is
    kinds: list[str]  # cover, toc, front, blank, opener, paper or back

    @property
    def page_count(self) -> int:
        return len(self.kinds)


def render(html: str, stylesheets: tuple[str, ...]) -> Layout:
    os.environ["SOURCE_DATE_EPOCH"] = REPRODUCIBLE_TIME
    sheets = [weasyprint.CSS(filename=STYLES / name) for name in ("base.css", *stylesheets)]
    document = weasyprint.HTML(string=html, base_url=str(STYLES)).render(stylesheets=sheets)
    first_page: dict[str, int] = {}
    labels, kinds = [], []
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
        labels.append(_printed_number(page._page_box))
        kinds.append(_kind(page._page_box.page_type))
    return Layout(document, first_page, labels, kinds)


def _printed_number(page_box) -> str | None:
    """The text of the margin box that holds only a page number (digits or roman)."""
    for box in page_box.children:
        if isinstance(box, MarginBox):
            text = "".join(getattr(d, "text", "") for d in box.descendants()).strip()
            if PAGE_NUMBER.match(text):
                return text
    return None


def _kind(page_type) -> str:
    """A page's kind is its page name ('opener-first' is an opener where a variant
    restarts its numbers); pages WeasyPrint adds to reach a right-hand page are blank."""
    if page_type.blank or not page_type.name:
        return "blank"
    return page_type.name.partition("-")[0]
