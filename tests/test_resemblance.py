"""The resemblance model of the Chinese pack (rules/zh/model) and the
`resembles` condition that rules use it through."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reviewer import parse_text
from reviewer.engine import review_document
from reviewer.engine.pack import RuleError, default_rules_dir, load_pack
from reviewer.evaluation import wrap_provision
from reviewer.nlp import resemblance

from .conftest import ROOT, in_threads

MODEL = ROOT / "rules" / "zh" / "model"
RULE = "zh.competition.resembles-cases"
# read like conduct review bodies found anticompetitive; no wording rule fires on them
LIKE_CASES = ["确定市中心医院为全市从业人员健康体检定点医疗机构。"]
LAWFUL = ["政府采购应当依法公开招标，平等对待各类经营者。"]


def _shared_or_skip() -> None:
    try:
        resemblance.shared_dir(ROOT)
    except resemblance.ModelError:
        pytest.skip("../shared is not present: the model's sources cannot be read")


def test_the_committed_model_was_trained_on_the_current_sources() -> None:
    """Change a case file or training.yaml and this fails until
    `reviewer rules train rules/zh` is run and its output committed."""
    _shared_or_skip()
    spec = resemblance.load_spec(MODEL)
    recorded = json.loads((MODEL / resemblance.SOURCES).read_text(encoding="utf-8"))
    assert recorded == resemblance.source_digests(spec, ROOT)


def test_training_reproduces_the_committed_model(tmp_path: Path) -> None:
    _shared_or_skip()
    target = tmp_path / "model"
    target.mkdir()
    shutil.copy(MODEL / "training.yaml", target / "training.yaml")
    summary = resemblance.train(target, ROOT)
    assert summary["positives"]["competition"] >= 90
    committed, retrained = resemblance.Scorer(MODEL), resemblance.Scorer(target)
    for text in LIKE_CASES + LAWFUL:
        assert retrained(text)["competition"] == pytest.approx(
            committed(text)["competition"], abs=1e-6
        )


def test_scores_separate_case_like_from_lawful_provisions() -> None:
    scorer = resemblance.scorer(MODEL)
    assert all(scorer(t)["competition"] >= 0.5 for t in LIKE_CASES)
    assert all(scorer(t)["competition"] < 0.5 for t in LAWFUL)
    assert scorer("（三）个人独资企业；") == {}  # too short to judge
    assert scorer("市直各单位、各政府采购代理机构、各政府采购评审专家：") == {}  # a salutation
    # a batch scores each text as a single call would
    texts = [*LIKE_CASES, "（三）个人独资企业；", *LAWFUL]
    batch = scorer.score_many(texts)
    for text, got in zip(texts, batch, strict=True):
        assert got.keys() == scorer(text).keys()
        for label, value in got.items():
            assert value == pytest.approx(scorer(text)[label], abs=1e-6)
    # numbering is not evidence: the same clause scores the same either way
    assert scorer("第五条 " + LIKE_CASES[0]) == scorer(LIKE_CASES[0])


def test_the_model_rule_warns_and_gives_way_to_wording_rules() -> None:
    like = review_document(parse_text(wrap_provision(LIKE_CASES[0]), level="normative"))
    found = [f for f in like.findings if f.rule == RULE]
    assert found and found[0].severity == "warning" and found[0].article == "art_2"
    # a wording rule already found competition here: the model's finding is dropped
    named = "全县城区户外广告经营业务全部由县国有资产经营公司统一申报和运营。"
    both = review_document(parse_text(wrap_provision(named), level="normative"))
    rules = {f.rule for f in both.findings}
    assert "zh.competition.designated-supplier" in rules and RULE not in rules
    # and it does not apply to laws
    law = review_document(parse_text(wrap_provision(LIKE_CASES[0]), level="law"))
    assert RULE not in {f.rule for f in law.findings}


def test_resembles_needs_a_model_and_a_known_label(tmp_path: Path) -> None:
    pack_dir = tmp_path / "zh"
    shutil.copytree(default_rules_dir() / "zh", pack_dir)
    rule = pack_dir / "competition" / "resembles-cases.yaml"
    rule.write_text(
        rule.read_text(encoding="utf-8").replace("label: competition", "label: penalty"),
        encoding="utf-8",
    )
    from reviewer.engine.compile import compile_pack

    with pytest.raises(RuleError, match="no label 'penalty'"):
        compile_pack(load_pack(pack_dir))
    shutil.rmtree(pack_dir / "model")
    with pytest.raises(RuleError, match="needs a model"):
        compile_pack(load_pack(pack_dir))


def test_scoring_from_many_threads_agrees_with_sequential_scoring() -> None:
    """Reviews run in threads (the web service); the model is shared."""
    texts = [f"第{i}条 确定第{i}医院为全市从业人员健康体检定点医疗机构。" for i in range(200)]
    texts += [f"政府采购应当依法公开招标，平等对待各类经营者，项目编号{i}。" for i in range(200)]
    expected = [resemblance.Scorer(MODEL)(t) for t in texts]
    shared = resemblance.Scorer(MODEL)  # a fresh cache: every call below scores
    got: dict[int, dict[str, float]] = {}

    def work(offset: int) -> None:
        for i in range(offset, len(texts), 8):
            got[i] = shared(texts[i])

    assert not in_threads(work)
    assert [got[i] for i in range(len(texts))] == expected
