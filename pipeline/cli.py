"""Command line: `compendium extract | validate | schema | inspect | report | export`."""

from __future__ import annotations

import json
import logging
import re
import signal
import sys
from pathlib import Path

import click
from tqdm import tqdm

from compendium_corpus import PIPELINE_VERSION, dictionary
from compendium_corpus.batch import EXECUTORS, Outcome, OutputBusy, Settings, default_jobs, run_batch
from compendium_corpus.executors import Limits
from compendium_corpus.export import FORMATS
from compendium_corpus.inputs import find_inputs
from compendium_corpus.ocr import DEFAULT_MODE as DEFAULT_OCR
from compendium_corpus.ocr import MODES as OCR_MODES
from compendium_corpus.safe_text import printable
from compendium_corpus.source import DEFAULT_ENGINE, ENGINES
from compendium_corpus.validate import validate_dir

CONTEXT = {"help_option_names": ["-h", "--help"]}


class _Bar(tqdm):
    """tqdm without its monitor thread (which only tunes how often a bar redraws): a batch
    running no thread forks its workers straight from itself (see executors._context)."""

    monitor_interval = 0


class _Printable(logging.Formatter):
    """Log lines name files: their terminal escape codes are masked, as on every line we print."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def engine_option(help: str):
    """--engine, as every command that reads PDFs takes it."""
    return click.option("--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True, help=help)


def say(text: str, err: bool = False, file=None) -> None:
    """click.echo of a line that may hold file names or parser messages, masked (safe_text)."""
    click.echo(printable(text), err=err, file=file)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP: the run ends as after Ctrl-C, its summary written."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame) -> None:
    raise Stopped(signum)


def setup_logging(verbose: int, quiet: int) -> int:
    """Log records of the pipeline's own modules to stderr: warnings by default, -v info,
    -vv debug, -q errors only. Parser chatter (pdfminer) stays out unless -vvv."""
    level = min(logging.CRITICAL, max(logging.DEBUG, logging.WARNING - 10 * verbose + 10 * quiet))
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _Printable("%(levelname)s: %(message)s" if verbose < 2 else "%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    logger = logging.getLogger("compendium_corpus")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    if verbose >= 3:
        for name in ("pdfminer", "pdfplumber"):
            logging.getLogger(name).setLevel(logging.DEBUG)
    return verbose - quiet


@click.group(context_settings=CONTEXT)
@click.version_option(PIPELINE_VERSION, prog_name="compendium", message="%(prog)s %(version)s")
@click.option("-v", "--verbose", count=True, help="Say more on stderr: -v what is being done, -vv debugging detail.")
@click.option("-q", "--quiet", count=True, help="Say less: errors only, no progress or per-item lines.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: int) -> None:
    """Turn policy-compendium PDFs into a validated, Hive-partitioned Parquet corpus.

    \b
    compendium extract raw/ --out out      PDFs to Parquet tables
    compendium validate out                check every row against its model
    compendium schema --markdown           the data dictionary (docs/DATA.md)
    compendium inspect X.pdf --page 20     what each stage decided, drawn on the page
    compendium report out                  one HTML page about the corpus
    compendium export out --to jsonl x     one JSON line (or Markdown file) per paper

    -v/-q go before the command (compendium -v report out); every command has --help.
    """
    ctx.obj = {"verbosity": setup_logging(verbose, quiet)}


def verbosity() -> int:
    """-v/-q as given to the group: > 0 more, < 0 less, 0 default."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None and not (isinstance(ctx.obj, dict) and "verbosity" in ctx.obj):
        ctx = ctx.parent
    return ctx.obj["verbosity"] if ctx is not None else 0


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
        line = (
            f"ok  {name}  ({rows.get('papers', 0)} papers, {rows.get('paragraphs', 0)} paragraphs, "
            f"{rows.get('diagnostics', 0)} diagnostics, {outcome.seconds:.1f} s)"
        )
    else:
        line = f"FAILED {name}: {outcome.code}: {outcome.message}"
    return printable(line)


@main.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Output folder; one Hive-partitioned Parquet dataset per table.",
)
@click.option("--password", help="Password for encrypted PDFs (tried on every encrypted file).")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=default_jobs(),
    show_default="number of cores",
    help="Cores to use: documents extracted at the same time, each in its own worker process; "
    "the pages of the last (or only) document are read in parallel on the cores left.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=Limits.timeout,
    show_default=True,
    help="Seconds one document may take before its worker is stopped.",
)
@click.option(
    "--max-memory",
    "max_memory",
    default="4G",
    show_default=True,
    callback=parse_size,
    help="Memory one document's worker (its page readers included) may add to its start-up size (e.g. 512M, 8G, none).",
)
@click.option("--force", is_flag=True, help="Re-extract documents a previous run already handled.")
@engine_option("Character source: pdfium (the default, fast), or pdfplumber (pdfminer; see README, Performance).")
@click.option(
    "--ocr",
    type=click.Choice(OCR_MODES),
    default=DEFAULT_OCR,
    show_default=True,
    help="Read pages without a text layer by OCR (OCRmyPDF with Tesseract): auto, when most of a "
    "document's pages have none (a scan); always, whenever a page has none; never. Pages "
    "with a text layer always keep their own.",
)
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    default=None,
    show_default="local",
    help="local: worker processes on this machine; dask: tasks on a Dask cluster "
    "(a LocalCluster of --jobs workers unless --scheduler is given).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Dask scheduler to run on, e.g. tcp://host:8786 (implies --executor dask); its workers "
    "must see the input files and OUT at the same paths.",
)
@click.option(
    "--follow-links", is_flag=True, help="Read links in the folders given that lead out of them (refused by default)."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the run summary as JSON on stdout (the per-file lines go to stderr)."
)
def extract(
    paths: tuple[Path, ...],
    out_dir: Path,
    password: str | None,
    jobs: int,
    timeout: float,
    max_memory: int | None,
    force: bool,
    engine: str,
    ocr: str,
    executor: str | None,
    scheduler: str | None,
    follow_links: bool,
    as_json: bool,
) -> None:
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
      3  the output folder is in use by another run, or some output cannot be written
    130  interrupted (Ctrl-C); documents finished so far are kept (143: SIGTERM, 129: SIGHUP)
    """
    pdfs = find_inputs(list(paths), follow_links)
    if not pdfs:
        click.echo("no PDF files found", err=True)
        sys.exit(2)
    if executor == "local" and scheduler:
        raise click.UsageError("--scheduler runs on Dask: use it without --executor local")
    settings = Settings(
        password,
        Limits(timeout, max_memory),
        jobs,
        force,
        engine,
        "dask" if scheduler else executor or "local",
        scheduler,
        ocr,
    )
    lines = sys.stderr if as_json else sys.stdout
    silent = verbosity() < 0  # -q: only the failures, on stderr
    quiet = silent or not sys.stderr.isatty()
    with (
        _Bar(total=len(pdfs), desc="documents", unit="doc", disable=quiet) as documents,
        _Bar(unit="page", leave=False, disable=quiet or (jobs > 1 and len(pdfs) > 1)) as pages,
    ):
        current: list[Path] = []

        def on_page(path: Path, done: int, total: int) -> None:
            if current != [path]:
                current[:] = [path]
                pages.reset(total)
                pages.set_description(path.name)
            pages.update(done - pages.n)

        def on_outcome(outcome: Outcome) -> None:
            documents.update()
            if not silent:
                _Bar.write(outcome_line(outcome), file=lines)
            elif outcome.action == "failed":
                _Bar.write(outcome_line(outcome), file=sys.stderr)

        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _stop)
        try:
            summary = run_batch(pdfs, out_dir, settings, on_outcome, on_page)
        except KeyboardInterrupt as err:
            signum = getattr(err, "signum", signal.SIGINT)
            how = "interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}"
            click.echo(f"{how}: documents finished so far are kept; run again to go on", err=True)
            sys.exit(128 + signum)
        except (OutputBusy, OSError) as err:
            say(f"error: {err}", err=True)
            sys.exit(3)
    for warning in summary.warnings:
        say(f"warning: {warning}", err=True)
    totals = summary.totals()
    if not silent:
        click.echo(
            f"{totals['files']} files: {totals['ok']} ok, {totals['failed']} failed, "
            f"{totals['skipped']} skipped; summary in {summary.report}",
            file=lines,
        )
    if as_json:
        assert summary.report is not None  # run_batch has written it
        click.echo(summary.report.read_text(), nl=False)
    sys.exit(summary.exit_status)


@main.command(context_settings=CONTEXT)
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"valid": ..., "rows": {table: count}, "violations": [...]} on stdout instead.',
)
def validate(out_dir: Path, as_json: bool) -> None:
    """Re-read every table under OUT_DIR and check each row against its model.

    Exits 1 and lists the violations if any row, file schema or partition is wrong.
    """
    counts, violations = validate_dir(out_dir)
    if as_json:
        click.echo(json.dumps({"valid": not violations, "rows": counts, "violations": violations}, indent=2))
        sys.exit(1 if violations else 0)
    width = max(map(len, counts))
    for name, n in counts.items():
        click.echo(f"{name:<{width}}  {n}")
    for violation in violations:
        click.echo(f"violation: {violation}", err=True)
    if violations:
        sys.exit(1)


data_dictionary = dictionary.data_dictionary  # kept importable from here


@main.command(context_settings=CONTEXT)
@click.option("--markdown", is_flag=True, help="The whole data dictionary as Markdown (what docs/DATA.md holds).")
def schema(markdown: bool) -> None:
    """Print the data dictionary: each column's type, meaning and example.

    One block per table, every column with its Arrow type, whether it may be
    null, its meaning and an example value from the sample. Read from the
    models in schemas/tables.py, so it always matches what extract writes.
    `compendium schema --markdown > docs/DATA.md` refreshes the committed copy.
    """
    click.echo(dictionary.markdown() if markdown else dictionary.plain(), nl=False)


@main.command(context_settings=CONTEXT)
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--page",
    "pages",
    type=click.IntRange(min=1),
    multiple=True,
    help="Physical page to draw (1-based, as in the tables' page columns); repeat for several.",
)
@click.option("--paper", "paper_id", metavar="ID", help="Draw every page of this paper (its paper_id, e.g. p03).")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="PNG file for one page, folder (page-NNN.png) for several. "
    "Default: PDFNAME-page-NNN.png, or folder PDFNAME-ID/ for --paper.",
)
@click.option("--dpi", type=click.IntRange(min=36, max=600), default=100, show_default=True, help="Resolution.")
@click.option("--password", help="Password, for an encrypted PDF.")
@engine_option("Character source, as for extract: draw what that engine's extraction decided.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print what was drawn as JSON on stdout (the per-page lines go to stderr)."
)
def inspect(
    pdf: Path,
    pages: tuple[int, ...],
    paper_id: str | None,
    out: Path | None,
    dpi: int,
    password: str | None,
    engine: str,
    as_json: bool,
) -> None:
    """Draw what every stage decided on pages of PDF, as PNG images.

    The stages run again on PDF, as extract runs them, and every line gets a
    coloured box with a small label: paper title and byline, headings by level,
    paragraphs, list items, pull-quotes, figures, footnote markers, notes, and
    the running headers, footers and page numbers that layout removed. Labels
    are the row ids in the tables (p02-para017, p02-q03, H1 p02-s05, note 3);
    a legend beside the page counts each kind, and a dashed line shows the
    column gutter.

    \b
    Examples:
      compendium inspect raw/vol5.pdf --page 20 --out p20.png
      compendium inspect raw/vol5.pdf --paper p02 --out p02/

    Exits 1 if the PDF cannot be read, 2 for a page or paper it does not have,
    3 if the images cannot be written.
    """
    from compendium_corpus.errors import ExtractionError
    from compendium_corpus.overlay import describe, inspect_pdf, render_page, render_pages, slug
    from compendium_corpus.source import open_pdf

    if not pages and not paper_id:
        raise click.UsageError("give --page N (repeatable) or --paper ID")
    try:
        with open_pdf(pdf, password) as opened:
            total = len(opened.pages)
    except ExtractionError as err:
        say(f"error: {err.code}: {err.message}", err=True)
        sys.exit(1)
    wrong = [n for n in pages if n > total]
    if wrong:
        raise click.BadParameter(
            printable(f"{pdf.name} has {total} pages, not {', '.join(map(str, wrong))}"), param_hint="--page"
        )
    try:
        inspection = inspect_pdf(pdf, password, engine)
    except ExtractionError as err:
        say(f"error: {err.code}: {err.message}", err=True)
        sys.exit(1)
    numbers = list(dict.fromkeys(pages))
    if paper_id:
        paper = inspection.paper(paper_id)
        if paper is None:
            known = ", ".join(f"{p.paper_id} (pages {p.page_start}-{p.page_end})" for p in inspection.structure.papers)
            raise click.BadParameter(
                printable(f"{pdf.name} has no paper {paper_id!r}; it has: {known or 'none'}"), param_hint="--paper"
            )
        numbers += [n for n in range(paper.page_start, paper.page_end + 1) if n not in numbers]
    stem = slug(pdf.stem)
    if len(numbers) == 1 and not paper_id:
        target = out or Path(f"{stem}-page-{numbers[0]:03d}.png")
        if target.is_dir():
            target = target / f"page-{numbers[0]:03d}.png"
    else:
        target = out or Path(f"{stem}-{slug(paper_id)}" if paper_id else f"{stem}-inspect")
        if target.suffix.lower() == ".png":
            raise click.BadParameter("several pages need a folder, not a .png file", param_hint="--out")
    try:
        results = (
            [render_page(inspection, numbers[0], target, dpi, password)]
            if len(numbers) == 1 and not paper_id
            else render_pages(inspection, numbers, target, dpi, password)
        )
    except OSError as err:
        say(f"error: {target} cannot be written: {err.strerror or err}", err=True)
        sys.exit(3)
    if verbosity() >= 0:
        lines = sys.stderr if as_json else sys.stdout
        for r in results:
            say(f"page {r['page']}  {r['file']}  ({describe(r['elements'])})", file=lines)
    if as_json:
        click.echo(json.dumps({"pdf": str(pdf), "pages": total, "images": results}, indent=2))


@main.command(context_settings=CONTEXT)
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report file to write. Default: OUT_DIR/_report.html (Parquet readers skip _ names).",
)
@click.option(
    "--inspect",
    "with_images",
    is_flag=True,
    help="First draw every paper's pages (as `compendium inspect` does) into the folder "
    "HTMLNAME-inspect/ beside the report; this re-reads each source PDF named in the manifest.",
)
@click.option("--password", help="Password for encrypted source PDFs (with --inspect).")
@click.option("--json", "as_json", is_flag=True, help="Print a summary as JSON on stdout.")
def report(out_dir: Path, html_path: Path | None, with_images: bool, password: str | None, as_json: bool) -> None:
    """Write one self-contained HTML page about the corpus in OUT_DIR.

    It shows every input file with its status and page count; per document,
    its chapters and papers with words, paragraphs, notes, recommendations and
    pull-quotes; charts of notes and words per paper and recommendations per
    chapter; and the diagnostics table, with filters. Each paper links to its
    inspect images, when they exist (see --inspect). The page needs no network:
    styles, charts (SVG) and script are inline.

    Exits 2 if OUT_DIR holds no corpus, 3 if the report cannot be written.
    """
    from compendium_corpus.report import CorpusMissing, write_report

    try:
        summary = write_report(out_dir, html_path, inspect=with_images, password=password)
    except CorpusMissing as err:
        say(f"error: {err}", err=True)
        sys.exit(2)
    except OSError as err:
        say(f"error: the report cannot be written: {err.filename or ''}: {err.strerror or err}", err=True)
        sys.exit(3)
    if as_json:
        click.echo(json.dumps(summary, indent=2, default=str))
    elif verbosity() >= 0:
        t = summary["totals"]
        images = f", {summary['images_rendered']} inspect images" if with_images else ""
        say(
            f"report {summary['html']}  ({t['files']} files, {t['papers']} papers, "
            f"{t['diagnostics']} diagnostics{images})"
        )
    for problem in summary["problems"]:
        say(f"warning: {problem}", err=True)


@main.command(context_settings=CONTEXT)
@click.argument("out_dir", metavar="OUT", type=click.Path(path_type=Path))
@click.argument("dest", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--to",
    "fmt",
    required=True,
    type=click.Choice(FORMATS),
    help="markdown: one .md file per paper; jsonl: one JSON record per paper, a .jsonl file per document.",
)
@click.option(
    "--doc",
    "doc_ids",
    metavar="ID",
    multiple=True,
    help="Export only this document (its doc_id); repeat for several. Default: every document.",
)
def export(out_dir: Path, dest: Path, fmt: str, doc_ids: tuple[str, ...]) -> None:
    """Write the papers of OUT to DIR as Markdown or JSON Lines, from the tables alone.

    \b
    markdown  DIR/<doc_id>/<position>-<paper_id>-<slug>.md: YAML front matter, title,
              authors, headings, paragraphs and list items, notes as [^n] footnotes,
              figures as tables; pull-quotes left out (they repeat the text)
    jsonl     DIR/<doc_id>.jsonl: one line per paper, sections nested with their
              paragraphs, notes, figures and recommendations

    Failed documents are skipped, saying so; re-exporting a document replaces its files.

    \b
    Exit status:
      0  exported
      1  some documents left out: a part file of theirs cannot be read
      2  usage error (an unknown --to format or --doc)
      3  OUT is not an extract output folder, or DIR cannot be written
    """
    from compendium_corpus.export import NotAnOutputFolder, UnknownDocuments
    from compendium_corpus.export import export as export_corpus

    try:
        summary = export_corpus(out_dir, fmt, dest, doc_ids)
    except NotAnOutputFolder as err:
        say(f"error: {err}", err=True)
        sys.exit(3)
    except UnknownDocuments as err:
        raise click.BadParameter(printable(str(err)), param_hint="--doc") from None
    except OSError as err:
        say(f"error: {err.filename or dest} cannot be written: {err.strerror or err}", err=True)
        sys.exit(3)
    for problem in summary.unreadable:
        say(f"warning: {problem}", err=True)
    if verbosity() >= 0:
        say(summary.line())
    sys.exit(1 if summary.unreadable else 0)
