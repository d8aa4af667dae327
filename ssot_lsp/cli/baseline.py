"""Baseline: placeholder wiring replaced by the baseline module (see ssot_lsp/core/baseline.py)."""

from __future__ import annotations


def apply_baseline(args, workspace, violations, full_scan: bool):
    return violations, 0


def run_baseline(args) -> int:
    raise SystemExit("ssot-lsp baseline: not available yet")
