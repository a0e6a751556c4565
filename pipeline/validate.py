"""Row validation after writing: `validate_dir` re-reads the Parquet files as a
downstream user would, to catch what the writer got wrong (rows are checked
against their models before, where they are built: rows.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
from pydantic import ValidationError

from compendium_corpus.manifest import ManifestDamaged, read_manifest
from compendium_corpus.partitions import document_problems, readable_parts, table_files
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.write import PART_FILE, PARTITION_KEY

if TYPE_CHECKING:
    import pyarrow.dataset as ds


def brief(err: ValidationError) -> str:
    """The first thing wrong with a row, and how many more there are."""
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "row"
    more = f" (+{err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def open_table(out_dir: Path, table: str) -> ds.Dataset:
    """The table as readers see it, with `doc_id` typed as string (hive inference could make it an int).
    pyarrow.dataset is imported here: it brings pandas, a fifth of a second that every
    worker and the batch would pay at start-up for a reader only validation needs."""
    import pyarrow.dataset as ds

    partitioning = ds.partitioning(pa.schema([(PARTITION_KEY, pa.string())]), flavor="hive")
    return ds.dataset(Path(out_dir) / table, format="parquet", partitioning=partitioning)


# The id column that names a row within its document, per table (`compendium schema`).
KEYS = {
    "chapters": "chapter_id",
    "papers": "paper_id",
    "sections": "section_id",
    "paragraphs": "paragraph_id",
    "pull_quotes": "pull_quote_id",
    "recommendations": "recommendation_id",
    "figures": "figure_id",
    "front_sections": "section_id",
}


def validate_dir(out_dir: Path) -> tuple[dict[str, int], list[str]]:
    """Re-read every part file, and check the manifest against the partitions; return
    (row counts per table, violations), each violation one readable line."""
    out_dir = Path(out_dir)
    counts: dict[str, int] = {}
    violations: list[str] = []
    doc_ids: dict[str, set[str]] = {}
    for name in TABLES:
        if not (out_dir / name).is_dir():
            counts[name] = 0
            continue
        files = table_files(out_dir, name)
        doc_ids[name] = set(files.parts) | set(files.empty)
        violations += [f"{name}/{PARTITION_KEY}={d} has no {PART_FILE}" for d in files.empty]
        counts[name] = 0
        for doc_id, data in readable_parts(out_dir, name, files, violations):
            counts[name] += len(data)
            violations += _row_violations(name, data, doc_id)
    if not doc_ids:
        violations.append(f"no tables under {out_dir}")
    documents = doc_ids.get("documents", set())
    failed = _failed(out_dir) & documents
    for name in [t for t in TABLES if t not in ("documents", "diagnostics")]:
        ids = doc_ids.get(name, set())
        if ids - documents:
            violations.append(f"{name}: partitions without a documents row: {sorted(ids - documents)}")
        if ids & failed:
            violations.append(f"{name}: partitions of failed documents: {sorted(ids & failed)}")
        if documents - failed - ids:
            violations.append(f"{name}: missing partitions for {sorted(documents - failed - ids)}")
    violations += _manifest_violations(out_dir)
    return counts, list(dict.fromkeys(violations))


def _failed(out_dir: Path) -> set[str]:
    """The documents whose row says their extraction failed (they have no other tables)."""
    try:
        rows = open_table(out_dir, "documents").to_table(columns=[PARTITION_KEY, "status"]).to_pylist()
    except Exception:  # unreadable parts are reported by the row checks
        return set()
    return {r[PARTITION_KEY] for r in rows if r["status"] == "failed"}


def _row_violations(name: str, data: pa.Table, doc_id: str) -> list[str]:
    model, violations = TABLES[name], []
    for i, row in enumerate(data.to_pylist()):
        try:
            model.model_validate({**row, PARTITION_KEY: doc_id})
        except ValidationError as err:
            violations.append(f"{name} row {i} (doc_id {doc_id}): {brief(err)}")
    key = KEYS.get(name)
    if key is not None:
        seen = Counter(data.column(key).to_pylist())
        doubled = sorted(k for k, n in seen.items() if n > 1)
        if doubled:
            violations.append(f"{name}: duplicate {key} in document {doc_id}: {doubled[:10]}")
    if name == "documents" and len(data) != 1:
        violations.append(f"documents: document {doc_id} has {len(data)} rows, not 1")
    return violations


def _manifest_violations(out_dir: Path) -> list[str]:
    """Every document the manifest vouches for must be whole: ok ones in every table, failed
    ones in the tables the failure wrote."""
    try:
        entries = read_manifest(out_dir)
    except ManifestDamaged as err:
        return [str(err)]
    violations = []
    vouched = sorted((e for e in entries.values() if e.doc_id and e.rows is not None), key=lambda e: e.status == "ok")
    for entry in {e.doc_id: e for e in vouched}.values():
        assert entry.doc_id and entry.rows is not None  # as `vouched` chose them
        tables = None if entry.status == "ok" else [t for t, n in entry.rows.items() if n is not None]
        violations += document_problems(out_dir, entry.doc_id, entry.rows, tables)
    return violations
