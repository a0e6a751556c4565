"""Document-level failures, each with a stable diagnostics code.

Stages never raise for what they can recover from (they append diagnostics);
these are for the cases where a document as a whole cannot be read.
"""
from __future__ import annotations


class ExtractionError(Exception):
    """A document could not be extracted; `code` goes to the diagnostics row."""

    code = "extraction-failed"

    def __init__(self, message: str, page: int | None = None):
        super().__init__(message)
        self.message = message
        self.page = page


class EmptyFile(ExtractionError):
    code = "empty-file"


class NotAPdf(ExtractionError):
    code = "not-a-pdf"


class Encrypted(ExtractionError):
    code = "encrypted"


class Unreadable(ExtractionError):
    code = "unreadable-pdf"


class NoPages(ExtractionError):
    code = "no-pages"


class NoTextLayer(ExtractionError):
    code = "no-text-layer"
