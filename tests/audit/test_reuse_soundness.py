"""Reusing per-file results across commits changes nothing: on a realistic generated history, every
point of one `audit --history` run equals the same commit analysed on its own (nothing reused)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssot_lsp.audit.history.configuration import ConfigurationAt
from ssot_lsp.audit.history.git import Repository
from ssot_lsp.audit.history.reuse import Reuse
from ssot_lsp.audit.history.run import HistoryRun, HistorySettings
from ssot_lsp.config.model import Config
from ssot_lsp.core.classify import Classifier
from tests.audit.conftest import History
from tests.benchmarks.test_corpus_generator import generate
from tests.benchmarks.test_history_generator import write_history


def sites(point) -> set[tuple]:
    return {(s.path, s.line, s.code, s.subject, s.severity, s.message) for s in point.sites}


def run_for(repo: Path) -> HistoryRun:
    root = repo.resolve()
    return HistoryRun(Repository(root), root, "", ConfigurationAt(root, None, None, None, None),
                      HistorySettings(jobs=1))


@pytest.fixture
def history_repo(history: History) -> History:
    return history


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("reuse")
    return write_history(generate(tmp / "corpus", seed=5), tmp / "history", commits=10, churn=0.06)


def test_every_point_equals_its_commit_analysed_alone(generated: Path):
    together = run_for(generated)
    commits = together.repo.commits("main")
    points = together.run(commits)
    assert together.reuse.reused > together.reuse.computed  # reuse happened, or this proves nothing
    for commit, point in zip(commits, points):
        alone = run_for(generated).run([commit])[0]
        assert point.status == alone.status, commit.short
        assert sites(point) == sites(alone), commit.short
        assert point.totals == alone.totals


USER = "from app.reexport import Thing\n\n\ndef build():\n    return Thing()\n"


def test_a_file_that_did_not_change_is_analysed_again_when_what_it_reads_changed(history_repo):
    """``app/user.py`` never changes; what its import reaches does, commit by commit."""
    from tests.cli.conftest import SMALL_CONFIG, SMALL_FILES

    steps = [
        {"pyproject.toml": SMALL_CONFIG, **SMALL_FILES, "app/user.py": USER,
         "app/reexport.py": "from app.old_engine import OldEngine as Thing\n"},  # a legacy class, renamed
        {"app/reexport.py": "from app.engine import Engine as Thing\n"},  # now the canonical class
        {"app/reexport.py": "from app.engine import Engine as Thing\n\n\ndef helper():\n    return 1\n"},  # unrelated
        {"app/reexport.py": "from app.old_engine import *\n"},  # a star import (Thing is no longer bound)
        {"app/old_engine.py": "class OldEngine:  # ssot: ignore[SSOT004]\n    pass\n\n\nclass Thing(OldEngine):\n"
                              "    pass\n"},  # ... the star now brings a subclass of the legacy class
        {"app/reexport.py": None},  # the module is gone
        {"app/reexport/__init__.py": "from app.old_engine import OldEngine as Thing\n"},  # back, as a package
    ]
    for files in steps:
        history_repo.commit(files, "step")
    together = run_for(history_repo.repo)
    commits = together.repo.commits("main")
    points = together.run(commits)
    user = [{s for s in sites(p) if s[0] == "app/user.py"} for p in points]
    assert user[0] != user[1] and user[3] != user[4] and user[4] != user[5] and user[5] != user[6]
    assert user[1] == user[2]
    for commit, point in zip(commits, points):
        alone = run_for(history_repo.repo).run([commit])[0]
        assert sites(point) == sites(alone), commit.short


def test_a_second_class_of_the_canonical_name_changes_the_related_information_elsewhere(history_repo):
    from tests.cli.conftest import SMALL_CONFIG, SMALL_FILES

    config = SMALL_CONFIG.replace('legacy-symbols = ["app.old_engine:OldEngine"]\n',
                                  'legacy-symbols = ["app.old_engine:OldEngine"]\nduplicate-name = true\n')
    history_repo.commit({"pyproject.toml": config, **SMALL_FILES, "app/copy_one.py": "class Engine:\n    pass\n"},
                        "one duplicate")
    history_repo.commit({"app/copy_two.py": "class Engine:\n    pass\n"}, "a second one")
    together = run_for(history_repo.repo)
    commits = together.repo.commits("main")
    points = together.run(commits)
    for commit, point in zip(commits, points):
        alone = run_for(history_repo.repo).run([commit])[0]
        # the order of the related definitions follows the order files were read in (in check too)
        assert [sorted(v.related, key=str) for v in point.violations] == \
            [sorted(v.related, key=str) for v in alone.violations], commit.short
    assert len(points[1].violations[0].related) == len(points[0].violations[0].related) + 1


def test_the_classifier_of_each_state_knows_the_packages_of_its_modules_as_one_built_afresh(tmp_path: Path):
    """The packages a module set implies (a namespace package exists when a module below it does)
    are kept as modules come and go, and handed to each new classifier; they must be those a
    classifier finds on its own from the same modules."""
    config = Config(groups=(), source="test", root=tmp_path)
    reuse = Reuse()
    states = [{"app.jobs.nightly": "a", "app.jobs.hourly": "b", "tools": "c"},
              {"app.jobs.nightly": "a", "plugins.extra.audit": "d", "tools": "c"},  # one gone, a new tree
              {"plugins.extra.audit": "d"},
              # modules of one top-level package under different parents, one of them gone next
              {"app.cli": "e", "app.jobs.nightly": "a"}, {"app.cli": "e"}]
    for modules in states:
        reuse.sync(config, {}, modules)
        classifier = reuse.classifier
        assert classifier is not None
        afresh = Classifier(config, reuse.index)
        for module in ("app", "app.jobs", "plugins", "plugins.extra", "", "tools", "nowhere"):
            assert classifier.module_exists(module) == afresh.module_exists(module), (modules, module)
