"""Sets the sample again in each variant's layout: DIR/NAME.pdf, with its truth beside it.

python -m typeset [NAME ...] [--out DIR] [--truth FILE] [--force]

Renders each variant (all by default) to DIR/NAME.pdf and DIR/NAME.truth.json. A
variant whose outputs were made from the same typesetter code, stylesheets, input
truth and WeasyPrint version is left as it is."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from typeset.variants import VARIANTS

ROOT = Path(__file__).resolve().parents[1]
SOURCE_TRUTH = ROOT / "tests" / "truth" / "eu-china-crossroads-vol5.truth.json"


def fingerprint(name: str, truth_path: Path) -> str:
    """What a variant's bytes depend on (the code that makes them, its stylesheets, the
    input truth and WeasyPrint's version); kept in its truth as render.typesetter."""
    import weasyprint

    here = Path(__file__).resolve().parent
    sheets = [here / "styles" / s for s in ("base.css", *VARIANTS[name].stylesheets)]
    digest = hashlib.sha256(f"{name}\0{weasyprint.__version__}\0".encode())
    code = sorted(p for p in here.glob("*.py") if p.name != "score.py")
    for path in [*code, *sheets, truth_path]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def up_to_date(out: Path, name: str, stamp: str) -> bool:
    pdf, truth = out / f"{name}.pdf", out / f"{name}.truth.json"
    if not (pdf.exists() and truth.exists()):
        return False
    try:
        return json.loads(truth.read_text(encoding="utf-8"))["render"].get("typesetter") == stamp
    except (ValueError, KeyError):
        return False


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def build(name: str, truth_path: Path, out: Path, stamp: str) -> str:
    from typeset.compose import compose
    from typeset.render import render
    from typeset.truth import variant_truth

    variant = VARIANTS[name]
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    layout = render(compose(truth, variant), variant.stylesheets)
    result = variant_truth(truth, variant, layout)
    result["render"]["typesetter"] = stamp
    # the truth first, the PDF last: a PDF present means both are whole
    write_atomically(
        out / f"{name}.truth.json", (json.dumps(result, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    )
    write_atomically(out / f"{name}.pdf", layout.document.write_pdf())
    papers = sum(len(ch["papers"]) for ch in result["chapters"])
    return f"{layout.page_count} pages, {papers} papers"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m typeset",
        description=__doc__.splitlines()[0],
        epilog="variants:\n" + "\n".join(f"  {v.name:<15} {v.summary}" for v in VARIANTS.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("names", nargs="*", metavar="NAME", help="variants to render (default: all)")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "variants", metavar="DIR")
    ap.add_argument("--truth", type=Path, default=SOURCE_TRUTH, help="the truth whose content is typeset")
    ap.add_argument("--force", action="store_true", help="render even when the outputs are up to date")
    a = ap.parse_args(argv)
    unknown = [n for n in a.names if n not in VARIANTS]
    if unknown:
        ap.error(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(VARIANTS)}")
    a.out.mkdir(parents=True, exist_ok=True)
    for name in a.names or VARIANTS:
        stamp = fingerprint(name, a.truth)
        if not a.force and up_to_date(a.out, name, stamp):
            print(f"{name}: up to date")
            continue
        start = time.perf_counter()
        summary = build(name, a.truth, a.out, stamp)
        print(f"{name}: {summary} -> {a.out / name}.pdf ({time.perf_counter() - start:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
