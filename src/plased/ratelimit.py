"""Rate limits per client address and per user, answered with 429 and ``Retry-After``.

Counted with the ``limits`` library (moving windows): in the process's memory by default,
in Redis when ``PLASED_REDIS_URL`` is set, so that every replica counts against the same
windows. Which limits apply to a request:

- every request: ``PLASED_RATE_LIMIT_PER_ADDRESS`` per client address;
- signing in, refreshing, redeeming an invitation: ``PLASED_RATE_LIMIT_LOGIN_PER_ADDRESS``
  per address (password spraying across many accounts; the per-account lock is in
  auth/service.py);
- writes (POST, PUT, PATCH, DELETE) by a signed-in caller: ``PLASED_RATE_LIMIT_WRITES_PER_USER``;
- creating referrals: ``PLASED_RATE_LIMIT_REFERRALS_PER_USER`` as well.

The user is read from the access token's signature alone (no database): a forged or expired
token counts as anonymous here and is refused by the endpoint.
"""

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from plased.auth.tokens import decode_access_token
from plased.config import Settings
from plased.errors import InvalidToken, problem_response

API = "/api/v1"
_SIGN_IN = (f"{API}/auth/token", f"{API}/auth/refresh", f"{API}/staff-invitations/accept")
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Rule:
    name: str
    item: RateLimitItem


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        if settings.redis_url:
            storage = storage_from_string(
                settings.redis_url.replace("redis://", "async+redis://", 1),
                implementation="redispy",
            )
        else:
            storage = storage_from_string("async+memory://")
        self.strategy = MovingWindowRateLimiter(storage)
        self.settings = settings
        self.per_address = Rule("address", parse(settings.rate_limit_per_address))
        self.sign_in = Rule("sign-in", parse(settings.rate_limit_login_per_address))
        self.writes = Rule("writes", parse(settings.rate_limit_writes_per_user))
        self.referrals = Rule("referrals", parse(settings.rate_limit_referrals_per_user))

    def _user(self, headers: Headers) -> str | None:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        try:
            return str(decode_access_token(self.settings, token).user_id)
        except InvalidToken:
            return None

    def rules(self, scope: Scope) -> list[tuple[Rule, str]]:
        """The (rule, key) pairs a request counts against."""
        address = (scope.get("client") or ("unknown", 0))[0]
        method, path = scope["method"], scope["path"]
        applied = [(self.per_address, address)]
        if method == "POST" and path in _SIGN_IN:
            applied.append((self.sign_in, address))
        if method in _WRITES:
            user = self._user(Headers(scope=scope))
            if user is not None:
                applied.append((self.writes, user))
                if method == "POST" and path == f"{API}/referrals":
                    applied.append((self.referrals, user))
        return applied

    async def retry_after(self, scope: Scope) -> int | None:
        """Count the request; seconds to wait if a limit is exceeded, else None."""
        for rule, key in self.rules(scope):
            if not await self.strategy.hit(rule.item, "plased", rule.name, key):
                stats = await self.strategy.get_window_stats(rule.item, "plased", rule.name, key)
                return max(1, math.ceil(stats.reset_time - time.time()))
        return None

    async def reset(self) -> None:
        """Forget every window (tests)."""
        await self.strategy.storage.reset()


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API):
            await self.app(scope, receive, send)
            return
        wait = await self.limiter.retry_after(scope)
        if wait is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        response = problem_response(
            request, status=429, code="rate_limited", headers={"Retry-After": str(wait)}
        )
        await response(scope, receive, send)
