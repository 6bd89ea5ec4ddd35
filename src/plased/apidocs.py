"""Interactive docs (/docs, Swagger UI; /redoc, ReDoc) served from this service alone.

The scripts and styles are vendored in ``plased/static`` (its README names the versions and
how to update them) and served under ``/static``: a partner on a slow or filtered connection
gets the docs without reaching a CDN, and the pages' Content-Security-Policy allows scripts
and styles from this origin only. FastAPI's page helpers inline a script (Swagger UI) and a
style (ReDoc), which that policy refuses, so the two pages are written here and Swagger UI
is started from a file.
"""

from html import escape
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).with_name("static")
STATIC_URL = "/static"

# Scripts, styles, fonts and the API calls of "Try it out" from this origin; images also as
# data: URLs (icons inside the CSS); ReDoc's search runs in a worker it builds from a blob.
_POLICY = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src {styles}",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
]


# The SHA-256 of nothing: ReDoc's styling library adds empty <style> elements and fills them
# through the CSSOM (which a policy does not govern). Allowing an empty inline style lets
# them exist; any inline style with content is still refused.
EMPTY_STYLE = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


def docs_policy(*, empty_styles: bool = False) -> str:
    """The Content-Security-Policy of a docs page: this origin only (for ReDoc, also empty
    inline styles)."""
    styles = "'self'" + (f" {EMPTY_STYLE}" if empty_styles else "")
    return "; ".join(_POLICY).format(styles=styles)


_SWAGGER = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{static}/swagger-ui/swagger-ui.css">
<link rel="icon" type="image/png" href="{static}/swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="{static}/swagger-ui/swagger-ui-bundle.js"></script>
<script src="{static}/docs/swagger-ui-init.js"></script>
</body>
</html>
"""

# Native scroll bars: ReDoc's own scroll bars need a style sheet it inlines, which the policy
# refuses. Its "API docs by Redocly" footer names a logo on Redocly's CDN: refused as well,
# so nothing is fetched from there.
_REDOC = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{static}/docs/redoc.css">
<link rel="icon" type="image/png" href="{static}/swagger-ui/favicon-32x32.png">
</head>
<body>
<noscript>ReDoc needs JavaScript; the document itself is at {openapi_url}.</noscript>
<redoc spec-url="{openapi_url}" native-scrollbars></redoc>
<script src="{static}/redoc/redoc.standalone.js"></script>
</body>
</html>
"""


def _page(template: str, *, title: str, openapi_url: str, empty_styles: bool) -> Response:
    html = template.format(title=escape(title), static=STATIC_URL, openapi_url=escape(openapi_url))
    policy = docs_policy(empty_styles=empty_styles)
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


def install(app: FastAPI, *, openapi_url: str) -> None:
    """Serve /docs, /redoc and the files they load (plain routes, as FastAPI's own docs)."""

    async def swagger_ui(request: Request) -> Response:
        title = f"{app.title} – Swagger UI"
        return _page(_SWAGGER, title=title, openapi_url=openapi_url, empty_styles=False)

    async def redoc(request: Request) -> Response:
        title = f"{app.title} – ReDoc"
        return _page(_REDOC, title=title, openapi_url=openapi_url, empty_styles=True)

    app.add_route("/docs", swagger_ui, include_in_schema=False)
    app.add_route("/redoc", redoc, include_in_schema=False)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="static")
