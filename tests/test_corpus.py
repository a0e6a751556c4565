"""The shared corpus of hostile and awkward PDFs, run once through the real command line:
every file accounted for, each failure classified, good tables valid, a clean console,
and a second run that skips everything already done."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from compendium_corpus.manifest import MANIFEST
from compendium_corpus.ocr import ocr_installed
from compendium_corpus.validate import validate_dir

pytestmark = [pytest.mark.corpus, pytest.mark.processes, pytest.mark.slow]

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
CLI = Path(sys.executable).parent / "compendium"

# What each file must give: "ok", or the code of its failure.
EXPECTED = {
    "awkward-ghostscript-banner-before-header.pdf": "ok",
    "awkward-govdocs-cid-garbage-303226.pdf": "ok",
    "awkward-slow-page-pdfjs-12295.pdf": "ok",
    "awkward-vertical-writing-pdfminer-449.pdf": "ok",
    "awkward-zero-pages-issue-297.pdf": "unreadable-pdf",  # its one page object is unreachable
    "bad-encrypted-aes256-r6-user-password.pdf": "ok",  # empty owner password: opens without one
    "bad-encrypted-aes256-r6-usersecret.pdf": "encrypted",
    "bad-encrypted-password-test.pdf": "encrypted",
    "bad-govdocs-indexerror-033689.pdf": "ok",  # repaired: qpdf rebuilds its cross-reference table
    "bad-malformed-xref-offset-wrong.pdf": "ok",  # pdfminer rebuilds the table
    "bad-not-a-pdf-png-renamed.pdf": "not-a-pdf",
    "bad-operator-cycle-typeerror.pdf": "unreadable-pdf",
    "bad-truncated-premature-eof.pdf": "ok",  # repaired: qpdf recovers the stream cut short
    "bad-zero-byte.pdf": "empty-file",
    "book-freeculture-352pp-endnotes.pdf": "ok",
    "cjk-pdfplumber-issue-67-22pp.pdf": "ok",
    "policy-mandate-ch01-white-house-office.pdf": "ok",
    "policy-mandate-ch26-trade-two-authors.pdf": "ok",
    "report-federal-register-2020-17221-3col.pdf": "ok",
    "report-govdocs-eu-ambassador-statement.pdf": "ok",
    "report-govdocs-piarc-road-safety-audit.pdf": "ok",
    "report-govdocs-usaid-russia-democracy-assessment.pdf": "ok",
    "report-govdocs-usgs-methods-86pp.pdf": "ok",  # two pages pdfminer cannot read: pdfium reads them
    "report-unctad-palestine-2022.pdf": "ok",
    "rotated-cermine-complex-270deg-scholarly.pdf": "ok",
    "rotated-nics-background-checks-90deg.pdf": "ok",  # a table set sideways: read turned
    "scanned-cermine-article-page-image-only.pdf": "ok" if ocr_installed() else "no-text-layer",  # read by OCR
    "scanned-ocr-vicksburg-hidden-text-layer.pdf": "ok",
    "scholarly-cermine-example1-ligatures.pdf": "ok",
    "scholarly-grobid-footnotes-test.pdf": "ok",
    "scholarly-pdfjs-tracemonkey-2col.pdf": "ok",
    "scholarly-s2orc-acl2020-main-207-2col.pdf": "ok",
    "scholarly-science-parse-superscript-markers.pdf": "ok",
    "type3-scholarly-mooney05.pdf": "ok",
}

# The outcomes each kind in MANIFEST.tsv allows: a file added to the corpus under a
# known kind is checked against its family even before EXPECTED names it.
FAMILY = {
    "report": {"ok"},
    "scholarly": {"ok"},
    "policy-compendium": {"ok"},
    "huge": {"ok"},
    "cjk": {"ok"},
    "type3": {"ok"},
    "scanned": {"ok", "no-text-layer"},
    "rotated": {"ok", "rotated-text-unsupported"},
    "awkward": {"ok", "no-pages", "unreadable-pdf"},
    "bad": {"empty-file"},
    "bad-encrypted": {"ok", "encrypted"},
    "bad-truncated": {"ok", "unreadable-pdf", "no-text-layer"},
    "bad-xref": {"ok", "unreadable-pdf"},
    "bad-corrupt": {"ok", "unreadable-pdf", "no-pages"},
    "bad-notpdf": {"not-a-pdf"},
}


def kinds() -> dict[str, str]:
    with open(CORPUS / "MANIFEST.tsv", newline="") as f:
        return {row["file"]: row["kind"] for row in csv.DictReader(f, delimiter="\t")}


@pytest.fixture(scope="module")
def manifest(corpus_run) -> pd.DataFrame:
    frame = pd.read_parquet(corpus_run[1] / MANIFEST)
    return frame.assign(file=frame["source_path"].map(lambda p: Path(p).name)).set_index("file")


def test_every_corpus_file_is_expected(shared):
    assert set(kinds()) == set(EXPECTED), "a file was added to or removed from the corpus: update EXPECTED"
    assert {name: EXPECTED[name] for name, kind in kinds().items() if EXPECTED[name] not in FAMILY[kind]} == {}


def test_console_is_clean_and_exit_status_says_some_failed(corpus_run):
    run, _, _ = corpus_run
    assert run.returncode == 1
    assert run.stderr == "" and "Traceback" not in run.stdout
    *lines, summary = run.stdout.splitlines()
    failed = sum(code != "ok" for code in EXPECTED.values())
    assert summary.startswith(f"{len(EXPECTED)} files: {len(EXPECTED) - failed} ok, {failed} failed, 0 skipped")
    by_file = {line.split()[1].rstrip(":"): line for line in lines}
    assert len(lines) == len(by_file) == len(EXPECTED)
    for name, code in EXPECTED.items():
        assert by_file[name].startswith(f"ok  {name}  (" if code == "ok" else f"FAILED {name}: {code}: ")


def test_manifest_records_every_file(manifest):
    outcome = manifest["status"].where(manifest["status"] == "ok", manifest["code"])
    assert outcome.to_dict() == EXPECTED
    assert (manifest["extract_seconds"] > 0).all() and manifest["sha256"].str.len().eq(64).all()
    assert manifest.loc["book-freeculture-352pp-endnotes.pdf", "pages"] > 300


def test_good_tables_are_valid_and_failures_diagnosed(corpus_run, manifest):
    out = corpus_run[1]
    assert validate_dir(out)[1] == []
    documents = pd.read_parquet(out / "documents")
    extracted = set(documents.loc[documents["status"] == "ok", "source_file"])
    assert extracted == {name for name, code in EXPECTED.items() if code == "ok"}
    failed = documents[documents["status"] == "failed"]
    assert dict(zip(failed["source_file"], failed["error_code"])).items() <= EXPECTED.items()
    diagnostics = pd.read_parquet(out / "diagnostics").astype({"doc_id": str})
    errors = diagnostics[(diagnostics["stage"] == "extract") & (diagnostics["severity"] == "error")]
    failed = manifest[manifest["status"] == "failed"]
    assert dict(zip(errors["doc_id"], errors["code"])) == dict(zip(failed["doc_id"], failed["code"]))

    def codes(name: str) -> set[tuple[str, object]]:
        rows = diagnostics[diagnostics["doc_id"] == manifest.loc[name, "doc_id"]]
        return set(zip(rows["code"], rows["page"]))

    usgs = codes("report-govdocs-usgs-methods-86pp.pdf")  # pdfium reads the two pages pdfminer cannot
    assert (
        "page-unreadable" not in {c for c, _ in usgs}
        and manifest.loc["report-govdocs-usgs-methods-86pp.pdf", "pages"] == 86
    )
    assert ("page-part-unreadable", 1) in codes("report-federal-register-2020-17221-3col.pdf")  # cyclic links
    assert manifest.loc["report-federal-register-2020-17221-3col.pdf", "pages"] == 15  # page 1 kept its text
    assert "unmapped-glyphs" in {c for c, _ in codes("awkward-govdocs-cid-garbage-303226.pdf")}
    assert "rotated-text-unsupported" in {c for c, _ in codes("rotated-cermine-complex-270deg-scholarly.pdf")}
    assert "pdf-parser-warning" in set(diagnostics["code"])  # pdfminer's stderr chatter, kept as info rows


def test_run_summary(corpus_run):
    [report] = (corpus_run[1] / "_runs").iterdir()
    data = json.loads(report.read_text())
    assert data["exit_status"] == 1 and not data["interrupted"]
    assert {Path(f["path"]).name: f["status"] if f["status"] == "ok" else f["code"] for f in data["files"]} == EXPECTED


def test_second_run_skips_everything_and_a_password_retries_the_encrypted(corpus_run):
    out = corpus_run[1]
    again = subprocess.run([CLI, "extract", CORPUS, "--out", out], capture_output=True, text=True)
    *lines, summary = again.stdout.splitlines()
    assert again.returncode == 1 and again.stderr == ""
    assert all(line.startswith("skipped  ") for line in lines) and len(lines) == len(EXPECTED)
    assert summary.startswith(f"{len(EXPECTED)} files: 0 ok, 0 failed, {len(EXPECTED)} skipped")
    encrypted = [CORPUS / name for name, code in EXPECTED.items() if code == "encrypted"]
    unlocked = subprocess.run(
        [CLI, "extract", *encrypted, "--out", out, "--password", "test"], capture_output=True, text=True
    )
    by_file = {line.split()[1].rstrip(":"): line for line in unlocked.stdout.splitlines()[:-1]}
    assert by_file["bad-encrypted-aes256-r6-usersecret.pdf"].startswith(
        "FAILED bad-encrypted-aes256-r6-usersecret.pdf: encrypted: "
    )
    assert "password was wrong" in by_file["bad-encrypted-aes256-r6-usersecret.pdf"]
    assert by_file["bad-encrypted-password-test.pdf"].startswith("ok  bad-encrypted-password-test.pdf  (")
    assert unlocked.returncode == 1
