"""What a method does, read from its body: declared (abstract or a stub), forwarded, or its own work.

Discovery asks this of a class's methods (``ssot_lsp.core.classify``): a class whose event methods
only declare or forward does not deliver events itself (an interface, a null object, a thin wrapper
around the canonical emitter), and an interface is no second implementation. Recorded as one word
per method in ``ClassFact.method_kinds`` so that discovery never needs the syntax tree.
"""

from __future__ import annotations

import ast

ABSTRACT = "abstract"  # decorated with @abstractmethod (or abstractclassmethod, ...)
STUB = "stub"  # body only a docstring, `...`, `pass` or `raise NotImplementedError`
DELEGATE = "delegate"  # body only forwards to a method of the same name on another object or super()
OWN = ""  # anything else: the method does its own work

DECLARED = frozenset({ABSTRACT, STUB})
NOT_OWN = frozenset({ABSTRACT, STUB, DELEGATE})

_ABSTRACT_DECORATORS = frozenset({"abstractmethod", "abstractclassmethod", "abstractstaticmethod",
                                  "abstractproperty"})


def method_kind(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    if any(_decorator_name(d) in _ABSTRACT_DECORATORS for d in node.decorator_list):
        return ABSTRACT
    body = node.body
    if body and _is_docstring(body[0]):
        body = body[1:]
    if not body:
        return STUB
    if len(body) != 1:
        return OWN
    (only,) = body
    if _is_stub_statement(only):
        return STUB
    if _forwards(only, node.name):
        return DELEGATE
    return OWN


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _is_stub_statement(node: ast.stmt) -> bool:
    if isinstance(node, ast.Pass):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and node.value.value is Ellipsis:
        return True
    if isinstance(node, ast.Raise) and node.exc is not None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False


def _forwards(node: ast.stmt, name: str) -> bool:
    """``x.same(...)``, ``await x.same(...)``, ``return x.same(...)``, ``return await x.same(...)``,
    ``super().same(...)`` (``x`` any expression)."""
    if isinstance(node, (ast.Expr, ast.Return)) and node.value is not None:
        value = node.value
        if isinstance(value, ast.Await):
            value = value.value
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == name
    return False


def class_attributes(node: ast.ClassDef) -> tuple[str, ...]:
    """Names the class body binds other than by ``def`` (``create = classmethod(_create)``, imports):
    attributes a call like ``Class.name(...)`` may reach."""
    names: list[str] = []
    for item in node.body:
        if isinstance(item, ast.Assign):
            targets: list[ast.expr] = list(item.targets)
        elif isinstance(item, (ast.AnnAssign, ast.AugAssign)):
            targets = [item.target]
        elif isinstance(item, (ast.Import, ast.ImportFrom)):
            names.extend(a.asname or a.name.partition(".")[0] for a in item.names if a.name != "*")
            continue
        else:
            continue
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name):
                    names.append(sub.id)
    return tuple(dict.fromkeys(names))
