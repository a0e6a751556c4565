"""The query examples in the README run, against a real `out/` extracted from the sample."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import duckdb
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Querying the corpus"


def examples(language: str) -> list[str]:
    """The fenced code blocks of one language in the README's querying section."""
    text = (ROOT / "README.md").read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start : end if end >= 0 else None]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


def test_readme_has_the_examples():
    python, sql = examples("python"), examples("sql")
    assert python and any('pd.read_parquet("out/footnotes")' in block for block in python)
    assert any("from 'out/papers/*/*.parquet'" in block for block in sql)
    assert any(
        all(f"'out/{t}/*/*.parquet'" in block for t in ("recommendations", "papers", "authors")) for block in sql
    ), "one example joins recommendations with papers and authors"


@pytest.mark.parametrize("index", range(len(examples("python"))))
def test_python_example_runs(sample_out, monkeypatch, capsys, index):
    monkeypatch.chdir(sample_out.parent)
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)  # no deprecated pandas in the README
        exec(compile(examples("python")[index], f"README.md python example {index + 1}", "exec"), namespace)
    frames = {name: v for name, v in namespace.items() if isinstance(v, (pd.DataFrame, pd.Series))}
    assert frames, "the example builds some data"
    assert {name for name, frame in frames.items() if frame.empty} == set()
    if "per_paper" in frames:
        per_paper = frames["per_paper"]
        notes = pd.read_parquet(sample_out / "footnotes")
        assert per_paper["notes"].sum() == len(notes)
        assert per_paper["notes"].is_monotonic_decreasing and per_paper["title"].notna().all()
        assert "title" in capsys.readouterr().out


@pytest.mark.parametrize("index", range(len(examples("sql"))))
def test_sql_example_runs(sample_out, monkeypatch, index):
    monkeypatch.chdir(sample_out.parent)
    query = examples("sql")[index]
    result = duckdb.sql(query).df()
    assert len(result) > 0
    if "'out/recommendations/" in query:
        recommendations = pd.read_parquet(sample_out / "recommendations")
        assert len(result) == len(recommendations), "one row per recommendation"
        assert result["authors"].notna().all() and result["title"].notna().all()
        # the join pairs each recommendation with its own paper's authors
        authors = pd.read_parquet(sample_out / "authors")
        first = (
            authors.sort_values(["doc_id", "paper_id", "position"])
            .groupby(["doc_id", "paper_id"], observed=True)["name"]
            .first()
        )
        assert set(result["authors"].str.split(", ").str[0]) <= set(first)
    if "from 'out/papers/" in query and "join" not in query:
        assert {"doc_id", "paper_id", "title"} <= set(result.columns)
        assert result["doc_id"].nunique() == 2, "doc_id comes back from the folder names"
