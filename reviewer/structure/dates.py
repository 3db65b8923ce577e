"""Dates and numbers as written in Chinese and English legal text."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

import cn2an
import roman

_CN_DIGITS = str.maketrans(
    "〇零一二三四五六七八九０１２３４５６７８９", "00123456789" + "0123456789"
)

ZH_DATE = re.compile(
    r"((?:19|20)\d{2}|[〇零一二][〇零一二三四五六七八九]{3})\s*年\s*"
    r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_EN_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
EN_DATE = re.compile(
    r"\b(?:(\d{1,2})\s+([A-Z][a-z]+),?\s+((?:19|20)\d{2})|([A-Z][a-z]+)\s+(\d{1,2}),\s+((?:19|20)\d{2}))\b"
)


@lru_cache(maxsize=4096)  # the same few hundred numerals recur in every document
def to_int(numeral: str) -> int | None:
    """第二十四条 -> 24 for the numeral part ("二十四", "24", "２４", "IV")."""
    s = numeral.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s.translate(_CN_DIGITS))
    if re.fullmatch(r"[IVXLCDM]+", s):
        try:
            return int(roman.fromRoman(s))
        except roman.InvalidRomanNumeralError:
            return None
    try:
        value = cn2an.cn2an(s.replace("两", "二"), "smart")
    except (ValueError, KeyError, TypeError):
        return None
    return int(value) if value == int(value) else None


def _cn_part(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    return to_int(s)


def parse_zh_date(match: re.Match[str]) -> date | None:
    year = int(match.group(1).translate(_CN_DIGITS))
    month, day = _cn_part(match.group(2)), _cn_part(match.group(3))
    if month is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_en_date(match: re.Match[str]) -> date | None:
    if match.group(1):
        day, month_name, year = match.group(1), match.group(2), match.group(3)
    else:
        month_name, day, year = match.group(4), match.group(5), match.group(6)
    month = _EN_MONTHS.get(month_name.lower())
    if month is None:
        return None
    try:
        return date(int(year), month, int(day))
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[re.Match[str], date]]:
    found: list[tuple[re.Match[str], date]] = []
    for m in ZH_DATE.finditer(text):
        d = parse_zh_date(m)
        if d:
            found.append((m, d))
    for m in EN_DATE.finditer(text):
        d = parse_en_date(m)
        if d:
            found.append((m, d))
    found.sort(key=lambda pair: pair[0].start())
    return found


def first_date(text: str) -> date | None:
    found = find_dates(text)
    return found[0][1] if found else None


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def end_of_term(start: date, years: int) -> date:
    """Last day of a term of `years` starting on `start` (有效期5年)."""
    return add_years(start, years) - timedelta(days=1)
