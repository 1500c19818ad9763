"""The named-queries template is generated from athena/queries/*.sql and must match them."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.cfn_yaml import load_template
from deploy.named_queries import (
    QUERIES_DIR,
    TEMPLATE_PATH,
    NamedQueryError,
    read_queries,
    read_query,
    render,
)


def test_committed_template_is_regenerated_unchanged() -> None:
    assert TEMPLATE_PATH.read_text(encoding="utf-8") == render(read_queries()), (
        "cloudformation/named-queries.yaml is stale: run `python -m deploy.named_queries`"
    )


def test_every_query_file_is_one_named_query_with_its_question() -> None:
    resources = load_template(TEMPLATE_PATH)["Resources"]
    expected = {}
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        expected[path.stem] = {
            "Name": path.stem,
            "Description": text.splitlines()[0].removeprefix("--").strip(),
            "Database": {"Ref": "DatabaseName"},
            "WorkGroup": {"Ref": "WorkGroupName"},
            "QueryString": text,
        }
    actual = {
        r["Properties"]["Name"]: r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Athena::NamedQuery"
    }
    assert actual == expected


def test_nested_stack_receives_the_database_and_workgroup(resources: dict) -> None:
    nested = resources["NamedQueries"]["Properties"]
    assert nested["TemplateURL"] == TEMPLATE_PATH.name
    assert nested["Parameters"] == {
        "DatabaseName": {"Ref": "GlueDatabase"},
        "WorkGroupName": {"Ref": "AthenaWorkGroup"},
    }


def test_no_queries_still_give_a_deployable_template(tmp_path: Path) -> None:
    template = load_template_text(render(read_queries(tmp_path)), tmp_path)
    assert list(template["Resources"]) == ["NoNamedQueries"]


def load_template_text(text: str, folder: Path) -> dict:
    path = folder / "t.yaml"
    path.write_text(text, encoding="utf-8")
    return load_template(path)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("top-10.sql", "-- Q?\nSELECT 1", "snake_case"),
        ("top_10.sql", "SELECT 1", "first line must be a comment"),
        ("top_10.sql", "--   \nSELECT 1", "first line must be a comment"),
        ("top_10.sql", "", "first line must be a comment"),
        ("top_10.sql", "-- " + "x" * 1025, "over 1024 characters"),
    ],
)
def test_bad_query_files_are_refused_with_the_file_named(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NamedQueryError, match=message) as raised:
        read_query(path)
    assert str(path) in str(raised.value)


def test_a_multiline_question_keeps_only_the_first_line(tmp_path: Path) -> None:
    (tmp_path / "a_b.sql").write_text("-- Which song?\n-- details\nSELECT 1\n", encoding="utf-8")
    [query] = read_queries(tmp_path)
    assert (query.name, query.question, query.logical_id) == ("a_b", "Which song?", "ABQuery")
