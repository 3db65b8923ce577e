"""The filing lifecycle of GUIDE §3.6 as data: which transitions exist and who
may make them. Every transition is written to the audit log."""

from __future__ import annotations

STATES = (
    "submitted",
    "prechecked",
    "returned_for_materials",
    "in_review",
    "filed",
    "correction_requested",
    "revocation_recommended",
    "corrected",
)
OUTCOMES = ("filed", "correction_requested", "revocation_recommended")

# (from, to) -> roles allowed (system: the background check)
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    ("submitted", "prechecked"): frozenset({"system"}),
    ("submitted", "returned_for_materials"): frozenset({"system", "reviewer", "admin"}),
    ("prechecked", "returned_for_materials"): frozenset({"reviewer", "admin"}),
    ("returned_for_materials", "submitted"): frozenset({"submitter", "admin"}),
    ("prechecked", "in_review"): frozenset({"reviewer", "admin"}),
    ("in_review", "prechecked"): frozenset({"reviewer", "admin"}),  # released
    ("in_review", "filed"): frozenset({"reviewer", "admin"}),
    ("in_review", "correction_requested"): frozenset({"reviewer", "admin"}),
    ("in_review", "revocation_recommended"): frozenset({"reviewer", "admin"}),
    ("correction_requested", "corrected"): frozenset({"submitter", "admin"}),
    ("corrected", "submitted"): frozenset({"system"}),  # the new version is checked again
}

LABELS = {
    "submitted": ("已报送", "Submitted"),
    "prechecked": ("已预审", "Pre-checked"),
    "returned_for_materials": ("退回补正", "Returned for materials"),
    "in_review": ("审查中", "In review"),
    "filed": ("予以备案", "Filed"),
    "correction_requested": ("要求纠正", "Correction requested"),
    "revocation_recommended": ("建议撤销", "Revocation recommended"),
    "corrected": ("已纠正", "Corrected"),
}

REQUIRED_MATERIALS = ("document", "report", "explanation", "basis")
MATERIAL_LABELS = {
    "document": ("正式文本", "Official text"),
    "report": ("备案报告", "Filing report"),
    "explanation": ("起草说明", "Drafting explanation"),
    "basis": ("制定依据", "Legal basis"),
    "answer": ("纠正答复", "Answer to the opinion"),
}


class TransitionError(ValueError):
    pass


def allowed(current: str, target: str, role: str) -> bool:
    return role in TRANSITIONS.get((current, target), frozenset())
