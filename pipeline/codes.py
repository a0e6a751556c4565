"""Every diagnostic code the pipeline writes: its stage, its usual severity and what it
means. Call sites name a code; its stage and severity come from here, and the data
dictionary (`compendium schema --markdown`, docs/DATA.md) lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["info", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Code:
    stage: str
    severity: Severity  # a call site may raise or lower it where it says so
    meaning: str


def _codes(stage: str, severity: Severity, entries: dict[str, str]) -> dict[str, Code]:
    return {code: Code(stage, severity, meaning) for code, meaning in entries.items()}


# Why a document failed: one `error` row each, stage `extract`.
FAILURES = _codes(
    "extract",
    "error",
    {
        "empty-file": "the file has 0 bytes",
        "not-a-pdf": "no %PDF- header in its first KiB",
        "encrypted": "a password is needed and was not given, or was wrong",
        "unreadable-pdf": "the structure cannot be parsed, even after qpdf's repair",
        "no-pages": "a well-formed PDF whose page tree is empty",
        "no-text-layer": "the pages hold images or drawings only and OCR could not read them",
        "undecodable-text": "text is drawn in fonts that map no glyph to Unicode",
        "timeout": "extraction took longer than --timeout",
        "out-of-memory": "extraction needed more than --max-memory, or the worker was killed by the system",
        "worker-crashed": "the worker died without a result",
        "io-error": "the file could not be read, or the outputs could not be written (retried by the next run)",
        "not-a-regular-file": "a FIFO, a device or a socket: not read",
        "link-outside-input": "a link in a folder being scanned leads out of it (--follow-links reads it)",
        "internal-error": "a bug in a stage; the message names the exception",
    },
)

CODES: dict[str, Code] = {
    **FAILURES,
    **_codes(
        "source",
        "error",
        {
            "page-unreadable": "a page that cannot be set up or read is skipped; the others are extracted",
        },
    ),
    **_codes(
        "source",
        "warning",
        {
            "page-part-unreadable": "a page's links or ruled tables are broken; its text is kept",
            "rotated-text-unsupported": "characters set another way than the page's text (sideways, upside down) "
            "are skipped",
            "unmapped-glyphs": "glyphs whose font maps them to no text are skipped, never copied into text",
            "repaired": "the file was damaged; qpdf rebuilt it into a scratch copy, which was extracted instead",
            "ocr-failed": "pages without a text layer that OCR could not read are left out",
            "characters-dropped": "more than 2% of the characters on the pages went into no table; the pages are named",
        },
    ),
    **_codes(
        "source",
        "info",
        {
            "page-turned": "the page's text runs sideways, upside down or mirrored; it is read turned as a reader "
            "turns it",
            "engine-fallback": "a page one engine cannot read is read by the other: with --engine pdfium, a file or "
            "page pdfium cannot load is read by pdfminer; a page pdfminer cannot read is read by pdfium",
            "pdf-parser-warning": "what the PDF parser would print on the console, kept here",
            "ocr-applied": "pages without a text layer were read by OCR",
            "ocr-confidence": "the OCR engine's mean word confidence (a warning when low)",
        },
    ),
    **_codes(
        "structure",
        "warning",
        {
            "no-toc": "no table of contents was found; papers were found from their opening pages",
            "toc-entry-not-found": "a chapter or paper the contents list names was not found on its page",
            "toc-authors-differ": "the contents list names other authors than the paper's first page (the page wins)",
            "no-compendium-structure": "no contents list names papers and no page opens one: the document is read "
            "from its title page (info when a paper was found, warning when none)",
        },
    ),
    **_codes(
        "structure",
        "info",
        {
            "toc-title-differs": "the contents list gives another title than the paper's first page (the page wins)",
        },
    ),
    **_codes(
        "front",
        "warning",
        {
            "front-section-empty": "a front-matter section has no text",
            "front-entry-not-found": "a front-matter section the contents list names was not found",
        },
    ),
    **_codes(
        "front",
        "info",
        {
            "front-page-differs": "a front-matter section stands on another page than the contents list says",
            "front-title-differs": "a front-matter section's heading differs from its contents entry",
            "acronym-repeated": "a short form is listed twice in the list of acronyms",
        },
    ),
    **_codes(
        "body",
        "warning",
        {
            "empty-section": "a heading has no text under it",
        },
    ),
    **_codes(
        "notes",
        "warning",
        {
            "note-text-unattached": "small-type lines belong to no numbered note",
            "marker-without-note": "a marker in the text has no note of its number",
            "note-never-cited": "a note is cited by no marker",
            "numbering-repeat": "a note number is printed twice",
            "numbering-out-of-order": "a note follows one with a higher number",
            "numbering-gap": "note numbers are missing between the first and the last",
            "empty-note": "a note has a number and no text",
        },
    ),
    **_codes(
        "notes",
        "info",
        {
            "stray-marker": "a raised number stands on a line of its own, outside any note",
            "marker-repeat": "a note is cited more than once",
            "citation-out-of-order": "notes are first cited out of their numbering order",
            "notes-shared": "notes printed in one list with another paper's are cited here and given to this paper",
            "symbol-note": "a note marked by a symbol (∗, †), not hung on the title or byline, is in no table: "
            "footnotes are numbered",
        },
    ),
    **_codes(
        "validate",
        "error",
        {
            "invalid-row": "a row that fails its table's model is dropped",
            "unknown-table": "rows for a table the contract does not have are dropped",
        },
    ),
}
