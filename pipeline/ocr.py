"""OCR for scans: pages without a text layer read by Tesseract through OCRmyPDF.

A scanned document holds pictures of its pages and no text, so the source stage
finds no character on them. When its pages call for it (`--ocr`, rule in
`wants_ocr`), OCRmyPDF writes a copy of the file whose pages without a text
layer carry Tesseract's reading of them as one, and the stages read the copy
instead. Pages that have a text layer keep their own (OCRmyPDF's --skip-text):
it is exact where OCR guesses, and it has the fonts and sizes the stages read.
The copy is written under the worker's scratch folder (repair.scratch_dir), which
goes when the worker ends, even killed; its rows keep the original's file name,
sha256 and doc_id.

OCRmyPDF runs as a command, not through its Python API: Debian's package installs
it for the system's Python, not for the project's environment, where pip's would
bring pins of pikepdf and pdfminer of its own; and a command is a process group
of its own (ocrmypdf, and the Ghostscript and Tesseract it starts), which can be
killed whole when the document's time runs out or its worker dies.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pikepdf

from compendium_corpus.errors import ExtractionError, NoTextLayer
from compendium_corpus.model import Diagnostic, Diagnostics
from compendium_corpus.repair import scratch_dir
from compendium_corpus.source import Tally, require_text

T = TypeVar("T")

MODES = ("auto", "always", "never")
DEFAULT_MODE = "auto"
COMMANDS = ("ocrmypdf", "tesseract")
PACKAGES = "ocrmypdf tesseract-ocr tesseract-ocr-eng"  # Debian's, as the Makefile installs them
APPLIED, CONFIDENCE, FAILED = "ocr-applied", "ocr-confidence", "ocr-failed"  # diagnostics codes

# OCR may take this share of the time the document has left before its worker is killed
# (--timeout): the rest is kept for the stages to read the OCRed copy.
OCR_SHARE = 0.8
MIN_BUDGET = 2.0  # seconds: ocrmypdf alone takes about one to start, so less is not worth starting
LOW_CONFIDENCE = 70.0  # Tesseract's mean word confidence (0-100) below which its text is flagged

# A shell leads the OCR's process group: it runs ocrmypdf and, beside it, a watcher
# that kills the whole group once its standard input, a pipe only the worker holds
# open, reaches its end. The kernel closes that pipe when the worker dies, even by
# SIGKILL at its timeout, so no OCR outlives the document it was started for.
GUARD = """exec 3<&0
"$@" </dev/null & job=$!
(read _ <&3; kill -KILL 0) & watch=$!
wait $job; status=$?
kill $watch; wait $watch
exit $status"""

HOCR_WORD = re.compile(r"x_wconf (\d+)")
ERROR_LINE = re.compile(r"\w*Error\b")
# What ocrmypdf says besides its error: qpdf's log, and where --keep-temporary-files left its files.
OCRMYPDF_CHATTER = re.compile(r"Opened a file|Temporary working files retained at|/")


@dataclass(frozen=True)
class OcrPlan:
    """What a worker was told about OCR for its document."""

    mode: str = DEFAULT_MODE  # one of MODES
    deadline: float | None = None  # time.monotonic() by which the document must be done; None: no limit
    jobs: int = 1  # cores the document was given: OCRmyPDF's own --jobs


class OcrFailed(Exception):
    """OCR could not give the document a text layer; the message says why, after "OCR"."""


def ocr_installed() -> bool:
    return all(shutil.which(c) for c in COMMANDS)


def wants_ocr(tallies: list[Tally], mode: str) -> bool:
    """Whether the pages read call for OCR: under `auto` when most of them have no text
    layer (a scan, with perhaps a printed cover or a few pages already OCRed: those keep
    their text), under `always` when any of them has none (a scanned figure or page in
    a born-digital file). A page with any character, even a sideways or unmapped one,
    has a text layer: it is no scan, and OCR would only set a second text over it."""
    textless = sum(1 for t in tallies if not (t.chars or t.rotated or t.unmapped))
    return (mode == "always" and textless > 0) or (mode == "auto" and 2 * textless > len(tallies))


def read_scanned(
    path: Path,
    password: str | None,
    tallies: list[Tally],
    diagnostics: Diagnostics,
    plan: OcrPlan | None,
    read: Callable[[Path], T],
) -> tuple[T, list[Diagnostic], int] | None:
    """What `read` makes of an OCRed copy of `path`, with the findings that say how OCR
    read it and the number of pages it read, when its pages call for OCR under `plan`
    (None: never, as for a copy already OCRed); else None, and the stages go on with the
    pages read from the file itself. Raises what `require_text` raises when
    the document has no text of its own, the message saying why OCR did not give it any;
    when it has some, a failed OCR costs only the pages without text (an `ocr-failed` warning)."""
    if plan is None or not wants_ocr(tallies, plan.mode):
        _require_text(tallies, diagnostics, path.name, None if plan is None else f"not applied: --ocr {plan.mode}")
        return None
    try:
        with _ocr_copy(path, password, plan, len(tallies)) as (copy, notes, pages):
            result = read(copy)
    except OcrFailed as err:
        why = str(err)
    except NoTextLayer:
        why = "found no text on them either"
    except ExtractionError as err:
        why = f"made a copy that could not be read either ({err.code})"
    else:  # another OCRmyPDF may name its hOCR files otherwise: then the pages it was given
        return result, notes, pages or sum(1 for t in tallies if not t.total)
    _require_text(tallies, diagnostics, path.name, why)
    diagnostics.add(FAILED, f"the pages without a text layer were left out: OCR {why}")
    return None


def _require_text(tallies: list[Tally], diagnostics: Diagnostics, name: str, why: str | None) -> None:
    """`require_text`, its missing text layer saying why OCR did not supply one."""
    try:
        require_text(tallies, diagnostics, name)
    except NoTextLayer as err:
        if why is None:
            raise
        raise NoTextLayer(f"{err.message} (OCR {why})", err.page) from None


@contextmanager
def _ocr_copy(
    path: Path, password: str | None, plan: OcrPlan, pages: int
) -> Iterator[tuple[Path, list[Diagnostic], int]]:
    """OCRmyPDF's copy of `path`, under the file's own name, the findings that say how it
    was made and the number of pages OCR read; removed on leaving."""
    if not ocr_installed():
        raise OcrFailed(f"not applied: ocrmypdf or tesseract is not installed (Debian packages {PACKAGES})")
    folder = scratch_dir() / "ocr"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        copy = folder / "out" / path.name
        copy.parent.mkdir(exist_ok=True)
        source = _plain_source(path, password, folder)
        started = time.monotonic()
        _run(_command(source, copy, plan.jobs), folder, _budget(plan))
        yield copy, *_notes(copy, folder, pages, time.monotonic() - started)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        try:
            folder.parent.rmdir()  # the worker's scratch folder, unless a repair copy is in it too
        except OSError:
            pass


def _plain_source(path: Path, password: str | None, folder: Path) -> Path:
    """The file for OCRmyPDF to read: `path` itself, or a decrypted copy of it (OCRmyPDF
    refuses encrypted files, even those that open without a password). A file qpdf finds
    damaged is not OCRed: it is rebuilt first (run.py), and its rebuilt copy OCRed then."""
    try:
        with pikepdf.open(path, password=password or "") as pdf:
            if pdf.get_warnings():
                raise OcrFailed("not applied: qpdf finds the file damaged")
            if not pdf.is_encrypted:
                return path
            plain = folder / "decrypted.pdf"
            pdf.save(plain)
            return plain
    except pikepdf.PdfError as err:
        raise OcrFailed(f"not applied: qpdf cannot read the file ({err})") from None


def _command(source: Path, copy: Path, jobs: int) -> list[str]:
    """ocrmypdf, made to OCR the pages without text only and to change nothing else: no
    PDF/A conversion and no optimisation (the copy is only read, and those take longer
    than OCR), a page scanned sideways turned upright first (the layout stage reads
    horizontal lines), and its hOCR files kept for the word confidences. Not --deskew:
    with Tesseract 5.3 it fails the whole document on a blank page."""
    return [
        "ocrmypdf",
        "--skip-text",
        "--rotate-pages",
        "--output-type",
        "pdf",
        "--optimize",
        "0",
        "--pdf-renderer",
        "hocr",
        "--keep-temporary-files",
        "--jobs",
        str(max(1, jobs)),
        str(source.absolute()),
        str(copy.absolute()),
    ]


def _budget(plan: OcrPlan) -> float | None:
    if plan.deadline is None:
        return None
    budget = OCR_SHARE * (plan.deadline - time.monotonic())
    if budget < MIN_BUDGET:
        raise OcrFailed("not applied: no time was left for it within --timeout")
    return budget


def _run(command: list[str], folder: Path, budget: float | None) -> None:
    """Run `command` under GUARD, its temporary files in `folder`, for `budget` seconds at
    most; raise OcrFailed unless it succeeds. Tesseract is held to one thread: the
    cores a document may use are OCRmyPDF's --jobs."""
    env = {**os.environ, "TMPDIR": str(folder), "OMP_THREAD_LIMIT": "1"}
    log = folder / "ocrmypdf.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["sh", "-c", GUARD, "ocr", *command],
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=out,
            env=env,
            cwd=folder,
            start_new_session=True,
        )
    assert process.stdin is not None  # stdin=PIPE
    try:
        status = process.wait(budget)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its leader is not reaped yet: the group's id is still its own
        process.wait()
        raise OcrFailed(f"stopped: it did not finish within {budget:.0f} s, its share of --timeout") from None
    finally:
        process.stdin.close()
    if status != 0:
        raise OcrFailed(f"failed: ocrmypdf exited with status {status}: {_complaint(log.read_text(errors='replace'))}")


def _complaint(said: str) -> str:
    """ocrmypdf's own words for what went wrong: its error line (`SomeError: ...`), else its last line."""
    lines = [line.strip() for line in said.splitlines() if line.strip() and not OCRMYPDF_CHATTER.match(line)]
    return next((line for line in lines if ERROR_LINE.match(line)), lines[-1] if lines else "no message")


def _notes(copy: Path, folder: Path, total: int, seconds: float) -> tuple[list[Diagnostic], int]:
    """The findings saying that OCR read the document: which engine, which pages, and
    how sure Tesseract was of its words (its hOCR files, one per page OCRed); and the
    number of pages it read."""
    notes = Diagnostics()
    pages = {
        int(f.name.split("_")[0]): [int(c) for c in HOCR_WORD.findall(f.read_text(errors="replace"))]
        for f in folder.glob("ocrmypdf.io.*/*_ocr_hocr.hocr")
    }
    which = f"{len(pages)} of {total} pages" if pages else "the pages"  # another OCRmyPDF may name its files otherwise
    notes.add(
        APPLIED,
        f"{which} without a text layer were read by OCR ({_engine(copy)}) "
        f"in {seconds:.1f} s" + (f": {_ranges(sorted(pages))}" if pages else ""),
    )
    words = [c for confidences in pages.values() for c in confidences]
    if not words:
        notes.add(CONFIDENCE, "no word confidences: OCRmyPDF kept no hOCR with words in it", severity="warning")
        return notes.items, len(pages)
    mean = sum(words) / len(words)
    low, page = min((sum(c) / len(c), n) for n, c in pages.items() if c)
    notes.add(
        CONFIDENCE,
        f"Tesseract's mean word confidence: {mean:.1f} of 100 over {len(words)} words"
        + (f" (lowest on page {page}: {low:.1f})" if len(pages) > 1 else ""),
        severity="warning" if mean < LOW_CONFIDENCE else "info",
    )
    return notes.items, len(pages)


def _ranges(numbers: list[int]) -> str:
    """Page numbers as runs: [1, 2, 3, 7] is "pages 1-3, 7"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    said = ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
    return f"page{'s' if len(numbers) != 1 else ''} {said}"


def _engine(copy: Path) -> str:
    """OCRmyPDF and Tesseract with their versions, as OCRmyPDF names them in its copy."""
    try:
        with pikepdf.open(copy) as pdf:
            return str(pdf.docinfo.get("/Creator", "ocrmypdf"))
    except pikepdf.PdfError:
        return "ocrmypdf"
