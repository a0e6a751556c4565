"""Hostile input: bytes of small valid PDFs flipped, deleted, inserted and cut at random.

Whatever the bytes, a batch must end with either a valid extraction or a failure
with a known code, within the time limit, and write nothing outside `out/`: no
name or path read from a PDF (its title here tries `../`) ever becomes a path.
Derandomized, so the suite is reproducible; raise max_examples to hunt further.
"""

from __future__ import annotations

import itertools

import pytest
from bad_pdfs import text_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compendium_corpus.batch import Settings, run_batch
from compendium_corpus.errors import FAILURE_CODES
from compendium_corpus.executors import Limits
from compendium_corpus.schemas.tables import TABLES
from compendium_corpus.validate import validate_dir

TIMEOUT = 30.0
HOSTILE_TITLE = "../../../escaped/..\\evil"
TOKENS = [
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"<<",
    b">>",
    b"[",
    b"]",
    b" 0 R",
    b"9999999999",
    b"-1",
    b"/Type /Page",
    b"/Contents",
    b"/Length 99999",
    b"(",
    b")",
    b"\\",
    b"\x00",
    b"\xff" * 8,
    b"%%EOF",
]
ALLOWED = FAILURE_CODES - {"internal-error"}  # a stage bug is a finding, not a clean classification


@pytest.fixture(scope="module")
def bases(tmp_path_factory) -> list[bytes]:
    folder = tmp_path_factory.mktemp("bases")
    return [
        text_pdf(folder / f"{compress}.pdf", pages=2, compress=compress, title=HOSTILE_TITLE).read_bytes()
        for compress in (False, True)
    ]


edit = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(1, 255)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 200)),
    st.tuples(
        st.just("insert"), st.floats(0, 1), st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=32))
    ),
    st.tuples(st.just("cut"), st.floats(0, 1), st.just(0)),
)


def mutate(data: bytes, edits: list[tuple]) -> bytes:
    out = bytearray(data)
    for op, where, arg in edits:
        i = min(int(where * len(out)), max(len(out) - 1, 0))
        if op == "flip" and out:
            out[i] ^= arg
        elif op == "delete":
            del out[i : i + arg]
        elif op == "insert":
            out[i:i] = arg
        elif op == "cut":
            del out[i:]
    return bytes(out)


counter = itertools.count()


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.integers(0, 1), edits=st.lists(edit, min_size=1, max_size=6))
def test_mutated_pdf_is_extracted_or_cleanly_classified(tmp_path, bases, base, edits):
    root = tmp_path / f"example{next(counter)}"
    (root / "in").mkdir(parents=True)
    pdf = root / "in" / "fuzz.pdf"
    pdf.write_bytes(mutate(bases[base], edits))

    summary = run_batch([pdf], root / "out", Settings(limits=Limits(timeout=TIMEOUT), jobs=1))

    [outcome] = summary.outcomes
    assert outcome.status == "ok" or outcome.code in ALLOWED, f"{outcome.code}: {outcome.message}"
    assert outcome.seconds <= TIMEOUT + 5
    assert validate_dir(root / "out")[1] == []
    assert sorted(p.name for p in root.iterdir()) == ["in", "out"]
    assert [p.name for p in (root / "in").iterdir()] == ["fuzz.pdf"]
    assert {p.name for p in (root / "out").iterdir()} <= {*TABLES, "_manifest.parquet", "_runs", ".lock"}
    for path in (root / "out").rglob("*"):
        assert path.resolve().is_relative_to((root / "out").resolve())
        assert "escaped" not in path.name and "evil" not in path.name
