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


class Row(BaseModel):
    """Common base: strict field set, so a typo in a stage is a validation error."""

    model_config = ConfigDict(extra="forbid")
    doc_id: str = Field(description="First 16 hex characters of the PDF's SHA-256.", examples=["3f2a9c0d41b7e6a8"])


class Document(Row):
    """One row per PDF."""

    source_file: str = Field(description="File name of the PDF.", examples=["eu-china-crossroads-vol5.pdf"])
    sha256: str = Field(description="SHA-256 of the PDF's bytes, hex.")
    title: str = Field(description="Title of the volume as printed on the cover.", examples=["The geometry of coexistence"])
    series: str | None = Field(description="Series the volume belongs to.", examples=["EU–China relations at a crossroads"])
    volume: str | None = Field(description="Volume label as printed (e.g. a roman numeral).", examples=["V"])
    editor: str | None = Field(description="Editor named on the cover, without '(ed.)'.", examples=["Ivano di Carlo"])
    publisher: str | None = Field(description="Publishing organisation.", examples=["European Policy Centre"])
    page_count: Int32 = Field(description="Number of physical pages in the PDF.", examples=[77])
    pipeline_version: str = Field(description="Version of compendium that wrote the row.", examples=["0.1.0"])


class Chapter(Row):
    chapter_id: str = Field(description="Stable id within the document.", examples=["c01"])
    number: Int32 = Field(description="Chapter number as printed.", examples=[1])
    title: str = Field(description="Chapter title as printed on its opener page.")
    key_questions: list[str] = Field(description="Key questions listed on the chapter opener, in order.")
    page_start: Page = Field(description="Physical page of the chapter opener (1-based).", examples=[13])


class Paper(Row):
    paper_id: str = Field(description="Stable id within the document.", examples=["p01"])
    chapter_id: str | None = Field(description="Chapter the paper belongs to, if any.", examples=["c01"])
    position: Int32 = Field(description="1-based reading order of the paper in the document.", examples=[1])
    title: str = Field(description="Paper title as printed on its first page.")
    page_start: Page = Field(description="Physical first page.", examples=[14])
    page_end: Page = Field(description="Physical last page, endnotes included.", examples=[17])


class Author(Row):
    paper_id: str = Field(description="Paper the author signed.", examples=["p01"])
    position: Int32 = Field(description="1-based order as printed on the paper's first page.", examples=[1])
    name: str = Field(description="Author's name as printed.", examples=["Jin Ling"])
    affiliation: str | None = Field(description="Role and institution printed under the name.")


class Section(Row):
    paper_id: str
    section_id: str = Field(description="Stable id within the document.", examples=["p01-s01"])
    parent_section_id: str | None = Field(description="Enclosing level-1 section of a subsection.")
    level: Int32 = Field(description="1 section, 2 subsection.", examples=[1])
    position: Int32 = Field(description="Order of the heading within the paper.", examples=[1])
    heading: str = Field(description="Heading text as printed.", examples=["Introduction"])
    page: Page = Field(description="Physical page where the heading stands.")


class FootnoteRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: Int32 = Field(description="Note number the marker points to.")
    offset: Int32 = Field(description="Character offset in `text` right after which the marker stood.")


class Paragraph(Row):
    paper_id: str
    section_id: str | None = Field(description="Section the paragraph belongs to.")
    paragraph_id: str = Field(description="Stable id within the document.", examples=["p01-para001"])
    position: Int32 = Field(description="Order within the paper.")
    kind: Literal["paragraph", "list_item"] = Field(description="`paragraph` or `list_item`.")
    lead: str | None = Field(description="A list item's bold lead-in, without its trailing colon.")
    text: str = Field(description="Plain text: the whole paragraph, or the rest of a list item.")
    footnote_refs: list[FootnoteRef] = Field(description="Footnote markers removed from `text`: note number and offset.")
    page_start: Page
    page_end: Page


class PullQuote(Row):
    paper_id: str
    pull_quote_id: str = Field(examples=["p01-q01"])
    text: str = Field(description="The displayed quotation.")
    source_paragraph_id: str | None = Field(description="Body paragraph the pull-quote repeats.")
    page: Page


class Footnote(Row):
    paper_id: str
    number: Int32 = Field(description="Note number as printed.")
    text: str = Field(description="Plain text of the note, link markup removed.")
    urls: list[str] = Field(description="Targets of the links inside the note.")
    cited_by: list[str] = Field(description="paragraph_ids whose markers point to this note.")
    page: Page


class Recommendation(Row):
    paper_id: str
    recommendation_id: str = Field(examples=["p01-r01"])
    position: Int32 = Field(description="Order within the paper.")
    kind: Literal["list_item", "paragraph"]
    lead: str | None = Field(description="Bold lead-in of a list item, without its colon.")
    text: str
    paragraph_id: str = Field(description="The paragraph row holding the same text.")
    section_id: str | None
    page: Page


class Figure(Row):
    paper_id: str
    figure_id: str = Field(examples=["p03-f01"])
    label: str = Field(description="Printed label.", examples=["Figure 1"])
    title: str
    caption: str | None
    rows: list[list[str]] = Field(description="Table cells row by row, header rows included, empty cells as ''.")
    source: str | None = Field(description="Source or credit line.")
    page: Page


class FrontSection(Row):
    section_id: str = Field(examples=["foreword"])
    title: str
    text: str = Field(description="Paragraphs joined by a blank line.")
    signature_name: str | None
    signature_role: str | None


class Organisation(Row):
    name: str
    description: str


class Acronym(Row):
    short: str = Field(examples=["EU"])
    long: str = Field(examples=["European Union"])


class Diagnostic(Row):
    stage: str = Field(description="Pipeline stage that raised it.", examples=["notes"])
    severity: Literal["info", "warning", "error"]
    code: str = Field(description="Stable machine-readable code.", examples=["marker-without-note"])
    message: str
    page: Page | None
    paper_id: str | None


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
