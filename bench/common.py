"""What every benchmark script shares: the corpus, the clock, the commit,
and writing a result as JSON plus a Markdown table under bench/results/."""

from __future__ import annotations

import csv
import json
import subprocess
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DEFAULT_CORPUS = HERE.parents[1] / "shared/corpus/laws"
TARGET_RATIO = 3.0  # issues 3 and 4: at most 3x bare spacy.blank("zh") tokenisation


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        )
    except OSError:
        return "uncommitted"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "uncommitted"


def load_corpus(corpus: Path) -> dict[str, str]:
    with (corpus / "index.tsv").open(encoding="utf-8", newline="") as f:
        files = [row["file"] for row in csv.DictReader(f, delimiter="\t")]
    return {name: (corpus / name).read_text(encoding="utf-8") for name in files}


def timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def best_of(repeat: int, run: Callable[[], Any]) -> float:
    return min(timed(run) for _ in range(repeat))


def table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    """A Markdown table as lines."""
    head = list(header)
    return [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(str(c) for c in row) + " |" for row in rows),
    ]


def stage_table(stages: dict[str, float]) -> list[str]:
    """Seconds and share of the total per stage."""
    total = sum(stages.values())
    return table(
        ("stage", "seconds", "share"),
        ((k, f"{v:.3f}", f"{v / total:.0%}") for k, v in stages.items()),
    )


def write_results(name: str, result: dict[str, Any], markdown: list[str]) -> None:
    """bench/results/NAME.json and NAME.md, and the Markdown on stdout."""
    RESULTS.mkdir(exist_ok=True)
    dumped = json.dumps(result, indent=2, ensure_ascii=False)
    (RESULTS / f"{name}.json").write_text(dumped + "\n", encoding="utf-8")
    text = "\n".join(markdown)
    (RESULTS / f"{name}.md").write_text(text, encoding="utf-8")
    print(text)
