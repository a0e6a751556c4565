"""Each document in a worker process of its own, with a wall-clock timeout and a memory ceiling.

pdfminer can spin for minutes on one pathological content stream, grow without
bound on a decompression bomb, or take the interpreter down with it; in a
process of its own that costs the one file. The parent kills a worker past its
deadline and, when a worker dies without a result, classifies how it died.
Workers only compute: the parent writes, so a killed worker leaves nothing
half-done. They are forked from the batch itself, which has imported the
pipeline, so starting one costs milliseconds, not an interpreter start-up; a
batch running threads (a Dask worker's, a stalled file's hashing) forks them
from a forkserver instead, as forking a process with threads is not safe.

The cores are shared out between documents and pages: while other documents
wait, each worker reads its pages alone (documents in parallel cost least);
the last document of a batch gets the cores nobody else uses, and its worker
forks page readers of its own (see parallel.py), inside its own timeout and
memory ceiling.

`run_dask` runs the same isolated workers as tasks of a Dask cluster, each
document a task that also writes its own partitions (see README, "Cluster").
"""

from __future__ import annotations

import gc
import logging
import multiprocessing as mp
import os
import resource
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import cast

from compendium_corpus.errors import KILLED, OUTPUT_LOST
from compendium_corpus.parallel import children_allowed
from compendium_corpus.repair import discard_scratch
from compendium_corpus.run import DocumentResult, commit, extract_document, failure
from compendium_corpus.write import load_writer

# work(path, password, on_page, **options) -> DocumentResult; `jobs=N` is added to the
# options of a document given N cores (only when run_isolated is given `cores`).
Work = Callable[..., DocumentResult]


WORKER_COLLECTION = (50_000, 20, 100)  # gc thresholds: allocations per young pass, young per middle, middle per full


@dataclass(frozen=True)
class Limits:
    timeout: float = 300.0  # seconds of wall-clock time per document
    memory: int | None = 4 * 2**30  # bytes of address space a worker may add while extracting; None: no ceiling


@dataclass(frozen=True)
class Job:
    path: Path
    sha256: str | None  # as the parent hashed it: failures decided there still get their doc_id
    password: str | None = None


@dataclass
class _Running:
    job: Job
    process: mp.process.BaseProcess
    started: float
    deadline: float


def _context():
    """How to start the next worker: forking this process when it runs no other thread
    (a lock another thread holds would stay locked in the worker for ever)."""
    methods = mp.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return mp.get_context("fork")
    if "forkserver" not in methods:
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    # Every worker re-imports its parent's main module; the console script's imports pipeline.cli,
    # so preloading that makes the re-import free and the pipeline ready in the forkserver.
    ctx.set_forkserver_preload(["compendium_corpus.cli"])
    return ctx


def _exit_with_parent(conn: Connection) -> None:
    """The parent never writes to a worker, so the pipe turning readable means the
    parent's end closed: the batch is gone (killed, kill -9 included) or gave up on
    this document. Exit at once rather than go on extracting for nobody."""
    conn.poll(None)
    os._exit(0)


def _send(conn: Connection, message: tuple) -> None:
    try:
        conn.send(message)
    except (BrokenPipeError, ConnectionResetError):  # the batch is gone; nobody is left to tell
        os._exit(0)


def _cap_memory(budget: int) -> None:
    """Set the address-space ceiling to what the worker already maps plus `budget`.

    The worker starts with over a gigabyte of mapped but untouched address space
    (the interpreter, pyarrow's allocator reservations), which RLIMIT_AS counts
    too; a ceiling on top of it means the same budget for a document whatever
    the libraries reserve.
    """
    try:
        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        mapped = 0
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = mapped + budget
    resource.setrlimit(resource.RLIMIT_AS, (ceiling if hard == resource.RLIM_INFINITY else min(ceiling, hard), hard))


def _classify(job: Job, err: BaseException | None, seconds: float) -> DocumentResult:
    """An exception that escaped the work: out of memory (a thread that cannot start under
    the ceiling says so as a RuntimeError), else a bug."""
    if isinstance(err, MemoryError) or "can't start new thread" in str(err):
        return failure(
            job.path, job.sha256, "out-of-memory", f"{job.path.name} needs more memory than the worker may use", seconds
        )
    return failure(job.path, job.sha256, "internal-error", f"{job.path.name}: {type(err).__name__}: {err}", seconds)


class _LogSender(logging.Handler):
    """The worker's stage logs, sent to the batch, which logs them where its user looks."""

    def __init__(self, conn: Connection, level: int) -> None:
        super().__init__(level)
        self.conn = conn

    def emit(self, record: logging.LogRecord) -> None:
        _send(self.conn, ("log", record.levelno, record.name, record.getMessage()))


def _worker(
    conn: Connection, job: Job, limits: Limits, work: Work, options: dict, log_level: int, inherited: list[Connection]
) -> None:
    """`inherited`: the batch's ends of its workers' pipes, this one's included, which a forked
    worker holds copies of: closed, so that each pipe's end turns readable when the batch is gone."""
    for end in inherited:
        end.close()
    # A worker makes millions of short-lived tuples and few cycles: the collector's passes,
    # at its default pace, cost a twentieth of the extraction and find little. What the worker
    # inherited is never garbage: frozen, it is not traversed (nor copied by the traversal).
    gc.freeze()
    gc.set_threshold(*WORKER_COLLECTION)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops its workers itself
    for signum in (signal.SIGTERM, signal.SIGHUP):  # a forked worker has its batch's handlers
        signal.signal(signum, signal.SIG_DFL)
    logger = logging.getLogger("compendium_corpus")
    logger.handlers[:] = [_LogSender(conn, log_level)]
    logger.setLevel(log_level)
    logger.propagate = False
    threading.Thread(target=_exit_with_parent, args=(conn,), daemon=True).start()
    start = time.monotonic()

    def thread_failed(hook: threading.ExceptHookArgs) -> None:
        """A helper thread (a page pool's) that dies would leave the work waiting for it
        until the timeout: its exception is the document's result, at once."""
        _send(conn, ("result", _classify(job, hook.exc_value, time.monotonic() - start)))
        os._exit(0)

    threading.excepthook = thread_failed
    if limits.memory:
        _cap_memory(limits.memory)
    try:
        result = work(job.path, job.password, lambda done, total: _send(conn, ("page", done, total)), **options)
    except Exception as err:  # a bug outside the stages' own safety net: still a result, not a traceback
        result = _classify(job, err, time.monotonic() - start)
    try:
        _send(conn, ("result", result))
    except MemoryError:  # pickling the rows took what was left
        _send(
            conn,
            (
                "result",
                failure(
                    job.path,
                    result.sha256,
                    "out-of-memory",
                    f"{job.path.name}: its rows need more memory than the worker may use",
                    result.seconds,
                ),
            ),
        )


def _stop(process: mp.process.BaseProcess, grace: float = 0.0) -> None:
    """Wait up to `grace` seconds for the worker to end by itself, then kill it, and remove
    the scratch copy of a damaged file it may have left (repair.py)."""
    process.join(grace)
    if process.is_alive():
        process.kill()
        process.join()
    assert process.pid is not None  # only started workers are stopped
    discard_scratch(process.pid)


def _death(running: _Running) -> DocumentResult:
    """Classify a worker that ended without sending a result."""
    job, code = running.job, running.process.exitcode
    seconds = time.monotonic() - running.started
    if code == -signal.SIGKILL:
        return failure(
            job.path,
            job.sha256,
            "out-of-memory",
            f"{job.path.name}: {KILLED}, most likely by the system's out-of-memory killer",
            seconds,
        )
    if code is not None and code < 0:
        name = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
        return failure(job.path, job.sha256, "worker-crashed", f"{job.path.name}: worker crashed ({name})", seconds)
    return failure(
        job.path,
        job.sha256,
        "worker-crashed",
        f"{job.path.name}: worker exited with status {code} without a result",
        seconds,
    )


def run_isolated(
    jobs: Iterable[Job],
    limits: Limits,
    parallel: int = 1,
    on_page: Callable[[Job, int, int], None] | None = None,
    work: Work = extract_document,
    options: dict | None = None,
    cores: int | None = None,
) -> Iterator[tuple[Job, DocumentResult]]:
    """Yield (job, result) as documents finish, running at most `parallel` at a time.

    Jobs are drawn from `jobs` only as workers free up, so the caller may decide
    lazily what to run. Closing the generator (or an exception in the caller,
    Ctrl-C included) kills the workers still running. `options` are passed to
    `work` as keywords; with `cores`, a document started when no other one is
    waiting also gets `jobs=` the cores the running documents leave free.
    """
    log_level = logging.getLogger("compendium_corpus").getEffectiveLevel()
    pending = _Lookahead(jobs)
    running: dict[Connection, _Running] = {}
    writer_loaded = False
    try:
        while True:
            while len(running) < max(1, parallel) and (job := pending.next()) is not None:
                kwargs = dict(options or {})
                if cores is not None:
                    kwargs["jobs"] = max(1, cores - len(running)) if pending.empty() else 1
                ctx = _context()
                receiver, sender = ctx.Pipe()  # duplex: a socket pair, whose closing the worker can see
                inherited = [*running, receiver] if ctx.get_start_method() == "fork" else []
                process = ctx.Process(
                    target=_worker, args=(sender, job, limits, work, kwargs, log_level, inherited), daemon=True
                )
                process.start()
                sender.close()  # the worker holds the only other end: EOF means it is gone
                now = time.monotonic()
                running[receiver] = _Running(job, process, now, now + limits.timeout)
            if not running:
                return
            if not writer_loaded:  # after forking: the workers need none of it
                load_writer()
                writer_loaded = True
            next_deadline = min(r.deadline for r in running.values())
            for conn in cast(
                "list[Connection]", wait(list(running), timeout=max(0.0, next_deadline - time.monotonic()))
            ):
                current = running[conn]
                try:
                    kind, *payload = conn.recv()
                except (EOFError, OSError):
                    kind, payload = "died", []
                if kind == "page":
                    if on_page:
                        on_page(current.job, *payload)
                    continue
                if kind == "log":
                    level, name, message = payload
                    logging.getLogger(name).log(level, "%s: %s", current.job.path.name, message)
                    continue
                del running[conn]
                conn.close()
                _stop(current.process, grace=5.0)
                yield current.job, payload[0] if kind == "result" else _death(current)
            for conn, current in list(running.items()):
                if time.monotonic() >= current.deadline:
                    del running[conn]
                    conn.close()
                    _stop(current.process)
                    yield (
                        current.job,
                        failure(
                            current.job.path,
                            current.job.sha256,
                            "timeout",
                            f"{current.job.path.name}: extraction took longer than "
                            f"{limits.timeout:g} s and was stopped",
                            limits.timeout,
                        ),
                    )
    finally:
        for current in running.values():
            _stop(current.process)


class _Lookahead:
    """An iterator that can tell whether anything is left, drawing one item early at most."""

    _NOTHING = object()

    def __init__(self, items: Iterable) -> None:
        self._items = iter(items)
        self._next = None
        self._peeked = False

    def _peek(self):
        if not self._peeked:
            self._next = next(self._items, self._NOTHING)
            self._peeked = True
        return self._next

    def empty(self) -> bool:
        return self._peek() is self._NOTHING

    def next(self):
        item = self._peek()
        self._peeked = False
        return None if item is self._NOTHING else item


# --- Dask distributed -------------------------------------------------------------------------


@dataclass
class Committed:
    """What a cluster task sends back: the result without its rows (they are on disk, written
    by the task), the rows written per table, and how long writing took."""

    result: DocumentResult
    written: dict[str, int] | None
    write_seconds: float


def extract_and_commit(job: Job, out_dir: str, limits: Limits, options: dict) -> Committed:
    """One document as a cluster task: extracted in an isolated worker (timeout, memory
    ceiling) forked on the machine running the task, then committed there, into the
    shared output folder, atomically as always. Only the outcome travels back."""
    with children_allowed():
        [(_, result)] = run_isolated([job], limits, 1, work=extract_document, options=options)
    done = commit_result(result, Path(out_dir))
    done.result.tables = {}
    return done


def commit_result(result: DocumentResult, out_dir: Path) -> Committed:
    """Commit a result's rows. A full disk or a folder that may not be written makes it an
    io-error failure: its new outputs are lost, the old ones stay (write._commit)."""
    start = time.monotonic()
    try:
        written = commit(result, out_dir)
    except OSError as err:
        written, result = (
            None,
            failure(
                result.source, result.sha256, "io-error", f"{result.source.name}: {OUTPUT_LOST}: {err}", result.seconds
            ),
        )
    return Committed(result, written, time.monotonic() - start)


def run_dask(
    jobs: Iterable[Job],
    limits: Limits,
    out_dir: Path,
    scheduler: str | None = None,
    workers: int = 1,
    options: dict | None = None,
) -> Iterator[tuple[Job, Committed]]:
    """Yield (job, committed outcome) as a Dask cluster finishes documents.

    `scheduler` is the address of a running cluster (`tcp://host:8786`), whose workers
    must see `out_dir` and the input files at the same paths (a shared file system)
    and have this package installed; without it, a LocalCluster of `workers` workers
    is started here and closed at the end. Documents are submitted as workers free
    up (twice as many as there are worker threads in flight), so the caller may
    decide lazily what to run, as with run_isolated.
    """
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise RuntimeError("the dask executor needs Dask: pip install 'compendium[cluster]'") from None
    cluster = None
    if scheduler is None:
        # Threads are enough: every document is extracted in a process of its own anyway.
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=False, dashboard_address=None)
    client = Client(scheduler or cluster)
    pending = iter(jobs)
    submitted: dict = {}  # future -> job
    finished = as_completed()

    def submit(job: Job) -> None:
        future = client.submit(
            extract_and_commit,
            replace(job, path=job.path.resolve()),
            str(Path(out_dir).resolve()),
            limits,
            dict(options or {}),
            pure=False,
            key=f"extract-{job.sha256 or 'unread'}-{os.urandom(4).hex()}",
        )
        submitted[future] = job
        finished.add(future)

    try:
        window = 2 * max(1, sum(client.nthreads().values()))
        for job in pending:
            submit(job)
            if len(submitted) >= window:
                break
        for future in finished:
            job = submitted.pop(future)
            try:
                outcome = future.result()
            except Exception as err:  # the task's worker died again and again, or the cluster went away
                outcome = Committed(
                    failure(
                        job.path,
                        job.sha256,
                        "worker-crashed",
                        f"{job.path.name}: cluster task failed: {type(err).__name__}: {err}",
                        0.0,
                    ),
                    None,
                    0.0,
                )
            yield job, outcome
            following = next(pending, None)
            if following is not None:
                submit(following)
    finally:
        if submitted:
            client.cancel(list(submitted))
        client.close()
        if cluster is not None:
            cluster.close()
