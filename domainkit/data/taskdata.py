"""The labelled data of one task, already split, as every stage consumes it.

Labels are kept as strings (``label_names`` gives the order used for ids) so a
run folder stays readable; ``*_label_ids`` give the integer form models need.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

SINGLE_LABEL = "single_label"
MULTI_LABEL = "multi_label"
#: The task name of a run on the user's own documents (``--data``).
OWN_DOCUMENTS_TASK = "own-documents"
TOKEN = "token"
HEAD_KINDS = (SINGLE_LABEL, MULTI_LABEL, TOKEN)
#: The kinds ``domainkit run`` trains, evaluates and exports end to end (a pack's tasks must be one).
RUN_KINDS = (SINGLE_LABEL, MULTI_LABEL)


def opaque_groups(groups: list[str]) -> list[str]:
    """Group names as they are written: ``g0, g1, ...`` numbered in order of first appearance.

    The names the split works with are hashes of raw, not yet de-identified text (see
    ``splits.near_duplicate_groups``): written out, they would let anyone holding the run folder
    test guesses of a redacted identifier against them. Later stages compare groups only for
    equality, which numbers keep; the split itself was made with the hashed names before any of
    this is written, so it is unchanged.
    """
    numbers: dict[str, int] = {}
    return [f"g{numbers.setdefault(group, len(numbers))}" for group in groups]


@dataclass
class TaskData:
    """A task's train and test splits.

    For ``single_label`` each label is a string; for ``multi_label`` each is a
    list of strings. ``train_groups`` (optional) name the near-duplicate group
    of each training text, so that later splits (validation) respect them too;
    they are written as opaque numbers (:func:`opaque_groups`).
    ``split_info`` records how the split was made (seed, method, counts) and
    is written into the run folder. ``validation_*`` (optional, empty by
    default) hold documents split off the training data for choices made
    after training, such as multi-label thresholds; models never train on them.
    """

    task: str
    kind: str
    label_names: list[str]
    train_texts: list[str]
    train_labels: list[Any]
    test_texts: list[str]
    test_labels: list[Any]
    split_info: dict[str, Any] = field(default_factory=dict)
    train_groups: list[str] | None = None
    validation_texts: list[str] = field(default_factory=list)
    validation_labels: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in HEAD_KINDS:
            raise ValueError(f"unknown task kind {self.kind!r}; available: {', '.join(HEAD_KINDS)}")
        for split, texts, labels in (
            ("train", self.train_texts, self.train_labels),
            ("test", self.test_texts, self.test_labels),
            ("validation", self.validation_texts, self.validation_labels),
        ):
            if len(texts) != len(labels):
                raise ValueError(
                    f"task {self.task!r}: {split} has {len(texts)} texts but {len(labels)} labels"
                )

    @property
    def multi_label(self) -> bool:
        return self.kind == MULTI_LABEL

    def label_index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.label_names)}

    def _ids(self, labels: list[Any]) -> list[Any]:
        index = self.label_index()
        if self.multi_label:
            return [[index[name] for name in row] for row in labels]
        return [index[name] for name in labels]

    @property
    def train_label_ids(self) -> list[Any]:
        return self._ids(self.train_labels)

    @property
    def test_label_ids(self) -> list[Any]:
        return self._ids(self.test_labels)

    @property
    def validation_label_ids(self) -> list[Any]:
        return self._ids(self.validation_labels)

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "kind": self.kind,
            "label_names": self.label_names,
            "train_texts": self.train_texts,
            "train_labels": self.train_labels,
            "test_texts": self.test_texts,
            "test_labels": self.test_labels,
            "split_info": self.split_info,
            "train_groups": None if self.train_groups is None else opaque_groups(self.train_groups),
            "validation_texts": self.validation_texts,
            "validation_labels": self.validation_labels,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaskData:
        return cls(**data)

    def subsample(self, max_train: int | None, max_test: int | None, seed: int) -> TaskData:
        """A smaller copy for fast presets: keeps every class present where possible."""
        from domainkit.data.sampling import stratified_head

        train_idx = stratified_head(self.train_labels, max_train, seed)
        test_idx = stratified_head(self.test_labels, max_test, seed)
        info = dict(self.split_info, subsample={"max_train": max_train, "max_test": max_test, "seed": seed})
        return TaskData(
            task=self.task,
            kind=self.kind,
            label_names=self.label_names,
            train_texts=[self.train_texts[i] for i in train_idx],
            train_labels=[self.train_labels[i] for i in train_idx],
            test_texts=[self.test_texts[i] for i in test_idx],
            test_labels=[self.test_labels[i] for i in test_idx],
            split_info=info,
            train_groups=None if self.train_groups is None else [self.train_groups[i] for i in train_idx],
            validation_texts=self.validation_texts,
            validation_labels=self.validation_labels,
        )

    def with_training_windows(self, tokenizer, *, max_length: int, stride: int, max_windows: int,
                              selection: str = "first") -> TaskData:
        """A copy whose training split is the long documents' windows, each labelled as its document.

        Evaluation pools the logits of ``max_windows`` windows of a document
        picked by ``selection``, so training sees windows picked the same way (see
        :func:`domainkit.heads.long_document.window_texts`). A window keeps
        its document's group, so a later validation split never separates
        windows of one document. Test and validation stay whole documents.
        """
        from domainkit.heads.long_document import window_texts

        windows, owner = window_texts(
            tokenizer, self.train_texts, max_length=max_length, stride=stride, max_windows=max_windows,
            selection=selection,
        )
        groups = self.train_groups or [f"document-{i}" for i in range(len(self.train_texts))]
        info = dict(self.split_info, training_windows={
            "documents": len(set(owner)), "windows": len(windows), "max_windows": max_windows,
            "max_length": max_length, "stride": stride, "selection": selection,
        })
        return replace(
            self,
            train_texts=windows,
            train_labels=[self.train_labels[i] for i in owner],
            train_groups=[groups[i] for i in owner],
            split_info=info,
        )

    def split_validation(self, fraction: float, seed: int) -> TaskData:
        """Move a grouped, stratified ``fraction`` of the training split to validation.

        Near-duplicate groups stay on one side (as for train/test); multi-label
        rows are stratified on their rarest label. The split is seeded and
        recorded in ``split_info["validation"]``.
        """
        from domainkit.data.splits import grouped_stratified_split, label_partition, stratum_of_multilabel

        groups = self.train_groups or [str(i) for i in range(len(self.train_texts))]
        strata = stratum_of_multilabel(self.train_labels) if self.multi_label else label_partition(self.train_labels)
        fit_idx, val_idx = grouped_stratified_split(strata, groups, test_size=fraction, seed=seed)
        info = dict(self.split_info, validation={"fraction": fraction, "seed": seed, "n_train": len(fit_idx),
                                                 "n_validation": len(val_idx), "method": "grouped stratified"})
        return replace(
            self, split_info=info,
            train_texts=[self.train_texts[i] for i in fit_idx], train_labels=[self.train_labels[i] for i in fit_idx],
            train_groups=None if self.train_groups is None else [self.train_groups[i] for i in fit_idx],
            validation_texts=[self.train_texts[i] for i in val_idx],
            validation_labels=[self.train_labels[i] for i in val_idx],
        )
