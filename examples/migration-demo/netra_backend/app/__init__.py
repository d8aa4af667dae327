"""Application package of the Netra backend.

Sub-packages:
    agents          -- supervisor, execution engines and agent implementations
    services        -- business services that start agent runs
    routes          -- HTTP endpoints
    websocket_core  -- WebSocket event delivery to the browser
"""
