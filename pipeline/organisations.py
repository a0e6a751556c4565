"""Contributing organisations: a front section that is a run of proper names, each a bold
subheading over its own description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_ORGANISATIONS = 3  # subheadings a list of organisations has at least
SHORT_WORD = 3  # words this short ('of', 'and', 'the') need no capital in a name


@dataclass(slots=True)
class Block:
    """A front section's text cut into subheadings and paragraphs, as a list of organisations is read."""

    kind: str  # "heading" or "paragraph"
    text: str


def organisations(blocks: list[Block]) -> list[tuple[str, str]]:
    """(name, description) pairs when the section is a list of organisations: at least three
    subheadings that read as proper names, each over its own paragraphs, with at most one
    introductory paragraph before the first."""
    heads = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    if len(heads) < MIN_ORGANISATIONS or heads[0] > 1:
        return []
    out = []
    for i, start in enumerate(heads):
        end = heads[i + 1] if i + 1 < len(heads) else len(blocks)
        description = "\n\n".join(b.text for b in blocks[start + 1 : end])
        if not description or not _reads_as_name(blocks[start].text):
            return []
        out.append((blocks[start].text, description))
    return out


def _reads_as_name(text: str) -> bool:
    """Proper names capitalise most of their longer words; section headings rarely do."""
    if text.endswith(("?", ".")):
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) > SHORT_WORD]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.5 * len(words)
