"""The truth of a variant: the input truth with every page field recomputed from the
variant's layout (physical pages, printed page numbers, the page list). Words,
structure and the authors' slips stay as they are; only where things landed changes."""

from __future__ import annotations

import copy

from typeset.compose import Anchors, toc_targets
from typeset.render import Layout
from typeset.variants import Variant


def variant_truth(truth: dict, variant: Variant, layout: Layout) -> dict:
    out = copy.deepcopy(truth)

    def page(anchor: str) -> int:
        return layout.first_page[anchor]

    def printed(physical: int) -> int | str | None:
        """As the truth has it: an int for arabic numbers, the roman numeral as printed."""
        label = layout.labels[physical - 1]
        return int(label) if label is not None and label.isdigit() else label

    if variant.contents:
        for row, target in zip(out["toc"], toc_targets(truth)):
            row["physical_page"] = page(target)
            row["page"] = printed(page(target))
    else:
        out["toc"] = []

    for section in out["front_matter"]:
        owner = Anchors.front(section["id"])
        section["page"] = page(owner)
        section["printed_page"] = printed(section["page"])
        for i, block in enumerate(section["blocks"]):
            block["page"] = page(Anchors.block(owner, i))

    starts = _section_starts(out, layout)
    for chapter in out["chapters"]:
        chapter["page"] = page(Anchors.chapter(chapter["number"]))
        chapter["printed_page"] = printed(chapter["page"])
        for paper in chapter["papers"]:
            pid = paper["id"]
            paper["page_start"] = page(pid)
            paper["page_end"] = _last_page_before(starts, paper["page_start"], layout)
            paper["printed_page_start"] = printed(paper["page_start"])
            paper["printed_page_end"] = printed(paper["page_end"])
            for i, block in enumerate(paper["blocks"]):
                block["page"] = page(Anchors.block(pid, i))
            for note in paper["footnotes"]:
                note["page"] = page(Anchors.note(pid, note["number"]))
                if variant.notes == "footnotes":
                    note["call_page"] = layout.first_page.get(Anchors.call(pid, note["number"]))
                else:
                    note.pop("call_page", None)

    for i, block in enumerate(out["back_matter"]):
        block["page"] = page(Anchors.block(Anchors.BACK, i))

    out["render"] = {
        "page_count": layout.page_count,
        "page_size": variant.page_size,
        "notes": variant.notes,
        "variant": variant.name,
        "pages": [
            {"index": i, "printed_page": printed(i), "kind": kind} for i, kind in enumerate(layout.kinds, start=1)
        ],
    }
    return out


def _section_starts(truth: dict, layout: Layout) -> list[int]:
    """First pages of everything that opens a page of its own after the front matter."""
    ids = [Anchors.chapter(ch["number"]) for ch in truth["chapters"]]
    ids += [p["id"] for ch in truth["chapters"] for p in ch["papers"]]
    return sorted(layout.first_page[i] for i in [*ids, Anchors.BACK])


def _last_page_before(starts: list[int], start: int, layout: Layout) -> int:
    """A paper runs up to the page before whatever opens next, blank pages left out:
    its page-foot notes and endnotes are on those pages too."""
    end = min(s for s in starts if s > start) - 1
    while layout.kinds[end - 1] == "blank":
        end -= 1
    return end
