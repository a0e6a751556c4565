"""layout for type set by other hands: drop caps, raised runs that are no markers, two
fonts whose baselines disagree, dingbat bullets, names spaced apart without space
glyphs, and the weights and slants that font names spell.

Each PDF test draws a small page (tests/pdfs_typeset.py) whose geometry it knows and
runs it through open_pdf -> read_pages -> layout (`pdfs.load`).
"""

from __future__ import annotations

import pdfs
import pdfs_typeset
import pytest

from compendium_corpus.lines import MARKER_GLYPHS, _font_flags, _small_caps


def _lines(tmp_path, builder, *args, **kwargs):
    path = tmp_path / f"{builder.__name__}.pdf"
    drawn = builder(path, *args, **kwargs)
    pages, _ = pdfs.load(path)
    assert len(pages) == 1
    return pages[0].lines, drawn


def test_a_drop_cap_joins_its_word_and_the_lines_beside_it_stay_lines(tmp_path):
    """'F' set over three lines is the first letter of 'rom': 'From'. The lines beside the
    cap are smaller and level with it, but they are lines of their own, in order, not
    raised markers glued to the cap."""
    lines, drawn = _lines(tmp_path, pdfs_typeset.drop_cap)
    beside = ["F" + drawn["beside"][0]] + drawn["beside"][1:]
    assert [ln.plain for ln in lines] == beside + drawn["under"]
    assert lines[0].plain.startswith("From ")
    assert not any(span.superscript for ln in lines for span in ln.spans)


@pytest.mark.parametrize(
    "raised, marker",
    [
        ("12", True),  # a footnote marker
        ("12,13,14", True),  # as many printing glyphs as a marker may have
        ("see the annex", False),  # more: small type beside the line, not a marker
    ],
)
def test_a_raised_run_is_a_marker_only_when_short(tmp_path, raised, marker):
    """A raised 6.5 pt run right after the line's last word joins it as a marker when it
    has at most MARKER_GLYPHS printing glyphs; a longer one is a line of its own."""
    assert (len(raised.replace(" ", "")) <= MARKER_GLYPHS) is marker
    lines, drawn = _lines(tmp_path, pdfs_typeset.raised_runs, raised)
    host = next(ln for ln in lines if ln.plain == drawn["text"])
    sups = [span.text for span in host.spans if span.superscript]
    if marker:
        assert len(lines) == 1 and sups == [raised]
    else:
        assert sups == [] and [ln.plain for ln in lines if ln is not host] == [raised]


def test_figures_set_a_sixth_of_an_em_below_the_words_stay_on_their_line(tmp_path):
    """Two fonts of one size disagreeing on the baseline by 0.17 em (CJK text and Latin
    figures) still print one line."""
    lines, drawn = _lines(tmp_path, pdfs_typeset.offset_baselines)
    assert [ln.plain for ln in lines] == [drawn["line"], drawn["below"]]


def test_a_small_lone_glyph_left_of_the_text_is_its_bullet(tmp_path):
    """A 5 pt 'l' (a dingbat font's round bullet) before 10.5 pt text is the line's bullet;
    a lone 'x' in the text's own size is no bullet and stays a line."""
    lines, drawn = _lines(tmp_path, pdfs_typeset.dingbat_bullets)
    got = [(ln.bullet, ln.plain) for ln in lines]
    assert got == [("l", item) for item in drawn["items"]] + [(None, "x"), (None, drawn["marked"])]


def test_names_spaced_apart_without_space_glyphs_are_separate_spans(tmp_path):
    """Every word drawn on its own, words a space apart and names an em apart (too little
    to cut the row into lines): one line whose spans start where the names start."""
    names = ["Ana Costa", "Li Wei", "Marco Rossi"]
    lines, starts = _lines(tmp_path, pdfs_typeset.spaced_names, names, gap=11)
    assert len(lines) == 1
    assert [span.text.strip() for span in lines[0].spans] == names
    assert [span.x0 for span in lines[0].spans] == pytest.approx(starts, abs=0.5)


@pytest.mark.parametrize(
    "font, bold, italic",
    [
        ("NimbusRomNo9L-Medi", True, False),
        ("ABCDEF+NimbusRomNo9L-Medi", True, False),  # a subset prefix changes nothing
        ("CMBX10", True, False),
        ("NimbusRomNo9L-ReguItal", False, True),
        ("CMTI10", False, True),
        ("NimbusRomNo9L-Regu", False, False),
        ("Gotham-Book", False, False),
        ("CMR10", False, False),
    ],
)
def test_weights_and_slants_as_font_names_spell_them(font, bold, italic):
    assert _font_flags(font) == (bold, italic)


@pytest.mark.parametrize(
    "font, small_caps",
    [
        ("CMCSC10", True),
        ("XYZABC+CMCSC10", True),
        ("CMR10", False),
        ("Gotham-Book", False),
    ],
)
def test_small_caps_fonts(font, small_caps):
    assert _small_caps(font) is small_caps
