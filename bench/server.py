"""Serve the app for a benchmark: ``python bench/server.py PORT DATABASE_URL {plased|naive}``.

``naive`` is the configuration DESIGN §9 measured stalling: SQLAlchemy's default pool
(5 + 10 connections), 40 threads, and no bound on requests using the database at once.
"""

import sys
from typing import Any

import anyio
import uvicorn
from sqlalchemy import create_engine

from plased.config import Settings
from plased.main import create_app


def main() -> None:
    port, url, variant = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    settings = Settings(database_url=url, secret_key="bench-" * 8, log_level="WARNING")
    app = create_app(settings)
    served: Any = app
    if variant == "naive":
        app.state.engine.dispose()
        connect_args = {"check_same_thread": False} if url.startswith("sqlite") else {}
        app.state.engine = create_engine(url, connect_args=connect_args)

        async def unbounded(scope: Any, receive: Any, send: Any) -> None:
            # Runs after the lifespan set the gate: lift it for every request.
            if scope["type"] == "http":
                app.state.db_slots = anyio.Semaphore(100_000)
            await app(scope, receive, send)

        served = unbounded
    uvicorn.run(served, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
