"""What a finding carries besides its message: one frozen dataclass per kind of finding.

A rule fills its payload with what its fix and the hover need (the names involved, where the
call is, whether it is awaited), so that code actions never analyse again. Inside the process the
payload is a typed object; only at the edge — the LSP diagnostic's ``data`` and the JSON report —
is it serialised, with camelCase keys and a ``kind`` field, by ``to_wire``; ``from_wire`` reads
such a dict back (the server rebuilds a finding from a client's diagnostic). Each payload type
lives in the module of the rule that reports it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, ClassVar, TypeVar

from ssot_lsp.core.text import Span

P = TypeVar("P", bound="Payload")


@dataclasses.dataclass(frozen=True)
class Payload:
    """Base of every payload; ``KIND`` names it on the wire."""

    KIND: ClassVar[str] = ""

    def default_severity(self) -> str | None:
        """A severity that replaces the rule's default for this finding (None: the rule's)."""
        return None

    def manual_text(self) -> str:
        """What to do by hand when the finding has no automatic fix ('' when nothing to add)."""
        return ""

    def to_wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.KIND}
        for name, key in _wire_names(type(self)):
            out[key] = _to_wire_value(getattr(self, name))
        return out

    @classmethod
    def from_wire(cls: type[P], data: dict[str, Any]) -> P:
        """The payload of a wire dict; raises ValueError or TypeError for one that does not fit."""
        hints = _hints(cls)
        values: dict[str, Any] = {}
        for item in dataclasses.fields(cls):
            key = camel(item.name)
            if key in data:
                values[item.name] = _from_wire_value(hints[item.name], data[key])
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class NoPayload(Payload):
    """For findings built outside a rule (tests, a diagnostic without data)."""

    KIND: ClassVar[str] = "none"


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _wire_names(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, wire key) of a payload class's fields (diagnostics are serialised on every keystroke)."""
    names = _WIRE_NAMES.get(cls)
    if names is None:
        names = _WIRE_NAMES[cls] = tuple((f.name, camel(f.name)) for f in dataclasses.fields(cls))
    return names


_WIRE_NAMES: dict[type, tuple[tuple[str, str], ...]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


_HINTS: dict[type, dict[str, Any]] = {}


def _to_wire_value(value: object) -> object:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, Span):
        return [value.line, value.col, value.end_line, value.end_col]
    if isinstance(value, tuple):
        return [_to_wire_value(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {camel(f.name): _to_wire_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _from_wire_value(hint: Any, value: object) -> object:
    if value is None:
        return None
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        hint = args[0] if len(args) == 1 else hint
        origin = typing.get_origin(hint)
    if hint is Span:
        if not isinstance(value, (list, tuple)) or len(value) != 4:
            raise ValueError(f"expected a span [line, col, end_line, end_col], got {value!r}")
        return Span(*(int(v) for v in value))
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, got {value!r}")
        return tuple(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {value!r}")
        inner = _hints(hint)
        return hint(**{f.name: _from_wire_value(inner[f.name], value.get(camel(f.name)))
                       for f in dataclasses.fields(hint) if camel(f.name) in value})
    if hint in (str, int, bool) and not isinstance(value, hint):
        raise TypeError(f"expected {hint.__name__}, got {value!r}")
    return value
