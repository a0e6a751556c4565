"""The pipeline version changes with what the code does, not with how it is written."""

from __future__ import annotations

from compendium_corpus import _behaviour, behaviour_digest

CODE = '''
"""A module."""
LIMIT = 0.9  # a threshold


def f(x):
    """Why f."""
    return x * LIMIT
'''


def test_comments_docstrings_and_layout_leave_the_version_alone():
    rewritten = CODE.replace("# a threshold", "# the threshold, explained").replace('"""Why f."""', '"""Why."""')
    rewritten = rewritten.replace("return x * LIMIT", "return (x *\n            LIMIT)")
    assert _behaviour(rewritten) == _behaviour(CODE)


def test_a_changed_number_or_name_changes_the_version():
    assert _behaviour(CODE.replace("0.9", "0.8")) != _behaviour(CODE)
    assert _behaviour(CODE.replace("x * LIMIT", "x + LIMIT")) != _behaviour(CODE)


def test_the_digest_is_kept_by_the_sources_bytes(tmp_path):
    """Parsing every module at each start is slow: the digest is kept under a hash of the
    sources, read back while they are unchanged, made anew when they change, and a place
    that cannot be written only costs the parse."""
    module = tmp_path / "m.py"
    module.write_text(CODE)
    cache = tmp_path / "cache"
    first = behaviour_digest({"m.py": module}, cache)
    [kept] = cache.iterdir()
    assert kept.read_text() == first and behaviour_digest({"m.py": module}, cache) == first
    kept.write_text("0123456789")  # what is kept is what is used
    assert behaviour_digest({"m.py": module}, cache) == "0123456789"
    module.write_text(CODE.replace("0.9", "0.8"))
    changed = behaviour_digest({"m.py": module}, cache)
    assert changed not in (first, "0123456789") and len(list(cache.iterdir())) == 2
    blocked = tmp_path / "file"
    blocked.write_text("")  # a file where the cache folder should be: nothing can be kept
    assert behaviour_digest({"m.py": module}, blocked / "cache") == changed
