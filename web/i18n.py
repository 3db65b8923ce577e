"""Chinese pages with an English switch (?lang=en, remembered in a cookie)."""

from __future__ import annotations

from flask import request

from .lifecycle import LABELS, MATERIAL_LABELS

_TEXT: dict[str, tuple[str, str]] = {
    "app": ("规范性文件备案审查", "Normative-document filing review"),
    "login": ("登录", "Log in"),
    "logout": ("退出", "Log out"),
    "login_failed": ("用户名或密码错误", "Wrong username or password"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "queue": ("审查队列", "Review queue"),
    "new_filing": ("报送备案", "File a document"),
    "receipt": ("回执号", "Receipt"),
    "title": ("标题", "Title"),
    "organisation": ("报备单位", "Organisation"),
    "status": ("状态", "Status"),
    "due": ("期限", "Due"),
    "working_days_left": ("剩余工作日", "Working days left"),
    "severity": ("最高级别", "Highest severity"),
    "findings": ("审查发现", "Findings"),
    "number": ("文号", "Document number"),
    "issuer": ("制定机关", "Issuer"),
    "published": ("公布日期", "Published"),
    "submit": ("提交", "Submit"),
    "filter": ("筛选", "Filter"),
    "all": ("全部", "All"),
    "claim": ("领取", "Claim"),
    "release": ("退回队列", "Release"),
    "assign": ("分配给", "Assign to"),
    "accept": ("采纳", "Accept"),
    "dismiss": ("不予采纳", "Dismiss"),
    "reason": ("理由", "Reason"),
    "comment": ("批注", "Comment"),
    "decide": ("作出决定", "Decide"),
    "opinion": ("审查意见", "Opinion"),
    "opinion_letter": ("审查意见书", "Opinion letter"),
    "audit": ("操作记录", "Audit log"),
    "materials": ("材料", "Materials"),
    "late": ("逾期报送", "Filed late"),
    "checking": ("正在自动审查……", "Automatic check running…"),
    "supply": ("补正材料", "Supply materials"),
    "correct": ("提交纠正", "Submit correction"),
    "answer": ("纠正情况说明", "Answer"),
    "document": ("文件", "Document"),
    "version": ("版本", "Version"),
    "no_filings": ("暂无备案文件", "No filings"),
    "missing": ("缺少材料", "Missing materials"),
    "export": ("导出", "Export"),
    "outcome": ("结论", "Outcome"),
    "language": ("English", "中文"),
}


def lang() -> str:
    choice = request.args.get("lang") or request.cookies.get("lang") or "zh"
    return "en" if choice == "en" else "zh"


def t(key: str) -> str:
    zh, en = _TEXT.get(key, (key, key))
    return en if lang() == "en" else zh


def status_label(status: str) -> str:
    zh, en = LABELS.get(status, (status, status))
    return en if lang() == "en" else zh


def material_label(kind: str) -> str:
    zh, en = MATERIAL_LABELS.get(kind, (kind, kind))
    return en if lang() == "en" else zh
