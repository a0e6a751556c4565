"""compendium: policy-compendium PDFs to a validated Parquet corpus."""
from __future__ import annotations

import ast
import hashlib
from pathlib import Path

__version__ = "0.1.0"


def _source_digest() -> str:
    """Short hash of the code that shapes the output (pipeline and schemas), so that
    a re-run redoes documents extracted by other code even without a version bump. It
    hashes each module's syntax tree without its docstrings: an edited comment or
    docstring, or a reformatted line, changes nothing and re-extracts nothing."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*root.joinpath("pipeline").glob("*.py"), *root.joinpath("schemas").glob("*.py")]):
        digest.update(path.name.encode() + _behaviour(path.read_text(encoding="utf-8")).encode())
    return digest.hexdigest()[:10]


def _behaviour(source: str) -> str:
    """A module's syntax tree with its docstrings taken out (comments are not in it)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


PIPELINE_VERSION = f"{__version__}+{_source_digest()}"
