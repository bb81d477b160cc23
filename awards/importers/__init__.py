"""Excel importers of the awards app: preview with every row's errors, then
all-or-nothing writes through the services."""
