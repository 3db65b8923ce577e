"""The resemblance model: how much a provision reads like provisions that
review bodies found unlawful.

Regex rules find the wordings they were written for and little else: on
real cases they had not seen they found about one in three (docs/rules.md).
A pack may also carry a small learnt model, ``rules/<pack>/model/``: a spaCy
``textcat_multilabel`` pipeline with a bag-of-n-grams model (for Chinese,
characters and character pairs) trained from the real cases that
``training.yaml`` lists. It generalises to new wordings of the same conduct;
rules use it through the ``resembles`` condition and report a warning for a
reviewer to judge, never an error.

Training is deterministic (seeded) and records a digest of every source it
read, so a test can tell when the committed model is stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import ReviewerError

PIPELINE = "pipeline"  # the spaCy pipeline's directory inside the model directory
SOURCES = "sources.json"  # digests of the training sources, written with the model

# Numbering says nothing about legality and differs between real documents
# (第五条, 一、, （三）) and reviewers' quotations; it is removed before
# training and scoring alike.
_NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇两0-9]+条|[一二三四五六七八九十]+、|"
    r"[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、．])\s*"
)


# The model tokenises as the extraction pipeline does (one token per
# character for Chinese, reviewer/nlp/tokenizer.py): faster than spaCy's own
# Chinese segmenter, and the same tokens wherever a text is scored.
_TOKENIZER = {"zh": {"nlp": {"tokenizer": {"@tokenizers": "reviewer.char_tokenizer.v1"}}}}


class ModelError(ReviewerError):
    """A missing or malformed resemblance model or training specification."""


def clean(text: str) -> str:
    return _NUMBERING.sub("", text.strip())


@dataclass(frozen=True, slots=True)
class TrainingSpec:
    """``training.yaml``: what the model learns from, and how."""

    language: str
    labels: tuple[str, ...]
    positives: tuple[str, ...]  # JSONL of unlawful provisions: provision_zh, rule_family
    lookalikes: tuple[str, ...]  # JSONL of lawful provisions: negative for every label
    background_corpus: str  # lawful documents whose paragraphs and items are negatives …
    background_samples: int  # … this many of them, sampled …
    background_labels: tuple[str, ...]  # … for these labels only
    min_chars: int  # shorter texts (list items, table cells) are not scored
    seed: int
    epochs: int
    batch_size: int
    dropout: float
    ngram_size: int
    length: int  # hashed n-gram features per label


def load_spec(model_dir: Path) -> TrainingSpec:
    path = model_dir / "training.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        background = raw["background"]
        return TrainingSpec(
            language=raw["language"],
            labels=tuple(raw["labels"]),
            positives=tuple(raw["positives"]),
            lookalikes=tuple(raw["lookalikes"]),
            background_corpus=background["corpus"],
            background_samples=int(background["samples"]),
            background_labels=tuple(background["labels"]),
            min_chars=int(raw["min_chars"]),
            seed=int(raw["seed"]),
            epochs=int(raw["epochs"]),
            batch_size=int(raw["batch_size"]),
            dropout=float(raw["dropout"]),
            ngram_size=int(raw["ngram_size"]),
            length=int(raw["length"]),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: not a valid training specification ({exc})") from exc


def shared_dir(repo: Path) -> Path:
    """The shared data (cases, corpora) beside the repository, as the tests find it."""
    for candidate in (os.environ.get("REVIEWER_SHARED"), repo.parent / "shared", "/work/shared"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise ModelError("the shared data directory is not found (set REVIEWER_SHARED)")


def resolve(source: str, repo: Path) -> Path:
    """``shared:cases/dev.jsonl`` lies in the shared data; any other source
    is relative to the repository."""
    if source.startswith("shared:"):
        return shared_dir(repo) / source[len("shared:") :]
    return repo / source


def _jsonl(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _background(corpus: Path, count: int, least: int, rng: random.Random) -> list[str]:
    """Paragraphs and items (lines) of the corpus's documents, as the
    engine scores provisions: one paragraph or item at a time."""
    lines: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(clean(line)) >= least:
                lines.append(line.strip())
    rng.shuffle(lines)
    return lines[:count]


def training_rows(spec: TrainingSpec, repo: Path) -> list[tuple[str, dict[str, float]]]:
    """(text, cats) pairs; a label absent from cats is unknown for that text."""
    rng = random.Random(spec.seed)
    rows: list[tuple[str, dict[str, float]]] = []
    for source in spec.positives:
        for case in _jsonl(resolve(source, repo)):
            family = case["rule_family"]
            rows.append((case["provision_zh"], {k: float(k == family) for k in spec.labels}))
    for source in spec.lookalikes:
        for case in _jsonl(resolve(source, repo)):
            rows.append((case["provision_zh"], dict.fromkeys(spec.labels, 0.0)))
    negative = dict.fromkeys(spec.background_labels, 0.0)
    corpus = resolve(spec.background_corpus, repo)
    sampled = _background(corpus, spec.background_samples, spec.min_chars, rng)
    rows += [(text, dict(negative)) for text in sampled]
    return rows


def source_digests(spec: TrainingSpec, repo: Path) -> dict[str, str]:
    """sha256 of every source the model is trained from (a corpus: of all
    its documents together) and of the specification itself."""
    out = {}
    for source in (*spec.positives, *spec.lookalikes):
        out[source] = hashlib.sha256(resolve(source, repo).read_bytes()).hexdigest()
    corpus = hashlib.sha256()
    for path in sorted(resolve(spec.background_corpus, repo).glob("*.txt")):
        corpus.update(path.read_bytes())
    out[spec.background_corpus] = corpus.hexdigest()
    out["training.yaml"] = hashlib.sha256(repr(spec).encode()).hexdigest()
    return out


def train(model_dir: Path, repo: Path) -> dict[str, Any]:
    """Train the model described by ``model_dir/training.yaml`` and save it
    there; returns a summary (examples per label)."""
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed

    from . import tokenizer  # noqa: F401 - registers the char tokenizer

    spec = load_spec(model_dir)
    rows = training_rows(spec, repo)
    fix_random_seed(spec.seed)
    rng = random.Random(spec.seed)
    nlp = spacy.blank(spec.language, config=_TOKENIZER.get(spec.language, {}))
    textcat: Any = nlp.add_pipe(
        "textcat_multilabel",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": False,
                "ngram_size": spec.ngram_size,
                "no_output_layer": False,
                "length": spec.length,
            }
        },
    )
    for label in spec.labels:
        textcat.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(clean(t)), {"cats": c}) for t, c in rows]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(spec.epochs):
        rng.shuffle(examples)
        for i in range(0, len(examples), spec.batch_size):
            nlp.update(examples[i : i + spec.batch_size], sgd=optimizer, drop=spec.dropout)
    nlp.to_disk(model_dir / PIPELINE)
    digests = source_digests(spec, repo)
    (model_dir / SOURCES).write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
    positives = {k: sum(c.get(k) == 1.0 for _, c in rows) for k in spec.labels}
    return {"examples": len(rows), "positives": positives}


class Scorer:
    """Scores of texts per label, from a saved model (loaded on first use).
    Score many texts at once where you can: batches are about twice as fast."""

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        self.min_chars = load_spec(model_dir).min_chars
        self._nlp: Any = None
        self._lock = threading.Lock()

    def _pipeline(self) -> Any:
        with self._lock:
            if self._nlp is None:
                import spacy

                from . import tokenizer  # noqa: F401 - registers the char tokenizer

                path = self.model_dir / PIPELINE
                if not (path / "meta.json").exists():
                    raise ModelError(f"{path}: no trained model (run `reviewer rules train`)")
                self._nlp = spacy.load(path)
            return self._nlp

    def judges(self, text: str) -> bool:
        """Too short (a list item, a table cell), or a lead-in or salutation
        whose content follows it (各采购代理机构：), is not judged."""
        return len(text) >= self.min_chars and not text.endswith(("：", ":"))

    def score_many(self, texts: Iterable[str]) -> list[dict[str, float]]:
        """Scores per text, in order; {} for a text the model does not judge."""
        cleaned = [clean(t) for t in texts]
        judged = [t for t in cleaned if self.judges(t)]
        docs = self._pipeline().pipe(judged, batch_size=256) if judged else iter(())
        return [dict(next(docs).cats) if self.judges(t) else {} for t in cleaned]

    def __call__(self, text: str) -> dict[str, float]:
        return self.score_many([text])[0]


@cache
def scorer(model_dir: Path) -> Scorer:
    return Scorer(model_dir)
