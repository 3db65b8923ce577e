from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from reviewer.nlp.resemblance import ModelError, shared_dir

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"


def _find_shared() -> Path:
    """The shared corpora, found as the model trainer finds them (beside the
    checkout, REVIEWER_SHARED, or the workplace default)."""
    try:
        return shared_dir(ROOT)
    except ModelError:
        return ROOT.parent / "shared"


SHARED = _find_shared()
LAWS = SHARED / "corpus" / "laws"
NORMATIVE = SHARED / "corpus" / "normative"


def in_threads(work: Callable[[int], None], count: int = 8) -> list[BaseException]:
    """Run work(0) … work(count - 1) on as many threads at once; what they raised."""
    errors: list[BaseException] = []

    def guarded(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


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
