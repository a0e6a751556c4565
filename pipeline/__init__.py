"""compendium: policy-compendium PDFs to a validated Parquet corpus."""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import re
from pathlib import Path

__version__ = "0.1.0"


def _source_digest() -> str:
    """Short hash of the code that shapes the output (this package and its schemas), so that
    a re-run redoes documents extracted by other code even without a version bump. It
    hashes each module's syntax tree without its docstrings: an edited comment or
    docstring, or a reformatted line, changes nothing and re-extracts nothing. The same
    code gives the same digest installed or editable (schemas/ may stand apart)."""
    here = Path(__file__).resolve().parent
    spec = importlib.util.find_spec(f"{__name__}.schemas")
    schemas = Path(next(iter(spec.submodule_search_locations or []))).resolve() if spec else here / "schemas"
    modules = {f"schemas/{p.relative_to(schemas)}": p for p in schemas.rglob("*.py")}
    modules.update({str(p.relative_to(here)): p for p in here.rglob("*.py") if schemas not in p.parents})
    return behaviour_digest(modules, here / "__pycache__")


def behaviour_digest(modules: dict[str, Path], cache: Path) -> str:
    """The digest of the modules' behaviour (see `_source_digest`). Parsing every module
    costs a third of a second at each start of the batch and of its workers' server, so
    the digest is kept in `cache` under a hash of the sources' bytes, which is cheap: the
    same bytes always have the same behaviour. A cache that cannot be read or written
    only costs the parse."""
    sources = {name: path.read_bytes() for name, path in sorted(modules.items())}
    key = hashlib.sha256(b"".join(name.encode() + b"\0" + text for name, text in sources.items())).hexdigest()
    kept = cache / f"behaviour-{key[:DIGEST_KEY]}.txt"
    try:
        found = kept.read_text(encoding="ascii")
        if DIGEST.fullmatch(found):
            return found
    except (OSError, UnicodeDecodeError):
        pass
    digest = hashlib.sha256()
    for name, text in sources.items():
        digest.update(name.encode() + _behaviour(text.decode("utf-8")).encode())
    found = digest.hexdigest()[:DIGEST_LENGTH]
    try:
        cache.mkdir(parents=True, exist_ok=True)
        kept.write_text(found, encoding="ascii")
    except OSError:
        pass
    return found


DIGEST_LENGTH = 10  # hex digits of the version's digest
DIGEST_KEY = 16  # hex digits of the sources' hash naming a kept digest
DIGEST = re.compile(rf"[0-9a-f]{{{DIGEST_LENGTH}}}")


def _behaviour(source: str) -> str:
    """A module's syntax tree with its docstrings taken out (comments are not in it)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


PIPELINE_VERSION = f"{__version__}+{_source_digest()}"
