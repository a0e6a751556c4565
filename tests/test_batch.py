"""Batches: worker isolation (timeout, memory ceiling, crashes), re-runs that skip what is
done, a manifest and a run summary, parallel runs equal to serial ones, and a batch
killed with kill -9 that leaves earlier documents intact and is finished by a re-run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from bad_pdfs import encrypted_pdf, text_pdf
from processes import alive, descendants

from compendium_corpus import PIPELINE_VERSION
from compendium_corpus.batch import OutputBusy, Settings, run_batch
from compendium_corpus.executors import Job, Limits, run_isolated
from compendium_corpus.manifest import MANIFEST, SCHEMA
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.validate import validate_dir

pytestmark = pytest.mark.processes

CLI = Path(sys.executable).parent / "compendium"


# Work functions for run_isolated: module level, so a worker process can import them.
def hang(path, password, on_page):
    time.sleep(600)


def segfault(path, password, on_page):
    os.kill(os.getpid(), signal.SIGSEGV)


def killed(path, password, on_page):
    os.kill(os.getpid(), signal.SIGKILL)


def exits(path, password, on_page):
    os._exit(3)


def hog(path, password, on_page):
    return [bytearray(2**20) for _ in range(4096)]  # 4 GiB, over the 256 MiB budget of the test


ISOLATED = Limits(timeout=30, memory=256 * 2**20)


def isolated(work, limits=ISOLATED):
    [(job, result)] = run_isolated([Job(Path("x.pdf"), "ab" * 32)], limits, work=work)
    return result


@pytest.mark.parametrize(
    "work,code,words",
    [
        (segfault, "worker-crashed", "SIGSEGV"),
        (exits, "worker-crashed", "status 3"),
        (killed, "out-of-memory", "SIGKILL"),
        (hog, "out-of-memory", "more memory"),
    ],
)
def test_a_dying_worker_costs_its_document_only(work, code, words):
    result = isolated(work)
    assert (result.status, result.error_code, result.doc_id) == ("failed", code, "ab" * 8)
    assert words in result.error_message
    assert result.tables["diagnostics"][0]["code"] == code


FORKED = """
import os, threading
from pathlib import Path
from compendium_corpus.executors import Job, Limits, run_isolated
from compendium_corpus.run import failure

def parent(path, password, on_page):
    return failure(path, None, "internal-error", str(os.getppid()), 0.0)

def forked_here():
    [(_, result)] = run_isolated([Job(Path("x.pdf"), None)], Limits(timeout=30), work=parent)
    return result.error_message == str(os.getpid())

if __name__ == "__main__":
    alone = forked_here()
    stop = threading.Event()
    threading.Thread(target=stop.wait).start()
    print(alone, forked_here())
    stop.set()
"""


def test_workers_are_forked_from_the_batch_unless_it_runs_threads(tmp_path):
    """Forked from the batch, which has the pipeline imported, a worker starts at once; a
    batch running another thread (whose locks would stay locked in the worker) has them
    forked by a forkserver instead."""
    script = tmp_path / "forked.py"
    script.write_text(FORKED)
    run = subprocess.run([sys.executable, script], capture_output=True, text=True, check=True, timeout=120)
    assert run.stdout.split() == ["True", "False"]


def test_a_hanging_worker_is_stopped_at_its_deadline():
    start = time.monotonic()
    result = isolated(hang, Limits(timeout=1))
    assert result.error_code == "timeout" and "longer than 1 s" in result.error_message
    assert time.monotonic() - start < 10


def pdfs(folder: Path, n: int = 3) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [text_pdf(folder / f"doc{i}.pdf", pages=i + 1, title=f"Volume {i}") for i in range(n)]


def partitions(out: Path) -> dict[str, pa.Table]:
    """Every partition file's contents, by path relative to `out`."""
    return {str(f.relative_to(out)): pq.read_table(f) for name in TABLES for f in (out / name).glob("*/*.parquet")}


def test_parallel_output_equals_serial(tmp_path, shared):
    real = shared / "corpus" / "scholarly-grobid-footnotes-test.pdf"
    files = pdfs(tmp_path / "in", 4) + [shutil.copy(real, tmp_path / "in")]
    serial = run_batch(files, tmp_path / "serial", Settings(jobs=1))
    parallel = run_batch(files, tmp_path / "parallel", Settings(jobs=2))
    assert serial.exit_status == parallel.exit_status == 0, [o.message for o in serial.outcomes]
    a, b = partitions(tmp_path / "serial"), partitions(tmp_path / "parallel")
    assert len(a) == len(TABLES) * len(files) and a.keys() == b.keys()
    assert [key for key in a if not a[key].equals(b[key])] == []


def test_manifest_and_run_summary_account_for_every_file(tmp_path):
    good = pdfs(tmp_path / "in", 2)
    locked = encrypted_pdf(tmp_path / "in" / "locked.pdf", "secret")
    summary = run_batch([*good, locked], tmp_path / "out", Settings(jobs=2))
    assert summary.exit_status == 1
    manifest = pq.read_table(tmp_path / "out" / MANIFEST)
    assert manifest.schema.equals(SCHEMA)
    rows = {Path(r["source_path"]).name: r for r in manifest.to_pylist()}
    assert {n: (r["status"], r["code"]) for n, r in rows.items()} == {
        "doc0.pdf": ("ok", None),
        "doc1.pdf": ("ok", None),
        "locked.pdf": ("failed", "encrypted"),
    }
    assert rows["doc1.pdf"]["pages"] == 2 and rows["doc1.pdf"]["rows"]["documents"] == 1
    assert rows["locked.pdf"]["rows"]["diagnostics"] == 1 and rows["locked.pdf"]["rows"]["papers"] is None
    assert all(
        r["pipeline_version"] == PIPELINE_VERSION and r["extract_seconds"] > 0 and len(r["sha256"]) == 64
        for r in rows.values()
    )
    report = json.loads(summary.report.read_text())
    assert report["totals"] == {"files": 3, "ok": 2, "failed": 1, "skipped": 0} and report["exit_status"] == 1
    assert [(Path(f["path"]).name, f["action"], f["code"]) for f in report["files"]] == [
        ("doc0.pdf", "ok", None),
        ("doc1.pdf", "ok", None),
        ("locked.pdf", "failed", "encrypted"),
    ]
    assert summary.report.parent == tmp_path / "out" / "_runs"
    assert validate_dir(tmp_path / "out")[1] == []
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".tmp")]


def test_rerun_skips_what_is_done_and_retries_failures_under_new_settings(tmp_path):
    out = tmp_path / "out"
    files = [*pdfs(tmp_path / "in", 2), encrypted_pdf(tmp_path / "in" / "locked.pdf", "secret")]
    run_batch(files, out, Settings(jobs=2))
    again = run_batch(files, out, Settings(jobs=2))
    assert [(o.action, o.status) for o in again.outcomes] == [
        ("skipped", "ok"),
        ("skipped", "ok"),
        ("skipped", "failed"),
    ]
    assert again.exit_status == 1  # the encrypted file is still not extracted
    unlocked = run_batch(files, out, Settings(password="secret", jobs=2))
    assert [o.action for o in unlocked.outcomes] == ["skipped", "skipped", "ok"] and unlocked.exit_status == 0
    shutil.rmtree(out / "papers" / f"doc_id={unlocked.outcomes[0].doc_id}")  # an output gone missing
    files[1].write_bytes(text_pdf(tmp_path / "other.pdf", pages=5).read_bytes())  # new bytes at the same path
    third = run_batch(files, out, Settings(password="secret", jobs=2))
    assert [o.action for o in third.outcomes] == ["ok", "ok", "skipped"]
    assert [o.action for o in run_batch(files, out, Settings(password="secret", force=True)).outcomes] == ["ok"] * 3


def test_same_bytes_twice_are_extracted_once(tmp_path):
    [original] = pdfs(tmp_path / "in", 1)
    copy = shutil.copy(original, tmp_path / "in" / "copy.pdf")
    summary = run_batch([original, copy], tmp_path / "out", Settings(jobs=2))
    assert [(o.action, o.status) for o in summary.outcomes] == [("ok", "ok"), ("skipped", "ok")]
    assert summary.outcomes[1].note == f"same bytes as {original}" and summary.exit_status == 0
    assert len(pq.read_table(tmp_path / "out" / MANIFEST)) == 2


def test_a_failed_rerun_keeps_the_good_output(tmp_path):
    out = tmp_path / "out"
    book = text_pdf(tmp_path / "book.pdf", pages=60)
    first = run_batch([book], out, Settings(jobs=1))
    assert first.exit_status == 0
    before = {f: f.read_bytes() for f in out.glob("*/doc_id=*/*.parquet")}
    second = run_batch([book], out, Settings(limits=Limits(timeout=0.02), force=True))  # far less than 60 pages take
    assert (second.outcomes[0].status, second.outcomes[0].code) == ("failed", "timeout")
    assert {f: f.read_bytes() for f in out.glob("*/doc_id=*/*.parquet")} == before
    [entry] = pq.read_table(out / MANIFEST).to_pylist()
    assert (entry["status"], entry["code"], entry["rows"]) == ("failed", "timeout", None)


def test_one_writer_per_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(  # another run: a process holding the folder's lock
        [sys.executable, "-c", HOLD_LOCK, out / ".lock"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(OutputBusy):
            run_batch(pdfs(tmp_path / "in", 1), out, Settings())
        result = subprocess.run([CLI, "extract", tmp_path / "in", "--out", out], capture_output=True, text=True)
    finally:
        holder.communicate("")
    assert result.returncode == 3 and "another compendium run" in result.stderr
    assert run_batch(pdfs(tmp_path / "in", 1), out, Settings()).exit_status == 0  # released with its holder


HOLD_LOCK = """
import fcntl, sys
with open(sys.argv[1], "w") as lock:
    fcntl.lockf(lock, fcntl.LOCK_EX)
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.mark.slow
def test_kill_minus_9_mid_batch_then_rerun(tmp_path, shared):
    assert CLI.exists(), f"the console script is expected at {CLI}"
    folder = tmp_path / "in"
    pdfs(folder, 2)
    # pdfminer spins ~10 s on this one page (pdfium reads it at once): still running when killed
    shutil.copy(shared / "corpus" / "awkward-slow-page-pdfjs-12295.pdf", folder / "z-slow.pdf")
    out = tmp_path / "out"
    slow = ["--engine", "pdfplumber"]
    batch = subprocess.Popen(
        [CLI, "extract", folder, "--out", out, "--jobs", "1", *slow],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not ((out / MANIFEST).exists() and len(pq.read_table(out / MANIFEST)) == 2):
        assert batch.poll() is None and time.monotonic() < deadline, "the batch ended before it could be killed"
        time.sleep(0.05)
    while not (workers := descendants(batch.pid)):  # the slow document's worker
        assert batch.poll() is None and time.monotonic() < deadline, "the slow document's worker never started"
        time.sleep(0.05)
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers):
        assert time.monotonic() < deadline, "workers outlived their killed batch"
        time.sleep(0.05)

    # Earlier documents are intact and readable; no reader sees a half-written partition.
    assert validate_dir(out)[1] == []
    done = set(pd.read_parquet(out / "documents")["source_file"])
    assert done == {"doc0.pdf", "doc1.pdf"}
    for name in TABLES:
        for partition in (out / name).iterdir():
            assert partition.name.startswith("doc_id=") and [p.name for p in partition.iterdir()] == ["part-0.parquet"]
        assert set(pd.read_parquet(out / name)["doc_id"].astype(str)) <= {
            d.name.split("=")[1] for d in (out / "documents").iterdir()
        }

    rerun = subprocess.run(
        [CLI, "extract", folder, "--out", out, "--jobs", "1", "--timeout", "2", *slow], capture_output=True, text=True
    )
    lines = rerun.stdout.splitlines()
    assert [line.split()[:2] for line in lines[:-1]] == [
        ["skipped", "doc0.pdf"],
        ["skipped", "doc1.pdf"],
        ["FAILED", "z-slow.pdf:"],
    ]
    assert "timeout" in lines[2] and rerun.returncode == 1 and rerun.stderr == ""
    assert lines[-1].startswith("3 files: 0 ok, 1 failed, 2 skipped")


def test_new_bytes_at_a_path_replace_its_old_document_unless_another_path_has_them(tmp_path):
    out = tmp_path / "out"
    first, second = pdfs(tmp_path / "in", 2)
    keep = shutil.copy(second, tmp_path / "in" / "copy-of-doc1.pdf")
    before = run_batch([first, second, keep], out, Settings(jobs=2))
    old_first, old_second = before.outcomes[0].doc_id, before.outcomes[1].doc_id
    first.write_bytes(text_pdf(tmp_path / "v2.pdf", pages=4, title="Volume 0, second edition").read_bytes())
    second.write_bytes(text_pdf(tmp_path / "v3.pdf", pages=3, title="Volume 1, second edition").read_bytes())
    after = run_batch([first, second, keep], out, Settings(jobs=2))
    assert [o.action for o in after.outcomes] == ["ok", "ok", "skipped"]
    documents = pd.read_parquet(out / "documents")
    assert sorted(documents["doc_id"].astype(str)) == sorted(
        [after.outcomes[0].doc_id, after.outcomes[1].doc_id, old_second]
    )
    assert not any((out / name / f"doc_id={old_first}").exists() for name in TABLES)
    assert all((out / name / f"doc_id={old_second}").is_dir() for name in TABLES)  # copy-of-doc1.pdf has them
    assert validate_dir(out)[1] == []
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp")]
