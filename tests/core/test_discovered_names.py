"""The discovery rounds ask again only what a round can change (``core/discovered.py``), and still
find what asking everything again finds: each test replays rounds by hand — the analysed files of
one round, then those of the next — and compares with ``prefilter.discovered_needles`` over the
same files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lsp.core import reading
from ssot_lsp.core.classify import Classifier
from ssot_lsp.core.discovered import DiscoveredNames, indexed_facts
from ssot_lsp.core.facts import FileFacts
from ssot_lsp.core.index import WorkspaceIndex
from ssot_lsp.core.prefilter import WORD, discovered_needles
from ssot_lsp.core.project import open_workspace
from ssot_lsp.core.workspace import Workspace

LEGACY = "netra_backend.app.agents.supervisor.execution_engine"
PACKAGES = ["netra_backend/__init__.py", "netra_backend/app/__init__.py", "netra_backend/app/agents/__init__.py",
            "netra_backend/app/agents/supervisor/__init__.py", "pkg/__init__.py"]


class Rounds:
    """A workspace on disk whose files are read (as a round reads them) on demand."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for package in PACKAGES:
            self.write(package, "")
        self.write("netra_backend/app/agents/supervisor/execution_engine.py", "class ExecutionEngine:\n    pass\n")
        self.workspace: Workspace | None = None
        self.modules: dict[str, str] = {}

    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def names(self) -> DiscoveredNames:
        """The discovery of a scan of the files written so far (their modules known, none analysed)."""
        self.workspace = open_workspace([self.root])
        files = self.workspace.discover_files(None, [])
        self.modules = {}
        for path in files:  # the first file of a module defines it, as a scan names them
            self.modules.setdefault(self.workspace.module_names.of(Path(path))[0], path)
        return DiscoveredNames(self.workspace.config, self.modules)

    def read(self, module: str) -> FileFacts:
        path = self.modules[module]
        _, facts = reading.read_facts(path, module, path.endswith("__init__.py"), 1 << 20)
        assert isinstance(facts, FileFacts)
        return facts

    def every_question(self, loaded: dict[str, FileFacts]) -> tuple[set[str], dict[str, set[str]]]:
        assert self.workspace is not None
        index = WorkspaceIndex(known_modules=self.modules)
        index.facts_by_module = indexed_facts(loaded, self.modules)
        return discovered_needles(index, Classifier(self.workspace.config, index), loaded.values())


@pytest.fixture
def rounds(tmp_path: Path) -> Rounds:
    return Rounds(tmp_path)


def _loaded(*facts: FileFacts) -> dict[str, FileFacts]:
    return {f.path: f for f in facts}


def test_an_import_is_asked_again_once_the_module_it_resolves_through_is_read(rounds):
    """``pkg.user`` imports ``Runner`` from ``pkg.engines``, unread in round 1 (the import stops
    outside); round 2 reads it — an alias of the legacy class — and the user's import must now
    reach it too (its module's last component among the modules binding ``Runner``)."""
    rounds.write("pkg/engines.py", f"from {LEGACY} import ExecutionEngine as Runner\n")
    rounds.write("pkg/user.py", "from pkg.engines import Runner\n")
    names = rounds.names()
    first = _loaded(rounds.read("pkg.user"))
    assert names.update(first) == rounds.every_question(first) == (set(), {})
    second = {**first, **_loaded(rounds.read("pkg.engines"))}
    found = names.update(second)
    assert found == rounds.every_question(second)
    assert found[1]["Runner"] == {"engines", "user"}


def test_an_import_is_asked_again_when_the_module_it_resolves_through_is_parsed_again(rounds):
    """The same chain, the middle module's facts replaced by new ones (a partial parse parsed again):
    the first facts bind ``Runner`` to nothing of a group, the second to the legacy class."""
    rounds.write("pkg/engines.py", "Runner = object\n")
    rounds.write("pkg/user.py", "from pkg.engines import Runner\n")
    names = rounds.names()
    first = _loaded(rounds.read("pkg.user"), rounds.read("pkg.engines"))
    assert names.update(first) == (set(), {})
    rounds.write("pkg/engines.py", f"from {LEGACY} import ExecutionEngine as Runner\n")
    second = {**first, **_loaded(rounds.read("pkg.engines"))}
    found = names.update(second)
    assert found == rounds.every_question(second)
    assert found[1]["Runner"] == {"engines", "user"}


def test_a_file_read_again_is_taken_apart_again(rounds):
    """New facts for a file: its questions are those of the new facts (an import it did not hold)."""
    rounds.write("pkg/wiring.py", "import os\n")
    names = rounds.names()
    first = _loaded(rounds.read("pkg.wiring"))
    assert names.update(first) == (set(), {})
    rounds.write("pkg/wiring.py", f"import os\nfrom {LEGACY} import ExecutionEngine as Runner\n")
    second = _loaded(rounds.read("pkg.wiring"))
    found = names.update(second)
    assert found == rounds.every_question(second) == ({WORD + "Runner"}, {"Runner": {"wiring"}})


def test_the_answer_about_a_class_goes_with_the_facts_it_was_asked_of(rounds):
    """A class is asked about by its position in its file: when the file's new facts hold another
    class there (a second definition of the canonical class), it is asked again."""
    rounds.write("pkg/engines.py", "class Helper:\n    pass\n")
    names = rounds.names()
    first = _loaded(rounds.read("pkg.engines"))
    assert names.update(first) == (set(), {})
    rounds.write("pkg/engines.py", "class UserExecutionEngine:\n    pass\n")
    second = _loaded(rounds.read("pkg.engines"))
    found = names.update(second)
    assert found == rounds.every_question(second)
    assert found[0] == {WORD + "UserExecutionEngine"}


def test_a_file_gone_takes_its_names_with_it(rounds):
    rounds.write("pkg/engines.py", f"from {LEGACY} import ExecutionEngine as Runner\n")
    rounds.write("pkg/other.py", f"from {LEGACY} import ExecutionEngine as Engine\n")
    names = rounds.names()
    both = _loaded(rounds.read("pkg.engines"), rounds.read("pkg.other"))
    assert names.update(both)[0] == {WORD + "Runner", WORD + "Engine"}
    one = _loaded(rounds.read("pkg.other"))
    assert names.update(one) == rounds.every_question(one) == ({WORD + "Engine"}, {"Engine": {"other"}})


def test_a_round_that_changes_nothing_asks_nothing_and_a_round_asks_only_what_its_files_change(rounds):
    rounds.write("pkg/engines.py", f"from {LEGACY} import ExecutionEngine as Runner\n")
    for i in range(20):
        rounds.write(f"pkg/user_{i}.py", "import os\nfrom pkg.engines import Runner\n")
    rounds.write("pkg/late.py", "from pkg.unread import Thing\n")
    rounds.write("pkg/unread.py", "Thing = 1\n")
    names = rounds.names()
    first = _loaded(rounds.read("pkg.engines"), rounds.read("pkg.late"),
                    *(rounds.read(f"pkg.user_{i}") for i in range(20)))
    names.update(first)
    asked = names.asked_count
    names.update(first)
    assert names.asked_count == asked
    second = {**first, **_loaded(rounds.read("pkg.unread"))}
    assert names.update(second) == rounds.every_question(second)
    # the late import (it read pkg.unread) and the new file's own binding; not the 20 users'
    assert names.asked_count - asked <= 3
    rounds.write("pkg/user_20.py", "import os\nfrom pkg.engines import Runner\n")
    names.modules["pkg.user_20"] = str(rounds.root / "pkg/user_20.py")
    asked = names.asked_count
    third = {**second, **_loaded(rounds.read("pkg.user_20"))}
    assert names.update(third) == rounds.every_question(third)
    assert names.asked_count == asked  # a new file holding imports answered already asks nothing


def test_a_shadowed_duplicate_module_asks_through_the_file_the_index_holds(rounds):
    """The same module in the root and in ``src/``: the second file's import resolves through the
    first's binding of the name, as the index answers for the module."""
    rounds.write("pkg/engines.py", f"from {LEGACY} import ExecutionEngine as Runner\n")
    rounds.write("src/pkg/__init__.py", "")
    rounds.write("src/pkg/engines.py", "from pkg.elsewhere import Runner\n")
    names = rounds.names()
    first = rounds.read("pkg.engines")
    path = str(rounds.root / "src/pkg/engines.py")
    _, shadowed = reading.read_facts(path, "pkg.engines", False, 1 << 20)
    assert isinstance(shadowed, FileFacts) and rounds.modules["pkg.engines"] == first.path
    loaded = _loaded(first, shadowed)
    assert names.update(loaded) == rounds.every_question(loaded) == ({WORD + "Runner"}, {"Runner": {"engines"}})


def _shadowed(rounds: Rounds, text: str) -> FileFacts:
    rounds.write("src/pkg/engines.py", text)
    _, facts = reading.read_facts(str(rounds.root / "src/pkg/engines.py"), "pkg.engines", False, 1 << 20)
    assert isinstance(facts, FileFacts)
    return facts


def test_an_import_of_a_shadowed_duplicate_module_binds_nothing_the_index_does_not(rounds):
    """The shadowed file's import of the legacy class is not what its module binds (the file the
    index holds binds no ``Runner``): nothing is discovered."""
    rounds.write("pkg/engines.py", "import os\n")
    rounds.write("src/pkg/__init__.py", "")
    names = rounds.names()
    loaded = _loaded(rounds.read("pkg.engines"), _shadowed(rounds, f"from {LEGACY} import ExecutionEngine as Runner\n"))
    assert names.update(loaded) == rounds.every_question(loaded) == (set(), {})


def test_a_shadowed_duplicate_read_again_is_asked_about_again(rounds):
    """New facts of a shadowed file change no module the index holds: the file itself is taken
    apart again, and its class at the same position asked about again."""
    rounds.write("pkg/engines.py", "import os\n")
    rounds.write("src/pkg/__init__.py", "")
    names = rounds.names()
    root = rounds.read("pkg.engines")
    first = _loaded(root, _shadowed(rounds, "class Helper:\n    pass\n"))
    assert names.update(first) == (set(), {})
    second = _loaded(root, _shadowed(rounds, "class UserExecutionEngine:\n    pass\n"))
    found = names.update(second)
    assert found == rounds.every_question(second) == ({WORD + "UserExecutionEngine"}, {"UserExecutionEngine": {"engines"}})


def test_a_file_the_index_stops_holding_asks_through_the_one_it_holds_now(rounds):
    """A module the walk did not name (a file given on the command line outside it) is held by its
    last analysed file: when a second one comes, the first one's imports resolve through it."""
    rounds.write("pkg/engines.py", f"from {LEGACY} import ExecutionEngine as Runner\n")
    rounds.write("src/pkg/__init__.py", "")
    names = rounds.names()
    first = rounds.read("pkg.engines")
    del names.modules["pkg.engines"]
    alone = _loaded(first)
    assert names.update(alone)[0] == {WORD + "Runner"}
    both = _loaded(first, _shadowed(rounds, "import os\n"))
    assert names.update(both) == rounds.every_question(both) == (set(), {})


def test_a_question_that_lists_classes_by_name_is_asked_every_round(rounds, monkeypatch):
    """``classes_named`` reads every module: no module's facts tell when its answer changes."""
    rounds.write("pkg/engines.py", "import os\n")
    names = rounds.names()
    loaded = _loaded(rounds.read("pkg.engines"))
    role = Classifier.role

    def listing_role(self, ref):
        self.index.classes_named("Anything")
        return role(self, ref)

    monkeypatch.setattr(Classifier, "role", listing_role)
    names.update(loaded)
    asked = names.asked_count
    names.update(loaded)
    assert names.asked_count == asked + 1
