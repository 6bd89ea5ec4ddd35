"""Community mapping endpoints: CBO profiles, mapping campaigns, advocacy plans and the
summary by district (docs/community-mapping.md)."""

import uuid
from typing import Annotated

from fastapi import Path, Query, Request, Response, status
from sqlmodel import Session

from plased import i18n
from plased.access import Access, AccessDep, action_parameters
from plased.concurrency import IfMatch, with_etag
from plased.db import SessionDep
from plased.idempotency import idempotent
from plased.initiatives import mapping, mapping_plans
from plased.initiatives.mapping_schemas import (
    AdvocacyOutcome,
    AdvocacyPlanCreate,
    AdvocacyPlanEventPublic,
    AdvocacyPlanPublic,
    AdvocacyPlanUpdate,
    AdvocacyTurnDown,
    CampaignCreate,
    CampaignPublic,
    CampaignUpdate,
    CboProfilePublic,
    CboProfileUpdate,
    MappingSummary,
)
from plased.pagination import Page, PageDep, page_list, page_with, sort_keys
from plased.routing import DomainRouter
from plased.transitions import ActionRoute, add_action_routes, parameter

router = DomainRouter(tags=["community mapping"])

CboId = Annotated[uuid.UUID, Path(description="The CBO's organisation id")]


# -- CBO profiles --------------------------------------------------------------------------


@router.get(
    "/organisations/{cbo_id}/cbo-profile",
    operation_id="cbo-profiles-get",
    response_model=CboProfilePublic,
)
def get_profile(session: SessionDep, access: AccessDep, cbo_id: CboId) -> CboProfilePublic:
    """What mapping learnt of the CBO (404 until it is recorded). Its ETag is weak: `plans`
    changes with the CBO's plans; If-Match takes the profile's `version`."""
    profile = mapping.get_profile(session, access, cbo_id)
    return mapping.present_profiles(session, [profile])[0]


@router.put(
    "/organisations/{cbo_id}/cbo-profile",
    operation_id="cbo-profiles-write",
    response_model=CboProfilePublic,
)
def put_profile(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    cbo_id: CboId,
    body: CboProfileUpdate,
    if_match: IfMatch = None,
) -> CboProfilePublic:
    """Record or replace the profile of a CSO of sector `cbo` (the secretariat; 422
    `not_a_cbo` for another organisation). If-Match: the profile's `version`."""
    profile = mapping.put_profile(
        session, access=access, organisation_id=cbo_id, data=body, if_match=if_match
    )
    with_etag(response, profile.version)
    return mapping.present_profiles(session, [profile])[0]


@router.get(
    "/platforms/{platform_id}/cbo-profiles",
    operation_id="cbo-profiles-list",
    response_model=Page[CboProfilePublic],
    openapi_extra=sort_keys("name", "members_count", "created_at", "updated_at"),
)
def list_profiles(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
    district_code: Annotated[
        str | None, Query(pattern=r"^[0-9]{4}$", description="CBOs in villages of this district")
    ] = None,
    q: Annotated[str | None, Query(max_length=100, description="The organisation's name")] = None,
) -> Page[CboProfilePublic]:
    """The mapped CBOs of the platform's family, by name."""
    found, total = mapping.list_profiles(
        session,
        access=access,
        platform_id=platform_id,
        params=page,
        district_code=district_code,
        q=q,
    )
    return page_with(request, response, page, mapping.present_profiles(session, found), total)


@router.get(
    "/platforms/{platform_id}/cbo-mapping/summary",
    operation_id="cbo-mapping-summary",
    response_model=MappingSummary,
)
def mapping_summary(
    session: SessionDep, access: AccessDep, platform_id: uuid.UUID
) -> MappingSummary:
    """CBOs mapped, with an advocacy plan, and with a plan taken up by the authorities, per
    district of their village. Counts of organisations: nothing is suppressed."""
    return mapping.summary(session, access=access, platform_id=platform_id)


# -- campaigns -----------------------------------------------------------------------------


@router.get(
    "/platforms/{platform_id}/mapping-campaigns",
    operation_id="mapping-campaigns-list",
    response_model=Page[CampaignPublic],
    openapi_extra=sort_keys("starts_on", "updated_at"),
)
def list_campaigns(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
) -> Page[CampaignPublic]:
    """The platform's mapping campaigns, the latest first."""
    found, total = mapping.list_campaigns(
        session, access=access, platform_id=platform_id, params=page
    )
    return page_with(request, response, page, mapping.present_campaigns(session, found), total)


@router.post(
    "/platforms/{platform_id}/mapping-campaigns",
    operation_id="mapping-campaigns-create",
    response_model=CampaignPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_campaign(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: CampaignCreate,
) -> CampaignPublic:
    """A mapping campaign (the secretariat): villages visited, CBOs found."""
    campaign = mapping.create_campaign(session, access=access, platform_id=platform_id, data=body)
    response.headers["Location"] = f"/api/v1/mapping-campaigns/{campaign.id}"
    with_etag(response, campaign.version)
    return mapping.present_campaigns(session, [campaign])[0]


@router.get(
    "/mapping-campaigns/{campaign_id}",
    operation_id="mapping-campaigns-get",
    response_model=CampaignPublic,
)
def get_campaign(session: SessionDep, access: AccessDep, campaign_id: uuid.UUID) -> CampaignPublic:
    """One campaign. Its ETag is weak: its warnings follow the profiles of the CBOs it
    found; If-Match takes the campaign's `version`."""
    campaign = mapping.get_campaign(session, access, campaign_id)
    return mapping.present_campaigns(session, [campaign])[0]


@router.patch(
    "/mapping-campaigns/{campaign_id}",
    operation_id="mapping-campaigns-update",
    response_model=CampaignPublic,
)
def update_campaign(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    campaign_id: uuid.UUID,
    body: CampaignUpdate,
    if_match: IfMatch = None,
) -> CampaignPublic:
    """Change the campaign (the secretariat); lists are replaced whole. If-Match: the
    campaign's `version`."""
    campaign = mapping.update_campaign(
        session, access=access, campaign_id=campaign_id, data=body, if_match=if_match
    )
    with_etag(response, campaign.version)
    return mapping.present_campaigns(session, [campaign])[0]


# -- advocacy plans ------------------------------------------------------------------------


@router.get(
    "/organisations/{cbo_id}/advocacy-plans",
    operation_id="advocacy-plans-list",
    response_model=Page[AdvocacyPlanPublic],
    openapi_extra=sort_keys("created_at", "status", "updated_at"),
)
def list_plans(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    cbo_id: CboId,
    page: PageDep,
) -> Page[AdvocacyPlanPublic]:
    """The CBO's advocacy plans, oldest first."""
    found = mapping_plans.list_plans(session, access=access, organisation_id=cbo_id)
    shown = [mapping_plans.present(p, khmer=i18n.prefers_khmer(request)) for p in found]
    return page_list(request, response, page, shown, AdvocacyPlanPublic)


@router.post(
    "/organisations/{cbo_id}/advocacy-plans",
    operation_id="advocacy-plans-create",
    response_model=AdvocacyPlanPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_plan(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    cbo_id: CboId,
    body: AdvocacyPlanCreate,
) -> AdvocacyPlanPublic:
    """A drafted advocacy plan of a mapped CBO (the secretariat)."""
    plan = mapping_plans.create_plan(session, access=access, organisation_id=cbo_id, data=body)
    response.headers["Location"] = f"/api/v1/advocacy-plans/{plan.id}"
    with_etag(response, plan.version)
    return mapping_plans.present(plan, khmer=i18n.prefers_khmer(request))


@router.get(
    "/advocacy-plans/{plan_id}",
    operation_id="advocacy-plans-get",
    response_model=AdvocacyPlanPublic,
)
def get_plan(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    plan_id: uuid.UUID,
) -> AdvocacyPlanPublic:
    plan = mapping_plans.get_plan(session, access, plan_id)
    with_etag(response, plan.version)
    return mapping_plans.present(plan, khmer=i18n.prefers_khmer(request))


@router.patch(
    "/advocacy-plans/{plan_id}",
    operation_id="advocacy-plans-update",
    response_model=AdvocacyPlanPublic,
)
def update_plan(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    plan_id: uuid.UUID,
    body: AdvocacyPlanUpdate,
    if_match: IfMatch = None,
) -> AdvocacyPlanPublic:
    """The secretariat, while the plan is drafted (409 `plan_not_draft` after). If-Match: the
    plan's `version`."""
    plan = mapping_plans.update_plan(
        session, access=access, plan_id=plan_id, data=body, if_match=if_match
    )
    with_etag(response, plan.version)
    return mapping_plans.present(plan, khmer=i18n.prefers_khmer(request))


def _transition(
    *,
    session: Session,
    access: Access,
    request: Request,
    plan_id: uuid.UUID,
    action: str,
    body: AdvocacyOutcome | AdvocacyTurnDown | None = None,
) -> AdvocacyPlanPublic:
    plan = mapping_plans.transition(
        session, access=access, plan_id=plan_id, action=action, data=body
    )
    return mapping_plans.present(plan, khmer=i18n.prefers_khmer(request))


_ILLEGAL = " Illegal changes answer 409 with the current status."
add_action_routes(
    router,
    path="/advocacy-plans/{plan_id}",
    resource="advocacy-plans",
    parameters=[*action_parameters("plan_id"), parameter("request", Request)],
    run=_transition,
    response_model=AdvocacyPlanPublic,
    routes=[
        ActionRoute(
            "submit",
            "Submit an advocacy plan",
            "drafted → submitted (the secretariat): the plan went to its target." + _ILLEGAL,
        ),
        ActionRoute(
            "take-up",
            "Record a plan taken up",
            "submitted → taken_up (the secretariat): the authority acted on it, with an "
            "optional `note`." + _ILLEGAL,
            AdvocacyOutcome,
        ),
        ActionRoute(
            "turn-down",
            "Record a plan not taken up",
            "submitted → not_taken_up (the secretariat), with a `note` saying why." + _ILLEGAL,
            AdvocacyTurnDown,
        ),
    ],
)


@router.get(
    "/advocacy-plans/{plan_id}/history",
    operation_id="advocacy-plans-history",
    response_model=Page[AdvocacyPlanEventPublic],
    openapi_extra=sort_keys("created_at"),
)
def plan_history(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    plan_id: uuid.UUID,
    page: PageDep,
) -> Page[AdvocacyPlanEventPublic]:
    """The drafting and every change of status: who, when, with which note."""
    found = mapping_plans.history(session, access=access, plan_id=plan_id)
    return page_list(request, response, page, found, AdvocacyPlanEventPublic)
