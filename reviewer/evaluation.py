"""Scoring extraction against the hand-labelled provisions in ``eval/extraction``.

Each labelled provision names its document (``source``, relative to the
shared corpus) and its article (``eid``); the document is parsed and
extracted whole, and the facts of that article are compared with the labels.
Provisions whose source is not a local file (the English set, taken from
official English versions on the web) are extracted from their own text.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import parse_text
from .facts import Extraction, extract

LABELS = {
    "modalities": ("obligation", "prohibition", "permission", "right"),
    "measures": ("licensing", "penalty", "compulsion", "fee", "credit_sanction"),
    "bearers": ("citizen", "enterprise", "applicant", "operator", "agency", "other"),
}


@dataclass(frozen=True, slots=True)
class Labels:
    modalities: frozenset[str]
    measures: frozenset[str]
    bearers: frozenset[str]
    citations: frozenset[tuple[str, str | None]]


def load(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gold(item: dict[str, Any]) -> Labels:
    return Labels(
        frozenset(item["modalities"]),
        frozenset(item["measures"]),
        frozenset(item["bearers"]),
        frozenset((_title(c["title"]), c["article"]) for c in item["citations"]),
    )


def _title(title: str) -> str:
    return "".join(title.split()) if not title.isascii() else " ".join(title.split())


def labels_of(facts: Iterable[dict[str, Any]]) -> Labels:
    modalities, measures, bearers, citations = set(), set(), set(), set()
    for f in facts:
        if f["type"] == "norm":
            if f["modality"] != "none":
                modalities.add(f["modality"])
                if f["bearer_text"]:
                    bearers.add(f["bearer"])
            if f["measure"] != "none":
                measures.add(f["measure"])
        elif f["type"] == "citation":
            citations.add((_title(f["title"]), f["article_ref"]))
    return Labels(
        frozenset(modalities), frozenset(measures), frozenset(bearers), frozenset(citations)
    )


def predict(items: list[dict[str, Any]], shared: Path | None) -> dict[str, Labels]:
    """Labels the extractor gives each provision, by id."""
    out: dict[str, Labels] = {}
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        path = shared / item["source"] if shared else None
        if path is not None and path.is_file():
            by_source[str(path)].append(item)
        else:
            out[item["id"]] = labels_of(extract(parse_text(item["text"])).facts)
    for path, group in by_source.items():
        extraction: Extraction = extract(parse_text(Path(path).read_text(encoding="utf-8")))
        per_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for fact in extraction.facts:
            if "article" in fact:
                per_article[fact["article"]].append(fact)
        for item in group:
            out[item["id"]] = labels_of(per_article.get(item["eid"], []))
    return out


@dataclass(slots=True)
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: frozenset[Any], pred: frozenset[Any]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(slots=True)
class Report:
    provisions: int = 0
    micro: dict[str, PRF] = field(default_factory=dict)  # modalities / measures / bearers
    per_label: dict[str, PRF] = field(default_factory=dict)  # "measures:penalty" …
    citation_tuples: PRF = field(default_factory=PRF)
    citation_exact: int = 0  # provisions whose citation set is exactly right
    citation_items: int = 0  # provisions with a citation in the gold or the prediction
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def citation_em(self) -> float:
        return self.citation_exact / self.citation_items if self.citation_items else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "provisions": self.provisions,
            "micro": {k: v.to_dict() for k, v in self.micro.items()},
            "per_label": {k: v.to_dict() for k, v in sorted(self.per_label.items())},
            "citations": {
                "exact_match": round(self.citation_em, 4),
                "provisions_with_citations": self.citation_items,
                "tuples": self.citation_tuples.to_dict(),
            },
        }


def score(items: list[dict[str, Any]], predictions: dict[str, Labels]) -> Report:
    report = Report(provisions=len(items))
    for field_ in LABELS:
        report.micro[field_] = PRF()
        for label in LABELS[field_]:
            report.per_label[f"{field_}:{label}"] = PRF()
    for item in items:
        g, p = gold(item), predictions[item["id"]]
        wrong = {}
        for field_, labels in LABELS.items():
            gs, ps = getattr(g, field_), getattr(p, field_)
            report.micro[field_].add(gs, ps)
            for label in labels:
                report.per_label[f"{field_}:{label}"].add(gs & {label}, ps & {label})
            if gs != ps and field_ != "bearers":
                wrong[field_] = {"gold": sorted(gs), "predicted": sorted(ps)}
        report.citation_tuples.add(g.citations, p.citations)
        if g.citations or p.citations:
            report.citation_items += 1
            if g.citations == p.citations:
                report.citation_exact += 1
            else:
                wrong["citations"] = {
                    "gold": sorted(g.citations, key=str),
                    "predicted": sorted(p.citations, key=str),
                }
        if wrong:
            report.errors.append({"id": item["id"], "text": item["text"][:160], **wrong})
    return report


# --- Rules accuracy on real cases (shared/cases) ---------------------------

# Families whose findings are about the synthetic wrapper a case is placed in
# (a cross-reference to an article the wrapper does not have), not about the
# provision: they do not count as hits or false positives.
WRAPPER_FAMILIES = frozenset({"structure"})
# The kind a case names first (before its parenthesised title), most specific
# first: 地方性法规 before 法规, 行政法规 before 法律.
_NEGATIVE_LEVELS = {
    "部门规章": "dept_rule",
    "地方政府规章": "gov_rule",
    "政府规章": "gov_rule",
    "地方性法规": "local_regulation",
    "行政法规": "admin_regulation",
    "法律": "law",
    "司法解释": "judicial_interpretation",
    "规范性文件": "normative",
}


# The same for cases written in English (fresh-en*.jsonl), by the words
# their doc_kind starts with.
_NEGATIVE_LEVELS_EN = {
    "departmental rule": "dept_rule",
    "government rule": "gov_rule",
    "local regulation": "local_regulation",
    "administrative regulation": "admin_regulation",
    "law": "law",
    "normative": "normative",
}


_DEFAULT_BASIS = "为了加强管理，结合本市实际，制定本办法。"
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇0-9]+条\s*")


def wrap_provision(
    provision: str, title: str = "某市某某管理办法", year: int = 2024, basis: str = ""
) -> str:
    """A case provision placed as article 2 of a minimal normative document
    dated in ``year`` (citations take their status on that date). ``basis``
    is the real document's basis clause (根据《…》，制定本办法) where the case
    records one: a restated measure is judged against it as in the document."""
    body, basis = (_ARTICLE.sub("", t.strip()) for t in (provision, basis))
    return (
        f"某市人民政府\n某府规〔{year}〕1号\n{title}\n"
        f"第一条 {basis or _DEFAULT_BASIS}\n"
        f"第二条 {body}\n"
        f"第三条 本办法自{year}年4月1日起施行，有效期至{year + 5}年3月31日。\n"
        f"某市人民政府\n{year}年3月1日\n"
    )


def wrap_provision_en(provision: str, year: int = 2024) -> str:
    """An English case provision placed as Article 2 of a minimal normative
    document dated in ``year``."""
    body = re.sub(r"^Article\s+\d+\s*(?:\([^)\n]{1,60}\))?\s*", "", provision.strip())
    return (
        "Measures of X Municipality on the Administration of Y\n"
        f"X Fu Gui [{year}] No. 1\n"
        f"(Promulgated by the X Municipal People's Government on 1 March {year})\n"
        "Article 1 These Measures are formulated for the purposes of strengthening "
        "administration and in light of the actual circumstances of this Municipality.\n"
        f"Article 2 {body}\n"
        f"Article 3 These Measures shall take effect on 1 April {year} and remain valid "
        f"until 31 March {year + 5}.\n"
    )


def case_text(case: dict[str, Any]) -> str:
    """The case placed in its wrapper, in Chinese where it has a Chinese text."""
    year = year_of_case(case)
    if case.get("provision_zh"):
        return wrap_provision(case["provision_zh"], year=year, basis=case.get("basis_zh", ""))
    return wrap_provision_en(case["provision_en"], year=year)


def year_of_case(case: dict[str, Any]) -> int:
    """The year the case's document was made: its ``year`` field, else the
    first year its description names (〔2016〕, 2020年, YXDR-2012-…), else 2024."""
    if isinstance(case.get("year"), int):
        return int(case["year"])
    m = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", case.get("doc_kind", ""))
    return int(m.group(1)) if m else 2024


def level_of_case(doc_kind: str) -> str:
    if doc_kind.isascii():
        kind = doc_kind.strip().lower()
        return next((v for k, v in _NEGATIVE_LEVELS_EN.items() if kind.startswith(k)), "normative")
    kind = re.split(r"[ (（]", doc_kind.strip(), maxsplit=1)[0]
    return next((v for k, v in _NEGATIVE_LEVELS.items() if k in kind), "normative")


@dataclass(slots=True)
class CaseReport:
    dev: int = 0
    found: int = 0  # right family on the right article (error or warning)
    flagged: int = 0  # any error or warning on the right article
    negatives: int = 0
    false_positives: int = 0  # a negative with any error or warning on its article
    misses: list[str] = field(default_factory=list)
    fp_examples: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.dev if self.dev else 1.0

    @property
    def fp_rate(self) -> float:
        return self.false_positives / self.negatives if self.negatives else 0.0


def score_cases(dev: list[dict[str, Any]], negatives: list[dict[str, Any]]) -> CaseReport:
    """Dev cases are reviewed as normative documents (where they were found
    unlawful or would be); negatives at the level they were lawfully made;
    each as of the year its document was made."""
    from .engine import review_document

    report = CaseReport(dev=len(dev), negatives=len(negatives))

    def families(case: dict[str, Any], level: str) -> list[tuple[str, str, str]]:
        review = review_document(parse_text(case_text(case), level=level))
        return [
            (f.family, f.rule, f.evidence)
            for f in review.findings
            if f.article == "art_2"
            and f.severity in ("error", "warning")
            and f.family not in WRAPPER_FAMILIES
        ]

    for case in dev:
        got = families(case, "normative")
        report.flagged += bool(got)
        if any(fam == case["rule_family"] for fam, _, _ in got):
            report.found += 1
        else:
            report.misses.append(f"{case['id']} ({case['rule_family']}): found {got}")
    for case in negatives:
        got = families(case, level_of_case(case["doc_kind"]))
        if got:
            report.false_positives += 1
            report.fp_examples.append(f"{case['id']}: {got}")
    return report
