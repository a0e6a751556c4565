"""Policy recommendations: the blocks of a paper's final recommendations section
that propose action (see the README's data dictionary for the rule)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compendium_corpus.body import PaperBody, ParagraphDraft, SectionDraft

HEADING = re.compile(r"^\s*(?:\d+[.)]?\s*)?(?:policy\s+)?recommendations?\b", re.I)
PRESCRIPTIVE = re.compile(
    r"\b(should|must|need(?:s)? to|ought to|it is (?:high )?time to|it is (?:imperative|essential|crucial|vital|"
    r"necessary|important)|recommend(?:s|ed|ation)?|have to|has to|calls? for|urge[sd]?|requires?|next steps?)\b",
    re.I,
)
# a paragraph that ends by announcing what follows ("... involves the following.")
ANNOUNCES = re.compile(r"(?:\b(?:the following|as follows|below)[.:]?|:)\s*$", re.I)


def _recommendation_sections(sections: list[SectionDraft]) -> set[str]:
    """The last level-1 section whose heading starts with 'Recommendations', with its subsections."""
    tops = [s for s in sections if s.level == 1 and HEADING.match(s.heading)]
    if not tops:
        return set()
    top = tops[-1]
    return {top.section_id} | {s.section_id for s in sections if s.parent_section_id == top.section_id}


@dataclass(slots=True)
class RecommendationDraft:
    paper_id: str
    recommendation_id: str
    position: int
    paragraph: ParagraphDraft  # the paragraph or list item it is (kind, lead, text, section, lines)


def extract_recommendations(bodies: list[PaperBody]) -> list[RecommendationDraft]:
    """Stage entry: every list item, and every prescriptive paragraph, of each paper's
    recommendations section, and the paragraph a recommendation announces ('... the
    following:'), which sets out the proposal whatever its wording."""
    rows = []
    for b in bodies:
        wanted = _recommendation_sections(b.sections)
        position = 0
        announced = False
        for p in b.paragraphs:
            if p.section_id not in wanted:
                continue
            if p.kind != "list_item" and not PRESCRIPTIVE.search(p.text) and not announced:
                continue
            announced = p.kind != "list_item" and bool(ANNOUNCES.search(p.text))
            position += 1
            rows.append(RecommendationDraft(b.paper.paper_id, f"{b.paper.paper_id}-r{position:02d}", position, p))
    return rows
