"""Value-chain strategy endpoints: versions, their steps and meetings, objectives, actions
and their progress, validation and publication, history and documents."""

import uuid
from typing import Annotated

from fastapi import Body, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from plased import documents, i18n
from plased.access import Access, AccessDep, action_parameters
from plased.auth.deps import SettingsDep
from plased.concurrency import IfMatch, with_etag
from plased.db import SessionDep
from plased.downloads import file_response, file_responses
from plased.idempotency import idempotent
from plased.pagination import Page, PageDep, page_list, sort_keys
from plased.routing import DomainRouter
from plased.storage import StorageDep
from plased.transitions import ActionRoute, add_action_routes, parameter
from plased.valuechains import strategies
from plased.valuechains.strategy_schemas import (
    ObjectiveCreate,
    ObjectivePublic,
    StrategyActionCreate,
    StrategyActionPublic,
    StrategyActionUpdate,
    StrategyCreate,
    StrategyDocumentPublic,
    StrategyEventPublic,
    StrategyPublic,
    StrategyStepCreate,
    StrategyStepMeetingsUpdate,
    StrategyStepPublic,
    StrategyUpdate,
    StrategyValidate,
)

router = DomainRouter(tags=["value-chain strategies"])


@router.get(
    "/value-chains/{value_chain_id}/strategies",
    operation_id="strategies-list",
    response_model=Page[StrategyPublic],
    openapi_extra=sort_keys("version_number", "status", "updated_at"),
)
def list_strategies(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    value_chain_id: uuid.UUID,
    page: PageDep,
) -> Page[StrategyPublic]:
    """The chain's strategy versions, oldest first."""
    found = strategies.list_strategies(session, access=access, value_chain_id=value_chain_id)
    khmer = i18n.prefers_khmer(request)
    shown = strategies.present_all(session, found, khmer=khmer)
    return page_list(request, response, page, shown, StrategyPublic)


@router.post(
    "/value-chains/{value_chain_id}/strategies",
    operation_id="strategies-create",
    response_model=StrategyPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_strategy(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    value_chain_id: uuid.UUID,
    body: StrategyCreate,
) -> StrategyPublic:
    """A new draft version (the secretariat or the focus group's facilitators), copied from
    the last published one. One draft per chain: 409 `draft_exists`."""
    strategy = strategies.create_strategy(
        session, access=access, value_chain_id=value_chain_id, data=body
    )
    response.headers["Location"] = f"/api/v1/strategies/{strategy.id}"
    with_etag(response, strategy.version)
    return strategies.present(session, strategy, khmer=i18n.prefers_khmer(request))


@router.get(
    "/strategies/{strategy_id}",
    operation_id="strategies-get",
    response_model=StrategyPublic,
)
def get_strategy(
    request: Request, session: SessionDep, access: AccessDep, strategy_id: uuid.UUID
) -> StrategyPublic:
    """The strategy with its steps, objectives and actions, and participation. Its ETag is
    weak: the answer also changes with its steps, actions and attendance."""
    strategy = strategies.get_strategy(session, access, strategy_id)
    return strategies.present(session, strategy, khmer=i18n.prefers_khmer(request))


@router.patch(
    "/strategies/{strategy_id}",
    operation_id="strategies-update",
    response_model=StrategyPublic,
)
def update_strategy(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    strategy_id: uuid.UUID,
    body: StrategyUpdate,
    if_match: IfMatch = None,
) -> StrategyPublic:
    """Titles and summaries of a draft (If-Match: the strategy's `version`)."""
    strategy = strategies.update_strategy(
        session, access=access, strategy_id=strategy_id, data=body, if_match=if_match
    )
    with_etag(response, strategy.version)
    return strategies.present(session, strategy, khmer=i18n.prefers_khmer(request))


def _transition(
    *,
    session: Session,
    access: Access,
    request: Request,
    strategy_id: uuid.UUID,
    action: str,
    body: StrategyValidate | None,
) -> StrategyPublic:
    strategy = strategies.transition(
        session, access=access, strategy_id=strategy_id, action=action, data=body
    )
    return strategies.present(session, strategy, khmer=i18n.prefers_khmer(request))


add_action_routes(
    router,
    path="/strategies/{strategy_id}",
    resource="strategies",
    parameters=[*action_parameters("strategy_id"), parameter("request", Request)],
    run=_transition,
    response_model=StrategyPublic,
    routes=[
        ActionRoute(
            "validate",
            "Validate a strategy",
            "drafting → validated (the secretariat), on `motion_id`: a closed, passed motion "
            "of the chain's focus group or the executive board. Illegal changes answer 409 "
            "with the current status.",
            StrategyValidate,
        ),
        ActionRoute(
            "publish",
            "Publish a strategy",
            "validated → published (the secretariat). Illegal changes answer 409 with the "
            "current status.",
        ),
    ],
)


@router.get(
    "/strategies/{strategy_id}/history",
    operation_id="strategies-history",
    response_model=Page[StrategyEventPublic],
    openapi_extra=sort_keys("created_at"),
)
def strategy_history(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    strategy_id: uuid.UUID,
    page: PageDep,
) -> Page[StrategyEventPublic]:
    """The draft's creation and every change of status: who, when, on which motion."""
    found = strategies.history(session, access=access, strategy_id=strategy_id)
    return page_list(request, response, page, found, StrategyEventPublic)


@router.get(
    "/strategies/{strategy_id}/documents",
    operation_id="strategy-documents-list",
    response_model=Page[StrategyDocumentPublic],
    openapi_extra=sort_keys("created_at", "filename", "size"),
)
def list_documents(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    strategy_id: uuid.UUID,
    page: PageDep,
) -> Page[StrategyDocumentPublic]:
    found = strategies.list_documents(session, access=access, strategy_id=strategy_id)
    return page_list(request, response, page, found, StrategyDocumentPublic)


@router.post(
    "/strategies/{strategy_id}/documents",
    operation_id="strategy-documents-upload",
    response_model=StrategyDocumentPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def upload_document(
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    storage: StorageDep,
    access: AccessDep,
    strategy_id: uuid.UUID,
    data: Annotated[
        bytes, Body(media_type="application/octet-stream", description="PDF, ODT or DOCX")
    ],
    filename: Annotated[str, Query(min_length=1, max_length=200)] = "strategy",
) -> StrategyDocumentPublic:
    """The strategy document (or an annex), until the strategy is published (the secretariat
    or the focus group's facilitators). The file is the request body; its type is recognised
    from its content (422 `unsupported_file_type`)."""
    row = strategies.add_document(
        session,
        settings,
        storage=storage,
        access=access,
        strategy_id=strategy_id,
        filename=filename,
        data=data,
    )
    response.headers["Location"] = f"/api/v1/strategy-documents/{row.id}"
    return StrategyDocumentPublic.model_validate(row)


@router.get(
    "/strategy-documents/{document_id}",
    operation_id="strategy-documents-download",
    response_class=StreamingResponse,
    responses=file_responses(documents.EXTENSIONS),
)
def download_document(
    request: Request,
    session: SessionDep,
    storage: StorageDep,
    access: AccessDep,
    document_id: uuid.UUID,
) -> Response:
    """The file, whole or one byte range of it (`Range`, `If-Range`), for whoever reads the
    strategy."""
    stored = strategies.document_file(session, access=access, document_id=document_id)
    return file_response(request, storage, stored)


@router.post(
    "/strategies/{strategy_id}/steps",
    operation_id="strategy-steps-create",
    response_model=StrategyStepPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_step(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    strategy_id: uuid.UUID,
    body: StrategyStepCreate,
) -> StrategyStepPublic:
    """A step of the draft (one of each kind), with the focus-group meetings it was held in."""
    step = strategies.add_step(session, access=access, strategy_id=strategy_id, data=body)
    with_etag(response, step.version)
    return strategies.present_one_step(session, step)


@router.get(
    "/strategy-steps/{step_id}",
    operation_id="strategy-steps-get",
    response_model=StrategyStepPublic,
)
def get_step(
    response: Response, session: SessionDep, access: AccessDep, step_id: uuid.UUID
) -> StrategyStepPublic:
    step = strategies.get_step(session, access, step_id)
    with_etag(response, step.version)
    return strategies.present_one_step(session, step)


@router.put(
    "/strategy-steps/{step_id}/meetings",
    operation_id="strategy-steps-meetings",
    response_model=StrategyStepPublic,
)
def set_step_meetings(
    response: Response,
    session: SessionDep,
    access: AccessDep,
    step_id: uuid.UUID,
    body: StrategyStepMeetingsUpdate,
    if_match: IfMatch = None,
) -> StrategyStepPublic:
    """Replace the set of focus-group meetings the step was held in."""
    step = strategies.set_step_meetings(
        session, access=access, step_id=step_id, meeting_ids=body.meeting_ids, if_match=if_match
    )
    with_etag(response, step.version)
    return strategies.present_one_step(session, step)


@router.post(
    "/strategies/{strategy_id}/objectives",
    operation_id="strategy-objectives-create",
    response_model=ObjectivePublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_objective(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    strategy_id: uuid.UUID,
    body: ObjectiveCreate,
) -> ObjectivePublic:
    objective = strategies.add_objective(session, access=access, strategy_id=strategy_id, data=body)
    with_etag(response, objective.version)
    return strategies.present_objective(objective, [], i18n.prefers_khmer(request))


@router.get(
    "/objectives/{objective_id}",
    operation_id="strategy-objectives-get",
    response_model=ObjectivePublic,
)
def get_objective(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    objective_id: uuid.UUID,
) -> ObjectivePublic:
    """The objective with its actions. Its ETag is weak: the answer also changes with them."""
    objective = strategies.get_objective(session, access, objective_id)
    found = strategies.objective_actions(session, objective)
    return strategies.present_objective(objective, found, i18n.prefers_khmer(request))


@router.post(
    "/objectives/{objective_id}/actions",
    operation_id="strategy-actions-create",
    response_model=StrategyActionPublic,
    status_code=status.HTTP_201_CREATED,
)
@idempotent()
def create_action(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    objective_id: uuid.UUID,
    body: StrategyActionCreate,
) -> StrategyActionPublic:
    """An action owned by an active member organisation (422 `owner_not_member`)."""
    action = strategies.add_action(session, access=access, objective_id=objective_id, data=body)
    with_etag(response, action.version)
    return strategies.present_action(action, i18n.prefers_khmer(request))


@router.get(
    "/strategy-actions/{action_id}",
    operation_id="strategy-actions-get",
    response_model=StrategyActionPublic,
)
def get_action(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    action_id: uuid.UUID,
) -> StrategyActionPublic:
    action, _ = strategies.get_action(session, access, action_id)
    with_etag(response, action.version)
    return strategies.present_action(action, i18n.prefers_khmer(request))


@router.patch(
    "/strategy-actions/{action_id}",
    operation_id="strategy-actions-update",
    response_model=StrategyActionPublic,
)
def update_action(
    request: Request,
    response: Response,
    session: SessionDep,
    access: AccessDep,
    action_id: uuid.UUID,
    body: StrategyActionUpdate,
    if_match: IfMatch = None,
) -> StrategyActionPublic:
    """The owner organisation's staff report `status` and `progress`; the secretariat and the
    facilitators change the rest while the strategy is drafted."""
    action = strategies.update_action(
        session, access=access, action_id=action_id, data=body, if_match=if_match
    )
    with_etag(response, action.version)
    return strategies.present_action(action, i18n.prefers_khmer(request))
