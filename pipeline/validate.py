"""Row validation against the table models, before writing and after reading back.

Before writing, a bad row is dropped and reported as a diagnostic, so one stage
bug costs a row, not the document. After writing, `validate_dir` re-reads the
Parquet files as a downstream user would, to catch what the writer got wrong.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
from pydantic import ValidationError

from pipeline.manifest import ManifestDamaged, read_manifest
from pipeline.model import Diagnostics
from pipeline.partitions import document_problems, readable_parts, table_files
from pipeline.write import PART_FILE, PARTITION_KEY
from schemas.tables import TABLES


def _brief(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "row"
    more = f" (+{err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def _diagnostic(doc_id: str, code: str, message: str) -> dict:
    found = Diagnostics()
    found.add(code, message)
    return found.rows(doc_id)[0]


def validate_rows(tables: dict[str, list[dict]], doc_id: str) -> tuple[dict[str, list[dict]], list[dict]]:
    """Return (rows that fit their model, normalised by it; one diagnostic per dropped row)."""
    clean: dict[str, list[dict]] = {name: [] for name in TABLES}
    diagnostics = []
    for name, rows in tables.items():
        model = TABLES.get(name)
        if model is None:
            diagnostics.append(_diagnostic(doc_id, "unknown-table", f"{len(rows)} rows for unknown table {name!r} dropped"))
            continue
        for i, row in enumerate(rows):
            try:
                valid = model.model_validate(row)
            except ValidationError as err:
                diagnostics.append(_diagnostic(doc_id, "invalid-row", f"{name} row {i}: {_brief(err)}"))
                continue
            if valid.doc_id != doc_id:
                diagnostics.append(_diagnostic(doc_id, "invalid-row", f"{name} row {i}: doc_id {valid.doc_id!r} is not {doc_id!r}"))
                continue
            clean[name].append(valid.model_dump())
    return clean, diagnostics


def open_table(out_dir: Path, table: str) -> ds.Dataset:
    """The table as readers see it, with `doc_id` typed as string (hive inference could make it an int)."""
    partitioning = ds.partitioning(pa.schema([(PARTITION_KEY, pa.string())]), flavor="hive")
    return ds.dataset(Path(out_dir) / table, format="parquet", partitioning=partitioning)


# The id column that names a row within its document, per table (`compendium schema`).
KEYS = {"chapters": "chapter_id", "papers": "paper_id", "sections": "section_id", "paragraphs": "paragraph_id",
        "pull_quotes": "pull_quote_id", "recommendations": "recommendation_id", "figures": "figure_id",
        "front_sections": "section_id"}


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
    for name in [t for t in TABLES if t != "diagnostics"]:
        ids = doc_ids.get(name, set())
        if ids - documents:
            violations.append(f"{name}: partitions without a documents row: {sorted(ids - documents)}")
        if documents - ids:
            violations.append(f"{name}: missing partitions for {sorted(documents - ids)}")
    violations += _manifest_violations(out_dir)
    return counts, list(dict.fromkeys(violations))


def _row_violations(name: str, data: pa.Table, doc_id: str) -> list[str]:
    model, violations = TABLES[name], []
    for i, row in enumerate(data.to_pylist()):
        try:
            model.model_validate({**row, PARTITION_KEY: doc_id})
        except ValidationError as err:
            violations.append(f"{name} row {i} (doc_id {doc_id}): {_brief(err)}")
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
        tables = None if entry.status == "ok" else [t for t, n in entry.rows.items() if n is not None]
        violations += document_problems(out_dir, entry.doc_id, entry.rows, tables)
    return violations
