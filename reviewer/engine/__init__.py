"""The rules engine: facts in, findings out.

from reviewer.engine import review_document
review = review_document(document)      # -> Review(.document, .findings)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..facts import Extraction, extract
from ..structure.tree import Document
from .compile import CompiledPack, compile_pack
from .findings import SEVERITY_ORDER, Finding, deduplicate, finding
from .pack import Pack, RuleError, builtin_pack, load_pack
from .runner import run

_compiled: dict[tuple[str, str], CompiledPack] = {}
_compile_lock = threading.Lock()


def compiled_pack(pack: Pack) -> CompiledPack:
    key = (str(pack.root), pack.version)
    with _compile_lock:
        if key not in _compiled:
            _compiled[key] = compile_pack(pack)
        return _compiled[key]


@dataclass(slots=True)
class Review:
    document: Document
    extraction: Extraction  # the facts the review's level needs, not all of them
    findings: list[Finding] = field(default_factory=list)
    pack: str = ""

    def counts(self) -> dict[str, int]:
        out = {"errors": 0, "warnings": 0, "infos": 0}
        for f in self.findings:
            out[{"error": "errors", "warning": "warnings", "info": "infos"}[f.severity]] += 1
        return out

    def worst(self) -> str | None:
        return max(
            (f.severity for f in self.findings), key=lambda s: SEVERITY_ORDER[s], default=None
        )

    def to_dict(self, *, explain: bool = True) -> dict[str, Any]:
        d = self.document
        counts = d.counts()
        return {
            "path": d.path,
            "title": d.title,
            "number": d.header.number,
            "issuer": d.header.issuer,
            "level": d.header.level,
            "genre": d.header.genre,
            "language": d.language,
            "structure": {
                "articles": counts["articles"],
                "chapters": counts["chapters"],
                "sections": counts["sections"],
                "coverage": round(d.coverage, 4),
            },
            "pack": self.pack,
            "findings": [f.to_dict(explain=explain) for f in self.findings],
        }


def pack_for(language: str, rules_dir: Path | None = None) -> Pack:
    if rules_dir is None:
        return builtin_pack(language)
    candidate = rules_dir / language
    return load_pack(candidate if candidate.is_dir() else rules_dir)


def review_document(
    document: Document, *, on: date | None = None, pack: Pack | None = None
) -> Review:
    """Check one parsed document against its language's rule pack."""
    pack = pack or pack_for(document.language)
    compiled = compiled_pack(pack)
    level = document.header.level
    # only the facts this level's rules can match (Review.extraction holds those)
    extraction = extract(document, on=on, only=compiled.fact_types_at(level))
    facts = compiled.prepare_all(extraction.facts, level)
    by_name = {c.name: c for c in compiled.rules}
    matches = run(compiled, [_flatten(f) for f in facts])
    findings = [finding(compiled, by_name[m.rule_name], m) for m in matches]
    return Review(
        document,
        extraction,
        deduplicate(findings, compiled.fallback),
        f"{pack.name}@{pack.version}",
    )


def _flatten(fact: dict[str, Any]) -> dict[str, Any]:
    """durable_rules facts hold scalars: lists become 、-joined strings."""
    return {k: "、".join(map(str, v)) if isinstance(v, list) else v for k, v in fact.items()}


__all__ = ["Finding", "Review", "RuleError", "compiled_pack", "pack_for", "review_document"]
