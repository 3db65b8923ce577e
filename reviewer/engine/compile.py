"""From a rule's ``when`` to a durable_rules ruleset, and a Python mirror of
each single-fact condition.

``when: {document: {level: normative}, norm: {measure: licensing}}`` becomes

    {"all": [{"document": {"$and": [{"type": "document"}, {"level": "normative"}]}},
             {"norm": {"$and": [{"type": "norm"}, {"measure": "licensing"}]}}]}

Equality, ``in``, ``ne``, ``not_in`` and comparisons are durable_rules
expressions. Regular expressions (``matches``) and ``exists`` are evaluated in
Python (durable_rules' regex dialect is not Python's), and so is
``resembles`` (the pack's learnt model), into boolean features
``_f<n>`` added to each fact, which the durable expression then tests. A
Python mirror of each rule's single-fact condition (``Gate``) lets the engine
skip asserting facts no rule can match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..nlp.prefilter import LiteralIndex, necessary_literals
from ..nlp.resemblance import Scorer, load_spec, scorer
from .pack import Pack, Rule, RuleError, expand_terms

Predicate = Callable[[dict[str, Any]], bool]
Scores = dict[str, dict[str, float]]  # text -> label -> score
_COMPARE = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}


def field_text(fact: dict[str, Any], field_: str) -> str:
    """The text a regex condition searches: a string, or a list joined by spaces."""
    v = fact.get(field_)
    return v if isinstance(v, str) else " ".join(map(str, v)) if isinstance(v, list) else ""


@dataclass(slots=True)
class Feature:
    """A Python-evaluated condition on one field, shared by every rule using it."""

    name: str
    field: str
    kind: str  # matches | not_matches | exists | missing | resembles
    pattern: re.Pattern[str] | None
    # one of these occurs in every text the pattern matches (None: unknown)
    literals: frozenset[str] | None = None
    # resembles: the model's label, the least score, and the model
    label: str = ""
    least: float = 0.0
    scorer: Scorer | None = None

    def text(self, fact: dict[str, Any]) -> str:
        return field_text(fact, self.field)

    def value(self, fact: dict[str, Any], scores: Scores | None = None) -> tuple[bool, str | None]:
        """Whether the condition holds, and the text a regex matched.
        ``scores``: the model's scores by text, computed beforehand in a batch."""
        v = fact.get(self.field)
        if self.kind == "exists":
            return v is not None and v != [] and v != "", None
        if self.kind == "missing":
            return v is None or v == [] or v == "", None
        if self.kind == "resembles":
            assert self.scorer is not None
            text = self.text(fact)
            got = scores.get(text) if scores is not None else None
            if got is None:
                got = self.scorer(text)
            return got.get(self.label, 0.0) >= self.least, None
        text = self.text(fact)
        m = self.pattern.search(text) if self.pattern is not None else None
        if self.kind == "matches":
            return m is not None, m.group() if m else None
        return m is None, None


@dataclass(frozen=True, slots=True)
class Gate:
    """One rule's condition on one fact type, split so the cheap parts run
    first: scalar tests (equality, membership, comparisons; None when there
    are none), then whether each regex that must match may match by its
    necessary literals, and only then the Python-evaluated features."""

    scalar: Predicate | None
    features: tuple[str, ...]  # all must hold
    needs: tuple[tuple[str, str], ...]  # (field, feature) regexes that must match
    levels: frozenset[str] | None  # the document levels the rule applies at (None: any)


@dataclass(slots=True)
class CompiledRule:
    rule: Rule
    name: str  # the durable_rules rule name
    durable: dict[str, Any]
    gates: dict[str, Gate]  # alias (fact type) -> single-fact condition
    evidence_features: dict[str, list[str]]  # alias -> features whose match is evidence


@dataclass(slots=True)
class CompiledPack:
    pack: Pack
    rules: list[CompiledRule]
    features: dict[str, list[Feature]] = field(default_factory=dict)  # fact type -> features
    # (document level, fact type) -> gates; level None: rules for any level
    _gates: dict[tuple[str | None, str], list[Gate]] = field(default_factory=dict)
    # (fact type, field) -> which regex features may match, by their literals
    _literal_index: dict[tuple[str, str], LiteralIndex] = field(default_factory=dict)
    # ids of the rules whose findings give way to another rule's (``fallback: true``)
    fallback: frozenset[str] = frozenset()

    @property
    def ruleset_name(self) -> str:
        return f"reviewer_{self.pack.name}_{self.pack.version}"

    def durable_rulesets(self) -> dict[str, dict[str, Any]]:
        return {c.name: c.durable for c in self.rules}

    def prepare_all(self, facts: list[dict[str, Any]], level: str | None) -> list[dict[str, Any]]:
        """prepare() for a review's facts, the model's scores computed first
        in one batch for every fact a `resembles` condition may read."""
        scores = self._batch_scores(facts, level)
        return [f for f in (self.prepare(f, level, scores) for f in facts) if f is not None]

    def _batch_scores(self, facts: list[dict[str, Any]], level: str | None) -> Scores:
        out: Scores = {}
        for kind, features in self.features.items():
            for feature in features:
                if feature.kind != "resembles" or feature.scorer is None:
                    continue
                gates = [g for g in self._gates_at(level, kind) if feature.name in g.features]
                read = dict.fromkeys(
                    feature.text(f)
                    for f in facts
                    if f["type"] == kind and any(g.scalar is None or g.scalar(f) for g in gates)
                )
                texts = [t for t in read if t not in out]
                out.update(zip(texts, feature.scorer.score_many(texts), strict=True))
        return out

    def _gates_at(self, level: str | None, kind: str) -> list[Gate]:
        gates = self._gates.get((level, kind))
        if gates is None:  # a level no rule names: only the rules for any level
            gates = self._gates.get((None, kind), [])
        return gates

    def prepare(
        self, fact: dict[str, Any], level: str | None = None, scores: Scores | None = None
    ) -> dict[str, Any] | None:
        """The fact as it is asserted in a review at ``level``, or None when
        no rule can match it.

        Cheapest test first: a rule is out when it does not apply at the
        level, a scalar test fails or a regex it needs cannot match by its
        necessary literals; only the features of the rules still in are
        computed.
        """
        kind = fact["type"]
        if kind == "document":
            return self.add_features(fact)
        gates = self._gates_at(level, kind)
        candidates: dict[str, set[str]] = {}
        open_ = [
            g
            for g in gates
            if (g.scalar is None or g.scalar(fact))
            and (not g.needs or self._may_open(g, fact, candidates))
        ]
        if not open_:
            return None
        names = {name for g in open_ for name in g.features}
        values = self._feature_values(fact, names, candidates, scores)
        if not any(all(values[name] for name in g.features) for g in open_):
            return None
        out = {k: v for k, v in fact.items() if v is not None}
        out.update(values)
        return out

    def _may_open(self, gate: Gate, fact: dict[str, Any], candidates: dict[str, set[str]]) -> bool:
        """Can every regex the gate needs match, by its necessary literals?"""
        return all(name in self._candidates(fact, f, candidates) for f, name in gate.needs)

    def _candidates(
        self, fact: dict[str, Any], field_: str, cache: dict[str, set[str]]
    ) -> set[str]:
        """The regex features on ``field_`` that may match, by their literals."""
        may = cache.get(field_)
        if may is None:
            index = self._literal_index[(fact["type"], field_)]
            may = cache[field_] = index.candidates(field_text(fact, field_))
        return may

    def add_features(self, fact: dict[str, Any]) -> dict[str, Any]:
        """The fact as asserted: no None values, plus all its boolean features
        and the text each regex feature matched (``_e<n>``)."""
        out = {k: v for k, v in fact.items() if v is not None}
        out.update(self._feature_values(fact, None, {}))
        return out

    def _feature_values(
        self,
        fact: dict[str, Any],
        names: set[str] | None,
        candidates: dict[str, set[str]],
        scores: Scores | None = None,
    ) -> dict[str, Any]:
        """The features named (all when None) with their evidence. A regex
        that cannot match, by its necessary literals, is not run."""
        out: dict[str, Any] = {}
        for feature in self.features.get(fact["type"], []):
            if names is not None and feature.name not in names:
                continue
            if feature.pattern is not None and feature.name not in self._candidates(
                fact, feature.field, candidates
            ):
                out[feature.name] = feature.kind == "not_matches"  # the regex cannot match
                continue
            ok, matched = feature.value(fact, scores)
            out[feature.name] = ok
            if matched is not None:
                out["_e" + feature.name[2:]] = matched
        return out

    def fact_types_at(self, level: str | None) -> frozenset[str]:
        """The fact types some rule for ``level`` refers to: a review at that
        level need not extract the others."""
        key = level if any(lv == level for lv, _ in self._gates) else None
        return frozenset(kind for lv, kind in self._gates if lv == key) | {"document"}

    def index(self) -> None:
        """Per level and fact type: the rules' conditions, and the literals
        their regexes need. Run once by compile_pack, before the pack is
        shared between threads."""
        gates = [(alias, g) for c in self.rules for alias, g in c.gates.items()]
        levels = {level for _, g in gates for level in g.levels or ()}
        for level in [None, *sorted(levels)]:
            for alias, g in gates:
                if g.levels is None or level in g.levels:
                    self._gates.setdefault((level, alias), []).append(g)
        literals: dict[tuple[str, str], dict[str, frozenset[str] | None]] = {}
        for alias, features in self.features.items():
            for f in features:
                if f.pattern is not None:
                    literals.setdefault((alias, f.field), {})[f.name] = f.literals
        self._literal_index = {key: LiteralIndex(lits) for key, lits in literals.items()}
        self.fallback = frozenset(c.rule.id for c in self.rules if c.rule.fallback)


def compile_pack(pack: Pack) -> CompiledPack:
    compiled = CompiledPack(pack, [])
    registry: dict[tuple[str, str, str, str], Feature] = {}
    for rule in pack.rules:
        compiled.rules.append(_compile_rule(rule, pack, compiled, registry))
    compiled.index()
    return compiled


def _param(value: Any, pack: Pack, rule: Rule) -> Any:
    if isinstance(value, str) and value.startswith("$param."):
        name = value[len("$param.") :]
        if name not in pack.params:
            raise RuleError(f"{rule.path}: unknown parameter {name!r}")
        return pack.params[name].value
    return value


def _compile_rule(
    rule: Rule,
    pack: Pack,
    compiled: CompiledPack,
    registry: dict[tuple[str, str, str, str], Feature],
) -> CompiledRule:
    when = {k: dict(v) for k, v in rule.when.items()}
    document = when.setdefault("document", {})
    if "level" not in document:
        document["level"] = {"in": list(rule.levels)}
    # the document first: every rule joins the review's one document fact
    order = ["document"] + [k for k in when if k != "document"]
    all_: list[dict[str, Any]] = []
    gates: dict[str, Gate] = {}
    evidence: dict[str, list[str]] = {}
    for alias in order:
        terms: list[dict[str, Any]] = [{"type": alias}]
        checks: list[Predicate] = []  # the type is given: gates are kept by type
        features: list[str] = []
        for field_, cond in when[alias].items():
            durable, scalar, used, feats = _condition(
                alias, field_, cond, rule, pack, compiled, registry
            )
            terms.append(durable)
            checks.extend(scalar)
            features.extend(used)
            evidence.setdefault(alias, []).extend(feats)
        all_.append({alias: {"$and": terms}})
        by_name = {f.name: f for f in compiled.features.get(alias, [])}
        gates[alias] = Gate(
            _all(checks) if checks else None,
            tuple(dict.fromkeys(features)),
            tuple((by_name[n].field, n) for n in dict.fromkeys(evidence.get(alias, []))),
            # a rule that states its own level condition is gated by it, not here
            frozenset(rule.levels) if "level" not in rule.when.get("document", {}) else None,
        )
    name = re.sub(r"[^A-Za-z0-9]", "_", rule.id)
    return CompiledRule(rule, name, {"all": all_}, gates, evidence)


def _feature(
    alias: str,
    field_: str,
    kind: str,
    pattern: str,
    compiled: CompiledPack,
    registry: dict[tuple[str, str, str, str], Feature],
    rule: Rule,
) -> Feature:
    pattern = expand_terms(pattern, compiled.pack.vocabulary)

    def make(name: str) -> Feature:
        try:
            rx = re.compile(pattern) if kind in ("matches", "not_matches") else None
        except re.error as exc:
            raise RuleError(f"{rule.path}: {alias}.{field_}: bad regex ({exc})") from exc
        literals = necessary_literals(pattern) if rx is not None else None
        return Feature(name, field_, kind, rx, literals)

    return _register((alias, field_, kind, pattern), make, compiled, registry)


def _register(
    key: tuple[str, str, str, str],
    make: Callable[[str], Feature],
    compiled: CompiledPack,
    registry: dict[tuple[str, str, str, str], Feature],
) -> Feature:
    """The feature for ``key`` (alias, field, kind, pattern), made once and
    shared by every rule that uses the same condition."""
    if key not in registry:
        feature = registry[key] = make(f"_f{len(registry)}")
        compiled.features.setdefault(key[0], []).append(feature)
    return registry[key]


def _resembles(
    alias: str,
    field_: str,
    spec: dict[str, Any],
    rule: Rule,
    pack: Pack,
    compiled: CompiledPack,
    registry: dict[tuple[str, str, str, str], Feature],
) -> Feature:
    """``resembles: {label: competition, min: 0.5}``: the pack's model scores
    the field's text at least ``min`` for ``label``."""
    if pack.model is None:
        raise RuleError(f"{rule.path}: `resembles` needs a model, and pack {pack.name} has none")
    labels = load_spec(pack.model).labels
    if spec["label"] not in labels:
        raise RuleError(f"{rule.path}: the model has no label {spec['label']!r} ({labels})")
    least = _param(spec["min"], pack, rule)
    if not isinstance(least, int | float):
        raise RuleError(f"{rule.path}: {alias}.{field_}.resembles.min needs a number")
    model = pack.model

    def make(name: str) -> Feature:
        return Feature(
            name,
            field_,
            "resembles",
            None,
            label=spec["label"],
            least=float(least),
            scorer=scorer(model),
        )

    key = (alias, field_, "resembles", f"{spec['label']}>={least}")
    return _register(key, make, compiled, registry)


def _condition(
    alias: str,
    field_: str,
    cond: Any,
    rule: Rule,
    pack: Pack,
    compiled: CompiledPack,
    registry: dict[tuple[str, str, str, str], Feature],
) -> tuple[dict[str, Any], list[Predicate], list[str], list[str]]:
    """One field condition -> (durable expression, Python scalar checks,
    features it uses, features whose match is evidence)."""
    if not isinstance(cond, dict):
        value = _param(cond, pack, rule)
        return {field_: value}, [_eq(field_, value)], [], []
    terms: list[dict[str, Any]] = []
    checks: list[Predicate] = []
    used: list[str] = []
    feats: list[str] = []
    for op, raw in cond.items():
        value = _param(raw, pack, rule)
        if op == "in":
            values = [_param(v, pack, rule) for v in value]
            terms.append({"$or": [{field_: v} for v in values]})
            checks.append(_in(field_, values))
        elif op == "not_in":
            values = [_param(v, pack, rule) for v in value]
            terms.append({"$and": [{"$neq": {field_: v}} for v in values]})
            checks.append(_not_in(field_, values))
        elif op == "ne":
            terms.append({"$neq": {field_: value}})
            checks.append(_not_in(field_, [value]))
        elif op in _COMPARE:
            if not isinstance(value, int | float):
                raise RuleError(f"{rule.path}: {alias}.{field_}.{op} needs a number")
            terms.append({_COMPARE[op]: {field_: value}})
            checks.append(_compare(field_, op, value))
        elif op == "resembles":
            feature = _resembles(alias, field_, value, rule, pack, compiled, registry)
            terms.append({feature.name: True})
            used.append(feature.name)
        elif op in ("matches", "not_matches", "exists"):
            kind = op if op != "exists" else ("exists" if value else "missing")
            feature = _feature(alias, field_, kind, str(value), compiled, registry, rule)
            terms.append({feature.name: True})
            used.append(feature.name)
            if op == "matches":
                feats.append(feature.name)
        else:  # the schema forbids this; kept for rules built in code
            raise RuleError(f"{rule.path}: unknown operator {op!r}")
    return {"$and": terms}, checks, used, feats


def _eq(field_: str, value: Any) -> Predicate:
    return lambda f: f.get(field_) == value


def _in(field_: str, values: list[Any]) -> Predicate:
    options = tuple(values)
    return lambda f: f.get(field_) in options


def _not_in(field_: str, values: list[Any]) -> Predicate:
    options = tuple(values)
    return lambda f: f.get(field_) is not None and f[field_] not in options


def _all(checks: list[Predicate]) -> Predicate:
    frozen = tuple(checks)
    return lambda f: all(c(f) for c in frozen)


def _compare(field_: str, op: str, value: float) -> Predicate:
    def check(f: dict[str, Any]) -> bool:
        v = f.get(field_)
        if not isinstance(v, int | float) or isinstance(v, bool):
            return False
        return {"gt": v > value, "gte": v >= value, "lt": v < value, "lte": v <= value}[op]

    return check
