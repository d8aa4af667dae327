"""`ssot-lsp check --show-settings`: the resolved configuration, as JSON.

Keys use the configuration file's spelling (``source-roots``, ``class-pattern``, ...) so a value
can be copied back into ``[tool.ssot-lsp]``; resolved facts (absolute roots, the baseline path,
effective severities) are added next to them.
"""

from __future__ import annotations

import json

from ssot_lsp.core.codes import RULES


def _pattern(p) -> str | None:
    return p.pattern if p is not None else None


def _group(g) -> dict:
    factory = None
    if g.factory is not None:
        f = g.factory
        factory = {"module": f.module, "imports": list(f.imports), "create": f.create, "scope": f.scope,
                   "async": f.is_async, "supplied-args": list(f.supplied_args), "description": f.description}
    return {
        "name": g.name,
        "canonical": g.canonical,
        "canonical-module": g.canonical_module,
        "canonical-name": g.canonical_name,
        "factory-modules": list(g.factory_modules),
        "factory": factory,
        "legacy-modules": list(g.legacy_modules),
        "legacy-symbols": list(g.legacy_symbols),
        "allowed": list(g.allowed),
        "class-pattern": _pattern(g.class_pattern),
        "method-pattern": _pattern(g.method_pattern),
        "duplicate-name": g.duplicate_name,
        "subclasses-of-legacy": g.subclasses_of_legacy,
        "canonical-subclasses-are-duplicates": g.canonical_subclasses_are_duplicates,
        "compat-constructors": list(g.compat_constructors),
        "context-args": {symbol: {k: v for k, v in (("position", a.position), ("keyword", a.keyword)) if v is not None}
                         for symbol, a in sorted(g.context_args.items())},
        "severity": dict(sorted(g.severity.items())),
        "needles": list(g.needles),
    }


def settings_document(workspace) -> dict:
    from ssot_lsp.cli.baseline import default_baseline_path
    from ssot_lsp.core.cache import CACHE_DIR
    from ssot_lsp.core.engine import rule_enabled

    config = workspace.config
    baseline = default_baseline_path(workspace)
    return {
        "source": config.source,
        "default-profile": config.is_default_profile,
        "root": str(workspace.root),
        "source-roots": list(config.source_roots),
        "resolved-source-roots": [str(r) for r in workspace.source_roots],
        "include": list(config.include),
        "exclude": list(config.exclude),
        "respect-gitignore": config.respect_gitignore,
        "select": list(config.select),
        "ignore": list(config.ignore),
        "severity": dict(sorted(config.severity.items())),
        "effective-severity": {
            code: ("off" if not rule_enabled(config, code) else config.severity.get(code, info.default_severity))
            for code, info in RULES.items()
        },
        "per-path": [
            {"paths": list(o.patterns), "severity": dict(sorted(o.severity.items())), "ignore": list(o.ignore)}
            for o in config.per_path
        ],
        "baseline": config.baseline,
        "resolved-baseline": {"path": str(baseline), "exists": baseline.is_file()},
        "max-file-size-kb": config.max_file_size_kb,
        "cache-dir": str(workspace.root / CACHE_DIR),
        "groups": [_group(g) for g in config.groups],
        "warnings": list(config.warnings),
    }


def show_settings(workspace) -> str:
    return json.dumps(settings_document(workspace), indent=2, ensure_ascii=False)
