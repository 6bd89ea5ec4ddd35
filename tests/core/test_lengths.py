"""Every text a request may send fits the column that stores it: PostgreSQL refuses what is
too long (a 500), SQLite stores it silently, so the limits are compared here, not observed."""

import importlib
import inspect
import pkgutil
from typing import Any

from fastapi.testclient import TestClient

import plased
import plased.models  # every table in the metadata
from plased.db import metadata
from plased.schemas import PatchModel, RequestModel
from tests.worlds import Board, Catalogue, meeting_body

# Request schema -> the tables its fields are stored in (a field is compared with the column
# of the same name), and columns under another name ("field": ["table.column", ...]).
STORED: dict[str, tuple[list[str], dict[str, list[str]]]] = {
    "UserCreate": (["user_account"], {}),
    "PasswordChange": ([], {}),
    "RefreshRequest": ([], {}),
    "CategoryCreate": (["service_category"], {}),
    "CategoryUpdate": (["service_category"], {}),
    "ServiceFields": (["service"], {}),
    "ServiceCreate": (["service"], {}),
    "ServiceUpdate": (["service"], {}),
    "NeedCreate": (["need"], {}),
    "BodyCreate": (["body"], {}),
    "SeatCreate": (["seat"], {}),
    "SeatEnd": (["seat"], {}),
    "MeetingCreate": (["meeting"], {}),
    "MeetingUpdate": (["meeting"], {}),
    "AgendaItemCreate": (["agenda_item"], {}),
    "AgendaItemUpdate": (["agenda_item"], {}),
    "AgendaOrder": ([], {}),
    "AttendanceMark": (["attendance"], {}),
    "AttendanceRow": (["attendance"], {}),
    "AttendanceBatch": ([], {}),
    "MotionCreate": (["motion"], {}),
    "BallotCreate": (["ballot"], {}),
    "MinutesUpdate": (["minutes"], {}),
    "OrganisationFields": (["organisation"], {}),
    "OrganisationCreate": (["organisation"], {}),
    "OrganisationUpdate": (["organisation"], {}),
    "PersonFields": (["person"], {}),
    "PersonCreate": (["person"], {}),
    "PersonUpdate": (["person"], {}),
    "RepresentativeCreate": (["representative"], {}),
    "RepresentativeEnd": (["representative"], {}),
    "PersonUserLink": ([], {}),
    "MembershipApply": (["membership", "membership_event"], {}),
    "MembershipDecision": (["membership", "membership_event"], {}),
    "StaffInvitationCreate": (["staff_invitation"], {}),
    "WebhookSubscriptionCreate": (["webhook_subscription"], {}),
    "InvitationAccept": ([], {}),
    "PlatformCreate": (["platform"], {}),
    "PlatformUpdate": (["platform"], {}),
    "QuorumRules": ([], {}),
    "ResponseHours": ([], {}),
    "RegulationsUpdate": (["regulations"], {}),
    "TargetUpdate": (["inclusion_target"], {}),
    "SnapshotCreate": (["indicator_snapshot"], {}),
    "RoleGrantCreate": (["platform_role"], {}),
    "ClientCreate": (["referral_client"], {}),
    "ConsentCreate": (["referral_consent"], {}),
    "ReferralCreate": (["referral"], {}),
    "ReferralDecline": (
        [],
        {
            "reason": ["referral.decline_reason"],
            "note": ["referral.decline_note", "referral_event.note"],
        },
    ),
    "ReferralComplete": (["referral"], {"note": ["referral_event.note"]}),
    "ReferralClose": ([], {"reason": ["referral.close_reason", "referral_event.note"]}),
    "NoteCreate": (["referral_event"], {}),
    "ValueChainCreate": (["value_chain"], {}),
    "ValueChainUpdate": (["value_chain"], {}),
    "ValueChainDecision": (
        [],
        {"reason": ["value_chain.decision_reason", "value_chain_event.reason"]},
    ),
    "CriterionCreate": (["vc_criterion"], {}),
    "CriterionUpdate": (["vc_criterion"], {}),
    "ScoreEntry": (["vc_score"], {}),
    "ScoreSheet": (["vc_score"], {}),
    "FocusGroupCreate": (["body"], {}),
    "StrategyCreate": (["vc_strategy"], {}),
    "StrategyUpdate": (["vc_strategy"], {}),
    "StrategyValidate": (["vc_strategy"], {"motion_id": ["vc_strategy.validation_motion_id"]}),
    "StrategyStepCreate": (["vc_strategy_step"], {}),
    "StrategyStepMeetingsUpdate": (["vc_strategy_step_meeting"], {}),
    "ObjectiveCreate": (["vc_objective"], {}),
    "StrategyActionCreate": (["vc_action"], {}),
    "StrategyActionUpdate": (["vc_action"], {}),
    "InitiativeCreate": (["initiative"], {}),
    "InitiativeUpdate": (["initiative"], {}),
    "InitiativeApprove": (["initiative"], {"motion_id": ["initiative.approval_motion_id"]}),
    "InitiativeEnd": ([], {"reason": ["initiative.end_reason", "initiative_event.reason"]}),
    "MilestoneCreate": (["initiative_milestone"], {}),
    "MilestoneUpdate": (["initiative_milestone"], {}),
    "CoachingSessionCreate": (["coaching_session"], {"follow_ups": ["coaching_follow_up"]}),
    "CoachingSessionUpdate": (["coaching_session"], {}),
    "FollowUpCreate": (["coaching_follow_up"], {}),
    "FollowUpUpdate": (["coaching_follow_up"], {}),
    "AdvocacyWrite": (["advocacy"], {}),
    "OutcomeEvidence": (["advocacy_event"], {}),
    "CommitmentCreate": (["commitment"], {}),
    "CommitmentUpdate": (["commitment"], {}),
    "HealthChecklist": (["cbo_profile"], {}),
    "CboProfileUpdate": (["cbo_profile"], {}),
    "CampaignCreate": (["mapping_campaign"], {}),
    "CampaignUpdate": (["mapping_campaign"], {}),
    "AdvocacyPlanCreate": (["advocacy_plan"], {}),
    "AdvocacyPlanUpdate": (["advocacy_plan"], {}),
    "AdvocacyOutcome": ([], {"note": ["advocacy_plan.outcome_note", "advocacy_plan_event.note"]}),
    "AdvocacyTurnDown": (
        [],
        {"note": ["advocacy_plan.outcome_note", "advocacy_plan_event.note"]},
    ),
    "PlanItemCreate": (["action_plan_item"], {}),
    "PlanItemUpdate": (["action_plan_item"], {}),
    "PlanOrderUpdate": ([], {}),
}


def _request_models() -> dict[str, type[RequestModel]]:
    found = {}
    for module in pkgutil.walk_packages(plased.__path__, "plased."):
        loaded = importlib.import_module(module.name)
        for name, cls in vars(loaded).items():
            if (
                inspect.isclass(cls)
                and issubclass(cls, RequestModel)
                and cls.__module__ == module.name
                and cls not in (RequestModel, PatchModel)
            ):
                found[name] = cls
    return found


def _max_length(schema: dict[str, Any]) -> int | None:
    lengths = [schema.get("maxLength")] + [b.get("maxLength") for b in schema.get("anyOf", [])]
    known = [n for n in lengths if n]
    return max(known) if known else None


def _length(table: str, column: str) -> int | None:
    col = metadata.tables[table].columns.get(column)
    return getattr(col.type, "length", None) if col is not None else None


def test_every_request_schema_says_where_it_is_stored() -> None:
    assert sorted(set(_request_models()) ^ set(STORED)) == []


def test_no_text_a_request_may_send_outgrows_its_column() -> None:
    too_long = []
    for name, model in _request_models().items():
        tables, renamed = STORED[name]
        for field, schema in model.model_json_schema()["properties"].items():
            allowed = _max_length(schema)
            if allowed is None:
                continue
            places = renamed.get(field, [f"{t}.{field}" for t in tables])
            for place in places:
                table, column = place.split(".")
                length = _length(table, column)
                if length is not None and allowed > length:
                    too_long.append(f"{name}.{field}: {allowed} > {place} {length}")
    assert too_long == []


def test_the_longest_names_the_contract_allows_are_stored(
    client: TestClient, board: Board, cat: Catalogue
) -> None:
    """Through HTTP, on both databases: the values at the limit, and the names derived from
    them (a platform's general assembly, a notification's title), are stored whole or cut."""
    w = board.w
    admin = w.h(w.admin)
    platform = client.post(
        "/api/v1/platforms",
        json={"code": "long-names", "name": "P" * 200, "kind": "plased", "province": "R" * 100},
        headers=admin,
    )
    assert platform.status_code == 201, platform.text
    bodies = client.get(f"/api/v1/platforms/{platform.json()['id']}/bodies", headers=admin)
    assert bodies.status_code == 200
    items = bodies.json()["items"]
    assert items and all(len(b["name"]) <= 200 for b in items)

    meeting = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings",
        json=meeting_body(title="M" * 200, title_km="ក" * 200),
        headers=w.h(w.secretariat),
    )
    assert meeting.status_code == 201, meeting.text
    too_long = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings",
        json=meeting_body(title="M" * 201),
        headers=w.h(w.secretariat),
    )
    assert too_long.status_code == 422

    category = client.post(
        f"/api/v1/platforms/{cat.w.coss.id}/service-categories",
        json={"code": "long_name", "name": "C" * 120, "name_km": "ក" * 120},
        headers=cat.w.h(cat.w.secretariat),
    )
    assert category.status_code == 201, category.text
