"""python -m typeset.score [--variants DIR] [--out DIR]

One row per rendered variant: the shared scorer's `score:` for the extraction in
--out against the variant's own truth, and the variant's lowest metrics, which say
where to look. The scorer lives outside the repository (../shared/eval/score.py)
and is run there, never copied; without it this prints why and exits 0."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
# counts and rates where higher is not better: not "lowest metrics"
NOT_SCORES = {"diagnostics.count", "pull_quotes.leak", "score"}


def score_variant(out: Path, truth: Path, pdf_name: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "score.json"
        run = subprocess.run(
            [sys.executable, str(SCORER), str(out), str(truth), "--source", pdf_name, "--json", str(report)],
            capture_output=True,
            text=True,
        )
        if not report.exists():
            raise RuntimeError(f"{pdf_name}: the scorer failed: {(run.stderr or run.stdout).strip()}")
        return json.loads(report.read_text())["metrics"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m typeset.score", description=__doc__.splitlines()[0])
    ap.add_argument("--variants", type=Path, default=ROOT / "out" / "variants", help="the PDFs and truths")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "variants-out", help="their extraction")
    ap.add_argument("--lowest", type=int, default=4, help="how many of the lowest metrics to show")
    a = ap.parse_args(argv)
    if not SCORER.exists():
        print(f"not scored: the shared scorer {SCORER} is not there (../shared is absent)")
        return 0
    truths = sorted(a.variants.glob("*.truth.json"))
    if not truths:
        print(f"nothing to score: no *.truth.json under {a.variants} (make variants)")
        return 1
    print(f"{'variant':<16} {'score':<13}   lowest metrics")
    for truth in truths:
        name = truth.name.removesuffix(".truth.json")
        metrics = score_variant(a.out, truth, f"{name}.pdf")
        lowest = sorted((v, k) for k, v in metrics.items() if k not in NOT_SCORES and v < 1)[: a.lowest]
        print(f"{name:<16} score: {metrics['score']:.4f}   " + ", ".join(f"{k} {v:.3f}" for v, k in lowest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
