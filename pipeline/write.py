"""Write one document's rows as Hive partitions, atomically.

Layout: `<out>/<table>/doc_id=<doc_id>/part-0.parquet`. The `doc_id` column is
not stored in the files: readers get it from the directory name, and storing
it too would clash with the dictionary type pyarrow gives partition columns.

A reader must never see half a file, and a document must never be left with
some tables new and others old. So every file is written under a dot-named
staging folder first (no reader takes it for data), a commit journal naming
the staged files is put in place, and only then is each file renamed over its
partition's old one. A run killed during those renames leaves the journal
behind, and `recover` finishes the renames before anything else is written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from compendium_corpus.schemas.arrow import arrow_schema
from compendium_corpus.schemas.tables import TABLES

PARTITION_KEY = "doc_id"
PART_FILE = "part-0.parquet"
DOC_ID = re.compile(r"[0-9a-f]{16}")  # hex only: nothing read from a PDF ever becomes part of a path


def file_schema(table: str) -> pa.Schema:
    """Schema of the Parquet files of `table`: the model's, less the partition key."""
    schema = arrow_schema(TABLES[table])
    return schema.remove(schema.get_field_index(PARTITION_KEY))


def load_writer() -> None:
    """Load what writing the first table would: pyarrow imports pandas with its first array,
    a third of a second a batch pays while its first document is being extracted instead."""
    pa.array([], pa.string())


def replace_file(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write` on a temporary sibling of `path`, then rename it over `path`:
    readers see the old file or the new one, never a part of either."""
    tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _partition(doc_id: str) -> str:
    """The folder name of a document's partition; a doc_id of any other shape never
    names a path."""
    if not DOC_ID.fullmatch(doc_id):
        raise ValueError(f"doc_id must be 16 lowercase hex digits, not {doc_id!r}")
    return f"{PARTITION_KEY}={doc_id}"


def write_tables(out_dir: Path, doc_id: str, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Write exactly the given tables' partitions for `doc_id`; other partitions stay untouched."""
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise KeyError(f"not tables of the contract: {sorted(unknown)}")
    out_dir = Path(out_dir)
    part = _partition(doc_id)
    staging = out_dir / f".tmp-{doc_id}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for name, rows in tables.items():
            (staging / name / part).mkdir(parents=True)
            pq.write_table(pa.Table.from_pylist(rows, schema=file_schema(name)), staging / name / part / PART_FILE)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    journal = out_dir / f".commit-{doc_id}.json"
    replace_file(
        journal,
        lambda tmp: tmp.write_text(json.dumps({"staging": staging.name, "tables": list(tables), "partition": part})),
    )
    _commit(out_dir, journal, undo_on_error=True)
    return {name: len(rows) for name, rows in tables.items()}


def write_document(out_dir: Path, doc_id: str, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Write a partition for every contract table, empty ones included, so readers see all columns."""
    return write_tables(out_dir, doc_id, {name: tables.get(name, []) for name in TABLES})


def remove_document(out_dir: Path, doc_id: str) -> None:
    """Drop every table's partition of `doc_id`. Each is first renamed out of the
    readers' view (atomic), then deleted; a kill in between leaves only a staged
    leftover, which `recover` removes."""
    out_dir = Path(out_dir)
    for name in TABLES:
        partition = out_dir / name / _partition(doc_id)
        if partition.is_dir():
            dropped = out_dir / f".tmp-drop-{name}-{doc_id}-{os.getpid()}"
            os.replace(partition, dropped)
            shutil.rmtree(dropped, ignore_errors=True)


def recover(out_dir: Path) -> list[str]:
    """Finish the commits a killed run left half-done, then drop its staged leftovers;
    return what was refused. A journal is data found in the folder, not an order: one
    that names anything but this pipeline's own staging folder and partitions is
    removed unread, and reported.

    Only safe while no other run writes to `out_dir` (the batch holds a lock).
    """
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    refused = []
    for journal in sorted(out_dir.glob(".commit-*.json")):
        try:
            _commit(out_dir, journal)
        except UnsafeJournal as err:
            journal.unlink()
            refused.append(f"refused commit journal {journal.name}: {err}; removed")
    for leftover in out_dir.glob(".tmp-*"):
        _remove(leftover)
    return refused


class UnsafeJournal(ValueError):
    """A commit journal that is unreadable or names paths this pipeline never writes."""


STAGING = re.compile(r"\.tmp-[0-9a-f]{16}-\d+")
JOURNAL = re.compile(r"\.commit-([0-9a-f]{16})\.json")


def _plan(out_dir: Path, journal: Path) -> tuple[Path, list[str], str]:
    """(staging folder, tables, partition) of a journal written by `write_tables`."""
    try:
        plan = json.loads(journal.read_text())
        staging, tables, partition = plan["staging"], list(plan["tables"]), plan["partition"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise UnsafeJournal(f"it cannot be read ({type(err).__name__})") from None
    doc_id = JOURNAL.fullmatch(journal.name)
    if not (
        doc_id
        and isinstance(staging, str)
        and STAGING.fullmatch(staging)
        and partition == f"{PARTITION_KEY}={doc_id[1]}"
        and tables
        and all(isinstance(t, str) and t in TABLES for t in tables)
    ):
        raise UnsafeJournal("it names paths this pipeline never writes")
    return out_dir / staging, tables, partition


def _remove(path: Path) -> None:
    """Delete a file or a folder; a link is removed itself, never what it leads to."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _commit(out_dir: Path, journal: Path, undo_on_error: bool = False) -> None:
    """Rename each staged file over its partition's file (each rename is atomic), then
    drop the journal and anything else in those partitions (a second part file would
    double the document's rows). Idempotent: a file already moved is simply not found again.

    With `undo_on_error`, a failed rename (a full disk, a permission error) puts the
    files already replaced back as they were, so the document is seen whole, old or
    new, never six tables new and eight old; the error is raised after. A killed run
    leaves the journal, and `recover` finishes the renames instead."""
    staging, tables, partition = _plan(out_dir, journal)
    kept = staging / ".replaced"  # the files being replaced, hard-linked, for the undo
    done: list[str] = []
    try:
        for name in tables:
            staged = staging / name / partition / PART_FILE
            if not staged.exists():
                continue
            final = out_dir / name / partition
            final.mkdir(parents=True, exist_ok=True)
            if undo_on_error and (final / PART_FILE).exists():
                kept.mkdir(exist_ok=True)
                _keep(final / PART_FILE, kept / name)
            os.replace(staged, final / PART_FILE)
            done.append(name)
    except OSError:
        if undo_on_error:
            _undo(out_dir, tables, done, partition, kept)
            journal.unlink()
            shutil.rmtree(staging, ignore_errors=True)
        raise
    for name in tables:
        for other in (out_dir / name / partition).iterdir():
            if other.name != PART_FILE:
                _remove(other)
    journal.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _keep(path: Path, copy: Path) -> None:
    try:
        os.link(path, copy)
    except OSError:  # a file system without hard links
        shutil.copy2(path, copy)


def _undo(out_dir: Path, tables: list[str], done: list[str], partition: str, kept: Path) -> None:
    """Put back the files `_commit` replaced; a partition it made goes again."""
    for name in tables:
        final = out_dir / name / partition
        if name in done:
            if (kept / name).exists():
                os.replace(kept / name, final / PART_FILE)
            else:
                (final / PART_FILE).unlink()
        if final.is_dir() and not any(final.iterdir()):
            final.rmdir()
