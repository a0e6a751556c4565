"""`compendium report`: one self-contained HTML page about a corpus.

What is in the corpus and how good it is, at a glance: every input file with
its status and page count; per document, its chapters and papers with words,
paragraphs, notes, recommendations and pull-quotes; bar charts (notes and words
per paper, recommendations per chapter) drawn as inline SVG; the diagnostics
table with filters; and from each paper, links to its `inspect` images. The
page loads nothing from anywhere: CSS, SVG and the few lines of script are
inline, and the only links are relative ones to those images.
"""

from __future__ import annotations

import html
import json
import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from compendium_corpus.manifest import MANIFEST, ManifestDamaged, read_manifest, rebuild_manifest
from compendium_corpus.partitions import read_good_parts
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.source import engine_of

log = logging.getLogger(__name__)
SEVERITIES = ("error", "warning", "info")


def default_html(out_dir: Path) -> Path:
    """Beside the tables, under a name Parquet readers skip."""
    return Path(out_dir) / "_report.html"


def images_dir(html_path: Path) -> Path:
    """Where the report looks for (and `--inspect` renders) inspect images:
    `<html stem>-inspect/<doc_id>/<paper_id>/page-NNN.png`, beside the HTML file."""
    return html_path.with_name(f"{html_path.stem}-inspect")


def paper_images(images: Path, doc_id: str, paper_id: str) -> Path:
    return images / doc_id / paper_id


def load_table(out_dir: Path, name: str, problems: list[str]) -> pd.DataFrame:
    """A table as a DataFrame with `doc_id` as plain strings, from every part file that
    reads (the others are added to `problems`); an empty frame with its columns when the
    corpus has no such table."""
    if (Path(out_dir) / name).is_dir():
        table, missed = read_good_parts(out_dir, name)
        problems += missed
        return table.to_pandas()
    return pd.DataFrame(columns=list(TABLES[name].model_fields))


def load_manifest(out_dir: Path, problems: list[str]) -> pd.DataFrame | None:
    """The manifest, or what the partitions tell of it when it is damaged (with a problem)."""
    try:
        entries = read_manifest(out_dir)
    except ManifestDamaged as err:
        entries = rebuild_manifest(out_dir)
        problems.append(f"{err}; the files are listed from the partitions")
    if not entries:
        return None
    return pd.DataFrame([asdict(e) for e in entries.values()])


class CorpusMissing(Exception):
    """The folder holds neither tables nor a manifest."""


@dataclass
class Corpus:
    out_dir: Path
    tables: dict[str, pd.DataFrame]
    manifest: pd.DataFrame | None
    problems: list[str]  # files that could not be read, and were left out

    @classmethod
    def load(cls, out_dir: Path) -> Corpus:
        problems: list[str] = []
        tables = {name: load_table(out_dir, name, problems) for name in TABLES}
        return cls(Path(out_dir), tables, load_manifest(out_dir, problems), problems)

    def of(self, table: str, doc_id: str) -> pd.DataFrame:
        frame = self.tables[table]
        return frame[frame["doc_id"] == doc_id]


# ---------------------------------------------------------------- numbers


def _words(text) -> int:
    return len(str(text).split()) if isinstance(text, str) else 0


def paper_stats(corpus: Corpus, doc_id: str) -> pd.DataFrame:
    """One row per paper: words, paragraphs, notes, recommendations, pull-quotes,
    figures, diagnostics, authors."""
    papers = corpus.of("papers", doc_id).sort_values("position")
    paragraphs = corpus.of("paragraphs", doc_id)
    words = (
        (paragraphs["text"].map(_words) + paragraphs["lead"].map(_words)).groupby(paragraphs["paper_id"]).sum()
        if len(paragraphs)
        else pd.Series(dtype=int)
    )

    def count(table: str) -> pd.Series:
        frame = corpus.of(table, doc_id)
        return frame.groupby("paper_id").size() if len(frame) else pd.Series(dtype=int)

    authors = corpus.of("authors", doc_id).sort_values("position")
    names = authors.groupby("paper_id")["name"].agg(", ".join) if len(authors) else pd.Series(dtype=str)
    stats = papers[["paper_id", "chapter_id", "position", "title", "page_start", "page_end"]].copy()
    stats["authors"] = [names.get(pid, "") for pid in stats["paper_id"]]
    stats["words"] = stats["paper_id"].map(words)
    for column, table in (
        ("paragraphs", "paragraphs"),
        ("notes", "footnotes"),
        ("recommendations", "recommendations"),
        ("pull_quotes", "pull_quotes"),
        ("figures", "figures"),
        ("diagnostics", "diagnostics"),
    ):
        stats[column] = stats["paper_id"].map(count(table))
    numeric = ["words", "paragraphs", "notes", "recommendations", "pull_quotes", "figures", "diagnostics"]
    stats[numeric] = stats[numeric].fillna(0).astype(int)
    return stats


def chapter_stats(corpus: Corpus, doc_id: str, papers: pd.DataFrame) -> pd.DataFrame:
    """One row per chapter (and one for papers outside any chapter), summed over its papers."""
    chapters = corpus.of("chapters", doc_id).sort_values("number")
    numeric = ["words", "paragraphs", "notes", "recommendations", "pull_quotes"]
    sums = papers.assign(chapter_id=papers["chapter_id"].fillna("")).groupby("chapter_id")[numeric].sum()
    counts = papers.assign(chapter_id=papers["chapter_id"].fillna("")).groupby("chapter_id").size()
    rows = [
        {
            "chapter_id": c.chapter_id,
            "number": int(c.number),
            "title": c.title,
            "papers": int(counts.get(c.chapter_id, 0)),
            **{k: int(sums[k].get(c.chapter_id, 0)) for k in numeric},
        }
        for c in chapters.itertuples()
    ]
    if "" in counts.index:
        rows.append(
            {
                "chapter_id": "",
                "number": None,
                "title": "(outside any chapter)",
                "papers": int(counts[""]),
                **{k: int(sums[k][""]) for k in numeric},
            }
        )
    return pd.DataFrame(rows, columns=["chapter_id", "number", "title", "papers", *numeric])


# ---------------------------------------------------------------- HTML pieces

e = html.escape


def _num(value) -> str:
    return "" if value is None or value != value else f"{int(value):,}"


def bar_chart(chart_id: str, title: str, items: list[tuple[str, str, float]], unit: str) -> str:
    """Horizontal bars as inline SVG: (short label, full label for the tooltip, value)."""
    label_w, bar_w, row_h, top = 280, 420, 22, 30
    width, height = label_w + bar_w + 70, top + row_h * max(1, len(items)) + 10
    peak = max((v for _, _, v in items), default=0) or 1
    parts = [
        f'<svg class="chart" id="{e(chart_id)}" role="img" aria-label="{e(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{e(title)}</title>",
        f'<text x="0" y="18" class="chart-title">{e(title)}</text>',
    ]
    if not items:
        parts.append(f'<text x="0" y="{top + 14}" class="chart-empty">nothing to show</text>')
    for i, (label, full, value) in enumerate(items):
        y = top + i * row_h
        w = bar_w * value / peak
        short = label if len(label) <= 38 else label[:37].rstrip() + "…"
        parts.append(
            f'<g class="bar"><title>{e(full)}: {value:,.0f} {e(unit)}</title>'
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{e(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" rx="2"></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}" class="value">{value:,.0f}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(columns: list[tuple[str, str]], rows: list[list[str]], table_id: str = "", cls: str = "") -> str:
    """columns: (heading, css class) ; rows: cells as ready HTML."""
    head = "".join(f'<th class="{c}">{e(h)}</th>' for h, c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td class="{columns[i][1]}">{cell}</td>' for i, cell in enumerate(row)) + "</tr>"
        for row in rows
    )
    ident = f' id="{table_id}"' if table_id else ""
    return f'<table{ident} class="sortable {cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _relative(target: Path, start: Path) -> str:
    import os

    return Path(os.path.relpath(target, start)).as_posix()


def _image_links(images: Path | None, html_dir: Path, doc_id: str, paper_id: str) -> str:
    if images is None:
        return ""
    folder = paper_images(images, doc_id, paper_id)
    files = sorted(folder.glob("page-*.png")) if folder.is_dir() else []
    return " ".join(
        f'<a href="{e(_relative(f, html_dir))}" class="inspect">{int(f.stem.split("-")[1])}</a>' for f in files
    )


def _documents(corpus: Corpus) -> list[dict]:
    """Every input: manifest rows (status, code) joined with documents rows (title,
    pages); without a manifest, the documents rows with the status they record."""
    documents = corpus.tables["documents"].set_index("doc_id") if len(corpus.tables["documents"]) else None
    out: list[dict] = []
    seen: set[str | None] = set()
    if corpus.manifest is not None:
        for m in corpus.manifest.itertuples():
            doc_id = m.doc_id if isinstance(m.doc_id, str) else None
            row = documents.loc[doc_id] if documents is not None and doc_id in documents.index else None
            if row is not None and row.get("status") == "failed":
                row = None  # the manifest says why it failed; its row holds nothing more
            seen.add(doc_id)
            out.append(
                {
                    "doc_id": doc_id,
                    "file": Path(m.source_path).name,
                    "source_path": m.source_path,
                    "status": m.status,
                    "code": m.code if isinstance(m.code, str) else "",
                    "message": m.message if isinstance(m.message, str) else "",
                    "title": row["title"] if row is not None else "",
                    "pages": int(row["page_count"]) if row is not None else (m.pages if m.pages == m.pages else None),
                    "extracted": row is not None,
                    "seconds": m.extract_seconds,
                    "engine": engine_of(m.pipeline_version),
                    "shares": _shares(row),
                }
            )
    if documents is not None:
        for doc_id, row in documents.iterrows():
            if doc_id not in seen:
                failed = row.get("status") == "failed"
                out.append(
                    {
                        "doc_id": doc_id,
                        "file": row["source_file"],
                        "source_path": None,
                        "status": "failed" if failed else "ok",
                        "code": row.get("error_code") or "",
                        "message": "",
                        "title": row["title"],
                        "pages": None if failed else int(row["page_count"]),
                        "extracted": not failed,
                        "seconds": None,
                        "engine": engine_of(row["pipeline_version"]),
                        "shares": None if failed else _shares(row),
                    }
                )
    return out


def _shares(row) -> tuple[float, float, float] | None:
    """The shares of a document's printing characters kept in some table, set apart as
    running furniture and dropped (from its documents row), or None where not counted."""
    if row is None:
        return None
    counts = [row.get(f"chars_{k}") for k in ("kept", "furniture", "dropped")]
    total = row.get("chars_total")
    if any(c is None or pd.isna(c) for c in counts) or total is None or pd.isna(total) or not total:
        return None
    kept, furniture, dropped = (float(c) / float(total) for c in counts)
    return kept, furniture, dropped


CSS = """
:root { --ink:#1d2733; --muted:#5b6b7b; --line:#d9e0e7; --bar:#2f6db5; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       margin: 0; background: white; }
header.top { background: #1d3557; color: white; padding: 18px 28px; }
header.top h1 { margin: 0 0 4px; font-size: 22px; }
header.top p { margin: 0; color: #d5e2f0; }
main { padding: 12px 28px 40px; max-width: 1400px; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
h3 { margin: 22px 0 8px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.card b { display: block; font-size: 20px; }
.card span { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); position: sticky; top: 0; cursor: pointer; user-select: none; }
th.sorted-asc::after { content: " ▲"; } th.sorted-desc::after { content: " ▼"; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.msg { max-width: 640px; }
.status-ok { color: #1b7f3b; font-weight: 600; } .status-failed { color: #b3261e; font-weight: 600; }
.sev-error { color: #b3261e; font-weight: 600; } .sev-warning { color: #9a6700; } .sev-info { color: var(--muted); }
details.doc { border: 1px solid var(--line); border-radius: 6px; padding: 4px 14px 10px; margin: 14px 0; }
details.doc > summary { cursor: pointer; font-size: 17px; font-weight: 600; padding: 6px 0; }
.meta { color: var(--muted); margin: 4px 0 10px; }
.charts { display: flex; flex-wrap: wrap; gap: 18px 30px; }
svg.chart { font: 12px system-ui, "DejaVu Sans", sans-serif; background: white; }
svg.chart .chart-title { font-weight: 600; font-size: 13px; }
svg.chart rect { fill: var(--bar); } svg.chart .bar:hover rect { fill: #e07a1f; }
svg.chart .value { fill: var(--muted); } svg.chart .chart-empty { fill: var(--muted); }
a.inspect { display: inline-block; padding: 0 4px; margin: 1px; border: 1px solid var(--line); border-radius: 3px;
            text-decoration: none; font-size: 12px; }
.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 8px 0; }
.filters input, .filters select { font: inherit; padding: 3px 6px; }
.hint { color: var(--muted); font-size: 12px; }
code { background: var(--bg); padding: 0 3px; border-radius: 3px; }
"""

SCRIPT = """
(function () {
  "use strict";
  // Diagnostics filters: free text, severity, document, stage.
  var table = document.getElementById("diagnostics");
  var shown = document.getElementById("diagnostics-shown");
  var controls = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  function apply() {
    var rows = table ? table.tBodies[0].rows : [];
    var text = "", picks = {};
    controls.forEach(function (c) {
      if (c.dataset.filter === "text") { text = c.value.trim().toLowerCase(); }
      else if (c.value) { picks[c.dataset.filter] = c.value; }
    });
    var n = 0;
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], ok = !text || row.textContent.toLowerCase().indexOf(text) >= 0;
      Object.keys(picks).forEach(function (key) { ok = ok && row.dataset[key] === picks[key]; });
      row.hidden = !ok;
      if (ok) { n++; }
    }
    if (shown) { shown.textContent = n + " of " + rows.length + " shown"; }
  }
  controls.forEach(function (c) { c.addEventListener("input", apply); c.addEventListener("change", apply); });
  apply();
  // Click a column heading to sort by it; again to reverse.
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable th"), function (th) {
    th.addEventListener("click", function () {
      var tbl = th.closest("table"), body = tbl.tBodies[0], index = th.cellIndex;
      var asc = !th.classList.contains("sorted-asc");
      Array.prototype.forEach.call(tbl.tHead.rows[0].cells,
        function (c) { c.classList.remove("sorted-asc", "sorted-desc"); });
      th.classList.add(asc ? "sorted-asc" : "sorted-desc");
      var rows = Array.prototype.slice.call(body.rows);
      function key(row) {
        var cell = row.cells[index], raw = cell ? (cell.dataset.sort || cell.textContent.trim()) : "";
        var num = parseFloat(raw.replace(/,/g, ""));
        return isNaN(num) || !/^-?[\\d,.]+$/.test(raw) ? raw.toLowerCase() : num;
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (typeof x !== typeof y) { x = String(x); y = String(y); }
        return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
"""


def _document_section(corpus: Corpus, doc: dict, images: Path | None, html_dir: Path, is_open: bool) -> str:
    doc_id = doc["doc_id"]
    meta_row = corpus.of("documents", doc_id)
    meta = meta_row.iloc[0] if len(meta_row) else None
    papers = paper_stats(corpus, doc_id)
    chapters = chapter_stats(corpus, doc_id, papers)
    diagnostics = corpus.of("diagnostics", doc_id)
    severities = diagnostics["severity"].value_counts() if len(diagnostics) else {}
    parts = [
        f'<details class="doc" id="doc-{e(doc_id)}"{" open" if is_open else ""}>',
        f'<summary>{e(doc["title"] or doc["file"])} <span class="hint">{e(doc["file"])}</span></summary>',
    ]
    if meta is not None:
        facts = [
            ("series", meta["series"]),
            ("volume", meta["volume"]),
            ("editor", meta["editor"]),
            ("publisher", meta["publisher"]),
            ("doc_id", doc_id),
            ("pipeline", meta["pipeline_version"]),
        ]
        parts.append(
            '<p class="meta">'
            + " · ".join(f"{k}: <b>{e(str(v))}</b>" for k, v in facts if isinstance(v, str) and v)
            + "</p>"
        )
    cards = [
        ("pages", doc["pages"]),
        ("chapters", len(chapters[chapters["chapter_id"] != ""])),
        ("papers", len(papers)),
        ("words", papers["words"].sum()),
        ("paragraphs", papers["paragraphs"].sum()),
        ("notes", papers["notes"].sum()),
        ("recommendations", papers["recommendations"].sum()),
        ("pull-quotes", papers["pull_quotes"].sum()),
        ("figures", papers["figures"].sum()),
        *((f"{s} diagnostics", severities.get(s, 0)) for s in SEVERITIES),
    ]
    parts.append(
        '<div class="cards">'
        + "".join(f"<div class=card><b>{_num(v)}</b><span>{e(k)}</span></div>" for k, v in cards)
        + "</div>"
    )
    if len(chapters):
        parts.append("<h3>Chapters</h3>")
        parts.append(
            _table(
                [
                    ("#", "n"),
                    ("chapter", ""),
                    ("papers", "n"),
                    ("words", "n"),
                    ("paragraphs", "n"),
                    ("notes", "n"),
                    ("recommendations", "n"),
                    ("pull-quotes", "n"),
                ],
                [
                    [
                        _num(c.number),
                        e(c.title),
                        _num(c.papers),
                        _num(c.words),
                        _num(c.paragraphs),
                        _num(c.notes),
                        _num(c.recommendations),
                        _num(c.pull_quotes),
                    ]
                    for c in chapters.itertuples()
                ],
                cls="chapters",
            )
        )
    parts.append("<h3>Papers</h3>")
    rows = []
    any_images = False
    for p in papers.itertuples():
        links = _image_links(images, html_dir, doc_id, p.paper_id)
        any_images = any_images or bool(links)
        rows.append(
            [
                _num(p.position),
                e(p.paper_id),
                e(p.chapter_id if isinstance(p.chapter_id, str) else ""),
                e(p.title),
                e(p.authors),
                f"{p.page_start}–{p.page_end}",
                _num(p.words),
                _num(p.paragraphs),
                _num(p.notes),
                _num(p.recommendations),
                _num(p.pull_quotes),
                _num(p.figures),
                _num(p.diagnostics),
                links or '<span class="hint">–</span>',
            ]
        )
    parts.append(
        _table(
            [
                ("#", "n"),
                ("paper", ""),
                ("chapter", ""),
                ("title", ""),
                ("authors", ""),
                ("pages", ""),
                ("words", "n"),
                ("paragraphs", "n"),
                ("notes", "n"),
                ("recommendations", "n"),
                ("pull-quotes", "n"),
                ("figures", "n"),
                ("diagnostics", "n"),
                ("inspect (pages)", ""),
            ],
            rows,
            cls="papers",
        )
    )
    if not any_images and doc["source_path"]:
        parts.append(
            f'<p class="hint">No inspect images yet: <code>compendium report {e(str(corpus.out_dir))} '
            f"--inspect</code> renders them, or <code>compendium inspect {e(doc['source_path'])} "
            f"--paper p01</code> one paper.</p>"
        )
    label = {p.paper_id: f"{p.paper_id} {p.title}" for p in papers.itertuples()}
    charts = [
        bar_chart(
            f"notes-{doc_id}",
            "Notes per paper",
            [(label[p.paper_id], label[p.paper_id], p.notes) for p in papers.itertuples()],
            "notes",
        ),
        bar_chart(
            f"words-{doc_id}",
            "Words per paper",
            [(label[p.paper_id], label[p.paper_id], p.words) for p in papers.itertuples()],
            "words",
        ),
        bar_chart(
            f"recs-{doc_id}",
            "Recommendations per chapter",
            [
                (
                    f"{'' if c.number is None or c.number != c.number else f'{int(c.number)} '}{c.title}",
                    c.title,
                    c.recommendations,
                )
                for c in chapters.itertuples()
            ],
            "recommendations",
        ),
    ]
    parts.append('<h3>Charts</h3><div class="charts">' + "".join(charts) + "</div>")
    parts.append("</details>")
    return "".join(parts)


def _diagnostics_section(corpus: Corpus, files: dict[str, str], images: Path | None, html_dir: Path) -> str:
    frame = corpus.tables["diagnostics"]
    if len(frame):
        order = {s: i for i, s in enumerate(SEVERITIES)}
        frame = frame.assign(_o=frame["severity"].map(order)).sort_values(["_o", "doc_id", "page"], na_position="first")
    stages = sorted(frame["stage"].dropna().unique()) if len(frame) else []
    codes = sorted(frame["code"].dropna().unique()) if len(frame) else []

    def select(name: str, label: str, values, names=None) -> str:
        options = "".join(f'<option value="{e(v)}">{e((names or {}).get(v, v))}</option>' for v in values)
        return f'<label>{label} <select data-filter="{name}"><option value="">all</option>{options}</select></label>'

    controls = (
        '<div class="filters"><label>search <input type="search" data-filter="text" '
        'placeholder="words in any column"></label>'
        + select("severity", "severity", SEVERITIES)
        + select("doc", "document", list(files), files)
        + select("stage", "stage", stages)
        + select("code", "code", codes)
        + '<span class="hint" id="diagnostics-shown"></span></div>'
    )
    rows = []
    for d in frame.itertuples():
        page = "" if d.page is None or d.page != d.page else str(int(d.page))
        paper = d.paper_id if isinstance(d.paper_id, str) else ""
        image = (
            paper_images(images, d.doc_id, paper) / f"page-{int(page):03d}.png" if images and page and paper else None
        )
        if image is not None and image.is_file():
            page = f'<a href="{e(_relative(image, html_dir))}" class="inspect">{page}</a>'
        rows.append(
            f'<tr data-severity="{e(d.severity)}" data-doc="{e(d.doc_id)}" data-stage="{e(d.stage)}" '
            f'data-code="{e(d.code)}"><td class="sev-{e(d.severity)}">{e(d.severity)}</td>'
            f"<td>{e(files.get(d.doc_id, d.doc_id))}</td><td>{e(d.stage)}</td><td>{e(d.code)}</td>"
            f'<td class="n">{page}</td><td>{e(paper)}</td><td class="msg">{e(d.message)}</td></tr>'
        )
    head = "".join(
        f'<th class="{c}">{h}</th>'
        for h, c in (
            ("severity", ""),
            ("document", ""),
            ("stage", ""),
            ("code", ""),
            ("page", "n"),
            ("paper", ""),
            ("message", ""),
        )
    )
    return (
        f'<h2 id="diagnostics-heading">Diagnostics</h2>{controls}'
        f'<table id="diagnostics" class="sortable"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def render_html(corpus: Corpus, html_path: Path, images: Path | None) -> tuple[str, dict]:
    """The report page and a summary of what it shows."""
    docs = _documents(corpus)
    html_dir = html_path.parent
    extracted = [d for d in docs if d["extracted"]]
    files = {d["doc_id"]: d["file"] for d in docs if d["doc_id"]}
    t = corpus.tables
    words = int(sum(_words(x) for x in t["paragraphs"]["text"]) + sum(_words(x) for x in t["paragraphs"]["lead"]))
    totals = {
        "files": len(docs),
        "ok": sum(d["status"] == "ok" for d in docs),
        "failed": sum(d["status"] != "ok" for d in docs),
        "pages": int(sum(d["pages"] or 0 for d in extracted)),
        "papers": len(t["papers"]),
        "words": words,
        "paragraphs": len(t["paragraphs"]),
        "notes": len(t["footnotes"]),
        "recommendations": len(t["recommendations"]),
        "pull_quotes": len(t["pull_quotes"]),
        "figures": len(t["figures"]),
        "diagnostics": len(t["diagnostics"]),
    }
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cards = "".join(
        f"<div class=card><b>{_num(v)}</b><span>{e(k.replace('_', '-'))}</span></div>" for k, v in totals.items()
    )
    doc_rows = []
    for d in docs:
        status = f'<span class="status-{"ok" if d["status"] == "ok" else "failed"}">{e(d["status"])}</span>'
        if d["code"]:
            status += f" <code>{e(d['code'])}</code>"
        name = f'<a href="#doc-{e(d["doc_id"])}">{e(d["file"])}</a>' if d["extracted"] else e(d["file"])
        shares = [f"{v:.1%}" for v in d["shares"]] if d["shares"] else ["", "", ""]
        doc_rows.append(
            [
                name,
                e(d["title"]),
                _num(d["pages"]),
                status,
                e(d["message"]),
                *shares,
                "" if d["seconds"] is None or d["seconds"] != d["seconds"] else f"{d['seconds']:.1f}",
                e(d["doc_id"] or ""),
            ]
        )
    documents = _table(
        [
            ("file", ""),
            ("title", ""),
            ("pages", "n"),
            ("status", ""),
            ("message", "msg"),
            ("kept", "n"),
            ("furniture", "n"),
            ("dropped", "n"),
            ("seconds", "n"),
            ("doc_id", ""),
        ],
        doc_rows,
        table_id="documents",
    )
    sections = "".join(_document_section(corpus, d, images, html_dir, is_open=len(extracted) <= 5) for d in extracted)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="compendium">
<title>Corpus report: {e(str(corpus.out_dir))}</title>
<link rel="icon" href="data:,">
<style>{CSS}</style>
</head>
<body>
<header class="top"><h1>Corpus report</h1>
<p>{e(str(corpus.out_dir.resolve()))} · {totals["files"]} files · generated {generated}</p></header>
<main>
<div class="cards">{cards}</div>
<h2>Documents</h2>
{documents}
<h2>Contents and charts</h2>
{sections or '<p class="hint">No document was extracted.</p>'}
{_diagnostics_section(corpus, files, images, html_dir)}
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""
    return page, totals


def write_report(
    out_dir: Path,
    html_path: Path | None = None,
    inspect: bool = False,
    password: str | None = None,
    resolution: int = 100,
) -> dict:
    """Write the report (and, with `inspect`, every paper's inspect images first);
    return a summary for `--json`."""
    out_dir = Path(out_dir)
    html_path = Path(html_path) if html_path else default_html(out_dir)
    images = images_dir(html_path)
    if not (out_dir / MANIFEST).is_file() and not any((out_dir / name).is_dir() for name in TABLES):
        raise CorpusMissing(f"{out_dir} holds no tables and no {MANIFEST}: not an extract output folder")
    corpus = Corpus.load(out_dir)
    rendered: list[str] = []
    problems: list[str] = list(corpus.problems)
    if inspect:
        rendered, unrendered = render_inspect_images(corpus, images, password, resolution)
        problems += unrendered
    page, totals = render_html(corpus, html_path, images)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = html_path.with_name(f".{html_path.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(html_path)
    log.info("report written to %s", html_path)
    return {
        "html": str(html_path),
        "images": str(images),
        "images_rendered": len(rendered),
        "problems": problems,
        "totals": totals,
    }


def render_inspect_images(
    corpus: Corpus, images: Path, password: str | None = None, resolution: int = 100
) -> tuple[list[str], list[str]]:
    """Every page of every paper of every extracted document whose PDF is still where
    the manifest says, with the same bytes."""
    from compendium_corpus.errors import ExtractionError
    from compendium_corpus.inputs import file_sha256
    from compendium_corpus.overlay import inspect_pdf, render_pages

    rendered: list[str] = []
    problems: list[str] = []
    for doc in _documents(corpus):
        if not doc["extracted"]:
            continue
        source = Path(doc["source_path"]) if doc["source_path"] else None
        if source is None or not source.is_file():
            problems.append(f"{doc['file']}: source PDF not found; no inspect images")
            continue
        if file_sha256(source)[:16] != doc["doc_id"]:
            problems.append(f"{doc['file']}: {source} changed since it was extracted; no inspect images")
            continue
        log.info("inspecting %s", source.name)
        try:
            inspection = inspect_pdf(source, password, doc["engine"])
        except ExtractionError as err:
            problems.append(f"{doc['file']}: {err.code}: {err.message}")
            continue
        for paper in inspection.structure.papers:
            pages = list(range(paper.page_start, paper.page_end + 1))
            for result in render_pages(
                inspection, pages, paper_images(images, doc["doc_id"], paper.paper_id), resolution, password
            ):
                rendered.append(result["file"])
    return rendered, problems


def summary_json(summary: dict) -> str:
    return json.dumps(summary, indent=2, default=str)
