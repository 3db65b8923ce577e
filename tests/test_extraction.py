"""The spaCy extraction pipeline and the facts it produces (GUIDE §3.4)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from reviewer import extract_text, parse_text
from reviewer.facts import extract
from reviewer.nlp import get_nlp
from reviewer.nlp.registry import law_registry

from .conftest import FIXTURES, LAWS, NORMATIVE


def spans(text: str, group: str, lang: str = "zh") -> list[tuple[str, str]]:
    doc = get_nlp(lang)(text)
    return [(s.text, s.label_) for s in doc.spans[group]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("申请人应当提交材料。", [("应当", "obligation")]),
        ("任何单位不得收取费用。", [("不得", "prohibition")]),
        ("经营者不得不停业。", [("不得不", "obligation")]),
        ("行政机关不可以拒绝。", [("不可以", "prohibition")]),
        ("当事人不应当隐瞒。", [("不应当", "prohibition")]),
        ("申请人不必到场。", [("不必", "permission")]),
        ("公民有权申请复议。", [("有权", "right")]),
        ("建立相应的应急制度，取得许可的单位。", []),
        ("不可抗力造成损失的，可能免责。", []),
    ],
)
def test_zh_modality_traps(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text, "modality") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The applicant shall submit the form.", [("shall", "obligation")]),
        ("The operator shall not sell alcohol.", [("shall not", "prohibition")]),
        ("No entity or individual shall obstruct inspections.", "prohibition"),
        ("Citizens are entitled to apply for review.", [("are entitled to", "right")]),
        ("The department may impose a fine.", [("may", "permission")]),
        ("These Measures shall apply to the whole city.", []),
    ],
)
def test_en_modality(text: str, expected: list[tuple[str, str]] | str) -> None:
    found = spans(text, "modality", "en")
    if isinstance(expected, str):
        assert [label for _, label in found] == [expected]
    else:
        assert found == expected


def test_penalty_amount_and_authority() -> None:
    text = "第五条 违反本办法规定的，由区市场监督管理局处以五千元以上三万元以下罚款。"
    facts = extract_text(text).facts
    norm = next(f for f in facts if f["type"] == "norm")
    assert norm["measure"] == "penalty" and norm["eid"].startswith("art_5")
    assert "区市场监督管理局" in norm["authorities"]
    amount = next(f for f in facts if f["type"] == "amount")
    assert (amount["value"], amount["upper"], amount["role"]) == (5000, 30000, "fine")


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("第三条 未经市交通委批准，任何单位不得设置停车场。", "licensing"),
        ("第三条 经营者取得许可证后方可营业。", "licensing"),
        ("第三条 对违法财物，可以予以查封、扣押。", "compulsion"),
        ("第三条 拒不改正的，对其停止供水、供电。", "compulsion"),
        ("第三条 申请人应当缴纳保证金五万元。", "fee"),
        ("第三条 对违法企业列入失信名单，实施联合惩戒。", "credit_sanction"),
    ],
)
def test_measures(text: str, measure: str) -> None:
    measures = {f["measure"] for f in extract_text(text).facts if f["type"] == "norm"}
    assert measure in measures


def test_measures_not_fooled_by_state_approvals_and_titles() -> None:
    text = "第三条 本规划报国务院批准后实施。依照《中华人民共和国行政许可法》的规定执行。"
    norms = [f for f in extract_text(text).facts if f["type"] == "norm"]
    assert all(n["measure"] == "none" for n in norms)


def test_citations_resolve_against_the_registry_on_the_document_date() -> None:
    text = "第一条 根据《中华人民共和国合同法》第五十二条、第五十三条和《行政许可法》，制定本办法。"
    facts = extract_text(text).facts
    cites = [(f["title"], f["article_ref"]) for f in facts if f["type"] == "citation"]
    assert cites == [
        ("中华人民共和国合同法", "第五十二条"),
        ("中华人民共和国合同法", "第五十三条"),
        ("行政许可法", None),
    ]
    registry = law_registry()
    assert registry.resolve("中华人民共和国合同法", date(2020, 6, 1)).status == "in_force"
    assert registry.resolve("中华人民共和国合同法", date(2021, 1, 1)).status == "repealed"
    assert registry.resolve("行政许可法", date(2024, 1, 1)).law is not None
    assert registry.resolve("某某市不存在的条例", None).status == "unknown"
    # repealed in the registry without a date; repeals.yaml dates it
    assert registry.resolve("森林防火条例", date(2024, 6, 1)).status == "in_force"
    assert registry.resolve("森林防火条例", date(2026, 1, 1)).status == "repealed"
    norm = next(f for f in facts if f["type"] == "norm" or f["type"] == "citation")
    assert norm["article"] == "art_1"


def test_basis_makes_the_norm_cite_upper_law() -> None:
    with_basis = "第二条 依照《中华人民共和国行政处罚法》，对违法行为人处以罚款。"
    without = "第二条 对违法行为人处以罚款。"
    assert extract_text(with_basis).of_type("norm")[0]["cites_upper_basis"] is True
    assert extract_text(without).of_type("norm")[0]["cites_upper_basis"] is False


def test_items_under_a_prohibition_lead_in_are_marked() -> None:
    """不得含有下列内容：（一）限定… lists forbidden conduct; the items are not
    mandates, and rules skip them (under_prohibition: false)."""
    text = (
        "第二条 政策措施不得含有下列内容：\n（一）限定购买特定经营者提供的商品；\n"
        "（二）要求外地企业在本地设立分支机构。\n"
        "第三条 有下列情形之一的，处一千元罚款：\n（一）收取押金的；\n（二）拒不改正的。\n"
    )
    facts = extract_text(text).facts
    flagged = {f["eid"]: f["under_prohibition"] for f in facts if f["type"] == "provision"}
    assert flagged["art_2__para_1__point_1"] and flagged["art_2__para_1__point_2"]
    assert not flagged["art_2__para_1"]  # the lead-in itself states the prohibition
    assert not flagged["art_3__para_1__point_1"]  # a penalty's conditions are not forbidden lists
    norms = [f for f in facts if f["type"] == "norm" and f["eid"] == "art_3__para_1__point_1"]
    assert norms and not norms[0]["under_prohibition"]


def test_durations_and_dates() -> None:
    text = "第九条 本办法自2024年5月1日起施行，有效期5年。申请人应当自公布之日起30日内提出。"
    facts = extract_text(text).facts
    durations = {(f["value"], f["unit"], f["role"]) for f in facts if f["type"] == "duration"}
    assert (5, "year", "validity") in durations
    assert (30, "day", "deadline") in durations
    assert any(f["type"] == "date" and f["value"] == "2024-05-01" for f in facts)


def test_english_citation_with_article_before_title() -> None:
    text = (
        "Article 3 The bureau may, in accordance with Article 72 of the Administrative "
        "Penalty Law of the People's Republic of China, impose an additional fine."
    )
    cites = extract_text(text).of_type("citation")
    assert [(c["title"], c["article_ref"]) for c in cites] == [
        ("Administrative Penalty Law of the People's Republic of China", "Article 72")
    ]
    assert cites[0]["law"] == "中华人民共和国行政处罚法" or cites[0]["law"] is None


def _corpus_paths() -> list:
    return sorted(LAWS.glob("law-*.txt")) + sorted(NORMATIVE.glob("*.txt"))


def test_every_corpus_document_extracts_facts_bound_to_real_eids() -> None:
    paths = _corpus_paths()
    if not paths:
        pytest.skip("../shared/corpus is not present")
    norms = 0
    for path in paths:
        doc = parse_text(path.read_text(encoding="utf-8"), path=str(path))
        eids = {n.eid for n in doc.walk()}
        extraction = extract(doc)
        assert extraction.facts[0]["type"] == "document"
        for fact in extraction.facts[1:]:
            if fact["type"] == "structure_issue" and fact["eid"] is None:
                continue
            assert fact["eid"] in eids, (path.name, fact)
            assert fact["article"] in eids, (path.name, fact)
            if "start" in fact:
                assert 0 <= fact["start"] <= fact["end"] <= len(doc.text)
        norms += len(extraction.of_type("norm"))
    assert norms > 10_000


def test_spans_point_at_the_original_text() -> None:
    path = FIXTURES / "shanghai_measures.txt"
    text = path.read_text(encoding="utf-8")
    for fact in extract_text(text).of_type("citation") + extract_text(text).of_type("amount"):
        assert text[fact["start"] : fact["end"]] in fact.get("evidence", fact.get("text", ""))


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "reviewer.cli", *args], input=stdin, capture_output=True, check=False
    )


def test_cli_extract_json_and_text() -> None:
    run = _cli(
        "extract", str(FIXTURES / "shanghai_measures.txt"), str(FIXTURES / "english_measures.txt")
    )
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)
    assert payload["schema"] == "reviewer/extract/v1"
    assert [d["language"] for d in payload["documents"]] == ["zh", "en"]
    run = _cli("extract", "--format", "text", str(FIXTURES / "shanghai_measures.txt"))
    lines = run.stdout.decode().splitlines()
    assert run.returncode == 0 and any(": norm art_" in line for line in lines)


def test_cli_extract_bad_input_exits_2_with_one_line() -> None:
    run = _cli("extract", "-", stdin=b"")
    assert run.returncode == 2
    assert len(run.stderr.decode().strip().splitlines()) == 1


def test_authorities_from_the_dictionary_where_the_pattern_has_no_left_edge() -> None:
    facts = extract_text("第五条 违反本办法规定的，由市场监管局处以罚款。").of_type("authority")
    assert [f["name"] for f in facts] == ["市场监管局"]


def test_extract_on_several_processes_gives_the_same_facts() -> None:
    paths = [str(FIXTURES / "shanghai_measures.txt"), str(FIXTURES / "opinions_style.txt")]
    one = json.loads(_cli("extract", *paths).stdout)
    many = json.loads(_cli("extract", "--jobs", "2", *paths).stdout)
    assert one == many and len(many["documents"]) == 2
