"""The typesettings the tool makes of the sample: what each one changes, so that a
score per variant says which layout the pipeline reads well. The look of each is in
its stylesheets (typeset/styles/, after base.css); here is only what changes the
document itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    summary: str
    page_size: str  # as the truth's render.page_size names it
    notes: str  # "endnotes" after each paper, or "footnotes" at the foot of the page
    stylesheets: tuple[str, ...]
    contents: bool = True  # a table of contents after the cover


VARIANTS = {
    v.name: v
    for v in [
        Variant(
            "a5serif", "A5, one column, serif, coloured headings not bold, endnotes", "A5", "endnotes", ("a5serif.css",)
        ),
        Variant(
            "letter2col",
            "US Letter, two columns, page-foot notes, ■ bullets, ragged right, no indents",
            "Letter",
            "footnotes",
            ("letter2col.css",),
        ),
        Variant(
            "numbered_toc",
            "A4, one column, chapters numbered in the contents, pull-quotes floated beside the text, numbered items",
            "A4",
            "endnotes",
            ("numbered.css",),
        ),
        Variant(
            "notoc_numbered",
            "numbered_toc without a contents page",
            "A4",
            "endnotes",
            ("numbered.css",),
            contents=False,
        ),
        Variant(
            "a4twocol_roman",
            "A4, two columns with a 1 em gutter, front matter paged i, ii, ..., "
            "small-caps headings, endnotes in two columns",
            "A4",
            "endnotes",
            ("a4twocol_roman.css",),
        ),
        Variant("a4threecol", "A4, three columns, endnotes in two columns", "A4", "endnotes", ("a4threecol.css",)),
    ]
}
