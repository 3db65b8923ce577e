"""Demo organisations, users and filings for `make run` (from fixtures/)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from .auth import create_user
from .config import ROOT, Settings
from .filings import Upload, create
from .jobs import enqueue, execute
from .models import User

DEMO_USERS = [
    # username, password, role, organisation, display name
    ("admin", "admin-demo-2026", "admin", None, "系统管理员"),
    ("reviewer", "reviewer-demo-2026", "reviewer", None, "备案审查员 李审"),
    ("reviewer2", "reviewer-demo-2026", "reviewer", None, "备案审查员 王审"),
    ("jiaotong", "submitter-demo-2026", "submitter", "上海市交通委员会", "市交通委 报备员"),
    ("xuhui", "submitter-demo-2026", "submitter", "上海市徐汇区人民政府", "徐汇区政府 报备员"),
]
FIXTURES = ROOT / "fixtures"
_DEMO_FILINGS = [
    ("jiaotong", "shanghai_measures.txt", "沪府规〔2024〕5号", True),
    ("jiaotong", "with_attachments.txt", "", False),
    ("xuhui", "opinions_style.txt", "", True),
]
_MATERIALS = {
    "report": "备案报告：现将本单位制定的规范性文件报送备案。".encode(),
    "explanation": "起草说明：本文件的制定背景、主要内容和征求意见情况。".encode(),
    "basis": "制定依据：相关法律、法规、规章目录。".encode(),
}


def seed(factory: sessionmaker[Session], settings: Settings) -> bool:
    """Create the demo data once; return whether anything was created."""
    with factory() as session:
        if session.scalar(select(User).limit(1)) is not None:
            return False
        users = {u[0]: create_user(session, u[0], u[1], u[2], u[3], u[4]) for u in DEMO_USERS}
        for username, fixture, number, complete in _DEMO_FILINGS:
            path = FIXTURES / fixture
            if not path.exists():
                continue
            uploads = [Upload("document", path.name, path.read_bytes())]
            if complete:
                uploads += [Upload(k, f"{k}.txt", v) for k, v in _MATERIALS.items()]
            filing = create(
                session,
                settings,
                users[username],
                uploads,
                number=number,
                published=dt.date.today() - dt.timedelta(days=10),
            )
            enqueue(session, filing)
        session.commit()
    while execute(factory, settings):
        pass
    return True


def demo_logins() -> list[tuple[str, str, str]]:
    return [(u[0], u[1], u[2]) for u in DEMO_USERS]


__all__ = ["Path", "demo_logins", "seed"]
