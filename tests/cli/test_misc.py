"""`ssot-lsp rule`, `--show-settings`, the cache, the prefilter, progress output, the pre-commit hook."""

from __future__ import annotations

import json
import os

from ssot_lsp.core.rules.registry import RULES
from tests.cli.conftest import (
    LEGACY_CALLER,
    REPO,
    SMALL_CONFIG,
    base_env,
    run_on_terminal,
)


def test_rule_explains_a_code(ssot, tmp_path):
    run = ssot("rule", "SSOT002", cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout.startswith("SSOT002 (legacy-construction)")
    assert "default severity: error" in run.stdout
    by_name = ssot("rule", "legacy-construction", cwd=tmp_path)
    assert by_name.returncode == 0 and by_name.stdout == run.stdout
    listing = ssot("rule", cwd=tmp_path)
    assert listing.returncode == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()] == list(RULES)
    unknown = ssot("rule", "SSOT999", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown rule" in unknown.stderr


def test_show_settings(ssot, small):
    config = SMALL_CONFIG + (
        'class-pattern = "Engine$"\nseverity = { SSOT004 = "information" }\n'
        '\n[tool.ssot-lsp.factory]\nmodule = "app.factory"\nimports = ["app.factory:make"]\ncreate = "make({context})"\n'
        '\n[[tool.ssot-lsp.per-path]]\npaths = ["tests/**"]\nseverity = { SSOT002 = "warning" }\nignore = ["SSOT003"]\n')
    config = config.replace("[tool.ssot-lsp]\n", '[tool.ssot-lsp]\nexclude = ["build/**"]\nseverity = { SSOT001 = "error" }\n'
                            'ignore = ["SSOT010"]\n', 1)
    config = config.replace("[tool.ssot-lsp.factory]", "[tool.ssot-lsp.groups.factory]")
    root = small(config=config)
    run = ssot("check", "--show-settings", "--format", "json", cwd=root)
    assert run.returncode == 0, run.stderr
    settings = json.loads(run.stdout)
    assert settings["source"] == str(root.resolve() / "pyproject.toml")
    assert settings["root"] == str(root.resolve())
    assert settings["resolved-source-roots"] == [str(root.resolve())]
    assert settings["include"] == ["**/*.py", "**/*.pyi"] and settings["exclude"] == ["build/**"]
    assert settings["severity"] == {"SSOT001": "error"}
    assert settings["effective-severity"]["SSOT001"] == "error"
    assert settings["effective-severity"]["SSOT010"] == "off"
    assert settings["effective-severity"]["SSOT002"] == RULES["SSOT002"].default_severity
    assert settings["per-path"] == [{"paths": ["tests/**"], "severity": {"SSOT002": "warning"}, "ignore": ["SSOT003"]}]
    (group,) = settings["groups"]
    assert group["name"] == "engine" and group["canonical"] == "app.engine:Engine"
    assert group["legacy-modules"] == ["app.old_engine"] and group["legacy-symbols"] == ["app.old_engine:OldEngine"]
    assert group["class-pattern"] == "Engine$" and group["severity"] == {"SSOT004": "information"}
    assert group["factory"]["create"] == "make({context})"
    assert set(group) >= {"allowed", "method-pattern", "duplicate-name", "subclasses-of-legacy",
                          "canonical-subclasses-are-duplicates", "compat-constructors", "context-args",
                          "factory-modules", "needles"}


def test_show_settings_default_profile(ssot, demo):
    settings = json.loads(ssot("check", "--show-settings", "--format", "json", cwd=demo).stdout)
    assert settings["source"] == "built-in default profile" and settings["default-profile"] is True
    assert [g["name"] for g in settings["groups"]] == ["engine", "supervisor", "emitter"]


def _violations(run) -> list:
    document = json.loads(run.stdout)
    return document["violations"], document["counts"], document["errors"]


def test_warm_cache_equals_cold_run_and_sees_edits(ssot, demo):
    cold = ssot("check", "--format", "json", "--no-cache", cwd=demo)
    assert not (demo / ".ssot-cache").exists(), "--no-cache writes nothing"
    first = ssot("check", "--format", "json", cwd=demo)  # fills the cache
    assert (demo / ".ssot-cache").is_dir()
    warm = ssot("check", "--format", "json", cwd=demo)
    assert cold.stdout == first.stdout == warm.stdout
    # an edit of the same size (mtime changes), then one that changes the size
    target = demo / "netra_backend" / "app" / "services" / "sync_runner.py"
    text = target.read_text()
    edited = text.replace("engine = ExecutionEngine(registry", "engine = ExecutionEngin_(registry", 1)
    assert len(edited) == len(text) and edited != text
    stamp = target.stat()
    target.write_text(edited)
    os.utime(target, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 5_000_000_000))  # mtime moves, whatever the fs granularity
    warm = ssot("check", "--format", "json", cwd=demo)
    cold = ssot("check", "--format", "json", "--no-cache", cwd=demo)
    assert warm.stdout == cold.stdout
    assert len(_violations(warm)[0]) == len(_violations(first)[0]) - 1
    target.write_text(text + "\n\ndef more(registry, websocket_bridge, ctx):\n"
                      "    return ExecutionEngine(registry, websocket_bridge, user_context=ctx)\n")
    warm = ssot("check", "--format", "json", cwd=demo)
    assert warm.stdout == ssot("check", "--format", "json", "--no-cache", cwd=demo).stdout
    assert len(_violations(warm)[0]) == len(_violations(first)[0]) + 1


def test_prefilter_is_sound_on_the_demo(ssot, demo):
    fast = _violations(ssot("check", "--format", "json", "--no-cache", cwd=demo))
    slow = _violations(ssot("check", "--format", "json", "--no-cache", "--no-prefilter", cwd=demo))
    assert fast == slow
    assert fast[0]


def test_no_progress_when_stderr_is_not_a_terminal(ssot, small):
    root = small({"app/user.py": LEGACY_CALLER})
    run = ssot("check", "--no-cache", cwd=root, env=base_env(CI=""))
    assert "\r" not in run.stderr and "files" not in run.stderr
    assert run.stderr == ""


def test_progress_when_stderr_is_a_terminal(small):
    root = small({"app/user.py": LEGACY_CALLER})
    env = {k: v for k, v in base_env().items() if k != "CI"}
    returncode, terminal, stdout = run_on_terminal("check", "--no-cache", cwd=root, env=env, stream="stderr")
    err = terminal.decode()
    assert returncode == 1
    assert "files" in err and "[" in err, err
    assert b"files" not in stdout.split(b"SSOT audit summary")[0].splitlines()[-1]


def test_pre_commit_hook_definition():
    import yaml
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "ssot-lsp"]
    assert hook["entry"] == "ssot-lsp check --force-exclude"
    assert hook["language"] == "python"
    assert hook["types"] == ["python"]
    assert hook["require_serial"] is True


def test_pre_commit_style_invocation(ssot, small):
    """pre-commit passes the changed files as arguments."""
    root = small({"app/user.py": LEGACY_CALLER})
    run = ssot("check", "app/clean.py", "app/engine.py", cwd=root)
    assert run.returncode == 0, run.stdout + run.stderr
    run = ssot("check", "--no-summary", "app/clean.py", "app/user.py", cwd=root)
    assert run.returncode == 1
    assert {line.split(":")[0] for line in run.stdout.splitlines()[:-1]} == {"app/user.py"}
