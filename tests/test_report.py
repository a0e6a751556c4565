"""`compendium report`: one self-contained HTML page, checked in a real headless Chromium."""

from __future__ import annotations

import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pdfs
import pytest
from browser import Browser, chromium
from click.testing import CliRunner
from PIL import Image

from compendium_corpus.cli import main
from compendium_corpus.overlay import render_pages
from compendium_corpus.report import images_dir, paper_images

ROOT = Path(__file__).resolve().parents[1]
TWO_COLUMNS = ROOT / "raw" / "eu-china-crossroads-vol5.pdf"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [(tag, value) for name, value in attrs if name in ("href", "src", "action") and value]


@pytest.fixture(scope="module")
def report(sample_out, vol5_inspection, tmp_path_factory):
    """The sample's report, with inspect images for one paper (p02) drawn beforehand."""
    folder = tmp_path_factory.mktemp("report")
    page = folder / "report.html"
    doc_id = hashlib.sha256(TWO_COLUMNS.read_bytes()).hexdigest()[:16]
    paper = vol5_inspection.paper("p02")
    render_pages(
        vol5_inspection,
        list(range(paper.page_start, paper.page_end + 1)),
        paper_images(images_dir(page), doc_id, "p02"),
    )
    result = run("report", sample_out, "--html", page, "--json")
    assert result.exit_code == 0, result.output
    return page, json.loads(result.stdout), doc_id


def test_summary(report, sample_out):
    page, summary, _ = report
    assert summary["html"] == str(page) and summary["problems"] == []
    totals = summary["totals"]
    assert (totals["files"], totals["ok"], totals["failed"]) == (2, 2, 0)
    assert totals["pages"] == 77 + 105
    assert totals["papers"] == len(pd.read_parquet(sample_out / "papers"))
    assert totals["notes"] == len(pd.read_parquet(sample_out / "footnotes"))


def test_self_contained(report):
    page, _, _ = report
    text = page.read_text()
    parser = Links()
    parser.feed(text)
    assert "script" in parser.tags and "style" in parser.tags and "svg" in parser.tags
    loaded = [(t, url) for t, url in parser.urls if t != "a"]
    assert all(url.startswith("data:") for _, url in loaded), f"nothing is loaded from elsewhere: {loaded}"
    for _, url in parser.urls:
        parsed = urlparse(url)
        assert parsed.scheme in ("", "data") and not parsed.netloc, url
        if parsed.scheme == "" and parsed.path:
            assert (page.parent / unquote(parsed.path)).is_file(), f"broken link {url}"
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text


def test_content(report, sample_out):
    page, _, doc_id = report
    text = html.unescape(page.read_text())
    for title in pd.read_parquet(sample_out / "papers")["title"]:
        assert title in text
    for name in ("eu-china-crossroads-vol5.pdf", "eu-china-crossroads-vol5-onecol.pdf"):
        assert name in text
    for d in pd.read_parquet(sample_out / "documents").itertuples():
        # the documents table's row: kept, furniture and dropped shares of the printed characters
        shares = [f"{c / d.chars_total:.1%}" for c in (d.chars_kept, d.chars_furniture, d.chars_dropped)]
        row = next(r for r in text.split("<tr") if f">{d.source_file}<" in r and "<td" in r)
        assert [s in row for s in shares] == [True] * 3, (row, shares)
    diagnostics = pd.read_parquet(sample_out / "diagnostics")
    assert text.count('<tr data-severity="') == len(diagnostics)
    for code in diagnostics["code"]:
        assert code in text
    # p02 of the two-column volume links to its drawn pages, the others do not
    links = [f"report-inspect/{doc_id}/p02/page-{n:03d}.png" for n in (18, 19, 20, 21)]
    assert all(f'href="{link}"' in text for link in links)
    assert text.count('class="inspect"') >= len(links)


@pytest.mark.browser
def test_opens_in_headless_chromium(report, tmp_path):
    if chromium() is None:
        pytest.skip("no chromium on the PATH (make test installs Debian's where apt-get may run)")
    page, summary, doc_id = report
    with Browser(tmp_path / "profile") as browser:
        tab = browser.open(page.as_uri())
        assert browser.problems(tab) == [], "the page loads with no console error"
        assert browser.requests(tab) == [page.as_uri()], "nothing but the page itself is loaded"
        charts = browser.evaluate(
            tab,
            """Array.from(document.querySelectorAll('svg.chart')).map(svg => ({
            id: svg.id, bars: svg.querySelectorAll('g.bar rect').length,
            width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height}))""",
        )
        assert len(charts) == 3 * 2, "notes and words per paper, recommendations per chapter, per document"
        for chart in charts:
            assert chart["bars"] >= 6 and chart["width"] > 300 and chart["height"] > 100, chart
        assert {c["id"].split("-")[0] for c in charts} == {"notes", "words", "recs"}
        # the diagnostics filters work
        total = summary["totals"]["diagnostics"]
        shown = browser.evaluate(tab, "document.getElementById('diagnostics-shown').textContent")
        assert shown == f"{total} of {total} shown"
        infos = browser.evaluate(
            tab,
            """(() => {
            const select = document.querySelector('select[data-filter=severity]');
            select.value = 'info'; select.dispatchEvent(new Event('change'));
            const rows = Array.from(document.querySelectorAll('#diagnostics tbody tr')).filter(r => !r.hidden);
            return rows.map(r => r.dataset.severity);
        })()""",
        )
        assert infos and set(infos) == {"info"}
        searched = browser.evaluate(
            tab,
            """(() => {
            document.querySelector('select[data-filter=severity]').value = '';
            const box = document.querySelector('input[data-filter=text]');
            box.value = 'never cited'; box.dispatchEvent(new Event('input'));
            return Array.from(document.querySelectorAll('#diagnostics tbody tr')).filter(r => !r.hidden)
                .map(r => r.dataset.code);
        })()""",
        )
        assert searched and set(searched) == {"note-never-cited"}
        # a click on a heading sorts its table
        order = browser.evaluate(
            tab,
            """(() => {
            const table = document.querySelector('table.papers'); const th = table.tHead.rows[0].cells[6];
            th.click(); th.click();
            return Array.from(table.tBodies[0].rows).map(r => Number(r.cells[6].textContent.replace(/,/g, '')));
        })()""",
        )
        assert order == sorted(order, reverse=True)
        # an inspect link leads to its image
        width = browser.evaluate(
            tab,
            """new Promise(done => {
            const img = new Image(); img.onload = () => done(img.naturalWidth); img.onerror = () => done(0);
            img.src = document.querySelector('a.inspect').href; })""",
        )
        assert width > 800
        shot = browser.screenshot(tab, tmp_path / "report.png")
        assert browser.problems(tab) == []
    with Image.open(shot) as image:
        assert image.width >= 1200 and image.height > 2000
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 24)) > 50, "a rendered page, not a blank one"


# ---------------------------------------------------------------- a corpus with a failure


@pytest.fixture
def small_out(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    pdfs.tiny_compendium(folder / "tiny.pdf")
    (folder / "empty.pdf").write_bytes(b"")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(folder), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    return out


def test_failed_files_and_inspect_images(small_out):
    result = run("report", small_out, "--inspect")
    assert result.exit_code == 0, result.output
    page = small_out / "_report.html"
    assert re.fullmatch(
        rf"report {re.escape(str(page))}  \(2 files, 1 papers, \d+ diagnostics, 1 inspect images\)\n", result.stdout
    )
    text = page.read_text()
    assert '<span class="status-failed">failed</span> <code>empty-file</code>' in text
    assert '<span class="status-ok">ok</span>' in text
    images = list((small_out / "_report-inspect").rglob("page-*.png"))
    assert [p.name for p in images] == ["page-001.png"]
    assert f'href="_report-inspect/{images[0].relative_to(small_out / "_report-inspect").as_posix()}"' in text


def test_not_a_corpus(tmp_path):
    result = run("report", tmp_path)
    assert result.exit_code == 2 and "holds no tables" in result.stderr


def test_verbosity(small_out):
    loud = run("-v", "report", small_out)
    assert "INFO: report written to" in loud.stderr
    quiet = run("-q", "report", small_out)
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
