"""The local engine over every core: ``process`` in a pool of worker processes.

Produces the same ordered ``(item, outcome)`` stream as ``code_serially``, so
``code_pages`` stores exactly what a serial run stores. Each worker loads spaCy,
the gazetteer and the dictionaries once, in the pool's initializer.

Workers are started with ``spawn``: the parent holds an open SQLite store and
gazetteer connection, which a forked child must not share.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import FieldreportError
from ..records import Coded, Page, Rejected
from ..resources import Resources, load_resources

if TYPE_CHECKING:
    from ..store import Store
    from .local import ErrorHandler, Outcome

# Starting a worker costs 3-5 s (spaCy and the gazetteer); a page costs
# 0.05-0.3 s. Below this many pages the pool does not pay for itself on two
# to eight cores, so a run that small stays in-process (measured on the demo
# corpus and bench/throughput.py's corpus, 2-core machine).
POOL_MIN_PAGES = 64
# Pages in flight per worker: enough to keep every worker busy while the
# parent stores results, few enough to bound memory on huge inputs.
IN_FLIGHT_PER_WORKER = 4


class WorkerError(FieldreportError):
    """A stage failed inside a worker; the message holds the worker's traceback."""


def worker_count(settings: Settings) -> int:
    """``settings.workers``, where 0 means every core."""
    return settings.workers if settings.workers > 0 else (os.cpu_count() or 1)


_worker_resources: Resources | None = None
_worker_settings: Settings | None = None


def _init_worker(settings: Settings) -> None:
    """Pool initializer: load the heavy resources once per worker process."""
    global _worker_resources, _worker_settings
    _worker_settings = settings
    _worker_resources = load_resources(settings)


def _code_in_worker(page: Page) -> tuple[Coded | None, Rejected | None, str]:
    """Runs in a worker. Failures come back as data: Reject's custom
    constructor does not survive pickling, and the handler lives in the parent."""
    from ..pipeline import process
    from .local import quarantine_errors

    assert _worker_resources is not None and _worker_settings is not None
    try:
        return process(page, _worker_resources, _worker_settings), None, ""
    except Exception as exc:  # noqa: BLE001 - returned to the parent's handler
        return None, quarantine_errors(page, exc), traceback.format_exc()


def code_in_pool(
    items: Iterable[Page | Rejected],
    resources: Resources | None,
    settings: Settings,
    store: Store,
    on_error: ErrorHandler | None = None,
) -> Iterator[tuple[Page | Rejected, Outcome]]:
    """Map ``process`` over pages in worker processes, yielding in input order."""
    from .local import code_serially, quarantine_errors

    on_error = on_error or quarantine_errors
    workers = worker_count(settings)
    items = iter(items)
    serial = replace(settings, workers=1)
    head = list(islice(items, POOL_MIN_PAGES))
    if workers == 1 or (settings.workers == 0 and len(head) < POOL_MIN_PAGES):
        yield from code_serially(chain(head, items), resources or load_resources(serial), serial, store, on_error)
        return

    context = multiprocessing.get_context("spawn")
    window: deque[tuple[Page | Rejected, Future[Any] | Outcome]] = deque()
    in_flight: Counter[str] = Counter()  # page hashes submitted and not yet stored
    limit = workers * IN_FLIGHT_PER_WORKER
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(serial,)) as pool:
        pending = chain(head, items)
        exhausted = False
        while window or not exhausted:
            while not exhausted and len(window) < limit:
                item = next(pending, None)
                if item is None:
                    exhausted = True
                elif isinstance(item, Rejected):
                    window.append((item, item))
                elif in_flight[item.sha256] or store.seen_page(item.sha256):
                    window.append((item, None))  # a copy of a page already coded or on its way
                else:
                    in_flight[item.sha256] += 1
                    window.append((item, pool.submit(_code_in_worker, item)))
            if not window:
                break
            item, pending_outcome = window.popleft()
            if isinstance(pending_outcome, Future):
                coded, rejected, trace = pending_outcome.result()
                in_flight[item.sha256] -= 1
                if coded is not None:
                    outcome: Outcome = coded
                elif on_error is quarantine_errors:
                    outcome = rejected
                else:
                    assert rejected is not None and isinstance(item, Page)
                    outcome = on_error(item, WorkerError(f"{rejected.code}: {rejected.detail}\n{trace}"))
                yield item, outcome
            else:
                yield item, pending_outcome
