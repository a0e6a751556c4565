"""A few of the fuzz batch's byte-level mutants of the two-column sample, through the real
command line under both engines: the stages run on real pages of damaged files. Every file
ends with a line, no traceback, `validate` passes, and the mutants whose cross-reference
table was broken are repaired and extracted. The whole batch (150 mutants and the hostile
files, some 20 minutes per engine) is bench/fuzz_batch.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from mutants import mutants

from compendium_corpus.errors import FAILURE_CODES
from compendium_corpus.validate import validate_dir

pytestmark = [pytest.mark.processes, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "compendium"
PICKED = {
    "001-delete": "ok",
    "002-duplicate": "ok",
    "003-truncate": "unreadable-pdf",
    "004-zero-xref": "unreadable-pdf",
    "010-flip": "ok",
}


@pytest.fixture(scope="module")
def mutated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mutants")
    for name, data in mutants((ROOT / "raw" / "eu-china-crossroads-vol5.pdf").read_bytes(), 11):
        if name in PICKED:
            (folder / f"{name}.pdf").write_bytes(data)
    return folder


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
def test_mutants_of_the_sample_are_repaired_or_cleanly_classified(mutated, tmp_path, engine):
    out = tmp_path / "out"
    run = subprocess.run(
        [CLI, "extract", mutated, "--out", out, "--engine", engine, "--jobs", "2", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in run.stderr and run.returncode == 1, run.stderr
    files = {Path(f["path"]).stem: f for f in json.loads(run.stdout)["files"]}
    assert {name: f["code"] or "ok" for name, f in files.items()} == PICKED
    assert {f["code"] for f in files.values()} - {None} <= FAILURE_CODES - {"internal-error"}
    assert len(run.stderr.splitlines()) == len(PICKED) + 1  # a line per file, and the summary
    assert validate_dir(out)[1] == []
    diagnostics = pd.read_parquet(out / "diagnostics")
    repaired = diagnostics[diagnostics["code"] == "repaired"]["doc_id"].astype(str)
    assert sorted(repaired) == sorted(files[n]["doc_id"] for n in ("001-delete", "002-duplicate"))
