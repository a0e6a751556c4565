"""Fixtures shared by the modules that need the real sample (extracted once per session by
the real command line, what `make run` makes, and inspected once) or the shared folder
beside the project (`../shared`: the scorers and the corpus of real PDFs), which a fresh
clone may not have: tests needing it skip, saying so."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "compendium"
TWO_COLUMNS = ROOT / "raw" / "eu-china-crossroads-vol5.pdf"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared folder (`../shared`), or a skip: the scorers and the corpus live there."""
    if not (SHARED / "corpus" / "MANIFEST.tsv").is_file() or not (SHARED / "eval").is_dir():
        pytest.skip(f"{SHARED} (the shared corpus and scorers) is not beside this clone")
    return SHARED


@pytest.fixture(scope="session")
def corpus_run(shared, tmp_path_factory):
    """`compendium extract ../shared/corpus --out <tmp>/out`, once: (the finished run, the
    output folder, its seconds)."""
    assert CLI.exists(), f"the console script is expected at {CLI}"
    out = tmp_path_factory.mktemp("corpus") / "out"
    start = time.monotonic()
    run = subprocess.run(
        [CLI, "extract", shared / "corpus", "--out", out, "--jobs", "2"], capture_output=True, text=True
    )
    return run, out, time.monotonic() - start


@pytest.fixture(scope="session")
def sample_out(tmp_path_factory) -> Path:
    """`compendium extract raw --out <tmp>/out`: both typesettings of the sample, with
    manifest and run summary. Read-only for the tests that use it."""
    assert CLI.exists(), f"the console script is expected at {CLI}"
    out = tmp_path_factory.mktemp("sample") / "out"
    run = subprocess.run([CLI, "extract", ROOT / "raw", "--out", out, "--jobs", "2"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


@pytest.fixture(scope="session")
def vol5_inspection():
    """The stages' decisions for every line of the two-column sample (`compendium inspect`'s input)."""
    from compendium_corpus.overlay import inspect_pdf

    return inspect_pdf(TWO_COLUMNS)
