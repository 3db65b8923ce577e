"""Real messy normative documents (../shared/corpus/normative) and the
project's fixtures (fixtures/README.md gives their expected counts)."""

from __future__ import annotations

import pytest

from reviewer import parse_text
from reviewer.ingest import read_path
from tests.conftest import FIXTURES, NORMATIVE


def _doc(path):
    source = read_path(path)
    return parse_text(source.text, path=str(path))


@pytest.mark.skipif(not NORMATIVE.exists(), reason="shared corpus absent")
def test_anshun_one_line_document_is_split_into_its_wrapper_and_articles():
    doc = _doc(NORMATIVE / "anshun_grain_reserve_measures_2023.txt")
    arts = doc.nodes("article")
    assert [a.ordinal for a in arts] == list(range(1, len(arts) + 1))
    assert len(arts) == 46
    assert len(doc.nodes("chapter")) == 8
    assert doc.title == "安顺市市级储备粮管理办法"
    assert doc.header.issuers == ["安顺市人民政府"]
    assert doc.header.wrapper_title.startswith("安顺市人民政府关于印发")
    preface = doc.body[0]
    assert preface.type == "preface"
    assert not any("第一条" in p.text for p in preface.children)
    assert doc.coverage >= 0.95


@pytest.mark.skipif(not NORMATIVE.exists(), reason="shared corpus absent")
def test_chongqing_joint_issuance_with_attachments():
    doc = _doc(NORMATIVE / "chongqing_grain_whistleblower_reward_rules_2023.txt")
    assert doc.header.number == "渝粮规范〔2023〕2号"
    assert doc.header.issuers == ["重庆市粮食局", "重庆市财政局"]
    assert doc.title == "重庆市政策性粮食购销违法违规行为举报奖励实施细则（试行）"
    assert doc.header.interim
    arts = doc.nodes("article")
    assert [a.ordinal for a in arts] == list(range(1, len(arts) + 1))
    assert len(arts) == 15
    assert len(doc.nodes("attachment")) == 4
    assert doc.header.level == "normative"


@pytest.mark.skipif(not NORMATIVE.exists(), reason="shared corpus absent")
def test_mohrss_markdown_notice():
    doc = _doc(NORMATIVE / "mohrss_monthly_working_hours_notice.txt")
    assert doc.header.number == "劳社部发〔2008〕3号"  # [2008] unified to 〔2008〕
    assert doc.title == "关于职工全年月平均工作时间和工资折算问题的通知"
    sections = [n for n in doc.body if n.type == "section"]
    # the source breaks off at "## 三" (no 、): two sections
    assert [s.eid for s in sections] == ["sec_1", "sec_2"]
    assert doc.header.genre == "通知"
    assert doc.header.level == "normative"


EXPECTED = {
    # file: (articles, chapters, 节 sections, top-level 一、 sections, attachments, title, number)
    "shanghai_measures.txt": (24, 5, 2, 0, 0, "上海市非机动车停放管理办法", "沪府规〔2024〕5号"),
    "shanghai_measures_gbk.txt": (24, 5, 2, 0, 0, "上海市非机动车停放管理办法", "沪府规〔2024〕5号"),
    "shanghai_measures.docx": (24, 5, 2, 0, 0, "上海市非机动车停放管理办法", "沪府规〔2024〕5号"),
    "shanghai_measures.pdf": (24, 5, 2, 0, 0, "上海市非机动车停放管理办法", "沪府规〔2024〕5号"),
    "messy_one_line.txt": (
        12, 4, 0, 0, 0, "上海市闵行区既有多层住宅加装电梯管理办法", "闵府规〔2023〕4号",
    ),
    "opinions_style.txt": (
        0, 0, 0, 4, 0,
        "上海市人民政府办公厅关于加快新能源汽车充电基础设施建设的实施意见",
        "沪府办规〔2023〕12号",
    ),
    "with_attachments.txt": (
        0, 0, 0, 7, 2,
        "上海市交通委员会关于做好巡游出租汽车新能源车辆更新补贴申领工作的通知",
        "沪交规〔2024〕3号",
    ),
    "with_attachments.docx": (
        0, 0, 0, 7, 2,
        "上海市交通委员会关于做好巡游出租汽车新能源车辆更新补贴申领工作的通知",
        "沪交规〔2024〕3号",
    ),
    "markdown_notice.md": (
        0, 0, 0, 7, 0, "关于规范本市养老机构收费管理有关事项的通知", "沪民养老发〔2022〕8号",
    ),
    "english_measures.txt": (
        12, 3, 0, 0, 1,
        "Measures of Shanghai Municipality on the Administration of Electric Bicycle Charging"
        " Facilities",
        "Hu Fu Gui 〔2024〕 No. 7",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_structure(name):
    arts, chps, secs, top_secs, atts, title, number = EXPECTED[name]
    doc = _doc(FIXTURES / name)
    counts = doc.counts()
    top_level_sections = [n for n in doc.body if n.type == "section"]
    assert counts["articles"] == arts
    assert counts["chapters"] == chps
    assert len(top_level_sections) == top_secs
    assert counts["sections"] == secs + top_secs
    assert counts["attachments"] == atts
    assert doc.title == title
    assert doc.header.number == number
    assert doc.coverage >= 0.9
    eids = [n.eid for n in doc.walk()]
    assert len(eids) == len(set(eids))


def test_measures_fixture_details():
    doc = _doc(FIXTURES / "shanghai_measures.txt")
    art1 = doc.find("art_1")
    assert art1 is not None and art1.heading == "目的和依据"
    assert doc.header.dates.effective.isoformat() == "2024-04-01"
    assert doc.header.dates.expires.isoformat() == "2029-03-31"
    assert doc.header.issuers == ["上海市人民政府"]
    assert doc.header.level == "normative"
    # items hang under the paragraph that introduces them
    points = [n for n in doc.walk() if n.type == "point"]
    assert points and all("__para_" in p.eid for p in points)
    # chapters hold their sections, sections hold articles
    sec = doc.find("chp_3__sec_1")
    assert sec is not None and any(c.type == "article" for c in sec.children)


def test_opinions_numbering_maps_to_sec_point_subpoint():
    doc = _doc(FIXTURES / "opinions_style.txt")
    eids = {n.eid for n in doc.walk()}
    assert "sec_1__point_1" in eids
    assert any(e.count("__subpoint_") == 1 for e in eids)
    assert doc.header.dates.expires.isoformat() == "2028-06-30"


def test_english_fixture():
    doc = _doc(FIXTURES / "english_measures.txt")
    assert doc.language == "en"
    assert doc.header.genre == "办法"
    assert doc.header.dates.effective.isoformat() == "2024-05-01"
    assert doc.find("art_5") is not None
    assert any(n.type == "point" for n in doc.walk())


@pytest.mark.parametrize(
    ("number", "issuer"),
    [
        ("沪府规〔2024〕3号", ["上海市人民政府"]),
        ("沪府办规〔2023〕5号", ["上海市人民政府办公厅"]),
        ("国办发〔2018〕37号", ["国务院办公厅"]),
        ("渝府办发〔2022〕3号", ["重庆市人民政府办公厅"]),
        ("沪交规〔2024〕1号", []),  # department codes are not guessed
    ],
)
def test_issuer_from_document_number(number, issuer):
    from reviewer.structure.header import issuer_from_number

    assert issuer_from_number(number) == issuer
    doc = parse_text(f"上海市共享单车管理办法\n{number}\n第一条 本办法适用于本市。\n")
    assert doc.header.issuers == issuer
