import os
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from compendium_corpus import __version__, write
from compendium_corpus.model import Diagnostics
from compendium_corpus.packing import SLICE, PackedTables
from compendium_corpus.rows import Rows
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.validate import validate_dir
from compendium_corpus.write import write_document

A, B = "0123456789abcdef", "aaaaaaaaaaaaaaaa"


def document(doc_id: str, n_papers: int) -> dict[str, list[dict]]:
    return {
        "documents": [
            {
                "doc_id": doc_id,
                "source_file": f"{doc_id}.pdf",
                "sha256": doc_id * 4,
                "title": "T",
                "series": None,
                "volume": None,
                "editor": None,
                "publisher": None,
                "page_count": n_papers,
                "pipeline_version": __version__,
                "status": "ok",
                "error_code": None,
                "chars_total": 6,
                "chars_kept": 6,
                "chars_furniture": 0,
                "chars_dropped": 0,
                "ocr_pages": 0,
            }
        ],
        "papers": [
            {
                "doc_id": doc_id,
                "paper_id": f"p{n:02d}",
                "chapter_id": None,
                "position": n,
                "title": f"Paper {n}",
                "page_start": n,
                "page_end": n,
            }
            for n in range(1, n_papers + 1)
        ],
        "paragraphs": [
            {
                "doc_id": doc_id,
                "paper_id": "p01",
                "section_id": None,
                "paragraph_id": "p01-para001",
                "position": 1,
                "kind": "paragraph",
                "lead": None,
                "text": "Hello.",
                "footnote_refs": [{"number": 1, "offset": 6}],
                "page_start": 1,
                "page_end": 1,
            }
        ],
    }


def papers_by_doc(path: Path) -> dict[str, int]:
    return pd.read_parquet(path).astype({"doc_id": str}).groupby("doc_id").size().to_dict()


@pytest.fixture
def out(tmp_path):
    out = tmp_path / "out"
    assert write_document(out, A, document(A, 2))["papers"] == 2
    write_document(out, B, document(B, 3))
    return out


def test_every_table_has_a_partition(out):
    for name in TABLES:
        assert (out / name / f"doc_id={A}" / "part-0.parquet").is_file()
    assert "doc_id" not in pq.read_schema(out / "papers" / f"doc_id={A}" / "part-0.parquet").names
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_read_back_with_pandas_and_dataset(out):
    assert papers_by_doc(out / "papers") == {A: 2, B: 3}
    table = ds.dataset(out / "papers", format="parquet", partitioning="hive").to_table()
    assert sorted(set(table.column("doc_id").to_pylist())) == [A, B]
    empty = pd.read_parquet(out / "figures")
    assert empty.empty and {"doc_id", "rows", "page"} <= set(empty.columns)
    refs = pd.read_parquet(out / "paragraphs")["footnote_refs"].iloc[0]
    assert [dict(r) for r in refs] == [{"number": 1, "offset": 6}]


def test_rewrite_replaces_only_its_partition(out):
    before = (out / "papers" / f"doc_id={B}" / "part-0.parquet").read_bytes()
    write_document(out, A, document(A, 1))
    assert papers_by_doc(out / "papers") == {A: 1, B: 3}
    assert (out / "papers" / f"doc_id={B}" / "part-0.parquet").read_bytes() == before
    assert sorted(p.name for p in (out / "papers").iterdir()) == [f"doc_id={A}", f"doc_id={B}"]


def test_interrupted_write_leaves_previous_partitions(out, monkeypatch):
    real = write.pq.write_table

    def failing(table, where):
        if "sections" in str(where):
            raise OSError("disk full")
        real(table, where)

    monkeypatch.setattr(write.pq, "write_table", failing)
    with pytest.raises(OSError):
        write_document(out, A, document(A, 5))
    assert papers_by_doc(out / "papers") == {A: 2, B: 3}
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_leftover_tmp_dir_is_not_data(out):
    stale = out / f".tmp-cccccccccccccccc-{os.getpid() + 1}"
    write_document(stale, "cccccccccccccccc", document("cccccccccccccccc", 4))
    (out / "papers" / f".old-doc_id={A}-1").mkdir()
    (out / "papers" / f".old-doc_id={A}-1" / "part-0.parquet").write_bytes(
        (stale / "papers" / "doc_id=cccccccccccccccc" / "part-0.parquet").read_bytes()
    )
    assert papers_by_doc(out / "papers") == {A: 2, B: 3}
    counts, violations = validate_dir(out)
    assert violations == []
    assert counts["papers"] == 5 and ".tmp" not in "".join(counts)


def test_rows_refused_by_their_model_are_dropped_and_named():
    refused = Diagnostics()
    good = {"paper_id": "p01", "chapter_id": None, "position": 1, "title": "Paper 1", "page_start": 1, "page_end": 1}
    made = Rows(A, refused).make("papers", [good, {**good, "page_start": 0}, {**good, "titel": "x"}])
    assert [p["paper_id"] for p in made] == ["p01"]
    assert [d.code for d in refused.items] == ["invalid-row", "invalid-row"]
    assert "papers row 1: page_start" in refused.items[0].message and refused.items[0].paper_id == "p01"


def test_validate_dir_flags_missing_partition(out):
    import shutil

    shutil.rmtree(out / "chapters" / f"doc_id={B}")
    _, violations = validate_dir(out)
    assert violations == [f"chapters: missing partitions for ['{B}']"]


def test_commit_killed_midway_is_finished_by_recover(out, monkeypatch):
    real, moved = os.replace, []

    def killed_after_four(src, dst):  # the journal, then three of the fourteen partition files
        if len(moved) == 4:
            raise SystemExit("killed")
        moved.append(dst)
        real(src, dst)

    monkeypatch.setattr(write.os, "replace", killed_after_four)
    with pytest.raises(SystemExit):
        write_document(out, A, document(A, 5))
    monkeypatch.undo()
    assert (out / f".commit-{A}.json").exists()
    assert papers_by_doc(out / "papers") == {A: 5, B: 3}  # papers was among the files moved
    assert len(pd.read_parquet(out / "paragraphs")) == 2  # every file whole, old or new
    write.recover(out)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    assert papers_by_doc(out / "papers") == {A: 5, B: 3}
    assert validate_dir(out)[1] == []


@pytest.mark.parametrize("doc_id", ["../../../../tmp/x", "0123456789ABCDEF", "abc", "0123456789abcdef/.."])
def test_only_hex_doc_ids_become_paths(tmp_path, doc_id):
    with pytest.raises(ValueError):
        write_document(tmp_path / "out", doc_id, document(A, 1))
    assert list(tmp_path.iterdir()) == []


def test_packed_tables_make_their_text_valid_and_keep_their_order():
    tables = PackedTables()
    tables["papers"] = [{"title": "Trade\ud800policy"}]
    tables["authors"] = []
    tables.add("papers", [{"title": "Second"}])
    assert tables["papers"] == [{"title": "Trade\ufffdpolicy"}, {"title": "Second"}]
    assert list(tables.ordered(["authors", "papers"])) == ["authors", "papers"]
    assert tables == {"papers": [{"title": "Trade\ufffdpolicy"}, {"title": "Second"}], "authors": []}
    with pytest.raises(KeyError):
        tables.ordered(["chapters"])
    tables["paragraphs"] = ({"position": i} for i in range(2 * SLICE + 1))  # taken as made, a slice at a time
    tables.add("paragraphs", [{"position": -1}])
    assert [r["position"] for r in tables["paragraphs"]] == [*range(2 * SLICE + 1), -1]
