"""Check stack parameter values against the template's constraints before anything is uploaded."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from deploy.stack import DeployError


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def parameter_problem(name: str, value: str, spec: Mapping[str, Any]) -> str | None:
    """Why CloudFormation would refuse `value` for parameter `name` declared as `spec`, or None.

    The same rules CloudFormation applies (`Type: Number`, `AllowedValues`, `AllowedPattern`,
    `MinValue`/`MaxValue`), so that `make deploy` fails in a second, before uploading, with the
    template's own `ConstraintDescription`.
    """
    hint = f" ({spec['ConstraintDescription']})" if "ConstraintDescription" in spec else ""
    allowed = spec.get("AllowedValues")
    if allowed is not None and value not in [str(choice) for choice in allowed]:
        return f"{name}={value!r}: choose from {', '.join(str(choice) for choice in allowed)}"
    pattern = spec.get("AllowedPattern")
    if pattern is not None and not re.fullmatch(pattern, value):
        return f"{name}={value!r} does not match {pattern}{hint}"
    if spec.get("Type") == "Number":
        number = _number(value)
        if number is None:
            return f"{name}={value!r}: expected a number"
        if "MinValue" in spec and number < float(spec["MinValue"]):
            return f"{name}={value}: at least {spec['MinValue']}{hint}"
        if "MaxValue" in spec and number > float(spec["MaxValue"]):
            return f"{name}={value}: at most {spec['MaxValue']}{hint}"
    return None


def check_parameter_values(
    parameters: Mapping[str, str], specs: Mapping[str, Mapping[str, Any]]
) -> None:
    """Raise one `DeployError` listing every value the template would refuse."""
    problems = [
        problem
        for name, value in sorted(parameters.items())
        if (problem := parameter_problem(name, value, specs[name])) is not None
    ]
    if problems:
        raise DeployError("invalid --parameter value(s): " + "; ".join(problems))
