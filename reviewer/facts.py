"""Facts: the boundary between extraction and the rules engine (GUIDE §3.4).

``extract(document)`` runs the spaCy pipeline once over the document's
provisions (every node's own text, one per line) and turns its span groups
into plain JSON-able dicts, each tied to the node's eId, to its article (the
unit a finding is reported on) and to a character span of the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .nlp import get_nlp
from .nlp import patterns as P
from .nlp.components import text_of
from .nlp.quantities import Quantity
from .nlp.registry import key as registry_key
from .nlp.registry import law_registry
from .structure.header import issuer_in_title
from .structure.tree import Document, Node

Fact = dict[str, Any]

_LAW_LEVELS = {"law", "admin_regulation", "constitution"}
_INSTRUMENT_LEVEL = [
    (re.compile(r"(?<!办)法$|法典$"), "law"),
    (re.compile(r"(?:条例|Regulations?)$"), "regulation"),
    # English titles name the kind first: Law of the People's Republic of
    # China on …, Regulations on the Administration of …
    (re.compile(r"^(?:the )?(?:Law|Code)\b", re.I), "law"),
    (re.compile(r"^(?:the )?Regulations?\b", re.I), "regulation"),
]


_LEAD_IN = re.compile(r"[：:]\s*$")


@dataclass(frozen=True, slots=True)
class Unit:
    node: Node
    article: str  # eid of the enclosing article (or top-level section)
    start: int  # offset of the node's text in the pipeline text
    end: int
    origin: int  # offset of the node's text in the original document text
    # an item listed under a lead-in such as 不得含有下列内容：: it names
    # forbidden conduct, it does not require it
    under_prohibition: bool = False
    # the text of the nearest enclosing lead-in (…应同时符合下列条件：) that
    # the item completes, or ""
    lead_in: str = ""


@dataclass(slots=True)
class Extraction:
    document: Document
    facts: list[Fact] = field(default_factory=list)

    def of_type(self, type_: str) -> list[Fact]:
        return [f for f in self.facts if f["type"] == type_]

    def to_lines(self) -> Iterator[str]:
        """One linter-style line per fact: ``path:line:col: type details``."""
        path = self.document.path or "<text>"
        for f in self.facts:
            where = f"{path}:{f.get('line') or 1}:{f.get('column') or 1}"
            yield f"{where}: {f['type']} {_summary(f)}"

    def to_dict(self) -> dict[str, Any]:
        d = self.document
        return {
            "path": d.path,
            "title": d.title,
            "level": d.header.level,
            "language": d.language,
            "facts": self.facts,
        }


def _summary(f: Fact) -> str:
    t = f["type"]
    if t == "document":
        return f"level={f['level']} genre={f['genre']} title={f['title']}"
    if t == "norm":
        bearer = f"{f['bearer']}({f['bearer_text']})" if f["bearer_text"] else f["bearer"]
        basis = " basis=" + "|".join(f["basis"]) if f["basis"] else ""
        return (
            f"{f['eid']} {f['modality']}[{f['trigger'] or '-'}] bearer={bearer} "
            f"measure={f['measure']}[{f['measure_text'] or '-'}]{basis}"
        )
    if t == "citation":
        return f"{f['eid']} 《{f['title']}》{f['article_ref'] or ''} status={f['status']}"
    if t in ("amount", "duration", "date"):
        return f"{f['eid']} {f['text']} value={f['value']} unit={f['unit']} role={f['role']}"
    if t == "authority":
        return f"{f['eid']} {f['name']} kind={f['kind']}"
    return f"{f.get('eid')} {f.get('kind')} {f.get('message', '')}"


def units(document: Document) -> tuple[str, list[Unit]]:
    """The pipeline text (one node text per line) and where each line came from."""
    lead_in = P.compiled(P.load(document.language)["clauses"]["prohibition_lead_in"])
    parts: list[str] = []
    out: list[Unit] = []
    pos = 0
    prohibits: list[bool] = []  # by depth: does the node there list forbidden conduct?
    leads: list[str] = []  # by depth: the node's text if it ends with a colon
    for node, article, depth in document.anchored():
        del prohibits[depth:]
        del leads[depth:]
        under = any(prohibits)
        context = next((t for t in reversed(leads) if t), "")
        prohibits.append(bool(node.text) and lead_in.search(node.text) is not None)
        leads.append(node.text if _LEAD_IN.search(node.text or "") else "")
        if node.text and node.type not in ("chapter", "book"):
            origin = document.text_offset(node)
            origin = node.span.start if origin is None else origin
            end = pos + len(node.text)
            out.append(Unit(node, article or node.eid, pos, end, origin, under, context))
            parts.append(node.text)
            pos = end + 1
    return "\n".join(parts), out


class _Locator:
    """Pipeline offsets -> (unit, original offsets, line and column)."""

    def __init__(self, document: Document, units_: list[Unit]) -> None:
        self.units = units_
        self.starts = [u.start for u in units_]
        text = document.text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def unit(self, offset: int) -> Unit:
        return self.units[max(0, bisect_right(self.starts, offset) - 1)]

    def place(self, start: int, end: int) -> dict[str, Any]:
        u = self.unit(start)
        o_start = u.origin + (start - u.start)
        o_end = u.origin + (min(end, u.end) - u.start)
        line, col = self._line_col(o_start)
        end_line, end_col = self._line_col(o_end)
        return {
            "eid": u.node.eid,
            "article": u.article,
            "start": o_start,
            "end": o_end,
            "line": line,
            "column": col,
            "end_line": end_line,
            "end_column": end_col,
        }

    def _line_col(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1


# The pipeline components each fact type is built from (document,
# structure_issue and provision facts need none: they come from the tree).
_COMPONENTS: dict[str, tuple[str, ...]] = {
    "norm": ("clauses", "modality", "bearers", "authorities", "measures", "citations"),
    "citation": ("citations",),
    "amount": ("quantities",),
    "duration": ("quantities",),
    "date": ("quantities",),
    "authority": ("authorities",),
}
FACT_TYPES = frozenset({"document", "structure_issue", "provision", *_COMPONENTS})


def extract(
    document: Document, *, on: date | None = None, only: frozenset[str] | None = None
) -> Extraction:
    """Facts for one parsed document; citations take their status on ``on``
    (default: the document's own date). ``only`` limits the facts to those
    types, and the spaCy pipeline to the components they are built from
    (a review asks only for what its level's rules can match)."""
    wanted = FACT_TYPES if only is None else only | {"document"}
    lang = document.language
    text, units_ = units(document)
    doc = _run_pipeline(lang, text, {c for t in wanted for c in _COMPONENTS.get(t, ())})
    locate = _Locator(document, units_)
    on = on or _document_date(document)
    facts: list[Fact] = [_document_fact(document)]
    citations: list[Fact] = []
    if doc is not None and wanted & {"citation", "norm"}:
        citations = list(_citations(doc, locate, on))
    if doc is not None and "norm" in wanted:
        facts += _norms(doc, locate, citations, lang)
    if "citation" in wanted:
        facts += citations
    if doc is not None and wanted & {"amount", "duration", "date"}:
        facts += (f for f in _quantities(doc, locate) if f["type"] in wanted)
    if doc is not None and "authority" in wanted:
        facts += _authorities(doc, locate)
    if "structure_issue" in wanted:
        facts += _structure_issues(document)
    if "provision" in wanted:
        facts += _provisions(units_, locate)
    for i, fact in enumerate(facts):
        fact["id"] = f"{fact['type'][0]}{i}"
    return Extraction(document, facts)


def _run_pipeline(lang: str, text: str, components: set[str]) -> Doc | None:
    """The text through the named components, in pipeline order (None when
    none is named: no tokenising at all)."""
    if not components:
        return None
    nlp = get_nlp(lang)
    if components >= set(nlp.pipe_names):
        return nlp(text)
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name in components:
            doc = component(doc)
    return doc


def _document_date(document: Document) -> date | None:
    d = document.header.dates
    return d.published or d.signed or d.effective


_ISSUER_KINDS = [
    (
        "coordination_body",
        re.compile(r"领导小组|指挥部|联席会议|工作组|委员会办公室|Leading Group"),
    ),
    ("internal_unit", re.compile(r"(?:处|科|室)$|(?<!人民政府)办公室$|\b(?:Division|Section)\b")),
    (
        "government",
        re.compile(
            r"人民政府(?:办公厅|办公室)?$|^国务院(?:办公厅)?$|People's Government|State Council"
        ),
    ),
    ("district", re.compile(r"区人民政府|县人民政府|District")),
    (
        "department",
        re.compile(r"(?:局|委|委员会|厅|部|署|办|中心|Bureau|Commission|Department|Ministry)$"),
    ),
]


def issuer_kind(issuer: str | None) -> str:
    if not issuer:
        return "other"
    for kind, rx in _ISSUER_KINDS:
        if rx.search(issuer):
            return "government" if kind == "district" else kind
    return "other"


def _document_fact(document: Document) -> Fact:
    h = document.header
    dates = h.dates
    return {
        "type": "document",
        "level": h.level,
        "genre": h.genre,
        "title": h.title,
        "number": h.number,
        "issuer": h.issuer,
        "issuers": list(h.issuers),
        "issuer_kind": issuer_kind(h.issuers[0] if h.issuers else issuer_in_title(h)),
        "issuer_kinds": [issuer_kind(i) for i in h.issuers],
        "language": document.language,
        "signed": _iso(dates.signed),
        "published": _iso(dates.published),
        "effective": _iso(dates.effective),
        "expires": _iso(dates.expires),
        "validity_years": dates.validity_years,
        "has_validity": dates.validity_years is not None or dates.expires is not None,
        "interim": h.interim,
        "has_effective_clause": not any(
            d.kind == "missing_effective_clause" for d in document.diagnostics
        ),
        "articles": len(document.nodes("article")),
        "coverage": round(document.coverage, 4),
        # numbers, so that rules can compare dates (durable_rules compares numbers)
        "date_ymd": _ymd(dates.published or dates.signed or dates.effective),
        "retroactive": bool(
            dates.effective
            and (dates.published or dates.signed)
            and dates.effective < (dates.published or dates.signed)  # type: ignore[operator]
        ),
        "dates_inconsistent": bool(
            dates.expires and dates.effective and dates.expires <= dates.effective
        ),
    }


def _ymd(d: date | None) -> int | None:
    return d.year * 10000 + d.month * 100 + d.day if d else None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _text(span: Span) -> str:
    """A span's text, sliced from the cached document text (Span.text walks
    every token, one per character in Chinese)."""
    return text_of(span.doc)[span.start_char : span.end_char]


class _Sorted:
    """Spans sorted by start, for fast "which spans lie inside [start, end)" queries."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = sorted(spans, key=lambda s: (s.start_char, s.end_char))
        self.starts = [s.start_char for s in self.spans]

    def within(self, start: int, end: int) -> list[Span]:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.spans) and self.starts[i] < end:
            if self.spans[i].end_char <= end:
                out.append(self.spans[i])
            i += 1
        return out


def _norms(doc: Doc, locate: _Locator, citations: list[Fact], lang: str) -> Iterator[Fact]:
    modal = _Sorted(doc.spans["modality"])
    measures = _Sorted(doc.spans["measure"])
    authorities = _Sorted(doc.spans["authority"])
    # a named government body is an agency bearer too (区档案局应当…)
    named_bodies = [Span(doc, a.start, a.end, label="agency") for a in authorities.spans]
    bearers = _Sorted(filter_spans([*doc.spans["bearer"], *named_bodies]))
    basis_phrases = list(doc.spans["basis_phrase"])
    negated = {str(p).lower() for p in P.load(lang)["modality"]["negated"]}
    upper_by_article: dict[str, list[str]] = {}
    for c in citations:
        if c["upper"]:
            upper_by_article.setdefault(c["article"], []).append(c["law"] or c["title"])
    generic_basis = {locate.unit(s.start_char).article for s in basis_phrases}
    basis_articles, preamble = _preamble_basis(locate.units, citations, lang)
    for clause in doc.spans["clause"]:
        triggers = modal.within(clause.start_char, clause.end_char)
        kinds = measures.within(clause.start_char, clause.end_char)
        if not triggers and not kinds:
            continue
        place = locate.place(clause.start_char, clause.end_char)
        under_prohibition = locate.unit(clause.start_char).under_prohibition
        article = place["article"]
        basis = upper_by_article.get(article, [])
        # One norm per trigger (carrying the clause's first measure), plus one
        # per further kind of measure in the clause.
        first_measure = kinds[0] if kinds else None
        pairs: list[tuple[Span | None, Span | None]] = [(t, first_measure) for t in triggers]
        if not pairs:
            pairs.append((None, first_measure))
        seen = {first_measure.label_} if first_measure is not None else set()
        for m in kinds[1:]:
            if m.label_ not in seen:
                seen.add(m.label_)
                pairs.append((triggers[0] if triggers else None, m))
        clause_authorities = [
            _text(a) for a in authorities.within(clause.start_char, clause.end_char)
        ]
        for trigger, measure in pairs:
            bearer = _bearer(clause, trigger, bearers)
            yield {
                "type": "norm",
                **place,
                "modality": trigger.label_ if trigger is not None else "none",
                "trigger": _text(trigger) if trigger is not None else None,
                "negated": trigger is not None and _text(trigger).lower() in negated,
                "bearer": bearer.label_ if bearer is not None else "other",
                "bearer_text": _text(bearer) if bearer is not None else None,
                "authorities": clause_authorities,
                "measure": measure.label_ if measure is not None else "none",
                "measure_text": _text(measure) if measure is not None else None,
                "cites_upper_basis": bool(basis) or article in generic_basis,
                "basis": sorted(set(basis)),
                "preamble_basis": "" if article in basis_articles else preamble,
                "text": _text(clause).strip(),
                "under_prohibition": under_prohibition,
            }


@cache
def _basis_clause(lang: str) -> tuple[re.Pattern[str], frozenset[str]]:
    """The pattern of a basis clause, and the keys of the general laws."""
    clauses = P.load(lang)["clauses"]
    return P.compiled(clauses["basis_clause"]), frozenset(
        registry_key(t) for t in clauses["general_laws"]
    )


def _preamble_basis(units_: list[Unit], citations: list[Fact], lang: str) -> tuple[set[str], str]:
    """The articles that state the document's basis (its preface, or a first
    article that says 根据《…》…制定本办法) and the laws and regulations they
    cite, other than general laws that set no measure of their own (行政许可法
    …), written for a message: 《城镇燃气管理条例》、《…》."""
    says_basis, general = _basis_clause(lang)
    # a unit before the first article or section is its own "article"
    # (preface__para_3)
    first = next((u.article for u in units_ if not u.article.startswith("preface")), None)
    articles = {
        u.article
        for u in units_
        if (u.article == first or u.article.startswith("preface"))
        and says_basis.search(u.node.text)
    }
    titles = dict.fromkeys(
        c["law"] or c["title"]
        for c in citations
        if c["upper"]
        and c["article"] in articles
        and registry_key(c["law"] or c["title"]) not in general
    )
    if lang == "zh":
        return articles, "、".join(f"《{t}》" for t in titles)
    return articles, "; ".join(titles)


def _bearer(clause: Span, trigger: Span | None, bearers: _Sorted) -> Span | None:
    """The last bearer named before the trigger in the clause, else in the
    sentence the clause belongs to (the subject stated once for several clauses).
    A clause without a trigger (由区档案局收取…费) is about its first-named subject."""
    limit = trigger.start_char if trigger is not None else clause.end_char
    before = bearers.within(clause.start_char, limit)
    if before:
        return before[-1] if trigger is not None else before[0]
    text = text_of(clause.doc)
    sentence_start = (
        max(text.rfind("。", 0, clause.start_char), text.rfind("\n", 0, clause.start_char)) + 1
    )
    earlier = bearers.within(sentence_start, clause.start_char)
    return earlier[-1] if earlier else None


_REPEAL_CLAUSE = re.compile(
    r"[^。；\n]{0,160}?(?:同时废止|予以废止|废止|停止执行|不再执行|同时失效|repealed|abolished)"
)


_BEFORE_CLAUSE = re.compile(r"(?:施行|生效|实施)(?:之日)?以?前[^。；\n]{0,20}$")


def _citations(doc: Doc, locate: _Locator, on: date | None) -> Iterator[Fact]:
    registry = law_registry()
    text = text_of(doc)
    for span in doc.spans["citation"]:
        payload = span._.payload
        title = payload["title"]
        resolution = registry.resolve(title, on)
        law = resolution.law
        place = locate.place(span.start_char, span.end_char)
        level = law.level if law else _guess_level(title)
        for article in payload["articles"]:
            yield {
                "type": "citation",
                **place,
                "title": title,
                "article_ref": article,
                "law": law.title if law else None,
                "law_level": level,
                "status": resolution.status,
                # 《…》同时废止 / 本法施行前依照《…》: the document repeals it or
                # speaks of the past; it does not rely on it
                "in_repeal_clause": bool(
                    _REPEAL_CLAUSE.match(text, span.end_char)
                    or _BEFORE_CLAUSE.search(text, max(0, span.start_char - 30), span.start_char)
                ),
                "repealed_on": _iso(law.repealed) if law else None,
                "upper": level in _LAW_LEVELS or level == "regulation",
                "evidence": _text(span),
            }


def _guess_level(title: str) -> str:
    for rx, level in _INSTRUMENT_LEVEL:
        if rx.search(re.sub(r"[（(][^（）()]*[）)]$", "", title)):
            return level
    return "other"


def _quantities(doc: Doc, locate: _Locator) -> Iterator[Fact]:
    for span in doc.spans["quantity"]:
        q: Quantity = span._.payload
        kind = {"percent": "amount", "multiple": "amount"}.get(q.kind, q.kind)
        yield {
            "type": kind,
            **locate.place(span.start_char, span.end_char),
            "value": q.value,
            "upper": q.upper,
            "max": q.upper if q.upper is not None else q.value,
            "unit": q.unit,
            "role": q.role,
            "text": q.text,
        }


def _authorities(doc: Doc, locate: _Locator) -> Iterator[Fact]:
    for span in doc.spans["authority"]:
        yield {
            "type": "authority",
            **locate.place(span.start_char, span.end_char),
            "name": _text(span),
            "kind": span.label_,
        }


def _provisions(units_: list[Unit], locate: _Locator) -> Iterator[Fact]:
    """Every provision's own text, for rules about wording that no norm
    carries (统一由某公司供货, 在本市注册的企业, placeholders)."""
    for u in units_:
        if u.node.type in ("chapter", "book", "line", "attachment"):
            continue
        yield {
            "type": "provision",
            **locate.place(u.start, u.end),
            "node": u.node.type,
            "text": u.node.text,
            "under_prohibition": u.under_prohibition,
            "lead_in": u.lead_in,
            "heading": _is_heading(u),
        }


_SENTENCE_MARK = re.compile(r"[，。；,;]")
_BODY_NODES = ("paragraph", "point", "subpoint")


def _is_heading(u: Unit) -> bool:
    """A line that states no provision: a section's own heading, or a title,
    document number, signature or table line outside the articles, told by
    having no comma, full stop or semicolon; or a list of attachments. A
    paragraph of an article is otherwise always a provision, however short."""
    if u.node.text.startswith("附件"):  # a list of attachments
        return True
    if _SENTENCE_MARK.search(u.node.text):
        return False
    in_body = u.article.startswith(("art_", "sec_")) and u.node.type in _BODY_NODES
    return not in_body


def _structure_issues(document: Document) -> Iterator[Fact]:
    for d in document.diagnostics:
        if d.kind in ("table", "misplaced_heading"):
            continue
        yield {
            "type": "structure_issue",
            "kind": d.kind,
            "eid": d.eid,
            "article": d.eid.split("__")[0] if d.eid else None,
            "message": d.message,
            "line": d.span.line if d.span else None,
            "column": d.span.column if d.span else None,
        }
