"""Demo initiatives of PLASED Ratanakiri: four initiatives in different states — a cashew
producers' association in progress (linked to the cashew strategy's collective selling, with
milestones one of which is overdue, and two coaching sessions), an advocacy initiative for a
feeder road whose district authority made a commitment, a rice seed bank approved by the
board, and a pepper market linkage still proposed. Idempotent."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from plased.governance.models import Body, Meeting, Motion
from plased.initiatives.models import (
    Advocacy,
    AdvocacyEvent,
    CoachingSession,
    Commitment,
    FollowUp,
    Initiative,
    InitiativeEvent,
    Milestone,
)
from plased.members.models import (
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Person,
    Representative,
)
from plased.platforms.models import Platform
from plased.text import name_key
from plased.valuechains.models import StrategyAction, ValueChain

# The board's motion (governance demo) that approved the initiatives of the action plan.
APPROVING_MOTION = "Adopt the 2026 priority action plan"


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def _members(session: Session, plased: Platform, kind: str, count: int) -> list[Organisation]:
    return list(
        session.exec(
            select(Organisation)
            .join(Membership, col(Membership.organisation_id) == Organisation.id)
            .where(Membership.platform_id == plased.id)
            .where(Membership.status == MembershipStatus.active)
            .where(Organisation.kind == kind)
            .order_by(col(Organisation.name_key))
            .limit(count)
        ).all()
    )


def _representatives(session: Session, organisation: Organisation) -> list[uuid.UUID]:
    return list(
        session.exec(
            select(Representative.person_id)
            .where(Representative.organisation_id == organisation.id)
            .where(col(Representative.end_date).is_(None))
            .order_by(col(Representative.person_id))
        ).all()
    )


def seed_initiatives(session: Session, plased: Platform) -> None:
    if session.exec(select(Initiative.id).where(Initiative.platform_id == plased.id)).first():
        return
    today = date.today()
    csos = _members(session, plased, OrganisationKind.cso, 4)
    authorities = _members(session, plased, OrganisationKind.local_authority, 1)
    if len(csos) < 4 or not authorities:
        return
    authority = authorities[0]
    motion = session.exec(
        select(Motion)
        .join(Meeting, col(Meeting.id) == Motion.meeting_id)
        .join(Body, col(Body.id) == Meeting.body_id)
        .where(Body.platform_id == plased.id, Motion.text == APPROVING_MOTION)
    ).first()
    chains = {
        c.name: c
        for c in session.exec(select(ValueChain).where(ValueChain.platform_id == plased.id)).all()
    }
    selling = session.exec(
        select(StrategyAction).where(
            StrategyAction.title == "Collective selling through producer groups"
        )
    ).first()
    approved_at = _at(today - timedelta(days=85))
    started_at = _at(today - timedelta(days=70))

    def initiative(
        title: str,
        title_km: str,
        kind: str,
        lead: Organisation,
        status: str,
        **values: Any,  # noqa: ANN401 - the columns of Initiative, as its constructor takes them
    ) -> Initiative:
        record = Initiative(
            platform_id=plased.id,
            title=title,
            title_key=name_key(title),
            title_km=title_km,
            kind=kind,
            lead_organisation_id=lead.id,
            status=status,
            created_at=_at(today - timedelta(days=100)),
            **values,
        )
        if status != "proposed":
            record.approval_motion_id = motion.id if motion else None
            record.approved_at = approved_at
        if status == "in_progress":
            record.started_at = started_at
        session.add(record)
        session.flush()
        steps = ["proposed", "approved", "in_progress"]
        reached = steps[: steps.index(status) + 1]
        for before, after in zip([None, *reached], reached, strict=False):
            session.add(
                InitiativeEvent(
                    initiative_id=record.id,
                    from_status=before,
                    to_status=after,
                    motion_id=record.approval_motion_id if after == "approved" else None,
                    created_at={
                        "proposed": record.created_at,
                        "approved": approved_at,
                        "in_progress": started_at,
                    }[after],
                )
            )
        return record

    cashew = initiative(
        "Cashew producers' association of Lumphat",
        "សមាគមអ្នកផលិតស្វាយចន្ទីលំផាត់",
        "producer_association",
        csos[0],
        "in_progress",
        partner_organisation_ids=[str(csos[1].id)],
        value_chain_id=chains["Cashew"].id if "Cashew" in chains else None,
        strategy_action_id=selling.id if selling else None,
        budget_usd=18000,
        funder="European Union",
    )
    for title, due, done in (
        ("Statutes drafted and adopted", -60, -55),
        ("Association registered with the province", -20, -22),
        ("First collective sale", -5, None),
        ("Warehouse agreement signed", 40, None),
    ):
        session.add(
            Milestone(
                initiative_id=cashew.id,
                title=title,
                due_on=today + timedelta(days=due),
                done_on=today + timedelta(days=done) if done is not None else None,
                created_at=_at(today - timedelta(days=68)),
            )
        )
    people = _representatives(session, csos[0])[:3]
    coach = session.exec(
        select(Person.id).where(Person.platform_id == plased.id).order_by(col(Person.name_key))
    ).first()
    assert coach is not None
    for days_ago, topics, notes, follow_ups in (
        (50, ["Statutes", "Governance"], "Walked the board through model statutes.",
         [("Circulate the draft statutes to members", -40, "done")]),
        (12, ["Bookkeeping", "Collective sale"], "Practised the sales ledger with the treasurer.",
         [("Open the association's bank account", -2, "open"),
          ("Agree prices with two buyers", 20, "open")]),
    ):  # fmt: skip
        record = CoachingSession(
            initiative_id=cashew.id,
            held_on=today - timedelta(days=days_ago),
            coach_person_id=coach,
            organisation_ids=[str(csos[0].id)],
            person_ids=[str(p) for p in people],
            topics=topics,
            notes=notes,
        )
        session.add(record)
        session.flush()
        for title, due, status in follow_ups:
            session.add(
                FollowUp(
                    session_id=record.id,
                    title=title,
                    owner_organisation_id=csos[0].id,
                    due_on=today + timedelta(days=due),
                    status=status,
                )
            )

    road = initiative(
        "Feeder road to the Kachon cassava collection point",
        "ផ្លូវលំទៅកាន់ចំណុចប្រមូលដំឡូងមីកាចូន",
        "advocacy",
        csos[2],
        "in_progress",
        value_chain_id=chains["Cassava"].id if "Cassava" in chains else None,
    )
    commitment = Commitment(
        platform_id=plased.id,
        text="Grade and repair the Kachon feeder road before the rainy season",
        text_km="ជួសជុលផ្លូវលំកាចូនមុនរដូវវស្សា",
        owner_organisation_id=authority.id,
        made_on=today - timedelta(days=15),
        initiative_id=road.id,
        due_on=today + timedelta(days=60),
        status="in_progress",
    )
    session.add(commitment)
    advocacy = Advocacy(
        initiative_id=road.id,
        target_organisation_id=authority.id,
        issue="The road to the cassava collection point is impassable for half the year.",
        issue_km="ផ្លូវទៅចំណុចប្រមូលដំឡូងមីមិនអាចធ្វើដំណើរបានពាក់កណ្តាលឆ្នាំ។",
        channel="dialogue_meeting",
        status="commitment_made",
        version=3,
    )
    session.add(advocacy)
    session.flush()
    for before, after, days_ago, evidence in (
        (None, "raised", 60, None),
        ("raised", "acknowledged", 40, "Letter of the district governor, ref. 112"),
        ("acknowledged", "commitment_made", 15, "Commitment made at the district dialogue"),
    ):
        session.add(
            AdvocacyEvent(
                advocacy_id=advocacy.id,
                from_status=before,
                to_status=after,
                evidence_on=today - timedelta(days=days_ago) if evidence else None,
                evidence=evidence,
                commitment_id=commitment.id if after == "commitment_made" else None,
                created_at=_at(today - timedelta(days=days_ago)),
            )
        )

    seed_bank = initiative(
        "Community rice seed bank",
        "ធនាគារគ្រាប់ពូជស្រូវសហគមន៍",
        "production_support",
        csos[3],
        "approved",
        value_chain_id=chains["Lowland rice"].id if "Lowland rice" in chains else None,
    )
    session.add(
        Milestone(
            initiative_id=seed_bank.id,
            title="Seed storage built",
            due_on=today + timedelta(days=90),
        )
    )
    initiative(
        "Pepper market linkage with Phnom Penh buyers",
        "ការភ្ជាប់ទីផ្សារម្រេចជាមួយអ្នកទិញនៅភ្នំពេញ",
        "commercialisation",
        csos[1],
        "proposed",
        value_chain_id=chains["Pepper"].id if "Pepper" in chains else None,
    )
    session.flush()
