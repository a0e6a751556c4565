"""What a batch reads: regular files, found in the paths given and never beyond them.

Folders nobody curated hold more than PDFs: FIFOs and devices (reading one
blocks for ever or never ends), links leading anywhere on the machine
(`/etc/passwd` saved as `notes.pdf`), folders the run may not read. None of
them may stop or hang a batch, and none is passed over in silence: each
becomes a `Refusal`, which the batch records like any failed file.
"""

from __future__ import annotations

import hashlib
import os
import queue
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

from compendium_corpus.errors import LinkOutsideInput, NotRegularFile

KINDS = {
    stat.S_IFIFO: "FIFO",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFSOCK: "socket",
    stat.S_IFDIR: "folder",
}


@dataclass(frozen=True)
class Refusal:
    """An input that is not read, and why (`code` as in the manifest)."""

    path: Path
    code: str
    message: str


def _is_pdf_name(name: str) -> bool:
    return name.lower().endswith(".pdf")


def _inside(target: Path, root: Path) -> bool:
    return target == root or target.is_relative_to(root)


def find_inputs(paths: list[Path], follow_links: bool = False) -> list[Path | Refusal]:
    """Files as given (whatever their suffix), folders searched recursively for *.pdf
    (any case), in order, each once. In a folder, a link whose target lies outside it is
    refused unless `follow_links`; a subfolder that cannot be read is a Refusal."""
    found: list[Path | Refusal] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += _scan(path, follow_links)
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _scan(folder: Path, follow_links: bool) -> list[Path | Refusal]:
    root = folder.resolve()
    found: list[Path | Refusal] = []
    seen = {root}

    def unreadable(err: OSError) -> None:
        where = Path(err.filename or folder)
        found.append(Refusal(where, "io-error", f"folder {where} could not be read: {err.strerror or err}"))

    for (
        top,
        dirs,
        files,
    ) in os.walk(folder, onerror=unreadable, followlinks=follow_links):
        for name in sorted(dirs):
            sub = Path(top) / name
            target = sub.resolve()
            if sub.is_symlink() and (target in seen or not _inside(target, root)) and not follow_links:
                found.append(
                    Refusal(
                        sub,
                        LinkOutsideInput.code,
                        f"{name} leads out of {folder} (to {target}); --follow-links reads such links",
                    )
                )
            if follow_links and target in seen:
                dirs.remove(name)  # a cycle of links
            seen.add(target)
        dirs.sort()
        for name in sorted(files):
            path = Path(top) / name
            if not _is_pdf_name(name):
                continue
            if path.is_symlink() and not follow_links and not _inside(path.resolve(), root):
                found.append(
                    Refusal(
                        path, LinkOutsideInput.code, f"{name} leads out of {folder}; --follow-links reads such links"
                    )
                )
            else:
                found.append(path)
    return found


def file_sha256(path: Path) -> str:
    """The SHA-256 of a regular file's bytes; NotRegularFile for anything else. The file is
    opened without blocking, so a FIFO that appeared after it was checked cannot hang it."""
    _require_regular(os.stat(path).st_mode, path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    with open(fd, "rb") as f:
        _require_regular(os.fstat(fd).st_mode, path)
        return hashlib.file_digest(f, "sha256").hexdigest()


def _require_regular(mode: int, path: Path) -> None:
    if not stat.S_ISREG(mode):
        kind = KINDS.get(stat.S_IFMT(mode), "special file")
        raise NotRegularFile(f"{path.name} is a {kind}, not a regular file; it is not read")


def hash_within(path: Path, seconds: float) -> str:
    """file_sha256 in at most `seconds`: a file on a stalled network mount must not hold up
    the batch. The reading thread is left behind (it cannot be interrupted); TimeoutError."""
    answer: queue.Queue = queue.Queue(maxsize=1)

    def read() -> None:
        try:
            answer.put((file_sha256(path), None))
        except BaseException as err:  # handed to the caller, who classifies it
            answer.put((None, err))

    reader = threading.Thread(target=read, daemon=True, name=f"hash {path.name}")
    reader.start()
    try:
        digest, error = answer.get(timeout=seconds)
    except queue.Empty:
        raise TimeoutError(f"{path.name} could not be read within {seconds:g} s") from None
    reader.join()  # it has answered: gone at once, and the batch may fork its workers again
    if error is not None:
        raise error
    return digest
