"""Excel importers of the blocs app: a preview of every row's errors, and
nothing written unless the whole file is valid."""
