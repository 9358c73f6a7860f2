"""The analyst's desk: Datasette configured for a fieldreport database, plus
fieldreport's own plugin (event pages with evidence, timeline and map, review).

``create_app(path)`` returns a ready ``Datasette``; ``serve(path, host, port)``
runs it with uvicorn. Both need the ``web`` extra.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ..errors import MissingExtra, UsageError

HERE = Path(__file__).parent
FACETS = ["event_type", "sub_event_type", "country", "admin1", "actor1", "modality", {"date": "event_date"}]


def _require_datasette() -> Any:
    try:
        import datasette  # noqa: F401
        import datasette_cluster_map  # noqa: F401
        import datasette_leaflet  # noqa: F401
    except ImportError as exc:
        raise MissingExtra("web", exc.name or "datasette") from exc


def metadata(db_name: str, *, private: bool = False, tile_url: str | None = None,
             tile_attribution: str | None = None) -> dict[str, Any]:
    """Datasette metadata: facets, full-text search, hidden internals, the offline map."""
    # Without a tile URL the map draws no remote tiles: a local blank tile keeps
    # Leaflet's layout and markers, and nothing leaves the machine.
    tile_layer = tile_url or "/fieldreport-static/blank-tile.png"
    return {
        "title": "fieldreport",
        "description_html": (
            '<a href="/-/timeline">Timeline and map</a> · events with evidence, '
            'review at <a href="/-/login">sign in</a>'
        ),
        "databases": {db_name: {"tables": {
            "events": {"facets": FACETS, "sort_desc": "event_date", "fts_table": "events_fts", "fts_pk": "rowid",
                       "size": 50, "label_column": "notes"},
            "articles": {"fts_table": "articles_fts", "fts_pk": "rowid", "label_column": "title"},
            "users": {"hidden": True},
            "web_fts_state": {"hidden": True},
            "web_secret": {"hidden": True},
            "pages": {"hidden": True},
        }}},
        "plugins": {
            "datasette-cluster-map": {
                "latitude_column": "latitude", "longitude_column": "longitude", "tile_layer": tile_layer,
                "tile_layer_options": {"maxZoom": 19, "attribution": tile_attribution or
                                       ("" if tile_url else "no background map (offline)")},
            },
            "fieldreport": {"private": private, "tile_url": tile_url, "tile_attribution": tile_attribution},
        },
    }


def prepare_database(path: str | Path) -> None:
    """Create the web tables and refresh the full-text indexes (idempotent)."""
    from ..store import open_store
    from .schema import ensure_fts

    with open_store(path, create=False) as store:  # migrates an older schema, refuses a newer one
        ensure_fts(store.db)


def create_app(path: str | Path, *, private: bool = False, tile_url: str | None = None,
               tile_attribution: str | None = None, secret: str | None = None) -> Any:
    """A Datasette instance serving one fieldreport database with fieldreport's plugin."""
    _require_datasette()
    from datasette.app import Datasette
    from datasette.plugins import pm

    from . import plugin

    path = Path(path)
    prepare_database(path)
    if not pm.is_registered(plugin):
        pm.register(plugin, name=plugin.PLUGIN)
    # Our handle_exception answers every error; Datasette's default one would also
    # run, print a rich traceback for each 404 and, outside an except block, crash.
    if pm.get_plugin("datasette.handle_exception") is not None:
        pm.set_blocked("datasette.handle_exception")
    return Datasette(
        [str(path)],
        metadata=metadata(path.stem, private=private, tile_url=tile_url, tile_attribution=tile_attribution),
        template_dir=str(HERE / "templates"),
        static_mounts=[("fieldreport-static", str(HERE / "static"))],
        settings={"suggest_facets": False, "facet_time_limit_ms": 500, "sql_time_limit_ms": 3000,
                  "default_page_size": 50},
        secret=secret or _secret(path),
    )


def _secret(path: Path) -> str:
    """A per-database signing secret kept in the database, so sign-ins survive restarts."""
    import secrets

    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS web_secret (secret TEXT NOT NULL)")
            row = conn.execute("SELECT secret FROM web_secret").fetchone()
            if row is None:
                row = (secrets.token_hex(32),)
                conn.execute("INSERT INTO web_secret (secret) VALUES (?)", row)
        return row[0]
    finally:
        conn.close()


def serve(path: str | Path, host: str = "127.0.0.1", port: int = 8001, **options: Any) -> None:
    """Run the web app until interrupted."""
    _require_datasette()
    import uvicorn

    if not Path(path).exists():
        raise UsageError(f"database {path} does not exist; create it with: fieldreport run PATH --db {path}")
    app = create_app(path, **options)
    print(f"fieldreport: serving {path} at http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(app.app(), host=host, port=port, log_level="warning")


__all__ = ["create_app", "metadata", "prepare_database", "serve"]
