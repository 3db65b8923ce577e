"""Numbers in legal text: 五千元以上三万元以下, 5万元, 百分之五, 30日内, 有效期5年."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cn2an

_UNIT = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
_FINANCIAL = str.maketrans("壹贰叁肆伍陆柒捌玖拾佰仟", "一二三四五六七八九十百千")


@lru_cache(maxsize=4096)
def number(text: str) -> float | None:
    """'三万' -> 30000, '5.5' -> 5.5, '1,000' -> 1000, '两' -> 2 (cn2an for Chinese numerals)."""
    s = text.strip().replace(",", "")
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    s = s.translate(_FINANCIAL).replace("两", "二")
    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def money(amount: str, unit: str) -> float | None:
    """'五千', '元' -> 5000.0; 'yuan' and 'RMB' count as 元."""
    value = number(amount)
    if value is None:
        return None
    return value * _UNIT.get(unit, 1)


def percent(text: str) -> float | None:
    m = re.fullmatch(r"百分之(.+)", text)
    if m:
        return number(m.group(1).replace("点", "."))
    m = re.match(r"([0-9.]+)", text)
    return float(m.group(1)) if m else None


@dataclass(frozen=True, slots=True)
class Quantity:
    kind: str  # amount | duration | date | percent | multiple
    start: int
    end: int
    text: str
    value: float | str | None
    upper: float | None  # the upper bound of a range (以上…以下)
    unit: str  # CNY, %, times, day, working_day, month, year, week, hour, date
    role: str | None  # fine, fee, deposit, validity, deadline


_DURATION_UNITS = {
    "个工作日": "working_day",
    "工作日": "working_day",
    "个月": "month",
    "日": "day",
    "天": "day",
    "年": "year",
    "周": "week",
    "小时": "hour",
}


def duration_unit(unit: str) -> str:
    u = unit.lower().rstrip("s")
    if u in ("working day",):
        return "working_day"
    return _DURATION_UNITS.get(unit, u)
