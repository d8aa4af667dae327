"""`ssot-lsp` command line: check, fix, baseline, rule, serve. Thin: parsing arguments, calling the core."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ssot_lsp import __version__
from ssot_lsp.gc_tuning import tune_garbage_collector

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

DESCRIPTION = """\
Find and fix single-source-of-truth (SSOT) violations in a Python monorepo that is consolidating
duplicate implementations: imports and constructions of legacy classes, a second implementation of
a canonical class, code that bypasses the canonical factory. Each path is checked as part of its
workspace (the directory of the configuration file, or the one holding the profile's modules)."""

EPILOG = """\
examples:
  ssot-lsp check                        the workspace of the current directory
  ssot-lsp check netra_backend tests    two folders, with what the whole workspace defines
  ssot-lsp check --format sarif -o ssot.sarif
  ssot-lsp fix --diff                   the safe fixes as a diff, nothing written
  ssot-lsp rule SSOT002                 what a rule finds, why, and how to fix it by hand
  ssot-lsp check --show-settings        the configuration in effect, and where each value came from

Configuration: [tool.ssot-lsp] in pyproject.toml, or ssot-lsp.toml (see docs/configuration.md);
without one the built-in profile for the netra monorepo layout applies.
Exit codes: 0 clean, 1 violations of warning severity or above, 2 usage or configuration error."""


COMMANDS = ("check", "fix", "baseline", "audit", "rule", "serve")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or (``command``) of that one only: a run of `check` need not
    build the other five (a few milliseconds of every warm `check`); what it parses is the same."""
    parser = argparse.ArgumentParser(prog="ssot-lsp", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"ssot-lsp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in (("check", _check), ("fix", _fix), ("baseline", _baseline), ("audit", _audit),
                      ("rule", _rule), ("serve", _serve)):
        if command in (None, name):
            add(sub)
    return parser


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", help="files or directories (default: current directory)")
    p.add_argument("--config", dest="config_file", help="explicit pyproject.toml or ssot-lsp.toml")
    p.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    p.add_argument("--cache-dir", help="where the cache lives (default: .ssot-cache at the workspace root; "
                                       "also SSOT_LSP_CACHE_DIR or the cache-dir setting)")
    p.add_argument("--force-exclude", action="store_true",
                   help="apply exclude even to files named on the command line (pre-commit)")
    p.add_argument("--no-prefilter", action="store_true", help="analyse every file (slow; for checking)")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when violations are found")
    p.add_argument("--select", help="comma-separated rule codes to run")
    p.add_argument("--ignore", help="comma-separated rule codes to skip")


def _check(sub: Subparsers) -> None:
    check = sub.add_parser("check", help="list violations (text, JSON, SARIF, GitHub annotations)")
    _common(check)
    check.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    check.add_argument("--output", "-o", help="write the report to a file")
    check.add_argument("--statistics", action="store_true", help="counts per rule instead of sites")
    check.add_argument("--stdin-filename", help="check standard input as if it were this file")
    check.add_argument("--show-settings", action="store_true",
                       help="print the merged configuration and where each value came from (text or --format json)")
    check.add_argument("--baseline", help="baseline file (default: from configuration)")
    check.add_argument("--no-baseline", action="store_true", help="report baselined violations too")
    check.add_argument("--update-baseline", action="store_true", help="drop fixed entries from the baseline")
    check.add_argument("--no-summary", action="store_true", help="text format: no audit summary")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="text format: colour (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it)")


def _fix(sub: Subparsers) -> None:
    fix = sub.add_parser("fix", help="apply verified fixes (safe ones; --unsafe-fixes for the rest)")
    _common(fix)
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes that change behaviour")
    fix.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    fix.add_argument("--dry-run", action="store_true", help="report what would be fixed, write nothing")
    fix.add_argument("--format", choices=("text", "json"), default="text",
                     help="the report: text, or one JSON document (fixed/remaining per rule, every site left "
                          "with its reason; with --diff, each file's diff)")


def _baseline(sub: Subparsers) -> None:
    baseline = sub.add_parser("baseline", help="record today's violations: check then reports only new ones")
    _common(baseline)
    baseline.add_argument("--output", "-o", help="baseline file (default: .ssot-baseline.json at the root)")


def _audit(sub: Subparsers) -> None:
    audit = sub.add_parser("audit", help="the migration's tables: per symbol, directory, baseline; --history: the trend")
    _common(audit)
    add_audit_arguments(audit)


def _rule(sub: Subparsers) -> None:
    rule = sub.add_parser("rule", help="explain a rule: what it finds, why, how to fix it")
    rule.add_argument("code", nargs="?", help="rule code or name (default: list all)")


def _serve(sub: Subparsers) -> None:
    serve = sub.add_parser("serve", help="start the language server (for editors)")
    where = serve.add_mutually_exclusive_group()
    where.add_argument("--stdio", action="store_true", help="stdio transport (default)")
    where.add_argument("--tcp", metavar="HOST:PORT")
    where.add_argument("--ws", metavar="HOST:PORT")
    serve.add_argument("--log-file", help="also write the server log to a file")


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def add_audit_arguments(audit: argparse.ArgumentParser) -> None:
    audit.add_argument("--format", choices=("text", "json", "html"), default="text",
                       help="text tables, JSON (docs/audit-report.schema.json) or one self-contained HTML page")
    audit.add_argument("--output", "-o", help="write the report to a file")
    audit.add_argument("--depth", type=positive, default=1, help="directory levels of the directory table (default 1)")
    audit.add_argument("--top", type=int, default=15, help="text: symbols listed per group (0: all; default 15)")
    audit.add_argument("--baseline", help="baseline file to compare with (default: from configuration)")
    audit.add_argument("--no-baseline", action="store_true", help="no comparison with a baseline")
    audit.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="text: colour")
    audit.add_argument("--history", metavar="REV_RANGE",
                       help="analyse past commits of the git repository (e.g. main~200..main, v1.0..HEAD, HEAD)")
    audit.add_argument("--max-points", type=positive, default=50,
                       help="--history: commits sampled evenly over the range, newest included (default 50)")
    audit.add_argument("--sites", action="store_true", help="--history JSON: every point's sites (path, line, code)")


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    parser = build_parser(given[0] if given and given[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    tune_garbage_collector()
    if args.command in ("check", "fix", "baseline", "audit"):  # short runs; the server keeps the defaults
        from ssot_lsp.malloc_tuning import keep_freed_heap

        keep_freed_heap()
    try:
        return _dispatch(parser, args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Run the subcommand, importing only its module (``serve`` never loads the CLI's reports)."""
    if args.command == "check":
        from ssot_lsp.cli.check import run_check
        from ssot_lsp.cli.options import CheckOptions

        return run_check(CheckOptions.from_args(args))
    if args.command == "fix":
        from ssot_lsp.cli.fix import run_fix
        from ssot_lsp.cli.options import FixOptions

        return run_fix(FixOptions.from_args(args))
    if args.command == "baseline":
        from ssot_lsp.cli.baseline import run_baseline
        from ssot_lsp.cli.options import RecordOptions

        return run_baseline(RecordOptions.from_args(args))
    if args.command == "audit":
        from ssot_lsp.cli.audit import run_audit
        from ssot_lsp.cli.options import AuditOptions

        return run_audit(AuditOptions.from_args(args))
    if args.command == "rule":
        from ssot_lsp.cli.rule import run_rule

        return run_rule(args.code)
    if args.command == "serve":
        from ssot_lsp.cli.serve import run_serve

        return run_serve(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
