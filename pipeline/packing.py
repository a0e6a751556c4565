"""Objects handed from one process to another, pickled and compressed.

Rows and lines as Python objects take several times the size of their pickle,
and more again scattered among a process's other objects; packed, a process
keeps or passes on a few megabytes where it would hold tens, and the memory
their making took goes back to the system once they are made.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from compendium_corpus.safe_text import repair_rows

LEVEL = 1  # zlib's fastest: pickles of lines and rows shrink three- to fourfold at it
SLICE = 500  # rows packed together: a slice of the largest table is what lives unpacked at a time


def pack(value: Any) -> bytes:
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), LEVEL)


def unpack(packed: bytes) -> Any:
    return pickle.loads(zlib.decompress(packed))


class PackedTables(Mapping[str, list[dict]]):
    """A document's rows, table by table, packed a slice at a time as they are made (their
    strings made valid Unicode first, see safe_text) and unpacked afresh on each look-up:
    a document's rows take a few megabytes at 1,000 pages, not tens, in the worker that
    makes them and in the batch that writes them, one table at a time."""

    def __init__(self, packed: dict[str, list[bytes]] | None = None) -> None:
        self._packed = dict(packed or {})

    def __getitem__(self, name: str) -> list[dict]:
        return [row for part in self._packed[name] for row in unpack(part)]

    def __setitem__(self, name: str, rows: Iterable[dict]) -> None:
        self._packed[name] = []
        self.add(name, rows)

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def add(self, name: str, rows: Iterable[dict]) -> None:
        """Rows added to the end of a table, taken from `rows` as it yields them."""
        parts = self._packed[name]
        for part in batched(rows, SLICE):
            parts.append(pack(repair_rows({name: list(part)})[name]))

    def ordered(self, names: Iterable[str]) -> PackedTables:
        """The tables named, in that order (KeyError for one not made)."""
        return PackedTables({name: self._packed[name] for name in names})


def batched(items: Iterable, size: int) -> Iterator[list]:
    """`items` in lists of `size` (the last one shorter), as itertools.batched in Python 3.12."""
    iterator = iter(items)
    while part := list(islice(iterator, size)):
        yield part
