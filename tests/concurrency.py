"""Run one piece of work in several threads at the same instant, or hold one
transaction open while the test tries what it should allow or block.

Every concurrency test starts its threads at one barrier, so that they reach
the database together, and closes each thread's connection when it ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction


@dataclass(frozen=True)
class Outcome:
    """What one thread's work did: returned ``value``, or was refused with ``error``."""

    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def kind(self) -> str:
        return "ok" if self.ok else "refused"


def run_concurrently(
    count: int,
    work: Callable[[int], Any],
    *,
    refusals: tuple[type[BaseException], ...] = (ValidationError,),
) -> list[Outcome]:
    """Call ``work(index)`` in ``count`` threads released together.

    An exception of a ``refusals`` type is the thread's outcome; any other is
    raised here once every thread has ended, so that a crash fails the test.
    The outcomes are in the order the threads finished.
    """
    barrier = threading.Barrier(count)
    outcomes: list[Outcome] = []
    crashes: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        outcome = None
        try:
            barrier.wait()
            outcome = Outcome(value=work(index))
        except refusals as exc:
            outcome = Outcome(error=exc)
        except BaseException as exc:  # noqa: BLE001 - raised in the main thread below
            with lock:
                crashes.append(exc)
        finally:
            connection.close()
        if outcome is not None:
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if crashes:
        raise crashes[0]
    return outcomes


@contextmanager
def held_open(work: Callable[[], Any]) -> Iterator[Any]:
    """Run ``work`` in another thread (its own connection), in a transaction
    kept open, with its locks, until the block ends; the block gets what
    ``work`` returned. A failure of ``work``, or of its commit, is raised here."""
    done, release = threading.Event(), threading.Event()
    outcome: list = []

    def run() -> None:
        try:
            with transaction.atomic():
                outcome.append(Outcome(value=work()))
                done.set()
                release.wait(10)
        except BaseException as exc:  # noqa: BLE001 - raised in the main thread below
            outcome.append(Outcome(error=exc))
            done.set()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert done.wait(10), "the work held open did not end"
        if not outcome[0].ok:
            raise outcome[0].error
        yield outcome[0].value
    finally:
        release.set()
        thread.join()
    if len(outcome) > 1:  # the work ended, but its transaction did not commit
        raise outcome[1].error
