"""A labelled line (one ground-truth site) and the buffer a generated file is written into.

A *site* is a line whose expected findings are known: the codes the tool should report there
under the default profile's **target** behaviour (issues 13-15), or none for a line that must
stay clean.  Blocks are lists of plain lines and ``Mark`` items; a ``Mark`` becomes a site with
its line number once the block lands in a file.  Severities follow the profile: tests lower
SSOT002 to warning and SSOT003/SSOT004 to information (``severity_for``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

BASE_SEVERITY = {
    "SSOT001": "warning", "SSOT002": "error", "SSOT003": "warning", "SSOT004": "warning",
    "SSOT005": "error", "SSOT006": "information", "SSOT007": "warning", "SSOT008": "warning",
    "SSOT009": "error", "SSOT010": "warning", "SSOT011": "error",
}
TEST_SEVERITY = {"SSOT002": "warning", "SSOT003": "information", "SSOT004": "information"}


def severity_for(code: str, is_test: bool) -> str:
    if is_test and code in TEST_SEVERITY:
        return TEST_SEVERITY[code]
    return BASE_SEVERITY[code]


@dataclass(slots=True)
class Mark:
    """One line of a block that is a site.

    ``expect``: codes expected there (target behaviour; empty: must stay clean).
    ``allow``: codes that may be reported, at most at the given severity (test doubles).
    ``severity``: overrides of the profile severity for expected codes.
    ``fix``: what a correct fix does — ``{"action": "rewrite", "safety": ..., "to": ...}`` or
    ``{"action": "withhold", "reason": <reason class>}``.
    """

    line: str
    shape: str
    variant: str
    expect: tuple[str, ...] = ()
    text: str = ""
    allow: dict[str, str] | None = None
    severity: dict[str, str] | None = None
    fix: dict | None = None
    python_below: str | None = None  # expectation holds only on older Pythons (newer syntax)


@dataclass(slots=True)
class Site:
    path: str
    line: int
    mark: Mark
    test: bool
    backup: bool = False

    def record(self) -> dict:
        m = self.mark
        out: dict = {"path": self.path, "line": self.line, "shape": m.shape, "variant": m.variant,
                     "text": m.text or m.line.strip()[:60], "test": self.test, "backup": self.backup}
        codes = list(m.expect)
        sev = {c: (m.severity or {}).get(c) or severity_for(c, self.test) for c in codes}
        if self.backup:
            # excluded by the default profile: nothing expected; what the text would give if analysed
            out["expect"] = []
            out["if_included"] = codes
        else:
            out["expect"] = codes
            if sev:
                out["severity"] = sev
        if m.allow:
            out["allow"] = dict(m.allow)
        if m.fix and not self.backup:
            out["fix"] = m.fix
        if m.python_below:
            out["python_below"] = m.python_below
        return out


class FileBuf:
    """The lines of one generated file and the sites marked on them."""

    __slots__ = ("lines", "marks")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.marks: list[tuple[int, Mark]] = []  # (1-based line, mark)

    def __len__(self) -> int:
        return len(self.lines)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def extend(self, lines) -> None:
        self.lines.extend(lines)

    def block(self, items) -> None:
        """Append a block: ``str`` lines and ``Mark`` items (a ``Mark``'s line may hold newlines)."""
        for item in items:
            if isinstance(item, Mark):
                self.lines.append(item.line)
                self.marks.append((len(self.lines), item))
            else:
                self.lines.append(item)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class Placement:
    """What a shape puts into a file.

    ``binds``/``unbound``: engine-related module-level names the shape binds, and names that must
    stay unbound in the file (a renamed import's unrenamed call); two shapes go into one file only
    when these do not clash.  ``needs_future``/``no_future``: the shape's expectation depends on
    ``from __future__ import annotations`` being present / absent.
    """

    imports: list = field(default_factory=list)        # str or Mark, placed with the imports
    imports_extra: list = field(default_factory=list)  # plain helper imports (deduplicated)
    module: list = field(default_factory=list)         # blocks right after the imports (try/except imports)
    blocks: list = field(default_factory=list)         # blocks spread over the body
    binds: set = field(default_factory=set)
    unbound: set = field(default_factory=set)
    needs_future: bool = False
    no_future: bool = False
