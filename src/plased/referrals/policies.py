"""Who sees a referral, and who sees its client.

- Staff of the referring organisation: their organisation's referrals, with client data.
- Staff of the receiving provider: referrals addressed to it once submitted, with client
  data only while consent to share with the provider stands and the data is not erased.
- Everyone else (secretariat, observers, administrators, other organisations): nothing.
  A referral outside this set answers 404, exactly like one that does not exist.
- An account created from outside its organisation (see members/staff.py) sees client data
  only of referrals created (or, for the provider, submitted) after its ``client_data_since``.
"""

import uuid

from sqlalchemy import and_, false, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from plased.access import Access
from plased.errors import Forbidden
from plased.referrals.models import Consent, Referral, ReferralStatus


def require_staff(access: Access) -> uuid.UUID:
    """Only organisation staff take part in referrals."""
    if access.organisation_id is None:
        raise Forbidden(
            "Only staff of the referring or receiving organisation work with referrals; "
            "the secretariat uses the statistics.",
            code="referrals_staff_only",
        )
    return access.organisation_id


def readable(access: Access) -> SelectOfScalar[Referral]:
    """Every read starts here. Callers who are not organisation staff see nothing, so a
    single referral answers them 404, exactly like a missing one."""
    organisation_id = access.organisation_id
    if organisation_id is None:
        return select(Referral).where(false())
    return select(Referral).where(
        or_(
            col(Referral.from_organisation_id) == organisation_id,
            and_(
                col(Referral.provider_id) == organisation_id,
                col(Referral.status) != ReferralStatus.draft,
            ),
        )
    )


def side_of(access: Access, referral: Referral) -> str | None:
    if access.organisation_id == referral.from_organisation_id:
        return "referrer"
    if access.organisation_id == referral.provider_id:
        return "provider"
    return None


def client_visible(access: Access, referral: Referral, consent: Consent | None) -> bool:
    if referral.client_id is None:
        return False
    side = side_of(access, referral)
    since = access.user.client_data_since
    if side == "referrer":
        return since is None or referral.created_at >= since
    if side == "provider":
        shared = bool(consent and consent.share_with_provider and consent.withdrawn_at is None)
        reached = since is None or (
            referral.submitted_at is not None and referral.submitted_at >= since
        )
        return shared and reached
    return False
