"""Imports every table module so the metadata is complete (Alembic, tests)."""

from plased.auth.models import LoginThrottle, PlatformRole, RefreshToken, User
from plased.coss.models import (
    Need,
    Service,
    ServiceArea,
    ServiceCategory,
    ServiceLanguage,
    ServiceTargetGroup,
)
from plased.governance.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Ballot,
    BallotParticipation,
    Body,
    BodyFacilitator,
    Meeting,
    Minutes,
    Motion,
    MotionTally,
    Seat,
)
from plased.idempotency import IdempotencyRecord
from plased.members.models import (
    AdminUnit,
    Membership,
    MembershipEvent,
    Organisation,
    Person,
    Representative,
    StaffInvitation,
)
from plased.notifications.models import Notification
from plased.platforms.models import InclusionTarget, Platform, Regulations
from plased.referrals.models import Client, ClientDataAccess, Consent, Referral, ReferralEvent
from plased.tombstones import Tombstone
from plased.valuechains.models import Criterion, Score, ValueChain, ValueChainEvent

__all__ = [
    "AdminUnit",
    "AgendaItem",
    "Attachment",
    "Attendance",
    "Ballot",
    "BallotParticipation",
    "Body",
    "BodyFacilitator",
    "Client",
    "ClientDataAccess",
    "Consent",
    "Criterion",
    "IdempotencyRecord",
    "InclusionTarget",
    "LoginThrottle",
    "Meeting",
    "Membership",
    "MembershipEvent",
    "Minutes",
    "Motion",
    "MotionTally",
    "Need",
    "Notification",
    "Organisation",
    "Person",
    "Platform",
    "PlatformRole",
    "Referral",
    "ReferralEvent",
    "RefreshToken",
    "Regulations",
    "Representative",
    "Score",
    "Seat",
    "Service",
    "ServiceArea",
    "ServiceCategory",
    "ServiceLanguage",
    "ServiceTargetGroup",
    "StaffInvitation",
    "Tombstone",
    "User",
    "ValueChain",
    "ValueChainEvent",
]
