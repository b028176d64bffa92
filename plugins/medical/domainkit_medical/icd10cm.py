"""ICD-10-CM tabular list (the XML shipped in ``simple-icd-10-cm``): codes, descriptions, notes.

We read the XML with ``xml.etree.ElementTree`` rather than the package's
functions: one pass over the 10 MB file (under a second) yields every code
with its chapter, block and notes, while the package API answers one code at a
time. The file is a US government publication parsed from a pinned package,
not untrusted input, so the stdlib parser is adequate.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from domainkit.data import corpus_cache

DISTRIBUTION = "simple-icd-10-cm"
PACKAGE = "simple_icd_10_cm"
XML_PARTS = ("data", "icd10c-tabular-April-1-2026.xml")
SCHEMA = 1
#: Elements whose ``<note>`` children are clinical text (inclusion terms,
#: excludes, coding instructions) that belong in the unlabelled pool.
NOTE_ELEMENTS = (
    "inclusionTerm",
    "includes",
    "excludes1",
    "excludes2",
    "codeFirst",
    "codeAlso",
    "useAdditionalCode",
    "notes",
)
_RANGE_SUFFIX = re.compile(r"\s*\([A-Z0-9.\-]+\)\s*$")


def chapter_title(desc: str) -> str:
    """``"Neoplasms (C00-D49)"`` -> ``"Neoplasms"``: the code range would leak the answer's key."""
    return _RANGE_SUFFIX.sub("", desc).strip()


def _notes(element: ET.Element) -> list[str]:
    notes = []
    for tag in NOTE_ELEMENTS:
        for holder in element.findall(tag):
            notes.extend((n.text or "").strip() for n in holder.findall("note"))
    return [n for n in notes if n]


def _walk_diag(diag: ET.Element, chapter: str, block: str, out: list[dict[str, Any]], notes: list[str]) -> None:
    children = diag.findall("diag")
    out.append(
        {
            "code": (diag.findtext("name") or "").strip(),
            "desc": " ".join((diag.findtext("desc") or "").split()),
            "chapter": chapter,
            "block": block,
            "leaf": not children,
        }
    )
    notes.extend(_notes(diag))
    for child in children:
        _walk_diag(child, chapter, block, out, notes)


def parse_tabular(raw: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """(codes, notes): every ``<diag>`` with chapter and block, and every note text."""
    root = ET.fromstring(raw)
    codes: list[dict[str, Any]] = []
    notes: list[str] = []
    for chapter in root.findall("chapter"):
        title = chapter_title(chapter.findtext("desc") or "")
        notes.extend(_notes(chapter))
        for section in chapter.findall("section"):
            block = section.get("id", "")
            notes.extend(_notes(section))
            for diag in section.findall("diag"):
                _walk_diag(diag, title, block, codes, notes)
    return codes, notes


def _build() -> dict[str, Any]:
    xml = corpus_cache.resource(PACKAGE, *XML_PARTS)
    raw = xml.read_bytes()
    codes, notes = parse_tabular(raw)
    return {
        "source": {
            "distribution": DISTRIBUTION,
            "version": corpus_cache.package_version(DISTRIBUTION),
            "file": f"{PACKAGE}/{'/'.join(XML_PARTS)}",
            "sha256": corpus_cache.sha256_bytes(raw),
            "release": "ICD-10-CM April 1, 2026",
        },
        "codes": codes,
        "notes": notes,
    }


def load() -> dict[str, Any]:
    """Parsed ICD-10-CM (cached): ``{"source": {...}, "codes": [...], "notes": [...]}``."""
    return corpus_cache.cached(DISTRIBUTION, "icd10cm", SCHEMA, _build)


def chapter_examples(data: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """(texts, chapter labels, 3-character categories) for every code with a description.

    Every code, not only billable leaves: a category's own title ("Cholera") is
    as much domain text as its subcodes'. The category (first 3 characters)
    is returned so the split can keep a category's codes together.
    """
    rows = [c for c in data["codes"] if c["desc"]]
    return [c["desc"] for c in rows], [c["chapter"] for c in rows], [c["code"][:3] for c in rows]


def pool_texts(data: dict[str, Any]) -> list[str]:
    """Every description and note (duplicates removed later)."""
    return [c["desc"] for c in data["codes"] if c["desc"]] + list(data["notes"])
