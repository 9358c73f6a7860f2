"""Greedy, blocked clustering of reports into canonical events.

Each report is compared only with the groups indexed under one of its days and
its country (the block), so the cost grows with the number of reports times
the number of events in a country on a day, not with the square of the stream.
Reports arrive in date order; a group whose window ended before the day of the
current report can never take another report and can be flushed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from .rules import Profile, join, score


@dataclass(frozen=True)
class Group:
    """A canonical event being assembled: its id, profile and member reports."""

    event_id: str
    profile: Profile
    report_ids: tuple[str, ...]


class Merger:
    """The blocking index. Its state changes only through ``add`` and ``flush_before``."""

    def __init__(self, groups: Iterable[Group] = ()) -> None:
        self.groups: dict[str, Group] = {}
        self._blocks: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.comparisons = 0
        for group in groups:
            self._put(group)

    def _put(self, group: Group) -> None:
        known = group.event_id in self.groups
        self.groups[group.event_id] = group
        if not known and group.profile.mergeable:
            country = group.profile.country or ""
            for day in group.profile.days:
                self._blocks[day][country].append(group.event_id)

    def candidates(self, profile: Profile) -> list[str]:
        if not profile.mergeable:
            return []
        country = profile.country or ""
        seen: dict[str, None] = {}
        for day in profile.days:
            for event_id in self._blocks[day].get(country, ()) if day in self._blocks else ():
                if event_id in self.groups:
                    seen[event_id] = None
        return list(seen)

    def best_group(self, profile: Profile) -> str | None:
        best: tuple[float, str] | None = None
        for event_id in self.candidates(profile):
            self.comparisons += 1
            fit = score(self.groups[event_id].profile, profile)
            # Highest score wins; on a tie the older (smaller) id, so runs agree.
            if fit is not None and (best is None or fit > best[0] or (fit == best[0] and event_id < best[1])):
                best = (fit, event_id)
        return best[1] if best else None

    def add(self, report_id: str, profile: Profile) -> str:
        """Put one report into the best-fitting group or a new one; returns the group's id."""
        home = self.best_group(profile)
        if home is None:
            self._put(Group(report_id, profile, (report_id,)))
            return report_id
        group = self.groups[home]
        self._put(replace(group, profile=join(group.profile, profile), report_ids=(*group.report_ids, report_id)))
        return home

    def flush_before(self, day: int) -> Iterator[Group]:
        """Remove and yield groups whose window ends before ``day``."""
        done = [g for g in self.groups.values() if g.profile.end is None or g.profile.end < day]
        for group in done:
            del self.groups[group.event_id]
            yield group
        for old in [d for d in self._blocks if d < day]:
            del self._blocks[old]
