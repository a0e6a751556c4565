#!/usr/bin/env python3
"""What extraction costs, against what reading the PDF costs (`make bench`).

Not a test: it times, on the committed sample, the median of --runs runs each of

  floor         pdfplumber opening the PDF and reading every page's characters
                (`page.chars`), nothing else: what any pdfplumber-based tool pays
  pdfium floor  pypdfium2 reading every character's text, box, size and font,
                nothing else: the physical limit of a pdfium-based pipeline
  pipeline      the whole pipeline (`run_batch`, as `compendium extract --force`
                runs it: worker process, every stage, validation, Parquet written),
                for each character source, on one core and on all cores
  pymupdf4llm   PyMuPDF4LLM's `to_markdown` of the same file, the tool a user might
                pick instead: as installed (its layout model on) and without it

each in a fresh process, timing only the work (not the interpreter starting),
with the peak memory of all its processes together (proportional set size:
shared pages counted once) sampled every 50 ms. Then the same pipeline on the
sample concatenated to 100 and to 1,000 pages (pypdf), to show that memory
stays flat in the number of pages (`make bench-large`: 1,000 and 10,000 pages,
once, for time linear in pages). Prints a table and writes OUT/_bench.json.

usage: bench.py [--out OUT] [--runs N] [--pdf FILE] [--skip-large] [--large-timeout S]
       bench.py --large-only --large-pages 1000,10000     # what make bench-large runs
       bench.py --profile [--engine E]     # pyinstrument profile of one single-core run
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "raw" / "eu-china-crossroads-vol5.pdf"
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# --- what each measured process runs (python bench.py --child KIND ...) ------------------------


def child(kind: str, pdf: Path, jobs: int, engine: str, timeout: float) -> dict:
    if kind == "floor":
        import pdfplumber

        start = time.perf_counter()
        with pdfplumber.open(pdf) as doc:
            chars = sum(len(page.chars) for page in doc.pages)
            pages = len(doc.pages)
        return {"seconds": time.perf_counter() - start, "pages": pages, "chars": chars}
    if kind == "floor-pdfium":
        return _pdfium_floor(pdf)
    if kind in ("pymupdf4llm", "pymupdf4llm-classic"):
        import pymupdf
        import pymupdf4llm

        if kind == "pymupdf4llm-classic":
            pymupdf4llm.use_layout(False)
        start = time.perf_counter()
        markdown = pymupdf4llm.to_markdown(str(pdf), show_progress=False)
        seconds = time.perf_counter() - start
        with pymupdf.open(pdf) as doc:
            pages = doc.page_count
        return {"seconds": seconds, "pages": pages, "chars": len(markdown)}
    from compendium_corpus.batch import Settings, run_batch
    from compendium_corpus.executors import Limits

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        summary = run_batch(
            [pdf], Path(out), Settings(limits=Limits(timeout=timeout), jobs=jobs, force=True, engine=engine)
        )
        seconds = time.perf_counter() - start
    [outcome] = summary.outcomes
    if outcome.status != "ok":
        raise SystemExit(f"{pdf.name}: {outcome.code}: {outcome.message}")
    return {"seconds": seconds, "pages": outcome.pages, "rows": sum(outcome.rows.values())}


# --- the measuring side ----------------------------------------------------------------------------


def _pdfium_floor(pdf: Path) -> dict:
    """Every character's text, loose box, font size and font name, as the pdfium engine
    needs them, and nothing else."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    start = time.perf_counter()
    rect, flags, name = raw.FS_RECTF(), ctypes.c_int(), ctypes.create_string_buffer(256)
    chars = 0
    doc = pdfium.PdfDocument(pdf)
    for page in doc:
        textpage = page.get_textpage()
        for i in range(raw.FPDFText_CountChars(textpage.raw)):
            raw.FPDFText_GetUnicode(textpage.raw, i)
            raw.FPDFText_GetLooseCharBox(textpage.raw, i, ctypes.byref(rect))
            raw.FPDFText_GetFontSize(textpage.raw, i)
            raw.FPDFText_GetFontInfo(textpage.raw, i, name, len(name), ctypes.byref(flags))
            chars += 1
        textpage.close()
        page.close()
    pages = len(doc)
    doc.close()
    return {"seconds": time.perf_counter() - start, "pages": pages, "chars": chars}


def _tree(root: int) -> list[int]:
    """The process and its descendants, from each task's list of children (scanning all of
    /proc instead, every 50 ms, costs the machine a sixth of a core during the runs)."""
    found, frontier = [root], [root]
    while frontier:
        children = []
        for pid in frontier:
            try:
                tasks = list(Path(f"/proc/{pid}/task").glob("*/children"))
            except OSError:  # the process ended while being looked at
                continue
            for task in tasks:
                try:
                    children += [int(c) for c in task.read_text().split()]
                except (OSError, ValueError):
                    pass
        found += children
        frontier = children
    return found


def _hwm(pid: int) -> int:
    """Peak resident set size of one process so far, in bytes (VmHWM)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _pss(pid: int) -> int:
    """Proportional set size in bytes (RSS where /proc has no smaps_rollup)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        key = "Pss:"
    except OSError:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
            key = "VmRSS:"
        except OSError:
            return 0
    for line in text.splitlines():
        if line.startswith(key):
            return int(line.split()[1]) * 1024
    return 0


def measure(kind: str, pdf: Path, jobs: int = 1, engine: str = "", timeout: float | None = None) -> dict:
    """One run in a fresh process: its own timing, and the peak memory of its process tree."""
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--pdf",
        str(pdf),
        "--jobs",
        str(jobs),
        "--timeout",
        str(timeout or 3600),
    ]
    if engine:
        command += ["--engine", engine]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak, rss = [0], [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree = _tree(process.pid)
            peak[0] = max(peak[0], sum(_pss(pid) for pid in tree))
            rss[0] = max([rss[0], *(_hwm(pid) for pid in tree)])
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        for pid in reversed(_tree(process.pid)):
            try:
                os.kill(pid, 9)
            except OSError:
                pass
        process.communicate()
        done.set()
        return {"error": f"stopped after {timeout:g} s", "peak_mb": peak[0] / 2**20, "max_rss_mb": rss[0] / 2**20}
    finally:
        done.set()
        sampler.join()
    if process.returncode != 0:
        return {"error": (err.strip().splitlines() or ["failed"])[-1], "peak_mb": peak[0] / 2**20}
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak[0] / 2**20
    result["max_rss_mb"] = rss[0] / 2**20
    return result


def median_of(runs: int, kind: str, pdf: Path, jobs: int = 1, engine: str = "") -> dict:
    results = [measure(kind, pdf, jobs, engine) for _ in range(runs)]
    good = [r for r in results if "error" not in r]
    if not good:
        return results[0]
    return {
        "seconds": statistics.median(r["seconds"] for r in good),
        "runs": [round(r["seconds"], 3) for r in good],
        "peak_mb": max(r["peak_mb"] for r in good),
        "max_rss_mb": max(r["max_rss_mb"] for r in good),
        "pages": good[0]["pages"],
    }


def concatenate(source: Path, pages: int, target: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer, reader = PdfWriter(), PdfReader(source)
    while len(writer.pages) < pages:
        writer.append(reader, pages=(0, min(len(reader.pages), pages - len(writer.pages))))
    writer.write(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "out")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 3)))
    parser.add_argument("--pdf", type=Path, default=SAMPLE)
    parser.add_argument("--skip-large", action="store_true", help="leave out the 100- and 1,000-page runs")
    parser.add_argument("--large-only", action="store_true", help="only the 100- and 1,000-page runs")
    parser.add_argument("--large-timeout", type=float, default=float(os.environ.get("BENCH_LARGE_TIMEOUT", 3600)))
    parser.add_argument("--large-pages", default="100,1000", help="page counts of the concatenated runs")
    parser.add_argument("--profile", action="store_true", help="profile one single-core run with pyinstrument")
    parser.add_argument("--child")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--engine", default="")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from compendium_corpus.source import DEFAULT_ENGINE, ENGINES

    if args.child:
        print(json.dumps(child(args.child, args.pdf, args.jobs, args.engine or DEFAULT_ENGINE, args.timeout)))
        return
    if args.profile:
        return profile(args.pdf, args.engine or DEFAULT_ENGINE, args.out)

    rows: list[dict] = []

    def add(name: str, result: dict, **extra) -> dict:
        rows.append({"measure": name, **extra, **result})
        shown = f"{result['seconds']:.2f} s" if "seconds" in result else result.get("error")
        print(f"  {name:<38} {shown}", file=sys.stderr, flush=True)
        return result

    print(f"bench: {args.pdf.name}, median of {args.runs} runs, {CORES} cores", file=sys.stderr)
    floor = add("floor: pdfplumber page.chars", median_of(args.runs, "floor", args.pdf))
    pdfium_floor = add("floor: pdfium chars (box, size, font)", median_of(args.runs, "floor-pdfium", args.pdf))
    engines = [DEFAULT_ENGINE] + [e for e in ENGINES if e != DEFAULT_ENGINE]
    for engine in engines if not args.large_only else []:
        label = engine + (" (default)" if engine == DEFAULT_ENGINE else "")
        add(f"pipeline, 1 core, {label}", median_of(args.runs, "pipeline", args.pdf, 1, engine), engine=engine, jobs=1)
        add(
            f"pipeline, {CORES} cores, {label}",
            median_of(args.runs, "pipeline", args.pdf, CORES, engine),
            engine=engine,
            jobs=CORES,
        )
    for kind, label in (
        ("pymupdf4llm-classic", "pymupdf4llm to_markdown, no layout model"),
        ("pymupdf4llm", "pymupdf4llm to_markdown (as installed)"),
    ):
        if not args.large_only:
            add(label, median_of(args.runs, kind, args.pdf))

    large = {}
    if not args.skip_large:
        with tempfile.TemporaryDirectory() as tmp:
            for pages in (int(n) for n in args.large_pages.split(",")):
                pdf = concatenate(args.pdf, pages, Path(tmp) / f"sample-{pages}.pdf")
                large[pages] = add(
                    f"pipeline, {CORES} cores, {pages} pages",
                    measure("pipeline", pdf, CORES, DEFAULT_ENGINE, timeout=args.large_timeout),
                    engine=DEFAULT_ENGINE,
                    jobs=CORES,
                )

    for row in rows:
        if "seconds" in row:
            row["ratio_to_floor"] = row["seconds"] / floor["seconds"] if "seconds" in floor else None
            row["ratio_to_pdfium_floor"] = (
                row["seconds"] / pdfium_floor["seconds"] if "seconds" in pdfium_floor else None
            )
            row["pages_per_second"] = row["pages"] / row["seconds"]
    report = {
        "pdf": args.pdf.name,
        "cores": CORES,
        "runs": args.runs,
        "default_engine": DEFAULT_ENGINE,
        "rows": rows,
        "targets": targets(rows, large),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    written = args.out / ("_bench-large.json" if args.large_only else "_bench.json")
    written.write_text(json.dumps(report, indent=1) + "\n")
    if not args.large_only and args.pdf == SAMPLE:  # the figures the README quotes, kept with the code
        RESULTS.write_text(json.dumps(report, indent=1) + "\n")
        README.write_text(readme_with(report, README.read_text(encoding="utf-8")), encoding="utf-8")
    print_table(report)
    print(f"\nwritten to {written}")


def targets(rows: list[dict], large: dict) -> dict:
    """The speed issue's acceptance figures, each with its limit and whether it holds."""

    def row(measure: str) -> dict:
        return next((r for r in rows if r["measure"].startswith(measure)), {})

    from compendium_corpus.source import DEFAULT_ENGINE

    one = row(f"pipeline, 1 core, {DEFAULT_ENGINE}")
    many = row(f"pipeline, {CORES} cores, {DEFAULT_ENGINE}")
    out = {}

    def check(name: str, value: float | None, limit: float) -> None:
        if value is not None:
            out[name] = {"value": round(value, 3), "limit": limit, "ok": value <= limit}

    check("1 core, x pdfplumber floor", one.get("ratio_to_floor"), 0.30)
    check("1 core, x pdfium floor", one.get("ratio_to_pdfium_floor"), 3.5)
    check(f"{CORES} cores, x pdfplumber floor", many.get("ratio_to_floor"), 0.20)
    check("peak MB", max((r["peak_mb"] for r in (one, many) if "peak_mb" in r), default=None), 300)
    sizes = sorted(n for n in large if "error" not in large[n])
    if len(sizes) >= 2:
        small, big = large[sizes[0]], large[sizes[-1]]
        check(f"{sizes[-1]:,} pages peak, x {sizes[0]:,} pages peak", big["peak_mb"] / small["peak_mb"], 1.2)
        check(
            f"{sizes[-1]:,} pages seconds per page, x {sizes[0]:,} pages",
            (big["seconds"] / big["pages"]) / (small["seconds"] / small["pages"]),
            1.2,
        )
    return out


def print_table(report: dict) -> None:
    print(
        f"\n{report['pdf']}: median of {report['runs']} runs, {report['cores']} cores\n"
        f"peak MB: all the run's processes together (PSS, shared pages counted once); "
        f"max RSS: its largest process\n"
    )
    print(f"{'':<44} {'seconds':>8} {'x floor':>8} {'x pdfium':>8} {'pages/s':>8} {'peak MB':>8} {'max RSS':>8}")
    for r in report["rows"]:
        if "seconds" in r:
            print(
                f"{r['measure']:<44} {r['seconds']:8.2f} {r['ratio_to_floor']:8.2f} "
                f"{r['ratio_to_pdfium_floor']:8.2f} {r['pages_per_second']:8.1f} "
                f"{r['peak_mb']:8.0f} {r.get('max_rss_mb', 0):8.0f}"
            )
        else:
            print(f"{r['measure']:<44} {r.get('error', '')}  (peak {r.get('peak_mb', 0):.0f} MB)")
    print()
    for name, t in report["targets"].items():
        print(f"{'ok  ' if t['ok'] else 'MISS'} {name}: {t['value']} (at most {t['limit']})")


README = ROOT / "README.md"
RESULTS = ROOT / "bench" / "results.json"  # the last `make bench` on the sample, whose table the README shows
README_MARKS = ("<!-- bench table: written by make bench from bench/results.json -->", "<!-- end of bench table -->")


def markdown_table(report: dict) -> str:
    """The README's table of a bench report: every row with its ratios, then the targets."""
    lines = [
        f"{report['pdf']}, median of {report['runs']} runs, {report['cores']} cores:",
        "",
        "| | seconds | × pdfplumber floor | × pdfium floor | pages/s | peak MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in report["rows"]:
        if "seconds" in r:
            lines.append(
                f"| {r['measure']} | {r['seconds']:.2f} | {r['ratio_to_floor']:.2f} | "
                f"{r['ratio_to_pdfium_floor']:.2f} | {r['pages_per_second']:.1f} | {r['peak_mb']:.0f} |"
            )
        else:
            lines.append(f"| {r['measure']} | {r.get('error', '')} | | | | {r.get('peak_mb', 0):.0f} |")
    lines += ["", "| target | measured | at most | |", "|---|---:|---:|---|"]
    lines += [
        f"| {name} | {t['value']} | {t['limit']} | {'met' if t['ok'] else 'missed'} |"
        for name, t in report["targets"].items()
    ]
    return "\n".join(lines)


def readme_with(report: dict, text: str) -> str:
    """The README text with its bench table replaced by the table of `report`."""
    start, end = README_MARKS
    before, rest = text.split(start, 1)
    return f"{before}{start}\n{markdown_table(report)}\n{end}{rest.split(end, 1)[1]}"


def profile(pdf: Path, engine: str, out: Path) -> None:
    from pyinstrument import Profiler

    from compendium_corpus.run import extract_document

    profiler = Profiler()
    profiler.start()
    extract_document(pdf, jobs=1, engine=engine)
    profiler.stop()
    out.mkdir(parents=True, exist_ok=True)
    (out / "_profile.txt").write_text(profiler.output_text(unicode=True, show_all=False))
    (out / "_profile.html").write_text(profiler.output_html())
    print(profiler.output_text(unicode=True))
    print(f"written to {out / '_profile.txt'} and {out / '_profile.html'}")


if __name__ == "__main__":
    main()
