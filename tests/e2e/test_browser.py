"""End to end in a real headless Chromium (Debian's `chromium`, driven by
Playwright through `executable_path`): a department files a document, the
pre-check runs, a reviewer claims it, judges the findings, decides, and
downloads the opinion letter. Screenshots go to var/screenshots/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import FIXTURES, ROOT

SHOTS = ROOT / "var" / "screenshots"
CHROMIUM = (
    os.environ.get("REVIEWER_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("e2e") / "e2e.db"
    port = _free_port()
    env = {**os.environ, "REVIEWER_DATABASE_URL": f"sqlite:///{db}", "REVIEWER_SECRET_KEY": "e2e"}
    env.pop("REVIEWER_BROKER_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "reviewer.cli", "serve", "--demo", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/healthz", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail(
            f"the server did not start: {proc.stdout.read().decode()[-2000:] if proc.stdout else ''}"
        )
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if CHROMIUM is None:
        if os.environ.get("REVIEWER_REQUIRE_BROWSER"):
            pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _login(page, url: str, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button")
    page.wait_for_url(f"{url}/queue*")


def test_submit_precheck_claim_decide_download(server: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    _login(page, server, "jiaotong", "submitter-demo-2026")
    _shot(page, "01-submitter-queue")
    page.click("text=报送备案")
    page.set_input_files("input[name=document]", str(FIXTURES / "shanghai_measures.docx"))
    for kind in ("report", "explanation", "basis"):
        path = tmp_path / f"{kind}.txt"
        path.write_text(f"{kind} 材料", encoding="utf-8")
        page.set_input_files(f"input[name={kind}]", str(path))
    page.fill("input[name=number]", "沪府规〔2024〕99号")
    _shot(page, "02-filing-form")
    page.click("button:has-text('提交')")
    page.wait_for_url("**/filings/*")
    receipt = page.inner_text("#receipt")
    assert receipt.startswith("备")
    # the page refreshes itself while the check runs
    page.wait_for_function(
        "document.querySelector('#status').innerText !== '已报送'", timeout=60_000
    )
    assert page.inner_text("#status") == "已预审"
    _shot(page, "03-prechecked")
    filing_url = page.url
    page.click("text=退出")

    _login(page, server, "reviewer", "reviewer-demo-2026")
    page.goto(f"{server}/queue?status=prechecked")
    page.click(f"text={receipt}")
    page.click("#claim")
    page.wait_for_selector("#decision")
    for form in page.query_selector_all(".finding form"):
        form.query_selector("input[name=reason]").fill("复核属实")
    while page.query_selector(".finding.state-open button.accept"):
        page.click(".finding.state-open button.accept")
        page.wait_for_load_state()
    assert page.query_selector("mark") is not None  # exact spans highlighted
    _shot(page, "04-review")
    page.check("input[value=correction_requested]")
    page.fill("textarea[name=opinion]", "请删除第二十条关于失信惩戒的规定。")
    page.click("#decide")
    page.wait_for_selector("#opinion-docx")
    assert page.inner_text("#status") == "要求纠正"
    _shot(page, "05-decided")
    with page.expect_download() as download:
        page.click("#opinion-docx")
    saved = tmp_path / "opinion.docx"
    download.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"
    page.goto(filing_url + "?lang=en")
    assert page.inner_text("#status") == "Correction requested"
    _shot(page, "06-english")
    context.close()
