"""Work spread over the machine's cores: a function over many items in worker processes, with
the results in order and only a few items in flight at a time, so that memory stays flat
however many items there are.

Workers are forked (they start at once and share what this process has loaded); where there is
no fork, or only one core, the work is done here, item by item, with the same results. Ctrl-C
is the main process's: the workers ignore it, and end when it stops asking.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 8
AHEAD = 2
"""Items handed to each worker before the first result is waited for."""


def cores() -> int:
    """The processors this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def ordered(function: Callable[[T], R], items: Iterable[T], *, spread: bool = True) -> Iterator[R]:
    """`function(item)` for each item, in the items' order: in worker processes when `spread`
    and the machine has cores to spare, else here. `function` and the items must pickle (a
    module's function, plain data); an exception it raises is raised here, in its place."""
    import multiprocessing

    workers = min(cores(), MAX_WORKERS)
    if not spread or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_starts
    )
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(function, item))
            if len(pending) > workers * AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)


def _worker_starts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
