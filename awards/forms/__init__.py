"""Forms of the awards app, one module per area."""
