"""The `reviewer` command line (GUIDE §3.3).

Exit codes: 0 success; 1 findings at or above --fail-on (check, later);
2 bad usage or unreadable input — one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from . import __version__
from .errors import ReviewerError
from .ingest import Source, read_bytes, read_path
from .render.akn import to_akn
from .render.text import to_text
from .structure.document import parse_text
from .structure.header import LEVELS

DOC_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")


class UsageError(ReviewerError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def iter_sources(paths: list[str]) -> Iterator[Source]:
    """Files, directories (recursively, document suffixes only) and '-'."""
    for arg in paths:
        if arg == "-":
            yield read_bytes(sys.stdin.buffer.read(), "<stdin>")
            continue
        p = Path(arg)
        if p.is_dir():
            files = sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in DOC_SUFFIXES
            )
            if not files:
                raise UsageError(f"{p}: no documents ({', '.join(DOC_SUFFIXES)}) in this directory")
            for f in files:
                yield read_path(f)
        elif not p.exists():
            raise UsageError(f"{p}: no such file or directory")
        else:
            yield read_path(p)


def cmd_parse(args: argparse.Namespace) -> int:
    sources = list(iter_sources(args.paths))
    docs = [parse_text(s.text, path=s.path, level=args.level) for s in sources]
    out = sys.stdout
    if args.format == "json":
        payload = [d.to_dict() for d in docs]
        json.dump(payload[0] if len(payload) == 1 else payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "akn":
        if len(docs) > 1:
            raise UsageError("--format akn takes one document at a time")
        out.write(to_akn(docs[0]) + "\n")
    else:
        for d in docs:
            if len(docs) > 1:
                out.write(f"==> {d.path} <==\n")
            out.write(to_text(d))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .facts import extract  # spaCy loads only for the commands that need it

    sources = list(iter_sources(args.paths))
    out = sys.stdout
    if args.format == "json" and args.jobs != 1:
        from .batch import extract_many

        documents = list(
            extract_many(((s.text, s.path, args.level) for s in sources), args.jobs or None)
        )
        json.dump(
            {"schema": "reviewer/extract/v1", "documents": documents},
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
        return 0
    extractions = [extract(parse_text(s.text, path=s.path, level=args.level)) for s in sources]
    if args.format == "json":
        payload = {
            "schema": "reviewer/extract/v1",
            "documents": [e.to_dict() for e in extractions],
        }
        json.dump(payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        for e in extractions:
            for line in e.to_lines():
                out.write(line + "\n")
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date {text!r}: expected YYYY-MM-DD") from None


def cmd_check(args: argparse.Namespace) -> int:
    from .engine import pack_for, review_document
    from .engine.findings import SEVERITY_ORDER
    from .report import FORMATS

    rules_dir = Path(args.rules) if args.rules else None
    if rules_dir is not None and not rules_dir.is_dir():
        raise UsageError(f"--rules {rules_dir}: no such directory")
    on = _date(args.date) if args.date else None
    sources = list(iter_sources(args.paths))
    if args.jobs != 1 and rules_dir is None:
        from .batch import reviews as review_all

        reviews = review_all(((s.text, s.path, args.level) for s in sources), args.jobs or None, on)
    else:
        reviews = []
        for source in sources:
            document = parse_text(source.text, path=source.path, level=args.level)
            reviews.append(
                review_document(document, on=on, pack=pack_for(document.language, rules_dir))
            )
    sys.stdout.write(FORMATS[args.format](reviews))
    if args.fail_on == "never":
        return 0
    threshold = SEVERITY_ORDER[args.fail_on]
    worst = max((SEVERITY_ORDER[f.severity] for r in reviews for f in r.findings), default=-1)
    return 1 if worst >= threshold else 0


def cmd_rules(args: argparse.Namespace) -> int:
    from .engine.pack import builtin_pack, default_rules_dir, load_pack

    if args.action == "test":
        from .engine.ruletest import render, test_pack

        root = Path(args.target) if args.target else default_rules_dir()
        packs = [load_pack(d) for d in _pack_dirs(root)]
        failed = 0
        for pack in packs:
            results = test_pack(pack)
            print(render(results, pack.root))
            failed += sum(not r.ok for r in results)
        return 1 if failed else 0
    if args.action == "train":
        from .nlp.resemblance import train

        root = Path(args.target) if args.target else default_rules_dir()
        trained = 0
        for pack in (load_pack(d) for d in _pack_dirs(root)):
            if pack.model is None:
                continue
            summary = train(pack.model, _repository(pack.root))
            print(f"{pack.model}: trained on {summary['examples']} examples {summary['positives']}")
            trained += 1
        if not trained:
            raise UsageError(f"{root}: no pack here has a model/training.yaml")
        return 0
    languages = ("zh", "en")
    if args.action == "list":
        for language in languages:
            pack = builtin_pack(language)
            for rule in pack.rules:
                print(f"{rule.id:<55} {rule.severity:<8} {','.join(rule.levels):<40} {rule.title}")
        return 0
    if not args.target:
        raise UsageError("rules show needs a RULE_ID")
    language = args.target.split(".", 1)[0]
    if language not in languages:
        raise UsageError(f"{args.target}: rule ids start with zh. or en.")
    rule = builtin_pack(language).rule(args.target)
    print(rule.path.read_text(encoding="utf-8"), end="")
    return 0


def _repository(pack_root: Path) -> Path:
    """Training sources are relative to the repository holding rules/<pack>."""
    return pack_root.resolve().parent.parent


def _pack_dirs(root: Path) -> list[Path]:
    """A pack directory, or a directory of packs (rules/ holds zh/ and en/)."""
    if (root / "params.yaml").exists() or (
        any(root.glob("*/*.yaml"))
        and not any((d / "params.yaml").exists() for d in root.iterdir() if d.is_dir())
    ):
        return [root]
    dirs = [d for d in sorted(root.iterdir()) if d.is_dir() and (d / "params.yaml").exists()]
    if not dirs:
        raise UsageError(f"{root}: no rule pack here (a pack has a params.yaml)")
    return dirs


def cmd_serve(args: argparse.Namespace) -> int:
    from web import create_app
    from web.config import from_env
    from web.db import make_engine, session_factory, upgrade

    settings = from_env()
    if args.demo:
        upgrade(settings.database_url)
        from web.seed import demo_logins, seed

        seed(session_factory(make_engine(settings.database_url)), settings)
    try:
        create_app(
            start_worker=False
        )  # fails early, with the command to fix it, on an unmigrated database
    except RuntimeError as exc:
        raise UsageError(str(exc)) from None
    print(f"Reviewer is running on http://{args.host}:{args.port}/", flush=True)
    if args.demo:
        print("Demo logins (username / password / role):", flush=True)
        for username, password, role in demo_logins():
            print(f"  {username:<10} {password:<22} {role}", flush=True)
    _gunicorn(create_app, args.host, args.port)
    return 0


def _gunicorn(factory: Any, host: str, port: int) -> None:
    """Serve with gunicorn: one worker process with threads; the app (and its
    job worker thread) is built inside that process, after the fork."""
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", 1)
            self.cfg.set("threads", 8)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", "-")

        def load(self) -> object:
            return factory()

    _Server().run()


def cmd_db(args: argparse.Namespace) -> int:
    from web.config import from_env
    from web.db import upgrade

    url = from_env().database_url
    upgrade(url)
    print(f"database is at the latest revision ({url.split('@')[-1]})")
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from web.auth import create_user, issue_token
    from web.config import from_env
    from web.db import make_engine, session_factory
    from web.models import User

    factory = session_factory(make_engine(from_env().database_url))
    with factory() as session:
        if args.action == "create":
            if not (args.username and args.password and args.role):
                raise UsageError("users create needs --username, --password and --role")
            try:
                user = create_user(session, args.username, args.password, args.role, args.org)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            session.commit()
            print(f"created {user.role} {user.username}" + (f" of {args.org}" if args.org else ""))
            return 0
        name = args.username or args.name
        holder = session.scalar(select(User).where(User.username == name)) if name else None
        if holder is None:
            raise UsageError(f"no user {name!r}")
        token = issue_token(session, holder)
        session.commit()
        print(token)
        return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from web.config import from_env

    settings = from_env()
    if settings.broker_url:
        from web.celery_app import celery

        celery.worker_main(["worker", "--loglevel=INFO", "--concurrency=2"])
        return 0
    from web.db import make_engine, session_factory
    from web.jobs import InProcessWorker

    worker = InProcessWorker(session_factory(make_engine(settings.database_url)), settings)
    if args.once:
        worker.drain()
        return 0
    worker.start()
    print("worker running (in-process queue in the database); Ctrl-C to stop", flush=True)
    try:
        while True:
            worker._wake.wait(3600)
    except KeyboardInterrupt:
        worker.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="reviewer", description="Legality reviewer for normative documents.")
    parser.add_argument("--version", action="version", version=f"reviewer {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("parse", help="parse documents into their element tree")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or - for stdin")
    p.add_argument("--format", choices=("json", "akn", "text"), default="json")
    p.add_argument("--level", choices=("auto", *LEVELS), default="auto")
    p.set_defaults(func=cmd_parse)

    e = sub.add_parser("extract", help="extract norms, measures, citations and amounts as facts")
    e.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or - for stdin")
    e.add_argument("--format", choices=("json", "text"), default="json")
    e.add_argument("--level", choices=("auto", *LEVELS), default="auto")
    e.add_argument(
        "--jobs", type=int, default=1, help="processes for many documents (0: all cores)"
    )
    e.set_defaults(func=cmd_extract)

    c = sub.add_parser("check", help="check documents against the legal rule packs")
    c.add_argument("paths", nargs="+", metavar="PATH", help="files, directories or - for stdin")
    c.add_argument("--format", choices=("text", "json", "sarif", "junit", "html"), default="text")
    c.add_argument("--level", choices=("auto", *LEVELS), default="auto")
    c.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error")
    c.add_argument("--rules", metavar="DIR", help="a rule pack directory (default: built-in)")
    c.add_argument(
        "--date", metavar="YYYY-MM-DD", help="review as of this date (default: the document's)"
    )
    c.add_argument(
        "--jobs", type=int, default=1, help="processes for many documents (0: all cores)"
    )
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("rules", help="test, list or show rules; train a pack's model")
    r.add_argument("action", choices=("test", "list", "show", "train"))
    r.add_argument("target", nargs="?", help="test, train: a pack directory; show: a rule id")
    r.set_defaults(func=cmd_rules)

    s = sub.add_parser("serve", help="run the web service")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=5000)
    s.add_argument("--demo", action="store_true", help="migrate and seed demo data first")
    s.set_defaults(func=cmd_serve)

    d = sub.add_parser("db", help="database administration")
    d.add_argument("action", choices=("upgrade",))
    d.set_defaults(func=cmd_db)

    u = sub.add_parser("users", help="user administration")
    u.add_argument("action", choices=("create", "token"))
    u.add_argument("name", nargs="?", help="token: the username")
    u.add_argument("--username")
    u.add_argument("--password")
    u.add_argument("--role", choices=("admin", "reviewer", "submitter"))
    u.add_argument("--org")
    u.set_defaults(func=cmd_users)

    w = sub.add_parser(
        "worker", help="run background checks (Celery when REVIEWER_BROKER_URL is set)"
    )
    w.add_argument("--once", action="store_true", help="run the queued jobs and exit")
    w.set_defaults(func=cmd_worker)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except ReviewerError as exc:
        print(f"reviewer: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
