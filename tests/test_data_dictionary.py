"""docs/DATA.md is `compendium schema --markdown`, current, with a meaning and a
real example value for every column."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from compendium_corpus import dictionary
from compendium_corpus.cli import main
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.validate import open_table

ROOT = Path(__file__).resolve().parents[1]
DATA_MD = ROOT / "docs" / "DATA.md"
SAMPLE = ROOT / "raw" / "eu-china-crossroads-vol5.pdf"
# values that depend on the run, not on the document
RUN_DEPENDENT = {("documents", "pipeline_version")}


def test_data_md_is_current():
    assert DATA_MD.is_file(), "docs/DATA.md is missing: compendium schema --markdown > docs/DATA.md"
    assert DATA_MD.read_text() == dictionary.markdown(), (
        "docs/DATA.md is out of date: run `compendium schema --markdown > docs/DATA.md`"
    )


def test_schema_markdown_prints_data_md():
    result = CliRunner().invoke(main, ["schema", "--markdown"])
    assert result.exit_code == 0 and result.stdout == DATA_MD.read_text()


@pytest.mark.parametrize("table", list(TABLES))
def test_every_column_has_type_meaning_and_example(table):
    entries = [e for e in dictionary.data_dictionary() if e["table"] == table]
    assert [e["column"] for e in entries] == list(TABLES[table].model_fields)
    assert [e["column"] for e in entries if not e["description"]] == []
    assert [e["column"] for e in entries if not e["example"]] == []
    section = DATA_MD.read_text().split(f"### {table}\n", 1)[1].split("\n### ", 1)[0]
    for e in entries:
        assert f"| `{e['column']}` | `{e['type']}` |" in section


@pytest.mark.parametrize("table", list(TABLES))
def test_examples_make_a_valid_row(table):
    model = TABLES[table]
    model.model_validate({name: info.examples[0] for name, info in model.model_fields.items()})


def _found(example, value) -> bool:
    """Whether a (possibly shortened) example value occurs in a real value."""
    if isinstance(example, str):
        return isinstance(value, str) and example in value
    if isinstance(example, list):
        return isinstance(value, list) and all(any(_found(x, v) for v in value) for x in example)
    if isinstance(example, dict):
        return isinstance(value, dict) and all(_found(x, value.get(k)) for k, x in example.items())
    if isinstance(example, float):  # stored as float32
        return isinstance(value, float) and abs(example - value) < 0.01
    return example == value


@pytest.mark.parametrize("table", [t for t in TABLES if t != "diagnostics"])  # findings change as stages improve
def test_examples_come_from_the_sample(sample_out, table):
    doc_id = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()[:16]
    rows = [r for r in open_table(sample_out, table).to_table().to_pylist() if r["doc_id"] == doc_id]
    missing = [
        name
        for name, info in TABLES[table].model_fields.items()
        if (table, name) not in RUN_DEPENDENT and not any(_found(info.examples[0], row[name]) for row in rows)
    ]
    assert missing == [], f"{table}: examples not found in the sample's output: {missing}"
