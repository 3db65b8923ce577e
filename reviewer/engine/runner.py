"""The durable_rules engine behind one lock.

durable_rules 2.0.28 is not thread-safe (concurrent calls segfault), keeps
rulesets process-global (no redefinition), raises MessageNotHandledException
for a fact no rule matches and allows about a thousand live sessions per
ruleset (GUIDE §4). So: one host per process without its timer thread, one
ruleset per pack version registered on first use, every review in its own
session under a process-wide lock, the session deleted even on error, and an
unmatched fact is simply no finding. Processes each have their own engine.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
from dataclasses import dataclass
from typing import Any

from durable.engine import Host, MessageNotHandledException

from .compile import CompiledPack


class _QuietHost(Host):
    """A host without the background timer thread: reviews use no timers, and
    a second thread inside the engine is what makes it crash."""

    def _run(self) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Match:
    rule_name: str
    facts: dict[str, dict[str, Any]]  # alias -> the matched fact (as asserted)


_lock = threading.Lock()
_host: _QuietHost | None = None
_registered: set[str] = set()
_sink: list[Match] = []
_sessions = itertools.count(1)
_SESSIONS = 64  # session ids reused round-robin (durable_rules allows ~1024 live ones)


def _action(rule_name: str, aliases: list[str]) -> Any:
    def run(c: Any) -> None:
        facts = {}
        for alias in aliases:
            content = getattr(c, alias)  # a durable Content wrapping the fact dict
            facts[alias] = dict(content.items())
        _sink.append(Match(rule_name, facts))

    return run


def _ensure(compiled: CompiledPack) -> str:
    global _host
    name = compiled.ruleset_name
    if name in _registered:
        return name
    definition = {}
    for rule in compiled.rules:
        aliases = [next(iter(term)) for term in rule.durable["all"]]
        definition[rule.name] = {**rule.durable, "run": _action(rule.name, aliases)}
    if _host is None:
        _host = _QuietHost()
    _host.register_rulesets({name: definition})
    _registered.add(name)
    return name


def run(compiled: CompiledPack, facts: list[dict[str, Any]]) -> list[Match]:
    """Assert the facts of one review in a fresh session; return the rule firings."""
    with _lock:
        ruleset = _ensure(compiled)
        assert _host is not None
        sid = f"{os.getpid()}-{next(_sessions) % _SESSIONS}"
        _sink.clear()
        asserted: list[dict[str, Any]] = []
        try:
            for fact in facts:
                message = {**fact, "sid": sid}
                try:
                    _host.assert_fact(ruleset, message)
                except MessageNotHandledException:
                    continue  # no rule matches this fact: no finding
                asserted.append(message)
            return list(_sink)
        finally:
            _sink.clear()
            # Retract instead of delete_state, which segfaults intermittently
            # in 2.0.28 (measured); a retracted session is empty and is reused
            # round-robin, so the live session count stays bounded.
            for message in reversed(asserted):
                with contextlib.suppress(MessageNotHandledException):
                    _host.retract_fact(ruleset, message)
