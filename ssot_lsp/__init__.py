"""ssot-lsp: find and fix single-source-of-truth violations in Python monorepos mid-migration."""

__version__ = "0.1.0"
