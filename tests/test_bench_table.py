"""The README's performance table is the one the last `make bench` wrote, figure for figure."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_bench_table_is_bench_results():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "bench" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    report = json.loads(bench.RESULTS.read_text())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert bench.readme_with(report, readme) == readme, "README's table differs from bench/results.json"
    assert report["pdf"] == "eu-china-crossroads-vol5.pdf" and report["rows"]
