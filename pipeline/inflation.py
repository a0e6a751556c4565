"""A page's streams measured before pdfium inflates them.

pdfium aborts the whole process when an allocation fails (it cannot hand a
MemoryError back), so a decompression bomb in a content stream or a font would
end a `--engine pdfium` worker as a crash. Before a page goes to pdfium, the
Flate streams it will inflate (contents, form XObjects, fonts and their
ToUnicode maps) are inflated here first, in bounded steps that keep nothing,
and one that would take more than half of what the worker's memory ceiling
still allows raises MemoryError: the document fails as `out-of-memory`, as it
does with the pdfplumber engine. Without a ceiling nothing is measured.
"""

from __future__ import annotations

import os
import resource
import zlib

from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import LIT

FLATE = {LIT("FlateDecode"), LIT("Fl")}
STEP = 2**20


def headroom() -> int | None:
    """Bytes of address space this process may still map, None without a ceiling."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    try:
        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return None
    return max(0, soft - mapped)


class InflationGuard:
    """Measures each stream of a document once (fonts are shared by many pages)."""

    def __init__(self) -> None:
        self.measured: set[int] = set()

    def check_page(self, page_obj) -> None:
        """Raise MemoryError if a stream of the page inflates past half the headroom."""
        room = headroom()
        if room is None:
            return
        for stream in self._streams(page_obj):
            self._measure(stream, room // 2)

    def _streams(self, page_obj):
        yield from (resolve1(s) for s in page_obj.contents)
        yield from self._resources(resolve1(page_obj.resources), set())

    def _resources(self, resources, seen: set[int]):
        if not isinstance(resources, dict):
            return
        for font in _values(resources.get("Font")):
            yield from self._font(font)
        for form in _values(resources.get("XObject")):
            if isinstance(form, PDFStream) and form.get("Subtype") == LIT("Form") and id(form) not in seen:
                seen.add(id(form))
                yield form
                yield from self._resources(resolve1(form.get("Resources")), seen)

    def _font(self, font):
        if not isinstance(font, dict):
            return
        yield resolve1(font.get("ToUnicode"))
        for part in [font, *(_values(font.get("DescendantFonts")))]:
            descriptor = resolve1(part.get("FontDescriptor")) if isinstance(part, dict) else None
            if isinstance(descriptor, dict):
                yield from (resolve1(descriptor.get(k)) for k in ("FontFile", "FontFile2", "FontFile3"))

    def _measure(self, stream, limit: int) -> None:
        if not isinstance(stream, PDFStream) or id(stream) in self.measured:
            return
        self.measured.add(id(stream))
        filters = stream.get_filters()
        if not filters or filters[0][0] not in FLATE or stream.rawdata is None:
            return
        inflater, pending, size = zlib.decompressobj(), stream.rawdata, 0
        while pending:
            try:
                size += len(inflater.decompress(pending, STEP))
            except zlib.error:
                return  # damaged data: pdfium reports it as it does, it inflates no further
            pending = inflater.unconsumed_tail
            if size > limit:
                raise MemoryError(
                    f"a stream of the page inflates past {limit // 2**20} MiB, more than the worker may use"
                )


def _values(obj) -> list:
    obj = resolve1(obj)
    if isinstance(obj, dict):
        return [resolve1(v) for v in obj.values()]
    if isinstance(obj, list):
        return [resolve1(v) for v in obj]
    return []
