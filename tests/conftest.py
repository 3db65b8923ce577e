from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
LAWS = SHARED / "corpus" / "laws"
NORMATIVE = SHARED / "corpus" / "normative"


def laws_index() -> list[dict[str, str]]:
    if not (LAWS / "index.tsv").exists():
        return []
    with open(LAWS / "index.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.fixture(scope="session")
def laws() -> list[dict[str, str]]:
    rows = laws_index()
    if not rows:
        pytest.skip("../shared/corpus/laws is not present")
    return rows
