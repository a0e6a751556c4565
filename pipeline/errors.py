"""Document-level failures, each with a stable diagnostics code.

Stages never raise for what they can recover from (they append diagnostics);
these are for the cases where a document as a whole cannot be read. The codes
are a public interface: archives filter the diagnostics table and the manifest
on them, so a code is never renamed, only added.
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
    """The PDF's structure (header, cross-reference table, page tree) cannot be parsed."""

    code = "unreadable-pdf"


class NoPages(ExtractionError):
    code = "no-pages"


class NoTextLayer(ExtractionError):
    """Pages carry images or drawings only: OCR would be needed."""

    code = "no-text-layer"


class UndecodableText(ExtractionError):
    """Pages draw text, but no character decodes (broken fonts or content, a truncated file)."""

    code = "undecodable-text"


class NotRegularFile(ExtractionError):
    """A FIFO, a device, a socket: reading it could block for ever or never end."""

    code = "not-a-regular-file"


class LinkOutsideInput(ExtractionError):
    """A link in a folder being scanned leads out of it (refused unless --follow-links)."""

    code = "link-outside-input"


# Why a document failed, as recorded in diagnostics, the manifest and the run summary.
# The last four are decided outside the stages: by the reader (io-error), by the
# worker's parent (timeout, worker-crashed), or by the catch-all for stage bugs.
FAILURE_CODES = frozenset(
    {cls.code for cls in ExtractionError.__subclasses__()}
    | {"io-error", "timeout", "out-of-memory", "worker-crashed", "internal-error"}
)

# Failures of the machine rather than of the file: never a reason to skip the file later.
OUTPUT_LOST = "outputs could not be written"
KILLED = "worker killed by SIGKILL"  # most likely the system's out-of-memory killer


def machine_fault(code: str | None, message: str | None) -> bool:
    """An input or output error, or a worker the system killed for memory others used:
    the next run tries the file again instead of trusting this outcome."""
    return code == "io-error" or (code == "out-of-memory" and KILLED in (message or ""))
