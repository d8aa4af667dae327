"""The rule codes, in report order, without the rules.

Validating a configuration needs the codes only (``severity``, ``select``, per-path ``ignore``); the
registry imports every rule module and what they build on, which a warm `check` answered from its
cache never needs. ``registry.py`` refuses to load when this list and its rules disagree.
"""

from __future__ import annotations

CODES: tuple[str, ...] = (
    "SSOT001", "SSOT002", "SSOT003", "SSOT004", "SSOT005", "SSOT006", "SSOT007", "SSOT008", "SSOT009", "SSOT010",
    "SSOT011",
)
