"""Inputs an archive holds that are not plain PDFs at plain paths: file names that are not
UTF-8, text that is not valid Unicode, FIFOs, devices, links out of the folder given,
folders that cannot be read. Each gets a line of its own and never stops or hangs the batch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import bad_pdfs
import pandas as pd
import pytest

from compendium_corpus.manifest import MANIFEST
from compendium_corpus.validate import validate_dir

pytestmark = pytest.mark.processes

CLI = Path(sys.executable).parent / "compendium"


def extract(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command line, as an archive job runs it; a hang fails the test at `timeout`."""
    return subprocess.run([CLI, "extract", *map(str, args)], capture_output=True, timeout=timeout)


def lines(run: subprocess.CompletedProcess) -> dict[str, str]:
    """The per-file lines by their first two words ("ok name", "FAILED name:")."""
    text = run.stdout.decode("utf-8", "replace").splitlines()[:-1]
    return {" ".join(line.split()[:2]).rstrip(":"): line for line in text}


def test_a_file_name_that_is_not_utf8_is_stored_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    odd = Path(os.fsdecode(bytes(folder) + b"/caf\xe9-\x1b[31m.pdf"))
    bad_pdfs.text_pdf(odd)
    bad_pdfs.text_pdf(folder / "zz-after.pdf", title="Another volume")
    run = extract(folder, "--out", tmp_path / "out", "--jobs", "1")
    assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr.decode()
    assert set(lines(run)) == {"ok caf\\xe9-?[31m.pdf", "ok zz-after.pdf"}
    manifest = pd.read_parquet(tmp_path / "out" / MANIFEST)
    assert sorted(Path(p).name for p in manifest["source_path"]) == ["caf\\xe9-\x1b[31m.pdf", "zz-after.pdf"]
    assert "caf\\xe9-\x1b[31m.pdf" in set(pd.read_parquet(tmp_path / "out" / "documents")["source_file"])
    assert validate_dir(tmp_path / "out")[1] == []


@pytest.mark.parametrize("build", [bad_pdfs.surrogate_tounicode_pdf, bad_pdfs.surrogate_glyph_name_pdf])
def test_a_lone_surrogate_in_the_text_is_replaced_in_the_worker(tmp_path, build):
    folder = tmp_path / "in"
    folder.mkdir()
    build(folder / "a-broken-font.pdf")
    bad_pdfs.text_pdf(folder / "b-after.pdf", title="Another volume")
    run = extract(folder, "--out", tmp_path / "out", "--engine", "pdfium", "--jobs", "1")
    assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr.decode()
    assert set(lines(run)) == {"ok a-broken-font.pdf", "ok b-after.pdf"}
    titles = pd.read_parquet(tmp_path / "out" / "papers")["title"]
    assert any("Plain words first, A\ufffdA\ufffd" in t for t in titles)
    assert validate_dir(tmp_path / "out")[1] == []
    summary = json.loads(next((tmp_path / "out" / "_runs").iterdir()).read_text())
    assert not summary["interrupted"] and summary["exit_status"] == 0


def test_fifos_and_devices_are_refused_without_blocking(tmp_path):
    first = bad_pdfs.text_pdf(tmp_path / "first.pdf")
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.pdf"
    zero.symlink_to("/dev/zero")
    last = bad_pdfs.text_pdf(tmp_path / "last.pdf", title="Another volume")
    run = extract(first, fifo, zero, last, "--out", tmp_path / "out", "--jobs", "1", timeout=60)
    found = lines(run)
    assert run.returncode == 1, run.stdout.decode() + run.stderr.decode()
    assert set(found) == {"ok first.pdf", "FAILED pipe.pdf", "FAILED zero.pdf", "ok last.pdf"}
    assert "not-a-regular-file: pipe.pdf is a FIFO" in found["FAILED pipe.pdf"]
    assert "not-a-regular-file: zero.pdf is a character device" in found["FAILED zero.pdf"]


def test_a_folder_scan_reports_what_it_does_not_read(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    bad_pdfs.text_pdf(folder / "good.pdf")
    os.mkfifo(folder / "sub" / "pipe.pdf")
    (folder / "passwd.pdf").symlink_to("/etc/passwd")
    (folder / "inside.pdf").symlink_to(folder / "good.pdf")  # a link within the folder is read
    run = extract(folder, "--out", tmp_path / "out", "--jobs", "1", timeout=60)
    found = lines(run)
    assert run.returncode == 1
    assert set(found) == {"ok good.pdf", "skipped inside.pdf", "FAILED pipe.pdf", "FAILED passwd.pdf"}
    assert "link-outside-input: passwd.pdf leads out of" in found["FAILED passwd.pdf"]
    manifest = pd.read_parquet(tmp_path / "out" / MANIFEST)
    assert "/etc/passwd" not in set(manifest["source_path"])
    [refused] = manifest[manifest["source_path"].str.endswith("passwd.pdf")].itertuples()
    assert refused.code == "link-outside-input" and pd.isna(refused.sha256)

    followed = extract(folder, "--out", tmp_path / "out2", "--jobs", "1", "--follow-links", timeout=60)
    assert "FAILED passwd.pdf: not-a-pdf" in followed.stdout.decode()


def test_an_unreadable_subfolder_gets_a_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from compendium_corpus.cli import main

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    bad_pdfs.text_pdf(folder / "locked" / "hidden.pdf")
    bad_pdfs.text_pdf(folder / "good.pdf")
    scandir = os.scandir

    def refuse(path="."):  # root reads any folder: the refusal a normal user meets is simulated
        if not isinstance(path, int) and os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    result = CliRunner().invoke(main, ["extract", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert f"FAILED locked: io-error: folder {folder / 'locked'} could not be read: Permission denied" in result.output


def test_hashing_a_file_that_never_answers_is_bounded_by_the_timeout(tmp_path, monkeypatch):
    import threading

    from compendium_corpus import inputs
    from compendium_corpus.batch import Settings, run_batch
    from compendium_corpus.executors import Limits

    stalled = bad_pdfs.text_pdf(tmp_path / "stalled.pdf")  # as on a network mount that stopped answering
    good = bad_pdfs.text_pdf(tmp_path / "good.pdf", title="Another volume")
    release = threading.Event()
    read = inputs.file_sha256

    def stall(path):
        if path == stalled:
            release.wait()
        return read(path)

    monkeypatch.setattr(inputs, "file_sha256", stall)
    try:
        summary = run_batch([stalled, good], tmp_path / "out", Settings(limits=Limits(timeout=2), jobs=1))
    finally:
        release.set()
    assert [(o.path.name, o.status, o.code) for o in summary.outcomes] == [
        ("stalled.pdf", "failed", "timeout"),
        ("good.pdf", "ok", None),
    ]
    assert "could not be read within 2 s" in summary.outcomes[0].message


def test_an_exception_while_recording_a_file_is_that_files_failure(tmp_path, monkeypatch):
    from compendium_corpus import executors
    from compendium_corpus.batch import Settings, run_batch

    first = bad_pdfs.text_pdf(tmp_path / "first.pdf")
    second = bad_pdfs.text_pdf(tmp_path / "second.pdf", title="Another volume")
    commit = executors.commit

    def choke(result, out_dir):  # as pyarrow did on text it could not encode
        if result.source.name == "first.pdf":
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return commit(result, out_dir)

    monkeypatch.setattr(executors, "commit", choke)
    summary = run_batch([first, second], tmp_path / "out", Settings(jobs=1))
    assert [(o.path.name, o.status, o.code) for o in summary.outcomes] == [
        ("first.pdf", "failed", "internal-error"),
        ("second.pdf", "ok", None),
    ]
    assert "could not be recorded: UnicodeEncodeError" in summary.outcomes[0].message
    assert not summary.interrupted and summary.exit_status == 1
