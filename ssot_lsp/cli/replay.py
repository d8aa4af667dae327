"""A warm `check` answered with what the same command printed last time, on the same tree.

The stored findings (``core/findings_cache.py``) spared the analysis, but a warm run still unpickled
every finding — importing every rule module whose payload classes they hold — and rendered them
again (JSON and SARIF of a thousand findings take longer than checking the tree): three times
ruff's warm run on the realistic corpus. A whole-workspace `check` keeps what it wrote — the report,
its stderr (stale configuration, unreadable files, missing profile) and its exit code — beside the
findings, for its *variant*: everything other than the findings that the output depends on.

- the options that shape the report: format, ``--statistics``, ``--no-summary``, ``--exit-zero``,
  and whether it is coloured (``--color``, ``NO_COLOR``/``FORCE_COLOR``, a terminal);
- the current directory (paths are shown relative to it);
- the baseline: ``--no-baseline``, its path and its content.

The findings' own key (tool, Python, configuration, prefilter) names the file, and the tree digest
inside it must be the current tree's. ``--update-baseline`` writes a file and is never replayed; a
run that ends in a configuration error is not recorded.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ssot_lsp.cli.common import OpenedWorkspace
    from ssot_lsp.cli.options import CheckOptions
    from ssot_lsp.core.findings_cache import FindingsCache, Tree


@dataclass
class Output:
    """What one run of `check` wrote: its report (to stdout or ``--output``), stderr and exit code."""

    report: str
    stderr: str
    code: int


@dataclass
class Replay:
    findings: FindingsCache
    variant: str

    @classmethod
    def of_check(cls, opened: OpenedWorkspace, options: CheckOptions, findings: FindingsCache,
                 colour: bool) -> Replay | None:
        """The replay of this `check`, or None when it may not be replayed (``--update-baseline``)."""
        baseline = options.baseline
        if baseline.update:
            return None
        if baseline.disabled:
            baseline_state: tuple[object, ...] = ("disabled",)
        else:
            from ssot_lsp.cli.baseline import default_baseline_path

            path = baseline.file or default_baseline_path(opened.workspace)
            baseline_state = (str(path), bool(baseline.file), _content_digest(path))
        from ssot_lsp.core.findings_cache import blake2b  # not imported by a run without the cache

        basis = repr((options.format, options.statistics, options.summary, options.exit_zero, colour,
                      os.getcwd(), baseline_state))
        return cls(findings, blake2b(basis.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest())

    def load(self, tree: Tree) -> Output | None:
        stored = self.findings.load_output(self.variant, tree)
        if stored is None:
            return None
        header, report = stored
        stderr, code = header.get("stderr"), header.get("code")
        if not (isinstance(stderr, str) and type(code) is int):
            return None
        return Output(report, stderr, code)

    def save(self, tree: Tree, output: Output) -> None:
        self.findings.save_output(self.variant, tree, {"stderr": output.stderr, "code": output.code}, output.report)


def emit(output: Output, options: CheckOptions) -> int:
    """Write ``output`` as the run that made it did: stderr first, then the report."""
    if output.stderr:
        sys.stderr.write(output.stderr)
        sys.stderr.flush()
    if options.output:
        options.output.write_text(output.report, encoding="utf-8")
    else:
        sys.stdout.write(output.report)
    return output.code


def _content_digest(path: os.PathLike[str]) -> str | None:
    """None when there is no regular file (what `check` treats as no baseline: a FIFO is never opened)."""
    from ssot_lsp.core.findings_cache import blake2b

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return blake2b(handle.read(), digest_size=16).hexdigest()
    except FileNotFoundError:
        return None
    except OSError as exc:  # unreadable: never equal to a readable state
        return f"error {exc.errno}"
