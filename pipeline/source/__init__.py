"""Open a PDF and read each page's characters, drawings, links and tables once.

Everything later works on these plain records, so the PDF is parsed a single
time and each page is closed as soon as it has been read. Files come from
archives nobody curated: every way a file, a page or its text can be unreadable
ends here as a classified error or a per-page diagnostic.

Two character sources give the same records (`ENGINES`): pdfium, the default
(`pdfium.py`), which sets its pages up through pdfminer and reads the
characters in C++, and pdfminer (`pdfminer.py`, `--engine pdfplumber`). The
records and what both share are in `common.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from compendium_corpus.errors import NoTextLayer, UndecodableText, Unreadable
from compendium_corpus.model import Diagnostics
from compendium_corpus.source.common import Char, RawPage, Tally, describe, raise_if_out_of_memory
from compendium_corpus.source.pdfium import PdfiumSource, open_pdfium
from compendium_corpus.source.pdfminer import SourcePdf, open_pdfminer

__all__ = [
    "Char",
    "DEFAULT_ENGINE",
    "ENGINES",
    "RawPage",
    "SourcePdf",
    "Tally",
    "engine_of",
    "engine_version",
    "open_pdf",
    "read_pages",
    "require_text",
]

# The character sources by name (--engine), each opening a file as a SourcePdf.
ENGINES: dict[str, Callable[[Path, str | None], SourcePdf]] = {"pdfplumber": open_pdfminer, "pdfium": open_pdfium}
DEFAULT_ENGINE = "pdfium"


def engine_version(version: str, engine: str) -> str:
    """A pipeline version as the manifest records it: a character source other than the
    default makes other output, so it is part of the version."""
    return version if engine == DEFAULT_ENGINE else f"{version}+{engine}"


def engine_of(version: str) -> str:
    """The character source a recorded pipeline version was made with."""
    engine = version.partition("+")[2]
    return engine if engine in ENGINES else DEFAULT_ENGINE


def open_pdf(path: Path, password: str | None = None, engine: str = DEFAULT_ENGINE) -> SourcePdf:
    """Open with the engine's parser, turning its failures into classified errors."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")
    return ENGINES[engine](Path(path), password)


def read_pages(pdf: SourcePdf, diagnostics: Diagnostics, numbers: Iterable[int] | None = None) -> Iterator[RawPage]:
    """Yield the records of each page (of `numbers`, 1-based, default all) in order;
    a page that fails alone is reported and skipped. A page pdfminer cannot read is
    read by pdfium, as pdfium's engine reads by pdfminer a page pdfium cannot load:
    either engine reads every page the other can."""
    other: PdfiumSource | None = None
    try:
        for index in numbers if numbers is not None else range(1, len(pdf.pages) + 1):
            setup = pdf.pages[index - 1]
            if isinstance(setup, Exception):
                diagnostics.add(
                    "page-unreadable", f"page {index} could not be set up: {type(setup).__name__}: {setup}", page=index
                )
                continue
            try:
                raw = pdf.read(index, diagnostics)
            except Exception as exc:  # a broken content stream must not cost the document
                raise_if_out_of_memory(exc)  # the document as a whole is over its budget: not a page's fault
                message = exc.message if isinstance(exc, Unreadable) else describe(exc)
                if pdf.engine != PdfiumSource.engine and other is None:
                    other = PdfiumSource.beside(pdf)
                found = _read_by(other, index, diagnostics) if other is not None else None
                if found is None:
                    diagnostics.add("page-unreadable", f"page {index} could not be read: {message}", page=index)
                    continue
                diagnostics.add(
                    "engine-fallback", f"page {index}: pdfminer could not read it ({message}); pdfium did", page=index
                )
                raw = found
            _report(raw, index, diagnostics)
            yield raw
    finally:
        if other is not None:
            other.close_pdfium()


def _read_by(source: SourcePdf, index: int, diagnostics: Diagnostics) -> RawPage | None:
    try:
        return source.read(index, diagnostics)
    except Exception as exc:
        raise_if_out_of_memory(exc)
        return None


def _report(raw: RawPage, index: int, diagnostics: Diagnostics) -> None:
    """What a page's reading skipped or turned, for the diagnostics."""
    if raw.turned:
        diagnostics.add(
            "page-turned",
            f"page {index}: its text runs turned by {raw.turned}°; read as a reader turns the page",
            page=index,
        )
    if raw.rotated:
        diagnostics.add(
            "rotated-text-unsupported",
            f"page {index}: {raw.rotated} characters set another way than the page's text "
            "(sideways, upside down) were skipped",
            page=index,
        )
    if raw.unmapped:
        diagnostics.add(
            "unmapped-glyphs",
            f"page {index}: {raw.unmapped} glyphs whose font maps them to no text were skipped",
            page=index,
        )


def require_text(pages: list[RawPage] | list[Tally], diagnostics: Diagnostics, name: str) -> None:
    """Raise the most precise reason why no page yielded a single character, if none did.

    "No text layer" is only claimed when no page draws any text, so a damaged,
    rotated or badly encoded file is never mistaken for a scan needing OCR.
    """
    if any(p.chars for p in pages):
        return
    if sum(p.unmapped for p in pages):
        raise UndecodableText(f"{name}: its fonts map no glyph to text (no ToUnicode tables)")
    broken = [d.message for d in diagnostics.items if d.code == "page-unreadable"]
    if broken:
        raise Unreadable(f"{name}: no page could be read; first: {broken[0]}")
    raise NoTextLayer(f"{name} has no text layer on any of its {len(pages)} pages: OCR would be needed")
