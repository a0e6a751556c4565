"""Bad input: every way a file can be unreadable ends as one classified outcome, with a
readable console line, a diagnostics row with a stable code, a manifest row and a run
summary entry, and the right exit status; a page that fails alone costs that page only."""

from __future__ import annotations

import json
from pathlib import Path

import bad_pdfs
import pandas as pd
import pytest
from click.testing import CliRunner

from compendium_corpus.cli import main
from compendium_corpus.errors import FAILURE_CODES
from compendium_corpus.manifest import MANIFEST
from compendium_corpus.run import extract_document
from compendium_corpus.validate import validate_dir

# file name -> (builder, code of the document's failure)
BROKEN = {
    "empty.pdf": (lambda p: p.write_bytes(b"") or p, "empty-file"),
    "picture.pdf": (bad_pdfs.not_a_pdf, "not-a-pdf"),
    "truncated.pdf": (lambda p: bad_pdfs.truncated_pdf(p, keep=0.2), "unreadable-pdf"),  # no page's text left
    "locked.pdf": (lambda p: bad_pdfs.encrypted_pdf(p, "secret"), "encrypted"),
    "scan.pdf": (bad_pdfs.image_only_pdf, "no-text-layer"),
    "glyphs.pdf": (bad_pdfs.unmapped_glyphs_pdf, "undecodable-text"),
    "no-pages.pdf": (bad_pdfs.zero_pages_pdf, "no-pages"),
}


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    for name, (build, _) in BROKEN.items():
        build(folder / name)
    return folder


@pytest.mark.parametrize("name", BROKEN)
def test_each_failure_is_classified(broken, name):
    result = extract_document(broken / name)
    code = BROKEN[name][1]
    assert (result.status, result.error_code) == ("failed", code) and code in FAILURE_CODES
    [error] = [d for d in result.tables["diagnostics"] if d["severity"] == "error"]
    assert (error["code"], error["doc_id"]) == (code, result.doc_id)
    assert name in error["message"]


def test_image_only_pages_say_ocr_is_needed(broken):
    assert "OCR would be needed" in extract_document(broken / "scan.pdf").error_message


def test_encrypted_with_password(tmp_path):
    locked = bad_pdfs.encrypted_pdf(tmp_path / "locked.pdf", "secret")
    assert extract_document(locked, password="secret").status == "ok"
    wrong = extract_document(locked, password="guess")
    assert wrong.error_code == "encrypted" and "password was wrong" in wrong.error_message
    assert "use --password" in extract_document(locked).error_message
    owner_only = bad_pdfs.encrypted_pdf(tmp_path / "owner-only.pdf", "")  # empty user password: opens as is
    assert extract_document(owner_only).status == "ok"


def test_xref_a_reader_can_rebuild_is_no_failure(tmp_path):
    assert extract_document(bad_pdfs.unparsable_xref_pdf(tmp_path / "xref.pdf")).status == "ok"


@pytest.mark.parametrize("build", [bad_pdfs.page_without_content_pdf, bad_pdfs.page_without_mediabox_pdf])
def test_a_page_that_fails_alone_costs_that_page_only(tmp_path, build):
    result = extract_document(build(tmp_path / "doc.pdf"))
    assert result.status == "ok"
    [problem] = [d for d in result.tables["diagnostics"] if d["severity"] == "error"]
    assert (problem["code"], problem["page"]) == ("page-unreadable", 2)
    pages = {p["page_start"] for p in result.tables["paragraphs"]} | {s["page"] for s in result.tables["sections"]}
    assert {1, 3} <= pages and 2 not in pages


def test_rotated_text_is_diagnosed_per_page(tmp_path):
    rotated = extract_document(bad_pdfs.rotated_pdf(tmp_path / "r.pdf", upright="Monthly report"))
    assert rotated.status == "ok"
    assert [
        (d["severity"], d["page"]) for d in rotated.tables["diagnostics"] if d["code"] == "rotated-text-unsupported"
    ] == [("warning", 1)]


def test_glyphs_without_unicode_are_diagnosed_not_printed_as_cid_codes(shared):
    result = extract_document(shared / "corpus" / "awkward-govdocs-cid-garbage-303226.pdf")
    assert result.status == "ok" and not any("(cid:" in p["text"] for p in result.tables["paragraphs"])
    assert {d["severity"] for d in result.tables["diagnostics"] if d["code"] == "unmapped-glyphs"} == {"warning"}
    [dropped] = [d["message"] for d in result.tables["diagnostics"] if d["code"] == "characters-dropped"]
    assert "without Unicode" in dropped  # the pages it names say what of their loss no stage could read


def test_a_page_set_sideways_is_read_turned(tmp_path):
    """Text that only runs up the page (a landscape table) is read as a reader turns the page."""
    result = extract_document(bad_pdfs.rotated_pdf(tmp_path / "sideways.pdf"))
    assert result.status == "ok"
    assert [(d["code"], d["page"]) for d in result.tables["diagnostics"] if d["stage"] == "source"] == [
        ("page-turned", 1)
    ]
    texts = [p["text"] for p in result.tables["paragraphs"]] + [p["title"] for p in result.tables["papers"]]
    assert "Firearm background checks by state and month" in texts


def test_parser_chatter_goes_to_diagnostics_not_stderr(tmp_path, capfd):
    """pdfminer's warnings (it interprets the content streams with --engine pdfplumber)."""
    result = extract_document(bad_pdfs.page_without_content_pdf(tmp_path / "doc.pdf"), engine="pdfplumber")
    assert capfd.readouterr().err == ""
    notes = [d for d in result.tables["diagnostics"] if d["code"] == "pdf-parser-warning"]
    assert notes and {d["severity"] for d in notes} == {"info"} and notes[0]["message"].startswith("pdfminer: ")


def test_unreadable_file_is_an_io_error(tmp_path):
    result = extract_document(tmp_path / "gone.pdf")
    assert (result.status, result.error_code, result.doc_id, result.tables) == ("failed", "io-error", None, {})


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_cli_accounts_for_every_bad_file(broken, tmp_path, capfd):
    out = tmp_path / "out"
    result = run("extract", broken, "--out", out, "--jobs", "2")
    assert result.exit_code == 2  # nothing could be extracted
    *lines, summary = result.stdout.splitlines()
    assert summary.startswith(f"{len(BROKEN)} files: 0 ok, {len(BROKEN)} failed, 0 skipped")
    assert sorted(line.split()[:3] for line in lines) == sorted(
        ["FAILED", f"{name}:", f"{code}:"] for name, (_, code) in BROKEN.items()
    )
    assert "Traceback" not in result.output and capfd.readouterr().err == ""

    manifest = pd.read_parquet(out / MANIFEST)
    assert dict(zip(manifest["source_path"].map(lambda p: Path(p).name), manifest["code"])) == {
        name: code for name, (_, code) in BROKEN.items()
    }
    diagnostics = pd.read_parquet(out / "diagnostics").astype({"doc_id": str})
    errors = diagnostics[diagnostics["severity"] == "error"]
    assert dict(zip(errors["doc_id"], errors["code"])) == dict(zip(manifest["doc_id"], manifest["code"]))
    report = json.loads(next((out / "_runs").iterdir()).read_text())
    assert {Path(f["path"]).name: f["code"] for f in report["files"]} == {n: c for n, (_, c) in BROKEN.items()}
    assert validate_dir(out)[1] == []


def test_cli_some_good_some_bad_exits_1_and_prints_json(broken, tmp_path):
    bad_pdfs.text_pdf(tmp_path / "good.pdf")
    result = run("extract", tmp_path / "good.pdf", broken / "scan.pdf", "--out", tmp_path / "out", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["totals"] == {"files": 2, "ok": 1, "failed": 1, "skipped": 0} and report["exit_status"] == 1
    assert "FAILED scan.pdf: no-text-layer:" in result.stderr
