"""One Pydantic model per output table of the contract (../shared/CONTRACT.md).

These models are the single source of truth for column names, types and
meanings: the Arrow schemas (schemas/arrow.py) and the data dictionary
(`compendium schema`) are derived from them, never written by hand.
Integer columns carry `Int32` so the Arrow mapping knows their width.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1), "int32"]
Page = Annotated[int, Field(ge=1, le=2**31 - 1), "int32"]
Count = Annotated[int, Field(ge=0)]
Float32 = Annotated[float, "float32"]


class Row(BaseModel):
    """Common base: strict field set, so a typo in a stage is a validation error."""

    model_config = ConfigDict(extra="forbid")
    doc_id: str = Field(
        description="First 16 hex characters of the PDF's SHA-256; the partition key (`doc_id=<doc_id>` folders).",
        examples=["f15c5ff2e5336136"],
    )


PAPER_ID = "Paper the row belongs to (`papers.paper_id`)."


class Box(BaseModel):
    """Where a row's text stands: one box per page or column fragment, in PDF points from the
    page's top-left corner, the page as displayed (as read, for a page turned to be read)."""

    model_config = ConfigDict(extra="forbid")
    page: Page = Field(description="Physical page (1-based).")
    x0: Float32 = Field(description="Left edge.")
    top: Float32 = Field(description="Top edge, from the top of the page.")
    x1: Float32 = Field(description="Right edge.")
    bottom: Float32 = Field(description="Bottom edge, from the top of the page.")


BOXES = "Where the row's text stands, one box per page or column fragment (`Box`: page, x0, top, x1, bottom)."


def _box_example(page: int, x0: float, top: float, x1: float, bottom: float) -> list:
    return [[{"page": page, "x0": x0, "top": top, "x1": x1, "bottom": bottom}]]


class Document(Row):
    """One row per PDF."""

    source_file: str = Field(description="File name of the PDF.", examples=["eu-china-crossroads-vol5.pdf"])
    sha256: str = Field(
        description="SHA-256 of the PDF's bytes, hex.",
        examples=["f15c5ff2e533613676f100ec9a728ae38e816906a86a60921464feefc8d92d26"],
    )
    title: str = Field(
        description="Title of the volume as printed on the cover.", examples=["The geometry of coexistence"]
    )
    series: str | None = Field(
        description="Series the volume belongs to.", examples=["EU–China relations at a crossroads"]
    )
    volume: str | None = Field(description="Volume label as printed (e.g. a roman numeral).", examples=["V"])
    editor: str | None = Field(description="Editor named on the cover, without '(ed.)'.", examples=["Ivano di Carlo"])
    publisher: str | None = Field(description="Publishing organisation.", examples=["European Policy Centre"])
    page_count: Int32 | None = Field(
        description="Number of physical pages in the PDF (null when a failed document's pages could not be counted).",
        examples=[77],
    )
    pipeline_version: str = Field(
        description="Version of compendium that wrote the row: release plus a digest of the pipeline code.",
        examples=["0.1.0+3f9c2a7b1d"],
    )
    status: Literal["ok", "failed"] = Field(
        description="`ok`, or `failed` for a document whose extraction failed (its other tables are empty).",
        examples=["ok"],
    )
    error_code: str | None = Field(
        description="Why a failed document failed (see the diagnostic codes).", examples=[None]
    )
    chars_total: Count | None = Field(
        description="Printing characters on the pages (those set sideways or without a Unicode mapping included).",
        examples=[245158],
    )
    chars_kept: Count | None = Field(
        description="Of those, the characters that went into some table.", examples=[238630]
    )
    chars_furniture: Count | None = Field(
        description="Running headers, footers and page numbers, set apart.", examples=[4616]
    )
    chars_dropped: Count | None = Field(
        description="The rest: characters no table holds (a warning names the pages when they are more than 2%).",
        examples=[1912],
    )
    ocr_pages: Int32 | None = Field(description="Pages whose text was read by OCR (0: none).", examples=[0])


class Chapter(Row):
    """One row per chapter (a numbered part grouping papers)."""

    chapter_id: str = Field(description="Stable id within the document.", examples=["c01"])
    number: Int32 = Field(description="Chapter number as printed.", examples=[1])
    title: str = Field(
        description="Chapter title as printed on its opener page.",
        examples=["EU–China Relations: Finding Common Ground in a Fragmented Global Order"],
    )
    key_questions: list[str] = Field(
        description="Key questions listed on the chapter opener, in order.",
        examples=[["How is global fragmentation reshaping EU-China relations?"]],
    )
    page_start: Page = Field(description="Physical page of the chapter opener (1-based).", examples=[13])


class Paper(Row):
    """One row per paper (a signed policy paper within a chapter)."""

    paper_id: str = Field(description="Stable id within the document.", examples=["p01"])
    chapter_id: str | None = Field(description="Chapter the paper belongs to, if any.", examples=["c01"])
    position: Int32 = Field(description="1-based reading order of the paper in the document.", examples=[1])
    title: str = Field(
        description="Paper title as printed on its first page.",
        examples=["Reconstructing China-Europe cooperation within the fragmented global order"],
    )
    page_start: Page = Field(description="Physical first page.", examples=[14])
    page_end: Page = Field(description="Physical last page, endnotes included.", examples=[17])


class Author(Row):
    """One row per author of a paper."""

    paper_id: str = Field(description="Paper the author signed.", examples=["p01"])
    position: Int32 = Field(description="1-based order as printed on the paper's first page.", examples=[1])
    name: str = Field(description="Author's name as printed.", examples=["Jin Ling"])
    affiliation: str | None = Field(
        description="Role and institution printed under the name.",
        examples=["Director and Senior Research Fellow, Department for European Studies, CIIS"],
    )


class Section(Row):
    """One row per heading in a paper's body."""

    paper_id: str = Field(description=PAPER_ID, examples=["p01"])
    section_id: str = Field(description="Stable id within the document.", examples=["p01-s03"])
    parent_section_id: str | None = Field(
        description="The enclosing section one level up (null at level 1).", examples=["p01-s02"]
    )
    level: Int32 = Field(description="1 section, 2 subsection, 3 and 4 deeper.", examples=[2])
    position: Int32 = Field(description="Order of the heading within the paper.", examples=[3])
    heading: str = Field(
        description="Heading text as printed.", examples=["THE RISE OF 'TRUMPISM' AND THE FRAGMENTED GLOBAL ORDER"]
    )
    page: Page = Field(description="Physical page where the heading stands.", examples=[14])
    boxes: list[Box] = Field(description=BOXES, examples=_box_example(15, 56.69, 218.35, 282.39, 251.6))


class FootnoteRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: Int32 = Field(description="Note number the marker points to.")
    offset: Int32 = Field(description="Character offset in `text` right after which the marker stood.")


class Paragraph(Row):
    """One row per paragraph or list item of a paper's body text, in reading order."""

    paper_id: str = Field(description=PAPER_ID, examples=["p02"])
    section_id: str | None = Field(description="Section the paragraph belongs to.", examples=["p02-s01"])
    paragraph_id: str = Field(description="Stable id within the document.", examples=["p02-para001"])
    position: Int32 = Field(description="Order within the paper.", examples=[1])
    kind: Literal["paragraph", "list_item"] = Field(description="`paragraph` or `list_item`.", examples=["paragraph"])
    lead: str | None = Field(
        description="A list item's bold lead-in, without its trailing colon.", examples=["Stay engaged, be frank"]
    )
    text: str = Field(
        description="Plain text: the whole paragraph, or the rest of a list item.",
        examples=[
            "Since the EU announced its new approach to China in 2019 – reframing the country "
            "not only as a partner but also as an economic competitor and systemic rival – "
            "Europe has increasingly leaned towards the latter two assessments."
        ],
    )
    footnote_refs: list[FootnoteRef] = Field(
        description="Footnote markers removed from `text`: note number and offset.",
        examples=[[{"number": 1, "offset": 156}]],
    )
    page_start: Page = Field(description="Physical page where the paragraph starts.", examples=[18])
    page_end: Page = Field(
        description="Physical page where it ends (later when it runs over a page break).", examples=[18]
    )
    boxes: list[Box] = Field(description=BOXES, examples=_box_example(14, 302.6, 191.03, 538.62, 347.33))


class PullQuote(Row):
    """One row per pull-quote: a display copy of body text."""

    paper_id: str = Field(description=PAPER_ID, examples=["p01"])
    pull_quote_id: str = Field(description="Stable id within the document.", examples=["p01-q01"])
    text: str = Field(
        description="The displayed quotation.",
        examples=[
            "In fact, the shared risk for China and Europe is a disordered world economic system "
            "in which rules and regulations are subordinate to geopolitical considerations."
        ],
    )
    source_paragraph_id: str | None = Field(
        description="Body paragraph the pull-quote repeats.", examples=["p01-para015"]
    )
    page: Page = Field(description="Physical page where the quote stands.", examples=[16])
    boxes: list[Box] = Field(description=BOXES, examples=_box_example(19, 56.69, 79.2, 281.48, 166.2))


class Footnote(Row):
    """One row per footnote or endnote."""

    paper_id: str = Field(description=PAPER_ID, examples=["p02"])
    number: Int32 = Field(description="Note number as printed.", examples=[2])
    text: str = Field(
        description="Plain text of the note, link markup removed.",
        examples=["Ewe, Koh et al, “EU chief says ties with China at ‘inflection point’”, BBC News, 24 July 2025."],
    )
    urls: list[str] = Field(
        description="Targets of the links inside the note.", examples=[["https://example.org/ref/p02/2/1"]]
    )
    cited_by: list[str] = Field(
        description="paragraph_ids whose markers point to this note.", examples=[["p02-para001"]]
    )
    page: Page = Field(description="Physical page where the note starts.", examples=[20])
    boxes: list[Box] = Field(description=BOXES, examples=_box_example(20, 48.19, 648.52, 347.4, 656.02))


class Recommendation(Row):
    """One row per policy recommendation (see the README for the rule)."""

    paper_id: str = Field(description=PAPER_ID, examples=["p03"])
    recommendation_id: str = Field(description="Stable id within the document.", examples=["p03-r01"])
    position: Int32 = Field(description="Order within the paper.", examples=[1])
    kind: Literal["list_item", "paragraph"] = Field(
        description="`list_item` or `paragraph`, as in `paragraphs`.", examples=["list_item"]
    )
    lead: str | None = Field(
        description="Bold lead-in of a list item, without its colon.", examples=["Stay engaged, be frank"]
    )
    text: str = Field(
        description="The recommendation's text (a list item's without its lead).",
        examples=[
            "Ensure that communication channels remain open and sufficiently frequent to enable "
            "continued exchange on geopolitical volatility."
        ],
    )
    paragraph_id: str = Field(description="The paragraph row holding the same text.", examples=["p03-para043"])
    section_id: str | None = Field(description="Section the recommendation stands in.", examples=["p03-s11"])
    page: Page = Field(description="Physical page where it starts.", examples=[29])
    boxes: list[Box] = Field(description=BOXES, examples=_box_example(16, 302.6, 229.11, 538.65, 438.61))


class Figure(Row):
    """One row per labelled figure or table; its words are not body text."""

    paper_id: str = Field(description=PAPER_ID, examples=["p03"])
    figure_id: str = Field(description="Stable id within the document.", examples=["p03-f01"])
    label: str = Field(description="Printed label.", examples=["Figure 1"])
    title: str = Field(
        description="Title printed after the label.",
        examples=["EU-China Summits: Finding a constructive joint agenda is increasingly difficult"],
    )
    caption: str | None = Field(
        description="Italic caption under the title.",
        examples=[
            "Selected outcomes from EU-China summits under the last three tenures of European Commission (2015-2026)"
        ],
    )
    rows: list[list[str]] = Field(
        description="Table cells row by row, header rows included, empty cells as ''.",
        examples=[
            [
                ["EU-CHINA SUMMIT", "", ""],
                ["# 17 (Brussels) June 2015", "# 18 (Beijing) July 2016", "# 19 (Brussels) June 2017"],
            ]
        ],
    )
    source: str | None = Field(description="Source or credit line.", examples=["Source: MERICS © MERICS"])
    page: Page = Field(description="Physical page of the figure.", examples=[27])
    boxes: list[Box] = Field(description=BOXES, examples=_box_example(27, 56.69, 205.18, 543.34, 635.26))


class FrontSection(Row):
    """One row per front-matter text (foreword, introduction, about ...)."""

    section_id: str = Field(description="Stable id within the document, from the title.", examples=["foreword"])
    title: str = Field(description="Title as printed.", examples=["Foreword"])
    text: str = Field(
        description="Paragraphs joined by a blank line.",
        examples=["The context of EU–China relations has changed dramatically in recent years."],
    )
    signature_name: str | None = Field(description="Name signing the text.", examples=["Jorge Toledo Albiñana"])
    signature_role: str | None = Field(
        description="Role printed under the signature.", examples=["Ambassador of the European Union to China"]
    )


class Organisation(Row):
    """One row per contributing organisation described in the front matter."""

    name: str = Field(
        description="Organisation's name as printed.", examples=["Africa Policy Research Institute (APRI)"]
    )
    description: str = Field(
        description="Its description, paragraphs joined by a blank line.",
        examples=[
            "Africa Policy Research Institute (APRI) is an independent think tank based in "
            "Berlin, Germany, with a second office in Abuja, Nigeria."
        ],
    )


class Acronym(Row):
    """One row per entry of the list of acronyms."""

    short: str = Field(description="The acronym as printed.", examples=["AEEP"])
    long: str = Field(description="What it stands for.", examples=["Africa-EU Energy Partnership"])


class Diagnostic(Row):
    """One row per finding about the extraction: what a careful reader would want to know."""

    stage: str = Field(description="Pipeline stage that raised it.", examples=["notes"])
    severity: Literal["info", "warning", "error"] = Field(
        description="`info`, `warning` or `error`.", examples=["warning"]
    )
    code: str = Field(description="Stable machine-readable code.", examples=["marker-without-note"])
    message: str = Field(
        description="What happened, for a person.", examples=["marker 15 (in p02-para017) has no note 15"]
    )
    page: Page | None = Field(description="Physical page concerned, if any.", examples=[19])
    paper_id: str | None = Field(description="Paper concerned, if any.", examples=["p02"])


TABLES: dict[str, type[Row]] = {
    "documents": Document,
    "chapters": Chapter,
    "papers": Paper,
    "authors": Author,
    "sections": Section,
    "paragraphs": Paragraph,
    "pull_quotes": PullQuote,
    "footnotes": Footnote,
    "recommendations": Recommendation,
    "figures": Figure,
    "front_sections": FrontSection,
    "organisations": Organisation,
    "acronyms": Acronym,
    "diagnostics": Diagnostic,
}
