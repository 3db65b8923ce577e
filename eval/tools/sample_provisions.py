"""Draw the provisions of the extraction evaluation set from the shared corpus.

Reproducible (fixed seed). Provisions are articles (or 一、-style sections of
notices) with their items, 12-420 characters long. The draw is stratified so
that the rarer labels are well represented: provisions naming a measure,
provisions citing a 《title》, and the rest at random; every provision of the
normative corpus is eligible, and laws of every level are drawn.

    python eval/tools/sample_provisions.py SHARED_DIR > eval/extraction/zh.unlabelled.jsonl
    python eval/tools/sample_provisions.py SHARED_DIR --seed 7 --quota 120 \
        --exclude eval/extraction/zh.jsonl --prefix zhh > eval/extraction/heldout.unlabelled.jsonl

The second set is drawn after the patterns were tuned on the first, and
measures how well they generalise.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

from reviewer import parse_text

MEASURE_HINT = re.compile(
    r"许可|审批|核准|批准|登记|备案|罚款|没收|吊销|暂扣|责令停|警告|通报批评|拘留|查封|扣押|冻结|强制"
    r"|滞纳金|收取|缴纳|收费|费用|押金|保证金|失信|黑名单|联合惩戒|信用"
)
QUOTAS = {"measure": 130, "citation": 70, "normative": 40, "other": 100}


def provisions(shared: Path):
    index = {}
    with open(shared / "corpus/laws/index.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            index[row["file"]] = row["level"]
    paths = sorted((shared / "corpus/laws").glob("law-*.txt")) + sorted(
        (shared / "corpus/normative").glob("*.txt")
    )
    for path in paths:
        doc = parse_text(path.read_text(encoding="utf-8"), path=str(path))
        level = index.get(path.name, "normative")
        units = doc.nodes("article") or [n for n in doc.nodes("section") if n.eid.count("__") == 0]
        for node in units:
            text = node.full_text().strip()
            if 12 <= len(text) <= 420:
                rel = path.relative_to(shared).as_posix()
                yield {
                    "source": rel,
                    "eid": node.eid,
                    "num": node.num,
                    "level": level,
                    "text": text,
                }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared", type=Path)
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("--quota", type=int, default=0, help="total size (0: the default quotas)")
    ap.add_argument("--exclude", type=Path, help="a JSONL set whose provisions are not drawn again")
    ap.add_argument("--prefix", default="zh")
    args = ap.parse_args()
    shared = args.shared
    rng = random.Random(args.seed)
    quotas = dict(QUOTAS)
    if args.quota:
        total = sum(QUOTAS.values())
        quotas = {k: round(v * args.quota / total) for k, v in QUOTAS.items()}
    excluded = set()
    if args.exclude:
        with open(args.exclude, encoding="utf-8") as f:
            excluded = {(r["source"], r["eid"]) for r in map(json.loads, f)}
    pools: dict[str, list[dict]] = {k: [] for k in QUOTAS}
    for p in provisions(shared):
        if (p["source"], p["eid"]) in excluded:
            continue
        if p["source"].startswith("corpus/normative"):
            pools["normative"].append(p)
        elif "《" in p["text"]:
            pools["citation"].append(p)
        elif MEASURE_HINT.search(p["text"]):
            pools["measure"].append(p)
        else:
            pools["other"].append(p)
    chosen = []
    for pool, quota in quotas.items():
        items = pools[pool]
        chosen += rng.sample(items, min(quota, len(items)))
    rng.shuffle(chosen)
    for i, p in enumerate(chosen, 1):
        print(json.dumps({"id": f"{args.prefix}-{i:03d}", **p}, ensure_ascii=False))


if __name__ == "__main__":
    main()
