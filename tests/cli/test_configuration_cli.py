"""Configuration through the real CLI, on a copy of the demo (the default profile's layout): backups
are not code, a `[tool.ssot-lsp]` table extends the profile key by key, `--show-settings` says where each
value came from, and bad configuration exits 2 naming file, line and key. Each behaviour has a variant
that must not change."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

APP = "netra_backend/app/"
LEGACY_IMPORT = "from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine\n"
PROJECT = '[project]\nname = "demo"\n\n[tool.ssot-lsp]\n'


def findings(ssot, root: Path, *args: str) -> list[tuple[str, int, str, str]]:
    run = ssot("check", "--format", "json", "--no-cache", *args, cwd=root)
    assert run.returncode in (0, 1), run.stderr
    return [(v["path"], v["line"], v["code"], v["severity"]) for v in json.loads(run.stdout)["violations"]]


def configure(root: Path, text: str) -> None:
    (root / "pyproject.toml").write_text(PROJECT + text, encoding="utf-8")


def copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", ".ssot-cache"))


@pytest.fixture
def with_backups(demo: Path) -> Path:
    """The demo plus copies of its tree the way a real monorepo keeps them."""
    copy_tree(demo / "netra_backend", demo / "backups" / "2025-09-12" / "netra_backend")
    copy_tree(demo / "netra_backend" / "app" / "agents", demo / "netra_backend" / "app" / "backup" / "agents")
    copy_tree(demo / "netra_backend" / "app" / "services", demo / "archive" / "services")
    copy_tree(demo / "netra_backend" / "app" / "services", demo / "tools" / "archived" / "services")
    engine = demo / APP / "agents" / "supervisor" / "execution_engine.py"
    shutil.copy(engine, engine.with_name("execution_engine.backup_1757538478.py"))
    return demo


# -- backups are not code ----------------------------------------------------------------------------

def test_backup_and_archive_copies_are_not_reported(ssot, with_backups):
    root = with_backups
    before = findings(ssot, root)
    for copy in ("backups", APP + "backup", "archive", "tools"):
        shutil.rmtree(root / copy)
    (root / APP / "agents" / "supervisor" / "execution_engine.backup_1757538478.py").unlink()
    assert before == findings(ssot, root) and before


def test_files_named_like_backups_are_still_code(ssot, demo):
    names = ["services/backup_utils.py", "services/backups.py", "archive_reader.py", "services/archived_jobs.py"]
    for name in names:
        (demo / APP / name).write_text(LEGACY_IMPORT, encoding="utf-8")
    reported = {path for path, _, code, _ in findings(ssot, demo) if code == "SSOT001"}
    assert {APP + name for name in names} <= reported


def test_backups_are_reported_when_the_configuration_drops_the_profiles_excludes(ssot, with_backups):
    configure(with_backups, 'profile = "netra"\nexclude = []\n')
    paths = {path for path, *_ in findings(ssot, with_backups)}
    assert any(p.startswith("backups/") for p in paths) and any(p.startswith(APP + "backup/") for p in paths)


# -- a table that extends the profile ------------------------------------------------------------------

def test_extend_exclude_adds_to_the_profiles_excludes(ssot, with_backups):
    before = findings(ssot, with_backups)
    configure(with_backups, 'profile = "netra"\nextend-exclude = ["netra_backend/app/services/sync_runner.py"]\n')
    after = findings(ssot, with_backups)
    assert after == [f for f in before if f[0] != APP + "services/sync_runner.py"] and len(after) < len(before)


def test_a_table_without_profile_still_replaces_everything(ssot, demo):
    configure(demo, 'extend-exclude = ["netra_backend/app/services/sync_runner.py"]\n')
    assert {code for _, _, code, _ in findings(ssot, demo)} <= {"SSOT009", "SSOT010"}  # no group is configured
    settings = json.loads(ssot("check", "--show-settings", "--format", "json", cwd=demo).stdout)
    assert settings["groups"] == [] and settings["exclude"] == ["netra_backend/app/services/sync_runner.py"]


def test_profile_alone_gives_the_default_findings(ssot, demo):
    before = findings(ssot, demo)
    configure(demo, 'profile = "netra"\n')
    assert findings(ssot, demo) == before


OLD_RUNNER = "class LegacyRunner:\n    def __init__(self, registry):\n        self.registry = registry\n"
RUNNER_CALLER = ("from netra_backend.app.services.old_runner import LegacyRunner\n\n\n"
                 "def start(registry):\n    return LegacyRunner(registry)\n")
EXTEND_ENGINE = '''profile = "netra"

[[tool.ssot-lsp.extend-groups]]
name = "engine"
legacy-symbols = ["netra_backend.app.services.old_runner:LegacyRunner"]
'''


def test_extend_groups_adds_a_legacy_symbol_to_the_engine_group(ssot, demo):
    (demo / APP / "services" / "old_runner.py").write_text(OLD_RUNNER, encoding="utf-8")
    (demo / APP / "services" / "runner_caller.py").write_text(RUNNER_CALLER, encoding="utf-8")
    caller = APP + "services/runner_caller.py"
    before = findings(ssot, demo)
    assert [f for f in before if f[0] == caller] == []  # the profile does not know LegacyRunner
    configure(demo, EXTEND_ENGINE)
    after = findings(ssot, demo)
    assert (caller, 5, "SSOT002", "error") in after
    unrelated = [f for f in after if not f[0].startswith((caller, APP + "services/old_runner.py"))]
    assert unrelated == before  # the rest of the profile is untouched


def test_extend_ignore_adds_to_the_ignored_rules(ssot, demo):
    before = findings(ssot, demo)
    configure(demo, 'profile = "netra"\nextend-ignore = ["SSOT001"]\n')
    assert findings(ssot, demo) == [f for f in before if f[2] != "SSOT001"]


def test_extend_per_path_comes_after_the_profiles_entries(ssot, demo):
    before = findings(ssot, demo)
    configure(demo, 'profile = "netra"\n\n[[tool.ssot-lsp.extend-per-path]]\npaths = ["netra_backend/app/services/**"]\n'
                    'severity = { "*" = "hint" }\n')
    after = findings(ssot, demo)
    services = APP + "services/"
    assert [f for f in after if f[0].startswith(services)] == \
        [(p, line, code, "hint") for p, line, code, _ in before if p.startswith(services)]
    assert [f for f in after if not f[0].startswith(services)] == [f for f in before if not f[0].startswith(services)]


# -- --show-settings -----------------------------------------------------------------------------------

SHOWN = '''profile = "netra"
extend-exclude = ["build/**"]
force-exclude = true

[[tool.ssot-lsp.extend-groups]]
name = "engine"
legacy-symbols = ["netra_backend.app.services.old_runner:LegacyRunner"]
replacements = { "netra_backend.app.services.old_runner:LegacyRunner" = "none" }
'''


def line_of(text: str, start: str) -> str:
    (line,) = [line for line in text.splitlines() if line.strip().startswith(start)]
    return line


def test_show_settings_says_where_each_value_came_from(ssot, demo):
    configure(demo, SHOWN)
    run = ssot("check", "--show-settings", "--ignore", "SSOT010", cwd=demo)
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert "pyproject.toml, starting from profile 'netra'" in text
    assert line_of(text, '"build/**"').endswith("# pyproject.toml: extend-exclude[0]")
    assert line_of(text, '"**/backups/**"').endswith("# profile netra")
    assert line_of(text, "force-exclude").endswith("# pyproject.toml: force-exclude")
    assert line_of(text, "respect-gitignore").endswith("# default")
    assert line_of(text, "ignore = [\"SSOT010\"]").endswith("# --ignore (command line)")
    assert line_of(text, '"netra_backend.app.services.old_runner:LegacyRunner",').endswith(
        "# pyproject.toml: extend-groups[0].legacy-symbols[0]")
    first_group = next(line for line in text.splitlines() if line.startswith("[[groups]]"))
    assert first_group.endswith("# profile netra; extended by pyproject.toml: extend-groups[0]")


def test_show_settings_marks_the_profiles_assumptions(ssot, demo):
    text = ssot("check", "--show-settings", cwd=demo).stdout
    wrapper = '"netra_backend.app.agents.execution_engine_consolidated:ConsolidatedExecutionEngineWrapper",'
    assert line_of(text, wrapper).endswith("# profile netra (assumption)")
    lines = text.splitlines()
    above = lines[lines.index(line_of(text, wrapper)) - 1]
    assert above.strip().startswith("#") and "extend-groups" in above  # the end of the reason, just above
    assert line_of(text, '"netra_backend.app.agents.supervisor.execution_engine:ExecutionEngine",').endswith(
        "# profile netra")  # named by the seed: no mark


def test_show_settings_json_has_origins_and_assumptions(ssot, demo):
    configure(demo, SHOWN)
    settings = json.loads(ssot("check", "--show-settings", "--format", "json", cwd=demo).stdout)
    assert settings["profile"] == "netra" and settings["force-exclude"] is True
    assert settings["origins"]["exclude"][-1] == {"layer": "file", "source": str(demo.resolve() / "pyproject.toml"),
                                                  "key": "extend-exclude[0]"}
    assert settings["test-paths"][-1] == "**/conftest.py" and settings["origins"]["test-paths"][0]["layer"] == "profile"
    engine = settings["groups"][0]
    assert engine["replacements"]["netra_backend.app.services.old_runner:LegacyRunner"] == "none"
    assert engine["follow-discovered"] is True and engine["context-types"] == ["UserExecutionContext"]
    wrapper = [a for a in settings["assumptions"] if str(a["entry"]).endswith("ConsolidatedExecutionEngineWrapper")]
    assert wrapper and wrapper[0]["key"] == "groups[engine].legacy-symbols"


def test_show_settings_output_is_a_configuration_with_the_same_findings(ssot, demo):
    configure(demo, SHOWN)
    before = findings(ssot, demo)
    shown = ssot("check", "--show-settings", cwd=demo).stdout
    tomllib.loads(shown)
    (demo / "pyproject.toml").unlink()
    (demo / "ssot-lsp.toml").write_text(shown, encoding="utf-8")
    assert findings(ssot, demo) == before
    again = json.loads(ssot("check", "--show-settings", "--format", "json", cwd=demo).stdout)
    assert again["profile"] is None and again["exclude"][-1] == "build/**"


def test_show_settings_refuses_report_formats(ssot, demo):
    run = ssot("check", "--show-settings", "--format", "sarif", cwd=demo)
    assert run.returncode == 2 and "text or json" in run.stderr and run.stdout == ""


# -- errors ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ('profile = "netra"\nextend-exlude = ["a/**"]\n',
     "pyproject.toml:6: extend-exlude: unknown key (did you mean 'extend-exclude'?)"),
    ('profile = "netra"\nextend-exclude = ["/srv/backups/**"]\n', "pyproject.toml:6: extend-exclude[0]: '/srv/backups/**' is absolute"),
    ('profile = "netra-v2"\n', "pyproject.toml:5: profile: no built-in profile named 'netra-v2' (known: netra)"),
    ('profile = "netra"\n\n[[tool.ssot-lsp.extend-groups]]\nname = "engine"\nreplacements = { "a.b:Gone" = "none" }\n',
     "pyproject.toml:9: extend-groups[0].replacements.\"a.b:Gone\": 'a.b:Gone' is not one of the group's legacy-symbols"),
    ('profile = "netra"\nextend-groups = [{ name = "engnie", legacy-symbols = ["a:B"] }]\n',
     "pyproject.toml:6: extend-groups[0].canonical: required: there is no group named 'engnie' to extend"),
])
def test_bad_configuration_exits_2_naming_file_line_and_key(ssot, demo, text, message):
    configure(demo, text)
    run = ssot("check", cwd=demo)
    assert run.returncode == 2 and run.stdout == ""
    assert message in run.stderr and run.stderr.count("\n") == 1


def test_unknown_code_on_the_command_line_exits_2(ssot, demo):
    run = ssot("check", "--select", "SSOT042", cwd=demo)
    assert run.returncode == 2 and "--select: unknown rule code 'SSOT042'" in run.stderr
