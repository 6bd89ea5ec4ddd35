"""Which receiver URLs are allowed. In production: https only, and every address the host
name resolves to must be a public one (no loopback, private, link-local, multicast, reserved
or otherwise non-global address), so a subscription cannot make the server call into its own
network. In development (and the tests) any http(s) URL is allowed, so a receiver on
127.0.0.1 can be used. The worker checks again before each delivery, since what a name
resolves to can change."""

import ipaddress
import socket
from urllib.parse import urlsplit

from plased.errors import Unprocessable, field_error

POINTER = "/body/url"


def unsafe(message: str) -> Unprocessable:
    return field_error(POINTER, "unsafe_url", message)


def check_url(url: str, *, environment: str) -> None:
    """Raise 422 ``unsafe_url`` when ``url`` may not receive webhooks (the URL itself is
    never quoted back)."""
    parts = urlsplit(url)
    production = environment != "development"
    allowed = ("https",) if production else ("https", "http")
    if parts.scheme not in allowed:
        raise unsafe("The URL must use https." if production else "The URL must use http(s).")
    try:
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise unsafe("The URL is not valid.") from None
    if not host or parts.username or parts.password:
        raise unsafe("The URL needs a host and no credentials.")
    if not production:
        return
    for address in resolve(host, port or 443):
        if not public(address):
            raise unsafe("The URL's host resolves to an address that is not public.")


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise unsafe("The URL's host cannot be resolved.") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise unsafe("The URL's host cannot be resolved.")
    return addresses


def public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_multicast or ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved
    )
