"""Command line: `compendium extract | validate | schema`."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from tqdm import tqdm

from pipeline import __version__
from pipeline.batch import Outcome, OutputBusy, Settings, default_jobs, run_batch
from pipeline.executors import Limits
from pipeline.validate import validate_dir
from schemas.arrow import arrow_field
from schemas.tables import TABLES

CONTEXT = {"help_option_names": ["-h", "--help"]}
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="compendium")
def main() -> None:
    """Turn policy-compendium PDFs into a validated, Hive-partitioned Parquet corpus."""


def find_pdfs(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given (whatever their suffix), folders searched recursively for *.pdf, any case."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def parse_size(ctx, param, value: str) -> int | None:
    """'4G', '512M', '300000000' to bytes; 'none' or '0' for no ceiling."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?", value.strip().lower())
    if value.strip().lower() == "none" or (match and float(match[1]) == 0):
        return None
    if not match:
        raise click.BadParameter(f"{value!r} is not a size such as 4G, 512M or none")
    return int(float(match[1]) * 1024 ** " kmgt".index(match[2] or " "))


def outcome_line(outcome: Outcome) -> str:
    """The one console line of a file's outcome. Control characters (from file names, or
    from parser messages quoting a PDF's bytes) are masked: one line, no terminal escapes."""
    name = outcome.path.name
    if outcome.action == "skipped":
        standing = "ok" if outcome.status == "ok" else f"failed: {outcome.code}"
        line = f"skipped  {name}  ({outcome.note}; {standing})"
    elif outcome.action == "ok":
        rows = outcome.rows
        line = (f"ok  {name}  ({rows.get('papers', 0)} papers, {rows.get('paragraphs', 0)} paragraphs, "
                f"{rows.get('diagnostics', 0)} diagnostics, {outcome.seconds:.1f} s)")
    else:
        line = f"FAILED {name}: {outcome.code}: {outcome.message}"
    return CONTROL.sub("?", line)


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; one Hive-partitioned Parquet dataset per table.")
@click.option("--password", help="Password for encrypted PDFs (tried on every encrypted file).")
@click.option("--jobs", type=click.IntRange(min=1), default=default_jobs(), show_default="number of cores",
              help="Documents extracted at the same time, each in its own worker process.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=Limits.timeout, show_default=True,
              help="Seconds one document may take before its worker is stopped.")
@click.option("--max-memory", "max_memory", default="4G", show_default=True, callback=parse_size,
              help="Memory one document's worker may add to its start-up size (e.g. 512M, 8G, none).")
@click.option("--force", is_flag=True, help="Re-extract documents a previous run already handled.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the run summary as JSON on stdout (the per-file lines go to stderr).")
def extract(paths: tuple[Path, ...], out_dir: Path, password: str | None, jobs: int, timeout: float,
            max_memory: int | None, force: bool, as_json: bool) -> None:
    """Extract PDFs (files, or folders searched recursively) into OUT.

    Each document is extracted in a worker process of its own, with a time
    limit and a memory ceiling, and replaces only its own partitions (doc_id =
    first 16 hex characters of the file's SHA-256), atomically and only once
    its rows are validated. Every file ends with one line: ok, FAILED with a
    classified code, or skipped (unchanged since a previous run; --force redoes
    it). OUT/_manifest.parquet records every file, OUT/_runs/ every run.

    \b
    Exit status:
      0  every document is extracted (now or by an earlier run)
      1  some documents failed
      2  no document could be extracted (or no PDF was found)
      3  the output folder is in use by another run, or cannot be written
    130  interrupted (Ctrl-C); documents finished so far are kept
    """
    pdfs = find_pdfs(paths)
    if not pdfs:
        click.echo("no PDF files found", err=True)
        sys.exit(2)
    settings = Settings(password, Limits(timeout, max_memory), jobs, force)
    lines = sys.stderr if as_json else sys.stdout
    quiet = not sys.stderr.isatty()
    with tqdm(total=len(pdfs), desc="documents", unit="doc", disable=quiet) as documents, \
            tqdm(unit="page", leave=False, disable=quiet or jobs > 1) as pages:
        current: list[Path] = []

        def on_page(path: Path, done: int, total: int) -> None:
            if current != [path]:
                current[:] = [path]
                pages.reset(total)
                pages.set_description(path.name)
            pages.update(done - pages.n)

        def on_outcome(outcome: Outcome) -> None:
            documents.update()
            tqdm.write(outcome_line(outcome), file=lines)

        try:
            summary = run_batch(pdfs, out_dir, settings, on_outcome, on_page)
        except KeyboardInterrupt:
            click.echo("interrupted: documents finished so far are kept; run again to go on", err=True)
            sys.exit(130)
        except (OutputBusy, OSError) as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(3)
    totals = summary.totals()
    click.echo(f"{totals['files']} files: {totals['ok']} ok, {totals['failed']} failed, "
               f"{totals['skipped']} skipped; summary in {summary.report}", file=lines)
    if as_json:
        click.echo(summary.report.read_text(), nl=False)
    sys.exit(summary.exit_status)


@main.command(context_settings=CONTEXT)
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
def validate(out_dir: Path) -> None:
    """Re-read every table under OUT_DIR and check each row against its model.

    Exits 1 and lists the violations if any row, file schema or partition is wrong.
    """
    counts, violations = validate_dir(out_dir)
    width = max(map(len, counts))
    for name, n in counts.items():
        click.echo(f"{name:<{width}}  {n}")
    for violation in violations:
        click.echo(f"violation: {violation}", err=True)
    if violations:
        sys.exit(1)


def data_dictionary() -> list[dict[str, str]]:
    """One entry per column of every table, read from the models."""
    entries = []
    for table, model in TABLES.items():
        for name, info in model.model_fields.items():
            arrow = arrow_field(name, model)
            entries.append({
                "table": table, "column": name, "type": str(arrow.type),
                "nullable": "yes" if arrow.nullable else "no",
                "description": info.description or "",
                "example": repr(info.examples[0]) if info.examples else "",
            })
    return entries


@main.command(context_settings=CONTEXT)
@click.option("--markdown", is_flag=True, help="Markdown tables, one per output table.")
def schema(markdown: bool) -> None:
    """Print the data dictionary: every table's columns with type, nullability, description, example."""
    columns = ["column", "type", "nullable", "description", "example"]
    entries = data_dictionary()
    for table in TABLES:
        rows = [[e[c] for c in columns] for e in entries if e["table"] == table]
        if markdown:
            click.echo(f"### {table}\n")
            click.echo("| " + " | ".join(columns) + " |")
            click.echo("|" + "---|" * len(columns))
            for row in rows:
                click.echo("| " + " | ".join(f"`{v}`" if i in (0, 1) else v.replace("|", "\\|")
                                             for i, v in enumerate(row)) + " |")
        else:
            click.echo(table)
            widths = [max(len(r[i]) for r in rows) for i in range(3)]
            for row in rows:
                click.echo("  " + "  ".join(v.ljust(w) for v, w in zip(row[:3], widths)) + "  " + "  ".join(filter(None, row[3:])))
        click.echo()
