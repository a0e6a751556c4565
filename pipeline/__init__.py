"""compendium: policy-compendium PDFs to a validated Parquet corpus."""
from __future__ import annotations

import hashlib
from pathlib import Path

__version__ = "0.1.0"


def _source_digest() -> str:
    """Short hash of the code that shapes the output (pipeline and schemas), so that
    a re-run redoes documents extracted by other code even without a version bump."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted([*root.joinpath("pipeline").glob("*.py"), *root.joinpath("schemas").glob("*.py")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:10]


PIPELINE_VERSION = f"{__version__}+{_source_digest()}"
