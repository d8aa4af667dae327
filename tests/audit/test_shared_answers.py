"""Answers shared by the files of one state of the index (``RecordingIndex.shared``): each file that
is handed one depends on everything computing it read, as if it had computed it itself — else a
file that was handed an answer would keep its result when what the answer read changes."""

from __future__ import annotations

from pathlib import Path

from ssot_lsp.audit.history.reuse import Reuse, Token
from ssot_lsp.config.model import Config
from ssot_lsp.core.facts import FileFacts, extract_facts
from tests.audit.conftest import History
from tests.audit.test_reuse_soundness import run_for, sites
from tests.cli.conftest import SMALL_CONFIG, SMALL_FILES

REEXPORT = "from app.plain import Plain as Thing\n"
REEXPORT_TOKEN: Token = ("app.reexport", "b:Thing")


def facts_of(module: str, text: str) -> FileFacts:
    return extract_facts(text, f"/ws/{module.replace('.', '/')}.py", module)


def state(tmp_path: Path, reexport: str = REEXPORT) -> tuple[Reuse, Config]:
    """A Reuse synced with two modules: ``app.reexport`` (binding Thing) and ``app.plain``."""
    config = Config(groups=(), source="test", root=tmp_path)
    reuse = Reuse()
    sync(reuse, config, reexport)
    return reuse, config


def sync(reuse: Reuse, config: Config, reexport: str) -> None:
    files = [facts_of("app.reexport", reexport), facts_of("app.plain", "class Plain:\n    pass\n")]
    reuse.sync(config, {f.path: f for f in files}, {f.module: f.path for f in files})


def resolve_thing(reuse: Reuse) -> object:
    return reuse.index.resolve_name("app.reexport", "Thing")


def ask(reuse: Reuse, path: str, before=None) -> frozenset[Token]:
    """A file's result that asks for the shared resolution of Thing (after ``before``, if any); its tokens."""
    facts = facts_of("app." + path, "")

    def compute() -> object:
        if before is not None:
            before()
        return reuse.index.shared("thing", lambda: resolve_thing(reuse))

    reuse.result("test", path, facts, compute)
    return reuse.tables["test"][path].deps


def test_a_file_handed_a_shared_answer_depends_on_what_computing_it_read(tmp_path: Path):
    reuse, _ = state(tmp_path)
    assert REEXPORT_TOKEN in ask(reuse, "first")  # computed it
    assert REEXPORT_TOKEN in ask(reuse, "second")  # handed it


def test_a_shared_answer_notes_what_it_read_even_when_the_asking_file_had_resolved_it_already(tmp_path: Path):
    """Computed from an empty memo: the asking file's memo would answer without noting anything, and
    the answer, handed to the next file, would depend on nothing."""
    reuse, _ = state(tmp_path)
    ask(reuse, "first", before=lambda: resolve_thing(reuse))
    assert REEXPORT_TOKEN in ask(reuse, "second")


def test_a_shared_answer_is_computed_once_while_the_index_stays_and_again_once_it_changed(tmp_path: Path):
    reuse, config = state(tmp_path)
    computed: list[object] = []

    def count() -> object:
        computed.append(resolve_thing(reuse))
        return computed[-1]

    for path in ("a", "b"):
        reuse.result("test", path, facts_of("app." + path, ""), lambda: reuse.index.shared("thing", count))
    assert len(computed) == 1
    sync(reuse, config, "from app.plain import Plain as Other\n")  # Thing is no longer bound there
    assert reuse.index.shared("thing", count) is None
    assert len(computed) == 2


# two files import one re-exported name; a third uses it through the second one's module, which
# only the second one's discovery result names (the importers of the name); its import lines do
# not spell the name, so it is read only when that result says the second module binds it
USER = "from app.reexport import Thing  # was OldEngine\n"
READER = "from app import b_user\n\n\ndef run():\n    return b_user.Thing()\n"


def test_the_second_file_holding_an_import_follows_its_answer_across_commits(history: History):
    history.commit({"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/plain.py": "class Plain:\n    pass\n",
                    "app/reexport.py": REEXPORT, "app/a_user.py": USER, "app/b_user.py": USER,
                    "app/c_reader.py": READER}, "Thing is a plain class")
    history.commit({"app/reexport.py": "from app.old_engine import OldEngine as Thing\n"}, "Thing is the legacy class")
    together = run_for(history.repo)
    commits = together.repo.commits("main")
    points = together.run(commits)
    alone = run_for(history.repo).run([commits[-1]])[0]
    assert any(s[0] == "app/c_reader.py" for s in sites(alone))  # or this proves nothing
    assert sites(points[-1]) == sites(alone)
