"""The `fields` query filter: `a,b.c,items(added_at,track(name,album(!images)))`."""

from __future__ import annotations

from typing import Any

FieldSpec = dict[str, Any]  # name -> sub-spec (None: the whole value); "!" key: excluded names


class FieldsSyntaxError(ValueError):
    """The `fields` value does not parse (the API answers 400)."""


def parse_fields(text: str) -> FieldSpec:
    """Parse a `fields` value into a nested spec.

    Supported: comma lists, dots for nesting (`added_by.id`), parentheses for nesting
    (`items(added_at,track(name))`) and `!` exclusions inside a group (`album(!images)`).
    """
    compact = text.replace(" ", "")
    spec, position = _parse_group(compact, 0)
    if position != len(compact):
        unexpected = compact[position]
        raise FieldsSyntaxError(f"unexpected {unexpected!r} at {position} in fields={text!r}")
    return spec


def _parse_name(text: str, position: int) -> tuple[str, int]:
    start = position
    while position < len(text) and (text[position].isalnum() or text[position] == "_"):
        position += 1
    if position == start:
        raise FieldsSyntaxError(f"a field name is expected at {position} in fields={text!r}")
    return text[start:position], position


def _parse_group(text: str, position: int) -> tuple[FieldSpec, int]:
    spec: FieldSpec = {}
    excluded: set[str] = set()
    while True:
        negate = position < len(text) and text[position] == "!"
        name, position = _parse_name(text, position + negate)
        sub: FieldSpec | None = None
        if position < len(text) and text[position] == ".":
            sub, position = _parse_path(text, position + 1)
        elif position < len(text) and text[position] == "(":
            sub, position = _parse_group(text, position + 1)
            if position >= len(text) or text[position] != ")":
                raise FieldsSyntaxError(f"missing ')' in fields={text!r}")
            position += 1
        if negate:
            excluded.add(name)
        else:
            spec[name] = _merge(spec.get(name, {}), sub) if name in spec else sub
        if position < len(text) and text[position] == ",":
            position += 1
            continue
        break
    if excluded:
        spec["!"] = excluded
    return spec, position


def _parse_path(text: str, position: int) -> tuple[FieldSpec, int]:
    """`b.c` after `a.`: a one-field group."""
    name, position = _parse_name(text, position)
    sub: FieldSpec | None = None
    if position < len(text) and text[position] == ".":
        sub, position = _parse_path(text, position + 1)
    elif position < len(text) and text[position] == "(":
        sub, position = _parse_group(text, position + 1)
        if position >= len(text) or text[position] != ")":
            raise FieldsSyntaxError(f"missing ')' in fields={text!r}")
        position += 1
    return {name: sub}, position


def _merge(left: FieldSpec | None, right: FieldSpec | None) -> FieldSpec | None:
    """`a.b,a.c` asks for both; a bare `a` anywhere asks for all of `a`."""
    if left is None or right is None:
        return None
    merged = dict(left)
    for key, value in right.items():
        merged[key] = _merge(merged[key], value) if key in merged else value
    return merged


def apply_fields(value: Any, spec: FieldSpec | None) -> Any:
    """Keep what `spec` asks for; lists are filtered element by element; nulls stay null."""
    if spec is None or value is None:
        return value
    if isinstance(value, list):
        return [apply_fields(element, spec) for element in value]
    if not isinstance(value, dict):
        return value
    excluded = spec.get("!", set())
    wanted = {k: v for k, v in spec.items() if k != "!"}
    if wanted:
        return {k: apply_fields(value[k], wanted[k]) for k in wanted if k in value}
    return {k: v for k, v in value.items() if k not in excluded}
