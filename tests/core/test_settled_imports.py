"""The imports a scan's discovery rounds settle (resolution stopped outside the analysed files): a
module parsed again loses its own — its new facts may bind those names otherwise — and no other's."""

from __future__ import annotations

from pathlib import Path

from ssot_lsp.core import reading, scan
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.project import open_workspace


def _facts(root: Path, relative: str, module: str, text: str) -> FileFacts:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    _, facts = reading.read_facts(str(path), module, False, 1 << 20)
    assert isinstance(facts, FileFacts)
    return facts


def test_a_module_parsed_again_loses_its_settled_imports_and_only_those(tmp_path: Path):
    state = scan.Scan(open_workspace([tmp_path]), None, 1, None)
    for facts in (_facts(tmp_path, "app/runner.py", "app.runner", "from lib import tool, helper\nfrom os import path\n"),
                  # the same module in a second source root: its settled imports go too
                  _facts(tmp_path, "src/app/runner.py", "app.runner", "from lib import extra\n"),
                  _facts(tmp_path, "app/other.py", "app.other", "from lib import tool\n")):
        state.loaded[facts.path] = facts
    state.settled = {("app.runner", "tool"), ("app.runner", "helper"), ("app.runner", "path"),
                     ("app.runner", "extra"), ("app.other", "tool")}
    state._unsettle({"app.runner"})
    assert state.settled == {("app.other", "tool")}
