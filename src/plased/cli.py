"""The ``plased`` command: serve, migrate, create-admin, seed-demo, worker, export-openapi."""

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

DEFAULT_OPENAPI = Path("openapi") / "openapi.json"


def _settings() -> Any:
    from plased.config import InsecureSettings, get_settings

    try:
        return get_settings()
    except (ValidationError, InsecureSettings) as exc:
        reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        sys.exit(f"plased: refusing to start: {reason.removeprefix('Value error, ')}")


# The PostgreSQL advisory lock `plased migrate` holds: a fixed 64-bit key ("plased" then 1),
# so that replicas starting at once migrate one after another.
MIGRATION_LOCK_KEY = int.from_bytes(b"plased\x00\x01", "big")


def migrate(database_url: str | None = None) -> None:
    """Upgrade the database to the latest migration.

    On PostgreSQL the upgrade runs under a session advisory lock taken in the very connection
    Alembic uses: a second `plased migrate` waits for the first to finish, then finds the
    schema at head and does nothing. SQLite has one writer at a time anyway.
    """
    from alembic import command
    from sqlalchemy import create_engine, pool
    from sqlalchemy.engine import make_url

    from plased.health import alembic_config

    url = database_url or _settings().database_url
    config = alembic_config(url)
    if make_url(url).get_backend_name() != "postgresql":
        command.upgrade(config, "head")
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection, _migration_lock(connection):
            config.attributes["connection"] = connection  # read by migrations/env.py
            command.upgrade(config, "head")
    finally:
        engine.dispose()


@contextmanager
def _migration_lock(connection: Any) -> Iterator[None]:
    from sqlalchemy import text

    key = {"key": MIGRATION_LOCK_KEY}
    connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
    # The lock belongs to the session, not to this transaction: end the transaction so that
    # Alembic begins and commits its own.
    connection.commit()
    try:
        yield
    finally:
        # A lost connection has lost the lock with it; otherwise let go of it explicitly.
        if not connection.invalidated:
            connection.rollback()
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
            connection.commit()


def _cmd_migrate(_args: argparse.Namespace) -> None:
    migrate()
    print("database migrated to head")


def _engine(settings: Any) -> Any:
    """An engine with every table mapped (foreign keys resolve across domains)."""
    import plased.models  # noqa: F401
    from plased.db import make_engine

    return make_engine(settings)


def _seed(settings: Any) -> list[Any]:
    from sqlmodel import Session

    from plased.demo import seed_demo

    engine = _engine(settings)
    try:
        with Session(engine) as session:
            logins = seed_demo(session, settings)
            session.commit()
    finally:
        engine.dispose()
    return logins


def _print_logins(logins: list[Any], password: str) -> None:
    print(f"Demo logins (password: {password}):")
    for login in logins:
        print(f"  {login.email:<32} {login.role}")


def _cmd_seed_demo(_args: argparse.Namespace) -> None:
    settings = _settings()
    migrate(settings.database_url)
    _print_logins(_seed(settings), settings.demo_password)


def _cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    settings = _settings()
    if args.demo:
        if settings.environment == "production":
            sys.exit("plased: refusing to load demo data in production")
        migrate(settings.database_url)
        _print_logins(_seed(settings), settings.demo_password)
        print(f"Interactive docs: http://{args.host}:{args.port}/docs")
    uvicorn.run(
        "plased.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=settings.log_level.lower(),
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        server_header=False,  # no "Server: uvicorn" banner
    )


def _cmd_create_admin(args: argparse.Namespace) -> None:
    from sqlmodel import Session, select

    from plased.auth.models import User
    from plased.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hash_password
    from plased.auth.service import normalise_email

    settings = _settings()
    password = os.environ.get("PLASED_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            sys.exit("plased: set PLASED_ADMIN_PASSWORD or run in a terminal to be asked")
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Again: "):
            sys.exit("plased: the passwords differ")
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        sys.exit(
            f"plased: the password needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters"
        )
    email = normalise_email(args.email)
    engine = _engine(settings)
    try:
        with Session(engine) as session:
            if session.exec(select(User.id).where(User.email == email)).first():
                sys.exit(f"plased: a user with the email {email} exists")
            session.add(
                User(
                    email=email,
                    full_name=args.full_name,
                    password_hash=hash_password(password),
                    is_admin=True,
                )
            )
            session.commit()
    finally:
        engine.dispose()
    print(f"administrator {email} created")


def _with_session(work: Any) -> Any:
    from sqlmodel import Session

    engine = _engine(_settings())
    try:
        with Session(engine) as session:
            result = work(session)
            session.commit()
            return result
    finally:
        engine.dispose()


def _cmd_expire_referrals(_args: argparse.Namespace) -> None:
    from plased.referrals.workflow import expire_overdue

    print(f"expired {_with_session(expire_overdue)} referral(s) past their response deadline")


def _cmd_purge(args: argparse.Namespace) -> None:
    from plased.idempotency import purge_expired
    from plased.referrals.retention import purge

    erased = _with_session(lambda s: purge(s, older_than_days=args.older_than_days))
    print(f"erased the client data of {erased} referral(s)")
    forgotten = _with_session(purge_expired)
    print(f"forgot {forgotten} idempotency key(s) older than a day")


def _cmd_worker(args: argparse.Namespace) -> None:
    import signal
    import threading

    from plased.notifications.worker import Worker

    settings = _settings()
    engine = _engine(settings)
    worker = Worker(engine, environment=settings.environment)
    try:
        if args.once:
            print(f"handled {worker.run_once()} event(s) and deliveries")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        worker.run_forever(stop, poll_seconds=args.poll_seconds)
    finally:
        worker.close()
        engine.dispose()


def openapi_document() -> str:
    from plased.config import Settings
    from plased.main import create_app

    app = create_app(Settings(database_url="sqlite://"))
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _cmd_export_openapi(args: argparse.Namespace) -> None:
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(openapi_document(), encoding="utf-8")
    print(f"wrote {output}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plased", description="PLASED API service")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the API")
    serve.add_argument("--demo", action="store_true", help="migrate and load the demo data first")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes")
    serve.set_defaults(func=_cmd_serve)

    commands.add_parser(
        "migrate", help="upgrade the database to the latest migration"
    ).set_defaults(func=_cmd_migrate)

    admin = commands.add_parser(
        "create-admin", help="create an administrator (password from PLASED_ADMIN_PASSWORD)"
    )
    admin.add_argument("--email", required=True)
    admin.add_argument("--full-name", default="Administrator")
    admin.set_defaults(func=_cmd_create_admin)

    commands.add_parser("seed-demo", help="load the demo data (idempotent)").set_defaults(
        func=_cmd_seed_demo
    )

    commands.add_parser(
        "expire-referrals", help="expire submitted referrals past their deadline (cron-safe)"
    ).set_defaults(func=_cmd_expire_referrals)

    purge = commands.add_parser(
        "purge",
        help="erase client data of referrals ended longer ago than the retention period, "
        "and forget idempotency keys older than a day",
    )
    purge.add_argument(
        "--older-than-days",
        type=int,
        default=None,
        help="default: each platform's data_retention_days",
    )
    purge.set_defaults(func=_cmd_purge)

    worker = commands.add_parser(
        "worker",
        help="deliver outbox events to webhooks and notifications (several on PostgreSQL, "
        "one on SQLite)",
    )
    worker.add_argument("--once", action="store_true", help="one round, then exit")
    worker.add_argument("--poll-seconds", type=float, default=2.0)
    worker.set_defaults(func=_cmd_worker)

    export = commands.add_parser("export-openapi", help="write the OpenAPI document")
    export.add_argument("--output", default=str(DEFAULT_OPENAPI))
    export.set_defaults(func=_cmd_export_openapi)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
