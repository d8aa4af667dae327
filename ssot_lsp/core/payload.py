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
from collections.abc import Callable, Sequence
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

    def max_severity(self) -> str | None:
        """The most severe this finding may be, whatever the configuration says (None: no limit);
        a test double is at most information."""
        return None

    def manual_text(self) -> str:
        """What to do by hand when the finding has no automatic fix ('' when nothing to add)."""
        return ""

    def expected_fix(self, declared: str, siblings: Sequence[Payload]) -> str | None:
        """The fix `ssot-lsp fix` is expected to make of this finding — ``"safe"``, ``"unsafe"`` or
        None — from the rule's ``declared`` safety (``"safe"``, ``"unsafe"``, ``"per-site"``) and the
        payload's own facts, cheaply (no parse, no libcst). ``siblings``: the payloads of the other
        findings in the same file. A payload that says what to do by hand has no fix; a per-site rule's
        payload decides (by default: no fix expected)."""
        if self.manual_text() or declared == "per-site":
            return None
        return declared

    def migrates_to(self) -> str | None:
        """The ``module:Name`` the code should use instead, or ``"none"`` when nothing replaces it
        automatically (the group's `replacements`); None when the finding does not say (hover then
        shows the group's canonical class)."""
        return None

    def to_wire(self) -> dict[str, Any]:
        serialise = _SERIALISERS.get(type(self)) or _serialiser(type(self))
        return serialise(self)

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
    key = _CAMEL.get(name)
    if key is None:
        head, *rest = name.split("_")
        key = _CAMEL[name] = head + "".join(part.capitalize() for part in rest)
    return key


_CAMEL: dict[str, str] = {}


_PLAIN = (str, int, bool, type(None))
_SERIALISERS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _serialiser(cls: type[Payload]) -> Callable[[Any], dict[str, Any]]:
    """A function building the wire dict of one payload class, generated once per class: the server
    serialises every finding of a document on every keystroke, and a generic loop over the fields
    cost as much as the analysis."""
    hints = _hints(cls)
    items = [f'"kind": {cls.KIND!r}']
    for item in dataclasses.fields(cls):
        hint = hints[item.name]
        if hint in _PLAIN or all(arg in _PLAIN for arg in typing.get_args(hint) or (object,)):
            value = f"self.{item.name}"
        elif hint is Span:
            value = f"span(self.{item.name})"
        else:
            value = f"convert(self.{item.name})"
        items.append(f"{camel(item.name)!r}: {value}")
    namespace: dict[str, Any] = {"convert": _to_wire_value, "span": _span}
    exec(f"def to_wire(self):\n    return {{{', '.join(items)}}}\n", namespace)  # noqa: S102 - our own fields
    serialise: Callable[[Any], dict[str, Any]] = namespace["to_wire"]
    _SERIALISERS[cls] = serialise
    return serialise


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
        names = _NESTED.get(type(value))
        if names is None:
            names = _NESTED[type(value)] = tuple((f.name, camel(f.name)) for f in dataclasses.fields(value))
        return {key: _to_wire_value(getattr(value, name)) for name, key in names}
    return value


_NESTED: dict[type, tuple[tuple[str, str], ...]] = {}


def _span(span: Span) -> list[int]:
    return [span.line, span.col, span.end_line, span.end_col]


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
