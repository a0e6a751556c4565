#!/usr/bin/env python3
"""The fuzz batch of issue 14: byte-level mutants of the two-column sample, and hostile
files, through `compendium extract` as an archive runs it, under each engine.

Not a test (it takes some 10 to 20 minutes per engine on two cores); the suite runs a
few of the same mutants (tests/test_fuzz_batch.py). Every file must end with a line,
no traceback may reach the console, the batch must end before --timeout times the
number of files, and `compendium validate` must pass. Prints per engine the outcome
codes with their counts, how many of the mutants were extracted, and the timings;
writes the same as JSON to OUT/fuzz.json.

usage: fuzz_batch.py [--out OUT] [--mutants N] [--engines pdfplumber,pdfium] [--no-hostile]
                     [--timeout S] [--jobs N] [--max-memory SIZE]

The memory ceiling defaults to 1G, below what the bombs (1 GiB each) inflate to and
well above what the sample needs, so that each bomb is met as an archive would meet a
larger one: past the ceiling.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_pdfs import HOSTILE  # noqa: E402  (tests/ holds the builders)
from mutants import mutants  # noqa: E402

SAMPLE = ROOT / "raw" / "eu-china-crossroads-vol5.pdf"
CLI = Path(sys.executable).parent / "compendium"


def build(folder: Path, count: int, hostile: bool) -> tuple[list[Path], list[Path]]:
    (folder / "mutants").mkdir(parents=True, exist_ok=True)
    made = []
    for name, data in mutants(SAMPLE.read_bytes(), count):
        path = folder / "mutants" / f"{name}.pdf"
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        made.append(path)
    others = []
    if hostile:
        (folder / "hostile").mkdir(exist_ok=True)
        for name, builder in HOSTILE.items():
            path = folder / "hostile" / f"{name}.pdf"
            if not path.exists():
                builder(path)
            others.append(path)
    return made, others


def run(engine: str, files: list[Path], out: Path, timeout: float, jobs: int, memory: str) -> dict:
    start = time.monotonic()
    done = subprocess.run(
        [
            CLI,
            "extract",
            *files,
            "--out",
            out,
            "--engine",
            engine,
            "--force",
            "--timeout",
            str(timeout),
            "--jobs",
            str(jobs),
            "--max-memory",
            memory,
            "--json",
        ],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout * len(files) + 600,
    )
    seconds = time.monotonic() - start
    summary = json.loads(done.stdout)
    checked = subprocess.run([CLI, "validate", out], capture_output=True, text=True)
    lines = [line for line in done.stderr.splitlines() if line.startswith(("ok  ", "FAILED ", "skipped  "))]
    return {
        "engine": engine,
        "exit_status": done.returncode,
        "seconds": round(seconds, 1),
        "lines": len(lines),
        "files": len(files),
        "traceback": "Traceback" in done.stderr,
        "validate": checked.returncode,
        "violations": checked.stderr.splitlines()[:10],
        "outcomes": [
            {
                "file": Path(f["path"]).name,
                "status": f["status"],
                "code": f["code"],
                "seconds": round(f["seconds"], 2),
                "message": f["message"],
            }
            for f in summary["files"]
        ],
    }


def table(result: dict, mutant_names: set[str]) -> str:
    outcomes = result["outcomes"]
    mutated = [o for o in outcomes if o["file"] in mutant_names]
    codes = Counter((o["code"] or "ok") for o in mutated)
    hostile = [o for o in outcomes if o["file"] not in mutant_names]
    times = sorted(o["seconds"] for o in mutated) or [0.0]
    out = [
        f"engine {result['engine']}: {result['files']} files, {result['lines']} lines, exit {result['exit_status']}, "
        f"traceback {'YES' if result['traceback'] else 'no'}, validate exit {result['validate']}, "
        f"{result['seconds']:.0f} s wall",
        f"  mutants: {codes.get('ok', 0)} of {len(mutated)} extracted; per file median "
        f"{times[len(times) // 2]:.1f} s, max {times[-1]:.1f} s",
    ]
    out += [f"    {code:<26} {n}" for code, n in codes.most_common()]
    out += [f"  hostile {o['file']:<28} {o['code'] or 'ok':<22} {o['seconds']:.1f} s" for o in hostile]
    out += [f"  violation: {v}" for v in result["violations"]]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out-fuzz")
    parser.add_argument("--mutants", type=int, default=150)
    parser.add_argument("--engines", default="pdfplumber,pdfium")
    parser.add_argument("--no-hostile", action="store_true")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-memory", default="1G")
    args = parser.parse_args()
    made, others = build(args.out / "in", args.mutants, not args.no_hostile)
    names = {p.name for p in made}
    results = []
    for engine in args.engines.split(","):
        result = run(engine, made + others, args.out / engine, args.timeout, args.jobs, args.max_memory)
        results.append(result)
        print(table(result, names), flush=True)
    (args.out / "fuzz.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
