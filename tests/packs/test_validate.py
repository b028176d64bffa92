from domainkit.packs.contract import DomainPack, TaskSpec
from domainkit.packs.validate import contract_problems


class Incomplete(DomainPack):
    name = "incomplete"
    description = "lacks corpora and methods"
    tasks = (TaskSpec(name="t", kind="single_label", description="d"),)


def test_validate_names_missing_attributes():
    problems = contract_problems(Incomplete)
    assert problems == ["missing required attribute(s): corpora, teacher_chain, deid_policy"]


def test_validate_rejects_non_class():
    assert "must name a class" in contract_problems(object())[0]


def test_validate_checks_entry_point_name(fake_packs):
    from fakepack_good import Pack

    assert contract_problems(Pack, entry_point_name="good") == []
    assert "differs" in contract_problems(Pack, entry_point_name="other")[0]
