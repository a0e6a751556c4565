"""Objects handed from one process to another, pickled and compressed.

Rows and lines as Python objects take several times the size of their pickle,
and more again scattered among a process's other objects; packed, a process
keeps or passes on a few megabytes where it would hold tens, and the memory
their making took goes back to the system once they are made.
"""

from __future__ import annotations

import pickle
import zlib
from typing import Any

LEVEL = 1  # zlib's fastest: pickles of lines and rows shrink three- to fourfold at it


def pack(value: Any) -> bytes:
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), LEVEL)


def unpack(packed: bytes) -> Any:
    return pickle.loads(zlib.decompress(packed))
