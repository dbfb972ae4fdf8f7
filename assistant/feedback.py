"""Helpful / not-helpful feedback on answers, from the web page and Slack, in one SQLite file."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    comment TEXT,
    channel TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_by_answer ON feedback(answer_id);
"""


@dataclass(frozen=True)
class FeedbackEntry:
    answer_id: str
    helpful: bool
    comment: str | None
    channel: str
    created_at: str


class FeedbackStore:
    """Append-only feedback log; safe to share between threads of one process."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def record(self, answer_id: str, helpful: bool, comment: str | None = None, channel: str = "web") -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO feedback(answer_id, helpful, comment, channel, created_at) VALUES (?,?,?,?,?)",
                (answer_id, int(helpful), comment, channel, now),
            )

    def entries(self, answer_id: str | None = None) -> list[FeedbackEntry]:
        query = "SELECT answer_id, helpful, comment, channel, created_at FROM feedback"
        args: tuple[str, ...] = ()
        if answer_id:
            query, args = query + " WHERE answer_id=?", (answer_id,)
        with self._lock:
            rows = self._db.execute(query + " ORDER BY id", args).fetchall()
        return [FeedbackEntry(a, bool(h), c, ch, t) for a, h, c, ch, t in rows]

    def close(self) -> None:
        self._db.close()
