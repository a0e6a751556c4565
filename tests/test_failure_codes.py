"""Codes that say what happened: a decompression bomb is `out-of-memory` wherever the
parser meets it and under either engine, a page tree that leads nowhere is a damaged
file (`unreadable-pdf`) while only a well-formed empty one is `no-pages`, and a memory
ceiling too small to run at all ends at once as `out-of-memory`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import bad_pdfs
import hostile_pdfs
import pytest

from compendium_corpus.executors import Job, Limits, run_isolated
from compendium_corpus.inputs import file_sha256
from compendium_corpus.run import extract_document

pytestmark = pytest.mark.processes

CLI = Path(sys.executable).parent / "compendium"
BOMBS = [
    hostile_pdfs.content_bomb_pdf,
    hostile_pdfs.tounicode_bomb_pdf,
    hostile_pdfs.xref_stream_bomb_pdf,
    hostile_pdfs.object_stream_bomb_pdf,
]


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {build.__name__: build(folder / f"{build.__name__}.pdf") for build in BOMBS}


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
@pytest.mark.parametrize("bomb", [b.__name__ for b in BOMBS])
def test_a_decompression_bomb_is_out_of_memory(bombs, bomb, engine):
    path = bombs[bomb]
    [(_, result)] = run_isolated(
        [Job(path, file_sha256(path))], Limits(timeout=60, memory=256 * 2**20), options={"engine": engine}
    )
    assert (result.status, result.error_code) == ("failed", "out-of-memory"), result.error_message


@pytest.mark.parametrize(
    "build,code",
    [
        (hostile_pdfs.page_tree_cycle_pdf, "unreadable-pdf"),
        (
            lambda p: bad_pdfs.raw_pdf(
                p, [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [9 0 R] /Count 1 >>"]
            ),
            "unreadable-pdf",
        ),
        (lambda p: bad_pdfs.raw_pdf(p, [b"<< /Type /Catalog >>"]), "unreadable-pdf"),
        (bad_pdfs.zero_pages_pdf, "no-pages"),
    ],
)
def test_no_pages_only_for_a_page_tree_that_is_really_empty(tmp_path, build, code):
    assert extract_document(build(tmp_path / "doc.pdf")).error_code == code


def test_a_ceiling_too_small_to_run_fails_at_once(tmp_path):
    doc = bad_pdfs.text_pdf(tmp_path / "long.pdf", pages=24)  # long enough for page readers
    start = time.monotonic()
    run = subprocess.run(
        [CLI, "extract", doc, "--out", tmp_path / "out", "--max-memory", "20M", "--timeout", "60", "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert time.monotonic() - start < 30 and "Traceback" not in run.stderr, run.stderr
    assert run.stdout.startswith(("ok  long.pdf", "FAILED long.pdf: out-of-memory:")), run.stdout
