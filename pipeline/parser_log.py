"""What the PDF parsers say while a document is read, kept off the console.

pdfminer and pdfplumber log and warn ("Data-loss while decompressing corrupted data",
...) on stderr; in a batch those lines belong to the document they are about, as
`pdf-parser-warning` diagnostics, not on a console shared by every document.
"""

from __future__ import annotations

import logging
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from compendium_corpus.model import Diagnostics
from compendium_corpus.parallel import PARSER_LOGGERS
from compendium_corpus.rows import diagnostic_rows

MAX_PARSER_ROWS = 20  # distinct parser messages kept per document; the rest are only counted


class ParserLog(logging.Handler):
    """Collects what pdfminer and pdfplumber would print on stderr ("Data-loss while
    decompressing corrupted data", ...): it belongs to the document's diagnostics,
    not on a console shared by a whole batch."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a malformed log call must not print logging's own traceback
            text = str(record.msg)
        self.messages[f"{record.name.split('.')[0]}: {text}"[:500]] += 1

    def rows(self, doc_id: str) -> list[dict]:
        common = self.messages.most_common()
        found = Diagnostics()
        for message, n in common[:MAX_PARSER_ROWS]:
            found.add("pdf-parser-warning", message + (f" (x{n})" if n > 1 else ""))
        if len(common) > MAX_PARSER_ROWS:
            found.add(
                "pdf-parser-warning",
                f"{sum(n for _, n in common[MAX_PARSER_ROWS:])} more parser "
                f"warnings of {len(common) - MAX_PARSER_ROWS} other kinds",
            )
        return diagnostic_rows(found.items, doc_id)


@contextmanager
def parser_log() -> Iterator[ParserLog]:
    handler = ParserLog()
    loggers = [logging.getLogger(name) for name in PARSER_LOGGERS]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
        lg.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:  # library warnings would reach the console too
            warnings.simplefilter("always")
            yield handler
    finally:
        handler.messages.update(f"warning: {w.message}"[:500] for w in caught)
        for lg, (propagate, level) in zip(loggers, saved):
            lg.removeHandler(handler)
            lg.propagate, lg.level = propagate, level
