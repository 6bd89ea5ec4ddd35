"""Login, token refresh and rotation, logout, password change."""

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from plased.audit import trail
from plased.auth.models import LoginThrottle, RefreshToken, User
from plased.auth.passwords import hash_password, verify_dummy, verify_password
from plased.auth.schemas import TokenPair
from plased.auth.tokens import create_access_token
from plased.config import Settings
from plased.db import bump, rows_changed, utcnow
from plased.errors import InvalidCredentials, InvalidToken, RateLimited, field_error


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def issue_tokens(
    session: Session,
    settings: Settings,
    user: User,
    *,
    family_id: uuid.UUID | None = None,
    raw: str | None = None,
) -> TokenPair:
    raw = raw or secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id or uuid.uuid4(),
            token_hash=_sha256(raw),
            expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
        )
    )
    access = create_access_token(settings, user_id=user.id, token_version=user.token_version)
    return TokenPair(
        access_token=access, expires_in=settings.access_token_minutes * 60, refresh_token=raw
    )


def login(session: Session, settings: Settings, *, email: str, password: str) -> TokenPair:
    """Same answer for an unknown email and a wrong password; locked after repeated failures."""
    email = normalise_email(email)
    key = _sha256(email)
    now = utcnow()
    throttle = session.get(LoginThrottle, key)
    if throttle and throttle.locked_until and throttle.locked_until > now:
        raise RateLimited(int((throttle.locked_until - now).total_seconds()) + 1)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        verify_dummy(password)
        ok = False
    else:
        ok = verify_password(password, user.password_hash) and user.is_active
    if not ok:
        _record_failure(session, settings, key, now)
        # The email is never recorded: only the account it names, when there is one.
        trail.record(
            session,
            action="login_failed",
            resource_type="user_account",
            resource_id=user.id if user else None,
        )
        raise InvalidCredentials
    assert user is not None
    if throttle:
        session.delete(throttle)
    user.last_login_at = now
    trail.record(
        session,
        action="login",
        resource_type="user_account",
        resource_id=user.id,
        actor_id=user.id,
        actor_organisation_id=user.organisation_id,
    )
    return issue_tokens(session, settings, user)


def _record_failure(session: Session, settings: Settings, key: str, now: datetime) -> None:
    """Count a failure atomically; several server processes may count the same email."""
    if not _bump_failures(session, key, now):
        try:
            with session.begin_nested():
                session.add(LoginThrottle(key=key, failures=1, updated_at=now))
        except IntegrityError:
            _bump_failures(session, key, now)
    lock_until = now + timedelta(minutes=settings.login_lock_minutes)
    session.execute(
        update(LoginThrottle)
        .where(col(LoginThrottle.key) == key)
        .where(col(LoginThrottle.failures) >= settings.login_max_failures)
        .values(failures=0, locked_until=lock_until)
    )


def _bump_failures(session: Session, key: str, now: datetime) -> bool:
    result = session.execute(
        update(LoginThrottle)
        .where(col(LoginThrottle.key) == key)
        .values(failures=col(LoginThrottle.failures) + 1, updated_at=now)
    )
    return bool(rows_changed(result))


def refresh(session: Session, settings: Settings, *, refresh_token: str) -> TokenPair:
    token = session.exec(
        select(RefreshToken).where(RefreshToken.token_hash == _sha256(refresh_token))
    ).first()
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise InvalidToken
    # Claim the token atomically: of two concurrent uses, exactly one rotates it.
    claimed = session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.id) == token.id)
        .where(col(RefreshToken.used_at).is_(None))
        .values(used_at=now)
    )
    successor = _successor(settings, refresh_token)
    if not rows_changed(claimed):
        session.refresh(token)
        again = _within_grace(session, settings, token, successor, now)
        if again is not None:
            return again
        # A rotated token came back: it was stolen or replayed. Revoke the whole family.
        revoke_family(session, token.family_id)
        trail.record(
            session,
            action="refresh_reuse",
            resource_type="user_account",
            resource_id=token.user_id,
            changes={"family_id": [None, token.family_id]},
        )
        error = InvalidToken("This refresh token was already used; sign in again.")
        error.keeps_changes = True
        raise error
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise InvalidToken
    return issue_tokens(session, settings, user, family_id=token.family_id, raw=successor)


def _successor(settings: Settings, refresh_token: str) -> str:
    """The refresh token that follows this one, derived (never stored in the clear): only the
    holder of the old token, within the grace window, can be given it again."""
    digest = hmac.new(
        settings.secret_key.encode(), b"refresh-successor:" + refresh_token.encode(), "sha256"
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _within_grace(
    session: Session, settings: Settings, token: RefreshToken, successor: str, now: datetime
) -> TokenPair | None:
    """A retry of a refresh whose answer was lost, or a second tab refreshing at the same
    moment: within the grace window it gets the same new refresh token (and a fresh access
    token) instead of signing the user out everywhere."""
    if token.used_at is None or now - token.used_at > timedelta(
        seconds=settings.refresh_grace_seconds
    ):
        return None
    following = session.exec(
        select(RefreshToken).where(RefreshToken.token_hash == _sha256(successor))
    ).first()
    if following is None or following.revoked_at is not None or following.used_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        raise InvalidToken
    access = create_access_token(settings, user_id=user.id, token_version=user.token_version)
    return TokenPair(
        access_token=access, expires_in=settings.access_token_minutes * 60, refresh_token=successor
    )


def revoke_family(session: Session, family_id: uuid.UUID) -> None:
    session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == family_id)
        .where(col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_all(session: Session, user_id: uuid.UUID) -> None:
    session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.user_id) == user_id)
        .where(col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


def logout(session: Session, *, refresh_token: str) -> None:
    """Ends the session the refresh token belongs to; unknown tokens are ignored."""
    token = session.exec(
        select(RefreshToken).where(RefreshToken.token_hash == _sha256(refresh_token))
    ).first()
    if token is not None:
        revoke_family(session, token.family_id)


def invalidate_sessions(session: Session, user: User) -> None:
    """Every access and refresh token issued to the user before now stops working."""
    user.token_version += 1
    bump(user)
    revoke_all(session, user.id)


def change_password(
    session: Session, settings: Settings, *, actor: User, current: str, new: str
) -> TokenPair:
    if not verify_password(current, actor.password_hash):
        raise field_error(
            "/body/current_password", "wrong_password", "The current password is wrong."
        )
    actor.password_hash = hash_password(new)
    invalidate_sessions(session, actor)
    session.add(actor)
    session.flush()
    return issue_tokens(session, settings, actor)
