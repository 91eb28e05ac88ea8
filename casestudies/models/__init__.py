"""Case studies, lessons and what editors curate from them."""

from .curation import Adoption, CuratedCollection, CuratedCollectionItem, ReviewReminder
from .pages import (
    CaseStudyContact,
    CaseStudyIndexPage,
    CaseStudyOrganisation,
    CaseStudyPage,
    EvidenceStrength,
    LessonIndexPage,
    LessonPage,
    OutcomeMeasure,
)
from .taxonomy import CompactPrinciple, Factor, Theme

__all__ = [
    "Adoption",
    "CaseStudyContact",
    "CaseStudyIndexPage",
    "CaseStudyOrganisation",
    "CaseStudyPage",
    "CompactPrinciple",
    "CuratedCollection",
    "CuratedCollectionItem",
    "EvidenceStrength",
    "Factor",
    "LessonIndexPage",
    "LessonPage",
    "OutcomeMeasure",
    "ReviewReminder",
    "Theme",
]
