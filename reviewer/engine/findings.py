"""Findings (GUIDE §3.3): what a rule firing means for a reviewer."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .compile import CompiledPack, CompiledRule
from .runner import Match

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}
_EVIDENCE_FIELDS = ("measure_text", "evidence", "trigger", "name", "text", "title", "value")


@dataclass(slots=True)
class Finding:
    rule: str
    family: str
    severity: str
    title: str
    eid: str | None
    article: str | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    start: int | None
    end: int | None
    evidence: str
    message: str
    basis: list[dict[str, str]]
    suggestion: str
    explain: list[dict[str, Any]] = field(default_factory=list)
    pack: str = ""

    def to_dict(self, *, explain: bool = True) -> dict[str, Any]:
        d = {
            "rule": self.rule,
            "family": self.family,
            "severity": self.severity,
            "title": self.title,
            "eid": self.eid,
            "article": self.article,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "start": self.start,
            "end": self.end,
            "evidence": self.evidence,
            "message": self.message,
            "basis": self.basis,
            "suggestion": self.suggestion,
            "pack": self.pack,
        }
        if explain:
            d["explain"] = self.explain
        return d


class _Values(dict[str, Any]):
    pass


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)\}")


def _format(template: str, values: _Values) -> str:
    """Fill {eid}, {evidence}, {norm.measure_text}, {param.max_validity_years};
    an unknown placeholder stays as written."""

    def fill(m: re.Match[str]) -> str:
        value = values.get(m.group(1))
        if value is None:
            return m.group(0)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    return _PLACEHOLDER.sub(fill, template)


def finding(compiled: CompiledPack, crule: CompiledRule, match: Match) -> Finding:
    rule = crule.rule
    anchor = match.facts.get(rule.report_on) or match.facts["document"]
    evidence = ""
    for feature in crule.evidence_features.get(rule.report_on, []):
        evidence = anchor.get("_e" + feature[2:], "")
        if evidence:
            break
    if not evidence:
        evidence = next((str(anchor[k]) for k in _EVIDENCE_FIELDS if anchor.get(k)), "")
    values = _Values()
    for alias, fact in match.facts.items():
        for key, value in fact.items():
            values[f"{alias}.{key}"] = value
    for name, param in compiled.pack.params.items():
        values[f"param.{name}"] = param.value
    values.update(
        eid=anchor.get("eid") or "全文",
        article=anchor.get("article") or "全文",
        evidence=evidence,
        title=match.facts["document"].get("title") or "",
    )
    explain = [
        {
            "fact": alias,
            "id": fact.get("id"),
            "eid": fact.get("eid"),
            "condition": rule.when.get(alias, {}),
            "values": {k: fact.get(k) for k in rule.when.get(alias, {})},
        }
        for alias, fact in match.facts.items()
    ]
    return Finding(
        rule=rule.id,
        family=rule.family,
        severity=rule.severity,
        title=rule.title,
        eid=anchor.get("eid"),
        article=anchor.get("article"),
        line=anchor.get("line"),
        column=anchor.get("column"),
        end_line=anchor.get("end_line"),
        end_column=anchor.get("end_column"),
        start=anchor.get("start"),
        end=anchor.get("end"),
        evidence=evidence,
        message=_format(rule.message, values),
        basis=[dict(b) for b in rule.basis],
        suggestion=_format(rule.suggestion, values),
        explain=explain,
        pack=f"{compiled.pack.name}@{compiled.pack.version}",
    )


def deduplicate(findings: list[Finding], fallback: frozenset[str] = frozenset()) -> list[Finding]:
    """One finding per rule and article and evidence, in document order; a
    finding of a ``fallback`` rule only where no other rule found its family
    on its article (a specific rule says more than the model that agrees)."""
    specific = {(f.family, f.article) for f in findings if f.rule not in fallback}
    seen: set[tuple[str, str | None, str]] = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.start or 0, f.rule)):
        if f.rule in fallback and (f.family, f.article) in specific:
            continue
        key = (f.rule, f.article, f.evidence)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
