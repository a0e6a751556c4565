"""typeset (the dev tool behind `make variants`): the truth's markup becomes type, notes
are placed as the variant sets them, and the truth emitted for a variant describes its
PDF. The rendering tests set one chapter of the sample (two papers, one with the
authors' note slips) in two variants and read the PDF back with pdfplumber; they need
the typeset extra (WeasyPrint), which the dev install leaves out."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from typeset.compose import NoteMarkers
from typeset.markup import inline, plain
from typeset.variants import VARIANTS

ROOT = Path(__file__).resolve().parents[1]
TRUTH = ROOT / "tests" / "truth" / "eu-china-crossroads-vol5.truth.json"
needs_weasyprint = pytest.mark.skipif(
    importlib.util.find_spec("weasyprint") is None,
    reason="WeasyPrint is not installed: the typeset extra comes with `make variants`, not the dev install",
)


# ------------------------------------------------------------ markup


def test_markup_becomes_typography_and_keeps_the_words():
    text = r"See **[the outlook \[2019\]](#)** and *Nature*,[^3] p. 4.[^12]"
    html = inline(text, marker=lambda n: f"<sup>{n}</sup>", urls=iter(["https://example.org/a"]))
    assert html == (
        'See <b><a href="https://example.org/a">the outlook [2019]</a></b> and <i>Nature</i>,'
        "<sup>3</sup> p. 4.<sup>12</sup>"
    )
    assert plain(text) == "See the outlook [2019] and Nature, p. 4."


def test_text_is_escaped_and_links_without_urls_point_nowhere():
    assert inline("R&D <b> [site](#)") == 'R&amp;D &lt;b&gt; <a href="#">site</a>'


# ------------------------------------------------------------ note placement

PAPER = {
    "id": "p09",
    "footnotes": [{"number": n, "text": f"Note {n}.", "links": []} for n in (1, 2, 3, 4)],
    "blocks": [
        {"type": "paragraph", "text": "One.[^1] Two.[^2] Again.[^2] Five.[^5]"},
        {"type": "paragraph", "text": "Four.[^4]"},
    ],
}


def test_page_foot_notes_float_from_their_first_marker():
    markers = NoteMarkers(PAPER, footnotes=True)
    first, again, missing = markers(2), markers(2), markers(5)
    assert 'class="footnote" id="p09-n2"' in first and 'id="p09-c2"' in first
    # note 3 is never cited: it floats, without a call, right after note 2
    assert first.index("p09-n2") < first.index('class="footnote uncited" id="p09-n3"')
    assert again == '<sup class="note-ref">2</sup>'
    assert missing == '<sup class="note-ref" id="p09-c5">5</sup>'


def test_endnote_markers_are_superscripts_and_an_uncited_first_note_closes_the_body():
    assert NoteMarkers(PAPER, footnotes=False)(1) == '<sup class="note-ref" id="p09-c1">1</sup>'
    paper = {**PAPER, "blocks": [{"type": "paragraph", "text": "Only two.[^2]"}]}
    markers = NoteMarkers(paper, footnotes=True)
    assert 'id="p09-n1"' in markers.orphans()
    assert "p09-n3" in markers(2)


# ------------------------------------------------------------ a rendered chapter


def _one_chapter(truth: dict) -> dict:
    """The sample with its first chapter only, and the contents rows that point into it."""
    out = dict(truth, chapters=truth["chapters"][:1])
    out["toc"] = [r for r in truth["toc"] if r["kind"] == "front" or r["chapter"] == 1]
    return out


@pytest.fixture(scope="module", params=["letter2col", "a4twocol_roman"])
def rendered(request, tmp_path_factory):
    """(emitted truth, the PDF's text per page as a list of words)."""
    import pdfplumber

    from typeset.compose import compose
    from typeset.render import render
    from typeset.truth import variant_truth

    variant = VARIANTS[request.param]
    truth = _one_chapter(json.loads(TRUTH.read_text(encoding="utf-8")))
    layout = render(compose(truth, variant), variant.stylesheets)
    pdf = tmp_path_factory.mktemp("typeset") / f"{variant.name}.pdf"
    pdf.write_bytes(layout.document.write_pdf())
    with pdfplumber.open(pdf) as doc:
        pages = [_words(page.extract_text()) for page in doc.pages]
    return variant_truth(truth, variant, layout), pages


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _opening(text: str, n: int = 6) -> list[str]:
    return _words(plain(text))[:n]


def _on_page(words: list[str], page: list[str]) -> bool:
    """Every word is on the page, whole or hyphenated at a line end (its two halves)."""
    present = set(page)
    return all(w in present or any(w[:i] in present and w[i:] in present for i in range(2, len(w) - 1)) for w in words)


@needs_weasyprint
def test_every_paper_title_is_on_its_first_page_and_the_paper_ends_before_the_next(rendered):
    truth, pages = rendered
    papers = [p for ch in truth["chapters"] for p in ch["papers"]]
    for paper in papers:
        assert _on_page(_words(paper["title"]), pages[paper["page_start"] - 1]), paper["id"]
        assert paper["page_start"] <= paper["page_end"] < len(pages)
    assert papers[0]["page_end"] < papers[1]["page_start"]
    assert truth["render"]["page_count"] == len(pages)


@needs_weasyprint
def test_every_block_and_note_starts_on_the_page_the_truth_gives(rendered):
    truth, pages = rendered
    for paper in (p for ch in truth["chapters"] for p in ch["papers"]):
        for block in paper["blocks"]:
            words = _words(block["label"]) if block["type"] == "figure" else _opening(block["text"])
            assert _on_page(words, pages[block["page"] - 1]), (paper["id"], block["page"], words)
        for note in paper["footnotes"]:
            assert _on_page(_opening(note["text"]), pages[note["page"] - 1]), (paper["id"], note["number"])


@needs_weasyprint
def test_page_numbers_chapters_and_contents_agree_with_the_pdf(rendered):
    truth, pages = rendered
    for page in truth["render"]["pages"]:
        if page["printed_page"] is not None:
            assert str(page["printed_page"]) in pages[page["index"] - 1], page
    chapter = truth["chapters"][0]
    assert _on_page(_words(chapter["title"]), pages[chapter["page"] - 1])
    assert [p["kind"] for p in truth["render"]["pages"]][chapter["page"] - 1] == "opener"
    for row in truth["toc"]:
        printed = truth["render"]["pages"][row["physical_page"] - 1]["printed_page"]
        assert row["page"] == printed, row
    contents = [w for page, kind in zip(pages, truth["render"]["pages"]) if kind["kind"] == "toc" for w in page]
    assert all(str(row["page"]) in contents for row in truth["toc"])


@needs_weasyprint
def test_the_variant_says_how_it_is_set(rendered):
    truth, _ = rendered
    name = truth["render"]["variant"]
    if name == "a4twocol_roman":
        front = [p["printed_page"] for p in truth["render"]["pages"] if p["kind"] == "front"]
        assert front[0] == "iii" and truth["chapters"][0]["printed_page"] == 1
    else:
        notes = [n for p in truth["chapters"][0]["papers"] for n in p["footnotes"]]
        assert all(n["call_page"] == n["page"] for n in notes if n["call_page"] is not None)
        assert any(n["call_page"] is None for n in notes)  # p02's note 13, never cited
