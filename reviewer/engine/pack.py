"""Rule packs: YAML rules validated by a JSON Schema, plus policy parameters.

A pack is a directory (``rules/zh``, ``rules/en``): ``params.yaml`` holds the
policy numbers with their legal source and verification status,
``vocabulary.yaml`` named pattern fragments (``{{local}}``) shared by rules,
``model/`` an optional resemblance model (``reviewer.nlp.resemblance``), and
every other ``*.yaml`` below it is one rule, with its fixture document beside
it (``<name>.fixture.txt``, Semgrep style).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ..errors import ReviewerError


class RuleError(ReviewerError):
    """A malformed rule or pack (reported with the file it came from)."""


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    value: Any
    source: str
    verified: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    family: str
    severity: str
    levels: tuple[str, ...]
    title: str
    message: str
    basis: tuple[dict[str, str], ...]
    suggestion: str
    when: dict[str, dict[str, Any]]
    report_on: str
    path: Path
    # reported only where no other rule found the same family on the article
    fallback: bool = False

    @property
    def fixture(self) -> Path:
        return self.path.with_suffix(".fixture.txt")


@dataclass(frozen=True, slots=True)
class Pack:
    name: str  # zh | en
    root: Path
    rules: tuple[Rule, ...]
    params: dict[str, Param] = field(default_factory=dict)
    vocabulary: dict[str, str] = field(default_factory=dict)  # term -> regex fragment
    model: Path | None = None  # the resemblance model's directory, if the pack has one
    # A digest of the pack's content, computed once at load: findings carry
    # it, and the engine registers one durable_rules ruleset per version.
    version: str = ""

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise RuleError(f"no rule {rule_id!r} in pack {self.name}")


def default_rules_dir() -> Path:
    return Path(str(files("reviewer.rules")))


@cache
def schema() -> dict[str, Any]:
    text = (default_rules_dir() / "schema" / "rule.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def load_pack(root: Path) -> Pack:
    """Load and validate every rule under ``root``; a malformed rule is an error."""
    if not root.is_dir():
        raise RuleError(f"{root}: no such rule pack directory")
    params = _load_params(root / "params.yaml")
    vocabulary = _load_vocabulary(root / "vocabulary.yaml")
    validator = jsonschema.Draft202012Validator(schema())
    rules = []
    seen: dict[str, Path] = {}
    model = root / "model" if (root / "model" / "training.yaml").exists() else None
    for path in sorted(root.rglob("*.yaml")):
        if path.name in ("params.yaml", "vocabulary.yaml") or root / "model" in path.parents:
            continue
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise RuleError(f"{path}: not valid YAML ({exc})") from exc
        errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path) or "rule"
            raise RuleError(f"{path}: {where}: {errors[0].message}")
        if raw["id"] in seen:
            raise RuleError(f"{path}: duplicate rule id {raw['id']} (also in {seen[raw['id']]})")
        seen[raw["id"]] = path
        for name in raw.get("params", []):
            if name not in params:
                raise RuleError(f"{path}: unknown parameter {name!r} (not in params.yaml)")
        for term in _TERM.findall(json.dumps(raw["when"], ensure_ascii=False)):
            if term not in vocabulary:
                raise RuleError(f"{path}: unknown term {{{{{term}}}}} (not in vocabulary.yaml)")
        when = raw["when"]
        report_on = raw.get("report_on") or next((k for k in when if k != "document"), "document")
        if report_on not in when:
            raise RuleError(f"{path}: report_on {report_on!r} is not one of the `when` facts")
        rules.append(
            Rule(
                id=raw["id"],
                family=raw["family"],
                severity=raw["severity"],
                levels=tuple(raw["levels"]),
                title=raw["title"],
                message=raw["message"],
                basis=tuple(raw["basis"]),
                suggestion=raw.get("suggestion", ""),
                when=when,
                report_on=report_on,
                path=path,
                fallback=bool(raw.get("fallback", False)),
            )
        )
    if not rules:
        raise RuleError(f"{root}: no rules")
    digest = hashlib.sha256()
    for rule in rules:
        digest.update(rule.path.read_bytes())
    digest.update(json.dumps({k: p.value for k, p in params.items()}, sort_keys=True).encode())
    digest.update(json.dumps(vocabulary, sort_keys=True).encode())
    if model is not None:  # the model is identified by what it was trained from
        for name in ("training.yaml", "sources.json"):
            if (model / name).exists():
                digest.update((model / name).read_bytes())
    return Pack(
        name=root.name,
        root=root,
        rules=tuple(rules),
        params=params,
        vocabulary=vocabulary,
        model=model,
        version=digest.hexdigest()[:12],
    )


def _load_params(path: Path) -> dict[str, Param]:
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = {}
    for name, spec in (raw.get("params") or {}).items():
        if not isinstance(spec, dict) or "value" not in spec or "source" not in spec:
            raise RuleError(f"{path}: parameter {name} needs `value` and `source`")
        out[name] = Param(
            name, spec["value"], spec["source"], bool(spec.get("verified")), spec.get("note", "")
        )
    return out


_TERM = re.compile(r"\{\{(\w+)\}\}")


def _load_vocabulary(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = {}
    for name, spec in (raw.get("terms") or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("pattern"), str):
            raise RuleError(f"{path}: term {name} needs a `pattern`")
        try:
            re.compile(spec["pattern"])
        except re.error as exc:
            raise RuleError(f"{path}: term {name}: bad regex ({exc})") from exc
        out[name] = spec["pattern"]
    return out


def expand_terms(pattern: str, vocabulary: dict[str, str]) -> str:
    """``{{local}}`` -> ``(?:<the term's pattern>)``."""
    return _TERM.sub(lambda m: f"(?:{vocabulary[m.group(1)]})", pattern)


@cache
def builtin_pack(language: str) -> Pack:
    return load_pack(default_rules_dir() / language)
