"""`compendium export`: the papers as Markdown files and JSON Lines, read back against the tables.

On the sample every paragraph of every paper is parsed back out of its Markdown line
(kind, lead, text, markers and their offsets) and compared with its row; a tiny folder
written here pins what the sample lacks: a paper without sections, Markdown characters
in the text, a ragged figure, a missing note, columns the export does not know, failed
documents."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from compendium_corpus.cli import main
from compendium_corpus.export import export

RECORD_KEYS = [
    "doc_id",
    "paper_id",
    "document",
    "chapter",
    "position",
    "title",
    "page_start",
    "page_end",
    "authors",
    "paragraphs",
    "sections",
    "footnotes",
    "figures",
    "recommendations",
]
PARAGRAPH_KEYS = ["paragraph_id", "kind", "lead", "text", "footnote_refs", "page_start", "page_end"]
TOKEN = re.compile(r"\[\^(\d+)\]|<sup>(\d+)</sup>|\\(.)|(.)")
LEAD = re.compile(r"\*\*((?:\\.|[^*\\])*):\*\*(?: |$)")


# ---------------------------------------------------------------- reading the exports back


def table_rows(out: Path, table: str) -> dict[tuple[str, str], list[dict]]:
    """A table's rows by (doc_id, paper_id), as any Hive-aware reader sees them."""
    grouped = defaultdict(list)
    for row in ds.dataset(out / table, format="parquet", partitioning="hive").to_table().to_pylist():
        grouped[row["doc_id"], row["paper_id"]].append(row)
    return grouped


def split_markdown(text: str) -> tuple[dict, list[str]]:
    """(front matter, body lines)."""
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body.splitlines()


def kind_of(line: str) -> str:
    """What a line of an exported file is: paragraph text never starts with markup (escaped)."""
    if line.startswith("#"):
        return "h" + str(len(line) - len(line.lstrip("#")))
    if line.startswith(">"):
        return "figure"
    if re.match(r"\[\^\d+\]: ", line):
        return "note"
    if line.startswith("- "):
        return "list_item"
    if line.startswith("**"):
        return "author"
    return "paragraph" if line else "blank"


def unmark(markdown: str) -> tuple[str, list[dict]]:
    """Markdown text back to plain text and its markers (`[^n]`, or `<sup>n</sup>` for a note
    the paper lacks) with their offsets."""
    text, refs = "", []
    for m in TOKEN.finditer(markdown):
        if m[1] or m[2]:
            refs.append({"number": int(m[1] or m[2]), "offset": len(text)})
        else:
            text += m[3] if m[3] is not None else m[4]
    return text, refs


def parse_block(line: str) -> dict:
    """A paragraph or list-item line as the row it came from."""
    kind = kind_of(line)
    rest, lead = (line[2:], None) if kind == "list_item" else (line, None)
    if kind == "list_item" and (m := LEAD.match(rest)):
        lead, rest = unmark(m[1])[0], rest[m.end() :]
    text, refs = unmark(rest)
    return {"kind": kind, "lead": lead, "text": text, "footnote_refs": refs}


def as_row(paragraph: dict) -> dict:
    return {
        "kind": paragraph["kind"],
        "lead": paragraph["lead"],
        "text": paragraph["text"],
        "footnote_refs": sorted(paragraph["footnote_refs"], key=lambda r: r["offset"]),
    }


def walk(sections: list[dict]):
    for section in sections:
        yield section
        yield from walk(section["sections"])


# ---------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def exported(sample_out, tmp_path_factory):
    """The sample exported both ways: (markdown folder, jsonl folder)."""
    folder = tmp_path_factory.mktemp("export")
    for fmt in ("markdown", "jsonl"):
        summary = export(sample_out, fmt, folder / fmt)
        assert (summary.documents, summary.papers, summary.failed, summary.unreadable) == (2, 24, {}, [])
    return folder / "markdown", folder / "jsonl"


@pytest.fixture(scope="module")
def markdown_papers(exported) -> dict[tuple[str, str], tuple[dict, list[str], Path]]:
    """(doc_id, paper_id) -> (front matter, body lines, file)."""
    papers = {}
    for path in sorted(exported[0].glob("*/*.md")):
        front, lines = split_markdown(path.read_text(encoding="utf-8"))
        papers[front["doc_id"], front["paper_id"]] = (front, lines, path)
    return papers


@pytest.fixture(scope="module")
def records(exported) -> dict[tuple[str, str], dict]:
    lines = [line for path in sorted(exported[1].glob("*.jsonl")) for line in path.read_text("utf-8").splitlines()]
    parsed = [json.loads(line) for line in lines]
    assert len({(r["doc_id"], r["paper_id"]) for r in parsed}) == len(parsed)
    return {(r["doc_id"], r["paper_id"]): r for r in parsed}


def test_one_markdown_file_per_paper_named_in_reading_order(sample_out, exported, markdown_papers):
    papers = table_rows(sample_out, "papers")
    assert len(list(exported[0].rglob("*.md"))) == len(papers) == len(markdown_papers) == 24
    assert set(markdown_papers) == set(papers)
    for doc in exported[0].iterdir():
        names = sorted(p.name for p in doc.glob("*.md"))
        in_order = sorted(
            (row for (doc_id, _), [row] in papers.items() if doc_id == doc.name), key=lambda r: r["position"]
        )
        assert [n.split("-")[1] for n in names] == [r["paper_id"] for r in in_order]


def test_front_matter_names_the_rows(sample_out, markdown_papers):
    papers, authors = table_rows(sample_out, "papers"), table_rows(sample_out, "authors")
    for key, (front, lines, _) in markdown_papers.items():
        [paper] = papers[key]
        assert list(front) == ["doc_id", "paper_id", "title", "authors", "source_file", "pages"]
        assert front["title"] == paper["title"] and front["pages"] == [paper["page_start"], paper["page_end"]]
        assert front["authors"] == [a["name"] for a in sorted(authors[key], key=lambda a: a["position"])]
        assert front["source_file"].endswith(".pdf")
        assert lines[1].startswith("# ") and unmark(lines[1][2:])[0] == paper["title"]


def test_headings_are_the_sections_by_level(sample_out, markdown_papers):
    sections = table_rows(sample_out, "sections")
    for key, (_, lines, path) in markdown_papers.items():
        headings = [kind_of(line) for line in lines if kind_of(line).startswith("h") and kind_of(line) != "h1"]
        expected = [f"h{s['level'] + 1}" for s in sorted(sections[key], key=lambda s: s["position"])]
        assert headings == expected, path.name
        assert len(headings) == sum(line.startswith(("## ", "### ")) for line in lines)


def test_every_paragraph_reads_back_as_its_row(sample_out, markdown_papers):
    """Kind, lead, text and note markers at their offsets, in reading order: the whole body."""
    paragraphs = table_rows(sample_out, "paragraphs")
    for key, (_, lines, path) in markdown_papers.items():
        blocks = [parse_block(line) for line in lines if kind_of(line) in ("paragraph", "list_item")]
        rows = [as_row(p) for p in sorted(paragraphs[key], key=lambda p: p["position"])]
        assert len(blocks) == len(rows), path.name
        assert blocks == rows, path.name


def test_first_marker_of_a_paper_stands_at_its_offset(sample_out, markdown_papers):
    paragraphs = table_rows(sample_out, "paragraphs")
    key = ("f15c5ff2e5336136", "p03")
    cited = next(p for p in sorted(paragraphs[key], key=lambda p: p["position"]) if p["footnote_refs"])
    ref = cited["footnote_refs"][0]
    line = next(line for line in markdown_papers[key][1] if f"[^{ref['number']}]" in line)
    before = line.split(f"[^{ref['number']}]")[0]
    assert unmark(before)[0] == cited["text"][: ref["offset"]] != ""
    assert cited["text"][: ref["offset"]].endswith("Chinese experts,")


def test_notes_are_footnote_definitions_and_every_marker_has_one(sample_out, markdown_papers):
    notes = table_rows(sample_out, "footnotes")
    for key, (_, lines, path) in markdown_papers.items():
        body = "\n".join(line for line in lines if kind_of(line) != "note")
        defined = [int(re.match(r"\[\^(\d+)\]", line)[1]) for line in lines if kind_of(line) == "note"]
        assert defined == sorted(n["number"] for n in notes[key]), path.name
        assert set(map(int, re.findall(r"\[\^(\d+)\]", body))) <= set(defined), path.name
    # p02's note 15 is cited but missing from the document: a plain superscript, no dangling reference
    assert "<sup>15</sup>" in "\n".join(markdown_papers["f15c5ff2e5336136", "p02"][1])


def test_note_links_follow_the_note(sample_out, markdown_papers):
    [note] = [n for n in table_rows(sample_out, "footnotes")["f15c5ff2e5336136", "p03"] if n["number"] == 8]
    line = next(line for line in markdown_papers["f15c5ff2e5336136", "p03"][1] if line.startswith("[^8]: "))
    assert line.endswith(" ".join(f"<{u}>" for u in note["urls"])) and len(note["urls"]) == 2


def test_pull_quotes_are_left_out(sample_out, markdown_papers):
    """A quote's text is in the file as often as in the paragraphs (it repeats part of one,
    or a whole one: p12-q05 of the sample), never once more."""
    quotes, paragraphs = table_rows(sample_out, "pull_quotes"), table_rows(sample_out, "paragraphs")
    assert sum(map(len, quotes.values())) == 82
    for key, (_, lines, _path) in markdown_papers.items():
        exported = unmark("\n".join(lines))[0]
        body = "\n".join(p["text"] for p in paragraphs[key])
        assert [exported.count(q["text"]) for q in quotes[key]] == [body.count(q["text"]) for q in quotes[key]]


def test_figure_is_a_table_under_its_label(sample_out, markdown_papers):
    [figure] = table_rows(sample_out, "figures")["f15c5ff2e5336136", "p03"]
    quoted = [line for line in markdown_papers["f15c5ff2e5336136", "p03"][1] if kind_of(line) == "figure"]
    assert quoted[0] == f"> **{figure['label']}:** {figure['title']}"
    table = [line for line in quoted if line.startswith("> |")]
    assert len(table) == len(figure["rows"]) + 1 and table[1].startswith("> | --- |")
    assert quoted[-1] == f"> {figure['source']}"


def test_one_json_line_per_paper(sample_out, exported, records):
    assert set(records) == set(table_rows(sample_out, "papers"))
    assert len(list(exported[1].glob("*.jsonl"))) == 2
    text = next(exported[1].glob("*.jsonl")).read_text("utf-8")
    assert "EU–China" in text  # ensure_ascii=False: text as itself


def test_json_sections_nest_and_hold_every_paragraph(sample_out, records):
    sections, paragraphs = table_rows(sample_out, "sections"), table_rows(sample_out, "paragraphs")
    for key, record in records.items():
        assert list(record) == RECORD_KEYS
        nested = list(walk(record["sections"]))
        assert len(nested) == len(sections[key])
        assert all(child["level"] > parent["level"] for parent in nested for child in parent["sections"])
        found = record["paragraphs"] + [p for s in nested for p in s["paragraphs"]]
        assert [p["paragraph_id"] for p in found] == [
            p["paragraph_id"] for p in sorted(paragraphs[key], key=lambda p: p["position"])
        ]
        assert all(list(p) == PARAGRAPH_KEYS for p in found)


def test_json_notes_figures_and_recommendations_match_the_tables(sample_out, records):
    for table in ("footnotes", "figures", "recommendations"):
        rows = table_rows(sample_out, table)
        for key, record in records.items():
            assert len(record[table]) == len(rows[key]), (table, key)
    record = records["f15c5ff2e5336136", "p03"]
    assert record["document"]["source_file"] == "eu-china-crossroads-vol5.pdf"
    assert record["chapter"]["chapter_id"] == "c02" and record["authors"][0]["name"] == "Grzegorz Stec"
    assert record["recommendations"][0]["paragraph_id"].startswith("p03-para")


# ---------------------------------------------------------------- a folder made by hand

GOOD, ONLY_DIAGNOSTICS, FAILED = "0123456789abcdef", "fedcba9876543210", "00000000000000ff"
TRICKY = "1. Not a list: *stars*, #hash, [^9] as text, a_b, <tag>, back\\slash and | pipe"


def write_part(out: Path, table: str, doc_id: str, rows: list[dict]) -> None:
    folder = out / table / f"doc_id={doc_id}"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), folder / "part-0.parquet")


def paragraph(paper_id: str, n: int, text: str, section_id=None, kind="paragraph", lead=None, refs=()) -> dict:
    return {
        "paper_id": paper_id,
        "section_id": section_id,
        "paragraph_id": f"{paper_id}-para{n:03d}",
        "position": n,
        "kind": kind,
        "lead": lead,
        "text": text,
        "footnote_refs": list(refs),
        "page_start": 3,
        "page_end": 3,
        "later_column": "not exported",
    }


@pytest.fixture
def handmade(tmp_path) -> Path:
    """Two papers of one good document (the first without sections), a document that
    failed with only its diagnostics, one whose documents row says it failed."""
    out = tmp_path / "out"
    write_part(
        out,
        "documents",
        GOOD,
        [
            {
                "source_file": "small.pdf",
                "sha256": GOOD * 4,
                "title": "A volume",
                "series": None,
                "volume": None,
                "editor": None,
                "publisher": None,
                "page_count": 9,
                "pipeline_version": "x",
                "status": "ok",
                "error_code": None,
                "boxes_of_the_future": 1,
            }
        ],
    )
    write_part(
        out,
        "documents",
        FAILED,
        [{"source_file": "locked.pdf", "title": "", "status": "failed", "error_code": "encrypted"}],
    )
    write_part(
        out,
        "diagnostics",
        ONLY_DIAGNOSTICS,
        [{"stage": "extract", "severity": "error", "code": "no-text-layer", "message": "scan"}],
    )
    write_part(
        out,
        "papers",
        GOOD,
        [
            {
                "paper_id": "p01",
                "chapter_id": None,
                "position": 1,
                "title": 'Untitled: "quotes"\u2028and more',
                "page_start": 3,
                "page_end": 3,
                "extra": [1, 2],
            },
            {"paper_id": "p02", "chapter_id": None, "position": 2, "title": "Sections", "page_start": 4, "page_end": 4},
        ],
    )
    write_part(out, "authors", GOOD, [{"paper_id": "p01", "position": 1, "name": "A. Author", "affiliation": None}])
    write_part(
        out,
        "sections",
        GOOD,
        [
            {
                "paper_id": "p02",
                "section_id": "p02-s01",
                "parent_section_id": None,
                "level": 1,
                "position": 1,
                "heading": "One",
                "page": 4,
            },
            {
                "paper_id": "p02",
                "section_id": "p02-s02",
                "parent_section_id": "p02-s01",
                "level": 2,
                "position": 2,
                "heading": "One.two #",
                "page": 4,
            },
        ],
    )
    write_part(
        out,
        "paragraphs",
        GOOD,
        [
            paragraph("p01", 1, TRICKY, refs=[{"number": 1, "offset": 14}, {"number": 2, "offset": 14}]),
            paragraph("p01", 2, "- leading dash and a missing note", refs=[{"number": 7, "offset": 33}]),
            paragraph("p01", 3, "the item", kind="list_item", lead="Lead *in*"),
            paragraph("p01", 4, "an item without lead", kind="list_item"),
            paragraph("p02", 1, "under two", section_id="p02-s02"),
        ],
    )
    write_part(
        out,
        "footnotes",
        GOOD,
        [
            {"paper_id": "p01", "number": n, "text": f"Note {n}.", "urls": urls, "cited_by": [], "page": 3}
            for n, urls in ((1, ["https://example.org/a_b"]), (2, []), (3, ["not a url"]))
        ],
    )
    write_part(
        out,
        "figures",
        GOOD,
        [
            {
                "paper_id": "p01",
                "figure_id": "p01-f01",
                "label": "Table 1",
                "title": "Counts",
                "caption": None,
                "rows": [["Year", "Value"], ["2024"], ["a|b", "2"]],
                "source": "- Source: us",
                "page": 3,
            }
        ],
    )
    return out


def test_handmade_markdown(handmade, tmp_path):
    summary = export(handmade, "markdown", tmp_path / "md")
    assert (summary.documents, summary.papers, summary.files) == (1, 2, 2)
    assert summary.failed == {ONLY_DIAGNOSTICS: "no-text-layer", FAILED: "encrypted"}
    assert "skipped 2 failed documents (encrypted: 1, no-text-layer: 1)" in summary.line()
    assert [p.name for p in (tmp_path / "md").iterdir()] == [GOOD]
    first, second = sorted((tmp_path / "md" / GOOD).iterdir())
    assert (first.name, second.name) == ("001-p01-untitled-quotes-and-more.md", "002-p02-sections.md")

    front, lines = split_markdown(first.read_text("utf-8"))
    assert front["title"] == 'Untitled: "quotes"\u2028and more' and front["pages"] == [3, 3]
    kinds = [kind_of(line) for line in lines if line]
    assert kinds == [
        "h1",
        "author",
        "paragraph",
        "paragraph",
        "list_item",
        "list_item",
        *["figure"] * 8,
        "note",
        "note",
        "note",
    ]
    assert lines[3] == "**A. Author**"
    blocks = [parse_block(line) for line in lines if kind_of(line) in ("paragraph", "list_item")]
    assert blocks[0] == {
        "kind": "paragraph",
        "lead": None,
        "text": TRICKY,
        "footnote_refs": [{"number": 1, "offset": 14}, {"number": 2, "offset": 14}],
    }
    assert (
        lines[5] == r"1\. Not a list:[^1][^2] \*stars\*, \#hash, \[^9\] as text, a\_b, \<tag>, back\\slash and \| pipe"
    )
    assert lines[7] == r"\- leading dash and a missing note<sup>7</sup>"
    assert blocks[2]["lead"] == "Lead *in*" and blocks[3]["lead"] is None
    assert "\n- **Lead \\*in\\*:** the item\n- an item without lead\n" in first.read_text("utf-8")
    figure = [line for line in lines if kind_of(line) == "figure"]
    assert figure == [
        "> **Table 1:** Counts",
        ">",
        "> | Year | Value |",
        "> | --- | --- |",
        "> | 2024 |  |",
        r"> | a\|b | 2 |",
        ">",
        r"> \- Source: us",
    ]
    assert lines[-5:] == [
        "[^1]: Note 1. <https://example.org/a_b>",
        "",
        "[^2]: Note 2.",
        "",
        r"[^3]: Note 3. not a url",
    ]
    text = first.read_text("utf-8") + second.read_text("utf-8")
    assert "not exported" not in text and "later_column" not in text

    _, lines = split_markdown(second.read_text("utf-8"))
    assert [line for line in lines if line.startswith("#")] == ["# Sections", "## One", r"### One.two \#"]


def test_handmade_jsonl(handmade, tmp_path):
    summary = export(handmade, "jsonl", tmp_path / "jsonl")
    assert (summary.documents, summary.files) == (1, 1)
    assert [p.name for p in (tmp_path / "jsonl").iterdir()] == [f"{GOOD}.jsonl"]
    text = (tmp_path / "jsonl" / f"{GOOD}.jsonl").read_text("utf-8")
    assert "\u2028" not in text and "\\u2028" in text and "not exported" not in text
    first, second = map(json.loads, text.splitlines())
    assert list(first) == RECORD_KEYS and first["chapter"] is None and first["sections"] == []
    assert [p["paragraph_id"] for p in first["paragraphs"]] == [
        "p01-para001",
        "p01-para002",
        "p01-para003",
        "p01-para004",
    ]
    assert first["document"] == {
        "source_file": "small.pdf",
        "title": "A volume",
        "series": None,
        "volume": None,
        "editor": None,
        "publisher": None,
    }
    assert first["authors"] == [{"name": "A. Author", "affiliation": None}]
    assert first["figures"][0]["rows"] == [["Year", "Value"], ["2024"], ["a|b", "2"]]
    assert first["footnotes"][0] == {
        "number": 1,
        "text": "Note 1.",
        "urls": ["https://example.org/a_b"],
        "cited_by": [],
        "page": 3,
    }
    assert first["recommendations"] == []
    [one] = second["sections"]
    assert (one["heading"], one["paragraphs"], [s["heading"] for s in one["sections"]]) == ("One", [], ["One.two #"])
    assert one["sections"][0]["paragraphs"][0]["text"] == "under two" and second["paragraphs"] == []


def test_reexport_of_one_document_replaces_only_its_files(handmade, tmp_path):
    dest = tmp_path / "md"
    export(handmade, "markdown", dest)
    stale = dest / GOOD / "003-p03-gone.md"
    stale.write_text("from an older export")
    other = dest / "aaaaaaaaaaaaaaaa"
    other.mkdir()
    (other / "001-p01-kept.md").write_text("another document")
    assert export(handmade, "markdown", dest, (GOOD,)).files == 2
    assert not stale.exists() and (other / "001-p01-kept.md").exists()


# ---------------------------------------------------------------- the command


def run(*args):
    return CliRunner().invoke(main, ["export", *map(str, args)])


def test_command_exit_statuses(handmade, tmp_path):
    ok = run(handmade, "--to", "jsonl", tmp_path / "j", "--doc", GOOD)
    assert ok.exit_code == 0 and ok.stderr == ""
    assert ok.stdout == f"exported 2 papers of 1 document as jsonl to {tmp_path / 'j'} (1 file)\n"

    assert run(handmade, "--to", "pdf", tmp_path / "x").exit_code == 2
    unknown = run(handmade, "--to", "jsonl", tmp_path / "x", "--doc", "abc")
    assert unknown.exit_code == 2 and GOOD in unknown.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    for not_out in (empty, tmp_path / "missing"):
        result = run(not_out, "--to", "markdown", tmp_path / "x")
        assert result.exit_code == 3 and result.stderr.count("\n") == 1
        assert result.stderr.startswith("error: ") and "not an extract output folder" in result.stderr

    blocked = tmp_path / "a-file"
    blocked.write_text("")
    result = run(handmade, "--to", "markdown", blocked / "sub")
    assert result.exit_code == 3 and result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_command_leaves_out_a_document_it_cannot_read(handmade, tmp_path):
    (handmade / "paragraphs" / f"doc_id={GOOD}" / "part-0.parquet").write_bytes(b"not parquet")
    result = run(handmade, "--to", "markdown", tmp_path / "md")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"warning: paragraphs/doc_id={GOOD}/part-0.parquet cannot be read")
    assert (
        "exported 0 papers of 0 documents" in result.stdout
        and "left out 1 document with unreadable files" in result.stdout
    )
