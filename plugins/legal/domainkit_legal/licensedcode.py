"""ScanCode's licence database (``licensedcode-data``): licence texts and detection rules.

Each ``*.LICENSE`` / ``*.RULE`` file is YAML front matter between ``---``
lines, then the text. Front matter is read with ``yaml.safe_load`` only
(never ``yaml.load``: the files are data, not objects). To keep a cold parse
of the 34.9k rule files fast, front matter is parsed only for rules whose
kind and length can matter to a task (a cheap substring test first); every
other rule contributes its text to the pool without a YAML parse.

Parsed results are cached (see :mod:`domainkit.data.corpus_cache`), one
cache per folder so a task that needs only the licences never reads the rules.
"""

from __future__ import annotations

import re
from typing import Any

from domainkit.errors import DataError
from domainkit.data import corpus_cache

DISTRIBUTION = "licensedcode-data"
PACKAGE = "licensedcode"
LICENSES_DIR = ("data", "licenses")
RULES_DIR = ("data", "rules")
SCHEMA = 1
#: Rules shorter than this are names and tags, not notices (CORPORA.md floor uses 20).
MIN_RULE_WORDS = 20
#: Rule kinds whose text is a notice or a licence text.
TASK_RULE_FLAGS = ("is_license_notice: yes", "is_license_text: yes")
#: ScanCode marks required phrases as ``{{...}}``: markup, not licence text.
_REQUIRED_PHRASE = re.compile(r"\{\{|\}\}")


def split_front_matter(raw: str, name: str) -> tuple[str, str]:
    """(front matter, text) of a ScanCode data file; text keeps its layout minus markup."""
    if not raw.startswith("---"):
        return "", _REQUIRED_PHRASE.sub("", raw).strip()
    parts = raw.split("\n---", 1)
    if len(parts) != 2:
        raise DataError(f"{name}: front matter opened with '---' is never closed")
    front = parts[0][3:]
    body = parts[1].split("\n", 1)[1] if "\n" in parts[1] else ""
    return front, _REQUIRED_PHRASE.sub("", body).strip()


def _safe_front_matter(front: str, name: str) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(front) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"{name}: front matter is not valid YAML ({type(exc).__name__})") from exc
    if not isinstance(data, dict):
        raise DataError(f"{name}: front matter is not a mapping")
    return data


def _read_folder(parts: tuple[str, ...], suffix: str) -> tuple[list[tuple[str, str]], str]:
    """(name, content) of every ``*suffix`` file in a package folder, and the folder's tree sha256."""
    folder = corpus_cache.resource(PACKAGE, *parts)
    files: list[tuple[str, str]] = []
    digests: list[tuple[str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(suffix):
            continue
        raw = entry.read_bytes()
        digests.append((entry.name, corpus_cache.sha256_bytes(raw)))
        try:
            files.append((entry.name, raw.decode("utf-8")))
        except UnicodeDecodeError as exc:
            raise DataError(f"{PACKAGE}/{'/'.join(parts)}/{entry.name}: not UTF-8 (byte {exc.start})") from exc
    return files, corpus_cache.tree_sha256(digests)


def _source(parts: tuple[str, ...], suffix: str, tree_sha: str, count: int) -> dict[str, Any]:
    return {
        "distribution": DISTRIBUTION,
        "version": corpus_cache.package_version(DISTRIBUTION),
        "file": f"{PACKAGE}/{'/'.join(parts)}/*{suffix} ({count} files)",
        "sha256": tree_sha,
        "checksum_method": "sha256 of `LC_ALL=C sha256sum *" + suffix + "` output in the folder",
    }


def _build_licenses() -> dict[str, Any]:
    files, tree_sha = _read_folder(LICENSES_DIR, ".LICENSE")
    licenses = []
    for name, raw in files:
        front, text = split_front_matter(raw, name)
        meta = _safe_front_matter(front, name)
        licenses.append(
            {
                "key": str(meta.get("key", name.removesuffix(".LICENSE"))),
                "category": str(meta.get("category", "")),
                "deprecated": bool(meta.get("is_deprecated", False)),
                "language": str(meta.get("language", "en")),
                "text": text,
            }
        )
    return {"source": _source(LICENSES_DIR, ".LICENSE", tree_sha, len(files)), "licenses": licenses}


def _build_rules() -> dict[str, Any]:
    files, tree_sha = _read_folder(RULES_DIR, ".RULE")
    task_rules, pool = [], []
    for name, raw in files:
        front, text = split_front_matter(raw, name)
        if not text or "is_false_positive: yes" in front:
            continue  # false positives are code and prose that are *not* licences
        pool.append(text)
        if len(text.split()) >= MIN_RULE_WORDS and any(flag in front for flag in TASK_RULE_FLAGS):
            meta = _safe_front_matter(front, name)
            kind = "notice" if meta.get("is_license_notice") else "text" if meta.get("is_license_text") else ""
            if kind and meta.get("license_expression"):
                task_rules.append(
                    {"rule": name, "expression": str(meta["license_expression"]), "kind": kind, "text": text}
                )
    return {"source": _source(RULES_DIR, ".RULE", tree_sha, len(files)), "rules": task_rules, "pool": pool}


def load_licenses() -> dict[str, Any]:
    """Cached: ``{"source": {...}, "licenses": [{key, category, deprecated, language, text}]}``."""
    return corpus_cache.cached(DISTRIBUTION, "licenses", SCHEMA, _build_licenses)


def load_rules() -> dict[str, Any]:
    """Cached: ``{"source", "rules": [notice/text rules >= 20 words], "pool": [every non-false-positive text]}``."""
    return corpus_cache.cached(DISTRIBUTION, "rules", SCHEMA, _build_rules)
