"""Liveness and readiness: the database answers and its schema is at the migrations' head."""

import os
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text
from sqlalchemy.engine import Engine

from plased.errors import ServiceUnavailable
from plased.routing import DomainRouter

router = DomainRouter(prefix="/health", tags=["health"])

# migrations/ sits at the top of the repository; an installed image names it explicitly.
MIGRATIONS_DIR = Path(
    os.environ.get("PLASED_MIGRATIONS_DIR") or Path(__file__).resolve().parents[2] / "migrations"
)


def alembic_config(database_url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url:
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        return set(MigrationContext.configure(connection).get_current_heads())


class Health(BaseModel):
    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    status: str
    database: str | None = None
    migrations: str | None = None


@router.get("/live", operation_id="health-live", response_model=Health)
def live() -> Health:
    return Health(status="ok")


@router.get(
    "/ready",
    operation_id="health-ready",
    response_model=Health,
    responses={503: {"description": "Not ready: take this replica out of service"}},
)
def ready(request: Request) -> Health:
    try:
        current = current_revisions(request.app.state.engine)
    except Exception as exc:
        raise ServiceUnavailable("The database does not answer.") from exc
    if current != request.app.state.migration_heads:
        raise ServiceUnavailable("The database schema is not at the latest migration.")
    return Health(status="ok", database="ok", migrations="head")
