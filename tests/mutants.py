"""Byte-level mutants of a good PDF: what disks, transfers and careless tools do to files.

Seeded, so a run is reproducible: the same bytes give the same mutants. Each kind
breaks the file the way archives see it: a few bytes flipped, a span lost, a span
written twice, the end cut off, the cross-reference data zeroed.
"""

from __future__ import annotations

import random
import re

KINDS = ("flip", "delete", "duplicate", "truncate", "zero-xref")


def _flip(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] ^= rng.randint(1, 255)


def _delete(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    del data[start : start + rng.randint(1, 2000)]


def _duplicate(data: bytearray, rng: random.Random) -> None:
    start = rng.randrange(len(data))
    span = data[start : start + rng.randint(1, 2000)]
    where = rng.randrange(len(data))
    data[where:where] = span


def _truncate(data: bytearray, rng: random.Random) -> None:
    del data[int(len(data) * rng.uniform(0.3, 0.999)) :]


def _zero_xref(data: bytearray, rng: random.Random) -> None:
    """Zero the cross-reference data the trailer points to (a table or a stream), or the pointer."""
    found = list(re.finditer(rb"startxref\s+(\d+)", bytes(data)))
    if not found:
        return _flip(data, rng)
    last = found[-1]
    if rng.random() < 0.25:
        data[last.start(1) : last.end(1)] = b"0" * (last.end(1) - last.start(1))
        return None
    start = int(last[1])
    data[start : last.start()] = bytes(max(0, last.start() - start))
    return None


MUTATE = {"flip": _flip, "delete": _delete, "duplicate": _duplicate, "truncate": _truncate, "zero-xref": _zero_xref}


def mutants(data: bytes, count: int, seed: int = 14) -> list[tuple[str, bytes]]:
    """`count` mutants of `data`, the kinds in turn: [(name, bytes)], names like `017-delete`."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        mutant = bytearray(data)
        MUTATE[kind](mutant, rng)
        out.append((f"{i:03d}-{kind}", bytes(mutant)))
    return out
