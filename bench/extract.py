"""Extraction benchmark, run by hand: `.venv/bin/python bench/extract.py [--corpus DIR]`.

Times, side by side in one process over the same texts (the laws corpus,
about 2 million characters):

- baseline: bare ``spacy.blank("zh")`` tokenisation (its default character
  segmenter), the yardstick issue 3 names;
- the full extraction: ``parse_text`` + ``reviewer.facts.extract`` (structure
  parse, our spaCy pipeline, facts), with the share of each stage.

Each measurement is the best of ``--repeat`` runs after a warm-up (pipelines
and the parser are built once per process). Writes bench/results/extract.json
and bench/results/extract.md. No assertions: the target (ratio <= 3) is
reported, not tested.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
from pathlib import Path
from typing import Any

import spacy
from common import (
    DEFAULT_CORPUS,
    TARGET_RATIO,
    best_of,
    git_commit,
    load_corpus,
    stage_table,
    table,
    write_results,
)

from reviewer import parse_text
from reviewer.facts import extract
from reviewer.nlp import get_nlp


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = list(load_corpus(args.corpus).values())
    chars = sum(map(len, texts))

    blank = spacy.blank("zh")
    nlp = get_nlp("zh")
    for t in texts[:3]:  # warm-up: build the parser and the pipelines
        blank(t)
        extract(parse_text(t))

    def tokenise() -> None:
        for t in texts:
            blank(t)

    docs: list[Any] = []

    def parse_all() -> None:
        docs[:] = [parse_text(t) for t in texts]

    def extract_all() -> None:
        for d in docs:
            extract(d)

    def pipeline_only() -> None:
        from reviewer.facts import units

        for d in docs:
            nlp(units(d)[0])

    def full() -> None:
        for t in texts:
            extract(parse_text(t))

    from reviewer.batch import extract_many

    def full_parallel() -> None:
        for _ in extract_many((t, None, "auto") for t in texts):
            pass

    baseline = best_of(args.repeat, tokenise)
    total = best_of(args.repeat, full)
    parallel = best_of(args.repeat, full_parallel)
    parse_s = best_of(args.repeat, parse_all)
    extract_s = best_of(args.repeat, extract_all)
    spacy_s = best_of(args.repeat, pipeline_only)
    result = {
        "date": datetime.date.today().isoformat(),
        "commit": git_commit(),
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "machine": platform.machine(),
        "documents": len(texts),
        "characters": chars,
        "baseline_blank_zh_s": round(baseline, 3),
        "full_extraction_s": round(total, 3),
        "ratio": round(total / baseline, 2),
        "ratio_extraction_stage": round(extract_s / baseline, 2),
        "processes": os.cpu_count(),
        "full_extraction_all_cores_s": round(parallel, 3),
        "ratio_all_cores": round(parallel / baseline, 2),
        "target_ratio": TARGET_RATIO,
        "chars_per_s": {
            "blank_zh_tokenisation": round(chars / baseline),
            "full_extraction": round(chars / total),
        },
        "stages_s": {
            "structure_parse": round(parse_s, 3),
            "extract (pipeline + facts)": round(extract_s, 3),
            "of which spaCy pipeline": round(spacy_s, 3),
        },
    }
    stages = {
        "structure parse": parse_s,
        "extraction (spaCy pipeline + facts)": extract_s,
    }
    md = [
        "# Extraction benchmark",
        "",
        f"{result['date']}, commit {result['commit']}, Python {result['python']}, "
        f"spaCy {result['spacy']}, {result['machine']}; best of {args.repeat} runs.",
        "",
        f"Corpus: {len(texts)} documents, {chars:,} characters (`shared/corpus/laws`).",
        "",
        *table(
            ("measurement", "seconds", "characters/s"),
            [
                (name, f"{s:.3f}", f"{chars / s:,.0f}")
                for name, s in [
                    ('bare `spacy.blank("zh")` tokenisation', baseline),
                    ("full extraction (parse + pipeline + facts)", total),
                    (f"full extraction on all {os.cpu_count()} cores (`reviewer.batch`)", parallel),
                ]
            ],
        ),
        "",
        f"**Ratio on all cores / baseline: {parallel / baseline:.2f}**; one process: "
        f"{total / baseline:.2f}; extraction stage alone "
        f"(pipeline + facts on parsed documents) / baseline: {extract_s / baseline:.2f} "
        f"(target: at most {TARGET_RATIO}).",
        "",
        *stage_table(stages),
        "",
        f"Of the extraction stage, the spaCy pipeline alone takes {spacy_s:.3f} s.",
        "",
    ]
    write_results("extract", result, md)


if __name__ == "__main__":
    main()
