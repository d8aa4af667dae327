"""Second compatibility layer, for the reindex jobs written against v0.9.

``OldEngine`` is what those jobs imported before ``LegacyEngine`` existed.
"""
from netra_backend.app.compat import LegacyEngine, legacy_engine_enabled

OldEngine = LegacyEngine


def old_engine_available() -> bool:
    """The v0.9 jobs check this before they start."""
    return legacy_engine_enabled()


__all__ = ["OldEngine", "old_engine_available"]
