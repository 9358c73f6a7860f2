"""One real event, one record: merging reports across articles.

Every article's coded events are stored as *reports*; this module folds them
into canonical events (``events``, ``evidence``, ``sources``) that keep every
source and piece of evidence. Merging is incremental: ``merge_pending`` places
only reports that have no event yet, comparing each with the events of its
country on the days its window covers (``engine.Merger``), so yesterday's
events take today's reports and keep their ids. A canonical event's id is the
id of its first report, so adding unrelated articles never changes it.

Reviewers correct the merge with ``merge_events`` and ``split_event``; their
decisions are stored and replayed by ``rebuild_events``. Near-duplicate
articles (syndicated copies) are recognised by ``store_coded`` and become
extra sources of the original's events instead of being coded again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone

from ..errors import UsageError
from ..records import Article, Coded, Event
from ..store import Decision, Store, StoredReport
from .engine import Group, Merger
from .neardup import NEAR_DUPLICATE_JACCARD, bands, minhash, similarity
from .rules import MAX_WINDOW_DAYS, Profile, combine, join, report_profile, site_names

__all__ = [
    "MergeSummary", "find_near_duplicate", "merge_events", "merge_pending", "rebuild_events",
    "refresh_events", "report_sites", "split_event", "store_coded",
]


@dataclass(frozen=True)
class MergeSummary:
    reports: int  # reports placed in this pass
    new_events: int
    updated_events: int  # existing events that took new reports
    comparisons: int

    def line(self) -> str:
        return (f"{self.reports} reports merged into {self.new_events} new and "
                f"{self.updated_events} updated events")


# --- storing an article ------------------------------------------------------

def report_sites(event: Event, text: str) -> frozenset[str]:
    """Named sites (markets, mosques, checkpoints) in the sentences that report the event."""
    sentences = [(e.start, e.end) for e in event.evidence if e.field == "event"]
    return site_names(text, sentences, (event.location, event.admin1, event.admin2, event.country))


def find_near_duplicate(store: Store, article: Article, signature: bytes | None = None) -> str | None:
    """The stored article this one is a near-copy of (its original, never a copy), or None."""
    signature = signature or minhash(article.text)
    best: tuple[float, str] | None = None
    for article_id, stored, root in store.near_duplicate_candidates(bands(signature)):
        if article_id == article.article_id:
            continue
        similar = similarity(signature, stored)
        if similar >= NEAR_DUPLICATE_JACCARD and (best is None or similar > best[0]):
            best = (similar, root)
    return best[1] if best else None


def store_coded(store: Store, coded: Coded) -> str | None:
    """Store one coded article. A near-duplicate of a stored article is kept as
    an extra source of that article's events; returns the original's id then."""
    article = coded.article
    signature = minhash(article.text)
    original = coded.extra.get("near_duplicate_of") or find_near_duplicate(store, article, signature)
    if original:
        store.save_duplicate(article, original, signature)
        with store.db:
            refresh_events(store, store.canonical_of_article(original))
        return str(original)
    sites = {event.event_id: report_sites(event, article.text) for event in coded.events}
    store.save_coded(coded, signature, bands(signature), sites)
    return None


# --- merging -----------------------------------------------------------------

def _profile(report: StoredReport) -> Profile:
    return report_profile(report.event, report.sites, report.published)


def _group(event_id: str, members: Sequence[StoredReport]) -> Group:
    profile = _profile(members[0])
    for member in members[1:]:
        profile = join(profile, _profile(member))
    return Group(event_id, profile, tuple(m.event.event_id for m in members))


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _existing_groups(store: Store, profiles: Iterable[Profile]) -> dict[str, list[StoredReport]]:
    """Canonical events whose reports fall within a month of the pending ones."""
    days = [d for p in profiles for d in (p.start, p.end) if d is not None]
    if not days:
        return {}
    low, high = _iso(min(days) - MAX_WINDOW_DAYS), _iso(max(days) + MAX_WINDOW_DAYS)
    members: dict[str, list[StoredReport]] = {}
    for report in store.iter_reports(
        "WHERE r.event_id IN (SELECT r2.event_id FROM reports r2 JOIN articles a2 ON a2.article_id = r2.article_id"
        " WHERE r2.event_id IS NOT NULL AND coalesce(r2.date_start, r2.event_date, a2.published) BETWEEN ? AND ?)",
        (low, high),
    ):
        assert report.canonical_id is not None
        members.setdefault(report.canonical_id, []).append(report)
    return members


def _write_event(store: Store, event_id: str, members: Sequence[StoredReport]) -> Event:
    sources = store.article_sources(m.event.article_id for m in members)
    event = combine(event_id, [m.event for m in members], sources)
    store.delete_event(event_id)
    store.save_event(event, n_reports=len(members))
    return event


def refresh_events(store: Store, event_ids: Iterable[str]) -> int:
    """Rebuild canonical events from their reports (after sources or members changed)."""
    count = 0
    for event_id in sorted(set(event_ids)):
        members = list(store.iter_reports("WHERE r.event_id = ?", (event_id,)))
        if members:
            _write_event(store, event_id, members)
        else:
            store.delete_event(event_id)
        count += 1
    return count


# Pending reports are merged in date-ordered chunks of this size, so that a
# first load of a large corpus holds one chunk (plus the events within two
# weeks of it) in memory, not the whole corpus.
CHUNK_REPORTS = 5_000


def merge_pending(store: Store, chunk: int = CHUNK_REPORTS) -> MergeSummary:
    """Place every report that has no canonical event yet. Idempotent: a second
    call finds nothing pending and changes nothing."""
    ids = [row[0] for row in store.db.execute(
        "SELECT r.report_id FROM reports r JOIN articles a ON a.article_id = r.article_id WHERE r.event_id IS NULL"
        " ORDER BY coalesce(r.date_start, r.event_date, a.published), r.report_id")]
    total = MergeSummary(0, 0, 0, 0)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        done = _merge_reports(store, list(store.iter_reports(
            f"WHERE r.report_id IN ({', '.join('?' for _ in part)})", tuple(part))))
        total = MergeSummary(total.reports + done.reports, total.new_events + done.new_events,
                             total.updated_events + done.updated_events, total.comparisons + done.comparisons)
    return total


def _merge_reports(store: Store, pending: list[StoredReport]) -> MergeSummary:
    if not pending:
        return MergeSummary(0, 0, 0, 0)
    profiles = {r.event.event_id: _profile(r) for r in pending}
    members = _existing_groups(store, profiles.values())
    merger = Merger(_group(event_id, reports) for event_id, reports in sorted(members.items()))
    existing = set(members)
    # Date order keeps the index small; within a day, reports that name their
    # site go first, so vaguer reports find the site's event already formed.
    ordered = sorted(pending, key=lambda r: (profiles[r.event.event_id].start or 0, not r.sites,
                                             r.event.event_id))
    touched: set[str] = set()
    for report in ordered:
        event_id = merger.add(report.event.event_id, profiles[report.event.event_id])
        members.setdefault(event_id, []).append(report)
        touched.add(event_id)
    with store.db:
        for event_id in sorted(touched):
            store.assign_reports((m.event.event_id for m in members[event_id]), event_id)
            _write_event(store, event_id, members[event_id])
        _reapply_reviewer_edits(store)
    return MergeSummary(len(pending), len(touched - existing), len(touched & existing), merger.comparisons)


def _reapply_reviewer_edits(store: Store) -> None:
    # The web app keeps reviewers' field edits in its own tables; rewriting an
    # event row must not undo them.
    try:
        from ..web.review import reapply
    except ImportError:
        return
    reapply(store)


def rebuild_events(store: Store) -> MergeSummary:
    """Forget every merge, merge all reports again, then replay reviewers' decisions."""
    with store.db:
        store.db.execute("UPDATE reports SET event_id = NULL")
        for table in ("events", "evidence", "sources"):
            store.db.execute(f"DELETE FROM {table}")
    summary = merge_pending(store)
    with store.db:
        for decision in store.decisions():
            _replay(store, decision)
    _reapply_reviewer_edits(store)  # replayed merges rebuild events: keep reviewers' field edits
    return summary


def _canonical(store: Store, report_ids: Iterable[str]) -> set[str]:
    ids = list(report_ids)
    if not ids:
        return set()
    marks = ", ".join("?" for _ in ids)
    return {r[0] for r in store.db.execute(
        f"SELECT DISTINCT event_id FROM reports WHERE report_id IN ({marks}) AND event_id IS NOT NULL", ids)}


def _replay(store: Store, decision: Decision) -> None:
    before = _canonical(store, decision.report_ids)
    if decision.action == "merge":
        target = sorted(_canonical(store, decision.kept_report_ids))
        if not target:
            return  # the kept reports are gone (articles deleted): nothing to merge into
        destination = target[0]
    else:
        destination = decision.result_id
    store.assign_reports(decision.report_ids, destination)
    refresh_events(store, before | {destination})


# --- reviewers -----------------------------------------------------------------

def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _report_ids(store: Store, event_id: str) -> list[str]:
    return [r[0] for r in store.db.execute(
        "SELECT report_id FROM reports WHERE event_id = ? ORDER BY report_id", (event_id,))]


def _require_event(store: Store, event_id: str) -> None:
    if store.db.execute("SELECT 1 FROM events WHERE event_id = ?", (event_id,)).fetchone() is None:
        raise UsageError(f"no event {event_id!r}")


def merge_events(store: Store, keep_id: str, other_id: str, reviewer: str) -> str:
    """A reviewer merges a missed pair: ``other_id``'s reports join ``keep_id``.
    Returns ``keep_id``; ``other_id`` no longer exists. Kept across re-runs."""
    if keep_id == other_id:
        raise UsageError("cannot merge an event with itself")
    _require_event(store, keep_id)
    _require_event(store, other_id)
    kept, moved = _report_ids(store, keep_id), _report_ids(store, other_id)
    with store.db:
        store.assign_reports(moved, keep_id)
        refresh_events(store, (keep_id, other_id))
        store.add_decision(Decision("merge", keep_id, other_id, None, keep_id, tuple(moved), tuple(kept),
                                    reviewer, _now()))
    return keep_id


def split_event(store: Store, event_id: str, article_id: str, reviewer: str) -> str:
    """A reviewer splits a wrong merge: the reports of ``article_id`` (or of the
    article it is a copy of) leave ``event_id`` for a new event, whose id is returned."""
    _require_event(store, event_id)
    row = store.db.execute("SELECT duplicate_of FROM articles WHERE article_id = ?", (article_id,)).fetchone()
    if row is None:
        raise UsageError(f"no article {article_id!r}")
    root = row[0] or article_id
    members = _report_ids(store, event_id)
    moving = [r[0] for r in store.db.execute(
        "SELECT report_id FROM reports WHERE event_id = ? AND article_id = ? ORDER BY report_id", (event_id, root))]
    if not moving:
        raise UsageError(f"article {article_id!r} is not a report of event {event_id!r}")
    if len(moving) == len(members):
        raise UsageError(f"event {event_id!r} has no reports from other articles; nothing to split")
    new_id = _split_id(store, event_id, root)
    with store.db:
        store.assign_reports(moving, new_id)
        refresh_events(store, (event_id, new_id))
        store.add_decision(Decision("split", event_id, None, article_id, new_id, tuple(moving), (),
                                    reviewer, _now()))
    return new_id


def _split_id(store: Store, event_id: str, article_id: str) -> str:
    for attempt in range(100):
        seed = f"{event_id}|split|{article_id}" + (f"|{attempt}" if attempt else "")
        candidate = hashlib.sha256(seed.encode()).hexdigest()[:16]
        if not _report_ids(store, candidate):
            return candidate
    raise UsageError(f"could not find a free id to split {article_id!r} from {event_id!r}")
