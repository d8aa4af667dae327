"""Sites a fixable rule reported that stay unfixed, each with the whole reason and where it is.

`ssot-lsp fix` (text and ``--format json``) and the server's workspace fix-all report these: a
reason is only useful to someone who can find the site, so it always travels with ``path:line``
and is never shortened. Every remaining finding of a rule that has a fix gets one (issue 15 §5):
the reason its fix was withheld, that the fix is unsafe and was not asked for, or why the file
was not fixed at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from ssot_lsp.core.violations import Violation


@dataclass(frozen=True)
class Unfixed:
    path: str
    line: int  # 0-based
    col: int  # 0-based, code points
    code: str
    symbol: str
    message: str
    reason: str
    unsafe_fix: bool = False  # a verified fix exists but is unsafe, and unsafe fixes were not asked for

    @classmethod
    def of(cls, violation: Violation, reason: str, unsafe_fix: bool = False) -> Unfixed:
        span = violation.span
        return cls(violation.path, span.line, span.col, violation.code, violation.symbol, violation.message,
                   reason, unsafe_fix)

    def where(self, root: str | None = None) -> str:
        """``path:line:col`` (1-based), the path relative to ``root`` when it is inside it."""
        path = self.path
        if root is not None:
            relative = os.path.relpath(path, root)
            if not relative.startswith(".."):
                path = relative
        return f"{path}:{self.line + 1}:{self.col + 1}"

    def text(self, root: str | None = None) -> str:
        return f"{self.where(root)}: {self.code} not fixed: {self.reason}"

    def to_json(self, root: str | None = None) -> dict[str, object]:
        return {"location": self.where(root), "path": self.path, "line": self.line + 1, "column": self.col + 1,
                "code": self.code, "symbol": self.symbol, "message": self.message, "reason": self.reason,
                "unsafeFixAvailable": self.unsafe_fix}


def unsafe_reason(title: str) -> str:
    return f"an unsafe fix (changes behaviour to review) was not requested (--unsafe-fixes): {title}"


def sorted_sites(sites: Iterable[Unfixed]) -> list[Unfixed]:
    return sorted(sites, key=lambda s: (s.path, s.line, s.col, s.code))
