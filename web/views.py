"""Start page, health check and a parse form for trying the structure parser."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template_string, request
from werkzeug.wrappers import Response

from reviewer import parse_text
from reviewer.errors import ReviewerError
from reviewer.ingest import read_bytes

bp = Blueprint("main", __name__)

_PAGE = """<!doctype html><html lang="zh"><meta charset="utf-8">
<title>规范性文件合法性审核</title>
<h1>规范性文件合法性审核 · Normative-document reviewer</h1>
<p>上传文件查看结构解析结果（txt / md / docx / pdf / html）。</p>
<form method="post" action="/parse" enctype="multipart/form-data">
<input type="file" name="document" required> <button>解析 Parse</button></form>
"""


@bp.get("/")
def index() -> str:
    return render_template_string(_PAGE)


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.post("/parse")
def parse() -> tuple[Response, int] | Response:
    upload = request.files.get("document")
    if upload is None or not upload.filename:
        return jsonify(error="no file in field 'document'"), 400
    try:
        source = read_bytes(upload.read(), upload.filename)
    except ReviewerError as exc:
        return jsonify(error=str(exc)), 422
    return jsonify(parse_text(source.text, path=source.path).to_dict())
