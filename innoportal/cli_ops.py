"""Operators' commands of `innoportal`: schema migrations and parked messages (replay, purge)."""

import argparse
import asyncio
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any


def service_database(name: str) -> Any:
    """The service's configured database (INNOPORTAL_<SERVICE>_DATABASE_URL, else SQLite)."""
    from innoportal.db import Database
    from innoportal.services import service_module
    from innoportal.settings import ServiceSettings, common_settings

    module = service_module(name, "settings")
    cls = next(v for v in vars(module).values() if isinstance(v, type)
               and issubclass(v, ServiceSettings) and v is not ServiceSettings)
    return Database(cls().database_url_or_default(common_settings()))


async def new_revision(history: Any, message: str, scratch: Path) -> Path:
    """Write the next revision of the history: what the models gained since head (autogenerate)."""
    from alembic import command

    from innoportal.db import Database
    from innoportal.migrate import migrate

    db = Database(f"sqlite:///{scratch / (history.service + '-head.db')}")
    try:
        await migrate(db, history)
        number = 1 + max((int(s.revision) for s in history.script.walk_revisions()
                          if s.revision.isdigit()), default=0)
        async with db.engine.connect() as conn:
            script = await conn.run_sync(lambda c: command.revision(
                history.config(c), message=message, autogenerate=True, rev_id=f"{number:04d}"))
        return Path(script.path)
    finally:
        await db.dispose()


async def _migrate_one(name: str, args: argparse.Namespace) -> str:
    from innoportal.migrate import check_at_head, migrate, service_history

    history = service_history(name)
    if args.new:
        with tempfile.TemporaryDirectory() as scratch:
            return f"{name}: wrote {await new_revision(history, args.new, Path(scratch))}"
    db = service_database(name)
    try:
        if args.status:
            return f"{name}: database at {await check_at_head(db, history)} (head)"
        return (await migrate(db, history)).describe(name)
    finally:
        await db.dispose()


def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply each service's migrations to its database (or only say where it stands)."""
    from innoportal.migrate import MigrationError
    from innoportal.services import SERVICES

    if args.new and not args.service:
        print("error: --new writes a revision of one service: name it", file=sys.stderr)
        return 2
    failed = False
    for name in [args.service] if args.service else list(SERVICES):
        try:
            print(asyncio.run(_migrate_one(name, args)), flush=True)
        except MigrationError as exc:
            print(f"error: {exc}", file=sys.stderr, flush=True)
            failed = True
    return 1 if failed else 0


def prepare_or_refuse(runtime: Any) -> bool:
    """Migrate a service's database before it serves (`innoportal serve`); False, and why on
    stderr, when it must not start."""
    from innoportal.migrate import MigrationError

    async def prepare() -> None:
        try:
            await runtime.prepare_database()
        finally:
            await runtime.db.dispose()  # the server's event loop opens its own connections

    try:
        asyncio.run(prepare())
    except MigrationError as exc:
        print(f"error: {exc}\n{runtime.name} not started", file=sys.stderr, flush=True)
        return False
    return True


def _selection(args: argparse.Namespace, purging: bool) -> Any:
    from innoportal.parked import Selection

    if args.ids and args.all:
        raise ValueError("give IDs or --all, not both")
    older = getattr(args, "older_than", None)
    if not (args.ids or args.all or (purging and (args.consumer or older is not None))):
        raise ValueError("say which: IDs (from `innoportal parked list`) or --all"
                         + (", --consumer or --older-than" if purging else ""))
    return Selection(ids=tuple(args.ids), consumer=args.consumer or None,
                     older_than=timedelta(hours=older) if older is not None else None)


def cmd_parked_act(args: argparse.Namespace) -> int:
    """Replay or purge parked messages; one line each, then a count."""
    from innoportal.parked import purge_parked, replay_parked
    from innoportal.settings import common_settings

    purging = args.action == "purge"
    try:
        selection = _selection(args, purging)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    act = purge_parked if purging else replay_parked
    verb = "purged" if purging else "replayed"
    try:
        done, missing = asyncio.run(act(args.nats_url or common_settings().nats_url, selection))
    except Exception as exc:  # NATS away, a message that cannot go back: said, not a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    for msg in done:
        print(f"{verb} {msg.seq:>6}  {msg.consumer}  {msg.subject or '?'}  {msg.reason}")
    for seq in missing:
        print(f"error: no parked message {seq}" + (f" of {args.consumer}" if args.consumer else ""),
              file=sys.stderr)
    print(f"{len(done)} message(s) {verb}")
    return 1 if missing else 0


def add_commands(sub: Any, parked: Any) -> None:
    """`innoportal migrate`, and `replay` and `purge` under `innoportal parked`."""
    from innoportal.services import SERVICES

    migrate = sub.add_parser("migrate", help="apply the schema migrations (all services, or one)")
    migrate.add_argument("service", nargs="?", choices=list(SERVICES))
    migrate.add_argument("--status", action="store_true",
                         help="only say whether the database is at this release's head")
    migrate.add_argument("--new", metavar="MESSAGE", default="",
                         help="developers: write the service's next revision from its models")
    migrate.set_defaults(func=cmd_migrate)

    for action, text in (("replay", "publish parked messages again for their consumer"),
                         ("purge", "delete parked messages for good")):
        cmd = parked.add_parser(action, help=text)
        cmd.add_argument("ids", nargs="*", type=int, metavar="ID", help="as `parked list` shows")
        cmd.add_argument("--all", action="store_true", help="every parked message (of --consumer)")
        cmd.add_argument("--consumer", default="", help="only this consumer's, e.g. wishes-match-decided")
        if action == "purge":
            cmd.add_argument("--older-than", type=float, metavar="HOURS",
                             help="only messages parked longer ago than this")
        cmd.add_argument("--nats-url", default="")
        cmd.set_defaults(func=cmd_parked_act)
