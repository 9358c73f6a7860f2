"""The local runner: one visible loop over input pages, with a swappable error handler."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import HINTS, Reject
from ..ingest.files import read_inputs
from ..pipeline import check_stage_order, process
from ..records import Coded, Page, Rejected
from ..resources import Resources, load_resources
from ..store import Store

ErrorHandler = Callable[[Page, Exception], Rejected]


def quarantine_errors(page: Page, exc: Exception) -> Rejected:
    """Runs: every failure becomes a quarantine row and the run goes on."""
    if isinstance(exc, Reject):
        return Rejected(page.source_path, page.sha256, exc.code, exc.detail, exc.hint)
    detail = f"{type(exc).__name__}: {exc}"
    return Rejected(page.source_path, page.sha256, "STAGE_FAILED", detail, HINTS["STAGE_FAILED"])


def raise_errors(page: Page, exc: Exception) -> Rejected:
    """Tests: fail loudly on the first problem."""
    raise exc


@dataclass
class Summary:
    pages: int = 0
    coded: int = 0
    events: int = 0
    duplicates: int = 0
    quarantined: int = 0

    def line(self) -> str:
        return (
            f"{self.pages} pages read, {self.coded} articles coded, {self.events} events, "
            f"{self.duplicates} duplicates skipped, {self.quarantined} quarantined"
        )


Outcome = Coded | Rejected | None  # None: the page was already in the store


def code_serially(
    items: Iterable[Page | Rejected],
    resources: Resources,
    settings: Settings,
    store: Store,
    on_error: ErrorHandler = quarantine_errors,
) -> Iterator[tuple[Page | Rejected, Outcome]]:
    """Map ``process`` over pages in this process. Other engines (a process pool,
    Ray) replace only this function: the loop in ``code_pages`` stays the same."""
    for item in items:
        if isinstance(item, Rejected):
            yield item, item
        elif store.seen_page(item.sha256):
            yield item, None
        else:
            try:
                yield item, process(item, resources, settings)
            except Exception as exc:  # noqa: BLE001 - the handler decides
                yield item, on_error(item, exc)


def code_pages(
    outcomes: Iterable[tuple[Page | Rejected, Outcome]],
    store: Store,
) -> Iterator[tuple[Summary, Page | Rejected]]:
    """The run loop: store each outcome and count it. Yields after each page so
    callers can show progress."""
    check_stage_order()
    summary = Summary()
    for item, outcome in outcomes:
        summary.pages += 1
        if outcome is None:
            summary.duplicates += 1
        elif isinstance(outcome, Rejected):
            store.quarantine(outcome)
            summary.quarantined += 1
        elif store.has_article(outcome.article.article_id):
            store.record_page(item.sha256, item.source_path, outcome.article.article_id, "duplicate")
            summary.duplicates += 1
        else:
            store.save_coded(outcome)
            summary.coded += 1
            summary.events += len(outcome.events)
        yield summary, item
    store.db.commit()


def run_local(
    paths: Iterable[str | Path],
    settings: Settings,
    store: Store,
    resources: Resources | None = None,
    on_error: ErrorHandler = quarantine_errors,
) -> Summary:
    from tqdm import tqdm

    resources = resources or load_resources(settings)
    summary = Summary()
    items = read_inputs(paths, settings.max_page_bytes)
    bar = tqdm(unit="page", disable=None if settings.progress else True, leave=False)
    outcomes = code_serially(items, resources, settings, store, on_error)
    for summary, _ in code_pages(outcomes, store):
        bar.update(1)
        bar.set_postfix(events=summary.events, quarantined=summary.quarantined, refresh=False)
    bar.close()
    return summary
