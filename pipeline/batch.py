"""A batch of PDFs into `out/`: isolated extraction, atomic commits, a manifest, a run summary.

Written for folders nobody curated: every input file ends with exactly one
outcome (ok, failed with a classified code, or skipped), a good document's
tables are never lost to a later failure, and the batch may be killed at any
moment and simply run again: documents whose bytes, pipeline version and
relevant options are unchanged since their last outcome are skipped.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from compendium_corpus import PIPELINE_VERSION
from compendium_corpus.errors import OUTPUT_LOST, ExtractionError, machine_fault
from compendium_corpus.executors import Committed, Job, Limits, commit_result, run_dask, run_isolated
from compendium_corpus.inputs import Refusal, hash_within
from compendium_corpus.manifest import (
    MANIFEST,
    Entry,
    ManifestDamaged,
    read_manifest,
    rebuild_manifest,
    rebuilt,
    write_manifest,
)
from compendium_corpus.ocr import DEFAULT_MODE as DEFAULT_OCR
from compendium_corpus.ocr import MODES as OCR_MODES
from compendium_corpus.ocr import ocr_installed
from compendium_corpus.partitions import document_problems
from compendium_corpus.run import DocumentResult, failure
from compendium_corpus.safe_text import repair
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.source import DEFAULT_ENGINE, ENGINES, engine_version
from compendium_corpus.write import recover, remove_document, replace_file

RUNS = "_runs"  # one JSON summary per run; the underscore keeps it out of readers' view


class OutputBusy(Exception):
    """Another run holds the output folder."""


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class Settings:
    password: str | None = None
    limits: Limits = Limits()
    jobs: int = field(default_factory=default_jobs)  # cores: documents at once, and pages of the last one
    force: bool = False  # redo documents that would be skipped
    engine: str = DEFAULT_ENGINE  # the character source (source.ENGINES)
    executor: str = "local"  # "local": worker processes here; "dask": tasks on a Dask cluster
    scheduler: str | None = None  # a Dask scheduler's address; None with "dask": a LocalCluster of `jobs` workers
    ocr: str = DEFAULT_OCR  # when scans are read by OCR (ocr.MODES)

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine {self.engine!r}; one of {', '.join(ENGINES)}")
        if self.ocr not in OCR_MODES:
            raise ValueError(f"unknown OCR mode {self.ocr!r}; one of {', '.join(OCR_MODES)}")
        if self.executor not in EXECUTORS:
            raise ValueError(f"unknown executor {self.executor!r}; one of {', '.join(EXECUTORS)}")

    @property
    def version(self) -> str:
        """The pipeline version as the manifest records it: a character source other than
        the default one makes other output, so documents it made are redone by the other."""
        return engine_version(PIPELINE_VERSION, self.engine)

    @property
    def fingerprint(self) -> str:
        """What a failure's outcome may depend on besides the bytes. Changing any of it
        (a new password, a longer timeout, more memory, another --ocr, OCR installed
        since) retries failed documents. Holding a hash of the password adds nothing to
        what the encrypted PDF itself already offers someone guessing it."""
        key = json.dumps([self.password, self.limits.timeout, self.limits.memory, self.ocr, ocr_installed()])
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class Outcome:
    """What became of one input file in this run."""

    path: Path
    action: str  # "ok", "failed" or "skipped"
    status: str  # the document's standing: "ok" or "failed" (a skipped file keeps its earlier one)
    doc_id: str | None = None
    code: str | None = None
    message: str | None = None
    seconds: float = 0.0
    pages: int | None = None
    rows: dict[str, int] = field(default_factory=dict)
    note: str | None = None  # why it was skipped


@dataclass
class Summary:
    run_id: str
    outcomes: list[Outcome]
    unprocessed: list[Path] = field(default_factory=list)  # left when the run was interrupted
    interrupted: bool = False
    stopped_by: int = signal.SIGINT  # the signal that interrupted the run (SIGTERM, SIGHUP: see cli.Stopped)
    report: Path | None = None  # the JSON summary written under out/_runs/
    warnings: list[str] = field(default_factory=list)  # what the run found wrong in the output folder

    @property
    def exit_status(self) -> int:
        """0 every file is extracted; 1 some failed; 2 none could be extracted (or none given);
        3 some outputs could not be written; 128 + the signal's number when interrupted (130 Ctrl-C)."""
        if self.interrupted:
            return 128 + self.stopped_by
        if any(o.code == "io-error" and OUTPUT_LOST in (o.message or "") for o in self.outcomes):
            return 3
        failed = sum(o.status != "ok" for o in self.outcomes)
        return 0 if self.outcomes and not failed else 2 if failed == len(self.outcomes) else 1

    def totals(self) -> dict[str, int]:
        return {
            "files": len(self.outcomes),
            **{a: sum(o.action == a for o in self.outcomes) for a in ("ok", "failed", "skipped")},
        }


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    """One writer per output folder: two runs would interleave commits and lose manifest rows.
    The lock dies with its process, so a killed run never leaves the folder locked; it is a
    POSIX record lock, which the workers forked from the run do not hold on to."""
    with open(out_dir / ".lock", "w") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):  # EAGAIN or EACCES, as the system has it
            raise OutputBusy(f"{out_dir} is being written by another compendium run") from None
        yield


def source_key(path: Path) -> str:
    """A file's key in the manifest: its absolute path as given, links not resolved (a
    link's target is not what the archive named), the name made valid text."""
    return repair(os.path.abspath(path))


def _complete(out_dir: Path, entry: Entry) -> bool:
    """Whether the outputs an entry vouches for are all still in place, whole and alone
    in their partitions: what `validate` would flag is extracted again."""
    tables = list(TABLES) if entry.status == "ok" else ["diagnostics"]
    return entry.doc_id is not None and not document_problems(out_dir, entry.doc_id, entry.rows, tables)


def _earlier(entries: list[Entry], settings: Settings, out_dir: Path) -> Entry | None:
    """Of the entries for some bytes, the one that makes re-extracting them pointless, if any:
    a success by this pipeline version, or a failure of the file (not of the machine) under
    the same settings, whose outputs are still there."""
    candidates = [
        e
        for e in entries
        if e.pipeline_version == settings.version
        and (e.status == "ok" or (e.settings == settings.fingerprint and not machine_fault(e.code, e.message)))
        and _complete(out_dir, e)
    ]
    return min(candidates, key=lambda e: e.status != "ok", default=None)


class _Batch:
    """One run's bookkeeping: the manifest as it stands, and what became of each file so far.

    Every outcome is written to the manifest as soon as it is known, so a run
    killed at any point has recorded everything it finished.
    """

    def __init__(self, out_dir: Path, settings: Settings, on_outcome: Callable[[Outcome], None], warnings: list[str]):
        self.out_dir, self.settings, self.on_outcome = out_dir, settings, on_outcome
        try:
            self.manifest = read_manifest(out_dir)
        except ManifestDamaged as err:
            self.manifest = rebuild_manifest(out_dir)
            warnings.append(
                f"{MANIFEST} could not be read ({err}); rebuilt from the partitions "
                f"({len(self.manifest)} documents); failures recorded in it will be retried"
            )
            write_manifest(out_dir, self.manifest)
        self.earlier: dict[str | None, list[Entry]] = defaultdict(list)  # by sha256, as the run found them
        for entry in self.manifest.values():
            self.earlier[entry.sha256].append(entry)
        self.outcomes: dict[Path, Outcome] = {}
        self.first_of: dict[str, Path] = {}  # sha256 -> the first path with those bytes in this run
        self.duplicates: list[tuple[Path, str]] = []

    def _settle(self, path: Path, outcome: Outcome, entry: Entry) -> None:
        stale = [key for key, e in self.manifest.items() if rebuilt(e) and e.doc_id == entry.doc_id]
        if self.manifest.get(entry.source_path) != entry or stale:
            for key in stale:
                del self.manifest[key]
            self.manifest[entry.source_path] = entry
            write_manifest(self.out_dir, self.manifest)
        self.outcomes[path] = outcome
        self.on_outcome(outcome)

    def jobs(self, inputs: list[Path | Refusal]) -> Iterator[Job]:
        """Hash each file as a worker frees up, and hand over only what needs extracting."""
        for item in inputs:
            path = item.path if isinstance(item, Refusal) else item
            sha256 = (
                failure(path, None, item.code, item.message, 0.0) if isinstance(item, Refusal) else self._hash(path)
            )
            if isinstance(sha256, DocumentResult):
                self.record(Job(path, None), sha256)
                continue
            if sha256 in self.first_of:
                self.duplicates.append((path, sha256))
                continue
            self.first_of[sha256] = path
            earlier = None if self.settings.force else _earlier(self.earlier[sha256], self.settings, self.out_dir)
            if earlier is None:
                yield Job(path, sha256, self.settings.password)
                continue
            rows = {k: v for k, v in (earlier.rows or {}).items() if v is not None}
            self._settle(
                path,
                Outcome(
                    path,
                    "skipped",
                    earlier.status,
                    earlier.doc_id,
                    earlier.code,
                    earlier.message,
                    pages=earlier.pages,
                    rows=rows,
                    note=f"unchanged since {earlier.extracted_at:%Y-%m-%d %H:%M} UTC",
                ),
                replace(earlier, source_path=source_key(path)),
            )

    def _hash(self, path: Path) -> str | DocumentResult:
        """The file's SHA-256, or the failure that kept it from being read."""
        timeout = self.settings.limits.timeout
        try:
            return hash_within(path, timeout)
        except ExtractionError as err:  # not a regular file
            return failure(path, None, err.code, err.message, 0.0)
        except TimeoutError as err:
            return failure(path, None, "timeout", str(err), timeout)
        except OSError as err:
            return failure(path, None, "io-error", f"{path.name}: {err.strerror or err}", 0.0)

    def record(self, job: Job, result: DocumentResult, committed: Committed | None = None) -> None:
        """Commit a worker's result (unless a cluster task `committed` it already) and record it.
        Whatever goes wrong here is this file's failure, never the end of the batch."""
        try:
            self._record(job, result, committed)
        except Exception as err:
            message = f"{job.path.name}: its outcome could not be recorded: {type(err).__name__}: {err}"
            failed = failure(job.path, result.sha256, "internal-error", message, result.seconds)
            self._record(job, failed, Committed(failed, None, 0.0))

    def _record(self, job: Job, result: DocumentResult, committed: Committed | None) -> None:
        done = committed or commit_result(result, self.out_dir)
        result, written, write_seconds = done.result, done.written, done.write_seconds
        entry = Entry(
            source_key(job.path),
            result.doc_id,
            result.sha256,
            self.settings.version,
            result.status,
            result.error_code,
            result.error_message,
            self.settings.fingerprint,
            datetime.now(UTC),
            result.seconds,
            write_seconds,
            result.pages,
            written,
        )
        if written is not None and result.status == "ok":
            self._drop_superseded(entry)
        self._settle(
            job.path,
            Outcome(
                job.path,
                result.status,
                result.status,
                result.doc_id,
                result.error_code,
                result.error_message,
                result.seconds,
                result.pages,
                written or {},
            ),
            entry,
        )

    def _drop_superseded(self, entry: Entry) -> None:
        """New bytes at a path whose old bytes were extracted: the old document's rows
        describe a file that is no longer there, so they go, once the new ones are in
        (a failed re-extraction keeps them) and unless another path still has those bytes."""
        old = self.manifest.get(entry.source_path)
        if old is None or old.doc_id is None or old.doc_id == entry.doc_id:
            return
        if any(e.doc_id == old.doc_id for p, e in self.manifest.items() if p != entry.source_path):
            return
        remove_document(self.out_dir, old.doc_id)

    def settle_duplicates(self) -> None:
        """Files with the same bytes as one extracted earlier in this run share its outcome."""
        for path, sha256 in self.duplicates:
            first = self.outcomes[self.first_of[sha256]]
            entry = replace(self.manifest[source_key(first.path)], source_path=source_key(path))
            self._settle(
                path,
                replace(
                    first, path=path, action="skipped", seconds=0.0, note=f"same bytes as {repair(str(first.path))}"
                ),
                entry,
            )


def _write_report(out_dir: Path, summary: Summary, settings: Settings, started: datetime) -> Path:
    report = out_dir / RUNS / f"{summary.run_id}.json"
    report.parent.mkdir(exist_ok=True)
    data = {
        "run_id": summary.run_id,
        "pipeline_version": settings.version,
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "interrupted": summary.interrupted,
        "settings": {
            "jobs": settings.jobs,
            "timeout": settings.limits.timeout,
            "max_memory": settings.limits.memory,
            "force": settings.force,
            "password_given": settings.password is not None,
            "engine": settings.engine,
            "ocr": settings.ocr,
            "executor": settings.executor,
            "scheduler": settings.scheduler,
        },
        "totals": summary.totals(),
        "exit_status": summary.exit_status,
        "files": [{**asdict(o), "path": repair(str(o.path))} for o in summary.outcomes],
        "unprocessed": [repair(str(p)) for p in summary.unprocessed],
        "warnings": summary.warnings,
    }
    replace_file(report, lambda tmp: tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n"))
    return report


def run_batch(
    paths: list[Path | Refusal],
    out_dir: Path,
    settings: Settings = Settings(),
    on_outcome: Callable[[Outcome], None] = lambda outcome: None,
    on_page: Callable[[Path, int, int], None] | None = None,
) -> Summary:
    """Extract every file into `out_dir`; report each outcome as it happens.

    Raises OutputBusy when another run holds `out_dir`. Workers are separate
    processes: a script calling this needs the usual `if __name__ == "__main__":`
    guard of multiprocessing.
    """
    paths = [p if isinstance(p, Refusal) else Path(p) for p in paths]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    summary = Summary(f"{started:%Y%m%dT%H%M%S%fZ}-{os.getpid()}", [], interrupted=True)
    with _locked(out_dir):
        summary.warnings += recover(out_dir)
        batch = _Batch(out_dir, settings, on_outcome, summary.warnings)
        page = (lambda job, done, total: on_page(job.path, done, total)) if on_page else None
        options = {"engine": settings.engine, "ocr": settings.ocr, "timeout": settings.limits.timeout}
        try:
            if settings.executor == "dask":
                for job, committed in run_dask(
                    batch.jobs(paths), settings.limits, out_dir, settings.scheduler, settings.jobs, options
                ):
                    batch.record(job, committed.result, committed)
            else:
                for job, result in run_isolated(
                    batch.jobs(paths), settings.limits, settings.jobs, page, options=options, cores=settings.jobs
                ):
                    batch.record(job, result)
            batch.settle_duplicates()
            summary.interrupted = False
        except KeyboardInterrupt as stop:
            summary.stopped_by = getattr(stop, "signum", signal.SIGINT)
            raise
        finally:
            given = [p.path if isinstance(p, Refusal) else p for p in paths]
            summary.outcomes = [batch.outcomes[p] for p in given if p in batch.outcomes]
            summary.unprocessed = [p for p in given if p not in batch.outcomes]
            summary.report = _write_report(out_dir, summary, settings, started)
    return summary
