"""OCR for scans (pipeline/ocr.py): pages without a text layer are read by OCRmyPDF with
Tesseract, then by the same stages, under the original file's name and id; pages with a
text layer keep theirs; without OCR a scan still fails as `no-text-layer`, saying why.
Tests that run OCR skip when ocrmypdf or tesseract is missing (`make test` installs them
where it can); the others run everywhere."""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
from pathlib import Path

import pandas as pd
import pikepdf
import pypdfium2 as pdfium
import pytest
from conftest import CLI, TWO_COLUMNS
from rapidfuzz import fuzz

from compendium_corpus import ocr
from compendium_corpus.executors import Job, Limits, run_isolated
from compendium_corpus.inputs import file_sha256
from compendium_corpus.repair import scratch_dir
from compendium_corpus.run import extract_document
from compendium_corpus.source import Tally

pytestmark = [pytest.mark.processes, pytest.mark.slow]

needs_ocr = pytest.mark.skipif(not ocr.ocr_installed(), reason=f"OCR is not installed (Debian: {ocr.PACKAGES})")

SCANS = ("scanned-cermine-article-page-image-only.pdf", "scanned-ocr-vicksburg-hidden-text-layer.pdf")
# A page of body text in two columns. Not one with a boxed pull-quote or a list of notes:
# the OCR text layer has no drawn box and one type size per line, so the stages would
# read those as body text, and the test would measure layout rather than OCR.
PAGE = 57
DPI = 200


def picture(number: int, path: Path) -> Path:
    """Page `number` of the sample as a scan: its picture at DPI, with no text layer."""
    page = pdfium.PdfDocument(TWO_COLUMNS)[number - 1]
    page.render(scale=DPI / 72, grayscale=True).to_pil().save(path, resolution=DPI)
    return path


@pytest.fixture(scope="module")
def page_pdfs(tmp_path_factory) -> Path:
    """A folder with page PAGE of the sample twice: `scan.pdf`, its picture at DPI with no
    text layer, and `text.pdf`, the page as it is."""
    folder = tmp_path_factory.mktemp("page")
    picture(PAGE, folder / "scan.pdf")
    with pikepdf.open(TWO_COLUMNS) as sample, pikepdf.new() as alone:
        alone.pages.append(sample.pages[PAGE - 1])
        alone.save(folder / "text.pdf")
    return folder


def extract(paths: list[Path], out: Path, *options: str) -> dict[str, dict[str, pd.DataFrame]]:
    """`compendium extract PATHS --out OUT OPTIONS`, which must succeed: {file name: {table: rows}}."""
    run = subprocess.run(
        [CLI, "extract", *paths, "--out", out, "--jobs", "2", *options], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    names = pd.read_parquet(out / "documents").set_index("doc_id")["source_file"]
    tables = {t: pd.read_parquet(out / t) for t in ("documents", "paragraphs", "diagnostics")}
    return {name: {t: rows[rows["doc_id"] == doc_id] for t, rows in tables.items()} for doc_id, name in names.items()}


@pytest.fixture(scope="module")
def page_run(page_pdfs, tmp_path_factory) -> dict[str, dict[str, pd.DataFrame]]:
    return extract([page_pdfs], tmp_path_factory.mktemp("page-out"), "--ocr", "auto")


def codes(tables: dict[str, pd.DataFrame]) -> set[str]:
    return set(tables["diagnostics"]["code"])


def text(paragraphs: pd.DataFrame) -> str:
    return " ".join(paragraphs.sort_values(["paper_id", "position"])["text"])


@needs_ocr
def test_both_scanned_corpus_files_read_with_ocr_auto(shared, tmp_path):
    """The image-only page is OCRed; the book pages that an earlier OCR gave a hidden
    text layer keep it (every page has text, so `auto` leaves the file alone)."""
    files = extract([shared / "corpus" / name for name in SCANS], tmp_path / "out", "--ocr", "auto")
    image_only, hidden_layer = (files[name] for name in SCANS)
    assert {"ocr-applied", "ocr-confidence"} <= codes(image_only)
    assert len(image_only["paragraphs"]) > 10 and "Hydrogen" in text(image_only["paragraphs"])
    assert image_only["documents"]["sha256"].item() == file_sha256(shared / "corpus" / SCANS[0])
    assert not any(code.startswith("ocr-") for code in codes(hidden_layer)) and len(hidden_layer["paragraphs"]) > 0


@needs_ocr
def test_a_scanned_sample_page_reads_as_the_page_itself(page_pdfs, page_run):
    scan, original = page_run["scan.pdf"], page_run["text.pdf"]
    similarity = fuzz.ratio(text(scan["paragraphs"]), text(original["paragraphs"]))
    assert similarity >= 95, f"similarity {similarity:.1f}"
    assert scan["documents"]["sha256"].item() == file_sha256(page_pdfs / "scan.pdf")
    rows = scan["diagnostics"].set_index("code")
    applied, confidence = rows.loc["ocr-applied"], rows.loc["ocr-confidence"]
    assert (applied["stage"], applied["severity"]) == ("source", "info")
    assert re.search(
        r"^1 of 1 pages without a text layer were read by OCR \(ocrmypdf [\d.]+.* Tesseract OCR [\d.]+\) "
        r"in [\d.]+ s: page 1$",
        applied["message"],
    ), applied["message"]
    assert float(re.search(r"confidence: ([\d.]+) of 100", confidence["message"])[1]) > 80, confidence["message"]
    assert sorted(p.name for p in page_pdfs.iterdir()) == ["scan.pdf", "text.pdf"]  # nothing written beside them


@needs_ocr
def test_a_page_with_a_text_layer_is_not_ocred(page_run):
    assert not any(code.startswith("ocr-") for code in codes(page_run["text.pdf"]))


@needs_ocr
def test_always_reads_only_the_pages_without_text(page_pdfs, tmp_path):
    """A born-digital page and the scan of the next one: `auto` reads the text page alone
    (half the pages have text), `always` OCRs the scan, and the text page keeps its text.
    (What the stages make of the OCRed page beside it is another matter: its words are set
    in the height of their line boxes, smaller than the printed type, and read as notes.)"""
    with (
        pikepdf.open(page_pdfs / "text.pdf") as text_page,
        pikepdf.open(picture(PAGE + 1, tmp_path / "next.pdf")) as scan_page,
    ):
        text_page.pages.append(scan_page.pages[0])
        text_page.save(tmp_path / "mixed.pdf")
    alone, auto, always = (
        extract_document(path, ocr=mode)
        for path, mode in [
            (page_pdfs / "text.pdf", "auto"),
            (tmp_path / "mixed.pdf", "auto"),
            (tmp_path / "mixed.pdf", "always"),
        ]
    )
    page_one = [p["text"] for p in alone.tables["paragraphs"]]
    assert [p["text"] for p in auto.tables["paragraphs"]] == page_one
    assert [p["text"] for p in always.tables["paragraphs"] if p["page_start"] == 1][:-1] == page_one[:-1]
    assert not any(d["code"].startswith("ocr-") for d in auto.tables["diagnostics"])
    [applied] = [d["message"] for d in always.tables["diagnostics"] if d["code"] == "ocr-applied"]
    assert applied.startswith("1 of 2 pages") and applied.endswith(": page 2")


def test_ocr_never_keeps_the_failure(page_pdfs, tmp_path):
    run = subprocess.run(
        [CLI, "extract", page_pdfs / "scan.pdf", "--out", tmp_path / "out", "--ocr", "never"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "FAILED scan.pdf: no-text-layer: " in run.stdout and "(OCR not applied: --ocr never)" in run.stdout


def test_without_ocrmypdf_a_scan_fails_saying_so(page_pdfs, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    result = extract_document(page_pdfs / "scan.pdf", ocr="auto")
    assert result.error_code == "no-text-layer"
    assert "(OCR not applied: ocrmypdf or tesseract is not installed" in result.error_message


def test_a_document_with_text_never_reaches_ocr(page_pdfs, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("OCR was started")

    monkeypatch.setattr(ocr, "_ocr_copy", refuse)
    for mode in ocr.MODES:
        result = extract_document(page_pdfs / "text.pdf", ocr=mode)
        assert result.status == "ok" and not any(d["code"].startswith("ocr-") for d in result.tables["diagnostics"])


def test_auto_wants_most_pages_without_text_always_any():
    scan, text, sideways = Tally(0), Tally(120), Tally(0, rotated=40)
    assert ocr.wants_ocr([scan, scan, text], "auto") and not ocr.wants_ocr([scan, text], "auto")
    assert ocr.wants_ocr([scan] + [text] * 9, "always") and not ocr.wants_ocr([text, sideways], "always")
    assert not ocr.wants_ocr([scan, sideways, sideways], "auto") and not ocr.wants_ocr([scan], "never")


@needs_ocr
def test_ocr_stops_when_its_share_of_the_timeout_runs_out(page_pdfs, monkeypatch):
    monkeypatch.setattr(ocr, "MIN_BUDGET", 0.0)
    result = extract_document(page_pdfs / "scan.pdf", timeout=0.5)
    assert result.error_code == "no-text-layer"
    assert re.search(r"\(OCR stopped: it did not finish within \d+ s, its share of --timeout\)$", result.error_message)


def ocr_for_long(path, password, on_page):
    """A worker that believes it has ten minutes, killed by its batch after a few seconds."""
    Path(path).with_suffix(".pid").write_text(str(os.getpid()))
    return extract_document(path, password, on_page, timeout=600)


def processes_naming(marker: str) -> set[int]:
    """Live processes whose command line holds `marker`."""
    found = set()
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker.encode() in (proc / "cmdline").read_bytes():
                found.add(int(proc.name))
        except OSError:  # ended meanwhile
            pass
    return found


@needs_ocr
def test_a_killed_worker_takes_its_ocr_along(page_pdfs, tmp_path):
    """ocrmypdf, Ghostscript and Tesseract work in the worker's scratch folder: once the
    worker is killed at its timeout, none of them may be left running."""
    with pikepdf.open(page_pdfs / "scan.pdf") as one, pikepdf.new() as three:
        three.pages.extend([one.pages[0]] * 3)  # long enough to be cut short on any machine
        three.save(tmp_path / "scan.pdf")
    pid_file, seen, done = tmp_path / "scan.pid", set(), threading.Event()

    def watch() -> None:
        while not done.is_set():
            if pid_file.exists():
                seen.update(processes_naming(f"compendium-repair-{pid_file.read_text()}/"))
            time.sleep(0.1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        [(_, result)] = run_isolated([Job(tmp_path / "scan.pdf", None)], Limits(timeout=4), work=ocr_for_long)
    finally:
        done.set()
        watcher.join()
    worker = pid_file.read_text()
    assert result.error_code == "timeout" and seen, "OCR was not running when the worker was killed"
    deadline = time.monotonic() + 5
    while processes_naming(f"compendium-repair-{worker}/") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_naming(f"compendium-repair-{worker}/")
    assert not scratch_dir(int(worker)).exists()


@needs_ocr
def test_inspect_draws_a_scan_read_by_ocr(page_pdfs, tmp_path):
    from compendium_corpus.overlay import inspect_pdf, render_page

    inspection = inspect_pdf(page_pdfs / "scan.pdf")
    assert inspection.drafts.ocr_pages == 1
    summary = render_page(inspection, 1, tmp_path / "scan.png")
    assert summary["elements"].get("paragraph", 0) >= 3
