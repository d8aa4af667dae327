"""Where a workspace's cache lives (the facts of ``cache.py``, the findings of ``findings_cache.py``).

Its own module: a warm `check` needs the directory of the findings, not the facts cache, which
imports every fact type.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ssot_lsp.config.model import Config

CACHE_DIR = ".ssot-cache"
CACHE_DIR_ENV = "SSOT_LSP_CACHE_DIR"


def cache_directory(config: Config, option: Path | None = None,
                    environ: Mapping[str, str] | None = None) -> Path:
    """Where a workspace's cache lives: ``option`` (``--cache-dir``, relative to the current
    directory), else ``SSOT_LSP_CACHE_DIR`` in ``environ`` (default: the process environment), else
    the `cache-dir` setting (relative to the root), else ``.ssot-cache`` at the root."""
    if option is not None:
        return option.absolute()
    value = (os.environ if environ is None else environ).get(CACHE_DIR_ENV)
    if value:
        return Path(value).expanduser().absolute()
    if config.cache_dir:
        return config.root / Path(config.cache_dir).expanduser()
    return config.root / CACHE_DIR
