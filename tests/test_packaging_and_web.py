"""The grammar is conflict-free under Lark's strict mode; the wheel carries
the grammars and data; the web service answers."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from reviewer.structure.parser import LANGUAGES, build_parser
from tests.conftest import FIXTURES, ROOT
from web import create_app


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
                   "reviewer/grammar/en.lark", "reviewer/rules/data/levels.yaml"):  # fmt: skip
        assert needed in names


def test_web_health_and_parse():
    client = create_app({"TESTING": True}).test_client()
    assert client.get("/healthz").json == {"status": "ok"}
    assert "规范性文件" in client.get("/").get_data(as_text=True)
    with open(FIXTURES / "shanghai_measures.docx", "rb") as f:
        resp = client.post("/parse", data={"document": (f, "m.docx")})
    assert resp.status_code == 200 and resp.json["structure"]["articles"] == 24
    bad = client.post("/parse", data={"document": (__import__("io").BytesIO(b""), "e.txt")})
    assert bad.status_code == 422 and "empty" in bad.json["error"]
