"""HTTP routes of the Netra backend."""
