"""Row validation against the table models, before writing and after reading back.

Before writing, a bad row is dropped and reported as a diagnostic, so one stage
bug costs a row, not the document. After writing, `validate_dir` re-reads the
Parquet files as a downstream user would, to catch what the writer got wrong.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
from pydantic import ValidationError

from pipeline.write import PARTITION_KEY, file_schema
from schemas.tables import TABLES


def _brief(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "row"
    more = f" (+{err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def _diagnostic(doc_id: str, code: str, message: str) -> dict:
    return {"doc_id": doc_id, "stage": "validate", "severity": "error", "code": code,
            "message": message, "page": None, "paper_id": None}


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


def validate_dir(out_dir: Path) -> tuple[dict[str, int], list[str]]:
    """Re-read every table; return (row counts per table, violations)."""
    out_dir = Path(out_dir)
    counts: dict[str, int] = {}
    violations: list[str] = []
    doc_ids: dict[str, set[str]] = {}
    for name, model in TABLES.items():
        if not (out_dir / name).is_dir():
            counts[name] = 0
            continue
        doc_ids[name] = {p.name.split("=", 1)[1] for p in (out_dir / name).glob(f"{PARTITION_KEY}=*")}
        dataset = open_table(out_dir, name)
        expected = file_schema(name)
        wrong = [f for f in dataset.get_fragments() if not f.physical_schema.equals(expected)]
        violations += [f"{name}: {f.path} has schema {f.physical_schema}, expected {expected}" for f in wrong]
        counts[name] = dataset.count_rows()
        if wrong:
            continue  # rows of a mismatched file would not convert; the schema violation says enough
        rows = (row for batch in dataset.to_batches() for row in batch.to_pylist())
        for i, row in enumerate(rows):
            try:
                model.model_validate(row)
            except ValidationError as err:
                violations.append(f"{name} row {i} (doc_id {row[PARTITION_KEY]}): {_brief(err)}")
    if not doc_ids:
        violations.append(f"no tables under {out_dir}")
    documents = doc_ids.get("documents", set())
    for name in [t for t in TABLES if t != "diagnostics"]:
        ids = doc_ids.get(name, set())
        if ids - documents:
            violations.append(f"{name}: partitions without a documents row: {sorted(ids - documents)}")
        if documents - ids:
            violations.append(f"{name}: missing partitions for {sorted(documents - ids)}")
    return counts, violations
