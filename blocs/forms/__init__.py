"""Forms of the blocs app, one module per area."""
