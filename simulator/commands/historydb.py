"""The history database: every finished run, its scores per criterion and per person.

One record a team can share: SQLite in the user data directory by default, or a PostgreSQL
URL (`--db postgresql+psycopg://...`, or TABLETOP_DB) that several facilitators write to.
SQLAlchemy Core writes both dialects from one description of the tables, so the tool keeps
no hand-written SQL per engine.

Schema changes are an ordered list of migration functions; a ``schema_version`` table holds
how many have run. Opening the database runs the missing ones in one transaction, under a
lock (PostgreSQL: an advisory lock; SQLite: BEGIN IMMEDIATE), so two processes that open
a new database at once do not both migrate it. The first migration also imports the runs
that the earlier JSON-lines index of runs (runs-index.jsonl) and the runs folder knew.

The journals stay the source of truth: a run is keyed by the SHA-256 of its journal, so
recording the same journal twice (a re-score, an import) adds nothing. Only verified runs
enter: a journal is re-simulated (simulator.players.verify) before its scorecard is recorded, and
``record`` refuses a scorecard that was not, so an edited journal never reaches the shared
record (a paused run is verified as the start of its run).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from simulator.errors import InputError

ENV = "TABLETOP_DB"
FILE = "history.sqlite3"
#: keys one advisory lock on PostgreSQL (any constant shared by every tabletop process)
PG_LOCK = 7_270_010
#: the status of a run that stopped before its end and can be resumed
PAUSED = "paused"


def database_url(db: str | None = None) -> str:
    """--db, else TABLETOP_DB, else SQLite in the user data directory; a path means SQLite."""
    from simulator.runs.userdata import data_dir

    value = (db or os.environ.get(ENV, "")).strip()
    if not value:
        return "sqlite:///" + str(data_dir() / FILE)
    if "://" in value:
        if value.startswith(("postgres://", "postgresql://")):
            # the driver this tool ships with (the postgres extra installs psycopg 3)
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value
    return "sqlite:///" + str(Path(value).expanduser())


def database_file(db: str | None = None) -> Path | None:
    """The SQLite file behind --db (or its default), which no output may overwrite."""
    url = database_url(db)
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def describe_url(url: str) -> str:
    """The URL without a password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


class History:
    """An open history database (tables described once, for every dialect)."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import event
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        self.url = url
        try:
            if url.startswith("sqlite:///"):
                Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
                self.engine = _create(url, connect_args={"timeout": 60})

                @event.listens_for(self.engine, "connect")
                def _no_autobegin(dbapi: Any, _record: Any) -> None:
                    dbapi.isolation_level = None  # transactions begin where we say

                @event.listens_for(self.engine, "begin")
                def _immediate(conn: Any) -> None:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")  # writers queue, never deadlock
            else:
                self.engine = _create(url)
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise InputError(f"--db {describe_url(url) if '://' in url else url}: not a "
                             f"database URL this tool can open ({exc}); use a file path, "
                             "sqlite:///PATH or postgresql+psycopg://USER@HOST/DB "
                             "(pip install 'incident-tabletop[postgres]')") from None
        except OSError as exc:
            raise InputError(f"cannot create the history database {url}: "
                             f"{exc.strerror}") from None
        self.tables = _tables()

    @contextmanager
    def begin(self) -> Iterator[Any]:
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                from sqlalchemy import text

                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK})
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    # --- schema ---------------------------------------------------------------------------
    def version(self, conn: Any) -> int:
        from sqlalchemy import inspect, select

        if not inspect(conn).has_table("schema_version"):
            return 0
        value = conn.execute(select(self.tables["schema_version"].c.version)).scalar()
        return int(value or 0)

    def migrate(self) -> list[str]:
        """Run the missing migrations; returns what the first one imported (journal paths)."""
        from sqlalchemy import delete, insert

        imported: list[str] = []
        with self.begin() as conn:
            done = self.version(conn)
            if done > len(MIGRATIONS):
                raise InputError(f"the history database {describe_url(self.url)} has schema "
                                 f"version {done}, newer than this tool knows "
                                 f"({len(MIGRATIONS)}): upgrade incident-tabletop")
            for number in range(done, len(MIGRATIONS)):
                MIGRATIONS[number](self, conn, imported)
            if done < len(MIGRATIONS):
                conn.execute(delete(self.tables["schema_version"]))
                conn.execute(insert(self.tables["schema_version"]).values(
                    version=len(MIGRATIONS)))
        return imported

    # --- writing --------------------------------------------------------------------------
    def record(self, journal: Path, card: Any, conn: Any | None = None,
               paused: bool = False) -> bool:
        """Store a graded run; False when this very journal was recorded already.

        ``paused``: the run stopped before its end (Ctrl-C, SIGTERM) and can be resumed; it
        is recorded with the status "paused", and the record of the same journal made when
        it pauses again or finishes replaces it, so a run is one row whatever its pauses.
        """
        if getattr(card, "verified", None) is None:
            raise InputError(f"{journal}: only a verified run is recorded in the history "
                             "(its journal re-simulated first: see verified_card)")
        digest = hashlib.sha256(journal.read_bytes()).hexdigest()
        if conn is None:
            with self.begin() as own:
                return self._record(own, journal, digest, card, paused)
        return self._record(conn, journal, digest, card, paused)

    def _record(self, conn: Any, journal: Path, digest: str, card: Any,
                paused: bool = False) -> bool:
        from sqlalchemy import insert, select

        t = self.tables
        if conn.execute(select(t["runs"].c.id).where(t["runs"].c.digest == digest)).first():
            return False
        where = str(journal.expanduser().resolve())[:1000]
        self._forget_paused(conn, where)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(journal.stat().st_mtime))
        run_id = conn.execute(insert(t["runs"]).values(
            digest=digest, journal=where,
            recorded_at=stamp, scenario=card.scenario_id[:200], seed=int(card.seed),
            player=str(card.player)[:100], status=PAUSED if paused else str(card.status)[:40],
            score=int(card.score))).inserted_primary_key[0]
        rows = [{"run_id": run_id, "person": None, "criterion": c.id, "rating": c.rating,
                 "points": float(c.points), "max_points": float(c.max_points)}
                for c in card.criteria]
        for person in card.participants:
            conn.execute(insert(t["people"]).values(
                run_id=run_id, name=str(person["name"])[:40], role=str(person["role"])[:20],
                score=person["score"]))
            rows += [{"run_id": run_id, "person": str(person["name"])[:40],
                      "criterion": c["id"], "rating": c["rating"],
                      "points": float(c["points"]), "max_points": float(c["max_points"])}
                     for c in person["criteria"]]
        if rows:
            conn.execute(insert(t["results"]), rows)
        return True

    def _forget_paused(self, conn: Any, journal: str) -> None:
        """Remove the paused record of this journal (its run goes on in the same file)."""
        from sqlalchemy import delete, select

        t = self.tables
        runs = t["runs"]
        old = [r.id for r in conn.execute(select(runs.c.id).where(
            runs.c.journal == journal, runs.c.status == PAUSED))]
        if not old:
            return
        for name in ("results", "people"):
            conn.execute(delete(t[name]).where(t[name].c.run_id.in_(old)))
        conn.execute(delete(runs).where(runs.c.id.in_(old)))

    # --- reading --------------------------------------------------------------------------
    def runs(self, person: str | None = None, scenario: str | None = None
             ) -> list[dict[str, Any]]:
        """Runs oldest first; with ``person``, that person's runs with their own score."""
        from sqlalchemy import select

        t = self.tables
        runs, people = t["runs"], t["people"]
        if person is None:
            query = select(runs)
        else:
            query = (select(runs, people.c.name.label("person"), people.c.role,
                            people.c.score.label("person_score"))
                     .join(people, people.c.run_id == runs.c.id)
                     .where(people.c.name == person))
        if scenario is not None:
            query = query.where(runs.c.scenario == scenario)
        query = query.order_by(runs.c.recorded_at, runs.c.id)
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(query)]
            ids = [r["id"] for r in rows]
            results = t["results"]
            wanted = select(results).where(results.c.run_id.in_(ids)) if ids else None
            by_run: dict[int, dict[str, dict[str, Any]]] = {i: {} for i in ids}
            if wanted is not None:
                wanted = wanted.where(results.c.person.is_(None) if person is None
                                      else results.c.person == person)
                for r in conn.execute(wanted):
                    by_run[r.run_id][r.criterion] = {"rating": r.rating, "points": r.points,
                                                     "max_points": r.max_points}
        for row in rows:
            row["criteria"] = by_run[row["id"]]
            if person is not None:
                row["score"] = row.pop("person_score")
        return rows


def _create(url: str, **kwargs: Any) -> Any:
    from sqlalchemy import create_engine

    return create_engine(url, future=True, **kwargs)


def _tables() -> dict[str, Any]:
    """The tables as of the newest migration (the migrations create them step by step)."""
    from sqlalchemy import Column, Float, ForeignKey, Integer, MetaData, String, Table

    meta = MetaData()
    return {
        "schema_version": Table("schema_version", meta, Column("version", Integer,
                                                              nullable=False)),
        "runs": Table(
            "runs", meta, Column("id", Integer, primary_key=True, autoincrement=True),
            Column("digest", String(64), nullable=False, unique=True),
            Column("journal", String(1000), nullable=False),
            Column("recorded_at", String(20), nullable=False),
            Column("scenario", String(200), nullable=False),
            Column("seed", Integer, nullable=False),
            Column("player", String(100), nullable=False),
            Column("status", String(40), nullable=False),
            Column("score", Integer, nullable=False)),
        "people": Table(
            "people", meta, Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
            Column("name", String(40), nullable=False),
            Column("role", String(20), nullable=False),
            Column("score", Integer, nullable=True)),
        "results": Table(
            "results", meta, Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
            Column("person", String(40), nullable=True),
            Column("criterion", String(80), nullable=False),
            Column("rating", String(3), nullable=False),
            Column("points", Float, nullable=False),
            Column("max_points", Float, nullable=False)),
    }


# --- migrations: append only; each runs once, in order, inside the opening transaction ----
def _v1_tables(db: History, conn: Any, imported: list[str]) -> None:
    """The first schema, and the runs the JSON-lines index and the runs folder knew."""
    for name in ("schema_version", "runs", "people", "results"):
        db.tables[name].create(conn, checkfirst=True)
    imported += _import_index(db, conn)


def _v2_indexes(db: History, conn: Any, imported: list[str]) -> None:
    """Lookups by person and by scenario stay fast as the shared record grows."""
    from sqlalchemy import Index

    t = db.tables
    for index in (Index("ix_people_name", t["people"].c.name),
                  Index("ix_runs_scenario", t["runs"].c.scenario),
                  Index("ix_results_run", t["results"].c.run_id)):
        index.create(conn, checkfirst=True)


def _v3_journal_index(db: History, conn: Any, imported: list[str]) -> None:
    """A paused run's record is found by its journal when the run pauses again or ends."""
    from sqlalchemy import Index

    Index("ix_runs_journal", db.tables["runs"].c.journal).create(conn, checkfirst=True)


MIGRATIONS: list[Callable[[History, Any, list[str]], None]] = [
    _v1_tables, _v2_indexes, _v3_journal_index]


def verified_card(journal: Any) -> Any:
    """The scorecard of a journal already read, once the simulation reproduced it (an
    edited or forged journal raises InputError, located, and is not graded)."""
    from scoring import grade
    from simulator.players.verify import verify

    checked = verify(journal)
    card = grade(journal, checked.scenario, compare=False)
    card.verified = checked.compared
    return card


def _import_index(db: History, conn: Any) -> list[str]:
    """Verify, grade and record every finished journal the earlier index of runs pointed
    to."""
    from simulator.errors import TabletopError
    from simulator.runs.journal import read_journal
    from simulator.runs.runindex import known_journals

    done = []
    present, _gone = known_journals()
    for path in present:
        try:
            journal = read_journal(path)
            if journal.end is None:
                continue  # unfinished: recorded when it is resumed to its end
            if db.record(path, verified_card(journal), conn):
                done.append(str(path))
        except (TabletopError, OSError):
            continue  # a journal that cannot be read, verified or graded stays out
    return done


def open_history(db: str | None = None) -> History:
    """Open (and if needed create or upgrade) the history database."""
    from sqlalchemy.exc import SQLAlchemyError

    history = History(database_url(db))
    try:
        history.migrate()
    except SQLAlchemyError as exc:
        history.close()
        raise InputError(f"cannot open the history database {describe_url(history.url)}: "
                         f"{_first_line(exc)}") from None
    return history


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]


def record_finished(journal: Path, card: Any, db: str | None = None,
                    paused: bool = False) -> None:
    """Record a run (finished, or ``paused``); a database that cannot be written warns,
    never stops a run."""
    import sys

    from sqlalchemy.exc import SQLAlchemyError

    try:
        history = open_history(db)
    except InputError as exc:
        print(f"tabletop: warning: could not record this run in the history ({exc})",
              file=sys.stderr)
        return
    try:
        history.record(journal, card, paused=paused)
    except InputError as exc:
        print(f"tabletop: warning: this run is not recorded in the history ({exc})",
              file=sys.stderr)
    except (SQLAlchemyError, OSError) as exc:
        print(f"tabletop: warning: could not record this run in the history database "
              f"{describe_url(history.url)} ({_first_line(exc)})", file=sys.stderr)
    finally:
        history.close()
