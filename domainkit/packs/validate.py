"""Contract checks for a pack class: what is missing and what was expected."""

from __future__ import annotations

import inspect

from domainkit import API_VERSION
from domainkit.deid.policy import DeidPolicy
from domainkit.packs.contract import REQUIRED_ATTRIBUTES, REQUIRED_METHODS, CorpusSpec, DomainPack, TaskSpec


def _check_types(pack: type) -> list[str]:
    problems: list[str] = []
    if not isinstance(getattr(pack, "name", None), str) or not pack.name:
        problems.append("`name` must be a non-empty string")
    if not isinstance(getattr(pack, "description", None), str):
        problems.append("`description` must be a string")
    tasks = getattr(pack, "tasks", None)
    if not isinstance(tasks, tuple) or not tasks or not all(isinstance(t, TaskSpec) for t in tasks):
        problems.append("`tasks` must be a non-empty tuple of domainkit.packs.contract.TaskSpec")
    corpora = getattr(pack, "corpora", None)
    if not isinstance(corpora, tuple) or not all(isinstance(c, CorpusSpec) for c in corpora):
        problems.append("`corpora` must be a tuple of domainkit.packs.contract.CorpusSpec")
    chain = getattr(pack, "teacher_chain", None)
    if not isinstance(chain, tuple) or not chain or not all(isinstance(r, str) for r in chain):
        problems.append("`teacher_chain` must be a non-empty tuple of model references (str)")
    if not isinstance(getattr(pack, "deid_policy", None), DeidPolicy):
        problems.append("`deid_policy` must be a domainkit.deid.policy.DeidPolicy")
    return problems


def contract_problems(pack: object, *, entry_point_name: str | None = None) -> list[str]:
    """Every way ``pack`` (a class) breaks the contract; empty when it complies."""
    if not inspect.isclass(pack):
        return [f"entry point must name a class, found {type(pack).__name__}"]
    version = getattr(pack, "api_version", None)
    if version != API_VERSION:
        return [f"api_version {version!r} is not supported (this domainkit speaks api_version {API_VERSION})"]
    missing = [attr for attr in REQUIRED_ATTRIBUTES if not hasattr(pack, attr)]
    if missing:
        return [f"missing required attribute(s): {', '.join(missing)}"]
    problems = _check_types(pack)
    for method in REQUIRED_METHODS:
        if not callable(getattr(pack, method, None)) or getattr(getattr(pack, method), "__isabstractmethod__", False):
            problems.append(f"method `{method}` is not implemented")
    if not issubclass(pack, DomainPack):
        problems.append("pack class must subclass domainkit.packs.contract.DomainPack")
    if entry_point_name is not None and getattr(pack, "name", None) != entry_point_name:
        problems.append(f"entry point name {entry_point_name!r} differs from the pack's `name` {getattr(pack, 'name', None)!r}")
    return problems


def data_problems(pack: object) -> list[str]:
    """What goes wrong when the pack's data is loaded: each task and a small pool (``plugins check --data``).

    Problems name the task and the exception class, never the message, which may quote the pack's
    documents.
    """
    from domainkit.data.splits import normalise_text

    problems: list[str] = []
    for spec in pack.tasks:
        try:
            data = pack.load_task(spec.name, seed=13)
        except Exception as error:  # a pack's own code: any failure is a finding
            problems.append(f"task {spec.name}: load_task raised {type(error).__name__}")
            continue
        if not data.train_texts or not data.test_texts:
            problems.append(f"task {spec.name}: an empty train or test split")
        if {normalise_text(t) for t in data.train_texts} & {normalise_text(t) for t in data.test_texts}:
            problems.append(f"task {spec.name}: texts in both train and test")
        try:
            pack.load_pool(exclude=frozenset(data.test_texts), limit=5, seed=13)
        except Exception as error:
            problems.append(f"task {spec.name}: load_pool raised {type(error).__name__}")
    return problems
