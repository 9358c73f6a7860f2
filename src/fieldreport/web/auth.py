"""Reviewer accounts: salted scrypt hashes in the project database's ``users`` table."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
from datetime import datetime, timezone

from ..errors import UsageError
from .schema import ensure_web_tables

# scrypt cost: n=2**14, r=8 takes ~50 ms and 16 MB on a laptop (OWASP's minimum
# for interactive logins), so a stolen database costs an attacker real work.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
MIN_PASSWORD = 8


def hash_password(password: str, salt: bytes) -> str:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT).hex()


def add_user(db: sqlite3.Connection, name: str, password: str) -> bool:
    """Create a reviewer or reset their password; returns True if the user is new."""
    if not _NAME.match(name):
        raise UsageError(f"user name {name!r} must be 1-64 letters, digits or _.@-")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password must have at least {MIN_PASSWORD} characters")
    ensure_web_tables(db)
    salt = secrets.token_bytes(16)
    new = db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is None
    with db:
        db.execute(
            "INSERT OR REPLACE INTO users (name, salt, password_hash, created) VALUES (?, ?, ?, ?)",
            (name, salt.hex(), hash_password(password, salt), datetime.now(timezone.utc).isoformat(timespec="seconds")),
        )
    return new


def check_password(db: sqlite3.Connection, name: str, password: str) -> bool:
    row = db.execute("SELECT salt, password_hash FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        hash_password(password, b"\0" * 16)  # same work either way: no user-name oracle by timing
        return False
    return hmac.compare_digest(hash_password(password, bytes.fromhex(row[0])), row[1])


def user_exists(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is not None
