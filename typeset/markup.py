"""The truth's inline markup as HTML: `[^N]` note markers, `**bold**`, `*italic*` and
`[text](#)` links (brackets and parentheses inside link text escaped with a
backslash). The words are kept exactly; only the markup becomes typography, so
that a variant's text layer reads as the truth's plain text."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

TOKEN = re.compile(
    r"\[\^(?P<note>\d+)\]"
    r"|\[(?P<link>(?:\\.|[^\]\\])*)\]\((?P<href>[^)]*)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|\*(?P<italic>[^*]+?)\*"
    r"|\\(?P<escaped>[\[\]()*])"
)


def no_marker(number: int) -> str:
    """For display copies (pull-quotes, headings): a marker is not repeated there."""
    return ""


def inline(text: str, marker: Callable[[int], str] = no_marker, urls: Iterator[str] | None = None) -> str:
    """HTML for one text of the truth. `marker(n)` gives the HTML of note marker n (the
    document decides: a superscript, a page-foot note's call); `urls` are the targets of
    the text's links in order (a note's `link_urls`), '#' when there are none."""
    out, pos = [], 0
    for m in TOKEN.finditer(text):
        out.append(html.escape(text[pos : m.start()], quote=False))
        pos = m.end()
        if m["note"] is not None:
            out.append(marker(int(m["note"])))
        elif m["link"] is not None:
            href = next(urls, "#") if urls is not None else "#"
            out.append(f'<a href="{html.escape(href)}">{inline(m["link"], marker)}</a>')
        elif m["bold"] is not None:
            out.append(f"<b>{inline(m['bold'], marker, urls)}</b>")
        elif m["italic"] is not None:
            out.append(f"<i>{inline(m['italic'], marker, urls)}</i>")
        else:
            out.append(html.escape(m["escaped"], quote=False))
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def plain(text: str) -> str:
    """The words a reader sees: what `inline` prints, without tags and without markers."""
    return html.unescape(re.sub(r"<[^>]+>", "", inline(text)))
