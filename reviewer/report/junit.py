"""JUnit XML: one test suite per document, one failing test case per finding
at or above warning, so CI systems show them as failed tests."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..engine import Review


def to_junit(reviews: list[Review]) -> str:
    suites = ET.Element("testsuites", name="reviewer check")
    for r in reviews:
        path = r.document.path or "<stdin>"
        counted = [f for f in r.findings if f.severity in ("error", "warning")]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=path,
            tests=str(max(1, len(counted))),
            failures=str(sum(f.severity == "error" for f in counted)),
            errors="0",
            skipped=str(sum(f.severity == "warning" for f in counted)),
        )
        if not counted:
            ET.SubElement(suite, "testcase", classname=path, name="no findings")
        for f in counted:
            case = ET.SubElement(
                suite, "testcase", classname=f"{path}:{f.eid or 'document'}", name=f.rule
            )
            tag = "failure" if f.severity == "error" else "skipped"
            node = ET.SubElement(case, tag, message=f.message, type=f.family)
            node.text = f"{path}:{f.line or 1}:{f.column or 1}: {f.evidence}"
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
