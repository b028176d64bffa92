import subprocess
import sys

import pytest

from domainkit.errors import PackError
from domainkit.packs.registry import discover, find, load_pack


def test_registry_lists_good_and_broken_packs(fake_packs):
    entries = {e.name: e for e in discover()}
    assert entries["good"].ok
    assert entries["good"].distribution == "fakepack-good"
    assert entries["good"].version == "0.3"
    assert entries["good"].tasks == ("topic",)
    assert entries["brokenimport"].status == "broken"
    assert "import failed" in entries["brokenimport"].problems[0]
    assert "api_version 0 is not supported" in entries["oldapi"].problems[0]


def test_registry_broken_pack_does_not_stop_others(fake_packs):
    pack = load_pack("good")
    assert pack.load_task("topic", seed=1).label_names == ["alpha", "beta"]
    with pytest.raises(PackError, match="brokenimport.*is broken"):
        load_pack("brokenimport")


def test_registry_unknown_pack_lists_and_suggests(fake_packs):
    with pytest.raises(PackError) as error:
        find("god")
    assert "available:" in str(error.value) and "good" in str(error.value)
    assert "Did you mean 'good'?" in str(error.value)


def test_registry_listing_does_not_import_heavy_libraries():
    code = (
        "import sys; from domainkit.packs.registry import discover; discover(); "
        "heavy = [m for m in ('torch', 'transformers', 'spacy', 'pandas') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
