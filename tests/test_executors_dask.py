"""The Dask executor: documents as tasks on a cluster, each task extracting its document in
an isolated worker and writing its own partitions, the client keeping the manifest.
The tables must be those of a serial run, byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from bad_pdfs import text_pdf

from compendium_corpus.batch import Settings, run_batch
from compendium_corpus.executors import Limits
from compendium_corpus.manifest import read_manifest
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.validate import validate_dir

pytestmark = [pytest.mark.processes, pytest.mark.slow]

distributed = pytest.importorskip("dask.distributed")

CLI = Path(sys.executable).parent / "compendium"


def partitions(out: Path) -> dict:
    return {str(f.relative_to(out)): pq.read_table(f) for name in TABLES for f in (out / name).glob("*/*.parquet")}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> tuple[list[Path], Path]:
    """Three small documents, one of them not a PDF, and their serial extraction."""
    folder = tmp_path_factory.mktemp("in")
    files = [text_pdf(folder / f"doc{i}.pdf", pages=i + 2, title=f"Volume {i}") for i in range(2)]
    broken = folder / "broken.pdf"
    broken.write_bytes(b"<html>not a pdf</html>")
    files.append(broken)
    serial = tmp_path_factory.mktemp("serial")
    assert run_batch(files, serial, Settings(jobs=1)).exit_status == 1
    return files, serial


def assert_same_as_serial(out: Path, serial: Path) -> None:
    a, b = partitions(serial), partitions(out)
    assert a.keys() == b.keys() and len(a) == len(TABLES) * 2 + 2  # the broken file: its documents and diagnostics rows
    assert [key for key in a if not a[key].equals(b[key])] == []
    assert validate_dir(out)[1] == []


def test_local_cluster_of_two_process_workers_gives_the_serial_tables(inputs, tmp_path):
    files, serial = inputs
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        settings = Settings(jobs=2, executor="dask", scheduler=cluster.scheduler_address, limits=Limits(timeout=60))
        summary = run_batch(files, tmp_path / "out", settings)
        workers = len(cluster.workers)
    assert workers == 2
    assert [(o.path.name, o.action, o.code) for o in summary.outcomes] == [
        ("doc0.pdf", "ok", None),
        ("doc1.pdf", "ok", None),
        ("broken.pdf", "failed", "not-a-pdf"),
    ]
    assert_same_as_serial(tmp_path / "out", serial)
    manifest = read_manifest(tmp_path / "out")
    assert sorted(e.status for e in manifest.values()) == ["failed", "ok", "ok"]
    assert all(e.write_seconds >= 0 for e in manifest.values())
    report = json.loads(summary.report.read_text())
    assert report["settings"]["executor"] == "dask" and report["totals"]["ok"] == 2


def test_executor_dask_starts_its_own_cluster_and_reruns_skip(inputs, tmp_path):
    files, serial = inputs
    out = tmp_path / "out"
    run = subprocess.run(
        [CLI, "extract", *files, "--out", out, "--executor", "dask", "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stdout + run.stderr  # one file is not a PDF
    assert sorted(line.split()[0] for line in run.stdout.splitlines()[:-1]) == ["FAILED", "ok", "ok"]  # as they finish
    assert_same_as_serial(out, serial)
    again = run_batch(files, out, Settings(jobs=2, executor="dask"))
    assert [o.action for o in again.outcomes] == ["skipped"] * 3
