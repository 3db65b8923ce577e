"""Bad input gets one clear error; no input crashes the parser; AKN and text
renderings are well-formed and round-trip."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer import parse_text
from reviewer.cli import main
from reviewer.errors import IngestError
from reviewer.ingest import read_bytes
from reviewer.render.akn import to_akn
from reviewer.render.text import to_text
from tests.conftest import FIXTURES, LAWS

MEASURES = (FIXTURES / "shanghai_measures.txt").read_text(encoding="utf-8")


# --- ingest ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "empty.txt", "empty"),
        (b"   \n\n", "blank.txt", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "x.txt", "binary"),
        (b"PK\x03\x04garbage", "broken.docx", "docx"),
        (b"%PDF-1.4 garbage", "broken.pdf", "PDF"),
        (b"\xd0\xcf\x11\xe0" + bytes(100), "old.doc", ".doc"),
    ],
)
def test_unreadable_input_raises_one_clear_error(data, name, fragment):
    with pytest.raises(IngestError) as err:
        read_bytes(data, name)
    assert fragment.lower() in str(err.value).lower()
    assert "\n" not in str(err.value)


def test_size_limit():
    with pytest.raises(IngestError, match="over the limit"):
        read_bytes(b"x" * 2000, "big.txt", limit=1000)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_encodings_are_detected(encoding):
    source = read_bytes(MEASURES.encode(encoding), "m.txt")
    assert source.text.replace("\r", "") == MEASURES


def test_html_is_read():
    html = "<html><body><h1>某某办法</h1><p>第一条 为了规范管理，制定本办法。</p></body></html>"
    doc = parse_text(read_bytes(html.encode(), "x.html").text)
    assert len(doc.nodes("article")) == 1


# --- the parser never refuses -------------------------------------------------

_heading_bits = st.sampled_from(
    ["第一章 总则", "第二节 ", "第三条 ", "第十条之一 ", "（一）", "1.", "（1）", "一、", "附件1",
     "沪府规〔2024〕3号", "2024年1月1日", "\t", "|", "Article 3 ", "Chapter II ", "(a) ", "\n",
     "本办法第五条规定", "《劳动法》第五十一条", "。", "第", "条", "章", "〔", "（", "）"]
)  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_heading_bits, st.text(max_size=20)), max_size=40))
def test_random_documents_never_crash(parts):
    text = "".join(parts)
    doc = parse_text(text)
    assert 0.0 <= doc.coverage <= 1.0
    eids = [n.eid for n in doc.walk()]
    assert len(eids) == len(set(eids))
    ET.fromstring(to_akn(doc).split("?>", 1)[1])


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_mutated_real_documents_never_crash(data):
    lines = MEASURES.split("\n")
    ops = data.draw(st.lists(st.tuples(st.integers(0, len(lines) - 1), st.sampled_from(
        ["drop", "dup", "swap", "join", "cut"])), max_size=8))  # fmt: skip
    for i, op in ops:
        i = min(i, len(lines) - 1)
        if op == "drop" and len(lines) > 1:
            lines.pop(i)
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
        elif op == "cut":
            lines[i] = lines[i][: len(lines[i]) // 2]
    doc = parse_text("\n".join(lines))
    assert doc.coverage >= 0.0
    for node in doc.walk():
        assert node.span.start <= node.span.end


def test_recovered_text_is_a_line_with_a_diagnostic():
    doc = parse_text("某某办法\n第一条 总则。\n第二节 监督\n第二条 其他。\n")
    lines = [n for n in doc.walk() if n.type == "line"]
    assert lines and lines[0].text.startswith("第二节")
    assert any(d.kind == "misplaced_heading" for d in doc.diagnostics)
    assert doc.coverage < 1.0


def test_structural_diagnostics():
    text = "某某办法\n第一条 见本办法第九条规定。\n第三条 施行。\n第三条 重复。\n"
    kinds = {d.kind for d in parse_text(text).diagnostics}
    assert {"article_gap", "duplicate_number", "dangling_reference"} <= kinds


def test_cross_references_are_not_split():
    text = "某某办法\n第一条 依照本办法第五条规定和《劳动法》第五十一条的规定办理。第二条 施行。\n"
    doc = parse_text(text)
    assert [a.num for a in doc.nodes("article")] == ["第一条", "第二条"]


def test_spaces_inside_chinese_words_are_dropped_in_prose_only():
    # a PDF copy: 公安部 门, 依 法; the heading's own space and a line without
    # prose (a joint signature) keep theirs
    text = "某某通告\n第一条 由公安部 门依 法处理，并公告。\n市发展改革委 市财政局\n"
    doc = parse_text(text)
    article = doc.nodes("article")[0]
    assert article.num == "第一条"
    paragraph = article.children[0]
    assert paragraph.text == "由公安部门依法处理，并公告。"
    # the span still covers the original characters, spaces included
    assert text[paragraph.span.start : paragraph.span.end].endswith(
        "由公安部 门依 法处理，并公告。"
    )
    assert "市发展改革委 市财政局" in [n.text for n in doc.walk()]


# --- spans point at the original text ----------------------------------------


def test_spans_point_into_the_original_text():
    text = (FIXTURES / "messy_one_line.txt").read_text(encoding="utf-8")
    doc = parse_text(text)
    for art in doc.nodes("article"):
        assert text[art.span.start : art.span.end].startswith(art.num)
        assert art.span.line == 1  # the source has a single line


# --- renderings ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["shanghai_measures.txt", "opinions_style.txt",
                                  "with_attachments.txt", "english_measures.txt",
                                  "messy_one_line.txt"])  # fmt: skip
def test_akn_is_xml_with_unique_eids_and_text_round_trips(name):
    doc = parse_text((FIXTURES / name).read_text(encoding="utf-8"))
    root = ET.fromstring(to_akn(doc).split("?>", 1)[1])
    eids = [el.get("eId") for el in root.iter() if el.get("eId")]
    assert len(eids) == len(set(eids)) > 10
    again = parse_text(to_text(doc))
    assert _shape(again) == _shape(doc)


def _shape(doc):
    return [(n.type, n.eid, n.num, n.heading, n.text) for n in doc.walk()]


@pytest.mark.skipif(not LAWS.exists(), reason="shared corpus absent")
def test_text_rendering_round_trips_on_real_laws():
    for name in ["law-0023.txt", "law-0150.txt", "law-0294.txt", "law-0100.txt"]:
        doc = parse_text((LAWS / name).read_text(encoding="utf-8"))
        assert _shape(parse_text(to_text(doc))) == _shape(doc), name


# --- CLI -----------------------------------------------------------------------


def test_cli_parse_json(capsys):
    assert main(["parse", str(FIXTURES / "shanghai_measures.txt")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["number"] == "沪府规〔2024〕5号"
    assert {"path", "title", "issuer", "level", "genre", "language", "coverage"} <= set(out)
    assert out["structure"]["articles"] == 24
    first = out["body"][1]
    assert {"type", "num", "heading", "eid", "text", "line", "children"} <= set(first)


def test_cli_many_paths_and_directories(capsys):
    assert main(["parse", str(FIXTURES / "opinions_style.txt"), str(FIXTURES)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert isinstance(out, list) and len(out) > 5


def test_cli_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MEASURES.encode("gb18030"))))
    assert main(["parse", "-", "--format", "text"]) == 0
    assert "第二十四条" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["parse", "/no/such/file"], ["parse"], ["parse", "x", "--format", "pdf"], ["frobnicate"]],
)
def test_cli_bad_usage_exits_2_with_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("reviewer: error:") and "\n" not in err


def test_cli_binary_file_exits_2(tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"PK\x03\x04not a docx")
    proc = subprocess.run(
        [sys.executable, "-m", "reviewer.cli", "parse", str(bad)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
