"""Selectors of the awards app, re-exported from one module per area."""
