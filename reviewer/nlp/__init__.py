"""Norm extraction: a spaCy pipeline of registered components over blank
``zh``/``en`` languages (no model download), configured by ``pipeline.cfg``
and the pattern tables in ``patterns/``.

    from reviewer.nlp import get_nlp
    doc = get_nlp("zh")("未经批准，不得从事经营活动。")
    doc.spans["modality"], doc.spans["measure"]
"""

from __future__ import annotations

import threading
from functools import cache
from importlib.resources import files

import spacy
from spacy.language import Language

from . import components, tokenizer  # noqa: F401  (registers the factories)

_lock = threading.Lock()


@cache
def _build(lang: str) -> Language:
    config = spacy.util.load_config_from_str(
        files("reviewer.nlp").joinpath("pipeline.cfg").read_text(encoding="utf-8")
    )
    config["nlp"]["lang"] = lang
    if lang != "zh":
        config["nlp"]["tokenizer"] = {"@tokenizers": "spacy.Tokenizer.v1"}
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)


def get_nlp(lang: str) -> Language:
    """The pipeline for ``zh`` or ``en``, built once per process (thread-safe)."""
    if lang not in ("zh", "en"):
        raise ValueError(f"no extraction pipeline for language {lang!r}")
    with _lock:
        return _build(lang)


__all__ = ["get_nlp"]
