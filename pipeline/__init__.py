"""compendium: policy-compendium PDFs to a validated Parquet corpus."""

__version__ = "0.1.0"
