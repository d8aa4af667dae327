"""WebSocket core: the single path for agent events to reach the browser."""
from .unified_emitter import UnifiedWebSocketEmitter

__all__ = ["UnifiedWebSocketEmitter"]
