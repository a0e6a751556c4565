"""Pages of one document read in parallel: the same tables as a serial read (diagnostics
and their order included), page readers that never outlive their document worker nor
escape its memory ceiling, and the cores shared out between documents and pages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from bad_pdfs import edited_pdf
from processes import alive, children
from pypdf.generic import DictionaryObject, NameObject, NumberObject

from compendium_corpus.batch import Settings, run_batch
from compendium_corpus.executors import Job, Limits, run_isolated
from compendium_corpus.run import extract_document, failure
from compendium_corpus.schemas.tables import TABLES

pytestmark = pytest.mark.processes

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "raw" / "eu-china-crossroads-vol5.pdf"


def partitions(out: Path) -> dict:
    return {str(f.relative_to(out)): pq.read_table(f) for name in TABLES for f in (out / name).glob("*/*.parquet")}


@pytest.mark.slow
def test_sample_read_in_parallel_gives_the_serial_tables(tmp_path):
    serial = run_batch([SAMPLE], tmp_path / "serial", Settings(jobs=1))
    parallel = run_batch([SAMPLE], tmp_path / "parallel", Settings(jobs=2))  # one document: both cores on its pages
    assert serial.exit_status == parallel.exit_status == 0
    a, b = partitions(tmp_path / "serial"), partitions(tmp_path / "parallel")
    assert len(a) == len(TABLES) and a.keys() == b.keys()
    assert [key for key in a if not a[key].equals(b[key])] == []


def damaged(path: Path, pages: int = 40) -> Path:
    """A long text PDF where page 5 has no content stream (a dictionary instead) and page 23
    no MediaBox (it cannot even be set up): each costs its page only, with a diagnostic."""

    def edit(writer) -> None:
        for page in writer.pages:
            page[NameObject("/MediaBox")] = page.mediabox
        writer.pages[4][NameObject("/Contents")] = writer._add_object(
            DictionaryObject({NameObject("/Foo"): NumberObject(1)})
        )
        del writer.pages[22][NameObject("/MediaBox")]
        del writer.root_object["/Pages"].get_object()[NameObject("/MediaBox")]

    return edited_pdf(path, edit, pages=pages)


def test_damaged_pages_read_in_parallel_give_the_serial_rows_and_diagnostics(tmp_path):
    pdf = damaged(tmp_path / "damaged.pdf")
    pages = []
    serial = extract_document(pdf, jobs=1)
    parallel = extract_document(pdf, jobs=2, on_page=lambda done, total: pages.append((done, total)))
    assert serial.status == parallel.status == "ok"
    codes = [(d["code"], d["page"]) for d in serial.tables["diagnostics"] if d["stage"] == "source"]
    assert ("page-unreadable", 5) in codes and ("page-unreadable", 23) in codes
    assert parallel.tables == serial.tables
    assert pages[-1] == (38, 40) and pages == sorted(pages)  # progress in page order, readable pages only


READER = """
import sys
from pathlib import Path
from compendium_corpus.model import Diagnostics
from compendium_corpus.parallel import read_document
from compendium_corpus.source import open_pdf
path = Path(sys.argv[1])
with open_pdf(path) as pdf:
    read_document(pdf, Diagnostics(), 2)
"""


def test_page_readers_die_with_their_document_worker():
    worker = subprocess.Popen([sys.executable, "-c", READER, str(SAMPLE)])
    deadline = time.monotonic() + 60
    while len(readers := children(worker.pid)) < 2:
        assert worker.poll() is None and time.monotonic() < deadline, "no page readers were started"
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)  # as at a timeout, or when its batch is killed
    worker.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in readers):
        assert time.monotonic() < deadline, "page readers outlived their document worker"
        time.sleep(0.05)


CEILING = """
import resource
from compendium_corpus.parallel import _mapped, _shared_ceiling
mapped = _mapped()
resource.setrlimit(resource.RLIMIT_AS, (mapped + 3 * 2**30, resource.RLIM_INFINITY))
with _shared_ceiling(2):
    inside = resource.getrlimit(resource.RLIMIT_AS)[0] - _mapped()
after = resource.getrlimit(resource.RLIMIT_AS)[0] - mapped
print(inside / 2**30, after / 2**30)
"""


def test_page_readers_share_the_worker_memory_ceiling():
    """With two readers, the worker and each reader may grow by a third of what is left."""
    run = subprocess.run([sys.executable, "-c", CEILING], capture_output=True, text=True, check=True)
    inside, after = map(float, run.stdout.split())
    assert abs(inside - 1.0) < 0.05 and after == 3.0


def report_jobs(path, password, on_page, jobs=1, **options):
    return failure(path, None, "internal-error", f"jobs={jobs} {options}", 0.0)


def test_cores_go_to_the_pages_of_the_last_document():
    limits = Limits(timeout=30, memory=None)
    one = run_isolated([Job(Path("a.pdf"), None)], limits, 2, work=report_jobs, cores=2, options={"engine": "x"})
    assert [r.error_message for _, r in one] == ["jobs=2 {'engine': 'x'}"]
    three = {
        job.path.name: r.error_message
        for job, r in run_isolated([Job(Path(f"{n}.pdf"), None) for n in "abc"], limits, 2, work=report_jobs, cores=2)
    }
    assert three["a.pdf"] == three["b.pdf"] == "jobs=1 {}"  # while others wait, documents go in parallel
    assert three["c.pdf"] in ("jobs=1 {}", "jobs=2 {}")  # the last gets the cores the running ones leave
    plain = run_isolated([Job(Path("a.pdf"), None)], limits, 2, work=report_jobs)
    assert [r.error_message for _, r in plain] == ["jobs=1 {}"]


def test_a_reader_that_dies_costs_nothing(tmp_path):
    """Readers that cannot start (here: pdfium cannot open the file again in them, it is
    gone) leave the pages to the worker, which reads them itself."""
    from compendium_corpus.model import Diagnostics
    from compendium_corpus.parallel import read_document
    from compendium_corpus.source import open_pdf

    pdf_path = damaged(tmp_path / "damaged.pdf", pages=30)
    serial, parallel = Diagnostics(), Diagnostics()
    with open_pdf(pdf_path) as pdf:
        expected, tallies = read_document(pdf, serial, 1)
    with open_pdf(pdf_path) as pdf:
        pdf_path.unlink()
        got, got_tallies = read_document(pdf, parallel, 2)
    assert [p.lines for p in got] == [p.lines for p in expected] and got_tallies == tallies
    assert parallel.items == serial.items
