"""Command line: `compendium extract | validate | schema`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from pipeline import __version__
from pipeline.run import DocumentResult, run_document
from pipeline.validate import validate_dir
from schemas.arrow import arrow_field
from schemas.tables import TABLES

CONTEXT = {"help_option_names": ["-h", "--help"]}


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


def _summary(result: DocumentResult) -> str:
    name = result.source.name
    if result.status == "ok":
        c = result.counts
        return f"ok  {name}  ({c.get('papers', 0)} papers, {c.get('paragraphs', 0)} paragraphs, {result.seconds:.1f} s)"
    return f"FAILED {name}: {result.error_code}: {result.error_message}"


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; one Hive-partitioned Parquet dataset per table.")
@click.option("--password", help="Password for encrypted PDFs.")
def extract(paths: tuple[Path, ...], out_dir: Path, password: str | None) -> None:
    """Extract PDFs (files, or folders searched recursively) into OUT.

    Each document replaces only its own partitions (doc_id = first 16 hex
    characters of the file's SHA-256). A failed document gets a diagnostics
    row and its error on one line; the run goes on with the next file.

    \b
    Exit status:
      0  every document was extracted
      1  some documents failed
      2  no document could be extracted (or no PDF was found)
    """
    pdfs = find_pdfs(paths)
    if not pdfs:
        click.echo("no PDF files found", err=True)
        sys.exit(2)
    quiet = not sys.stderr.isatty()
    failed = 0
    with tqdm(pdfs, desc="documents", unit="doc", disable=quiet) as documents:
        for pdf in documents:
            with tqdm(desc=pdf.name, unit="page", leave=False, disable=quiet) as pages:
                def on_page(done: int, total: int) -> None:
                    pages.total = total
                    pages.update(done - pages.n)
                result = run_document(pdf, out_dir, password=password, on_page=on_page)
            failed += result.status != "ok"
            tqdm.write(_summary(result))
    sys.exit(0 if not failed else 2 if failed == len(pdfs) else 1)


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
