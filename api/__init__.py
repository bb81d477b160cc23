"""The read and write API for other systems (the national emulation database):
token-authenticated clients scoped to a province or the whole country."""
