"""Header fields from the lines before and after the body: title, document
number, issuers, dates, genre, level, and the notice wrapper (关于印发…的通知).

The grammar has already told apart number lines, date lines and text lines;
this module decides which text line is the title, which names the issuers,
and reads the dates and the validity clause. Level and genre rules are data
(rules/data/levels.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from .dates import ZH_DATE, end_of_term, find_dates, first_date, parse_zh_date, to_int
from .tree import Dates, Header


@dataclass(frozen=True, slots=True)
class Line:
    kind: str  # text, number, date, table, attachment_ref
    text: str


@cache
def _level_table() -> dict[str, Any]:
    raw = files("reviewer.rules.data").joinpath("levels.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


LEVELS = (
    "law",
    "admin_regulation",
    "local_regulation",
    "dept_rule",
    "gov_rule",
    "normative",
    "judicial_interpretation",
    "other",
)

_ORG_SUFFIX = (
    r"(?:人民政府|政府|办公厅|办公室|委员会|管委会|委|局|厅|部|署|院|中心|总局|银行|行|会|所|处|司|科"
    r"|领导小组|工作组|指挥部|联席会议)"
)
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff（）()、 ]{{2,60}}{_ORG_SUFFIX}$")
_WRAPPER = re.compile(r"关于(?:印发|转发|发布|颁布|公布)")
_GENRE_END = re.compile(
    r"(?:办法|规定|细则|规则|条例|决定|意见|通知|通告|公告|方案|解释|批复|规划|纲要|准则|章程|法)"
    r"(?:[（(](?:试行|暂行|修订|草案)[）)])?$"
)
_PUBLIC_NOTE = re.compile(r"^[（(]此件[^）)]*[）)]$")
_ADDRESSEE = re.compile(r"^[^。；]{2,200}[：:]$")


def _is_meta(line: Line) -> bool:
    """Lines that cannot be a title: numbers, dates, (此件公开发布), rules like ---."""
    return (
        line.kind != "text"
        or bool(_PUBLIC_NOTE.match(line.text))
        or not re.search(r"[\u4e00-\u9fffA-Za-z]", line.text)
    )


def _merge_title(lines: list[Line], i: int) -> tuple[str, int]:
    """A title may be broken over up to three lines; join them while the
    joined text has not yet reached a genre word."""
    title = lines[i].text
    j = i
    while (
        not _GENRE_END.search(title)
        and j + 1 < len(lines)
        and j - i < 2
        and lines[j + 1].kind == "text"
        and len(lines[j + 1].text) <= 40
        and not re.search(r"[。；，：:]", lines[j + 1].text)
    ):
        candidate = title + lines[j + 1].text
        if not _GENRE_END.search(candidate) and j + 2 >= len(lines):
            break
        title, j = candidate, j + 1
    return (title, j) if _GENRE_END.search(title) else (lines[i].text, i)


def _split_issuers(text: str) -> list[str]:
    parts = [p for p in re.split(r"[ 、，,]+", text.strip()) if p]
    return [p for p in parts if re.search(rf"{_ORG_SUFFIX}$", p)]


def analyse(
    front: list[Line], closing: list[Line], body_text: str, language: str, level: str = "auto"
) -> Header:
    header = Header()
    if language == "en":
        _analyse_en(header, front, closing, body_text)
    else:
        _analyse_zh(header, front, closing, body_text)
    header.interim = bool(
        header.title and re.search(r"暂行|试行|[Ii]nterim|[Tt]rial|[Pp]rovisional", header.title)
    )
    header.genre = _genre(header.title, language)
    front_text = "\n".join(line.text for line in front)
    header.level = level if level in LEVELS else _detect_level(header, front_text)
    return header


def _analyse_zh(header: Header, front: list[Line], closing: list[Line], body_text: str) -> None:
    texts = [ln for ln in front if ln.kind == "text"]
    numbers = [ln.text for ln in front if ln.kind == "number"]
    header.number = numbers[0] if numbers else _number_in_text(front)

    # The notice wrapper: 安顺市人民政府关于印发《…》的通知 (maybe split over lines).
    wrapper_at = next((k for k, ln in enumerate(front) if _WRAPPER.search(ln.text)), None)
    title: str | None = None
    if wrapper_at is not None:
        wrapper, end = _merge_title(front, wrapper_at)
        header.wrapper_title = wrapper
        inner = re.search(r"《(.+?)》", wrapper)
        prefix = wrapper.split("关于", 1)[0]
        if prefix and re.search(rf"{_ORG_SUFFIX}$", prefix):
            header.issuers = _split_issuers(prefix)
        elif wrapper_at > 0 and _ORG_LINE.match(front[wrapper_at - 1].text):
            header.issuers = _split_issuers(front[wrapper_at - 1].text)
        if inner:
            title = inner.group(1)
        else:  # 关于印发X的通知 without 《》
            m = re.search(r"关于(?:印发|转发|发布|颁布|公布)(.+?)的通知", wrapper)
            title = m.group(1) if m else None
        # The inner title usually stands again on its own line(s) after the wrapper.
        if title:
            compact = title.replace(" ", "")
            for k in range(end + 1, len(front)):
                if front[k].kind != "text":
                    continue
                merged, _ = _merge_title(front, k)
                if merged.replace(" ", "") == compact:
                    title = merged
                    break
        if header.issuers == []:
            header.issuers = _signature_issuers(front[end + 1 :])
    if title is None:
        first = next((k for k, ln in enumerate(front) if not _is_meta(ln)), None)
        if first is not None and _ORG_LINE.match(front[first].text) and first + 1 < len(front):
            # an issuer line above the title (联合发文 headers)
            if not header.issuers:
                header.issuers = _split_issuers(front[first].text)
            first += 1
        if first is not None:
            title, _ = _merge_title(front, first)
    header.title = title.strip() if title else None
    if header.title and not header.issuers:
        prefix = header.title.split("关于", 1)[0] if "关于" in header.title else ""
        if prefix and re.search(rf"{_ORG_SUFFIX}$", prefix):
            header.issuers = _split_issuers(prefix)
    if not header.issuers:
        header.issuers = _signature_issuers(closing) or _published_by(texts)
    if not header.issuers and header.number:
        header.issuers = issuer_from_number(header.number)
    header.dates = _dates_zh(front, closing, body_text)


@cache
def _issuer_codes() -> dict[str, Any]:
    raw = files("reviewer.rules.data").joinpath("issuer_codes.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    return data


def issuer_from_number(number: str) -> list[str]:
    """沪府规〔2024〕3号 -> [上海市人民政府]; 国办发〔2018〕37号 -> [国务院办公厅]."""
    codes = _issuer_codes()
    m = re.match(r"([\u4e00-\u9fff]{2,6})〔", number)
    if not m:
        return []
    code = m.group(1)
    for prefix, body in codes["national"].items():
        if re.fullmatch(rf"{prefix}(?:发|函|规|令)?", code):
            return [body]
    place = codes["places"].get(code[0])
    if place is None:
        return []
    for key, body in codes["bodies"].items():  # longest code first (府办 before 府)
        if re.fullmatch(rf"{key}(?:规|发|函|字|令|秘)?(?:发)?", code[1:]):
            return [place + body]
    return []


def _number_in_text(front: list[Line]) -> str | None:
    for ln in front[:8]:
        m = re.search(r"[\u4e00-\u9fff]{1,16}〔(?:19|20)\d{2}〕第?\d{1,5}号", ln.text)
        if m:
            return m.group(0)
        m = re.search(r"(?:[\u4e00-\u9fff]{1,20})令第[0-9一二三四五六七八九十百零〇]+号", ln.text)
        if m and len(ln.text) < 40:
            return m.group(0)
    return None


def _signature_issuers(lines: list[Line]) -> list[str]:
    """Issuers named on the line(s) just above a date line."""
    for k, ln in enumerate(lines):
        if ln.kind == "date" and k > 0:
            above = lines[k - 1].text
            if _ORG_LINE.match(above):
                return _split_issuers(above)
            if k > 1 and _ORG_LINE.match(lines[k - 2].text) and _ORG_LINE.match(above):
                return _split_issuers(lines[k - 2].text) + _split_issuers(above)
    return []


def _published_by(texts: list[Line]) -> list[str]:
    """'2007年5月9日 最高人民法院、最高人民检察院公告公布' -> the publishers."""
    for ln in texts[:12]:
        m = re.search(r"日\s*(.+?)(?:公告|令第[^\s]+号|第[^\s]+号令)?(?:公布|发布|印发)$", ln.text)
        if m:
            who = re.sub(r"^(?:中华人民共和国)", "", m.group(1)).strip()
            issuers = _split_issuers(who)
            if issuers:
                return issuers
    return []


_RELATIVE_EFFECT = re.compile(
    r"自(公布|发布|印发|颁布)之日起(?:([0-9一二三四五六七八九十百]+)日后)?(?:施行|执行|生效)"
)


def _dates_zh(front: list[Line], closing: list[Line], body_text: str) -> Dates:
    d = Dates()
    date_lines = [first_date(ln.text) for ln in [*front, *closing] if ln.kind == "date"]
    signed = [x for x in date_lines if x]
    d.signed = signed[-1] if signed else None
    for ln in front[:12]:
        if ln.kind != "text":
            continue
        m = ZH_DATE.match(ln.text)
        if not m:
            continue
        rest = ln.text[m.end() :]
        when = parse_zh_date(m)
        if re.search(r"(公布|发布|印发)$", rest):
            d.published = when
        elif re.match(r"\s*(起)?施行$", rest):
            d.effective = when
    d.published = d.published or d.signed
    tail = body_text[-3000:]
    m = re.search(r"自\s*(" + ZH_DATE.pattern + r")\s*起(?:施行|执行|生效|实施)", tail)
    if m:
        found = find_dates(m.group(1))
        d.effective = found[0][1] if found else d.effective
    rel = _RELATIVE_EFFECT.search(tail)
    if d.effective is None and rel and d.published:
        days = to_int(rel.group(2)) if rel.group(2) else 0
        d.effective = d.published + timedelta(days=days or 0)
    until = re.search(r"有效期(?:至|到|截至)\s*(" + ZH_DATE.pattern + ")", tail)
    if until:
        found = find_dates(until.group(1))
        d.expires = found[0][1] if found else None
    years = re.search(r"有效期(?:为)?\s*([0-9一二三四五六七八九十两]+)\s*年", tail)
    if years:
        n = to_int(years.group(1))
        if n:
            d.validity_years = float(n)
            start = d.effective or d.published
            if d.expires is None and start:
                d.expires = end_of_term(start, n)
    if d.validity_years is None and d.expires and (d.effective or d.published):
        start2: date = d.effective or d.published  # type: ignore[assignment]
        d.validity_years = round((d.expires - start2).days / 365.25, 2)
    return d


# --- English ---------------------------------------------------------------


def _analyse_en(header: Header, front: list[Line], closing: list[Line], body_text: str) -> None:
    texts = [ln for ln in front if ln.kind == "text"]
    header.title = texts[0].text if texts else None
    numbers = [ln.text for ln in front if ln.kind == "number"]
    header.number = numbers[0] if numbers else None
    front_text = "\n".join(ln.text for ln in front)
    issuer = re.search(
        r"(?i:issued|promulgated|released|published) by (?:the )?([A-Z][^,.;()]+?)(?:\s+on\s+[^()]*)?(?:[,.;)]|$)",
        front_text,
        re.M,
    )
    if issuer:
        header.issuers = [issuer.group(1).strip()]
    d = Dates()
    signed = [first_date(ln.text) for ln in [*front, *closing] if ln.kind == "date"]
    d.signed = next((x for x in reversed(signed) if x), None)
    announced = re.search(
        r"(?i:promulgated|issued|released|published)\b[^()\n]*?\bon\s+([^()\n]{6,30})", front_text
    )
    d.published = (first_date(announced.group(1)) if announced else None) or d.signed
    tail = body_text[-3000:]
    eff = re.search(
        r"(?:take effect|come into (?:force|effect)|be (?:effective|implemented)) (?:as of |from |on )?(.{0,30}\d{4})",
        tail,
    )
    if eff:
        d.effective = first_date(eff.group(1))
    until = re.search(r"(?:valid|effective) (?:until|till|through) (.{0,30}\d{4})", tail)
    if until:
        d.expires = first_date(until.group(1))
    years = re.search(r"valid(?:ity)? (?:period )?(?:of|for) (\w+) years?", tail)
    words = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
    if years:
        n = words.get(years.group(1).lower()) or (
            int(years.group(1)) if years.group(1).isdigit() else None
        )
        if n:
            d.validity_years = float(n)
            start = d.effective or d.published
            if d.expires is None and start:
                d.expires = end_of_term(start, n)
    if d.validity_years is None and d.expires and (d.effective or d.published):
        start2: date = d.effective or d.published  # type: ignore[assignment]
        d.validity_years = round((d.expires - start2).days / 365.25, 2)
    header.dates = d


def issuer_in_title(h: Header) -> str | None:
    """关于…的通知 titles name their issuer first: 上海市食品安全工作领导小组关于…"""
    for title in (h.wrapper_title, h.title):
        m = re.match(r"(.{2,30}?)关于", title or "") or re.match(
            r"(?:Notice|Circular|Decision|Opinions?|Announcement) of (?:the )?(.{2,80}?) on ",
            title or "",
        )
        if m:
            return m.group(1)
    return None


# --- genre and level ---------------------------------------------------------


def _genre(title: str | None, language: str) -> str | None:
    if not title:
        return None
    table = _level_table()["genres"]
    if language == "en":
        for word, genre in table["en"].items():
            if re.search(rf"\b{word}\b", title):
                return str(genre)
        return None
    bare = re.sub(r"[（(](?:试行|暂行|修订|草案|修正)[）)]$", "", title.strip())
    for genre in sorted(table["zh"], key=len, reverse=True):
        if bare.endswith(genre):
            return str(genre)
    return None


def _detect_level(header: Header, front_text: str) -> str:
    fields = {
        "title": header.title or "",
        "number": header.number or "",
        "issuer": header.issuer or "",
        "front": front_text,
        "genre": header.genre or "",
        "wrapper": header.wrapper_title or "",
    }
    for rule in _level_table()["levels"]:
        patterns: dict[str, str] = rule.get("any") or {}
        if not patterns or any(
            fields[name] and re.search(pattern, fields[name]) for name, pattern in patterns.items()
        ):
            return str(rule["level"])
    return "other"
