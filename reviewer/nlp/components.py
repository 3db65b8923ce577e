"""spaCy components of the extraction pipeline, registered by name.

Each component reads its section of ``patterns/<lang>.yaml`` and writes one
span group: ``clause``, ``modality``, ``bearer``, ``authority``, ``measure``,
``citation``, ``quantity``. Labels are the GUIDE's vocabulary (modality,
bearer kind, measure kind); structured values (a citation's title and
article, an amount's value) go to ``span._.payload``. Nothing here knows
about the document tree: ``reviewer.facts`` maps spans to articles.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import patterns as P
from .prefilter import necessary_literals
from .quantities import Quantity, duration_unit, money, number, percent

if not Span.has_extension("payload"):
    Span.set_extension("payload", default=None)


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it token by token on every call."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return str(text)


def _flags(lang: str) -> int:
    return re.IGNORECASE if lang == "en" else 0


def _spans(doc: Doc, matches: Iterable[tuple[int, int, str]]) -> list[Span]:
    """Character matches -> token spans (expanded to token edges). With one
    token per character (the Chinese tokenizer) offsets are token indices,
    and the alignment search of ``char_span`` is skipped."""
    if len(doc) == len(text_of(doc)):
        return [Span(doc, start, end, label=label) for start, end, label in matches if end > start]
    out = []
    for start, end, label in matches:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and len(span):
            out.append(span)
    return out


class _Phrases:
    """A PhraseMatcher over one label -> phrases table (case-insensitive in English)."""

    def __init__(self, nlp: Language, table: dict[str, list[str]]) -> None:
        attr = "LOWER" if nlp.lang == "en" else "ORTH"
        self.matcher = PhraseMatcher(nlp.vocab, attr=attr)
        for label, phrases in table.items():
            self.matcher.add(label, [nlp.make_doc(str(p)) for p in phrases])

    def __call__(self, doc: Doc) -> list[Span]:
        return list(self.matcher(doc, as_spans=True))


class Clauses:
    """Clauses: a provision split at 。；and line ends (English: sentence ends, ;)."""

    def __init__(self, nlp: Language) -> None:
        self.split = P.compiled(P.load(nlp.lang)["clauses"]["split"])

    def __call__(self, doc: Doc) -> Doc:
        bounds = []
        pos = 0
        for m in self.split.finditer(text_of(doc)):
            bounds.append((pos, m.end(), "clause"))
            pos = m.end()
        bounds.append((pos, len(text_of(doc)), "clause"))
        doc.spans["clause"] = _spans(doc, ((s, e, lab) for s, e, lab in bounds if e > s))
        return doc


class Modality:
    """Deontic triggers, longest match first, so 不得不 is an obligation and
    相应 no trigger at all."""

    def __init__(self, nlp: Language) -> None:
        data = P.load(nlp.lang)["modality"]
        table = {k: data[k] for k in ("obligation", "prohibition", "permission", "right", "none")}
        self.phrases = _Phrases(nlp, table)
        self.regex = {
            label: P.alternation(pats, _flags(nlp.lang or ""))
            for label, pats in (data.get("regex") or {}).items()
        }

    def __call__(self, doc: Doc) -> Doc:
        found = self.phrases(doc)
        for label, rx in self.regex.items():
            if rx is not None:
                found += _spans(
                    doc, ((m.start(), m.end(), label) for m in rx.finditer(text_of(doc)))
                )
        doc.spans["modality"] = [s for s in filter_spans(found) if s.label_ != "none"]
        return doc


class Bearers:
    """Who a norm binds: dictionary phrases labelled with the GUIDE's bearer kinds."""

    def __init__(self, nlp: Language) -> None:
        self.phrases = _Phrases(nlp, P.load(nlp.lang)["bearers"])

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["bearer"] = filter_spans(self.phrases(doc))
        return doc


class Authorities:
    """Government bodies named in the text: 区市场监督管理局, 市人民政府办公厅, the State Council."""

    def __init__(self, nlp: Language) -> None:
        data = P.load(nlp.lang)["authorities"]
        self.pattern = P.compiled(data["pattern"])
        # optional: the runs of text a name always lies within, searched only
        # when they hold one of the pattern's necessary literals
        self.within = P.compiled(data["within"]) if "within" in data else None
        needed = necessary_literals(data["pattern"])
        self.needed = (
            P.compiled("|".join(map(re.escape, sorted(needed, key=len, reverse=True))))
            if needed
            else None
        )
        self.not_ = tuple(data.get("not") or ())
        self.kinds = [(kind, P.compiled(rx)) for kind, rx in data["kinds"].items()]
        self.names = _Phrases(nlp, {"body": data.get("dictionary") or []})

    def kind(self, name: str) -> str:
        return next(kind for kind, rx in self.kinds if rx.search(name))

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        if self.within is None or self.needed is None:
            yield from self.pattern.finditer(text)
            return
        for run in self.within.finditer(text):
            if self.needed.search(text, run.start(), run.end()):
                yield from self.pattern.finditer(text, run.start(), run.end())

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for m in self._matches(text_of(doc)):
            name = m.group("name")
            if len(name) < 2 or any(bad in name for bad in self.not_):
                continue
            found.append((m.start("name"), m.end("name"), self.kind(name)))
        text = text_of(doc)
        for span in self.names(doc):
            found.append(
                (span.start_char, span.end_char, self.kind(text[span.start_char : span.end_char]))
            )
        doc.spans["authority"] = filter_spans(_spans(doc, found))
        return doc


class Measures:
    """Licensing, penalty, compulsion, fee and credit-sanction triggers. A
    trigger that overlaps one of its kind's ``not`` contexts (报国务院批准,
    行政处罚法, 免费 …) is dropped."""

    def __init__(self, nlp: Language) -> None:
        flags = _flags(nlp.lang or "")
        self.ignore = P.compiled(P.load(nlp.lang)["measure_ignore"])
        self.kinds = [
            (kind, P.alternation(spec["regex"], flags), P.alternation(spec.get("not") or [], flags))
            for kind, spec in P.load(nlp.lang)["measures"].items()
        ]

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        found: list[tuple[int, int, str]] = []
        ignored = [(m.start(), m.end()) for m in self.ignore.finditer(text)]
        for kind, rx, not_rx in self.kinds:
            if rx is None:
                continue
            blocked = [(m.start(), m.end()) for m in not_rx.finditer(text)] if not_rx else []
            blocks = _Blocked(blocked + ignored)
            for m in rx.finditer(text):
                if not blocks.hits(m.start(), m.end()):
                    found.append((m.start(), m.end(), kind))
        doc.spans["measure"] = _spans(doc, found)
        return doc


class _Blocked:
    """Sorted intervals; ``hits(s, e)`` tells whether [s, e) overlaps any of them."""

    def __init__(self, intervals: list[tuple[int, int]]) -> None:
        intervals.sort()
        self.starts = [b[0] for b in intervals]
        self.max_end: list[int] = []  # the furthest end among the first k intervals
        furthest = -1
        for _, end in intervals:
            furthest = max(furthest, end)
            self.max_end.append(furthest)

    def hits(self, s: int, e: int) -> bool:
        k = bisect_left(self.starts, e)  # intervals starting before e
        return k > 0 and self.max_end[k - 1] > s


class Citations:
    """《title》 with its article references, and short forms (该法第五条) that
    point back at the last title; in English, titles written out."""

    def __init__(self, nlp: Language) -> None:
        self.lang = nlp.lang
        data = P.load(nlp.lang)["citations"]
        flags = 0
        self.title = P.compiled(data["title"], flags)
        self.article = P.compiled(rf"\s*(?:{data['article']})", flags)
        self.more = P.compiled(rf"(?:{data['joiner']})\s*(?:{data['article']})", flags)
        self.back = P.compiled(rf"(?:{data['back_reference']})", flags)
        self.suffix = P.compiled(data.get("instrument_suffix", "$"))
        self.qualifier = P.compiled(data.get("qualifier", "(?!)"))
        self.basis = P.compiled(data["basis_phrase"], _flags(nlp.lang or ""))
        self.before = P.compiled(data["article_before"]) if "article_before" in data else None
        self.single = set(data.get("single") or ())
        self.self_reference = (
            P.compiled(data["self_reference"]) if "self_reference" in data else None
        )

    def is_instrument(self, title: str) -> bool:
        return bool(self.suffix.search(self.qualifier.sub("", title)))

    def _articles(self, text: str, pos: int) -> tuple[list[str], int]:
        m = self.article.match(text, pos)
        if not m:
            return [], pos
        refs = [m.group().strip()]
        pos = m.end()
        while (m := self.more.match(text, pos)) is not None:
            refs.append(_strip_joiner(m.group()))
            pos = m.end()
        return refs, pos

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        found: list[Span] = []
        for title, start, end in self._titles(text):
            refs, stop = self._articles(text, end)
            before = self._articles_before(text, start)
            if before:
                refs, start = (
                    before + refs,
                    start - len(text[:start]) + text.rfind("Article", 0, start),
                )
            for span in _spans(doc, [(start, stop, "citation")]):
                span._.payload = {
                    "title": title,
                    "articles": [_norm_article(r) for r in refs] or [None],
                }
                found.append(span)
        for m in self.back.finditer(text):
            refs, stop = self._articles(text, m.end())
            prior = [
                s
                for s in found
                if s.end_char <= m.start() and "\n" not in text[s.end_char : m.start()]
            ]
            if refs and prior:
                for span in _spans(doc, [(m.start(), stop, "citation")]):
                    span._.payload = {
                        "title": prior[-1]._.payload["title"],
                        "articles": [_norm_article(r) for r in refs],
                    }
                    found.append(span)
        doc.spans["citation"] = sorted(found, key=lambda s: s.start)
        doc.spans["basis_phrase"] = _spans(
            doc, ((m.start(), m.end(), "basis") for m in self.basis.finditer(text))
        )
        return doc

    def _titles(self, text: str) -> Iterator[tuple[str, int, int]]:
        for m in self.title.finditer(text):
            if self.lang == "en":
                yield from self._english_title(m)
                continue
            title = m.group(1).strip()
            if self.is_instrument(title):
                yield title, m.start(), m.end()

    def _english_title(self, m: re.Match[str]) -> Iterator[tuple[str, int, int]]:
        start, end = m.span(1)
        title = m.group(1)
        lead = re.match(r"(?:The|This|These|Such|Said)\s+", title)
        if lead:
            if lead.group().split()[0] != "The":
                return  # this Law, these Regulations: the document itself
            title, start = title[lead.end() :], start + lead.end()
        trail = re.search(r"(?:\s+(?:of|on|for|and|the|in))+$", title)
        if trail:
            title, end = title[: trail.start()], end - len(trail.group())
        if len(title.split()) < 2 and title not in self.single:
            return
        if self.self_reference is not None and self.self_reference.match(m.string, end, end + 120):
            return
        yield title, start, end

    def _articles_before(self, text: str, start: int) -> list[str]:
        if self.before is None:
            return []
        m = self.before.search(text[max(0, start - 80) : start])
        if not m:
            return []
        head = m.group(1)
        numbers = re.findall(r"\d+(?:\s*,\s*Paragraph\s+\d+|\(\d+\))?", head)
        return [f"Article {n}" for n in numbers]


def _strip_joiner(ref: str) -> str:
    m = re.search(r"(第|Article)", ref)
    return ref[m.start() :].strip() if m else ref.strip()


def _norm_article(ref: str) -> str:
    """第三十条第一款第（二）项 -> 第三十条第一款第二项; Articles 5 -> Article 5."""
    ref = re.sub(r"[（()）\s]", "", ref) if "第" in ref else re.sub(r"\s+", " ", ref)
    ref = re.sub(r"^Articles", "Article", ref)
    return re.sub(r"\((\d+)\)$", r", Paragraph \1", ref)


class Quantities:
    """Money (with 以上…以下 ranges), percentages, multiples, durations and dates."""

    def __init__(self, nlp: Language) -> None:
        self.lang = nlp.lang
        q = P.load(nlp.lang)["quantities"]
        num, unit = q["number"], q["money_unit"]
        if nlp.lang == "zh":
            self.money = _guarded_compile(
                rf"(?P<a>{num})(?P<ua>{unit})?(?:以上|至|到|-|—|～|~)(?P<b>{num})(?P<ub>{unit})(?:以下)?|(?P<c>{num})(?P<uc>{unit})"
            )
            self.duration = _guarded_compile(
                rf"(?P<n>{num})(?P<u>{q['duration_unit']})(?P<tail>内|以内|之内)?"
            )
        else:
            self.money = _guarded_compile(
                rf"(?:(?:RMB|CNY)\s*)?(?P<a>{num})\s*(?P<ua>{unit})?\s*(?:to|-|–|and)\s*(?:(?:RMB|CNY)\s*)?(?P<b>{num})\s*(?P<ub>{unit})|(?:(?:RMB|CNY)\s*)?(?P<c>{num})\s*(?P<uc>{unit})",
                re.IGNORECASE,
            )
            self.duration = _guarded_compile(
                rf"(?P<n>{num})\s+(?P<u>{q['duration_unit']})\b(?P<tail>)", re.IGNORECASE
            )
        self.percent = _guarded_compile(q["percent"], re.IGNORECASE)
        self.roles = [(role, P.compiled(rx, re.IGNORECASE)) for role, rx in q["roles"].items()]

    def role(self, text: str, start: int, end: int) -> str | None:
        before = text[max(0, start - 12) : start]
        after = text[end : end + 8]
        window = before + "\u0000" + after
        for role, rx in self.roles:
            if role in ("fine", "deposit", "fee") and rx.search(window):
                return role
        if self.roles and dict(self.roles)["validity"].search(before):
            return "validity"
        if dict(self.roles)["deadline"].search(after[:3] if self.lang == "zh" else before):
            return "deadline"
        return None

    def __call__(self, doc: Doc) -> Doc:
        from reviewer.structure.dates import find_dates

        text = text_of(doc)
        found: list[tuple[int, int, Quantity]] = []
        for m in self.money.finditer(text):
            if m.group("c"):
                low = money(m.group("c"), _unit(m.group("uc")))
                high = None
            else:
                unit_b = _unit(m.group("ub"))
                low = money(m.group("a"), _unit(m.group("ua")) if m.group("ua") else unit_b)
                high = money(m.group("b"), unit_b)
            if low is None:
                continue
            q = Quantity(
                "amount",
                m.start(),
                m.end(),
                m.group(),
                low,
                high,
                "CNY",
                self.role(text, m.start(), m.end()),
            )
            found.append((m.start(), m.end(), q))
        for m in self.percent.finditer(text):
            found.append(
                (
                    m.start(),
                    m.end(),
                    Quantity(
                        "percent",
                        m.start(),
                        m.end(),
                        m.group(),
                        percent(m.group()),
                        None,
                        "%",
                        self.role(text, m.start(), m.end()),
                    ),
                )
            )
        for m in self.duration.finditer(text):
            value = number(m.group("n"))
            if value is None:
                continue
            role = self.role(text, m.start(), m.end())
            if m.group("tail"):
                role = role or "deadline"
            found.append(
                (
                    m.start(),
                    m.end(),
                    Quantity(
                        "duration",
                        m.start(),
                        m.end(),
                        m.group(),
                        value,
                        None,
                        duration_unit(m.group("u")),
                        role,
                    ),
                )
            )
        for m, day in find_dates(text):
            role = self.role(text, m.start(), m.end())
            found.append(
                (
                    m.start(),
                    m.end(),
                    Quantity(
                        "date", m.start(), m.end(), m.group(), day.isoformat(), None, "date", role
                    ),
                )
            )
        spans = []
        for s, e, q in found:
            for span in _spans(doc, [(s, e, q.kind)]):
                span._.payload = q
                spans.append(span)
        doc.spans["quantity"] = filter_spans(spans)
        return doc


def _guarded_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern with its first-character lookahead (numbers start with a digit
    or a Chinese numeral: most positions are rejected at once)."""
    from .prefilter import guarded

    return P.compiled(guarded(pattern, flags), flags)


def _unit(u: str | None) -> str:
    if not u:
        return "元"
    return "元" if u.lower() in ("yuan", "rmb", "cny") else u


# The factories, by name: each component is built from the language's patterns.
COMPONENTS: dict[str, type] = {
    "reviewer_clauses": Clauses,
    "reviewer_modality": Modality,
    "reviewer_bearers": Bearers,
    "reviewer_authorities": Authorities,
    "reviewer_measures": Measures,
    "reviewer_citations": Citations,
    "reviewer_quantities": Quantities,
}


def _factory(component: type) -> Any:
    def make(nlp: Language, name: str) -> Any:
        return component(nlp)

    return make


for _name, _component in COMPONENTS.items():
    if not Language.has_factory(_name):
        Language.factory(_name, func=_factory(_component))
