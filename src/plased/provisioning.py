"""A new platform, provisioned by every domain that gives one something: its regulations and
targets (platforms), a two-level taxonomy of services (coss) and a general assembly
(governance). Sits above the domains, so none of them needs to know another's defaults."""

from fastapi import Response, status
from sqlmodel import Session

from plased.auth.deps import RequireAdmin
from plased.auth.models import User
from plased.concurrency import with_etag
from plased.coss import taxonomy
from plased.db import SessionDep
from plased.governance import bodies
from plased.idempotency import idempotent
from plased.platforms import service as platforms
from plased.platforms.models import Platform
from plased.platforms.schemas import PlatformCreate, PlatformPublic
from plased.routing import DomainRouter

router = DomainRouter(prefix="/platforms", tags=["platforms"])


def create_platform(session: Session, *, actor: User | None, data: PlatformCreate) -> Platform:
    platform = platforms.create_platform(session, actor=actor, data=data)
    taxonomy.seed_taxonomy(session, platform.id)
    bodies.ensure_general_assembly(session, platform)
    return platform


@router.post(
    "",
    operation_id="platforms-create",
    summary="Create Platform",
    response_model=PlatformPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_platform_endpoint(
    response: Response, session: SessionDep, admin: RequireAdmin, body: PlatformCreate
) -> PlatformPublic:
    """Creates the platform with default regulations, the programme's inclusion targets, a
    service taxonomy and its general assembly."""
    platform = create_platform(session, actor=admin, data=body)
    response.headers["Location"] = f"/api/v1/platforms/{platform.id}"
    with_etag(response, platform.version)
    return PlatformPublic.model_validate(platform)
