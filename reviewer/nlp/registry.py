"""The law registry: which national law or regulation a title names, and its
status on a given date.

Data: ``rules/data/law_registry.tsv`` (copied from shared/legal, with its
source column) and ``rules/data/repeals.yaml`` (repeal dates the registry
does not carry, each with its legal source).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Literal

import yaml

Status = Literal["in_force", "repealed", "amended", "not_yet", "unknown"]

_STATUS = {
    "有效": "in_force",
    "现行(LawRefBook未标失效)": "in_force",
    "已修改": "amended",
    "已废止": "repealed",
    "失效(LawRefBook标注expired=1)": "repealed",
    "尚未生效": "not_yet",
}
_LEVELS = {"宪法": "constitution", "法律": "law", "行政法规": "admin_regulation"}
_PREFIX = re.compile(r"^中华人民共和国")
_QUALIFIER = re.compile(r"[（(][^（）()]*(?:修正|修订|年|试行|暂行)[^（）()]*[）)]$")


@dataclass(frozen=True, slots=True)
class LawEntry:
    title: str
    level: str  # constitution | law | admin_regulation
    promulgated: date | None
    effective: date | None
    status: str  # in_force | amended | repealed | not_yet (as the registry says today)
    repealed: date | None  # when known (rules/data/repeals.yaml)
    source: str


@dataclass(frozen=True, slots=True)
class Resolution:
    law: LawEntry | None
    status: Status


_EN_TAIL = re.compile(r"\s+of\s+the\s+People[’']s\s+Republic\s+of\s+China", re.I)


@cache
def _english_titles() -> dict[str, str]:
    raw = files("reviewer.rules.data").joinpath("law_titles_en.yaml").read_text(encoding="utf-8")
    titles: dict[str, str] = yaml.safe_load(raw)["titles"]
    return {_english_key(k): v for k, v in titles.items()}


def _english_key(title: str) -> str:
    t = _EN_TAIL.sub("", title)
    t = re.sub(r"^(?:the|The)\s+", "", t)
    return " ".join(t.split()).lower()


def key(title: str) -> str:
    """The comparison key of a title: without 中华人民共和国, qualifiers, spaces;
    English titles first map to their Chinese title."""
    if title.isascii() or "’" in title:
        title = _english_titles().get(_english_key(title), title)
    t = re.sub(r"\s+", "", title)
    t = _QUALIFIER.sub("", t)
    return _PREFIX.sub("", t)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


class LawRegistry:
    def __init__(self, entries: list[LawEntry]) -> None:
        self._by_key: dict[str, list[LawEntry]] = {}
        for e in entries:
            self._by_key.setdefault(key(e.title), []).append(e)
        for versions in self._by_key.values():
            versions.sort(key=lambda e: e.promulgated or date.min)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def lookup(self, title: str) -> list[LawEntry]:
        return self._by_key.get(key(title), [])

    def resolve(self, title: str, on: date | None) -> Resolution:
        """The registry entry a title names and its status on ``on`` (today's
        status when the document has no date)."""
        versions = self.lookup(title)
        if not versions:
            return Resolution(None, "unknown")
        if on is None:
            entry = versions[-1]
            return Resolution(entry, _as_status(entry.status))
        known = [v for v in versions if v.promulgated is None or v.promulgated <= on]
        if not known:
            return Resolution(versions[0], "not_yet")
        entry = known[-1]
        if entry.effective and on < entry.effective:
            return Resolution(entry, "not_yet")
        if entry.repealed is not None:
            return Resolution(entry, "repealed" if on >= entry.repealed else "in_force")
        if entry.status == "repealed":
            return Resolution(entry, "repealed")  # repeal date unknown: assume before
        if entry is not versions[-1]:
            return Resolution(entry, "in_force")  # a later version exists, this one held then
        return Resolution(entry, _as_status(entry.status))


def _as_status(status: str) -> Status:
    return status if status in ("in_force", "repealed", "amended", "not_yet") else "unknown"  # type: ignore[return-value]


@cache
def law_registry() -> LawRegistry:
    data = files("reviewer.rules.data")
    repeals = yaml.safe_load(data.joinpath("repeals.yaml").read_text(encoding="utf-8"))
    repealed_on = {key(r["title"]): _date(str(r["repealed"])) for r in repeals["repeals"]}
    text = data.joinpath("law_registry.tsv").read_text(encoding="utf-8")
    entries = []
    for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
        status = _STATUS.get(row["status"], "unknown")
        repealed = repealed_on.get(key(row["title"]))
        entries.append(
            LawEntry(
                title=row["title"],
                level=_LEVELS.get(row["level"], "other"),
                promulgated=_date(row["promulgated"]),
                effective=_date(row["effective"]),
                status="repealed" if repealed else status,
                repealed=repealed,
                source=row["source"],
            )
        )
    return LawRegistry(entries)
