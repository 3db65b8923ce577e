"""The grammar is conflict-free under Lark's strict mode; the wheel carries
the grammars, rule packs, migrations and templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from reviewer.structure.parser import LANGUAGES, build_parser
from tests.conftest import ROOT


@pytest.mark.parametrize("language", LANGUAGES)
def test_grammar_has_no_conflicts_in_strict_mode(language):
    build_parser(language, strict=True)


def test_wheel_ships_grammars_and_rule_data(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True,
    )  # fmt: skip
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("reviewer/grammar/structure.lark", "reviewer/grammar/zh.lark",
                   "reviewer/grammar/en.lark", "reviewer/rules/data/levels.yaml",
                   "reviewer/rules/zh/licensing/no-new-licence.yaml",
                   "reviewer/rules/zh/licensing/no-new-licence.fixture.txt",
                   "reviewer/rules/schema/rule.schema.json", "reviewer/nlp/pipeline.cfg",
                   "reviewer/nlp/patterns/zh.yaml", "reviewer/report/sarif.py",
                   "web/migrations/env.py", "web/templates/filing.html"):  # fmt: skip
        assert needed in names, needed
    assert any(n.startswith("web/migrations/versions/0001") for n in names)
