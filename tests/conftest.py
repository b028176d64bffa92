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


TINY_WORDS = ("document number about alpha beta the a of and findings chest head abdomen report note "
              "0 1 2 3 4 5 6 7 8 9 10 11").split()


def tiny_encoder(folder: Path, *, hidden: int, layers: int, seed: int) -> Path:
    """A random-init BERT encoder + word-piece tokenizer saved as a model folder."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *TINY_WORDS, "##s", ".", ","]
    (folder / "vocab.txt").write_text("\n".join(tokens) + "\n")
    tokenizer = BertTokenizerFast(vocab={t: i for i, t in enumerate(tokens)}, do_lower_case=True)
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=len(tokens), hidden_size=hidden, num_hidden_layers=layers,
                        num_attention_heads=2, intermediate_size=hidden * 2, max_position_embeddings=128)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A tiny teacher (4 layers, width 48) and student (2 layers, width 32)."""
    root = tmp_path_factory.mktemp("tiny-models")
    return {"teacher": tiny_encoder(root / "teacher", hidden=48, layers=4, seed=1),
            "student": tiny_encoder(root / "student", hidden=32, layers=2, seed=2)}
