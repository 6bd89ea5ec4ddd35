"""``plased worker``: turns committed outbox events into webhook deliveries and in-app
notifications, and delivers what is due.

- **Dispatch**: events not yet dispatched are read (``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL), each becomes one delivery per matching active subscription and one
  notification per user who cares, and is marked dispatched — all in one transaction.
- **Delivery**: one due delivery at a time is claimed with ``FOR UPDATE SKIP LOCKED`` and held
  while it is sent, so several workers on one PostgreSQL never send the same attempt twice.
  SQLite has no row locks: run one worker there.
- Each attempt: a POST signed as Standard Webhooks asks, a timeout, no redirects (a 3xx is a
  failure), at most ``MAX_RESPONSE_BYTES`` of the answer read. A 2xx delivers; anything else
  schedules the next attempt after ``Schedule.delay`` (exponential, with jitter), and after
  ``Schedule.max_attempts`` failures the delivery is dead (``POST …/retry`` revives it).

The clock and the jitter's random source are injected, so the schedule is tested without
sleeping.
"""

import json
import logging
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from plased.audit.models import OutboxEvent
from plased.auth.models import PlatformRole, PlatformRoleName, User
from plased.db import utcnow
from plased.errors import Unprocessable
from plased.notifications import signing, urls
from plased.notifications.models import (
    TITLE_LENGTH,
    DeliveryStatus,
    Notification,
    WebhookDelivery,
    WebhookSubscription,
)

log = logging.getLogger("plased.worker")

MAX_RESPONSE_BYTES = 64 * 1024  # read no more of an answer than this
KEPT_RESPONSE_CHARS = 1000  # and keep no more than this
# Roles in an event's platform whose users are notified of it (besides the staff of the
# organisations it concerns).
NOTIFIED_ROLES = (PlatformRoleName.secretariat, PlatformRoleName.facilitator)
# Referrals notify their two organisations in the transaction of the change
# (plased.referrals); the outbox does not notify them again.
NOTIFIED_ELSEWHERE = ("referral.",)


@dataclass(frozen=True)
class Schedule:
    """After the n-th failed attempt the next one waits
    ``min(cap, base × factor^(n-1)) × (1 + jitter × u)`` with ``u`` uniform in [0, 1); after
    ``max_attempts`` failures the delivery is dead. Defaults: 30 s, 1 min, 2 min, 4 min, 8 min,
    16 min, 32 min, then dead (8 attempts over about an hour), each up to 20 % later."""

    base_seconds: float = 30
    factor: float = 2
    cap_seconds: float = 6 * 3600
    jitter: float = 0.2
    max_attempts: int = 8

    def delay(self, failures: int, u: float) -> timedelta:
        seconds = min(self.cap_seconds, self.base_seconds * self.factor ** (failures - 1))
        return timedelta(seconds=seconds * (1 + self.jitter * u))


@dataclass
class Worker:
    engine: Engine
    environment: str = "development"
    schedule: Schedule = field(default_factory=Schedule)
    clock: Callable[[], datetime] = utcnow
    random: Callable[[], float] = random.random
    timeout_seconds: float = 5.0
    batch: int = 50

    def __post_init__(self) -> None:
        self.postgres = self.engine.dialect.name == "postgresql"
        # Never a proxy from the environment, never a redirect.
        self.http = httpx.Client(
            timeout=httpx.Timeout(self.timeout_seconds),
            follow_redirects=False,
            trust_env=False,
        )

    def close(self) -> None:
        self.http.close()

    def run_once(self) -> int:
        """Dispatch what has committed, then deliver what is due; how much was done."""
        return self.dispatch() + self.deliver_due()

    def run_forever(self, stop: threading.Event, poll_seconds: float = 2.0) -> None:
        while not stop.is_set():
            try:
                done = self.run_once()
            except Exception as exc:  # keep running; the next round retries
                log.error("worker round failed: %s", type(exc).__name__)
                done = 0
            if not done:
                stop.wait(poll_seconds)

    # -- dispatch --------------------------------------------------------------------------

    def dispatch(self) -> int:
        with Session(self.engine, expire_on_commit=False) as session:
            statement = (
                select(OutboxEvent)
                .where(col(OutboxEvent.dispatched_at).is_(None))
                .order_by(col(OutboxEvent.occurred_at), col(OutboxEvent.id))
                .limit(self.batch)
            )
            if self.postgres:
                statement = statement.with_for_update(skip_locked=True)
            events = list(session.exec(statement).all())
            if not events:
                return 0
            subscriptions = list(
                session.exec(
                    select(WebhookSubscription).where(col(WebhookSubscription.is_active).is_(True))
                ).all()
            )
            now = self.clock()
            for event in events:
                for subscription in subscriptions:
                    if matches(subscription, event):
                        session.add(
                            WebhookDelivery(
                                subscription_id=subscription.id,
                                event_id=event.id,
                                event_type=event.event_type,
                                next_attempt_at=now,
                            )
                        )
                notify(session, event)
                event.dispatched_at = now
                session.add(event)
            session.commit()
            return len(events)

    # -- delivery --------------------------------------------------------------------------

    def deliver_due(self) -> int:
        done = 0
        while done < self.batch and self.deliver_one():
            done += 1
        return done

    def deliver_one(self) -> bool:
        """Claim one due delivery, attempt it, record the outcome; False when none is due."""
        with Session(self.engine, expire_on_commit=False) as session:
            now = self.clock()
            statement = (
                select(WebhookDelivery)
                .where(WebhookDelivery.status == DeliveryStatus.pending)
                .where(col(WebhookDelivery.next_attempt_at) <= now)
                .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
                .limit(1)
            )
            if self.postgres:
                statement = statement.with_for_update(skip_locked=True)
            delivery = session.exec(statement).first()
            if delivery is None:
                return False
            subscription = session.get(WebhookSubscription, delivery.subscription_id)
            event = session.get(OutboxEvent, delivery.event_id)
            assert subscription is not None and event is not None  # foreign keys
            if not subscription.is_active:
                self._record(
                    delivery, now, status=None, error="subscription deactivated", dead=True
                )
            else:
                status, error, answer = self.attempt(subscription, event, now)
                self._record(delivery, now, status=status, error=error, answer=answer)
            session.add(delivery)
            session.commit()
            return True

    def attempt(
        self, subscription: WebhookSubscription, event: OutboxEvent, now: datetime
    ) -> tuple[int | None, str | None, str | None]:
        """(status code, error, the start of the answer)."""
        body = payload(event)
        headers = signing.headers(
            subscription.secret, message_id(event), int(now.timestamp()), body
        )
        try:
            urls.check_url(subscription.url, environment=self.environment)
        except Unprocessable:
            return None, "the URL is not allowed", None
        try:
            with self.http.stream("POST", subscription.url, content=body, headers=headers) as r:
                read = bytearray()
                for chunk in r.iter_bytes():
                    read.extend(chunk)
                    if len(read) >= MAX_RESPONSE_BYTES:
                        break
                answer = bytes(read[:KEPT_RESPONSE_CHARS]).decode("utf-8", "replace")
                return r.status_code, None, answer[:KEPT_RESPONSE_CHARS]
        except httpx.TimeoutException:
            return None, "timed out", None
        except httpx.HTTPError as exc:
            return None, f"connection failed ({type(exc).__name__})", None

    def _record(
        self,
        delivery: WebhookDelivery,
        now: datetime,
        *,
        status: int | None,
        error: str | None,
        answer: str | None = None,
        dead: bool = False,
    ) -> None:
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = status
        delivery.last_response = answer
        delivery.version += 1
        if status is not None and 200 <= status < 300:
            delivery.status = DeliveryStatus.delivered
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            delivery.last_error = None
            return
        if error is None and status is not None:
            error = "redirect refused" if 300 <= status < 400 else f"answered {status}"
        delivery.last_error = (error or "failed")[:200]
        if dead or delivery.attempts >= self.schedule.max_attempts:
            delivery.status = DeliveryStatus.dead
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + self.schedule.delay(delivery.attempts, self.random())


def matches(subscription: WebhookSubscription, event: OutboxEvent) -> bool:
    if event.event_type not in subscription.event_types:
        return False
    if subscription.platform_id is not None:
        return subscription.platform_id == event.platform_id
    return str(subscription.organisation_id) in event.organisation_ids


def message_id(event: OutboxEvent) -> str:
    """The ``webhook-id``: the same for every attempt of an event, so receivers can drop
    duplicates."""
    return f"msg_{event.id.hex}"


def payload(event: OutboxEvent) -> bytes:
    """``{"type", "timestamp", "data"}``: ids and statuses only (docs/webhooks.md)."""
    return json.dumps(
        {
            "type": event.event_type,
            "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
            "data": {**event.data, "organisation_ids": event.organisation_ids},
        },
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


def notify(session: Session, event: OutboxEvent) -> int:
    """One notification per user who cares: the secretariat and facilitators of the event's
    platform and the active staff of the organisations it concerns; not the actor."""
    if event.event_type.startswith(NOTIFIED_ELSEWHERE):
        return 0
    users: set[uuid.UUID] = set()
    if event.platform_id is not None:
        users.update(
            session.exec(
                select(PlatformRole.user_id)
                .join(User, col(User.id) == PlatformRole.user_id)
                .where(col(User.is_active).is_(True))
                .where(PlatformRole.platform_id == event.platform_id)
                .where(col(PlatformRole.role).in_(NOTIFIED_ROLES))
            ).all()
        )
    organisations = [uuid.UUID(o) for o in event.organisation_ids]
    if organisations:
        users.update(
            session.exec(
                select(User.id)
                .where(col(User.organisation_id).in_(organisations))
                .where(col(User.is_active).is_(True))
            ).all()
        )
    if event.actor_id is not None:
        users.discard(event.actor_id)
    status = event.data.get("status")
    title = f"{event.resource_type.replace('_', ' ')} {event.resource_id.hex[:8].upper()}: {status}"
    for user_id in sorted(users):
        session.add(
            Notification(
                user_id=user_id,
                kind=event.event_type,
                title=title[:TITLE_LENGTH],
                resource_type=event.resource_type,
                resource_id=event.resource_id,
            )
        )
    return len(users)
