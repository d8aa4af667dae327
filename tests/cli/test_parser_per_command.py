"""`main` builds only the parser of the command it runs (``build_parser(command)``): what it parses,
and the help and errors it prints, must be those of the full parser."""

from __future__ import annotations

import pytest

from ssot_lsp.cli.main import COMMANDS, build_parser

ARGV = {
    "check": ["check", "--format", "sarif", "-o", "out.sarif", "--statistics", "--no-baseline", "src", "tests"],
    "fix": ["fix", "--unsafe-fixes", "--diff", "--jobs", "2", "."],
    "baseline": ["baseline", "-o", "base.json", "--select", "SSOT001"],
    "audit": ["audit", "--format", "json", "--depth", "2", "--history", "main~3..main"],
    "rule": ["rule", "SSOT002"],
    "serve": ["serve", "--tcp", "127.0.0.1:2087"],
}


def test_every_command_has_an_example():
    assert set(ARGV) == set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_one_command_s_parser_parses_what_the_full_parser_parses(command):
    argv = ARGV[command]
    assert vars(build_parser(command).parse_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("command", COMMANDS)
def test_one_command_s_help_is_the_full_parser_s(command, capsys):
    texts = []
    for parser in (build_parser(command), build_parser()):
        with pytest.raises(SystemExit):
            parser.parse_args([command, "--help"])
        texts.append(capsys.readouterr().out)
    assert texts[0] == texts[1] and f"usage: ssot-lsp {command}" in texts[0]


def test_an_unknown_command_lists_every_command(capsys):
    from ssot_lsp.cli.main import main

    with pytest.raises(SystemExit):
        main(["chek"])
    error = capsys.readouterr().err
    assert "invalid choice: 'chek'" in error and all(command in error for command in COMMANDS)
