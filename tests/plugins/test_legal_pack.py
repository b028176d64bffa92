"""The built-in legal pack (plugins/legal): contract, tasks and pool on the real corpora."""

from __future__ import annotations

import pytest
from pack_checks import check_attributes, check_groups_never_straddle, check_import_is_light, check_task_data, load_entry_point

from domainkit.data.splits import normalise_text
from domainkit.errors import PackError

SEED = 13


@pytest.fixture(scope="module")
def legal(corpus_home):
    return load_entry_point("legal")()


def test_legal_pack_meets_the_contract() -> None:
    pack_class = load_entry_point("legal")
    check_attributes(pack_class, "nlpaueb/legal-bert-base-uncased")
    assert pack_class.deid_policy.enabled
    category = pack_class().task("license-category")
    assert category.long_documents and category.max_length >= 256


def test_legal_pack_import_is_light() -> None:
    check_import_is_light("domainkit_legal.pack")


def test_legal_pack_unknown_task_names_the_choices() -> None:
    with pytest.raises(PackError, match="license-notice"):
        load_entry_point("legal")().load_task("licence-notice", seed=SEED)


@pytest.mark.slow
@pytest.mark.parametrize("task", ["license-category", "license-notice"])
def test_legal_pack_load_task_gives_a_grouped_stable_split(legal, task: str) -> None:
    data = legal.load_task(task, seed=SEED)
    check_task_data(data, legal.task(task), SEED)
    assert data.test_texts == legal.load_task(task, seed=SEED).test_texts
    assert data.test_texts != legal.load_task(task, seed=SEED + 1).test_texts


@pytest.mark.slow
@pytest.mark.parametrize("task", ["license-category", "license-notice"])
def test_legal_pack_near_duplicate_groups_never_straddle(legal, task: str) -> None:
    from domainkit_legal import tasks

    examples = tasks._examples(task)
    data = legal.load_task(task, seed=SEED)
    check_groups_never_straddle(data, examples.texts, tasks._groups(task, examples))
    if task == "license-category":
        assert "Permissive" in data.label_names and "Copyleft" in data.label_names


@pytest.mark.slow
def test_legal_pack_pool_excludes_test_texts_and_is_passages(legal) -> None:
    pool = legal.load_pool(exclude=frozenset(), limit=None, seed=SEED)
    assert len(pool) > 20_000
    assert max(len(t.split()) for t in pool) <= 180
    pool_norm = {normalise_text(t) for t in pool}
    for task in ("license-category", "license-notice"):
        test = {normalise_text(t) for t in legal.load_task(task, seed=SEED).test_texts}
        assert not pool_norm & test, task


def test_legal_pack_deid_keeps_defined_terms():
    from domainkit_legal.pack import LegalPack

    from domainkit.deid import Deidentifier

    deid = Deidentifier(LegalPack.deid_policy)
    for text in ("The Licensee may distribute the Source Code under Section 2 of this Agreement.",
                 "Fees are paid by Reseller to Licensor, and support is provided to Customer.",
                 "No right to Reproduce is granted in Subsection 4.1.",
                 "IN NO EVENT SHALL THE AUTHORS BE LIABLE UNDER THIS EULA.",
                 "The Rightsholder may ship the Redistributables with FOSS components under CERN-OHL-S.",
                 # Public bodies and regions of export clauses: Commerce and Industry are also towns.
                 "Export rules of the U.S. Department of Commerce, Bureau of Industry and Security, apply.",
                 "No export to the Middle East; a Maintenance Pack is sold separately.",
                 # towns the clinical rules widen to are jurisdictions, countries or products here
                 "Governed by the laws of England and Wales. No export to Croatia, Georgia, Hungary, Macedonia.",
                 "You shall indemnify Oracle; the Gateway is licensed under the Bison special exception."):
        assert deid.redact(text).text == text


def test_legal_pack_deid_keeps_jurisdictions_and_redacts_bank_details():
    from domainkit_legal.pack import LegalPack

    from domainkit.deid import Deidentifier

    deid = Deidentifier(LegalPack.deid_policy)
    kept = "This Agreement shall be governed by the laws of England and Wales and the courts of Munich."
    assert deid.redact(kept).text == kept
    text = "Pay IBAN DE89 3704 0044 0532 0130 00 (BIC DEUTDEFFXXX) to 45 Rue de Rivoli, 75001 Paris."
    assert deid.redact(text).text == "Pay IBAN [ID] (BIC [ID]) to [ADDRESS], [ADDRESS] Paris."
