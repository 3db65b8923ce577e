"""The structure parser over all 300 real laws, regulations and rules of
../shared/corpus/laws, against the gold counts in its index.tsv."""

from __future__ import annotations

from reviewer import parse_text
from tests.conftest import LAWS

# Two source files glue a chapter heading to the end of the previous
# article's sentence (…刑事责任。第六章附则第四十条…); the gold counts, made
# line by line, miss that chapter (and article). We find it: known gold errors.
GOLD_ERRORS = {"law-0123.txt", "law-0268.txt"}

LEVEL_NAMES = {
    "法律": "law",
    "行政法规": "admin_regulation",
    "地方性法规": "local_regulation",
    "部门规章": "dept_rule",
    "司法解释": "judicial_interpretation",
}


def _parse_all(laws):
    for row in laws:
        text = (LAWS / row["file"]).read_text(encoding="utf-8")
        yield row, parse_text(text, path=row["file"])


def test_counts_match_gold_on_99_percent(laws):
    mismatches = []
    gaps = []
    low_coverage = []
    for row, doc in _parse_all(laws):
        c = doc.counts()
        got = (c["articles"], c["chapters"], c["sections"])
        gold = (int(row["articles"]), int(row["chapters"]), int(row["sections"]))
        if got != gold:
            mismatches.append((row["file"], got, gold))
        if any(d.kind == "article_gap" for d in doc.diagnostics):
            gaps.append(row["file"])
        if doc.coverage < 0.95:
            low_coverage.append((row["file"], doc.coverage))
    assert len(mismatches) <= len(laws) // 100, mismatches
    assert {m[0] for m in mismatches} <= GOLD_ERRORS, mismatches
    assert gaps == [], f"article numbers with gaps: {gaps}"
    assert low_coverage == []


def test_titles_and_levels(laws):
    titles_ok = levels_ok = 0
    for row, doc in _parse_all(laws):
        titles_ok += doc.title == row["title"]
        levels_ok += doc.header.level == LEVEL_NAMES[row["level"]]
    assert titles_ok == len(laws)
    assert levels_ok / len(laws) >= 0.95, levels_ok


def test_article_eids_are_unique_and_numbered_through(laws):
    for row, doc in _parse_all(laws[::10]):
        eids = [n.eid for n in doc.walk()]
        assert len(eids) == len(set(eids)), row["file"]
        arts = doc.nodes("article")
        assert [a.eid for a in arts][:3] == [f"art_{i}" for i in range(1, min(3, len(arts)) + 1)]
