"""What `pip install .` puts on a machine: one package of our own, nothing named like
another project's, and the `compendium` command with its version."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from compendium_corpus import PIPELINE_VERSION
from compendium_corpus.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_installs_one_namespace_and_the_command(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, ROOT], capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("compendium_corpus-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"compendium_corpus", wheel.name.split("-py")[0] + ".dist-info"}
    assert {
        "compendium_corpus/schemas/tables.py",
        "compendium_corpus/source/pdfium.py",
        "compendium_corpus/cli.py",
    } <= set(names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "compendium = compendium_corpus.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_version_names_the_pipeline_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"compendium {PIPELINE_VERSION}\n"
