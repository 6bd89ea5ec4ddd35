"""create_app(): middleware, error handlers, routers, stable operationIds."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from plased import __version__, apidocs, health
from plased import models as _tables  # noqa: F401 - every table mapped before any query
from plased.api import api_router
from plased.config import Settings, get_settings
from plased.db import make_engine
from plased.documents import EXTENSIONS as DOCUMENT_TYPES
from plased.errors import install_handlers
from plased.middleware import ConditionalGetMiddleware, RequestContextMiddleware
from plased.openapi import contract
from plased.ratelimit import RateLimiter, RateLimitMiddleware
from plased.storage import make_storage

DESCRIPTION = """
REST API of a multi-stakeholder **Platform for Socio-Economic Dialogue (PLASED)** and its
**Comprehensive Services System (COSS)**: members, governance, value chains, a directory of
socio-economic services and referrals of vulnerable people to service providers.

Errors are RFC 9457 `application/problem+json` with a stable `code`. Send
`Accept-Language: km` for Khmer error texts.
"""

EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Location",
    "X-Request-ID",
    "Retry-After",
    "Idempotent-Replayed",
    "Content-Language",
    "Total-Capped",
    # Files: their name, and what a client resuming a download over a slow link needs.
    "Content-Disposition",
    "Accept-Ranges",
    "Content-Range",
]


def _cached_contract(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        app.openapi_schema = contract(app)
    return app.openapi_schema


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Threads, database slots and pooled connections are sized together (DESIGN §9):
        # slots <= pool size, so a thread never waits for a connection (see db.get_session).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threadpool_size
        app.state.db_slots = anyio.Semaphore(settings.threadpool_size)
        yield
        engine.dispose()

    # Production serves no interactive docs unless asked to (PLASED_PUBLIC_DOCS=true); the
    # contract is committed at openapi/openapi.json for partners either way.
    docs = settings.environment != "production" or settings.public_docs
    app = FastAPI(
        title="PLASED API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json" if docs else None,
        docs_url=None,  # served by plased.apidocs, from this origin only
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.storage = make_storage(settings)
    app.openapi = lambda: _cached_contract(app)  # type: ignore[method-assign]
    app.state.migration_heads = health.head_revisions()

    install_handlers(app)
    if docs:
        apidocs.install(app, openapi_url="/openapi.json")
    app.include_router(health.router)
    app.include_router(api_router)

    app.state.rate_limiter = RateLimiter(settings)
    # Listed from the innermost out. The rate limiter's 429 still gets a request id, security
    # headers and CORS; ETags are computed over the uncompressed body.
    app.add_middleware(RateLimitMiddleware, limiter=app.state.rate_limiter)
    app.add_middleware(ConditionalGetMiddleware)
    # Documents are answered as stored, never compressed: a download resumed with Range
    # counts bytes of the file, and its ETag names those bytes (plased/downloads.py).
    app.add_middleware(
        GZipMiddleware,
        minimum_size=1024,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, *DOCUMENT_TYPES, "application/zip"),
    )
    # Every answer, even a 413 or a 500, carries the request id and security headers.
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        hsts=settings.environment == "production",
    )
    # Behind a TLS proxy: the scheme (Link URLs say https) and the client address (rate
    # limits) come from X-Forwarded-Proto and X-Forwarded-For when the peer is a trusted
    # proxy. Here as well as in `plased serve`, so that any ASGI server gets it; a second pass
    # reads the same headers and changes nothing.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    if settings.cors_origins:
        # Outermost, so that a browser can read every answer, the middleware's errors included.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials="*" not in settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "Idempotency-Key",
                "Accept-Language",
                "X-Request-ID",
            ],
            expose_headers=EXPOSED_HEADERS,
            max_age=600,
        )
    return app
