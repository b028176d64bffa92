"""Shared fixtures: an isolated domainkit home, fake installed packs, tiny corpora.

Tiny random-init models for the model-level suites live next to them
(tests/distill/conftest.py and friends); nothing here downloads anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

import torch
from tiny_distill import (  # tests/ is on sys.path: pytest inserts this conftest's folder
    bert_tokenizer,
    char_tokenizer,
    mpnet_tokenizer,
    sample_texts,
    save_model,
    tiny_bert_config,
)
from tinymodels import build_classifier, keyword_corpus
from transformers import BertForMaskedLM, BertModel, MPNetConfig, MPNetModel

from domainkit.data.taskdata import MULTI_LABEL, SINGLE_LABEL, TaskData

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


def install_fake_pack(site: Path, name: str, body: str, *, module: str | None = None,
                      distribution: str | None = None, version: str = "0.3") -> Path:
    """Write module + dist-info so importlib.metadata sees a pack distribution; returns the dist-info.

    By default module ``fakepack_NAME`` in distribution ``fakepack-NAME``; ``module`` and
    ``distribution`` name them otherwise (an import name unlike the distribution's).
    """
    module = module or f"fakepack_{name}"
    distribution = distribution or f"fakepack-{name}"
    (site / f"{module}.py").write_text(textwrap.dedent(body))
    info = site / f"{distribution.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[domainkit.packs]\n{name} = {module}:Pack\n")
    return info


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

# -- de-identification ---------------------------------------------------------


@pytest.fixture(scope="session")
def deidentifier():
    """Rules, patterns and spaCy NER (the default policy)."""
    from domainkit.deid import DeidPolicy, Deidentifier

    return Deidentifier(DeidPolicy())


@pytest.fixture(scope="session")
def rules_only():
    """Rules and patterns without spaCy NER (faster; what workers tests use)."""
    from domainkit.deid import DeidPolicy, Deidentifier

    return Deidentifier(DeidPolicy(use_ner=False))


# -- built-in packs (real corpora, parsed once per session) --------------------


@pytest.fixture(scope="session")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One DOMAINKIT_HOME for the session: real corpora are parsed (and cached) once, not per test."""
    home = tmp_path_factory.mktemp("domainkit-home")
    old = os.environ.get("DOMAINKIT_HOME")
    os.environ["DOMAINKIT_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("DOMAINKIT_HOME", None)
    else:
        os.environ["DOMAINKIT_HOME"] = old


# -- tiny classifiers (heads, evaluation, export, predict) --------------------


@pytest.fixture
def make_classifier(tmp_path):
    counter = iter(range(1000))

    def make(labels=("cardio", "pulmo", "derm"), *, multi_label=False, seed=0, max_positions=64):
        return build_classifier(tmp_path / f"model{next(counter)}", list(labels),
                                multi_label=multi_label, seed=seed, max_positions=max_positions)

    return make


@pytest.fixture
def tiny_task():
    from domainkit.data.taskdata import TaskData

    train_texts, train_labels = keyword_corpus(60, seed=1)
    test_texts, test_labels = keyword_corpus(24, seed=2)
    return TaskData(task="organ", kind="single_label", label_names=["cardio", "pulmo", "derm"],
                    train_texts=train_texts, train_labels=train_labels,
                    test_texts=test_texts, test_labels=test_labels, split_info={"seed": 0})


# -- tiny encoders and tokenizers (distillation) ------------------------------


@pytest.fixture
def student_dir(tmp_path: Path) -> Path:
    torch.manual_seed(0)
    tok = bert_tokenizer(tmp_path / "student_tok")
    return save_model(BertModel(tiny_bert_config(len(tok), hidden=32, layers=2)), tok, tmp_path / "student")


@pytest.fixture
def teacher_dir(tmp_path: Path) -> Path:
    """Tiny MPNet teacher: wider (48) and deeper (4) than the student, shifted vocab, no MLM head."""
    torch.manual_seed(1)
    tok = mpnet_tokenizer(tmp_path / "teacher_tok")
    config = MPNetConfig(
        vocab_size=len(tok), hidden_size=48, num_hidden_layers=4, num_attention_heads=2,
        intermediate_size=37, max_position_embeddings=80,
    )
    return save_model(MPNetModel(config), tok, tmp_path / "teacher")


@pytest.fixture
def mlm_teacher_dir(tmp_path: Path) -> Path:
    """Tiny BERT teacher with an MLM head and the student's vocabulary."""
    torch.manual_seed(2)
    tok = bert_tokenizer(tmp_path / "mlm_teacher_tok")
    return save_model(BertForMaskedLM(tiny_bert_config(len(tok), hidden=48, layers=4)), tok, tmp_path / "mlm_teacher")


@pytest.fixture
def char_teacher_dir(tmp_path: Path) -> Path:
    torch.manual_seed(3)
    tok = char_tokenizer(tmp_path / "char_tok")
    return save_model(BertModel(tiny_bert_config(len(tok), hidden=32, layers=2)), tok, tmp_path / "char_teacher")


@pytest.fixture
def single_label_data() -> TaskData:
    train = sample_texts(12)
    test = sample_texts(6, offset=3)
    names = ["cardio", "other"]
    return TaskData("tiny", SINGLE_LABEL, names, train, [names[i % 2] for i in range(12)],
                    test, [names[i % 2] for i in range(6)])


@pytest.fixture
def multi_label_data() -> TaskData:
    train = sample_texts(12)
    test = sample_texts(6, offset=3)
    names = ["a", "b", "c"]
    return TaskData("tiny-ml", MULTI_LABEL, names, train, [sorted({names[i % 3]} | ({"c"} if i % 2 else set())) for i in range(12)],
                    test, [[names[i % 3]] for i in range(6)])


@pytest.fixture
def pool_texts() -> list[str]:
    return sample_texts(8, offset=11)


@pytest.fixture
def make_tokenizer(tmp_path: Path):
    """Factory: make_tokenizer("bert" | "mpnet" | "char", name) -> a tiny fast tokenizer."""
    builders = {"bert": bert_tokenizer, "mpnet": mpnet_tokenizer, "char": char_tokenizer}

    def make(kind: str, name: str | None = None):
        return builders[kind](tmp_path / "tokenizers" / (name or kind))

    return make
