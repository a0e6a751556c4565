"""Repair before giving up: a file whose cross-reference table no longer matches its bytes
is rebuilt by qpdf and extracted, with a `repaired` warning, under either engine; a file
qpdf cannot save either keeps its own failure; the scratch copy never outlives its worker."""

from __future__ import annotations

from pathlib import Path

import bad_pdfs
import pytest

from compendium_corpus.executors import Job, Limits, run_isolated
from compendium_corpus.inputs import file_sha256
from compendium_corpus.repair import scratch_dir
from compendium_corpus.run import extract_document

pytestmark = pytest.mark.processes

TEXT = ("documents", "papers", "paragraphs")


def content(result) -> dict:
    """What the document says, without what names its bytes."""
    return {t: [{k: v for k, v in r.items() if k not in ("doc_id", "sha256")} for r in result.tables[t]] for t in TEXT}


@pytest.mark.parametrize("engine", ["pdfplumber", "pdfium"])
@pytest.mark.parametrize(
    "damage", [bad_pdfs.wrong_xref_pdf, bad_pdfs.unparsable_xref_pdf, lambda p: bad_pdfs.truncated_pdf(p, keep=0.9)]
)
def test_a_damaged_cross_reference_table_is_rebuilt(tmp_path, engine, damage):
    good = extract_document(bad_pdfs.text_pdf(tmp_path / "doc.pdf", compress=False), engine=engine)
    result = extract_document(damage(tmp_path / "doc.pdf"), engine=engine)
    assert result.status == "ok", result.error_message
    assert content(result) == content(good)
    if damage is not bad_pdfs.unparsable_xref_pdf:  # pdfminer itself copes with that one
        [note] = [d for d in result.tables["diagnostics"] if d["code"] == "repaired"]
        assert note["severity"] == "warning" and "rebuilt by qpdf" in note["message"]


def test_what_qpdf_cannot_rebuild_keeps_its_own_failure(tmp_path):
    result = extract_document(bad_pdfs.truncated_pdf(tmp_path / "doc.pdf", keep=0.2))
    assert result.error_code == "unreadable-pdf"
    assert "a copy rebuilt by qpdf failed too: no-text-layer" in result.error_message


def hold(path, password, on_page):
    """Work that dies holding a scratch copy, as a worker killed at its timeout does."""
    import os
    import time

    scratch_dir().mkdir()
    (scratch_dir() / "copy.pdf").write_bytes(Path(path).read_bytes())
    Path(path).with_suffix(".pid").write_text(str(os.getpid()))
    time.sleep(600)


def test_a_killed_worker_leaves_no_scratch_copy(tmp_path):
    doc = bad_pdfs.text_pdf(tmp_path / "doc.pdf")
    [(_, result)] = run_isolated([Job(doc, file_sha256(doc))], Limits(timeout=3), work=hold)
    worker = int((tmp_path / "doc.pid").read_text())
    assert result.error_code == "timeout" and not scratch_dir(worker).exists()
