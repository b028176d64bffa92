"""Contract checks for a pack class: what is missing and what was expected."""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any

from domainkit import API_VERSION
from domainkit.data.taskdata import MULTI_LABEL, RUN_KINDS, TaskData
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
    else:  # checked here, not in TaskSpec: other packs of the same module still load
        problems.extend(f"task {t.name!r}: kind {t.kind!r} is not supported by domainkit run, which trains "
                        f"document classifiers; declare one of {', '.join(RUN_KINDS)}"
                        for t in tasks if t.kind not in RUN_KINDS)
    corpora = getattr(pack, "corpora", None)
    if not isinstance(corpora, tuple) or not all(isinstance(c, CorpusSpec) for c in corpora):
        problems.append("`corpora` must be a tuple of domainkit.packs.contract.CorpusSpec")
    chain = getattr(pack, "teacher_chain", None)
    if not isinstance(chain, tuple) or not chain or not all(isinstance(r, str) for r in chain):
        problems.append("`teacher_chain` must be a non-empty tuple of model references (str)")
    if not isinstance(getattr(pack, "deid_policy", None), DeidPolicy):
        problems.append("`deid_policy` must be a domainkit.deid.policy.DeidPolicy")
    return problems


def _api_remedy(version: object) -> str:
    if isinstance(version, int) and version > API_VERSION:  # the pack is newer than this domainkit
        return (f"upgrade domainkit (pip install -U domainkit), or install a release of the pack made for "
                f"api_version {API_VERSION}")
    return (f"install a release of the pack made for api_version {API_VERSION}, or port the pack and set "
            f"api_version = {API_VERSION}")


def contract_problems(pack: object, *, entry_point_name: str | None = None) -> list[str]:
    """Every way ``pack`` (a class) breaks the contract; empty when it complies."""
    if not inspect.isclass(pack):
        return [f"entry point must name a class, found {type(pack).__name__}"]
    version = getattr(pack, "api_version", None)
    if version != API_VERSION:
        return [f"api_version {version!r} is not supported (this domainkit speaks api_version {API_VERSION}); "
                + _api_remedy(version)]
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


def _label_problems(split: str, rows: list[Any], data: TaskData, known: set[str]) -> list[str]:
    """Labels of the wrong shape, or outside ``known`` (the label names); counted, never quoted (a label may be text).

    A label that is not a str (a list given to a single_label task, a number) is counted apart: it can
    be in no set of names, and a list cannot even be looked up in one.
    """
    if data.kind == MULTI_LABEL:
        if not all(isinstance(row, list) for row in rows):
            return [f"{split} labels must be lists of label names (a multi_label task)"]
        used = [name for row in rows for name in row]
        shape = "each label list must hold label names (str)"
    else:
        used = list(rows)
        shape = ("a single_label task has one label name (str) per text; for several labels per text "
                 "declare the task multi_label")
    problems = []
    not_names = sum(1 for name in used if not isinstance(name, str))
    if not_names:
        problems.append(f"{split} labels: {not_names} not a str (not shown); {shape}")
    outside = {name for name in used if isinstance(name, str) and name not in known}
    if outside:
        problems.append(f"{split} labels outside label_names: {len(outside)} distinct (not shown); "
                        "add them to label_names or correct the labels")
    return problems


def task_data_problems(spec: TaskSpec, data: object) -> list[str]:
    """What in ``load_task``'s result would crash or mistrain a run; empty when the run can use it.

    Checked by ``plugins check --data`` and by ``domainkit run`` before anything trains. Texts and
    labels are counted, never quoted.
    """
    if not isinstance(data, TaskData):
        return [f"load_task returned {type(data).__name__}, expected domainkit.data.taskdata.TaskData "
                "(domainkit.data.splits.build_task_data builds one from texts and labels)"]
    problems: list[str] = []
    if data.task != spec.name:
        problems.append(f"load_task({spec.name!r}) returned the data of task {data.task!r}")
    if data.kind != spec.kind:
        problems.append(f"load_task returned kind {data.kind!r} for a task its TaskSpec declares {spec.kind!r}")
    if not data.train_texts or not data.test_texts:
        problems.append("an empty train or test split")
    names = data.label_names if isinstance(data.label_names, (list, tuple)) else []
    if not names or not all(isinstance(name, str) for name in names):
        problems.append("label_names must be a list of str (the names the model gives its predictions)")
    known = {name for name in names if isinstance(name, str)}  # once, not per label checked
    if len(known) < 2:
        problems.append(f"{len(known)} label(s) in label_names (not shown); a classifier needs at least two classes")
    for split, texts, labels in (("train", data.train_texts, data.train_labels),
                                 ("test", data.test_texts, data.test_labels),
                                 ("validation", data.validation_texts, data.validation_labels)):
        problems.extend(_label_problems(split, labels, data, known))
        bad = sum(1 for text in texts if not isinstance(text, str) or not text.strip())
        if bad:
            problems.append(f"{bad} {split} text(s) empty or not a str")
    if data.kind != MULTI_LABEL and len(data.label_names) >= 2 and len(set(map(str, data.train_labels))) < 2:
        problems.append("the train split holds a single class; a classifier needs examples of at least two")
    return problems


def task_data_warnings(data: TaskData) -> list[str]:
    """Classes a run can use but not learn or measure: fewer than 2 training documents, or none in
    the test split. ``--data`` refuses such classes before splitting; a pack splits its own data, so
    a run goes on and says so. Counted, never named (a label may be text)."""
    if data.kind == MULTI_LABEL:
        return []
    train = Counter(label for label in data.train_labels if isinstance(label, str))
    test = {label for label in data.test_labels if isinstance(label, str)}
    names = [name for name in data.label_names if isinstance(name, str)]
    warnings = []
    scarce = sum(1 for name in names if train[name] < 2)
    if scarce:
        warnings.append(f"{scarce} class(es) with fewer than 2 training documents: the model can hardly learn them")
    untested = sum(1 for name in names if name not in test)
    if untested:
        warnings.append(f"{untested} class(es) with no test document: the report cannot measure them")
    return warnings


def pool_problems(pool: object) -> list[str]:
    """``load_pool`` must return a list of texts (a str would be read as one text per character)."""
    if not isinstance(pool, list):
        return [f"load_pool returned {type(pool).__name__}, expected list[str]"]
    bad = sum(1 for text in pool if not isinstance(text, str))
    return [f"load_pool returned a list holding {bad} item(s) that are not str, expected list[str]"] if bad else []


def data_problems(pack: object, warnings: list[str] | None = None) -> list[str]:
    """What goes wrong when the pack's data is loaded: each task and a small pool (``plugins check --data``).

    Problems name the task and, for a failure, the exception class and the pack's file and line,
    never the message, which may quote the pack's documents (see ``domainkit.packs.raised``).
    ``warnings``, when given, receives what a run can use but not learn or measure
    (:func:`task_data_warnings`).
    """
    from domainkit.data.splits import normalise_text
    from domainkit.packs.raised import debug_enabled, describe, full_traceback

    def raised(method: str, error: Exception) -> str:
        shown = f"{method} raised {describe(error, module)}"
        # asked for with DOMAINKIT_DEBUG or --verbose: the traceback, messages included
        return f"{shown}\n{full_traceback(error)}" if debug_enabled() else shown

    module = type(pack).__module__
    problems: list[str] = []
    for spec in pack.tasks:
        try:
            data = pack.load_task(spec.name, seed=13)
        except Exception as error:  # a pack's own code: any failure is a finding
            problems.append(f"task {spec.name}: {raised('load_task', error)}")
            continue
        found = task_data_problems(spec, data)
        problems.extend(f"task {spec.name}: {problem}" for problem in found)
        if not isinstance(data, TaskData):
            continue
        if warnings is not None and not found:
            warnings.extend(f"task {spec.name}: {warning}" for warning in task_data_warnings(data))
        texts = [*data.train_texts, *data.test_texts]
        if all(isinstance(t, str) for t in texts) and \
                {normalise_text(t) for t in data.train_texts} & {normalise_text(t) for t in data.test_texts}:
            problems.append(f"task {spec.name}: texts in both train and test")
        try:
            pool = pack.load_pool(exclude=frozenset(data.test_texts), limit=5, seed=13)
        except Exception as error:
            problems.append(f"task {spec.name}: {raised('load_pool', error)}")
            continue
        problems.extend(f"task {spec.name}: {problem}" for problem in pool_problems(pool))
    return problems
