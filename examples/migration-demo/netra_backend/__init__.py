"""Netra backend: agent execution, WebSocket delivery and HTTP routes.

This package is the demo workspace of ssot-lsp; it is analysed, never run.
"""
