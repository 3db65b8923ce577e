"""The rules engine, the rule packs and their tooling (GUIDE §3.5)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from reviewer import parse_text, review_text
from reviewer.engine import review_document
from reviewer.engine.pack import RuleError, builtin_pack, default_rules_dir, load_pack
from reviewer.engine.ruletest import test_pack as run_pack_tests
from reviewer.evaluation import wrap_provision
from reviewer.report import FORMATS

from .conftest import FIXTURES, LAWS, ROOT, in_threads

LICENCE_ARTICLE = "第一条 企业投放共享单车，须经市交通委审批。\n"


def normative(body: str, title: str = "上海市共享单车管理办法") -> str:
    return (
        f"上海市人民政府\n沪府规〔2024〕1号\n{title}\n{body}"
        "第九条 本办法自2024年4月1日起施行，有效期至2029年3月31日。\n上海市人民政府\n2024年3月1日\n"
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_rule_passes_its_fixtures(language: str) -> None:
    pack = builtin_pack(language)
    results = run_pack_tests(pack)
    failed = {r.rule.id: r.problems for r in results if not r.ok}
    assert not failed
    families = {r.family for r in pack.rules}
    assert len(families) == 12, sorted(families)


def test_every_rule_cites_its_basis_with_a_quote() -> None:
    for language in ("zh", "en"):
        for rule in builtin_pack(language).rules:
            assert rule.basis and all(b["quote"].strip() for b in rule.basis), rule.id


def test_unverified_numbers_are_parameters_marked_unverified() -> None:
    params = builtin_pack("zh").params
    assert params["max_validity_years"].verified is False
    assert params["gov_rule_fine_cap_general"].value == 30000


def _copy_pack(tmp_path: Path) -> Path:
    target = tmp_path / "zh"
    shutil.copytree(default_rules_dir() / "zh", target)
    return target


def test_a_malformed_rule_is_an_error(tmp_path: Path) -> None:
    pack = _copy_pack(tmp_path)
    (pack / "licensing" / "broken.yaml").write_text(
        "id: zh.licensing.broken\nfamily: licensing\nseverity: fatal\n", encoding="utf-8"
    )
    with pytest.raises(RuleError, match=r"broken\.yaml"):
        load_pack(pack)


def test_vocabulary_terms_expand_and_unknown_terms_are_errors(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    rule = pack_dir / "competition" / "local-presence.yaml"
    assert "{{local}}" in rule.read_text(encoding="utf-8")
    pack = load_pack(pack_dir)
    assert "婺源县" not in pack.vocabulary["local"]  # a pattern, not a list of places
    review = review_document(
        parse_text(wrap_provision("投标企业必须在婺源县注册登记。")), pack=pack
    )
    assert "zh.competition.local-presence" in {f.rule for f in review.findings}
    rule.write_text(
        rule.read_text(encoding="utf-8").replace("{{local}}", "{{nowhere}}", 1), encoding="utf-8"
    )
    with pytest.raises(RuleError, match=r"unknown term \{\{nowhere\}\}"):
        load_pack(pack_dir)


def test_a_rule_without_negative_fixture_fails(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    fixture = pack_dir / "fee" / "no-new-fee.fixture.txt"
    fixture.write_text(
        "\n".join(
            line for line in fixture.read_text(encoding="utf-8").splitlines() if "# ok:" not in line
        ),
        encoding="utf-8",
    )
    results = {r.rule.id: r for r in run_pack_tests(load_pack(pack_dir))}
    assert "no negative fixture (# ok:)" in results["zh.fee.no-new-fee"].problems


def test_a_regression_fails_the_rule_test(tmp_path: Path) -> None:
    pack_dir = _copy_pack(tmp_path)
    rule = pack_dir / "penalty" / "no-new-penalty.yaml"
    rule.write_text(
        rule.read_text(encoding="utf-8").replace("measure: penalty", "measure: fee"),
        encoding="utf-8",
    )
    results = {r.rule.id: r for r in run_pack_tests(load_pack(pack_dir))}
    assert not results["zh.penalty.no-new-penalty"].ok


def test_levels_decide_whether_a_licence_is_lawful() -> None:
    text = normative(LICENCE_ARTICLE)
    as_normative = review_document(parse_text(text, level="normative"))
    as_law = review_document(parse_text(text, level="law"))
    assert "zh.licensing.no-new-licence" in {f.rule for f in as_normative.findings}
    assert "zh.licensing.no-new-licence" not in {f.rule for f in as_law.findings}


def test_finding_shape_and_explain_trace() -> None:
    review = review_text(normative(LICENCE_ARTICLE))
    f = next(f for f in review.findings if f.rule == "zh.licensing.no-new-licence")
    d = f.to_dict()
    assert d["family"] == "licensing" and d["severity"] == "error"
    assert d["eid"].startswith("art_1") and d["line"] == 4
    assert "审批" in d["evidence"] and d["basis"][0]["article"] == "第十七条"
    assert {e["fact"] for e in d["explain"]} == {"document", "norm"}
    assert d["explain"][1]["values"]["measure"] == "licensing"
    assert d["pack"].startswith("zh@")


def test_the_review_date_decides_whether_a_citation_is_repealed() -> None:
    text = normative("第一条 根据《中华人民共和国合同法》，制定本办法。\n")
    rule = "zh.repealed_citation.repealed-law"
    assert rule in {f.rule for f in review_text(text).findings}
    before = review_document(parse_text(text), on=date(2020, 6, 1))
    assert rule not in {f.rule for f in before.findings}


def test_concurrent_reviews_from_threads_agree_with_sequential_ones() -> None:
    texts = [
        normative(LICENCE_ARTICLE),
        normative("第一条 违反本办法的，由区城管执法局处五百元罚款。\n"),
        (FIXTURES / "shanghai_measures.txt").read_text(encoding="utf-8"),
        (FIXTURES / "english_measures.txt").read_text(encoding="utf-8"),
    ]
    expected = [sorted(f.rule for f in review_text(t).findings) for t in texts]
    results: dict[int, list[str]] = {}

    def work(i: int) -> None:
        for _ in range(5):
            got = sorted(f.rule for f in review_text(texts[i % len(texts)]).findings)
            assert got == expected[i % len(texts)]
        results[i] = got

    assert not in_threads(work) and len(results) == 8


def test_many_sequential_reviews_do_not_exhaust_sessions() -> None:
    text = normative(LICENCE_ARTICLE)
    for _ in range(1100):  # durable_rules allows ~1024 live sessions
        review = review_document(parse_text(text))
    assert any(f.rule == "zh.licensing.no-new-licence" for f in review.findings)


def test_reviews_in_several_processes() -> None:
    code = (
        "from reviewer import review_text;"
        "t=open('fixtures/shanghai_measures.txt',encoding='utf-8').read();"
        "print(len(review_text(t).findings))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE)
        for _ in range(3)
    ]
    outs = {p.communicate(timeout=300)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs) and len(outs) == 1


def _reviews() -> list:
    return [
        review_text((FIXTURES / "shanghai_measures.txt").read_text(encoding="utf-8"), path="a.txt"),
        review_text(normative(LICENCE_ARTICLE), path="b.txt"),
    ]


def test_json_report_matches_the_guide() -> None:
    payload = json.loads(FORMATS["json"](_reviews()))
    assert payload["schema"] == "reviewer/check/v1"
    doc = payload["documents"][1]
    assert {
        "path",
        "title",
        "number",
        "issuer",
        "level",
        "genre",
        "language",
        "structure",
        "findings",
    } <= set(doc)
    assert payload["summary"]["errors"] >= 1


def test_sarif_report_validates_against_the_official_schema() -> None:
    import jsonschema

    schema_path = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    sarif = json.loads(FORMATS["sarif"](_reviews()))
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    assert sarif["runs"][0]["results"][0]["ruleId"].startswith("zh.")


def test_junit_and_html_reports() -> None:
    reviews = _reviews()
    root = ET.fromstring(FORMATS["junit"](reviews).split("?>", 1)[1])
    assert root.tag == "testsuites" and len(root.findall("testsuite")) == 2
    assert root.find(".//failure") is not None
    html = FORMATS["html"](reviews)
    assert "<mark>" in html and "zh.licensing.no-new-licence" in html and 'id="art_1"' in html


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        check=False,
    )


def test_cli_check_exit_codes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(normative(LICENCE_ARTICLE), encoding="utf-8")
    run = _cli("check", str(bad))
    assert run.returncode == 1 and b"zh.licensing.no-new-licence" in run.stdout
    assert _cli("check", "--fail-on", "never", str(bad)).returncode == 0
    good = FIXTURES / "shanghai_measures.txt"
    assert _cli("check", str(good)).returncode == 0
    assert _cli("check", "--fail-on", "warning", str(good)).returncode == 1
    missing = _cli("check", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and len(missing.stderr.decode().strip().splitlines()) == 1
    assert _cli("check", "--date", "2024-13-01", str(good)).returncode == 2


def test_cli_rules_commands() -> None:
    run = _cli("rules", "test")
    assert run.returncode == 0, run.stdout.decode()[-2000:]
    assert b"40 rules" in run.stdout or b"passed" in run.stdout
    listing = _cli("rules", "list").stdout.decode()
    assert "zh.licensing.no-new-licence" in listing and "en.penalty.no-new-penalty" in listing
    shown = _cli("rules", "show", "zh.fee.no-new-fee")
    assert shown.returncode == 0 and b"family: fee" in shown.stdout
    assert _cli("rules", "show", "zh.fee.nope").returncode == 2


def test_pre_commit_hook_definition() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["entry"].startswith("reviewer check")


def test_check_on_several_processes_gives_the_same_report() -> None:
    paths = [str(FIXTURES / "shanghai_measures.txt"), str(FIXTURES / "with_attachments.txt")]
    one = _cli("check", "--format", "json", "--fail-on", "never", *paths)
    many = _cli("check", "--format", "json", "--fail-on", "never", "--jobs", "2", *paths)
    assert one.returncode == many.returncode == 0
    assert json.loads(one.stdout) == json.loads(many.stdout)


def test_the_literal_prefilter_never_skips_a_pattern_that_matches() -> None:
    """Every rule regex is skipped on texts without one of its necessary
    literals; on every provision of the fixtures and real cases, a regex that
    matches must have been a candidate (the skip is exact, only cheaper)."""
    from reviewer.engine import compiled_pack
    from reviewer.evaluation import wrap_provision
    from reviewer.facts import extract

    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("rules/*/*/*.fixture.txt"))]
    for name in ("fresh.jsonl", "collected.jsonl"):
        for line in (ROOT / "eval" / "cases" / name).read_text(encoding="utf-8").splitlines():
            texts.append(wrap_provision(json.loads(line)["provision_zh"]))
    checked = 0
    for text in texts:
        document = parse_text(text)
        compiled = compiled_pack(builtin_pack(document.language))
        for fact in extract(document).facts:
            for feature in compiled.features.get(fact["type"], []):
                if feature.pattern is None:
                    continue
                value = feature.text(fact)
                if feature.pattern.search(value):
                    index = compiled._literal_index[(fact["type"], feature.field)]
                    assert feature.name in index.candidates(value), (feature, value)
                    checked += 1
    assert checked > 100  # the test saw real matches


def _matched(compiled: Any, asserted: list[dict]) -> set[tuple[str, tuple]]:
    """Which rules fire on which facts (by alias and fact id)."""
    from reviewer.engine import _flatten
    from reviewer.engine.runner import run

    return {
        (m.rule_name, tuple(sorted((a, f.get("id")) for a, f in m.facts.items())))
        for m in run(compiled, [_flatten(f) for f in asserted])
    }


def test_gating_facts_never_changes_what_matches() -> None:
    """prepare() drops facts and skips features by level, scalar tests and
    literals; asserting every fact with every feature must match the same
    rules on the same facts, at each level, on the fixtures and real cases."""
    from reviewer.engine import compiled_pack
    from reviewer.facts import extract

    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("rules/zh/*/*.fixture.txt"))]
    for line in (ROOT / "eval" / "cases" / "fresh.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(wrap_provision(json.loads(line)["provision_zh"]))
    compared = 0
    for text in texts:
        for level in ("normative", "gov_rule", "law"):
            document = parse_text(text, level=level)
            compiled = compiled_pack(builtin_pack(document.language))
            facts = extract(document).facts
            gated = [f for f in (compiled.prepare(f, level) for f in facts) if f is not None]
            everything = [compiled.add_features(f) for f in facts]

            got = _matched(compiled, gated)
            assert got == _matched(compiled, everything), (level, text[:80])
            compared += len(got)
    assert compared > 100  # the test saw real matches


def test_a_review_extracts_only_what_its_level_needs_and_finds_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """review_document asks extraction only for the fact types its level's
    rules refer to (a law needs no norms); its findings must equal those of
    a review given the full extraction, at each level, on fixtures and laws."""
    import reviewer.engine as engine
    from reviewer.facts import extract

    def findings(document: Any) -> list[tuple[str, str | None, str]]:
        return [(f.rule, f.eid, f.evidence) for f in review_document(document).findings]

    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("rules/zh/*/*.fixture.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(LAWS.glob("law-00[0-2]*.txt"))]
    compared = 0
    for text in texts:
        for level in ("normative", "law", "gov_rule", "dept_rule"):
            document = parse_text(text, level=level)
            lean = findings(document)
            if level == "law":  # no rule for laws reads norms
                assert not review_document(document).extraction.of_type("norm")
            with monkeypatch.context() as m:
                m.setattr(engine, "extract", lambda d, on=None, only=None: extract(d, on=on))
                assert lean == findings(document), (level, text[:60])
            compared += len(lean)
    assert compared > 100
