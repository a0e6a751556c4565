"""A document's pages read in parallel, in page-reader processes owned by its worker.

Reading the characters is most of a document's cost, and pages are read
independently: the document worker forks `jobs` page readers with the document
open (its pages are set up once, and each process reads the file at positions
of its own; see `SourcePdf.forked`), each reads runs of consecutive pages and
sends back what `lines.page_lines` made of them: lines, boxes, links and
tables, small plain records, pickled and compressed (a page's characters never
leave the reader). The document worker puts them in page order and runs the
stages that look across pages, exactly as for pages read in-process, so the
output is the same whatever `jobs`.

The readers stay inside the worker's guarantees: they are killed when it dies
(timeout, batch killed, a crash), and the address space the worker may still
grow by is shared between it and them, so the document's ceiling holds in total.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import resource
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import current_process, get_context

from compendium_corpus.lines import page_lines
from compendium_corpus.model import Diagnostic, Diagnostics, Page
from compendium_corpus.packing import pack, unpack
from compendium_corpus.source import SourcePdf, Tally, read_pages

PARSER_LOGGERS = ("pdfminer", "pdfplumber")
MIN_PAGES = 16  # fewer pages are read in-process: forking readers would cost more than it saves
CHUNK = 4  # consecutive pages per task: small enough to balance the readers, large enough to be cheap
MIN_SHARE = 128 * 2**20  # address space each process needs under a shared ceiling (thread stacks are 8 MiB)

ProgressCallback = Callable[[int, int], None]


@dataclass
class Chunk:
    """What a reader sends back for a run of pages: everything the serial read would have
    produced for them, diagnostics and parser messages included, in page order."""

    packed: bytes  # its pages, pickled and compressed: a fifth of their size as objects, see _parallel
    count: int  # pages in it
    tallies: list[Tally]
    diagnostics: list[Diagnostic]
    log: list[tuple[str, int, str]]  # (logger, level, message) as pdfminer or pdfplumber logged them
    warnings: list[tuple[type, str]]


def read_document(
    pdf: SourcePdf,
    diagnostics: Diagnostics,
    jobs: int = 1,
    on_page: ProgressCallback | None = None,
) -> tuple[list[Page], list[Tally]]:
    """Every readable page through `page_lines`, in page order, with the tallies
    `require_text` needs; `jobs` > 1 reads them in that many processes, forked with
    the document open."""
    total = len(pdf.pages)
    chunks = [range(start, min(start + CHUNK, total + 1)) for start in range(1, total + 1, CHUNK)]
    jobs = min(jobs, len(chunks))
    if jobs > 1 and total >= MIN_PAGES and _room_for_readers(jobs):
        return _parallel(pdf, chunks, diagnostics, jobs, on_page)
    pages: list[Page] = []
    tallies: list[Tally] = []
    for raw in read_pages(pdf, diagnostics):
        tallies.append(Tally.of(raw))
        pages.append(page_lines(raw))
        del raw  # a page's characters are dropped as soon as its lines are made
        if on_page:
            on_page(len(pages), total)
    return pages, tallies


# --- the document worker's side -----------------------------------------------------------


class children_allowed:
    """multiprocessing refuses to start children from a daemonic process (a document worker,
    a Dask worker), lest they outlive it. Ours never do: a page reader dies with its
    document worker (see _die_with), a document worker with its batch (the pipe it watches)."""

    def __enter__(self) -> None:
        config = current_process()._config  # type: ignore[attr-defined]  # private, no public way to lift the flag
        self.daemon = config.get("daemon")
        config["daemon"] = False

    def __exit__(self, *exc) -> None:
        current_process()._config["daemon"] = self.daemon  # type: ignore[attr-defined]  # (as above)


def _parallel(
    pdf: SourcePdf,
    chunks: list[range],
    diagnostics: Diagnostics,
    jobs: int,
    on_page: ProgressCallback | None,
) -> tuple[list[Page], list[Tally]]:
    total = len(pdf.pages)
    packed: list[bytes] = []  # the chunks' pages, unpacked once all are in: only then are they needed
    tallies: list[Tally] = []
    done = read = 0
    broken = False
    with _shared_ceiling(jobs), children_allowed():
        executor = ProcessPoolExecutor(
            jobs,
            mp_context=get_context("fork"),
            initializer=_start_reader,
            initargs=(os.getpid(), pdf),  # forked, not pickled
        )
        try:
            for chunk in executor.map(_read_chunk, chunks):
                _replay(chunk, diagnostics)
                packed.append(chunk.packed)
                tallies += chunk.tallies
                done += 1
                read += chunk.count
                if on_page:
                    on_page(read, total)
        except (BrokenProcessPool, MemoryError):
            broken = True
            _kill(executor)
        except BaseException:
            _kill(executor)
            raise
        else:
            executor.shutdown(wait=True)
    pages = _unpacked(packed)
    if broken:
        # A reader died (a crash in a native library, the kernel's out-of-memory killer) or ran
        # out of its share of memory: what is left is read here, with the worker's whole
        # ceiling back, so a page succeeds or fails exactly as it would without readers.
        for numbers in chunks[done:]:
            for raw in read_pages(pdf, diagnostics, numbers):
                tallies.append(Tally.of(raw))
                pages.append(page_lines(raw))
                if on_page:
                    on_page(len(pages), total)
    return pages, tallies


def _unpacked(packed: list[bytes]) -> list[Page]:
    """The chunks' pages in order, each chunk's bytes let go as soon as it is unpacked."""
    pages: list[Page] = []
    packed.reverse()
    while packed:
        pages += unpack(packed.pop())
    return pages


def _kill(executor: ProcessPoolExecutor) -> None:
    for process in list((executor._processes or {}).values()):
        process.kill()
    executor.shutdown(wait=True, cancel_futures=True)


def _replay(chunk: Chunk, diagnostics: Diagnostics) -> None:
    """Hand the reader's diagnostics and parser messages on as if the pages had been read here."""
    diagnostics.items += chunk.diagnostics
    for name, level, message in chunk.log:
        logging.getLogger(name).log(level, "%s", message)
    for category, message in chunk.warnings:
        warnings.warn(
            message,
            category if isinstance(category, type) and issubclass(category, Warning) else UserWarning,
            stacklevel=1,
        )


def _room_for_readers(jobs: int) -> bool:
    """Whether each of the worker and its `jobs` readers would get MIN_SHARE under the
    worker's ceiling: below that, starting the pool's threads alone fails (and a pool
    whose thread could not start waits for ever), so the pages are read in-process."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return soft == resource.RLIM_INFINITY or (soft - _mapped()) // (jobs + 1) >= MIN_SHARE


@contextmanager
def _shared_ceiling(jobs: int) -> Iterator[None]:
    """While readers run, the worker and each reader may grow by an equal share of what
    the worker's address-space ceiling still allows; the worker's own ceiling is
    lowered to its share first, so the readers it forks inherit theirs."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        yield
        return
    mapped = _mapped()
    share = max(0, soft - mapped) // (jobs + 1)
    resource.setrlimit(resource.RLIMIT_AS, (mapped + share, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _mapped() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


# --- the reader's side ----------------------------------------------------------------------

_reader: dict = {}


def _die_with(parent: int) -> None:
    """The reader must not outlive its document worker (killed at its deadline, or with its
    batch): the kernel kills it when the worker goes (Linux), or a watcher thread does."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(1, signal.SIGKILL) != 0:  # PR_SET_PDEATHSIG
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.2)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the worker died before the signal was armed
        os._exit(1)


def _start_reader(parent: int, pdf: SourcePdf) -> None:
    """A reader forked with the worker's document open reads it as the worker set it up."""
    _die_with(parent)
    gc.freeze()  # the worker's objects: never the reader's garbage, and shared while untouched
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's: it stops the workers itself
    log = _Collector()
    for name in PARSER_LOGGERS:  # the handlers inherited from the worker would keep messages here
        logger = logging.getLogger(name)
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.addHandler(log)
        logger.propagate = False
        logger.setLevel(logging.WARNING)
    _reader.update(pdf=pdf.forked(), log=log)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:
            text = str(record.msg)
        self.records.append((record.name, record.levelno, text))


def _read_chunk(numbers: range) -> Chunk:
    pdf, log = _reader["pdf"], _reader["log"]
    diagnostics = Diagnostics()
    pages: list[Page] = []
    tallies: list[Tally] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for raw in read_pages(pdf, diagnostics, numbers):
            tallies.append(Tally.of(raw))
            pages.append(page_lines(raw))
    records, log.records = log.records, []
    return Chunk(
        pack(pages), len(pages), tallies, diagnostics.items, records, [(w.category, str(w.message)) for w in caught]
    )
