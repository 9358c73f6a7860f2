"""fieldreport: raw news about armed conflict in, evidence-backed ACLED events out.

The public API; the command line (``fieldreport.cli``) is a thin layer over it::

    settings = load_settings()
    resources = load_resources(settings)
    with open_store("project.sqlite") as store:
        summary = run_local(["news/"], settings, store, resources)
        export_events(store.iter_events(), "jsonl", sys.stdout)
"""

from .config import Settings, load_settings
from .errors import FieldreportError, Reject, ResourceError, UsageError
from .eval import evaluate, evaluate_file
from .export import export_events
from .merge import merge_events, split_event
from .pipeline import process, process_article
from .records import Article, Coded, Event, Evidence, Page, Place, Rejected, Source
from .resources import Resources, load_resources
from .runners.local import Summary, run_local
from .store import Store, open_store

__all__ = [
    "Article",
    "Coded",
    "Event",
    "Evidence",
    "FieldreportError",
    "Page",
    "Place",
    "Reject",
    "Rejected",
    "ResourceError",
    "Resources",
    "Settings",
    "Source",
    "Store",
    "Summary",
    "UsageError",
    "evaluate",
    "evaluate_file",
    "export_events",
    "load_resources",
    "load_settings",
    "merge_events",
    "open_store",
    "process",
    "process_article",
    "run_local",
    "split_event",
]
