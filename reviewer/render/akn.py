"""Akoma Ntoso 3.0 XML for a parsed document.

Hierarchy elements keep the AKN names (book, chapter, section, article,
paragraph, point, attachment); ids are the document's eIds. A 意见-style
一、 unit is an AKN ``section``; a ``line`` (text the parser could not place)
is a plain ``p`` with class "unplaced".
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..structure.tree import Document, Node

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_ELEMENT = {
    "book": "book",
    "chapter": "chapter",
    "section": "section",
    "article": "article",
    "paragraph": "paragraph",
    "point": "point",
    "subpoint": "point",
}


def to_akn(doc: Document) -> str:
    ET.register_namespace("", AKN_NS)
    q = lambda tag: f"{{{AKN_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("akomaNtoso"))
    act = ET.SubElement(root, q("act"), {"name": doc.header.genre or "document"})
    meta = ET.SubElement(act, q("meta"))
    ident = ET.SubElement(meta, q("identification"), {"source": "#reviewer"})
    work = ET.SubElement(ident, q("FRBRWork"))
    ET.SubElement(work, q("FRBRthis"), {"value": doc.path or "/akn/cn/act"})
    ET.SubElement(work, q("FRBRuri"), {"value": "/akn/cn/act"})
    if doc.header.dates.signed:
        ET.SubElement(
            work, q("FRBRdate"), {"date": doc.header.dates.signed.isoformat(), "name": "signature"}
        )
    for issuer in doc.header.issuers:
        ET.SubElement(work, q("FRBRauthor"), {"href": f"#{issuer}"})
    ET.SubElement(work, q("FRBRcountry"), {"value": "cn"})
    ET.SubElement(work, q("FRBRlanguage"), {"language": "zho" if doc.language == "zh" else "eng"})

    preface = ET.SubElement(act, q("preface"))
    if doc.header.title:
        p = ET.SubElement(preface, q("p"))
        ET.SubElement(p, q("docTitle")).text = doc.header.title
    if doc.header.number:
        p = ET.SubElement(preface, q("p"))
        ET.SubElement(p, q("docNumber")).text = doc.header.number

    body = ET.SubElement(act, q("body"))
    attachments = None
    for node in doc.body:
        if node.type == "attachment":
            if attachments is None:
                attachments = ET.SubElement(act, q("attachments"))
            att = ET.SubElement(attachments, q("attachment"), {"eId": node.eid})
            _content(att, node, q)
        elif node.type == "preface":
            for child in node.children:
                ET.SubElement(preface, q("p"), {"eId": child.eid}).text = child.text
        elif node.type == "conclusions":
            container = ET.SubElement(act, q("conclusions"), {"eId": node.eid})
            for child in node.children:
                ET.SubElement(container, q("p"), {"eId": child.eid}).text = child.text
        else:
            _hier(body, node, q)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _hier(parent: ET.Element, node: Node, q) -> None:
    if node.type == "line":
        ET.SubElement(parent, q("p"), {"eId": node.eid, "class": "unplaced"}).text = node.text
        return
    el = ET.SubElement(parent, q(_ELEMENT.get(node.type, "hcontainer")), {"eId": node.eid})
    if node.num:
        ET.SubElement(el, q("num")).text = node.num
    if node.heading:
        ET.SubElement(el, q("heading")).text = node.heading
    if node.children:
        if node.text:
            intro = ET.SubElement(el, q("intro"))
            ET.SubElement(intro, q("p")).text = node.text
        for child in node.children:
            _hier(el, child, q)
    else:
        content = ET.SubElement(el, q("content"))
        ET.SubElement(content, q("p")).text = node.text


def _content(parent: ET.Element, node: Node, q) -> None:
    if node.num:
        ET.SubElement(parent, q("num")).text = node.num
    if node.heading:
        ET.SubElement(parent, q("heading")).text = node.heading
    for child in node.children:
        _hier(parent, child, q)
