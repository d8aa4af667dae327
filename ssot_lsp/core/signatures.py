"""Constructor signatures: where a class's constructor receives the user context.

The construction fixes (SSOT002, SSOT003) move the user-context argument into the factory call.
``context-args`` says where it is; when it is silent the class definition does: the parameter
annotated with a class named in the group's ``context-types`` (by last name, also inside
``Optional[...]``, ``X | None`` and string annotations) or, failing that, the one named in
``context-params``. That is reading, not guessing — so an ambiguous signature (two candidates,
``*args`` / ``**kwargs`` that may swallow the context) yields no position but the reason.

The facts keep each constructor's parameters (``ParamFact``, from ``__init__`` and the class's
classmethods) so that this needs no syntax tree of the defining module.
"""

from __future__ import annotations

import ast
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ssot_lsp.config.model import ContextArg, Group

if TYPE_CHECKING:
    from ssot_lsp.core.facts import ClassFact
    from ssot_lsp.core.index import WorkspaceIndex

POSONLY, POS, KWONLY, VARARGS, VARKW = "posonly", "pos", "kwonly", "*", "**"


@dataclass(frozen=True)
class ParamFact:
    name: str
    kind: str  # POSONLY, POS, KWONLY, VARARGS or VARKW
    annotation: str = ""  # the annotation's source text ('' when none)


def params_of(fn: ast.FunctionDef | ast.AsyncFunctionDef, bound: bool) -> tuple[ParamFact, ...]:
    """The parameters a caller passes (``bound``: without ``self`` / ``cls``)."""
    a = fn.args

    def one(arg: ast.arg, kind: str) -> ParamFact:
        return ParamFact(arg.arg, kind, ast.unparse(arg.annotation) if arg.annotation is not None else "")

    out = [one(x, POSONLY) for x in a.posonlyargs] + [one(x, POS) for x in a.args]
    if bound and out:
        out = out[1:]
    if a.vararg is not None:
        out.append(one(a.vararg, VARARGS))
    out += [one(x, KWONLY) for x in a.kwonlyargs]
    if a.kwarg is not None:
        out.append(one(a.kwarg, VARKW))
    return tuple(out)


@lru_cache(maxsize=4096)
def annotation_names(text: str) -> frozenset[str]:
    """The last names of the classes an annotation allows: ``X``, ``Optional[X]``, ``X | None``,
    ``Union[X, None]``, ``"X"`` — not ``list[X]`` (a list of contexts is not a context).

    Remembered by text: a workspace's constructors are asked about from every file that calls them,
    and their few annotations were parsed again each time (1,200 parses, ~5 % of a cold check's rules)."""
    try:
        node: ast.expr = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return frozenset()
    return frozenset(_allowed(node, 0))


def _allowed(node: ast.expr, depth: int) -> AbstractSet[str]:
    if depth > 5:
        return set()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return annotation_names(node.value) if depth < 5 else set()
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _allowed(node.left, depth + 1) | _allowed(node.right, depth + 1)
    if isinstance(node, ast.Subscript):
        head = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
        if head in ("Optional", "Union", "Annotated"):
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if head == "Annotated":
                items = items[:1]
            return set().union(*(_allowed(item, depth + 1) for item in items))
    return set()


@dataclass(frozen=True)
class ContextFromSignature:
    """Where the constructor takes the user context (``arg``), or why that cannot be read (``reason``)."""

    arg: ContextArg | None
    reason: str = ""
    positional: tuple[str, ...] = ()  # names of the parameters a positional argument fills, in order
    keywords: frozenset[str] = frozenset()  # names a keyword argument may use
    takes_kwargs: bool = False


def constructor_params(index: WorkspaceIndex, module: str, name: str, method: str | None = None,
                       ) -> tuple[tuple[ParamFact, ...] | None, str]:
    """The parameters of ``module:name``'s constructor (``method``: a classmethod constructor),
    following workspace base classes; (None, why) when the index cannot say."""
    seen: set[tuple[str, str]] = set()
    wanted = method or "__init__"
    for _ in range(8):
        if (module, name) in seen:
            break
        seen.add((module, name))
        cls = index.class_fact(module, name)
        if cls is None:
            return None, f"the definition of {name} is not in the workspace"
        for defined, params in reversed(cls.signatures):  # the last definition wins
            if defined == wanted:
                return params, ""
        base = _first_workspace_base(index, module, cls)
        if base is None:
            what = f"{name}.{method}" if method else f"{name}'s constructor"
            return None, f"{what} is not defined in the workspace (inherited from outside it)" \
                if cls.bases else f"{name} defines no {wanted}"
        module, name = base
    return None, f"the constructor of {name} could not be followed through its base classes"


def _first_workspace_base(index: WorkspaceIndex, module: str, cls: ClassFact) -> tuple[str, str] | None:
    facts = index.get(module)
    if facts is None:
        return None
    for base in cls.bases:
        if not base or base in ("object", "Generic", "ABC", "Protocol"):
            continue
        ref = index.resolve_expr(facts, cls.scope, base)
        if ref is not None and ref.name is not None and not ref.attr and ref.kind == "class":
            return ref.module, ref.name
        return None  # the first base that defines anything is outside the workspace (or unknown)
    return None


def context_from_signature(group: Group, params: tuple[ParamFact, ...], what: str) -> ContextFromSignature:
    """The user-context parameter of ``params`` (the constructor of ``what``), by the group's
    ``context-types`` then ``context-params``."""
    positional = tuple(p.name for p in params if p.kind in (POSONLY, POS))
    keywords = frozenset(p.name for p in params if p.kind in (POS, KWONLY))
    takes_kwargs = any(p.kind == VARKW for p in params)
    shape = ContextFromSignature(None, "", positional, keywords, takes_kwargs)
    named = [p for p in params if p.kind not in (VARARGS, VARKW)]
    types = {t.rpartition(".")[2].rpartition(":")[2] for t in group.context_types}
    by_type = [p for p in named if p.annotation and annotation_names(p.annotation) & types]
    by_name = [p for p in named if p.name in group.context_params]
    candidates = by_type or by_name
    if len(candidates) > 1:
        how = "annotated with " + "/".join(sorted(types)) if by_type else "named in context-params"
        names = ", ".join(f"`{p.name}`" for p in candidates)
        return replace(shape, reason=f"the constructor of {what} has {len(candidates)} parameters {how} "
                                     f"({names}); which one is the user context is ambiguous")
    if not candidates:
        swallow = [("*" if p.kind == VARARGS else "**") + p.name for p in params if p.kind in (VARARGS, VARKW)]
        looked = " or ".join(filter(None, [
            f"annotated with {'/'.join(sorted(types))}" if types else "",
            f"named {'/'.join(group.context_params)}" if group.context_params else ""])) or \
            "(the group sets neither context-types nor context-params)"
        if swallow:
            return replace(shape, reason=f"the constructor of {what} takes {', '.join(swallow)}, which may "
                                         f"carry the user context (no parameter {looked})")
        return replace(shape, reason=f"the constructor of {what} has no parameter {looked}")
    param = candidates[0]
    index = positional.index(param.name) if param.name in positional else None
    return replace(shape, arg=ContextArg(index, param.name if param.kind != POSONLY else None))


def context_of(index: WorkspaceIndex, group: Group, module: str, name: str, method: str | None = None,
               ) -> ContextFromSignature:
    """Where the constructor of ``module:name`` (or its classmethod ``method``) takes the user context:
    ``context-args`` when it names the class, else the signature in the index."""
    qualname = f"{module}:{name}" + (f".{method}" if method else "")
    configured = group.context_args.get(qualname) or (None if method else group.context_args.get(f"{module}:{name}"))
    params, why = constructor_params(index, module, name, method)
    what = f"{name}.{method}" if method else name
    if params is None:
        if configured is not None:
            return ContextFromSignature(configured)
        return ContextFromSignature(None, f"{why}, and no context-args entry names {qualname}")
    found = context_from_signature(group, params, what)
    if configured is not None:
        return ContextFromSignature(configured, "", found.positional, found.keywords, found.takes_kwargs)
    return found
