"""`reviewer rules test`: every rule against the fixture beside it.

A fixture is a document in which comment lines mark what must happen on the
next line's article (or, before the title, on the document as a whole):

    # ruleid: zh.licensing.no-new-licence     the rule must fire there
    # ok: zh.licensing.no-new-licence         it must not
    # todoruleid: zh.licensing.no-new-licence a known gap: reported, not failed
    # level: gov_rule                         review at this level (default: detected)
    # ---                                     starts the next document in the file

A rule fails on a missed ``ruleid``, on a finding anywhere it was not
expected, and when its fixture lacks a positive or a negative case.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..structure.document import parse_text
from ..structure.tree import Document
from .pack import Pack, Rule

_MARK = re.compile(r"^#\s*(ruleid|ok|todoruleid|level|date)\s*:\s*(\S+)\s*$")
DOCUMENT = "document"


@dataclass(slots=True)
class FixtureDoc:
    text: str
    level: str
    marks: dict[int, list[tuple[str, str]]]  # 0-based line of the clean text -> marks


@dataclass(slots=True)
class RuleResult:
    rule: Rule
    counts: Counter[str] = field(default_factory=Counter)  # tp fp fn tn todo
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def split(text: str) -> list[FixtureDoc]:
    docs: list[FixtureDoc] = []
    lines: list[str] = []
    marks: dict[int, list[tuple[str, str]]] = {}
    pending: list[tuple[str, str]] = []
    level = "auto"

    def flush() -> None:
        nonlocal lines, marks, pending, level
        if any(line.strip() for line in lines):
            docs.append(FixtureDoc("\n".join(lines) + "\n", level, marks))
        lines, marks, pending, level = [], {}, [], "auto"

    for raw in text.splitlines():
        if raw.strip() == "# ---":
            flush()
            continue
        m = _MARK.match(raw.strip())
        if m:
            kind, value = m.groups()
            if kind == "level":
                level = value
            elif kind in ("ruleid", "ok", "todoruleid"):
                pending.append((kind, value))
            continue
        if pending and raw.strip():
            marks.setdefault(len(lines), []).extend(pending)
            pending = []
        lines.append(raw)
    flush()
    return docs


def target_of_line(document: Document, line: int) -> str:
    """The article (or top-level section) holding a 1-based line, else the document."""
    target = DOCUMENT
    for node, article, _ in document.anchored():  # the deepest holder comes last
        if node.span.line <= line <= node.span.end_line and node.type not in ("chapter", "book"):
            target = article or node.eid
    return target


def test_rule(rule: Rule, pack: Pack) -> RuleResult:
    from . import review_document

    result = RuleResult(rule)
    if not rule.fixture.exists():
        result.problems.append(f"no fixture ({rule.fixture.name})")
        return result
    docs = split(rule.fixture.read_text(encoding="utf-8"))
    kinds = Counter(kind for d in docs for ms in d.marks.values() for kind, r in ms if r == rule.id)
    if not kinds["ruleid"] and not kinds["todoruleid"]:
        result.problems.append("no positive fixture (# ruleid:)")
    if not kinds["ok"]:
        result.problems.append("no negative fixture (# ok:)")
    for i, fx in enumerate(docs, 1):
        document = parse_text(fx.text, path=f"{rule.fixture.name}#{i}", level=fx.level)
        review = review_document(document, pack=pack)
        fired = {f.article or DOCUMENT for f in review.findings if f.rule == rule.id}
        expected: dict[str, str] = {}
        first = min((n for n, text in enumerate(fx.text.splitlines()) if text.strip()), default=0)
        for line, marks in fx.marks.items():
            # a mark before the title is about the document as a whole
            target = DOCUMENT if line == first else target_of_line(document, line + 1)
            for kind, rid in marks:
                if rid == rule.id:
                    expected[target] = kind
        for target, kind in expected.items():
            hit = target in fired
            if kind == "ruleid":
                result.counts["tp" if hit else "fn"] += 1
                if not hit:
                    result.problems.append(f"{fx_name(rule, i)}: missed on {target}")
            elif kind == "ok":
                result.counts["fp" if hit else "tn"] += 1
                if hit:
                    result.problems.append(f"{fx_name(rule, i)}: fired on {target} marked ok")
            else:
                result.counts["todo"] += 1
        for target in fired - set(expected):
            result.counts["fp"] += 1
            result.problems.append(f"{fx_name(rule, i)}: unexpected finding on {target}")
    return result


def fx_name(rule: Rule, i: int) -> str:
    return f"{rule.fixture.name}#{i}"


def test_pack(pack: Pack) -> list[RuleResult]:
    return [test_rule(rule, pack) for rule in pack.rules]


def render(results: list[RuleResult], root: Path) -> str:
    width = max(len(r.rule.id) for r in results)
    out = [f"{'rule':<{width}}  tp fp fn tn todo  result"]
    for r in results:
        c = r.counts
        status = "ok" if r.ok else "FAIL"
        out.append(
            f"{r.rule.id:<{width}}  {c['tp']:>2} {c['fp']:>2} {c['fn']:>2} {c['tn']:>2} {c['todo']:>4}  {status}"
        )
        out.extend(f"    - {p}" for p in r.problems)
    failed = sum(not r.ok for r in results)
    out.append(f"{len(results)} rules in {root}: {len(results) - failed} passed, {failed} failed")
    return "\n".join(out)
