import hashlib

import pandas as pd
import pytest
from click.testing import CliRunner
from fpdf import FPDF

from compendium_corpus.batch import Outcome
from compendium_corpus.cli import main, outcome_line
from compendium_corpus.schemas.tables import TABLES


@pytest.fixture
def pdf(tmp_path):
    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=20)
    doc.cell(text="A tiny compendium")
    doc.set_font("Helvetica", size=11)
    doc.ln(20)
    doc.multi_cell(0, 6, text="The EU and China should keep talking. " * 10)
    path = tmp_path / "in" / "Tiny.PDF"
    path.parent.mkdir()
    doc.output(str(path))
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_help_everywhere():
    for args in ([], ["extract"], ["validate"], ["schema"]):
        result = run(*args, "--help")
        assert result.exit_code == 0 and "Usage" in result.output
    assert "Exit status" in run("extract", "--help").output


def test_schema_lists_every_table():
    plain, markdown = run("schema").output, run("schema", "--markdown").output
    for name in TABLES:
        assert f"\n{name}\n" in f"\n{plain}" and f"### {name}" in markdown
    assert "| `footnote_refs` |" in markdown


def test_extract_folder_then_validate(pdf, tmp_path):
    out = tmp_path / "out"
    result = run("extract", pdf.parent, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok  Tiny.PDF  (")
    doc_id = hashlib.sha256(pdf.read_bytes()).hexdigest()[:16]
    documents = pd.read_parquet(out / "documents")
    assert documents["doc_id"].astype(str).tolist() == [doc_id]
    assert documents["source_file"].tolist() == ["Tiny.PDF"]
    result = run("validate", out)
    assert result.exit_code == 0, result.output
    assert "documents" in result.output


def test_empty_file_fails_with_diagnostic(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    result = run("extract", empty, "--out", out)
    assert result.exit_code == 2
    assert result.output.startswith("FAILED empty.pdf: empty-file:")
    diagnostics = pd.read_parquet(out / "diagnostics")
    assert diagnostics["code"].tolist() == ["empty-file"]
    assert diagnostics["doc_id"].astype(str).tolist() == [hashlib.sha256(b"").hexdigest()[:16]]
    documents = pd.read_parquet(out / "documents")  # a join on documents keeps the failed file
    assert documents[["source_file", "status", "error_code"]].values.tolist() == [["empty.pdf", "failed", "empty-file"]]
    assert documents["page_count"].isna().all() and documents["chars_total"].isna().all()
    result = run("validate", out)
    assert result.exit_code == 0, result.output


def test_some_failed_exits_1(pdf, tmp_path):
    (tmp_path / "in" / "broken.pdf").write_bytes(b"")
    result = run("extract", pdf.parent, "--out", tmp_path / "out")
    assert result.exit_code == 1
    *files, summary = result.output.splitlines()
    assert sorted(line.split()[:2] for line in files) == [["FAILED", "broken.pdf:"], ["ok", "Tiny.PDF"]]
    assert summary.startswith("2 files: 1 ok, 1 failed, 0 skipped; summary in ")


def test_validate_reports_violation(pdf, tmp_path):
    out = tmp_path / "out"
    run("extract", pdf, "--out", out)
    doc_id = next((out / "documents").iterdir()).name
    for part in (out / "papers" / doc_id).iterdir():
        part.unlink()
    (out / "papers" / doc_id).rmdir()
    result = run("validate", out)
    assert result.exit_code == 1
    assert "papers: missing partitions" in result.output


def test_outcome_lines_mask_control_characters(tmp_path):
    line = outcome_line(Outcome(tmp_path / "a\nb\x1b[31m.pdf", "failed", "failed", code="not-a-pdf", message="x\ry"))
    assert line == "FAILED a?b?[31m.pdf: not-a-pdf: x?y"


def test_quiet_extract_prints_only_the_failures_on_stderr(pdf, tmp_path):
    (tmp_path / "in" / "broken.pdf").write_bytes(b"")
    result = run("-q", "extract", pdf.parent, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert [line.split()[:2] for line in result.stderr.splitlines()] == [["FAILED", "broken.pdf:"]]
    documents = pd.read_parquet(tmp_path / "out" / "documents").sort_values("source_file")
    assert documents[["source_file", "status"]].values.tolist() == [["Tiny.PDF", "ok"], ["broken.pdf", "failed"]]


def test_validate_json_gives_counts_and_violations(pdf, tmp_path):
    import json

    out = tmp_path / "out"
    run("extract", pdf, "--out", out)
    report = json.loads(run("validate", out, "--json").stdout)
    assert report["valid"] is True and report["violations"] == [] and report["rows"]["documents"] == 1
    doc_id = next((out / "papers").iterdir())
    for part in doc_id.iterdir():
        part.unlink()
    doc_id.rmdir()
    result = run("validate", out, "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["valid"] is False
    assert any("papers: missing partitions" in v for v in report["violations"])


STAGES = ("read", "layout", "style", "structure", "body", "document", "front", "notes", "recommendations")


def test_verbose_logs_each_stage_with_its_time_on_stderr_only(pdf, tmp_path):
    quiet = run("extract", pdf, "--out", tmp_path / "a")
    loud = run("-v", "extract", pdf, "--out", tmp_path / "b")
    assert loud.stdout.split("summary in")[0] == quiet.stdout.split("summary in")[0]
    logged = [line.split(": ", 2) for line in loud.stderr.splitlines() if line.startswith("INFO: Tiny.PDF: ")]
    assert [entry[2].split()[0] for entry in logged] == list(STAGES)
    assert all(entry[2].split()[2] == "s" for entry in logged)  # "<stage>  0.01 s  <what it found>"
    debug = run("-vv", "extract", pdf, "--out", tmp_path / "c").stderr
    assert "DEBUG compendium_corpus.stages: Tiny.PDF: p01 pages 1-1" in debug
    assert "INFO" not in quiet.stderr
