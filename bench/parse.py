"""Parse benchmark, run by hand: `.venv/bin/python bench/parse.py [--corpus DIR]`.

Times parse_text over the laws corpus, then checks that parse time grows linearly with
input size. Writes bench/results/parse.json and bench/results/parse.md. No assertions.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import sys
from pathlib import Path
from typing import Any

from common import DEFAULT_CORPUS, git_commit, load_corpus, timed, write_results

from reviewer import parse_text

FACTORS = (1, 4, 16)
NOT_LINEAR_ABOVE = 1.5


def timed_parse(text: str, path: str | None = None) -> float:
    return timed(lambda: parse_text(text, path=path))


def bench_corpus(docs: dict[str, str]) -> dict[str, Any]:
    first_name, first_text = next(iter(docs.items()))
    warmup = timed_parse(first_text, first_name)  # builds the Lark parser lazily
    per_doc: list[dict[str, Any]] = [
        {"file": name, "chars": len(text), "seconds": timed_parse(text, name)}
        for name, text in docs.items()
    ]
    for row in per_doc:
        row["chars_per_s"] = row["chars"] / row["seconds"]
    chars = sum(r["chars"] for r in per_doc)
    seconds = sum(r["seconds"] for r in per_doc)
    return {
        "warmup_seconds": warmup,
        "parser_build_seconds_est": warmup - per_doc[0]["seconds"],
        "documents": len(per_doc),
        "total_chars": chars,
        "total_seconds": seconds,
        "chars_per_s": chars / seconds,
        "docs_per_s": len(per_doc) / seconds,
        "slowest": sorted(per_doc, key=lambda r: r["seconds"], reverse=True)[:5],
    }


def bench_linearity(docs: dict[str, str]) -> dict[str, Any]:
    name, text = max(docs.items(), key=lambda kv: len(kv[1]))
    rows: list[dict[str, Any]] = []
    for n in FACTORS:
        big = "\n".join([text] * n)
        best = min(timed_parse(big) for _ in range(3))
        per_char = best / len(big)
        rows.append({"factor": n, "chars": len(big), "seconds": best, "s_per_char": per_char})
    ratio = rows[-1]["s_per_char"] / rows[0]["s_per_char"]
    linear = ratio <= NOT_LINEAR_ABOVE
    return {"source": name, "runs": rows, "ratio_16x_vs_1x": ratio, "linear": linear}


def to_markdown(res: dict[str, Any]) -> list[str]:
    c, lin, meta = res["corpus"], res["linearity"], res["meta"]
    lines = [
        "# Parse benchmark",
        "",
        f"- date: {meta['date']}",
        f"- python: {meta['python']}",
        f"- machine: {meta['machine']}",
        f"- commit: {meta['commit']}",
        "",
        "| metric | value |",
        "|---|---|",
        f"| warm-up parse (incl. Lark build) | {c['warmup_seconds']:.3f} s |",
        f"| parser build (estimated) | {c['parser_build_seconds_est']:.3f} s |",
        f"| documents | {c['documents']} |",
        f"| total chars | {c['total_chars']:,} |",
        f"| total seconds | {c['total_seconds']:.3f} |",
        f"| chars/s | {c['chars_per_s']:,.0f} |",
        f"| docs/s | {c['docs_per_s']:.1f} |",
        "",
        "## 5 slowest documents",
        "",
        "| file | chars | seconds | chars/s |",
        "|---|---:|---:|---:|",
    ]
    for r in c["slowest"]:
        cps = r["chars_per_s"]
        lines.append(f"| {r['file']} | {r['chars']:,} | {r['seconds']:.4f} | {cps:,.0f} |")
    lines += ["", f"## Linearity ({lin['source']}, best of 3)", ""]
    lines += ["| copies | chars | seconds | µs/char |", "|---:|---:|---:|---:|"]
    for r in lin["runs"]:
        us = r["s_per_char"] * 1e6
        lines.append(f"| {r['factor']}x | {r['chars']:,} | {r['seconds']:.4f} | {us:.3f} |")
    verdict = "linear" if lin["linear"] else f"NOT linear (> {NOT_LINEAR_ABOVE})"
    lines += ["", f"Per-char time 16x / 1x: **{lin['ratio_16x_vs_1x']:.2f}** — {verdict}", ""]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="dir with index.tsv")
    args = ap.parse_args()
    docs = load_corpus(args.corpus)
    results = {
        "meta": {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "python": sys.version.split()[0],
            "machine": platform.platform(),
            "commit": git_commit(),
            "corpus": str(args.corpus),
        },
        "corpus": bench_corpus(docs),
        "linearity": bench_linearity(docs),
    }
    write_results("parse", results, to_markdown(results))


if __name__ == "__main__":
    main()
