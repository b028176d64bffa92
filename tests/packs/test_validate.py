import pytest

from domainkit.deid.policy import DeidPolicy
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


def _spec(kind="single_label"):
    return TaskSpec(name="t", kind=kind, description="d")


def _data(**changes):
    from domainkit.data.taskdata import TaskData

    values = dict(task="t", kind="single_label", label_names=["a", "b"], train_texts=["x one", "y two"],
                  train_labels=["a", "b"], test_texts=["z three"], test_labels=["b"])
    return TaskData(**{**values, **changes})


def test_validate_task_data_of_the_wrong_type_names_what_was_expected():
    from domainkit.packs.validate import task_data_problems

    problems = task_data_problems(_spec(), {"train_texts": []})
    assert problems == ["load_task returned dict, expected domainkit.data.taskdata.TaskData "
                        "(domainkit.data.splits.build_task_data builds one from texts and labels)"]


def test_validate_a_single_class_task_is_refused_without_quoting_the_label():
    from domainkit.packs.validate import task_data_problems

    one = _data(label_names=["Patient John"], train_labels=["Patient John"] * 2, test_labels=["Patient John"])
    problems = task_data_problems(_spec(), one)
    assert any("a classifier needs at least two classes" in p for p in problems)
    assert "John" not in str(problems)
    train_one_class = task_data_problems(_spec(), _data(train_labels=["a", "a"]))
    assert train_one_class == ["the train split holds a single class; a classifier needs examples of at least two"]


def test_validate_labels_outside_label_names_are_counted_by_split_not_quoted():
    from domainkit.packs.validate import task_data_problems

    problems = task_data_problems(_spec(), _data(test_labels=["Smith"]))
    assert problems == ["test labels outside label_names: 1 distinct (not shown); "
                        "add them to label_names or correct the labels"]
    multi = _data(kind="multi_label", train_labels=[["a"], "b"], test_labels=[["a", "b"]])
    assert task_data_problems(_spec("multi_label"), multi)[0].startswith("train labels must be lists")


@pytest.mark.parametrize(("kind", "train", "test", "found"), [
    ("single_label", [["a"], ["b"]], [["a"]], ["train labels: 2 not a str", "test labels: 1 not a str"]),
    ("single_label", ["a", 1], [None], ["train labels: 1 not a str", "test labels: 1 not a str"]),
    ("multi_label", [["a", ["b"]], [2]], [["b"]], ["train labels: 2 not a str"]),
])
def test_validate_labels_that_are_not_str_are_a_problem_not_a_type_error(kind, train, test, found):
    """A single_label task handed lists (unhashable) used to crash the check with TypeError."""
    from domainkit.packs.validate import task_data_problems

    problems = task_data_problems(_spec(kind), _data(kind=kind, train_labels=train, test_labels=test))
    assert [p.split(" (not shown)")[0] for p in problems] == found
    what_to_do = "declare the task multi_label" if kind == "single_label" else "must hold label names (str)"
    assert all(what_to_do in p for p in problems)


def test_validate_label_names_that_are_not_str_are_a_problem():
    from domainkit.packs.validate import task_data_problems

    problems = task_data_problems(_spec(), _data(label_names=["a", ["b"]], train_labels=["a", "a"]))
    assert "label_names must be a list of str (the names the model gives its predictions)" in problems


def test_validate_kind_task_and_text_mismatches():
    from domainkit.packs.validate import task_data_problems

    problems = task_data_problems(_spec(), _data(task="other", train_texts=["x", " "]))
    assert "load_task('t') returned the data of task 'other'" in problems
    assert "1 train text(s) empty or not a str" in problems
    assert task_data_problems(_spec("multi_label"), _data())[0].startswith("load_task returned kind 'single_label'")


@pytest.mark.parametrize(("pool", "problem"), [
    ("one text", "load_pool returned str, expected list[str]"),
    (("a", "b"), "load_pool returned tuple, expected list[str]"),
    (["a", 3, None], "load_pool returned a list holding 2 item(s) that are not str, expected list[str]"),
])
def test_validate_pool_must_be_a_list_of_str(pool, problem):
    from domainkit.packs.validate import pool_problems

    assert pool_problems(pool) == [problem]
    assert pool_problems(["a", "b"]) == []


def test_validate_data_problems_report_wrong_returns_without_a_traceback(fake_packs, monkeypatch):
    from fakepack_good import Pack

    from domainkit.packs.validate import data_problems

    monkeypatch.setattr(Pack, "load_pool", lambda self, **kw: "unlabelled text as one string")
    assert data_problems(Pack()) == ["task topic: load_pool returned str, expected list[str]"]
    monkeypatch.setattr(Pack, "load_task", lambda self, task, *, seed: {"train_texts": []})
    assert data_problems(Pack())[0].startswith("task topic: load_task returned dict, expected")


def test_validate_a_token_task_breaks_the_contract_listing_the_kinds_run_supports():
    class Tokens(Incomplete):
        name = "tokens"
        tasks = (TaskSpec(name="tags", kind="token", description="d"),)
        corpora = ()
        teacher_chain = ("store:all-mpnet-base-v2",)
        deid_policy = DeidPolicy(enabled=False)

        def load_task(self, task, *, seed):
            raise NotImplementedError

        def load_pool(self, *, exclude, limit, seed):
            return []

    assert contract_problems(Tokens) == ["task 'tags': kind 'token' is not supported by domainkit run, which trains "
                                         "document classifiers; declare one of single_label, multi_label"]


@pytest.mark.parametrize(("version", "remedy"), [(2, "upgrade domainkit (pip install -U domainkit)"),
                                                  (0, "install a release of the pack made for api_version 1")])
def test_validate_api_version_problem_says_what_to_do(version, remedy):
    class Other(Incomplete):
        api_version = version

    (problem,) = contract_problems(Other)
    assert problem.startswith(f"api_version {version} is not supported") and remedy in problem
