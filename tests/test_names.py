"""names: the people a byline lists, told from title-page lines that only look alike.

Pure functions on text: every expected list below is the byline read as a person
would read it.
"""

import pytest

from compendium_corpus.names import is_corporate, split_names


def test_by_and_a_trailing_working_group():
    """'By' opens the byline; the working group after the name is the author's, not a person."""
    assert split_names("By Ian Appleton, Working Group A") == ["Ian Appleton"]


def test_capitalised_names_with_affiliation_and_footnote_marks():
    """Digits glued to a name and symbols are marks, dropped; 'AND' in capitals separates."""
    assert split_names("AMIR X1,∗, MOHAMMAD A. Y1, AND ARMAN Z2,3,∗") == ["AMIR X", "MOHAMMAD A. Y", "ARMAN Z"]


def test_names_keep_their_order_particles_and_hyphens():
    assert split_names("Anna Sundström, Michael Rönnlund and Lars-Göran Nilsson") == [
        "Anna Sundström",
        "Michael Rönnlund",
        "Lars-Göran Nilsson",
    ]
    assert split_names("Ludwig van Beethoven & Jean de la Fontaine") == ["Ludwig van Beethoven", "Jean de la Fontaine"]


@pytest.mark.parametrize(
    "byline, names",
    [
        ("H.E. Mr. Ana Costa and Dr. Li Wei", ["Ana Costa", "Li Wei"]),
        ("His Excellency Ambassador Marco Rossi", ["Marco Rossi"]),
        ("Professor Jane Doe", ["Jane Doe"]),
    ],
)
def test_honorifics_are_dropped(byline, names):
    assert split_names(byline) == names


@pytest.mark.parametrize(
    "text",
    [
        "159 Bank St., Suite 300",  # an address: a number standing as a word
        "FINAL REPORT",  # a kind of document
        "Airworthiness Directives; The Boeing",  # a phrase that merely looks capitalised
    ],
)
def test_lines_that_only_look_like_a_byline_are_no_names(text):
    assert split_names(text) is None


def test_a_byline_naming_a_body_is_corporate():
    assert is_corporate("Note by the UNCTAD secretariat")
    assert is_corporate("Report by the Secretary-General")
    assert not is_corporate("By Ian Appleton")
    assert not is_corporate("Note by Ana Costa")  # a person's note, not a body's


def test_a_trailing_role_ends_the_names():
    assert split_names("By Ana Costa, Director") == ["Ana Costa"]
