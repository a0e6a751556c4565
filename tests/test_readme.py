"""The figures the README quotes are what the tool gives: a changed count fails here
instead of going stale in the README."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "raw" / "eu-china-crossroads-vol5.pdf"


def test_the_example_run_line_counts_what_the_sample_gives(sample_out):
    line = re.search(
        r"^ok  eu-china-crossroads-vol5\.pdf  \((\d+) papers, (\d+) paragraphs, (\d+) diagnostics",
        (ROOT / "README.md").read_text(),
        re.M,
    )
    assert line, "the README's example run line is gone"
    doc_id = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()[:16]
    counts = [
        int((pd.read_parquet(sample_out / table).astype({"doc_id": str})["doc_id"] == doc_id).sum())
        for table in ("papers", "paragraphs", "diagnostics")
    ]
    assert [int(n) for n in line.groups()] == counts
