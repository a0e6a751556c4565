"""`compendium inspect`: what every stage decided, drawn on the page.

The stages are run again in-process by the runner `extract` uses (stages.py),
and every line they kept or set apart is given the role of the draft holding
it: a running header, footer or page number taken out by layout; a paper's
title or byline; a heading, a paragraph or a list item; a pull-quote or a
figure; a footnote marker; a note; a chapter opener or front matter. The page is
rendered with pdfium and each element gets a coloured box and a small
label (its id in the output tables where it has one), with a legend beside
the page. Nothing here changes what the stages decide.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from compendium_corpus.furniture import PAGE_NUMBER
from compendium_corpus.model import Line, Page
from compendium_corpus.notesplit import LONE_NUMBER
from compendium_corpus.ocr import DEFAULT_MODE as DEFAULT_OCR
from compendium_corpus.ocr import OcrPlan
from compendium_corpus.parser_log import parser_log
from compendium_corpus.source import DEFAULT_ENGINE
from compendium_corpus.stages import Drafts, run_stages
from compendium_corpus.structure import PaperDraft, Structure

log = logging.getLogger(__name__)

# kind: (legend text, RGB colour). Order is the legend's order.
KINDS: dict[str, tuple[str, tuple[int, int, int]]] = {
    "title": ("paper title", (123, 31, 162)),
    "author": ("author and affiliation", (186, 104, 200)),
    "heading1": ("heading, level 1", (198, 40, 40)),
    "heading2": ("heading, level 2", (239, 108, 0)),
    "paragraph": ("paragraph", (21, 101, 192)),
    "list_item": ("list item", (0, 150, 136)),
    "recommendation": ("recommendation", (0, 105, 92)),
    "pull_quote": ("pull-quote", (216, 27, 96)),
    "figure": ("figure / table", (121, 85, 72)),
    "marker": ("footnote marker", (229, 0, 0)),
    "note": ("note", (46, 125, 50)),
    "note_text": ("note text outside a note", (158, 157, 36)),
    "header": ("running header (removed)", (117, 117, 117)),
    "footer": ("running footer (removed)", (117, 117, 117)),
    "page_number": ("page number (removed)", (66, 66, 66)),
    "chapter": ("chapter opener", (0, 131, 143)),
    "front": ("front matter", (144, 164, 174)),
    "unread": ("line no stage read", (255, 0, 255)),
}
FURNITURE = ("header", "footer", "page_number")
# kind: (one, several), for one-line summaries
NAMES = {
    "title": ("paper title", "paper titles"),
    "author": ("author", "authors"),
    "heading1": ("H1 heading", "H1 headings"),
    "heading2": ("H2 heading", "H2 headings"),
    "paragraph": ("paragraph", "paragraphs"),
    "list_item": ("list item", "list items"),
    "recommendation": ("recommendation", "recommendations"),
    "pull_quote": ("pull-quote", "pull-quotes"),
    "figure": ("figure", "figures"),
    "marker": ("footnote marker", "footnote markers"),
    "note": ("note", "notes"),
    "note_text": ("stray note line", "stray note lines"),
    "header": ("running header", "running headers"),
    "footer": ("running footer", "running footers"),
    "page_number": ("page number", "page numbers"),
    "chapter": ("chapter opener", "chapter openers"),
    "front": ("front matter block", "front matter blocks"),
    "unread": ("unread line", "unread lines"),
}


def describe(counts: dict[str, int]) -> str:
    """'1 H1 heading, 6 paragraphs, 1 pull-quote, ...', in the legend's order."""
    return ", ".join(f"{counts[k]} {NAMES[k][counts[k] != 1]}" for k in KINDS if counts.get(k)) or "nothing recognised"


@dataclass(slots=True)
class Element:
    """One box to draw: a block of lines (or a marker) in one column of one page."""

    page: int
    kind: str
    label: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Inspection:
    """The stages' decisions for one PDF, as boxes per physical page."""

    path: Path
    drafts: Drafts
    elements: dict[int, list[Element]] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return self.drafts.page_count

    @property
    def pages(self) -> dict[int, Page]:
        return self.drafts.by_number

    @property
    def structure(self) -> Structure:
        return self.drafts.structure

    def paper_of(self, page: int) -> PaperDraft | None:
        return next((p for p in self.structure.papers if p.page_start <= page <= p.page_end), None)

    def paper(self, paper_id: str) -> PaperDraft | None:
        return next((p for p in self.structure.papers if p.paper_id == paper_id), None)


def inspect_pdf(
    path: Path, password: str | None = None, engine: str = DEFAULT_ENGINE, ocr: str = DEFAULT_OCR
) -> Inspection:
    """Run the stages on `path`, as `extract` runs them with `engine` and `ocr` (a scan's
    pages are read by OCR, and drawn), and give every line its role. The parsers' warnings
    stay off the console, as in `extract`. Raises the pipeline's ExtractionError for a
    file `extract` would fail on."""
    with parser_log():
        drafts = run_stages(Path(path), password, engine, ocr=OcrPlan(ocr))
    result = Inspection(Path(path), drafts)
    _classify(result)
    log.info(
        "%s: %d pages, %d papers, %d elements",
        result.path.name,
        result.page_count,
        len(result.structure.papers),
        sum(len(v) for v in result.elements.values()),
    )
    return result


def _pieces(lines: list[Line]) -> list[list[Line]]:
    """A block's lines cut where it moves to another page or column (or side by side),
    or jumps down (around a floated quote), so each box hugs text that stands together."""
    out: list[list[Line]] = []
    for ln in lines:
        last = out[-1][-1] if out else None
        if (
            last is not None
            and last.page == ln.page
            and ln.x0 < last.x1
            and ln.x1 > last.x0
            and -0.5 * ln.size <= ln.top - last.bottom < 1.6 * ln.size
        ):
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


WHOLE = ("figure", "chapter", "front")  # one box per page around all their lines


def _boxes(kind: str, label: str, lines: list[Line]) -> list[Element]:
    """One box per piece; pieces after the first are labelled as carrying it on (an
    author block's pieces are its authors, side by side or one under the other)."""
    if kind in WHOLE:
        pieces = [[ln for ln in lines if ln.page == n] for n in dict.fromkeys(ln.page for ln in lines)]
    else:
        pieces = _pieces(lines)
    return [
        Element(
            piece[0].page,
            kind,
            label if i == 0 or kind == "author" else f"{label} (cont.)",
            min(ln.x0 for ln in piece),
            min(ln.top for ln in piece),
            max(ln.x1 for ln in piece),
            max(ln.bottom for ln in piece),
        )
        for i, piece in enumerate(pieces)
    ]


def _markers(lines: list[Line]) -> list[Element]:
    """Superscript runs left in body lines: the footnote markers `paragraphs` takes out of its text."""
    out = []
    for ln in lines:
        for span in ln.spans:
            if span.superscript and span.text.strip():
                raise_ = 0.35 * ln.size
                out.append(
                    Element(
                        ln.page,
                        "marker",
                        span.text.strip(),
                        span.x0 - 0.5,
                        ln.top - raise_,
                        span.x1 + 0.5,
                        ln.bottom - raise_,
                    )
                )
    return out


def _key(line: Line) -> tuple:
    return line.page, round(line.top, 2), round(line.x0, 2)


def _classify(result: Inspection) -> None:
    elements: list[Element] = []
    seen: set[tuple] = set()  # by place, not identity: later stages work on trimmed copies of lines

    def add(kind: str, label: str, lines: list[Line]) -> list[Element]:
        lines = [ln for ln in lines if _key(ln) not in seen]
        seen.update(_key(ln) for ln in lines)
        boxes = _boxes(kind, label, lines) if lines else []
        elements.extend(boxes)
        return boxes

    for page in result.pages.values():
        for ln in page.furniture:
            if PAGE_NUMBER.match(ln.plain):
                kind = "page_number"
            else:
                kind = "header" if ln.top < page.height / 2 else "footer"
            elements.append(Element(page.number, kind, KINDS[kind][0].split(" (")[0], ln.x0, ln.top, ln.x1, ln.bottom))
    drafts = result.drafts
    recommended = {r.paragraph.paragraph_id: r.recommendation_id for r in drafts.recommendations}
    for b in drafts.bodies:
        paper = b.paper
        add("title", f"{paper.paper_id} title", paper.title_lines)
        add("author", f"{paper.paper_id} author", paper.header_lines)
        for section in b.sections:
            add(f"heading{min(section.level, 2)}", f"H{section.level} {section.section_id}", section.lines)
            elements.extend(_markers(section.lines))
        for paragraph in b.paragraphs:
            recommendation = recommended.get(paragraph.paragraph_id)
            if recommendation:
                add("recommendation", recommendation, paragraph.lines)
            else:
                add(paragraph.kind, paragraph.paragraph_id, paragraph.lines)
            elements.extend(_markers(paragraph.lines))
        for quote in b.pull_quotes:
            add("pull_quote", quote.pull_quote_id, quote.lines)
        for figure in b.figures:
            add("figure", figure.figure_id, figure.lines)
    note_boxes = [box for note in drafts.notes for box in add("note", f"note {note.number}", note.lines)]
    for ln in (ln for b in drafts.bodies for ln in b.note_lines):
        if _key(ln) in seen:
            continue
        if LONE_NUMBER.match(ln.plain):  # a hanging note number beside its note's first line, or a stray marker
            beside = next(
                (e for e in note_boxes if e.page == ln.page and abs(e.top - ln.top) < ln.size and ln.x1 <= e.x0 + 1),
                None,
            )
            if beside is not None:
                beside.x0 = min(beside.x0, ln.x0)
                seen.add(_key(ln))
            else:
                add("marker", ln.plain, [ln])
        else:
            add("note_text", "note text", [ln])
    for chapter in result.structure.chapters:
        add("chapter", chapter.chapter_id, chapter.lines)
    for front in drafts.front.sections:
        add("front", front.section_id, front.lines)
    chapters = {c.page for c in result.structure.chapters}
    first_body = result.structure.first_body_page
    for page in result.pages.values():
        rest = [ln for ln in page.lines if _key(ln) not in seen]
        if page.number in chapters:
            add("chapter", "chapter", rest)
        elif page.number < first_body or result.paper_of(page.number) is None:
            add("front", "front matter", rest)
        else:
            for ln in rest:  # a note number pushed onto a line of its own joins the line above as a marker
                small_digits = ln.plain.isdigit() and len(ln.plain) <= 3
                add("marker" if small_digits else "unread", ln.plain if small_digits else "unread", [ln])
    for e in elements:
        result.elements.setdefault(e.page, []).append(e)


# ---------------------------------------------------------------- drawing

LEGEND_WIDTH = 250
HEADER_HEIGHT = 40


FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans where the system has it (dashes, accents and most scripts of a title);
    else Pillow's own font."""
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def render_page(
    inspection: Inspection, number: int, out: Path, resolution: int = 100, password: str | None = None, pdf=None
) -> dict:
    """Draw page `number` (1-based, physical) with its elements into PNG `out`.
    Returns a summary: page, file, elements per kind."""
    own = pdf is None
    pdf = pdf or pdfium.PdfDocument(inspection.path, password=password)
    try:
        base = _page_image(pdf[number - 1], resolution / 72)
    finally:
        if own:
            pdf.close()
    scale = resolution / 72
    elements = inspection.elements.get(number, [])
    laid = inspection.pages.get(number)

    def xy(x: float, y: float) -> tuple[float, float]:
        return x * scale, y * scale + HEADER_HEIGHT

    width, height = base.size
    canvas = Image.new("RGBA", (width + LEGEND_WIDTH, height + HEADER_HEIGHT), "white")
    canvas.paste(base, (0, HEADER_HEIGHT))
    shade = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    fill = ImageDraw.Draw(shade)
    for e in elements:
        r, g, b = KINDS[e.kind][1]
        (x0, y0), (x1, y1) = xy(e.x0 - 1.5, e.top - 1.5), xy(e.x1 + 1.5, e.bottom + 1.5)
        fill.rectangle((x0, y0, x1, y1), fill=(r, g, b, 70 if e.kind in FURNITURE else 38))
    canvas = Image.alpha_composite(canvas, shade)
    draw = ImageDraw.Draw(canvas)
    small, text_font, bold = _font(9), _font(12), _font(14)
    for gutter in laid.gutters if laid is not None else []:
        x, _ = xy(gutter, 0)
        for y in range(HEADER_HEIGHT, height + HEADER_HEIGHT, 12):
            draw.line((x, y, x, y + 5), fill=(0, 0, 0, 140), width=1)
    for e in elements:
        colour = KINDS[e.kind][1]
        (x0, y0), (x1, y1) = xy(e.x0 - 1.5, e.top - 1.5), xy(e.x1 + 1.5, e.bottom + 1.5)
        draw.rectangle((x0, y0, x1, y1), outline=colour, width=1 if e.kind == "marker" else 2)
        if e.kind == "marker":
            continue
        tw = draw.textlength(e.label, font=small)
        lx, ly = _label_place(e, x0, y0, x1, tw, width, laid)
        draw.rectangle((lx, ly, lx + tw + 4, ly + 10), fill=colour)
        draw.text((lx + 2, ly), e.label, fill="white", font=small)
    # header strip: file, page, printed label, paper, columns
    paper = inspection.paper_of(number)
    title = f"{inspection.path.name}  ·  page {number} of {inspection.page_count}"
    if laid is not None and laid.label:
        title += f" (printed {laid.label})"
    if laid is not None:
        title += f"  ·  {laid.columns} column{'s' if laid.columns > 1 else ''}"
    draw.text((8, 4), title, fill="black", font=bold)
    if paper is not None:
        draw.text((8, 22), f"{paper.paper_id}: {paper.title[:110]}", fill=(60, 60, 60), font=text_font)
    draw.line((0, HEADER_HEIGHT - 1, canvas.width, HEADER_HEIGHT - 1), fill=(180, 180, 180))
    # legend: every kind, with this page's count
    counts = Counter(e.kind for e in elements if not e.label.endswith("(cont.)"))
    lx, ly = width + 12, HEADER_HEIGHT + 10
    draw.line((width, HEADER_HEIGHT, width, canvas.height), fill=(180, 180, 180))
    draw.text((lx, ly), "Legend (count on this page)", fill="black", font=text_font)
    ly += 22
    for kind, (name, colour) in KINDS.items():
        r, g, b = colour
        draw.rectangle((lx, ly + 1, lx + 18, ly + 13), fill=(r, g, b, 60), outline=colour, width=2)
        draw.text(
            (lx + 26, ly),
            f"{name}  {counts.get(kind, 0)}",
            fill="black" if counts.get(kind) else (150, 150, 150),
            font=text_font,
        )
        ly += 19
    if laid is not None and laid.gutters:
        draw.line((lx + 9, ly + 1, lx + 9, ly + 13), fill=(0, 0, 0), width=1)
        draw.text((lx + 26, ly), "column gutter", fill="black", font=text_font)
        ly += 19
    ly += 10
    for text in (
        "Labels: ids of the rows in",
        "sections, paragraphs, pull_quotes,",
        "recommendations, figures;",
        "note numbers.",
    ):
        draw.text((lx, ly), text, fill=(90, 90, 90), font=small)
        ly += 13
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    canvas.convert("RGB").save(out, format="PNG", dpi=(resolution, resolution))
    return {
        "page": number,
        "file": str(out),
        "paper_id": paper.paper_id if paper else None,
        "elements": dict(sorted(counts.items())),
    }


def _label_place(
    e: Element, x0: float, y0: float, x1: float, text_width: float, width: int, laid: Page | None
) -> tuple[float, float]:
    """Where a box's label goes: in the page margin beside its top line where there is room
    (the left margin for a box left of the gutters, the right one for the last column), so
    that on a dense page no label covers the words of the box above; else just above it."""
    gutters = laid.gutters if laid is not None else []
    last_column = bool(gutters) and e.x0 > gutters[-1]
    if last_column and x1 + text_width + 10 <= width:
        return x1 + 4, y0
    if not last_column and (not gutters or e.x1 < gutters[0]) and x0 - text_width - 6 >= 0:
        return x0 - text_width - 6, y0
    return x0, max(HEADER_HEIGHT, y0 - 10)


def render_pages(
    inspection: Inspection,
    numbers: list[int],
    out_dir: Path,
    resolution: int = 100,
    password: str | None = None,
    name: str = "page-{page:03d}.png",
) -> list[dict]:
    """Several pages into `out_dir`, the PDF opened once."""
    pdf = pdfium.PdfDocument(inspection.path, password=password)
    try:
        return [render_page(inspection, n, Path(out_dir) / name.format(page=n), resolution, pdf=pdf) for n in numbers]
    finally:
        pdf.close()


def _page_image(page, scale: float) -> Image.Image:
    """The whole media box, as displayed (turned by its /Rotate): the stages read every
    character on it, including what a crop box would hide, and measure from its top left."""
    media, crop = page.get_mediabox(fallback_ok=False), page.get_cropbox(fallback_ok=False)
    if media is not None and crop is not None and crop != media:  # (pdfium reads neither when inherited)
        page.set_cropbox(*media)
    return page.render(scale=scale).to_pil().convert("RGBA")


SLUG_LENGTH = 200  # leaves room for "-page-NNN.png" within the 255 bytes a file name may have


def slug(text: str) -> str:
    """A file-name-safe, ASCII, bounded version of `text` for default output names."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:SLUG_LENGTH] or "pdf"
