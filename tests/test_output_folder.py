"""The output folder is data, not instructions: whatever was planted in it, damaged or
deleted, a run neither obeys nor crashes on it; `validate` names every problem, `report`
still reads what is good, and `extract` redoes what `validate` would flag. Faults of the
machine (a full disk, a permission error while committing) cost no document its old
output, are retried on the next run, and end the run with status 3."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from bad_pdfs import text_pdf
from click.testing import CliRunner

from compendium_corpus.batch import Settings, run_batch
from compendium_corpus.cli import main
from compendium_corpus.manifest import MANIFEST
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.validate import validate_dir

pytestmark = pytest.mark.processes


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def corpus(tmp_path) -> tuple[list[Path], Path, list[str]]:
    """Two small documents extracted into `out`: (files, out, doc_ids)."""
    (tmp_path / "in").mkdir()
    files = [text_pdf(tmp_path / "in" / f"doc{i}.pdf", pages=i + 1, title=f"Volume {i}") for i in range(2)]
    summary = run_batch(files, tmp_path / "out", Settings(jobs=1))
    assert summary.exit_status == 0 and validate_dir(tmp_path / "out")[1] == []
    return files, tmp_path / "out", [o.doc_id for o in summary.outcomes]


def part(out: Path, table: str, doc_id: str) -> Path:
    return out / table / f"doc_id={doc_id}" / "part-0.parquet"


@pytest.mark.parametrize("staging", ["../victim", "/VICTIM", ".tmp-0123456789abcdef-1/../../victim"])
def test_a_planted_journal_deletes_nothing_outside_the_output_folder(corpus, tmp_path, staging):
    files, out, _ = corpus
    victim = tmp_path / "victim"
    (victim / "papers" / "doc_id=0123456789abcdef").mkdir(parents=True)
    (victim / "precious.txt").write_text("keep me")
    staging = staging.replace("/VICTIM", str(victim))
    (out / ".commit-0123456789abcdef.json").write_text(
        json.dumps({"staging": staging, "tables": ["papers"], "partition": "doc_id=0123456789abcdef"})
    )
    result = cli("extract", *files, "--out", out)
    assert result.exit_code == 0, result.output
    assert (victim / "precious.txt").read_text() == "keep me" and (victim / "papers").is_dir()
    assert "warning: refused commit journal .commit-0123456789abcdef.json" in result.stderr
    assert not (out / ".commit-0123456789abcdef.json").exists()


def test_a_truncated_manifest_is_flagged_then_rebuilt_from_the_partitions(corpus):
    files, out, _ = corpus
    manifest = out / MANIFEST
    manifest.write_bytes(manifest.read_bytes()[:200])
    checked = cli("validate", out)
    assert checked.exit_code == 1 and "_manifest.parquet cannot be read" in checked.stderr
    assert cli("report", out).exit_code == 0
    again = cli("extract", *files, "--out", out)
    assert again.exit_code == 0 and "Traceback" not in again.output, again.output
    assert "warning: _manifest.parquet could not be read" in again.stderr and "rebuilt" in again.stderr
    assert [line.split()[0] for line in again.stdout.splitlines()[:-1]] == ["skipped", "skipped"]
    assert validate_dir(out)[1] == [] and len(pq.read_table(manifest)) == 2


def damage_truncated(out, doc_id):
    part(out, "papers", doc_id).write_bytes(part(out, "papers", doc_id).read_bytes()[:100])
    return "papers/doc_id=%s/part-0.parquet cannot be read" % doc_id


def damage_deleted(out, doc_id):
    part(out, "sections", doc_id).unlink()
    return "sections: the manifest's document %s has no part file" % doc_id


def damage_all_gone(out, doc_id):
    for table in TABLES:
        shutil.rmtree(out / table / f"doc_id={doc_id}")
    return "documents: the manifest's document %s has no part file" % doc_id


def damage_duplicated(out, doc_id):
    shutil.copy(part(out, "paragraphs", doc_id), part(out, "paragraphs", doc_id).with_name("part-1.parquet"))
    return f"paragraphs/doc_id={doc_id}/part-1.parquet is not a file this pipeline writes"


def damage_stray_partition_file(out, doc_id):
    (out / "figures" / f"doc_id={doc_id}" / "notes.txt").write_text("hello")
    return f"figures/doc_id={doc_id}/notes.txt is not a file this pipeline writes"


@pytest.mark.parametrize(
    "damage", [damage_truncated, damage_deleted, damage_all_gone, damage_duplicated, damage_stray_partition_file]
)
def test_validate_flags_damage_and_extract_redoes_that_document(corpus, damage):
    files, out, doc_ids = corpus
    expected = damage(out, doc_ids[1])
    checked = cli("validate", out)
    assert checked.exit_code == 1 and "Traceback" not in checked.output
    assert f"violation: {expected}" in checked.stderr, checked.stderr
    assert cli("report", out).exit_code == 0
    again = cli("extract", *files, "--out", out)
    assert again.exit_code == 0, again.output
    assert [line.split()[0] for line in again.stdout.splitlines()[:-1]] == ["skipped", "ok"]
    assert validate_dir(out)[1] == []


def test_a_stray_file_in_a_table_folder_is_flagged_not_fatal(corpus):
    _, out, _ = corpus
    (out / "papers" / "README.txt").write_text("not data")
    checked = cli("validate", out)
    assert checked.exit_code == 1 and "Traceback" not in checked.output
    assert "violation: papers/README.txt is not a file this pipeline writes" in checked.stderr
    reported = cli("report", out)
    assert reported.exit_code == 0 and "warning: papers/README.txt" in reported.stderr


def test_duplicate_ids_are_flagged(corpus):
    _, out, doc_ids = corpus
    path = part(out, "papers", doc_ids[0])
    pq.write_table(pq.read_table(path).take([0, 0]), path)
    _, violations = validate_dir(out)
    assert f"papers: duplicate paper_id in document {doc_ids[0]}: ['p01']" in violations


def fail_once(monkeypatch, nth: int, error: OSError) -> None:
    """The `nth` rename over a part file (a commit's renames, run in this process) fails."""
    rename, calls = os.replace, []

    def replace(src, dst):
        if str(dst).endswith("part-0.parquet"):
            calls.append(dst)
            if len(calls) == nth:
                raise error
        return rename(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_a_failure_while_committing_keeps_the_old_output_and_is_retried(corpus, monkeypatch):
    files, out, doc_ids = corpus
    before = {f: f.read_bytes() for f in out.glob("*/doc_id=*/*.parquet")}
    fail_once(monkeypatch, 7, OSError(28, "No space left on device"))
    result = cli("extract", *files, "--out", out, "--force", "--jobs", "1")
    monkeypatch.undo()
    assert result.exit_code == 3, result.output
    assert "FAILED doc0.pdf: io-error: doc0.pdf: outputs could not be written" in result.stdout
    assert {f: f.read_bytes() for f in before} == before and validate_dir(out)[1] == []
    assert not list(out.glob(".commit-*")) and not list(out.glob(".tmp-*"))
    again = cli("extract", *files, "--out", out, "--jobs", "1")
    assert again.exit_code == 0 and "\nok  doc0.pdf" in "\n" + again.stdout, again.output


def test_a_new_document_whose_commit_fails_is_not_half_visible(tmp_path, monkeypatch):
    doc = text_pdf(tmp_path / "doc.pdf")
    fail_once(monkeypatch, 6, PermissionError(13, "Permission denied"))
    summary = run_batch([doc], tmp_path / "out", Settings(jobs=1))
    monkeypatch.undo()
    assert (summary.exit_status, summary.outcomes[0].code) == (3, "io-error")
    assert not list((tmp_path / "out").glob("*/doc_id=*/part-0.parquet"))
    assert run_batch([doc], tmp_path / "out", Settings(jobs=1)).outcomes[0].action == "ok"
