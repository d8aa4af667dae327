"""Security: an untrusted workspace executes nothing, configuration cannot run commands or hang."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ssot_reliability_support import DEMO, REPO, booby_trapped_workspace

from ssot_lsp.config.loader import ConfigError, parse_config_table
import re

from hypothesis import given
from hypothesis import strategies as st

from ssot_lsp.config.regex_safety import MAX_SUBJECT, UnsafePattern, compile_safe_pattern, search_identifier
from ssot_reliability_support import fuzz_settings
from tests.environment import installed_package_is_this_checkout, isolated_ssot_lsp


def _entry_point() -> list[str]:
    """The console script, when it runs this checkout's code (CI); else the same code, isolated."""
    exe = shutil.which("ssot-lsp")
    return [exe] if exe and installed_package_is_this_checkout() else isolated_ssot_lsp()


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SSOT"))}
    env["CI"] = "true"
    return env


class _Exploit:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'a').write('pickle cache\\n')",))


def plant_malicious_cache(ws: Path, marker: Path) -> Path:
    """What an attacker commits: a facts cache whose unpickling runs code (key computed as the tool does)."""
    from ssot_lsp.core.cache import FactsCache
    from ssot_lsp.core.project import open_workspace

    workspace = open_workspace([ws])
    target = FactsCache.for_workspace(workspace).file  # exactly where the CLI and the server look
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(pickle.dumps({"entries": {"x": _Exploit(str(marker))}, "needles": []}))
    return target


@pytest.mark.parametrize("command", ["check", "fix-dry-run", "baseline", "isolated-module"])
def test_cli_in_untrusted_workspace_runs_none_of_its_code(tmp_path, command):
    marker = tmp_path / "MARKER"
    ws = booby_trapped_workspace(tmp_path, marker)
    plant_malicious_cache(ws, marker)
    if command == "check":
        argv = [*_entry_point(), "check", "--exit-zero"]
    elif command == "fix-dry-run":
        argv = [*_entry_point(), "fix", "--dry-run"]
    elif command == "baseline":
        argv = [*_entry_point(), "baseline", "-o", str(tmp_path / "baseline.json")]
    else:  # how editors start it, but with the untrusted workspace as working directory
        argv = isolated_ssot_lsp("check", "--exit-zero")
    proc = subprocess.run(argv, cwd=ws, env=_clean_env(), capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert not marker.exists(), f"workspace code ran: {marker.read_text()}\nstdout={proc.stdout}\nstderr={proc.stderr}"
    if command in ("check", "isolated-module"):
        assert "SSOT001" in proc.stdout or "legacy" in proc.stdout, proc.stdout + proc.stderr


def test_malicious_cache_is_not_unpickled_in_process(tmp_path):
    marker = tmp_path / "MARKER"
    ws = tmp_path / "ws"
    shutil.copytree(DEMO, ws, ignore=shutil.ignore_patterns(".ssot-cache", "__pycache__"))
    plant_malicious_cache(ws, marker)
    from ssot_lsp.core.cache import FactsCache
    from ssot_lsp.core.project import open_workspace

    workspace = open_workspace([ws])
    cache = FactsCache.for_workspace(workspace)
    assert not marker.exists(), "the facts cache unpickled attacker-controlled objects"
    assert cache.entries == {}


def test_cache_still_round_trips(tmp_path):
    """The restricted unpickler still reads what the tool writes (a warm run hits the cache)."""
    ws = tmp_path / "ws"
    shutil.copytree(DEMO, ws, ignore=shutil.ignore_patterns(".ssot-cache", "__pycache__"))
    from ssot_lsp.core.cache import FactsCache
    from ssot_lsp.core.project import open_workspace

    workspace = open_workspace([ws])
    cold = FactsCache.for_workspace(workspace)
    first = workspace.scan(jobs=1, cache=cold)
    cold.save()
    warm = FactsCache.for_workspace(workspace)
    assert warm.entries, "nothing read back from the cache"
    second = workspace.scan(jobs=1, cache=warm)
    assert warm.hits > 0
    assert [(v.path, v.span, v.code) for v in first.violations] == [(v.path, v.span, v.code) for v in second.violations]


def test_cache_directory_symlinked_outside_is_not_written(tmp_path):
    """A committed `.ssot-cache` symlink pointing outside the workspace must not receive files."""
    outside = tmp_path / "outside"
    outside.mkdir()
    ws = tmp_path / "ws"
    shutil.copytree(DEMO, ws, ignore=shutil.ignore_patterns(".ssot-cache", "__pycache__"))
    (ws / ".ssot-cache").symlink_to(outside, target_is_directory=True)
    proc = subprocess.run([*_entry_point(), "check", "--exit-zero"], cwd=ws, env=_clean_env(),
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr
    assert list(outside.iterdir()) == [], f"cache written through a symlink: {list(outside.iterdir())}"


# -- configuration -----------------------------------------------------------------------------

_MIN_GROUP = {"name": "g", "canonical": "pkg.mod:Canon"}


@pytest.mark.parametrize("key", ["command", "commands", "cmd", "exec", "run", "script", "shell", "plugins",
                                 "plugin", "hook", "hooks", "python", "interpreter", "import", "module-hook"])
def test_configuration_cannot_name_commands(tmp_path, key):
    with pytest.raises(ConfigError) as info:
        parse_config_table({key: "rm -rf / # would run"}, "pyproject.toml", tmp_path)
    assert "unknown key" in str(info.value) and key in str(info.value)
    with pytest.raises(ConfigError) as info:
        parse_config_table({"groups": [{**_MIN_GROUP, key: "touch /tmp/x"}]}, "pyproject.toml", tmp_path)
    assert "unknown key" in str(info.value)


def test_unknown_command_key_rejected_by_cli(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(DEMO, ws, ignore=shutil.ignore_patterns(".ssot-cache", "__pycache__"))
    marker = tmp_path / "MARKER"
    (ws / "pyproject.toml").write_text(f'[tool.ssot-lsp]\ncommand = "touch {marker}"\n')
    proc = subprocess.run([*_entry_point(), "check"], cwd=ws, env=_clean_env(), capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2
    assert "command" in proc.stderr and "unknown key" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and not marker.exists()


def test_config_schema_has_no_command_like_key():
    """The loader's full vocabulary (every key it reads) contains nothing that names a program."""
    import re as _re

    source = (REPO / "ssot_lsp" / "config" / "loader.py").read_text()
    keys = set(_re.findall(r'\.(?:get|strings)\("([a-z-]+)"', source))
    assert keys, "could not read the loader's keys"
    words = {"command", "commands", "cmd", "exec", "execute", "run", "shell", "script", "plugin", "plugins", "hook",
             "hooks", "python", "program", "interpreter", "eval"}
    suspicious = {k for k in keys if words & set(k.split("-"))}
    assert not suspicious, suspicious


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a*)*b", "(a|aa)+$", "(.*a){20}", "(\\w+\\s?)+$", "(a|a?)+",
                                     "^(([a-z])+.)+[A-Z]([a-z])+$", "(x+x+)+y", "(a)\\1", "(?P<n>a)(?P=n)",
                                     "\\w*\\w*\\w*\\w*y$", "\\w*\\d+\\w*x$", "a?" * 20 + "a" * 20, "^.*.*.*.*=$",
                                     "(a?a)+!", "(\\d?a?a\\w)+!", "(ab{1,2})+$"])
def test_catastrophic_patterns_rejected_with_clear_message(tmp_path, pattern):
    table = {"groups": [{**_MIN_GROUP, "class-pattern": pattern}]}
    with pytest.raises(ConfigError) as info:
        parse_config_table(table, "pyproject.toml", tmp_path)
    message = str(info.value)
    assert "groups[0].class-pattern" in message
    assert any(w in message for w in ("backtrack", "back-reference")), message
    assert "\n" not in message


def test_catastrophic_pattern_rejected_by_cli(tmp_path):
    ws = tmp_path / "ws"
    shutil.copytree(DEMO, ws, ignore=shutil.ignore_patterns(".ssot-cache", "__pycache__"))
    (ws / "pyproject.toml").write_text('[tool.ssot-lsp]\n[[tool.ssot-lsp.groups]]\nname = "g"\n'
                                       'canonical = "pkg.mod:Canon"\nclass-pattern = "(a+)+$"\n')
    start = time.monotonic()
    proc = subprocess.run([*_entry_point(), "check"], cwd=ws, env=_clean_env(), capture_output=True, text=True,
                          timeout=60)
    assert time.monotonic() - start < 30
    assert proc.returncode == 2
    assert "class-pattern" in proc.stderr and "backtrack" in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") <= 2, "one clear message expected"


@pytest.mark.parametrize("pattern", ["a+$", "^[A-Za-z]*Engine$", "(Execution)?Engine\\w*$", "\\w*\\d+x$",
                                     ".*.*=$", "a{1,200}b$", "[a-z]+[a-z]+$", "^_?[A-Z]\\w*(Engine|Executor)(Adapter)?$"])
def test_accepted_patterns_are_fast_on_long_names(pattern):
    """Polynomial patterns that pass the check only ever see identifiers capped at MAX_SUBJECT characters."""
    compiled = compile_safe_pattern(pattern)
    worst = 0.0
    for name in ("a" * 100_000, "a" * 100_000 + "!", "Engine" * 20_000 + "!", "1" * 50_000 + "=x", "=" * 100_000):
        start = time.perf_counter()
        search_identifier(compiled, name)
        worst = max(worst, time.perf_counter() - start)
    assert worst < 0.25, f"{pattern}: {worst:.3f}s"
    assert MAX_SUBJECT <= 1024


def test_patterns_from_configuration_go_through_the_capped_matcher():
    """No rule matches a configured pattern against an uncapped subject."""
    import re as _re

    offenders = []
    for path in (REPO / "ssot_lsp").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in _re.finditer(r"(class_pattern|method_pattern)\.(search|match|fullmatch|findall|finditer)\(",
                                  text):
            offenders.append(f"{path.relative_to(REPO)}: {match.group(0)}")
    assert not offenders, offenders


# random patterns from a small grammar: whatever the checker accepts must match capped names quickly
_atoms = st.sampled_from(["a", "b", "\\w", "\\d", ".", "[a-z]", "[A-Z_]", "Engine", "_"])
_quant = st.sampled_from(["", "", "*", "+", "?", "{1,5}", "{2,}", "*?"])


def _pattern_strategy():
    atom = st.builds(lambda a, q: a + q, _atoms, _quant)
    seq = st.lists(atom, min_size=1, max_size=6).map("".join)
    group = st.builds(lambda s, q: f"({s})" + q, seq, _quant)
    alt = st.lists(seq, min_size=2, max_size=3).map(lambda xs: "(" + "|".join(xs) + ")")
    part = st.one_of(atom, group, alt)
    return st.builds(lambda anchor, parts, end: anchor + "".join(parts) + end,
                     st.sampled_from(["", "^"]), st.lists(part, min_size=1, max_size=5), st.sampled_from(["", "$", "!"]))


@fuzz_settings(scale=3)
@given(_pattern_strategy())
def test_any_accepted_pattern_is_fast(pattern):
    try:
        compiled = compile_safe_pattern(pattern)
    except (UnsafePattern, re.error):
        return
    worst = 0.0
    for name in ("a" * MAX_SUBJECT * 4, "a1" * MAX_SUBJECT, "Engine" * 100, "_" * 500, "aB_1" * 100):
        start = time.perf_counter()
        search_identifier(compiled, name)
        worst = max(worst, time.perf_counter() - start)
    assert worst < 0.25, f"{pattern!r} accepted but took {worst:.3f}s on a capped identifier"
