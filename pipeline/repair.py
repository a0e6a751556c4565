"""Damaged files rebuilt before they are given up.

A cross-reference table that no longer matches the bytes (a span lost or
written twice, a few bits flipped by a disk or a transfer) makes pdfminer give
up on files that a PDF viewer opens without a word: viewers rebuild the table
by scanning the file for its objects. So before a document fails as damaged,
qpdf (through pikepdf) rebuilds it the same way, into a scratch copy under the
same name, and the copy is extracted instead, with a `repaired` warning in the
diagnostics. A file qpdf finds nothing to rebuild in is not copied (its
failure was not damage), and when the copy fails too, the original's failure
is reported. The document keeps the id of the original bytes.

The copy lives in a scratch folder of the worker's own (`scratch_dir`), which
the batch removes when it reaps the worker, so a worker killed at its timeout
leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pikepdf

REPAIRED = "repaired"  # the diagnostics code
# Failures a damaged cross-reference table can cause (objects not found, or the wrong ones).
REPAIRABLE = frozenset({"unreadable-pdf", "no-pages", "no-text-layer", "undecodable-text"})


def scratch_dir(pid: int | None = None) -> Path:
    """The scratch folder of process `pid` (default: this one)."""
    return Path(tempfile.gettempdir()) / f"compendium-repair-{pid or os.getpid()}"


def discard_scratch(pid: int) -> None:
    shutil.rmtree(scratch_dir(pid), ignore_errors=True)


@contextmanager
def scratch() -> Iterator[Path]:
    folder = scratch_dir()
    folder.mkdir(exist_ok=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def rebuild(path: Path, password: str | None, copy: Path) -> str | None:
    """Write qpdf's rebuilt `path` to `copy`; return what qpdf found damaged, or None when
    it found nothing to repair or could not read the file either."""
    try:
        with pikepdf.open(path, password=password or "") as pdf:
            found = pdf.get_warnings()
            if not found:
                return None
            pdf.save(copy)
    except MemoryError:
        raise
    except Exception:  # qpdf gives up too (no trailer, no catalog): the original failure stands
        return None
    said = [str(w).replace(str(path), path.name) for w in found[:3]]
    return "; ".join(said) + (f" (+{len(found) - 3} more)" if len(found) > 3 else "")
