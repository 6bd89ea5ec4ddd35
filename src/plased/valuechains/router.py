"""Value-chain endpoints: chains, prioritisation criteria and scores, the ranking, the
status decisions and the focus groups."""

import uuid
from typing import Annotated

from fastapi import Query, Request, Response, status
from sqlmodel import Session

from plased.access import Access, AccessDep, action_parameters
from plased.concurrency import IfMatch, cached, with_etag
from plased.db import SessionDep
from plased.governance import bodies
from plased.governance.schemas import BodyPublic
from plased.idempotency import idempotent
from plased.pagination import Page, PageDep, page_list, page_of, sort_keys
from plased.routing import DomainRouter
from plased.transitions import ActionRoute, add_action_routes
from plased.valuechains import chains, focus_groups
from plased.valuechains.models import ValueChainStatus
from plased.valuechains.schemas import (
    CriterionCreate,
    CriterionPublic,
    CriterionUpdate,
    FocusGroupComposition,
    FocusGroupCreate,
    Ranking,
    ScorePublic,
    ScoreSheet,
    ValueChainCreate,
    ValueChainDecision,
    ValueChainEventPublic,
    ValueChainPublic,
    ValueChainUpdate,
)

router = DomainRouter(tags=["value chains"])


@router.get(
    "/platforms/{platform_id}/value-chains",
    operation_id="value-chains-list",
    response_model=Page[ValueChainPublic],
    openapi_extra=sort_keys("name", "status", "updated_at"),
)
def list_value_chains(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
    status: ValueChainStatus | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Name, English or Khmer")] = None,
    district_code: Annotated[
        str | None, Query(pattern=r"^[0-9]{2,12}$", description="Chains concerning this district")
    ] = None,
) -> Page[ValueChainPublic]:
    rows = chains.list_chains(
        session,
        access=access,
        platform_id=platform_id,
        params=page,
        status=status,
        q=q,
        district_code=district_code,
    )
    return page_of(request, response, page, rows, ValueChainPublic)


@router.post(
    "/platforms/{platform_id}/value-chains",
    operation_id="value-chains-create",
    response_model=ValueChainPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_value_chain(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: ValueChainCreate,
) -> ValueChainPublic:
    """A candidate value chain (the secretariat)."""
    chain = chains.create_chain(session, access=access, platform_id=platform_id, data=body)
    response.headers["Location"] = f"/api/v1/value-chains/{chain.id}"
    with_etag(response, chain.version)
    return ValueChainPublic.model_validate(chain)


@router.get(
    "/platforms/{platform_id}/value-chains/ranking",
    operation_id="value-chains-ranking",
    response_model=Ranking,
)
def value_chain_ranking(session: SessionDep, access: AccessDep, platform_id: uuid.UUID) -> Ranking:
    """Every chain with its weighted score out of 100 and each criterion's contribution,
    best first; equal scores share a rank; unscored chains last (docs/value-chains.md)."""
    return chains.ranking(session, access=access, platform_id=platform_id)


@router.get(
    "/value-chains/{value_chain_id}",
    operation_id="value-chains-get",
    response_model=ValueChainPublic,
    responses={304: {"description": "Not modified"}},
)
def get_value_chain(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    value_chain_id: uuid.UUID,
) -> ValueChainPublic | Response:
    chain = chains.get_chain(session, access, value_chain_id)
    return cached(request, response, chain.version) or ValueChainPublic.model_validate(chain)


@router.patch(
    "/value-chains/{value_chain_id}",
    operation_id="value-chains-update",
    response_model=ValueChainPublic,
)
def update_value_chain(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    value_chain_id: uuid.UUID,
    body: ValueChainUpdate,
    if_match: IfMatch = None,
) -> ValueChainPublic:
    chain = chains.update_chain(
        session, access=access, value_chain_id=value_chain_id, data=body, if_match=if_match
    )
    with_etag(response, chain.version)
    return ValueChainPublic.model_validate(chain)


def _decide(
    *,
    session: Session,
    access: Access,
    value_chain_id: uuid.UUID,
    action: str,
    body: ValueChainDecision,
) -> ValueChainPublic:
    chain = chains.decide(
        session, access=access, value_chain_id=value_chain_id, action=action, data=body
    )
    return ValueChainPublic.model_validate(chain)


_DECISION = (
    "The secretariat records the decision: `motion_id`, a passed motion of the executive "
    "board or the general assembly, or a `reason` for its own decision. Illegal changes "
    "answer 409 with the current status."
)
add_action_routes(
    router,
    path="/value-chains/{value_chain_id}",
    resource="value-chains",
    parameters=action_parameters("value_chain_id"),
    run=_decide,
    response_model=ValueChainPublic,
    routes=[
        ActionRoute(
            "prioritise",
            "Prioritise a value chain",
            "candidate → prioritised; the chain must have been scored. " + _DECISION,
            ValueChainDecision,
        ),
        ActionRoute(
            "drop", "Drop a value chain", "candidate → dropped. " + _DECISION, ValueChainDecision
        ),
    ],
)


@router.get(
    "/value-chains/{value_chain_id}/history",
    operation_id="value-chains-history",
    response_model=Page[ValueChainEventPublic],
    openapi_extra=sort_keys("created_at"),
)
def value_chain_history(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    value_chain_id: uuid.UUID,
    page: PageDep,
) -> Page[ValueChainEventPublic]:
    found = chains.history(session, access=access, value_chain_id=value_chain_id)
    return page_list(request, response, page, found, ValueChainEventPublic)


# -- criteria and scores -------------------------------------------------------------------


@router.get(
    "/platforms/{platform_id}/value-chain-criteria",
    operation_id="value-chain-criteria-list",
    response_model=Page[CriterionPublic],
    openapi_extra=sort_keys("code", "weight", "updated_at"),
)
def list_criteria(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    page: PageDep,
) -> Page[CriterionPublic]:
    found = chains.list_criteria(session, access=access, platform_id=platform_id)
    return page_list(request, response, page, found, CriterionPublic)


@router.post(
    "/platforms/{platform_id}/value-chain-criteria",
    operation_id="value-chain-criteria-create",
    response_model=CriterionPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_criterion(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    platform_id: uuid.UUID,
    body: CriterionCreate,
) -> CriterionPublic:
    """A weighted prioritisation criterion with its scale (the secretariat)."""
    criterion = chains.create_criterion(session, access=access, platform_id=platform_id, data=body)
    response.headers["Location"] = f"/api/v1/value-chain-criteria/{criterion.id}"
    with_etag(response, criterion.version)
    return CriterionPublic.model_validate(criterion)


@router.get(
    "/value-chain-criteria/{criterion_id}",
    operation_id="value-chain-criteria-get",
    response_model=CriterionPublic,
    responses={304: {"description": "Not modified"}},
)
def get_criterion(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    criterion_id: uuid.UUID,
) -> CriterionPublic | Response:
    criterion = chains.get_criterion(session, access, criterion_id)
    return cached(request, response, criterion.version) or CriterionPublic.model_validate(criterion)


@router.patch(
    "/value-chain-criteria/{criterion_id}",
    operation_id="value-chain-criteria-update",
    response_model=CriterionPublic,
)
def update_criterion(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    criterion_id: uuid.UUID,
    body: CriterionUpdate,
    if_match: IfMatch = None,
) -> CriterionPublic:
    criterion = chains.update_criterion(
        session, access=access, criterion_id=criterion_id, data=body, if_match=if_match
    )
    with_etag(response, criterion.version)
    return CriterionPublic.model_validate(criterion)


@router.put(
    "/value-chains/{value_chain_id}/scores",
    operation_id="value-chain-scores-record",
    response_model=list[ScorePublic],
)
def record_scores(
    session: SessionDep, access: AccessDep, value_chain_id: uuid.UUID, body: ScoreSheet
) -> list[ScorePublic]:
    """One scorer's scores (the secretariat records them, for itself or a stakeholder
    organisation): each criterion named replaces that scorer's earlier score. Sending the
    same sheet twice changes nothing."""
    saved = chains.record_scores(session, access=access, value_chain_id=value_chain_id, data=body)
    return [ScorePublic.model_validate(s) for s in saved]


@router.get(
    "/value-chains/{value_chain_id}/scores",
    operation_id="value-chain-scores-list",
    response_model=Page[ScorePublic],
    openapi_extra=sort_keys("criterion_id", "score", "updated_at"),
)
def list_scores(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    value_chain_id: uuid.UUID,
    page: PageDep,
) -> Page[ScorePublic]:
    found = chains.list_scores(session, access=access, value_chain_id=value_chain_id)
    return page_list(request, response, page, found, ScorePublic)


# -- focus groups --------------------------------------------------------------------------


@router.post(
    "/value-chains/{value_chain_id}/focus-group",
    operation_id="value-chain-focus-group-create",
    response_model=BodyPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_focus_group(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    value_chain_id: uuid.UUID,
    body: FocusGroupCreate,
) -> BodyPublic:
    """The prioritised chain's focus group: a body of kind `focus_group` (its seats, meetings,
    attendance, motions and minutes are the governance endpoints'). One per chain."""
    created = focus_groups.create(session, access=access, value_chain_id=value_chain_id, data=body)
    response.headers["Location"] = f"/api/v1/bodies/{created.id}"
    return bodies.present_one(session, created)


@router.get(
    "/value-chains/{value_chain_id}/focus-group/composition",
    operation_id="value-chain-focus-group-composition",
    response_model=FocusGroupComposition,
    responses={409: {"description": "The chain has no focus group yet (no_focus_group)"}},
)
def focus_group_composition(
    session: SessionDep, access: AccessDep, value_chain_id: uuid.UUID
) -> FocusGroupComposition:
    """Size, women's share, youth, indigenous members and stakeholder groups against the
    regulations; each shortfall a warning with a stable code."""
    return focus_groups.composition(session, access=access, value_chain_id=value_chain_id)
