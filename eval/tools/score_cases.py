"""Score the rules on a file of real cases, the way the accuracy tests do.

Each case is placed as article 2 of a minimal normative document; a hit is
a finding of the case's family on that article. Look-alikes (lawful
provisions) are reviewed at their own level and count as false positives
on any error or warning there. Use it on a freshly collected set *before*
changing any rule: the first run is the only honest measure of how the
rules generalise (see docs/rules.md, "Generalisation").

    python eval/tools/score_cases.py NEW_CASES.jsonl [--negatives LOOKALIKES.jsonl]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from reviewer.evaluation import score_cases


def _load(path: Path | None) -> list[dict]:
    if path is None:
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("cases", type=Path, help="JSONL with provision_zh and rule_family")
    ap.add_argument("--negatives", type=Path, help="JSONL with provision_zh and doc_kind")
    args = ap.parse_args()
    report = score_cases(_load(args.cases), _load(args.negatives))
    print(f"recall {report.found}/{report.dev} = {report.recall:.2f}")
    print(f"article flagged (any family) {report.flagged}/{report.dev}")
    if report.negatives:
        print(f"false positives {report.false_positives}/{report.negatives} = {report.fp_rate:.2f}")
    for line in report.misses + report.fp_examples:
        print("  " + line)


if __name__ == "__main__":
    main()
