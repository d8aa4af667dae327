"""Accept only regular expressions that cannot backtrack catastrophically.

Python's `re` has no time limit, and a configuration file may come from an untrusted workspace,
so patterns are restricted to a subset without nested or alternating repetition and without
back-references; matching also only ever sees identifiers, capped in length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

try:  # Python 3.11+
    import re._constants as sre_constants  # type: ignore[import-not-found]
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

# parsed pattern items: (opcode, argument) pairs of the private `re._parser` module
_Items = Iterable[tuple[Any, Any]]

MAX_SUBJECT = 256
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
_POSSESSIVE = getattr(sre_constants, "POSSESSIVE_REPEAT", None)


class UnsafePattern(ValueError):
    pass


def _check(items: _Items, inside_repeat: bool) -> None:
    for op, arg in items:
        if op in _REPEATS or (_POSSESSIVE is not None and op == _POSSESSIVE):
            low, high, body = arg
            unbounded = high is sre_constants.MAXREPEAT or high > 1
            # inside a repetition even `?` or `{1,2}` is ambiguous: `(a?a)+` backtracks like `(a|aa)+`
            if inside_repeat and (unbounded or low != high):
                raise UnsafePattern("nested repetition can backtrack catastrophically; simplify the pattern")
            _check(body, inside_repeat or unbounded)
        elif op is sre_constants.SUBPATTERN:
            _check(arg[-1], inside_repeat)
        elif op is sre_constants.BRANCH:
            if inside_repeat:
                raise UnsafePattern("alternation inside a repetition can backtrack catastrophically")
            for branch in arg[1]:
                _check(branch, inside_repeat)
        elif op in (sre_constants.GROUPREF, getattr(sre_constants, "GROUPREF_EXISTS", None)):
            raise UnsafePattern("back-references are not allowed in patterns")
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            _check(arg[1], inside_repeat)


# Without nesting, backtracking is still polynomial: each variable-length repetition (and each
# alternation) multiplies the ways a subject can be split. Bound that product for subjects of
# MAX_SUBJECT characters tried at every start position (``\w*\w*\w*\w*y$`` took 80 s per name).
_MAX_WORK = 1 << 25


def _work(items: _Items) -> int:
    total = 1
    for op, arg in items:
        if op in _REPEATS or (_POSSESSIVE is not None and op == _POSSESSIVE):
            low, high, body = arg
            span = MAX_SUBJECT if high is sre_constants.MAXREPEAT else min(high - low, MAX_SUBJECT)
            total *= (span + 1) * _work(body)
        elif op is sre_constants.SUBPATTERN:
            total *= _work(arg[-1])
        elif op is sre_constants.BRANCH:
            total *= sum(_work(branch) for branch in arg[1])
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            total *= _work(arg[1])
        if total > _MAX_WORK:
            return total
    return total


def compile_safe_pattern(pattern: str) -> re.Pattern[str]:
    compiled = re.compile(pattern)
    parsed = sre_parse.parse(pattern)
    _check(parsed, False)
    if _work(parsed) * MAX_SUBJECT > _MAX_WORK:
        raise UnsafePattern("too many variable-length repetitions or alternatives: matching could backtrack "
                            "for seconds; use fewer `*`, `+`, `?`, `{m,n}` or `|`")
    return compiled


def search_identifier(pattern: re.Pattern[str], name: str) -> bool:
    return pattern.search(name[:MAX_SUBJECT]) is not None


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literal substrings one of which every match must contain, or None when there is none.

    The prefilter may skip a file only if it contains none of them; returning None disables
    skipping for this pattern, which keeps the prefilter sound.
    """
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if pattern.flags & re.IGNORECASE:
        return None

    def longest_run(items: _Items) -> str:
        best, run = "", ""
        for op, arg in items:
            if op is sre_constants.LITERAL:
                run += chr(arg)
                continue
            if op is sre_constants.SUBPATTERN:
                inner = longest_run(arg[-1])
                if len(inner) > len(best):
                    best = inner
            best, run = (run if len(run) > len(best) else best), ""
        return run if len(run) > len(best) else best

    items = list(parsed)
    if len(items) == 1 and items[0][0] is sre_constants.BRANCH:
        branches = [longest_run(b) for b in items[0][1][1]]
        return tuple(branches) if all(len(b) >= 3 for b in branches) else None
    literal = longest_run(items)
    return (literal,) if len(literal) >= 3 else None
