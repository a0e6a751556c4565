"""The documents row: what the cover says the volume is.

The cover is read as blocks of lines set alike. The volume label and the editor
are recognised by how any publisher prints them ("Vol. V", "Volume 3",
"(ed.)", "(eds.)", "Edited by"); the title is the largest type; the series is
the block printed against the volume label; the publisher is the imprint at the
foot of the cover. PDF metadata fills whatever the cover leaves open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compendium_corpus.model import Line, Page
from compendium_corpus.text import join_lines

VOLUME = re.compile(r"\b(?:vol\.?|volume)\s*([IVXLCDM]+|\d+)\b", re.I)
EDITOR_AFTER = re.compile(r"^(.+?)\s*\((?:eds?|editors?)\.?\)$", re.I)
EDITOR_BEFORE = re.compile(r"^(?:edited\s+by|editors?:|eds?\.:?)\s+(.+)$", re.I)
YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
PUBLISHED_BY = re.compile(r"^published\s+by\s+(.+?)\.?$", re.I)
# Titles some producers store instead of the document's: the source file's name.
FILE_NAME = re.compile(r"\.(docx?|odt|indd|qxp|pdf)$|^microsoft word\b", re.I)
SEPARATORS = " ,:;–—-|"
COVER_LINES = 20  # a cover or title page holds at most this many lines
COVER_TITLE = 1.5  # ...and its largest type is at least this many times the body size (more than TITLE)
BLOCK_GAP = 0.8  # ems of blank at most between two lines of one cover block
IMPRINT_BAND = 0.8  # share of the cover's height below which its imprint stands
DATE_WORDS = 3  # a line with a year and at most this many words is a date


@dataclass(slots=True)
class CoverBlock:
    text: str
    size: float
    top: float
    bottom: float
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class DocumentDraft:
    """What the cover, the first pages and the PDF's info dictionary say the document is."""

    title: str | None = None
    series: str | None = None
    volume: str | None = None
    editor: str | None = None
    publisher: str | None = None
    lines: list[Line] = field(default_factory=list)  # the cover's lines these were read from


def describe(pages: list[Page], metadata: dict, body: float) -> DocumentDraft:
    """Stage entry: the document's title, series, volume, editor and publisher."""
    cover = next((p for p in pages[:3] if is_cover(p, body)), None)
    draft = read_cover(cover) if cover else DocumentDraft()
    if not draft.publisher:
        draft.publisher = published_by(pages[:4])
    printed = _folded(" ".join(ln.plain for p in pages[:IMPRINT_PAGES] + pages[-IMPRINT_PAGES:] for ln in p.lines))
    for key, value in from_metadata(metadata).items():
        if not getattr(draft, key) and (key not in ("editor", "publisher") or _folded(value) in printed):
            setattr(draft, key, value)
    return draft


IMPRINT_PAGES = 4  # pages at each end of a document where an imprint names its publisher or editor


def _folded(text: str) -> str:
    """Case and spacing aside, for finding a metadata name in the printed text: a
    metadata Author the pages never print (a word processor's user name) is no one's name."""
    return " ".join(text.casefold().split())


def is_cover(page: Page, body: float) -> bool:
    """A cover or title page: a few lines, the largest set well above body text."""
    return 0 < len(page.lines) <= COVER_LINES and max(ln.size for ln in page.lines) >= COVER_TITLE * body


def cover_blocks(page: Page) -> list[CoverBlock]:
    """Consecutive lines of one style and close spacing: a title set over two lines is one block."""
    groups: list[list[Line]] = []
    for ln in sorted(page.lines, key=lambda line: (line.top, line.x0)):
        last = groups[-1][-1] if groups else None
        if last is not None and last.style == ln.style and ln.top - last.bottom < BLOCK_GAP * ln.size:
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return [CoverBlock(join_lines(g, with_markers=False)[0], g[0].size, g[0].top, g[-1].bottom, g) for g in groups]


def read_cover(page: Page) -> DocumentDraft:
    """Fields in order of how surely they are recognised: the editor and volume label by
    their wording, then the title by size, then the series by its place against the label."""
    blocks = [b for b in cover_blocks(page) if b.text]
    fields: dict = {}
    used: set[int] = set()
    for i, b in enumerate(blocks):
        editor = _editor(b.text)
        if editor and "editor" not in fields:
            fields["editor"] = editor
            used.add(i)
    volume_at = next((i for i, b in enumerate(blocks) if i not in used and VOLUME.search(b.text)), None)
    parts: dict = {}
    if volume_at is not None:
        used.add(volume_at)
        parts = _split_volume(blocks[volume_at].text)
        fields["volume"] = parts["volume"]
        if "series" in parts:
            fields["series"] = parts["series"]
    rest = [i for i in range(len(blocks)) if i not in used]
    title_at = max(rest, key=lambda i: blocks[i].size, default=None)
    if (
        volume_at is not None
        and "title" in parts
        and (title_at is None or blocks[volume_at].size >= blocks[title_at].size)
    ):
        fields["title"] = parts["title"]  # 'Vol. V: Title' set as the largest line
    elif title_at is not None:
        fields["title"] = blocks[title_at].text
        used.add(title_at)
    if volume_at is not None and "series" not in fields:
        series_at = _nearest_above(blocks, volume_at, used)
        if series_at is not None:
            fields["series"] = blocks[series_at].text
            used.add(series_at)
    publisher_at = _imprint(blocks, page, used)
    if publisher_at is not None:
        fields["publisher"] = blocks[publisher_at].text
        used.add(publisher_at)
    return DocumentDraft(**fields, lines=[ln for i in sorted(used) for ln in blocks[i].lines])


def _editor(text: str) -> str | None:
    match = EDITOR_AFTER.match(text) or EDITOR_BEFORE.match(text)
    return match.group(1).strip() if match else None


def _split_volume(text: str) -> dict:
    """'Series, Vol. V: Title' into its parts; any part may be absent."""
    match = VOLUME.search(text)
    assert match is not None  # called on a block that VOLUME found
    out = {"volume": match.group(1)}
    before, after = text[: match.start()].strip(SEPARATORS), text[match.end() :].strip(SEPARATORS)
    if before:
        out["series"] = before
    if after:
        out["title"] = after
    return out


def _nearest_above(blocks: list[CoverBlock], index: int, used: set[int]) -> int | None:
    """The closest unused block above the volume label: the series it numbers."""
    above = [i for i in range(len(blocks)) if i not in used and blocks[i].bottom <= blocks[index].top]
    return max(above, key=lambda i: blocks[i].bottom) if above else None


def _imprint(blocks: list[CoverBlock], page: Page, used: set[int]) -> int | None:
    """The lowest block in the bottom fifth of the cover that names someone: not a date,
    a number or a web address."""
    low = [
        i
        for i in range(len(blocks))
        if i not in used and blocks[i].top > IMPRINT_BAND * page.height and _reads_as_imprint(blocks[i].text)
    ]
    return max(low, key=lambda i: blocks[i].top) if low else None


def _reads_as_imprint(text: str) -> bool:
    if re.search(r"www\.|https?:|@", text, re.I):
        return False
    if YEAR.search(text) and len(text.split()) <= DATE_WORDS:
        return False
    return bool(re.search(r"[^\W\d_]{3,}", text))


def metadata_title(metadata: dict) -> str | None:
    """The title the PDF's info dictionary gives, unless it is a file name."""
    title = _meta_text(metadata.get("Title"))
    return title if title and not FILE_NAME.search(title) else None


def from_metadata(metadata: dict) -> dict:
    """Title (split like a cover line when it carries a volume label) and Author from the
    PDF's info dictionary; an Author marked as editor is the editor, else the publisher
    (`describe` takes either only when the pages print it)."""
    out: dict = {}
    title = metadata_title(metadata)
    if title:
        out.update(_split_volume(title) if VOLUME.search(title) else {"title": title})
    author = _meta_text(metadata.get("Author"))
    if author:
        editor = _editor(author)
        out["editor" if editor else "publisher"] = editor or author
    return out


def _meta_text(value) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    return re.sub(r"\s+", " ", value).strip() or None


def published_by(pages: list[Page]) -> str | None:
    """An imprint line ('Published by ...') on the first pages."""
    for page in pages:
        for ln in page.lines:
            match = PUBLISHED_BY.match(ln.plain)
            if match:
                return match.group(1).strip()
    return None
