"""One text analysed as one file of a workspace: the call every front end shares.

``check --stdin-filename``, the language server (each edit of an open buffer) and fix
verification (each candidate text) all ask the same question: what does this file report if its
text were this, given the rest of the workspace? ``analyze_text`` extracts the facts, puts them in
the index — for good, or only for the analysis — and runs the rules.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ssot_lsp.config.model import Config
from ssot_lsp.core.engine import analyze
from ssot_lsp.core.facts import FileFacts, extract_facts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.prefilter import watch_names
from ssot_lsp.core.violations import Violation


@dataclass(frozen=True)
class FileAnalysis:
    facts: FileFacts
    violations: list[Violation]
    previous: FileFacts | None  # what the index held for the module before (cross-file change detection)

    @property
    def parsed(self) -> bool:
        return self.facts.parsed


def analyze_text(index: WorkspaceIndex, config: Config, path: str, text: str, module: str, is_package: bool, *,
                 keep: bool = True, tree: ast.Module | None = None,
                 severity_overrides: dict[str, str] | None = None) -> FileAnalysis:
    """The findings of ``text`` as the file ``path`` (module ``module``) of the indexed workspace.

    ``keep``: the index keeps the new facts (an open buffer, the text a fix produced); otherwise they
    stand in for the file's only while it is analysed (a candidate fix being verified, a file outside
    the workspace). A text that does not parse never replaces the file's facts, and reports only
    its syntax error. ``tree``: an ``ast.parse`` of ``text`` the caller already has.
    """
    facts = extract_facts(text, path, module, is_package, tree=tree, watch=watch_names(config))
    previous = index.facts_by_module.get(module)
    if not facts.parsed:
        violations = analyze(facts, index, config, severity_overrides=severity_overrides)
    elif keep:
        index.add(facts)
        violations = analyze(facts, index, config, severity_overrides=severity_overrides)
    else:
        with index.substituted(facts):
            violations = analyze(facts, index, config, severity_overrides=severity_overrides)
    return FileAnalysis(facts, violations, previous)
