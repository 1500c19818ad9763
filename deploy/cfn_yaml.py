"""Read CloudFormation YAML (short-form tags such as !Ref, !Sub, !GetAtt) into plain data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = REPO_ROOT / "cloudformation"
# Short-form intrinsic functions and the long form they stand for.
SHORT_TAGS = (
    "Base64",
    "Cidr",
    "Condition",
    "Equals",
    "FindInMap",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Not",
    "Or",
    "And",
    "Select",
    "Split",
    "Sub",
    "Transform",
    "Ref",
    "GetAtt",
    # Rule-only functions.
    "Contains",
    "EachMemberEquals",
    "EachMemberIn",
    "RefAll",
    "ValueOf",
    "ValueOfAll",
)


class CfnLoader(yaml.SafeLoader):
    """A safe loader that turns `!Fn value` into `{"Fn::Fn": value}` (`!Ref` into `Ref`)."""


def _construct(tag: str) -> Any:
    key = tag if tag in ("Ref", "Condition") else f"Fn::{tag}"

    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if tag == "GetAtt":
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return {key: value}

    return construct


for _tag in SHORT_TAGS:
    CfnLoader.add_constructor(f"!{_tag}", _construct(_tag))


def load_template(path: Path) -> dict[str, Any]:
    """Parse one template file into dictionaries and lists."""
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=CfnLoader)  # noqa: S506
    if not isinstance(document, dict):
        raise ValueError(f"{path} is not a CloudFormation template (no top-level mapping)")
    return document
