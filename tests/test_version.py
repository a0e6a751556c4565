"""The pipeline version changes with what the code does, not with how it is written."""

from __future__ import annotations

from compendium_corpus import _behaviour

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
