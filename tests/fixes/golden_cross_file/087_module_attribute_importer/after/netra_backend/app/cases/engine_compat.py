"""Old import path of the engine; kept until every caller moved (issue #759)."""

__all__ = []
