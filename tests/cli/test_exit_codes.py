"""Exit codes (0 clean, 1 warning+, 2 usage or configuration error), configuration errors, the default profile."""

from __future__ import annotations

import pytest

from tests.cli.conftest import LEGACY_CALLER, SMALL_CONFIG


def test_clean_workspace_exits_0(ssot, small):
    root = small()
    run = ssot("check", cwd=root)
    assert run.returncode == 0, run.stderr
    assert "Found 0 violations" in run.stdout


def test_violations_exit_1_and_exit_zero(ssot, small):
    root = small({"app/user.py": LEGACY_CALLER})
    run = ssot("check", cwd=root)
    assert run.returncode == 1
    assert "SSOT001" in run.stdout and "SSOT002" in run.stdout
    run = ssot("check", "--exit-zero", cwd=root)
    assert run.returncode == 0
    assert "SSOT002" in run.stdout


def test_information_only_findings_exit_0(ssot, small):
    config = SMALL_CONFIG + '\n[[tool.ssot-lsp.per-path]]\npaths = ["**"]\nseverity = { "*" = "information" }\n'
    root = small({"app/user.py": LEGACY_CALLER}, config=config)
    run = ssot("check", "--format", "json", cwd=root)
    assert run.returncode == 0, run.stdout
    import json

    document = json.loads(run.stdout)
    assert document["violations"], "the findings are still reported"
    assert {v["severity"] for v in document["violations"]} == {"information"}


def test_warning_only_exits_1(ssot, small):
    root = small({"app/user.py": "from app.old_engine import OldEngine\n"})
    run = ssot("check", "--no-summary", cwd=root)
    assert run.returncode == 1
    assert run.lines[0].startswith("app/user.py:1:28: warning SSOT001 ")


@pytest.mark.parametrize("argv", [
    ["check", "--format", "xml"],
    ["check", "--no-such-option"],
    ["frobnicate"],
    [],
])
def test_usage_errors_exit_2(ssot, small, argv):
    run = ssot(*argv, cwd=small())
    assert run.returncode == 2
    assert "usage" in (run.stderr + run.stdout).lower()


def test_missing_path_exits_2(ssot, small):
    run = ssot("check", "does/not/exist", cwd=small())
    assert run.returncode == 2
    assert "does/not/exist" in run.stderr and "no such file" in run.stderr


BAD_CONFIGS = {
    "invalid-toml": ("[tool.ssot-lsp]\ngroups = [\n", "invalid TOML", None),
    "unknown-key": ("[tool.ssot-lsp]\nsevrity = {}\n", "unknown key", "sevrity"),
    "unknown-group-key": (SMALL_CONFIG + "canonical-modul = 'x'\n", "unknown key", "groups[0].canonical-modul"),
    "wrong-type": ("[tool.ssot-lsp]\nmax-file-size-kb = 'big'\n", "must be an integer, not a string", "max-file-size-kb"),
    "wrong-type-list": ("[tool.ssot-lsp]\nexclude = 'tests'\n", "must be an array, not a string", "exclude"),
    "bad-severity": ("[tool.ssot-lsp]\nseverity = { SSOT001 = 'fatal' }\n", "severity must be one of", "severity.SSOT001"),
    "bad-regex": (SMALL_CONFIG + "class-pattern = 'Engine('\n", "invalid regular expression", "groups[0].class-pattern"),
    "catastrophic-regex": (SMALL_CONFIG + "class-pattern = '(a+)+$'\n", "catastrophic", "groups[0].class-pattern"),
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_bad_configuration_exits_2_naming_file_and_key(ssot, small, name):
    config, problem, key = BAD_CONFIGS[name]
    root = small(config=config)
    for command in ("check", "baseline"):
        run = ssot(command, cwd=root)
        assert run.returncode == 2, (command, run.stdout, run.stderr)
        assert "pyproject.toml" in run.stderr, run.stderr
        assert problem in run.stderr, run.stderr
        if key:
            assert f": {key}: " in run.stderr, run.stderr
        assert "Traceback" not in run.stderr
    assert not (root / ".ssot-baseline.json").exists()


def test_explicit_missing_config_exits_2(ssot, small):
    run = ssot("check", "--config", "nope.toml", cwd=small())
    assert run.returncode == 2
    assert "nope.toml" in run.stderr


def test_default_profile_without_its_modules_says_so_once(ssot, tmp_path):
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "main.py").write_text("import os\nprint(os.getcwd())\n")
    run = ssot("check", cwd=tmp_path / "proj")
    assert run.returncode == 0
    assert run.stderr.count("none of the built-in profile's modules") == 1, run.stderr
    assert run.stdout == ""


def test_default_profile_on_the_demo_finds_violations(ssot, demo):
    run = ssot("check", "--no-summary", cwd=demo)
    assert run.returncode == 1
    assert "built-in profile" not in run.stderr



def test_python_dash_m_writes_all_of_a_large_report_and_its_exit_code_before_leaving(small):
    # ``python -m ssot_lsp`` leaves with os._exit (no interpreter teardown): whatever stdout and
    # stderr still buffer must be written first, and main's exit code kept
    import json
    import subprocess
    import sys
    from pathlib import Path

    from tests.cli.conftest import base_env

    root = small({f"app/user_{n}.py": LEGACY_CALLER for n in range(120)})
    env = base_env(PYTHONPATH=str(Path(__file__).resolve().parents[2]))

    def python_m(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ssot_lsp", "check", "--no-cache", *args], cwd=root,
                              capture_output=True, env=env, timeout=120, check=False, text=True)

    report = python_m("--format", "json")
    assert len(report.stdout) > 1 << 16, "the report must outgrow a pipe's buffer for the test to mean anything"
    assert report.returncode == 1, report.stderr
    assert len(json.loads(report.stdout)["violations"]) >= 240
    text = python_m("--exit-zero")
    assert text.returncode == 0
    assert "Found 240 violations" in text.stdout.splitlines()[-2] + text.stdout.splitlines()[-1]


def test_leaving_without_teardown_still_writes_what_stdout_buffers():
    import subprocess
    import sys
    from pathlib import Path

    from tests.cli.conftest import base_env

    program = ("import sys, ssot_lsp.__main__ as entry\n"
               "def main():\n    print('partial line', end='')\n    print('to stderr', file=sys.stderr, end='')\n    return 3\n"
               "entry.main = main\nentry.run()\n")
    env = base_env(PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    env.pop("PYTHONUNBUFFERED", None)  # a pipe's stdout is then block-buffered, as for most users
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False,
                          env=env)
    assert (done.returncode, done.stdout, done.stderr) == (3, "partial line", "to stderr")


def test_a_check_leaves_its_scan_for_the_exit_and_holds_one_run_at_most(small, monkeypatch, capsys):
    # ``__main__.run`` leaves with os._exit: the scan's objects are not freed one by one when
    # the command returns (``leave_for_exit``), and a process that runs several holds the last
    import gc
    import weakref

    from ssot_lsp.cli.common import OpenedWorkspace
    from ssot_lsp.cli.main import main

    root = small({"app/user.py": LEGACY_CALLER})
    monkeypatch.chdir(root)
    scans: list[weakref.ref] = []
    scan = OpenedWorkspace.scan

    def recorded(self, *args, **kwargs):
        result = scan(self, *args, **kwargs)
        scans.append(weakref.ref(result))
        return result

    monkeypatch.setattr(OpenedWorkspace, "scan", recorded)
    assert main(["check", "--no-cache", "--exit-zero"]) == 0
    gc.collect()
    assert scans[0]() is not None, "the scan was freed when the command returned"
    assert main(["check", "--no-cache", "--exit-zero"]) == 0
    gc.collect()
    assert scans[0]() is None and scans[1]() is not None, "a second run holds its own scan only"
    assert "SSOT002" in capsys.readouterr().out
