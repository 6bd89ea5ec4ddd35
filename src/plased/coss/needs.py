"""Assessed needs, recorded by the secretariat. Referrals that could not be served are not
needs of one person each: the gap analysis counts them as suppressed aggregates."""

import uuid

from sqlmodel import Session, col, select

from plased.access import Access, managed_platform, platform_in_reach
from plased.coss import taxonomy
from plased.coss.models import Need, NeedSource
from plased.coss.schemas import NeedCreate
from plased.members import geography
from plased.pagination import PageParams, paginate

NEED_SORTS = {"need_date": col(Need.need_date)}


def create(session: Session, *, access: Access, platform_id: uuid.UUID, data: NeedCreate) -> Need:
    managed_platform(session, access, platform_id)
    taxonomy.get_category(session, platform_id, data.category_id, pointer="/body/category_id")
    geography.get_unit(session, data.unit_id, pointer="/body/unit_id")
    need = Need(platform_id=platform_id, created_by_id=access.user.id, **data.model_dump())
    session.add(need)
    session.flush()
    return need


def list_needs(
    session: Session,
    *,
    access: Access,
    platform_id: uuid.UUID,
    params: PageParams,
    category_id: uuid.UUID | None,
    source: NeedSource | None,
) -> tuple[list[Need], int]:
    platform_in_reach(session, access, platform_id)
    statement = select(Need).where(Need.platform_id == platform_id)
    if category_id is not None:
        statement = statement.where(Need.category_id == category_id)
    if source is not None:
        statement = statement.where(Need.source == source)
    return paginate(
        session,
        statement,
        params,
        allowed_sorts=NEED_SORTS,
        default_sort=["-need_date"],
        tiebreak=col(Need.id),
        updated_column=col(Need.updated_at),
    )
