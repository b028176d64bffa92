"""A fingerprint of what de-identification redacts: its rule modules, word lists and spaCy pipeline.

A run records it with its data stage's inputs, so that a run folder made with older rules is
de-identified again after an upgrade instead of keeping text the new rules would redact.
Hashing the sources (not a hand-kept version number) cannot be forgotten when a rule changes.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version

#: The modules whose code decides what is redacted (file reading, audits and tagger training do not).
RULE_MODULES = ("deidentifier.py", "names.py", "patterns.py", "ner.py", "lexicon.py", "spans.py",
                "policy.py", "tagger.py", "tagger_filter.py", "keep_rules.py", "name_widening.py",
                "place_widening.py", "place_names.py", "tokens.py", "cue_words.py")


@lru_cache(maxsize=1)
def rules_fingerprint() -> str:
    """16 hex digits over the rule modules, every file in ``data/`` and the spaCy pipeline's version."""
    from domainkit.deid.lexicon import SPACY_MODEL

    package = resources.files("domainkit.deid")
    digest = hashlib.sha256()
    files = [package.joinpath(name) for name in RULE_MODULES]
    files += sorted((entry for entry in package.joinpath("data").iterdir() if entry.is_file()), key=lambda e: e.name)
    for entry in files:
        digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    try:
        digest.update(version(SPACY_MODEL.replace("_", "-")).encode())
    except PackageNotFoundError:
        digest.update(b"no spaCy pipeline")
    return digest.hexdigest()[:16]
