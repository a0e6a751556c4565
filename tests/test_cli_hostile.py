"""The command line under an archive's conditions: names with terminal escape codes are
shown masked by every command, names as long as the file system allows still give output
names it accepts, a run stopped by SIGTERM or SIGHUP still writes its summary, and an
output that cannot be written is a clean error with status 3, never a traceback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from bad_pdfs import text_pdf
from click.testing import CliRunner

from compendium_corpus.cli import main
from compendium_corpus.manifest import MANIFEST

pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "compendium"
ESCAPE = "evil-\x1b]0;owned\x07-\x1b[2J.pdf"


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_escape_codes_in_names_never_reach_the_terminal(tmp_path):
    doc = text_pdf(tmp_path / ESCAPE)
    out = tmp_path / "out"
    assert cli("extract", doc, "--out", out).exit_code == 0
    reported = CliRunner().invoke(main, ["-v", "report", str(out), "--inspect"])
    inspected = cli("inspect", doc, "--page", "1", "--out", tmp_path / "p1.png")
    missing = cli("inspect", doc, "--page", "9", "--out", tmp_path / "p9.png")
    for result in (reported, inspected, missing):
        assert "\x1b" not in result.output and "\x07" not in result.output, result.output
    assert reported.exit_code == inspected.exit_code == 0 and "evil-?]0;owned?-?[2J.pdf" in reported.output


def test_inspect_a_file_with_the_longest_name_there_is(tmp_path, monkeypatch):
    doc = text_pdf(tmp_path / ("n" * 243 + ".pdf"))  # the file system allows 255 bytes
    monkeypatch.chdir(tmp_path)
    result = cli("inspect", doc, "--page", "1")
    assert result.exit_code == 0, result.output
    [image] = tmp_path.glob("*.png")
    assert len(image.name.encode()) <= 255


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_run_stopped_by_a_signal_writes_its_summary(tmp_path, signum):
    first = text_pdf(tmp_path / "a-first.pdf")
    out = tmp_path / "out"
    run = subprocess.Popen(
        [CLI, "extract", first, ROOT / "raw" / "eu-china-crossroads-vol5.pdf", "--out", out, "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not ((out / MANIFEST).exists() and len(pq.read_table(out / MANIFEST)) == 1):
        assert run.poll() is None and time.monotonic() < deadline, "the run ended before it could be stopped"
        time.sleep(0.05)
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=30)
    assert run.returncode == 128 + signum and "Traceback" not in stderr, stderr
    [summary] = (out / "_runs").iterdir()
    data = json.loads(summary.read_text())
    assert data["interrupted"] and data["exit_status"] == 128 + signum
    assert [Path(f["path"]).name for f in data["files"]] == ["a-first.pdf"]
    assert [Path(p).name for p in data["unprocessed"]] == ["eu-china-crossroads-vol5.pdf"]
    assert f"stopped by {signal.Signals(signum).name}" in stderr


def test_outputs_that_cannot_be_written_exit_3(tmp_path):
    doc = text_pdf(tmp_path / "doc.pdf")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    extracted = cli("extract", doc, "--out", blocker)
    assert extracted.exit_code == 3 and "error:" in extracted.output, extracted.output
    assert cli("extract", doc, "--out", tmp_path / "out").exit_code == 0
    reported = cli("report", tmp_path / "out", "--html", blocker / "report.html")
    inspected = cli("inspect", doc, "--page", "1", "--out", blocker / "p1.png")
    for result in (reported, inspected):
        assert result.exit_code == 3 and "cannot be written" in result.output, result.output
        assert not isinstance(result.exception, OSError)
