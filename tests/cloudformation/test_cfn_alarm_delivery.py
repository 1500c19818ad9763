"""Every service that publishes to an SNS topic of the stack is allowed to by the topic's policy.

A topic policy replaces the default one: a publisher it does not name is refused, silently
(the alarm history says "not authorized to perform: SNS:Publish", no one is notified). The
publishers are derived from the template itself, so a new alarm or rule cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

# Where a resource names a topic as a place it publishes to, by resource type: the property
# path (with "*" for any list index) and the service principal that then calls sns:Publish.
PUBLISHING_PATHS: dict[str, dict[tuple[str, ...], str]] = {
    "AWS::CloudWatch::Alarm": {
        ("AlarmActions", "*"): "cloudwatch.amazonaws.com",
        ("OKActions", "*"): "cloudwatch.amazonaws.com",
        ("InsufficientDataActions", "*"): "cloudwatch.amazonaws.com",
    },
    "AWS::Events::Rule": {("Targets", "*", "Arn"): "events.amazonaws.com"},
    "AWS::S3::Bucket": {
        ("NotificationConfiguration", "TopicConfigurations", "*", "Topic"): "s3.amazonaws.com"
    },
}
# Resources that name a topic without publishing to it: its policy and its subscriptions.
NOT_PUBLISHING = {"AWS::SNS::TopicPolicy", "AWS::SNS::Subscription"}
ACCOUNT = {"Ref": "AWS::AccountId"}


@dataclass(frozen=True)
class Publisher:
    """A resource that publishes to a topic, and the service principal that does it."""

    resource: str
    principal: str
    topic: str


def _references(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _references(value, (*path, key))
    elif isinstance(node, list):
        for value in node:
            yield from _references(value, (*path, "*"))


def _names_topic(node: Any, topics: set[str]) -> str | None:
    if isinstance(node, dict) and node.get("Ref") in topics:
        return str(node["Ref"])
    if isinstance(node, dict) and "Fn::GetAtt" in node and node["Fn::GetAtt"][0] in topics:
        return str(node["Fn::GetAtt"][0])
    return None


def publishers(template: dict[str, Any]) -> list[Publisher]:
    """Every (resource, principal, topic) that publishes to a topic of the template.

    Raises:
        AssertionError: a resource names a topic somewhere this test does not know: decide
            whether it publishes and add it to PUBLISHING_PATHS or NOT_PUBLISHING.
    """
    resources = template["Resources"]
    topics = {name for name, r in resources.items() if r["Type"] == "AWS::SNS::Topic"}
    found = []
    for name, resource in resources.items():
        kind = resource["Type"]
        if kind in NOT_PUBLISHING:
            continue
        for path, node in _references(resource.get("Properties", {})):
            topic = _names_topic(node, topics)
            if topic is None:
                continue
            principal = PUBLISHING_PATHS.get(kind, {}).get(path)
            assert principal, f"{name} ({kind}) names topic {topic} at {'.'.join(path)}"
            found.append(Publisher(name, principal, topic))
    return found


def _allowed(statement: dict[str, Any], publisher: Publisher) -> bool:
    services = statement.get("Principal", {}).get("Service", [])
    actions = statement.get("Action", [])
    condition = statement.get("Condition", {})
    source_arns = [
        arn
        for operator in ("ArnEquals", "ArnLike")
        for arn in _as_list(condition.get(operator, {}).get("aws:SourceArn", []))
    ]
    return (
        statement.get("Effect") == "Allow"
        and publisher.principal in _as_list(services)
        and "sns:publish" in [action.lower() for action in _as_list(actions)]
        and statement.get("Resource") == {"Ref": publisher.topic}
        and {"Fn::GetAtt": [publisher.resource, "Arn"]} in source_arns
        and condition.get("StringEquals", {}).get("aws:SourceAccount") == ACCOUNT
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def refused_publishers(template: dict[str, Any]) -> list[Publisher]:
    """The publishers no topic policy statement allows (principal, source ARN and account)."""
    statements: dict[str, list[dict[str, Any]]] = {}
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::SNS::TopicPolicy":
            for topic in resource["Properties"]["Topics"]:
                document = resource["Properties"]["PolicyDocument"]
                statements.setdefault(topic["Ref"], []).extend(document["Statement"])
    return [
        publisher
        for publisher in publishers(template)
        if not any(_allowed(s, publisher) for s in statements.get(publisher.topic, []))
    ]


def test_every_publisher_of_the_alarm_topic_is_allowed(lake_template: dict[str, Any]) -> None:
    found = publishers(lake_template)
    assert {p.principal for p in found} >= {"cloudwatch.amazonaws.com", "events.amazonaws.com"}
    assert refused_publishers(lake_template) == []


def test_the_topic_policy_allows_no_service_that_does_not_publish(
    lake_template: dict[str, Any],
) -> None:
    principals = {p.principal for p in publishers(lake_template)}
    policy = lake_template["Resources"]["AlarmTopicPolicy"]["Properties"]["PolicyDocument"]
    allowed = {
        service
        for statement in policy["Statement"]
        for service in _as_list(statement["Principal"]["Service"])
    }
    assert allowed == principals


def _tiny_template(policy_statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Resources": {
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {}},
            "Alarm": {
                "Type": "AWS::CloudWatch::Alarm",
                "Properties": {"OKActions": [{"Ref": "Topic"}]},
            },
            "Policy": {
                "Type": "AWS::SNS::TopicPolicy",
                "Properties": {
                    "Topics": [{"Ref": "Topic"}],
                    "PolicyDocument": {"Statement": policy_statements},
                },
            },
        }
    }


def _statement(principal: str, condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": "sns:Publish",
        "Resource": {"Ref": "Topic"},
        "Condition": condition,
    }


SCOPED = {
    "ArnEquals": {"aws:SourceArn": [{"Fn::GetAtt": ["Alarm", "Arn"]}]},
    "StringEquals": {"aws:SourceAccount": ACCOUNT},
}


@pytest.mark.parametrize(
    ("statements", "refused"),
    [
        ([_statement("cloudwatch.amazonaws.com", SCOPED)], False),
        ([_statement("events.amazonaws.com", SCOPED)], True),  # the bug of issue 12
        ([_statement("cloudwatch.amazonaws.com", {"ArnEquals": SCOPED["ArnEquals"]})], True),
        ([_statement("cloudwatch.amazonaws.com", {})], True),
        ([], True),
    ],
    ids=["allowed", "wrong-service", "no-source-account", "unscoped", "no-statement"],
)
def test_the_check_refuses_a_policy_that_would_drop_an_alarm(
    statements: list[dict[str, Any]], refused: bool
) -> None:
    assert bool(refused_publishers(_tiny_template(statements))) is refused


def test_a_topic_named_anywhere_unknown_is_a_question_not_a_pass() -> None:
    template = _tiny_template([])
    template["Resources"]["OnFailure"] = {
        "Type": "AWS::Lambda::EventInvokeConfig",
        "Properties": {"DestinationConfig": {"OnFailure": {"Destination": {"Ref": "Topic"}}}},
    }
    with pytest.raises(AssertionError, match=r"OnFailure .* names topic Topic"):
        publishers(template)
