"""`compendium export`: the corpus in the forms search indexes and language models are fed.

The tables suit analysis; a search index, a retrieval pipeline or a reader wants
one paper at a time, whole and in reading order. Two forms, one unit each:

- markdown: one file per paper, `<dest>/<doc_id>/<position>-<paper_id>-<slug>.md`
  (names sort in reading order and never collide across documents), opening
  with a YAML front matter that ties the file back to its rows;
- jsonl: one record per paper, one file per document, `<dest>/<doc_id>.jsonl`.

Both are made from the Parquet tables alone, never from the PDFs: they say what
the tables say, and an archive can be exported again without its sources. Each
part file is read on its own, its `doc_id` taken from its partition's folder
name (Hive partitioning), and only the columns named here are taken, so tables
that gain columns export as before. Re-exporting a document replaces exactly its
own files, each atomically.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from compendium_corpus.partitions import read_file, relative, table_files
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.write import PART_FILE, PARTITION_KEY, replace_file

log = logging.getLogger(__name__)

FORMATS = ("markdown", "jsonl")
# The tables a paper's rows come from, and the column that puts each in reading order.
PAPER_PARTS = {
    "authors": "position",
    "sections": "position",
    "paragraphs": "position",
    "footnotes": "number",
    "figures": "figure_id",
    "recommendations": "position",
}
SLUG_LENGTH = 60
POSITION_WIDTH = 3  # `007-p07-...md`: names sort as the papers are printed

DOCUMENT_KEYS = ("source_file", "title", "series", "volume", "editor", "publisher")
CHAPTER_KEYS = ("chapter_id", "number", "title")
AUTHOR_KEYS = ("name", "affiliation")
SECTION_KEYS = ("section_id", "heading", "level", "page")
PARAGRAPH_KEYS = ("paragraph_id", "kind", "lead", "text", "footnote_refs", "page_start", "page_end")
NOTE_KEYS = ("number", "text", "urls", "cited_by", "page")
FIGURE_KEYS = ("figure_id", "label", "title", "caption", "rows", "source", "page")
RECOMMENDATION_KEYS = ("recommendation_id", "kind", "lead", "text", "paragraph_id", "section_id")

# Characters JSON leaves raw that split lines for some readers (str.splitlines, YAML) or
# that YAML refuses even inside quotes; written as \uXXXX escapes, which both read back.
LINE_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
# Markdown punctuation that would turn plain text into markup anywhere on a line, and
# what turns a line into a block (quote, list, heading underline, ordered list).
MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]<#~|]")
MARKDOWN_LINE_START = re.compile(r"^[>+=-]")
MARKDOWN_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
LINE_BREAKS = re.compile("\\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+\\s*")  # where str.splitlines splits
AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*")


class NotAnOutputFolder(Exception):
    """The folder holds no table of an extract run."""


class UnknownDocuments(Exception):
    """`--doc` names documents the folder does not hold."""


@dataclass
class Paper:
    """One paper's rows from every table, each list in reading order."""

    doc_id: str
    document: dict
    chapter: dict | None
    row: dict
    authors: list[dict]
    sections: list[dict]
    paragraphs: list[dict]
    footnotes: list[dict]
    figures: list[dict]
    recommendations: list[dict]

    def paragraphs_by_section(self) -> dict[str | None, list[dict]]:
        """Paragraphs under their section; those before the first heading (or naming a
        section the paper does not have) under None, so that none is lost."""
        known = {s["section_id"] for s in self.sections}
        grouped: dict[str | None, list[dict]] = defaultdict(list)
        for paragraph in self.paragraphs:
            section = paragraph.get("section_id")
            grouped[section if section in known else None].append(paragraph)
        return grouped


@dataclass
class ExportSummary:
    """What a run did: its one summary line, and what the command exits with."""

    fmt: str
    dest: Path
    documents: int = 0
    papers: int = 0
    files: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # doc_id -> its failure code: nothing to export
    unreadable: list[str] = field(default_factory=list)  # part files that could not be read: document left out

    def line(self) -> str:
        """The run in one line, as the other commands end theirs."""
        text = (
            f"exported {_count(self.papers, 'paper')} of {_count(self.documents, 'document')} as {self.fmt} "
            f"to {self.dest} ({_count(self.files, 'file')})"
        )
        if self.failed:
            codes = ", ".join(f"{code}: {n}" for code, n in sorted(Counter(self.failed.values()).items()))
            text += f"; skipped {_count(len(self.failed), 'failed document')} ({codes})"
        if self.unreadable:
            text += f"; left out {_count(len(self.unreadable), 'document')} with unreadable files"
        return text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------- reading


def _document_ids(out_dir: Path) -> list[str]:
    """Every document the folder holds: a failed one may have only its diagnostics partition."""
    if not out_dir.is_dir() or not any((out_dir / name).is_dir() for name in TABLES):
        raise NotAnOutputFolder(f"{out_dir} holds no tables: not an extract output folder")
    found: set[str] = set()
    for table in ("documents", "papers", "diagnostics"):
        files = table_files(out_dir, table)
        found |= set(files.parts) | set(files.empty)
    return sorted(found)


def _rows(out_dir: Path, table: str, doc_id: str) -> list[dict]:
    """Every row of one partition with every column its file has; none when it has no file.
    ValueError, naming the file, when it cannot be read."""
    part = out_dir / table / f"{PARTITION_KEY}={doc_id}" / PART_FILE
    if not part.is_file():
        return []
    try:
        return read_file(part).to_pylist()
    except ValueError as err:
        raise ValueError(f"{relative(out_dir, part)} {err}") from None


def _failure(out_dir: Path, doc_id: str, document: dict | None) -> str | None:
    """Why a document has nothing to export (its failure code), None when it was extracted.
    A failed document has a `documents` row saying so, or (from older runs) diagnostics only."""
    if document is not None:
        return (document.get("error_code") or "failed") if document.get("status") == "failed" else None
    errors = [
        d.get("code")
        for d in _rows(out_dir, "diagnostics", doc_id)
        if d.get("stage") == "extract" and d.get("severity") == "error"
    ]
    return errors[0] if errors else "no-documents-row"


def _by_paper(rows: list[dict], order: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r[order]):
        grouped[row["paper_id"]].append(row)
    return grouped


def _papers(out_dir: Path, doc_id: str, document: dict) -> list[Paper]:
    parts = {table: _by_paper(_rows(out_dir, table, doc_id), order) for table, order in PAPER_PARTS.items()}
    chapters = {c["chapter_id"]: c for c in _rows(out_dir, "chapters", doc_id)}
    return [
        Paper(
            doc_id,
            document,
            chapters.get(row.get("chapter_id")),
            row,
            **{table: parts[table].get(row["paper_id"], []) for table in PAPER_PARTS},
        )
        for row in sorted(_rows(out_dir, "papers", doc_id), key=lambda r: r["position"])
    ]


# ---------------------------------------------------------------- shared


def _json(value) -> str:
    """JSON on one line, non-ASCII text as itself (ensure_ascii=False), and nothing in it
    that a line-splitting or YAML reader takes for a line break or refuses."""
    return LINE_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def _pick(row: dict, keys: tuple[str, ...]) -> dict:
    """The named columns, in this order: a stable record whatever columns the tables gain."""
    return {key: row.get(key) for key in keys}


# ---------------------------------------------------------------- JSON Lines


def _section_tree(sections: list[dict], by_section: dict[str | None, list[dict]]) -> list[dict]:
    """Sections nested under their parents (a section whose parent is unknown is a root)."""
    known = {s["section_id"] for s in sections}
    children: dict[str | None, list[dict]] = defaultdict(list)
    for section in sections:
        parent = section.get("parent_section_id")
        children[parent if parent in known else None].append(section)

    def node(section: dict) -> dict:
        return {
            **_pick(section, SECTION_KEYS),
            "paragraphs": [_pick(p, PARAGRAPH_KEYS) for p in by_section.get(section["section_id"], [])],
            "sections": [node(child) for child in children[section["section_id"]]],
        }

    return [node(root) for root in children[None]]


def _record(paper: Paper) -> dict:
    """One paper as a JSON object: its document and chapter, its own metadata, its body
    nested by section, its notes, figures and recommendations."""
    by_section = paper.paragraphs_by_section()
    row = paper.row
    return {
        "doc_id": paper.doc_id,
        "paper_id": row["paper_id"],
        "document": _pick(paper.document, DOCUMENT_KEYS),
        "chapter": _pick(paper.chapter, CHAPTER_KEYS) if paper.chapter else None,
        "position": row.get("position"),
        "title": row.get("title"),
        "page_start": row.get("page_start"),
        "page_end": row.get("page_end"),
        "authors": [_pick(a, AUTHOR_KEYS) for a in paper.authors],
        "paragraphs": [_pick(p, PARAGRAPH_KEYS) for p in by_section.get(None, [])],
        "sections": _section_tree(paper.sections, by_section),
        "footnotes": [_pick(n, NOTE_KEYS) for n in paper.footnotes],
        "figures": [_pick(f, FIGURE_KEYS) for f in paper.figures],
        "recommendations": [_pick(r, RECOMMENDATION_KEYS) for r in paper.recommendations],
    }


def _write_jsonl(papers: list[Paper], dest: Path, doc_id: str) -> int:
    text = "".join(_json(_record(paper)) + "\n" for paper in papers)
    replace_file(dest / f"{doc_id}.jsonl", lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
    return 1


# ---------------------------------------------------------------- Markdown


def _inline(text: str) -> str:
    """Plain text that Markdown shows as it is: on one line (for line-based readers too, which
    split at U+2028 and the like), its markup characters escaped."""
    return MARKDOWN_INLINE.sub(r"\\\g<0>", LINE_BREAKS.sub(" ", text))


def _line_start(markdown: str) -> str:
    """Escaped where the start of a line would make a quote, a list or an underline of it."""
    return MARKDOWN_ORDERED.sub(r"\1\\\2", MARKDOWN_LINE_START.sub(r"\\\g<0>", markdown))


def _lead(lead: str | None, rest: str) -> str:
    """`**lead:** rest`, as a list item's bold lead-in or a figure's label is printed."""
    return f"**{_inline(lead)}:** {rest}".rstrip() if lead else rest


def _with_markers(text: str, refs: list[dict], notes: set[int]) -> str:
    """The text with its note markers back where they stood (`offset`: the character right
    after which), as `[^n]`; a marker whose note the paper lacks as a plain superscript,
    since a footnote reference without its definition is broken Markdown."""
    pieces, start = [], 0
    for ref in sorted(refs, key=lambda r: r["offset"]):
        cut = min(max(ref["offset"], start), len(text))
        pieces.append(_inline(text[start:cut]))
        pieces.append(f"[^{ref['number']}]" if ref["number"] in notes else f"<sup>{ref['number']}</sup>")
        start = cut
    pieces.append(_inline(text[start:]))
    return _line_start("".join(pieces))


def _paragraph(paragraph: dict, notes: set[int]) -> str:
    text = _with_markers(paragraph["text"], paragraph.get("footnote_refs") or [], notes)
    return f"- {_lead(paragraph.get('lead'), text)}" if paragraph.get("kind") == "list_item" else text


def _table(rows: list[list[str]]) -> list[str]:
    """A figure's cells as a Markdown table, its first row the header; ragged rows padded."""
    width = max((len(r) for r in rows), default=0)
    if not width:
        return []
    cells = [[_inline(c or "") for c in r] + [""] * (width - len(r)) for r in rows]
    lines = [cells[0], ["---"] * width, *cells[1:]]
    return ["| " + " | ".join(line) + " |" for line in lines]


def _figure(figure: dict) -> str:
    """A figure as a quoted block: label and title, caption, cells, source. Quoted, because
    its words are not body text (the tables keep them out of `paragraphs` too)."""
    lines = [_lead(figure.get("label"), _inline(figure.get("title") or ""))]
    if figure.get("caption"):
        lines += ["", f"*{_inline(figure['caption'].strip())}*"]
    if figure.get("rows"):
        lines += ["", *_table(figure["rows"])]
    if figure.get("source"):
        lines += ["", _line_start(_inline(figure["source"]))]
    return "\n".join(f"> {line}" if line else ">" for line in lines)


def _heading(section: dict) -> str:
    return "#" * (min(max(section.get("level") or 1, 1), 5) + 1) + " " + _inline(section["heading"])


def _body(paper: Paper) -> list[tuple[str, str]]:
    """(kind, Markdown) of every heading, paragraph and figure, in reading order. The tables
    give a figure's page, not its place on it: it comes after the page's text."""
    notes = {n["number"] for n in paper.footnotes}
    by_section = paper.paragraphs_by_section()

    def paragraphs(section_id: str | None) -> list[tuple[int, str, str]]:
        return [
            (p["page_start"], p.get("kind") or "paragraph", _paragraph(p, notes))
            for p in by_section.get(section_id, [])
        ]

    flow = paragraphs(None)
    for section in paper.sections:
        flow += [(section["page"], "heading", _heading(section)), *paragraphs(section["section_id"])]
    figures = sorted(paper.figures, key=lambda f: (f["page"], f["figure_id"]))
    blocks: list[tuple[str, str]] = []
    for page, kind, markdown in flow:
        while figures and figures[0]["page"] < page:
            blocks.append(("figure", _figure(figures.pop(0))))
        blocks.append((kind, markdown))
    return blocks + [("figure", _figure(f)) for f in figures]


def _front_matter(paper: Paper) -> str:
    """YAML written as JSON values (JSON is YAML's flow style): any YAML reader takes it,
    and no YAML library is needed to write it."""
    fields = {
        "doc_id": paper.doc_id,
        "paper_id": paper.row["paper_id"],
        "title": paper.row.get("title"),
        "authors": [a["name"] for a in paper.authors],
        "source_file": paper.document.get("source_file"),
        "pages": [paper.row.get("page_start"), paper.row.get("page_end")],
    }
    return "\n".join(["---", *(f"{key}: {_json(value)}" for key, value in fields.items()), "---"])


def _byline(authors: list[dict]) -> str:
    """One line per author, name in bold, then the affiliation; Markdown line breaks between."""
    return "\\\n".join(
        f"**{_inline(a['name'])}**" + (f", {_inline(a['affiliation'])}" if a.get("affiliation") else "")
        for a in authors
    )


def _note(note: dict) -> str:
    urls = [f"<{u}>" if AUTOLINK.fullmatch(u) else _inline(u) for u in note.get("urls") or []]
    return " ".join([f"[^{note['number']}]:", _line_start(_inline(note.get("text") or "")), *urls]).rstrip()


def _markdown(paper: Paper) -> str:
    """The paper as one Markdown file; pull-quotes are left out, since they repeat its text."""
    blocks = [("front", _front_matter(paper)), ("title", "# " + _inline(paper.row.get("title") or ""))]
    if paper.authors:
        blocks.append(("byline", _byline(paper.authors)))
    blocks += _body(paper) + [("note", _note(n)) for n in paper.footnotes]
    joined: list[tuple[str, str]] = []
    for kind, text in blocks:  # list items in a row make one list: no blank line between them
        if kind == "list_item" and joined and joined[-1][0] == "list_item":
            joined[-1] = (kind, joined[-1][1] + "\n" + text)
        else:
            joined.append((kind, text))
    return "\n\n".join(text for _, text in joined) + "\n"


def _slug(title: str) -> str:
    """The title's first words in ASCII (accents dropped, apostrophes too: `china-s` reads
    badly), whole words up to SLUG_LENGTH characters."""
    letters = "".join(c for c in unicodedata.normalize("NFKD", title.lower()) if not unicodedata.combining(c))
    slug = ""
    for word in re.findall(r"[a-z0-9]+", re.sub(r"['’]", "", letters)):
        if len(slug) + len(word) + 1 > SLUG_LENGTH:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "paper"


def _markdown_name(paper: Paper) -> str:
    """`<position>-<paper_id>-<slug>.md`: sorts in reading order, unique within the document."""
    paper_id = re.sub(r"[^A-Za-z0-9_-]+", "-", paper.row["paper_id"])
    return f"{paper.row['position']:0{POSITION_WIDTH}d}-{paper_id}-{_slug(paper.row.get('title') or '')}.md"


def _write_markdown(papers: list[Paper], dest: Path, doc_id: str) -> int:
    """The document's files, each replaced atomically; files of papers it no longer has go."""
    folder = dest / doc_id
    folder.mkdir(parents=True, exist_ok=True)
    names = set()
    for paper in papers:
        name, text = _markdown_name(paper), _markdown(paper)
        names.add(name)
        replace_file(folder / name, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8", newline="\n"))
    for stale in folder.glob("*.md"):
        if stale.name not in names:
            stale.unlink()
    return len(papers)


WRITERS = {"markdown": _write_markdown, "jsonl": _write_jsonl}


# ---------------------------------------------------------------- the command


def export(out_dir: Path, fmt: str, dest: Path, doc_ids: tuple[str, ...] = ()) -> ExportSummary:
    """Export the documents of `out_dir` (those named in `doc_ids`, or all) to `dest` as `fmt`.

    Failed documents are skipped, and so is a document whose part files cannot all be
    read (listed in the summary's `unreadable`). Raises NotAnOutputFolder, UnknownDocuments,
    and OSError when `dest` cannot be written."""
    out_dir, dest = Path(out_dir), Path(dest)
    known = _document_ids(out_dir)
    unknown = [d for d in doc_ids if d not in known]
    if unknown:
        raise UnknownDocuments(f"{out_dir} has no document {', '.join(unknown)}; it has: {', '.join(known) or 'none'}")
    summary = ExportSummary(fmt, dest)
    dest.mkdir(parents=True, exist_ok=True)
    for doc_id in list(dict.fromkeys(doc_ids)) or known:
        try:
            document = next(iter(_rows(out_dir, "documents", doc_id)), None)
            failure = _failure(out_dir, doc_id, document)
            papers = [] if failure or document is None else _papers(out_dir, doc_id, document)
        except ValueError as err:
            summary.unreadable.append(f"{err}; document {doc_id} left out")
            continue
        if failure:
            log.info("skipped %s: it failed (%s)", doc_id, failure)
            summary.failed[doc_id] = failure
            continue
        assert document is not None  # without a documents row _failure names a failure
        summary.files += WRITERS[fmt](papers, dest, doc_id)
        summary.documents += 1
        summary.papers += len(papers)
        log.info("exported %s (%s): %d papers", doc_id, document.get("source_file"), len(papers))
    return summary
