"""Shared fixtures: an isolated domainkit home, fake installed packs, tiny corpora.

Tiny random-init models for the model-level suites live next to them
(tests/distill/conftest.py and friends); nothing here downloads anything.
"""

from __future__ import annotations

import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point DOMAINKIT_HOME at an empty folder (model store, caches)."""
    home = tmp_path / "dk-home"
    monkeypatch.setenv("DOMAINKIT_HOME", str(home))
    return home


GOOD_PACK = '''
from domainkit.data.taskdata import TaskData
from domainkit.deid.policy import DeidPolicy
from domainkit.packs.contract import CorpusSpec, DomainPack, TaskSpec

TEXTS = [f"document number {{i}} about {{topic}}" for i in range(12) for topic in ("alpha", "beta")]
LABELS = [text.rsplit(" ", 1)[1] for text in TEXTS]


class {cls}(DomainPack):
    name = "{name}"
    description = "a fake pack for tests"
    tasks = (TaskSpec(name="topic", kind="single_label", description="topic of a document"),)
    corpora = (CorpusSpec(name="inline", source="inline", licence="CC0-1.0"),)
    teacher_chain = ("store:all-mpnet-base-v2",)
    deid_policy = DeidPolicy(enabled=False)
    {extra}

    def load_task(self, task, *, seed):
        return TaskData(task=task, kind="single_label", label_names=["alpha", "beta"],
                        train_texts=TEXTS[:18], train_labels=LABELS[:18],
                        test_texts=TEXTS[18:], test_labels=LABELS[18:], split_info={{"seed": seed, "method": "head"}})

    def load_pool(self, *, exclude, limit, seed):
        pool = [t for t in TEXTS if t not in exclude]
        return pool[:limit] if limit is not None else pool
'''


def install_fake_pack(site: Path, name: str, body: str) -> None:
    """Write module + dist-info so importlib.metadata sees a pack distribution."""
    module = f"fakepack_{name}"
    (site / f"{module}.py").write_text(textwrap.dedent(body))
    info = site / f"fakepack_{name}-0.3.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: fakepack-{name}\nVersion: 0.3\n")
    (info / "entry_points.txt").write_text(f"[domainkit.packs]\n{name} = {module}:Pack\n")


@pytest.fixture
def fake_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three fake pack distributions: ``good``, ``brokenimport`` and ``oldapi``."""
    site = tmp_path / "site"
    site.mkdir()
    install_fake_pack(site, "good", GOOD_PACK.format(cls="Pack", name="good", extra=""))
    install_fake_pack(site, "brokenimport", "import a_module_that_does_not_exist\n")
    install_fake_pack(site, "oldapi", GOOD_PACK.format(cls="Pack", name="oldapi", extra="api_version = 0"))
    monkeypatch.syspath_prepend(str(site))
    metadata.distributions.cache_clear() if hasattr(metadata.distributions, "cache_clear") else None
    yield site
    for mod in [m for m in sys.modules if m.startswith("fakepack_")]:
        del sys.modules[mod]
