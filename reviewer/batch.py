"""Many documents at once, on all cores.

The parser and the spaCy pipelines are built once in the parent and inherited
by forked worker processes, so a worker starts working at once; each process
has its own durable_rules engine. Results come back as plain dicts in the
order of the inputs.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from .structure.document import parse_text

Job = tuple[str, str | None, str]  # text, path, level


def _extract(job: Job) -> dict[str, Any]:
    from .facts import extract

    text, path, level = job
    return extract(parse_text(text, path=path, level=level)).to_dict()


_ON: date | None = None


def _review(job: Job) -> dict[str, Any]:
    from .engine import review_document

    text, path, level = job
    return review_document(parse_text(text, path=path, level=level), on=_ON).to_dict()


def _review_object(job: Job) -> Any:
    """A whole Review (for the report formats), without its extraction facts,
    which reports do not use and which would only cost pickling."""
    from .engine import review_document

    text, path, level = job
    review = review_document(parse_text(text, path=path, level=level), on=_ON)
    review.extraction.facts = []
    return review


def _warm(language: str = "zh") -> None:
    """Build what every document needs, before the fork."""
    from .nlp import get_nlp

    parse_text("第一条 测试。")
    get_nlp(language)


def run(
    worker: Callable[[Job], dict[str, Any]], jobs: Iterable[Job], processes: int | None = None
) -> Iterator[dict[str, Any]]:
    processes = processes or os.cpu_count() or 1
    items = list(jobs)
    if processes <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(worker, items)
        return
    _warm()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield from pool.imap(worker, items, chunksize=max(1, len(items) // (processes * 8)))


def extract_many(jobs: Iterable[Job], processes: int | None = None) -> Iterator[dict[str, Any]]:
    return run(_extract, jobs, processes)


def review_many(
    jobs: Iterable[Job], processes: int | None = None, on: date | None = None
) -> Iterator[dict[str, Any]]:
    global _ON
    _ON = on
    return run(_review, jobs, processes)


def reviews(jobs: Iterable[Job], processes: int | None = None, on: date | None = None) -> list[Any]:
    """Review objects in input order (the built-in packs; see cli for --rules)."""
    global _ON
    _ON = on
    return list(run(_review_object, jobs, processes))
