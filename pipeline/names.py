"""Personal names in bylines: text patterns that hold for any document.

A byline lists people ("Anna Sundström, Michael Rönnlund and Lars-Göran
Nilsson", "By Ian Appleton, Working Group A", "AMIR SHEIKHAHMADI1,∗"); it
is told from a line of the title page that only looks alike (an agency, a
meeting, "FINAL REPORT") by the shape of each part: a few capitalised words
or initials, no digits, no word that names an organisation or a kind of
document.
"""

from __future__ import annotations

import re

# Words that make a capitalised phrase an institution, a role or a document, not a person.
NOT_A_PERSON = frozenset(
    """
academy agency administration association assessment authority board branch bureau center centre
chamber college commission committee company conference congress corporation council court delegation
department directorate division embassy federation forum foundation fund group inc institute
institution laboratory league ltd ministry office organisation organization parliament partnership
programme program project republic school secretariat senate service society staff survey system team
trust unit university union
report final draft summary paper note brief statement proceedings volume edition chapter part section
appendix annex contents abstract introduction table figure review working meeting workshop session
series issue press release article journal letter memorandum
director fellow professor editor chair chairman chairwoman president head adviser advisor secretary minister
researcher analyst associate lecturer manager coordinator officer representative dean rapporteur consultant
january february march april may june july august september october november december
""".split()
)
HONORIFIC = re.compile(
    r"^(?:(?:his|her)\s+excellency|h\.\s?e\.|the\s+hon(?:ou?rable|\.)?|dr\.?|prof\.?|professor|"
    r"mr\.?|mrs\.?|ms\.?|sir|dame|ambassador|senator|rev\.?)(?:\s+|$)",
    re.I,
)
PARTICLE = frozenset("van von der den de del della di da dos du la le bin al ter ten".split())
FUNCTION_WORDS = frozenset("the of for in on at to a an with from by under into".split())
BY = re.compile(r"^by\b[:\s]*", re.I)
CORPORATE = re.compile(r"^(?:a\s+)?(?:note|report|statement|study)?\s*by\s+the\b", re.I)
# Affiliation and footnote marks glued to a name (digits right after its letters or a comma,
# symbols anywhere); a number standing as a word of its own is no mark ('159 Bank St.').
MARKS = re.compile(r"(?<=[^\W\d_,])\d+(?:,\d+)*|(?<=,)\d+|[∗*†‡§¶#$+♯♭⋆✝※]+")
SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|&|\bAND\b)\s*")
ADDRESS_TOKEN = re.compile(r"@|://|www\.|[{}]|\.\w+\.")  # e-mail and web addresses spell names in lower case
INITIAL = re.compile(r"^(?:[A-Z]\.){1,3}(?:-[A-Z]\.)?$")
WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’.-])*$")
NAME_WORDS = 5  # a person's name has two to this many words
NAME_CHARS = 40  # ...and at most this many characters


def without_honorific(text: str) -> str:
    while True:
        shorter = HONORIFIC.sub("", text, count=1)
        if shorter == text:
            return text.strip()
        text = shorter


def is_honorific(text: str) -> bool:
    """A line holding only a title of address ('His Excellency', 'Dr.')."""
    return bool(text.strip()) and not without_honorific(text + " x")[:-1].strip()


def ordinary_words(texts: list[str]) -> frozenset[str]:
    """Words a document sets in lower case somewhere: common words, which a capitalised
    phrase made of nothing else ('Proposed Rules', 'Local Governance') is, not a name."""
    words = (
        w
        for text in texts
        for token in text.split()
        if not ADDRESS_TOKEN.search(token)
        for w in re.findall(r"\b[^\W\d_A-Z][^\W\d_]+", token)
    )
    return frozenset(w for w in words if w.islower())


def looks_like_name(text: str, ordinary: frozenset[str] = frozenset()) -> bool:
    """Two to five words, each capitalised, an initial or a particle ('van', 'de'); none
    naming an institution or a kind of document, and not all of them `ordinary` words."""
    words = text.split()
    if not 2 <= len(words) <= NAME_WORDS or len(text) > NAME_CHARS:
        return False
    named = [w.lower().strip(".,") for w in words if not INITIAL.match(w) and w.lower() not in PARTICLE]
    if ordinary and named and all(w in ordinary for w in named):
        return False
    if any(w.lower().strip(".,") in NOT_A_PERSON or w.lower() in FUNCTION_WORDS for w in words):
        return False
    for w in words:
        if w.lower() in PARTICLE or INITIAL.match(w):
            continue
        if not WORD.match(w) or not w[0].isupper():
            return False
    return not all(INITIAL.match(w) for w in words)


def split_names(text: str, ordinary: frozenset[str] = frozenset()) -> list[str] | None:
    """The names of a byline, in order, or None when the text is not a list of names.
    Marks glued to the names are dropped; a trailing part that is not a name (a
    working group, a role) ends the list when at least one name came before it."""
    text = BY.sub("", text.strip())
    text = without_honorific(MARKS.sub(" ", text))
    names: list[str] = []
    for part in SEPARATORS.split(text):
        part = without_honorific(re.sub(r"\s+\d{1,2}$", "", re.sub(r"\s+", " ", part)).strip(" .,;"))
        if not part:
            continue
        if not looks_like_name(part, ordinary):
            if names and _institutional(part):
                break  # 'By Ian Appleton, Working Group A': what follows the names is theirs
            return None
        names.append(part)
    return names or None


def _institutional(text: str) -> bool:
    """An institution or a role: what may follow the names in a byline."""
    return any(w.lower().strip(".,") in NOT_A_PERSON for w in text.split())


def is_corporate(text: str) -> bool:
    """'Note by the UNCTAD secretariat': written by a body, not by people."""
    return bool(CORPORATE.match(text.strip()))
