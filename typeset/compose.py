"""The truth as one HTML document: cover, contents, front matter, chapter openers,
papers and back matter, in the truth's order and words. Every element whose page the
truth records carries an id (see `Anchors`), so that the pages it landed on can be
read back after layout; the look is left to the variant's stylesheets.

Named pages (`page:` in the stylesheets) follow the truth's page kinds: cover, toc,
front, opener, paper, back."""

from __future__ import annotations

import html
import re

from typeset.markup import inline
from typeset.variants import Variant

# An author's slip the truth records only in words: the notes of that paper carry their
# numbers in text type, not as superscripts. Kept as printed, like every slip.
PLAIN_NOTE_NUMBERS = re.compile(r"notes are numbered with plain digits", re.I)


class Anchors:
    """The ids of the elements whose pages the truth records; `typeset.truth` reads
    the pages back by the same names."""

    @staticmethod
    def front(section_id: str) -> str:
        return f"fm-{section_id}"

    @staticmethod
    def chapter(number: int) -> str:
        return f"ch{number}"

    @staticmethod
    def block(owner: str, index: int) -> str:
        return f"{owner}-b{index:03d}"

    @staticmethod
    def note(paper_id: str, number: int) -> str:
        return f"{paper_id}-n{number}"

    @staticmethod
    def call(paper_id: str, number: int) -> str:
        return f"{paper_id}-c{number}"

    BACK = "back"


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def compose(truth: dict, variant: Variant) -> str:
    """The whole document for one variant."""
    doc = truth["document"]
    parts = [_cover(doc)]
    if variant.contents:
        parts.append(_contents(truth))
    parts += [_front_section(s) for s in truth["front_matter"]]
    for chapter in truth["chapters"]:
        parts.append(_opener(chapter))
        parts += [_paper(paper, chapter, variant.notes) for paper in chapter["papers"]]
    parts.append(_back(truth["back_matter"]))
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(doc['full_title'])}</title>"
        f'<meta name="author" content="{esc(doc["publisher"])}"></head>\n'
        f'<body class="{variant.name}">\n' + "\n".join(parts) + "\n</body></html>\n"
    )


def toc_targets(truth: dict) -> list[str]:
    """The id each contents row points to: front rows by title, chapter rows by number,
    paper rows by their order within the chapter (a contents row may spell the title
    its own way, as the truth records: 'Africa’s' for 'Africa's')."""
    front = {s["title"]: Anchors.front(s["id"]) for s in truth["front_matter"]}
    papers = {ch["number"]: iter(p["id"] for p in ch["papers"]) for ch in truth["chapters"]}
    targets = []
    for row in truth["toc"]:
        if row["kind"] == "front":
            targets.append(front[row["title"]])
        elif row["kind"] == "chapter":
            targets.append(Anchors.chapter(row["chapter"]))
        else:
            targets.append(next(papers[row["chapter"]]))
    return targets


def _cover(doc: dict) -> str:
    return (
        '<section class="cover">'
        f'<p class="series">{esc(doc["series"])}</p>'
        f'<p class="volume">Vol. {esc(doc["volume"])}</p>'
        f'<h1 class="cover-title">{esc(doc["title"])}</h1>'
        f'<p class="editor">{esc(doc["editor"])} (ed.)</p>'
        f'<p class="publisher">{esc(doc["publisher"])}</p>'
        "</section>"
    )


def _contents(truth: dict) -> str:
    rows = []
    for row, target in zip(truth["toc"], toc_targets(truth)):
        number = f'<span class="toc-number">{row["chapter"]}</span>' if row["kind"] == "chapter" else ""
        authors = f'<span class="toc-authors">{esc(", ".join(row["authors"]))}</span>' if row["authors"] else ""
        rows.append(
            f'<p class="toc-row toc-{row["kind"]}">{number}<a href="#{target}">{esc(row["title"])}</a>{authors}</p>'
        )
    return '<section class="contents"><h1 class="contents-title">Table of contents</h1>' + "".join(rows) + "</section>"


def _front_section(section: dict) -> str:
    owner = Anchors.front(section["id"])
    out = [f'<section class="front" id="{owner}"><h1 class="front-title">{esc(section["title"])}</h1>']
    for i, block in enumerate(section["blocks"]):
        bid = Anchors.block(owner, i)
        text = inline(block["text"])
        if block["type"] == "heading":
            out.append(f'<h3 class="h2" id="{bid}">{text}</h3>')
        elif block["type"] == "subheading":
            out.append(f'<h3 class="organisation" id="{bid}">{text}</h3>')
        else:
            out.append(f'<p id="{bid}">{text}</p>')
    if section.get("acronyms"):
        out.append(
            '<table class="acronyms">'
            + "".join(
                f'<tr><td class="short">{esc(a["short"])}</td><td class="long">{esc(a["long"])}</td></tr>'
                for a in section["acronyms"]
            )
            + "</table>"
        )
    if section.get("signature"):
        sig = section["signature"]
        out.append(
            '<div class="signature">'
            f'<p class="signature-name">{esc(sig["name"])}</p>'
            f'<p class="signature-role">{esc(sig["role"])}</p>'
            + (f'<p class="signature-place">{esc(sig["place_date"])}</p>' if sig.get("place_date") else "")
            + "</div>"
        )
    out.append("</section>")
    return "".join(out)


def _opener(chapter: dict) -> str:
    questions = "".join(f"<li>{inline(q)}</li>" for q in chapter["key_questions"])
    return (
        f'<section class="opener" id="{Anchors.chapter(chapter["number"])}">'
        f'<p class="chapter-number">{chapter["number"]}</p>'
        f'<h1 class="chapter-title">{esc(chapter["title"])}</h1>'
        f'<ul class="key-questions">{questions}</ul></section>'
    )


def _paper(paper: dict, chapter: dict, notes: str) -> str:
    pid = paper["id"]
    plain_numbers = any(PLAIN_NOTE_NUMBERS.search(a) for a in paper.get("anomalies", []))
    markers = NoteMarkers(paper, footnotes=notes == "footnotes")
    authors = "".join(
        f'<div class="author"><p class="author-name">{esc(a["name"])}</p>'
        f'<p class="affiliation">{esc(a["affiliation"])}</p></div>'
        for a in paper["authors"]
    )
    out = [
        f'<article class="paper{" plain-note-numbers" if plain_numbers else ""}" id="{pid}">',
        f'<header class="paper-head"><h1 class="paper-title" data-chapter="{esc(chapter["title"])}">'
        f"{esc(paper['title'])}</h1>"
        f'<div class="authors">{authors}</div></header>',
        '<div class="paper-body">',
        _blocks(paper, markers),
        markers.orphans(),
        "</div>",
    ]
    if notes == "endnotes" and paper["footnotes"]:
        out.append(
            '<section class="endnotes">'
            + "".join(
                f'<p class="note" id="{Anchors.note(pid, n["number"])}"><span class="note-number">{n["number"]}</span> '
                f"{_note_text(n)}</p>"
                for n in paper["footnotes"]
            )
            + "</section>"
        )
    out.append("</article>")
    return "\n".join(out)


def _blocks(paper: dict, markers: NoteMarkers) -> str:
    out, in_list = [], False
    for i, block in enumerate(paper["blocks"]):
        bid = Anchors.block(paper["id"], i)
        kind = block["type"]
        if kind == "list_item" and not in_list:
            out.append('<ul class="items">')
        elif kind != "list_item" and in_list:
            out.append("</ul>")
        in_list = kind == "list_item"
        if kind == "heading":
            tag = "h2" if block["level"] == 1 else "h3"
            out.append(f'<{tag} class="h{block["level"]}" id="{bid}">{inline(block["text"])}</{tag}>')
        elif kind == "paragraph":
            out.append(f'<p id="{bid}">{inline(block["text"], markers)}</p>')
        elif kind == "list_item":
            lead = f'<b class="lead">{inline(block["lead"], markers)}:</b> ' if block.get("lead") else ""
            out.append(f'<li id="{bid}">{lead}{inline(block["text"], markers)}</li>')
        elif kind == "pull_quote":
            out.append(f'<aside class="pull-quote" id="{bid}">{inline(block["text"])}</aside>')
        elif kind == "figure":
            out.append(_figure(block, bid))
        else:
            raise ValueError(f"{paper['id']}: no typesetting for a block of type {kind!r}")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)


def _figure(block: dict, bid: str) -> str:
    width = max(len(r) for r in block["rows"])
    rows = []
    for row in block["rows"]:
        if row[0] and not any(row[1:]) and row[0].isupper():
            rows.append(f'<tr class="band"><td colspan="{width}">{inline(row[0])}</td></tr>')
        else:
            rows.append("<tr>" + "".join(f"<td>{inline(cell)}</td>" for cell in row) + "</tr>")
    parts = [
        f'<figure class="figure" id="{bid}">',
        f'<p class="figure-title"><span class="figure-label">{esc(block["label"])}</span> {inline(block["title"])}</p>',
        f'<p class="figure-caption">{inline(block["caption"])}</p>' if block.get("caption") else "",
        f'<p class="figure-legend">{inline(block["legend"])}</p>' if block.get("legend") else "",
        '<table class="figure-table">' + "".join(rows) + "</table>",
    ]
    source = " ".join(esc(block.get(k)) for k in ("source", "credit") if block.get(k))
    if source:
        parts.append(f'<p class="figure-source">{source}</p>')
    return "".join(parts) + "</figure>"


def _note_text(note: dict) -> str:
    return inline(note["text"], urls=iter(note.get("link_urls", [])))


class NoteMarkers:
    """Note markers of one paper, as `inline` asks for them. With endnotes every marker
    is a superscript number. With page-foot notes the first marker of a note is the
    note itself, floated to the foot of the page it falls on; a note never cited is
    floated with no call after the closest lower-numbered note, or at the end of the
    body when there is none; a repeated marker, or one with no note, stays a
    superscript number."""

    def __init__(self, paper: dict, footnotes: bool):
        self.pid = paper["id"]
        self.footnotes = footnotes
        self.notes = {n["number"]: n for n in paper["footnotes"]}
        self.called: set[int] = set()
        cited = {
            int(n)
            for b in paper["blocks"]
            for key in ("lead", "text")
            for n in re.findall(r"\[\^(\d+)\]", b.get(key) or "")
        }
        self.follow: dict[int, list[int]] = {}
        self.orphan_numbers: list[int] = []
        for number in sorted(set(self.notes) - cited):
            lower = [c for c in cited if c < number and c in self.notes]
            if lower:
                self.follow.setdefault(max(lower), []).append(number)
            else:
                self.orphan_numbers.append(number)

    def __call__(self, number: int) -> str:
        first = number not in self.called
        self.called.add(number)
        anchor = f' id="{Anchors.call(self.pid, number)}"' if first else ""
        if not (self.footnotes and first and number in self.notes):
            return f'<sup class="note-ref"{anchor}>{number}</sup>'
        floated = [self._footnote(number, called=True)]
        floated += [self._footnote(n, called=False) for n in self.follow.get(number, [])]
        return f'<span class="call"{anchor}></span>' + "".join(floated)

    def _footnote(self, number: int, called: bool) -> str:
        kind = "footnote" if called else "footnote uncited"
        return (
            f'<span class="{kind}" id="{Anchors.note(self.pid, number)}" data-n="{number}">'
            f"{_note_text(self.notes[number])}</span>"
        )

    def orphans(self) -> str:
        """Page-foot notes that no marker carries: floated from the end of the body."""
        if not (self.footnotes and self.orphan_numbers):
            return ""
        return (
            '<p class="orphan-notes">' + "".join(self._footnote(n, called=False) for n in self.orphan_numbers) + "</p>"
        )


def _back(blocks: list[dict]) -> str:
    return (
        '<section class="back" id="back">'
        + "".join(f'<p id="{Anchors.block(Anchors.BACK, i)}">{inline(b["text"])}</p>' for i, b in enumerate(blocks))
        + "</section>"
    )
