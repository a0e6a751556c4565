"""Text that every writer and every terminal accepts.

Two kinds of string reach the output that are not valid Unicode: file names
that are not UTF-8 (common in archives unpacked from zip or tar; Python keeps
their bytes as lone surrogates U+DC80-U+DCFF) and text whose font maps a
glyph to a surrogate code point (a ToUnicode entry or a glyph name `uniD800`).
Parquet and JSON refuse both, so they are made valid in the process that made
them: a name's undecodable byte becomes the four characters `\\xNN` (the bytes
can be told back from the name), any other lone surrogate becomes U+FFFD.
"""

from __future__ import annotations

import re

SURROGATE = re.compile("[\ud800-\udfff]")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _replacement(match: re.Match) -> str:
    code = ord(match[0])
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def repair(text: str) -> str:
    """`text` with every lone surrogate replaced (see the module's docstring)."""
    return SURROGATE.sub(_replacement, text) if SURROGATE.search(text) else text


def repair_rows(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The rows with every string in them repaired, in place."""
    for rows in tables.values():
        for row in rows:
            for key, value in row.items():
                row[key] = _repaired(value)
    return tables


def _repaired(value):
    if isinstance(value, str):
        return repair(value)
    if isinstance(value, list):
        return [_repaired(v) for v in value]
    if isinstance(value, dict):
        return {k: _repaired(v) for k, v in value.items()}
    return value


def printable(text: str) -> str:
    """One line for a terminal: repaired, and control characters (terminal escape codes in
    a file name, a parser message quoting a PDF's bytes) shown as `?`."""
    return CONTROL.sub("?", repair(text))
