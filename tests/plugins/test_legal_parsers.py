"""ScanCode file parsing and pool passages of the legal pack, on tiny inline text."""

from __future__ import annotations

import pytest
from domainkit_legal import licensedcode, tasks

from domainkit.errors import DataError


def test_licensedcode_split_front_matter_strips_required_phrase_markup() -> None:
    raw = "---\nlicense_expression: mit\nis_license_notice: yes\n---\n\nLicensed under the {{MIT License}}.\n"
    front, text = licensedcode.split_front_matter(raw, "mit_1.RULE")
    assert "license_expression: mit" in front
    assert text == "Licensed under the MIT License."


def test_licensedcode_front_matter_is_read_safely() -> None:
    meta = licensedcode._safe_front_matter("key: mit\ncategory: Permissive\n", "mit.LICENSE")
    assert meta == {"key": "mit", "category": "Permissive"}
    with pytest.raises(DataError, match="evil.RULE"):
        licensedcode._safe_front_matter("x: !!python/object/apply:os.system ['true']\n", "evil.RULE")


def test_licensedcode_unclosed_front_matter_names_the_file() -> None:
    with pytest.raises(DataError, match="broken.RULE"):
        licensedcode.split_front_matter("---\nkey: x\nno end", "broken.RULE")


def test_tasks_passages_cut_long_texts_at_paragraphs() -> None:
    text = "\n\n".join(" ".join(f"p{i}w{j}" for j in range(50)) for i in range(5)) + "\n\n" + "x " * 400
    parts = tasks.passages(text, max_words=120)
    assert all(len(p.split()) <= 120 for p in parts)
    assert sum(len(p.split()) for p in parts) == 650
    assert parts[0].split()[0] == "p0w0" and parts[0].split()[-1] == "p1w49"
