"""Helpers for reads that build tens of thousands of Python objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk read builds its rows.

    Every few hundred new container objects CPython runs a collection, and as
    the new rows pile up it walks the whole heap of the process (Django's
    modules included) — a third of the time of a 32,000-row country-wide
    ranking. Nothing built here forms a reference cycle, and reference
    counting still frees everything else; collection resumes on exit (unless
    the caller had it off already).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
