"""Behind a TLS proxy: X-Forwarded-Proto and X-Forwarded-For count only from trusted peers
(PLASED_FORWARDED_ALLOW_IPS), for the Link URLs and for the rate limits per address."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from plased.config import Settings
from plased.main import create_app
from tests.factories import make_platform
from tests.helpers import assert_problem

PROXY = ("10.0.0.2", 41000)
STRANGER = ("198.51.100.9", 41000)
FROM_TLS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


@contextmanager
def _peer(settings: Settings, peer: tuple[str, int], **changes: Any) -> Iterator[TestClient]:
    """The app as a connection from ``peer`` reaches it."""
    app = create_app(settings.model_copy(update=changes))
    with TestClient(app, client=peer, raise_server_exceptions=False) as client:
        yield client


def _link_urls(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [part.split(">")[0].strip(" <") for part in response.headers["link"].split(",")]


def test_links_say_https_behind_a_trusted_proxy(settings: Settings, db: Session) -> None:
    make_platform(db)
    make_platform(db)
    with _peer(settings, PROXY, forwarded_allow_ips="127.0.0.1, 10.0.0.0/8") as client:
        urls = _link_urls(client.get("/api/v1/platforms?limit=1", headers=FROM_TLS))
        assert len(urls) == 3  # first, next, last
        assert all(url.startswith("https://testserver/api/v1/platforms?") for url in urls)
        # Without the header the proxy spoke plain HTTP: the links say so.
        plain = _link_urls(client.get("/api/v1/platforms?limit=1"))
        assert all(url.startswith("http://testserver/") for url in plain)


def test_headers_from_anyone_else_are_ignored(settings: Settings, db: Session) -> None:
    make_platform(db)
    with _peer(settings, STRANGER) as client:  # the default trusts 127.0.0.1 alone
        urls = _link_urls(client.get("/api/v1/platforms", headers=FROM_TLS))
        assert all(url.startswith("http://testserver/") for url in urls)


def test_a_star_trusts_every_peer(settings: Settings) -> None:
    with _peer(settings, STRANGER, forwarded_allow_ips="*") as client:
        urls = _link_urls(client.get("/api/v1/platforms", headers=FROM_TLS))
        assert all(url.startswith("https://") for url in urls)


def test_rate_limits_count_the_forwarded_client(settings: Settings) -> None:
    """Through a trusted proxy every client has its own window; a stranger cannot escape its
    window by sending X-Forwarded-For."""

    def get(client: TestClient, forwarded_for: str) -> Any:
        return client.get("/api/v1/platforms", headers={"X-Forwarded-For": forwarded_for})

    limits = {"forwarded_allow_ips": "10.0.0.0/8", "rate_limit_per_address": "2/minute"}
    with _peer(settings, PROXY, **limits) as proxy:
        assert [get(proxy, "203.0.113.7").status_code for _ in range(2)] == [200, 200]
        assert_problem(get(proxy, "203.0.113.7"), 429, "rate_limited")
        assert get(proxy, "203.0.113.8").status_code == 200  # another client behind the proxy
    with _peer(settings, STRANGER, **limits) as stranger:
        assert [get(stranger, f"192.0.2.{n}").status_code for n in range(2)] == [200, 200]
        assert_problem(get(stranger, "192.0.2.99"), 429, "rate_limited")
