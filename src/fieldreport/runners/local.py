"""The local runner: one visible loop over input pages, with a swappable error handler."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import HINTS, Reject
from ..ingest.files import read_inputs
from ..merge import find_near_duplicate, merge_pending, store_coded
from ..pipeline import check_stage_order, process
from ..records import Article, Coded, Page, Rejected
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
    not_relevant: int = 0  # dropped by the relevance pre-filter: not errors
    near_duplicates: int = 0  # syndicated copies kept as extra sources, not coded again
    merged_reports: int = 0  # per-article events placed into canonical events
    new_events: int = 0
    updated_events: int = 0

    def line(self) -> str:
        return (
            f"{self.pages} pages read, {self.coded} articles coded, {self.events} events, "
            f"{self.not_relevant} not relevant, "
            f"{self.duplicates} duplicates skipped, {self.quarantined} quarantined; "
            f"{self.near_duplicates} near-duplicates kept as sources; {self.merged_reports} reports merged "
            f"into {self.new_events} new and {self.updated_events} updated events"
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
    if settings.workers != 1:  # a process pool over the cores; small inputs stay here
        from .pool import code_in_pool

        yield from code_in_pool(items, resources, settings, store, on_error)
        return
    for item in items:
        if isinstance(item, Rejected):
            yield item, item
        elif store.seen_page(item.sha256):
            yield item, None
        else:
            try:
                yield item, process(item, resources, settings, stop_near_duplicates(store))
            except Exception as exc:  # noqa: BLE001 - the handler decides
                yield item, on_error(item, exc)


def stop_near_duplicates(store: Store) -> Callable[[Article], Coded | None]:
    """An ``after_clean`` hook: a page whose clean text nearly copies a stored
    article becomes an extra source, not a second coding. Engines that cannot
    see the store skip it; ``store_coded`` recognises the copy when it is stored."""
    def check(article: Article) -> Coded | None:
        original = find_near_duplicate(store, article)
        return None if original is None else Coded(article=article, extra={"near_duplicate_of": original})
    return check


def code_pages(
    outcomes: Iterable[tuple[Page | Rejected, Outcome]],
    store: Store,
) -> Iterator[tuple[Summary, Page | Rejected]]:
    """The run loop: store each outcome and count it, then merge the new reports
    into canonical events. Yields after each page so callers can show progress."""
    check_stage_order()
    summary = Summary()
    for item, outcome in outcomes:
        summary.pages += 1
        if outcome is None:
            summary.duplicates += 1
        elif isinstance(outcome, Rejected):
            store.quarantine(outcome)
            summary.quarantined += 1
        elif outcome.extra.get("not_relevant"):
            store.record_page(item.sha256, item.source_path, None, "not_relevant")
            summary.not_relevant += 1
        elif store.has_article(outcome.article.article_id):
            store.record_page(item.sha256, item.source_path, outcome.article.article_id, "duplicate")
            summary.duplicates += 1
        elif store_coded(store, outcome) is not None:
            summary.near_duplicates += 1
        else:
            summary.coded += 1
            summary.events += len(outcome.events)
        yield summary, item
    store.db.commit()
    merged = merge_pending(store)
    summary.merged_reports += merged.reports
    summary.new_events += merged.new_events
    summary.updated_events += merged.updated_events


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
