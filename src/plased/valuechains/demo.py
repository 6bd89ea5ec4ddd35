"""Demo value chains of PLASED Ratanakiri: six chains scored on six criteria by the
secretariat and three stakeholder organisations; four prioritised by the secretariat after
the prioritisation workshop, one dropped, one still a candidate; a focus group for each
prioritised chain, the non-timber forest products group deliberately short of women and
members, so its composition warns; two strategies drafted in the groups' meetings: the
cashew strategy published (validated by the board's motion), the cassava strategy still in
drafting and short of participants, with actions in every state. Idempotent."""

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

from sqlmodel import Session, col, select

from plased import transitions as engine
from plased.governance.models import Attendance, Body, Meeting, Motion, Seat, Voting
from plased.members.models import Organisation, OrganisationKind, Person
from plased.platforms.models import Platform
from plased.text import name_key
from plased.valuechains.models import (
    Criterion,
    Objective,
    Score,
    Strategy,
    StrategyAction,
    StrategyEvent,
    StrategyStep,
    StrategyStepMeeting,
    ValueChain,
)
from plased.valuechains.transitions import MACHINE
from plased.vocabulary import BodyKind, StakeholderGroup

# code, name, name_km, weight, higher_is_better
CRITERIA = [
    ("resource_potential", "Local resource potential", "សក្តានុពលធនធានក្នុងស្រុក", 3, True),
    ("households", "Households involved", "ចំនួនគ្រួសារចូលរួម", 3, True),
    ("women_participation", "Women's participation", "ការចូលរួមរបស់ស្ត្រី", 2, True),
    ("indigenous_livelihoods", "Indigenous livelihoods", "ជីវភាពជនជាតិដើមភាគតិច", 2, True),
    ("market_access", "Market access", "លទ្ធភាពចូលទីផ្សារ", 2, True),
    ("environmental_risk", "Environmental risk", "ហានិភ័យបរិស្ថាន", 1, False),
]
# name, name_km, description, scores per criterion (in CRITERIA order) of the secretariat;
# each stakeholder's scores differ from them by the offsets below.
CHAINS = [
    ("Cashew", "ស្វាយចន្ទី", "Smallholder cashew orchards and nut processing",
     [5, 5, 4, 4, 5, 2]),
    ("Cassava", "ដំឡូងមី", "Cassava for chips and starch", [4, 5, 3, 3, 4, 3]),
    ("Lowland rice", "ស្រូវវាលទំនាប", "Rice for household food security and local sale",
     [3, 5, 4, 3, 3, 2]),
    ("Non-timber forest products", "អនុផលព្រៃឈើ", "Resin, honey, rattan and bamboo",
     [4, 3, 4, 5, 3, 2]),
    ("Pepper", "ម្រេច", "Black pepper on family plots", [3, 2, 3, 2, 4, 3]),
    ("Eco-tourism", "ទេសចរណ៍អេកូ", "Community-based eco-tourism by the crater lake",
     [2, 1, 3, 3, 2, 2]),
]  # fmt: skip
OFFSETS = [[0, 0, -1, 0, 0, 1], [-1, 0, 0, 1, 0, 0], [0, -1, 0, 0, 1, 0]]
PRIORITISED = ["Cashew", "Cassava", "Lowland rice", "Non-timber forest products"]
DROPPED = "Eco-tourism"
DISTRICTS = {
    "Cashew": ["1601", "1602", "1604"],
    "Cassava": ["1602", "1603", "1607"],
    "Lowland rice": ["1604", "1605"],
    "Non-timber forest products": ["1606", "1608", "1609"],
    "Pepper": ["1603"],
    "Eco-tourism": ["1604"],
}
# chain -> (members, women) of its focus group; the pepper chain has none (not prioritised).
GROUPS = {
    "Cashew": (15, 7),
    "Cassava": (15, 6),
    "Lowland rice": (14, 6),
    "Non-timber forest products": (11, 3),
}
INDIGENOUS = ["Tampuan", "Jarai", "Kreung", "Brao", "Kavet"]
# The board's motion (governance demo) that validated the cashew strategy.
CASHEW_MOTION = "Validate the cashew strategy"
# chain -> its focus group's meetings: (days ago, title, title_km, which seat holders were
# present by their order in the group, the steps worked on).
MEETINGS = {
    "Cashew": [
        (80, "Cashew: diagnosis workshop", "សិក្ខាសាលាវិភាគស្វាយចន្ទី", range(0, 12), ["diagnosis"]),
        (65, "Cashew: vision and objectives", "ចក្ខុវិស័យ និងគោលបំណង", range(3, 15),
         ["vision", "objectives"]),
        (45, "Cashew: action planning and validation", "ផែនការសកម្មភាព", range(0, 13),
         ["actions", "validation"]),
    ],
    "Cassava": [
        (20, "Cassava: diagnosis workshop", "សិក្ខាសាលាវិភាគដំឡូងមី", range(0, 10), ["diagnosis"]),
        (6, "Cassava: vision", "ចក្ខុវិស័យដំឡូងមី", range(5, 14), ["vision"]),
    ],
}  # fmt: skip
# chain -> (title, title_km, summary, status, objectives: (title, title_km, actions:
# (title, owner index among the scorers, due in days, status, progress))).
STRATEGIES = {
    "Cashew": (
        "Cashew value-chain strategy 2027–2029",
        "យុទ្ធសាស្ត្រខ្សែសង្វាក់តម្លៃស្វាយចន្ទី ២០២៧–២០២៩",
        "Better prices for smallholders through quality, grading and collective selling.",
        "published",
        [
            ("Raise farm-gate prices", "បង្កើនតម្លៃកសិដ្ឋាន", [
                ("Collective selling through producer groups", 0, -10, "done", 100),
                ("Grading and drying training", 2, 60, "in_progress", 45),
            ]),
            ("Process nuts locally", "កែច្នៃគ្រាប់ស្វាយចន្ទីក្នុងស្រុក", [
                ("Feasibility study of a shelling unit", 1, 120, "planned", 0),
                ("Export certification", 0, 200, "dropped", 10),
            ]),
        ],
    ),
    "Cassava": (
        "Cassava value-chain strategy",
        "យុទ្ធសាស្ត្រខ្សែសង្វាក់តម្លៃដំឡូងមី",
        "Fairer contracts with starch buyers and soil conservation.",
        "drafting",
        [
            ("Fairer contracts with buyers", "កិច្ចសន្យាយុត្តិធម៌ជាមួយអ្នកទិញ", [
                ("Model contract reviewed by the provincial department", 1, 90, "planned", 0),
                ("Price information by SMS", 2, 45, "in_progress", 20),
            ]),
        ],
    ),
}  # fmt: skip


def _names() -> dict[str, list[list[str]]]:
    data = resources.files("plased.members").joinpath("demo_data.json").read_text("utf-8")
    names: dict[str, list[list[str]]] = json.loads(data)
    return names


def seed_value_chains(session: Session, plased: Platform) -> None:
    if session.exec(select(ValueChain.id).where(ValueChain.platform_id == plased.id)).first():
        return
    criteria = [
        Criterion(
            platform_id=plased.id,
            code=code,
            name=name,
            name_km=name_km,
            weight=weight,
            higher_is_better=better,
        )
        for code, name, name_km, weight, better in CRITERIA
    ]
    session.add_all(criteria)
    scorers = _scorers(session, plased)
    chains = {}
    for name, name_km, description, scores in CHAINS:
        chain = ValueChain(
            platform_id=plased.id,
            name=name,
            name_km=name_km,
            name_key=name_key(name),
            description=description,
            district_codes=DISTRICTS[name],
        )
        session.add(chain)
        chains[name] = chain
        session.flush()
        for index, criterion in enumerate(criteria):
            session.add(
                Score(
                    value_chain_id=chain.id,
                    criterion_id=criterion.id,
                    scorer_key="secretariat",
                    score=scores[index],
                )
            )
            for organisation, offsets in zip(scorers, OFFSETS, strict=False):
                session.add(
                    Score(
                        value_chain_id=chain.id,
                        criterion_id=criterion.id,
                        scorer_key=str(organisation.id),
                        scorer_organisation_id=organisation.id,
                        score=min(5, max(1, scores[index] + offsets[index])),
                    )
                )
    session.flush()
    now = datetime.now(UTC)
    for name in PRIORITISED:
        reason = "Ranked among the first four at the prioritisation workshop."
        engine.apply(
            session,
            MACHINE,
            chains[name],
            "prioritise",
            actor_id=None,
            note=reason,
            values={"decision_reason": reason, "decided_at": now},
        )
    reason = "Too few households involved for now; to reconsider with the tourism office."
    engine.apply(
        session,
        MACHINE,
        chains[DROPPED],
        "drop",
        actor_id=None,
        note=reason,
        values={"decision_reason": reason, "decided_at": now},
    )
    names = _names()
    counter = 0
    members: dict[str, list[Person]] = {}
    for chain_name, (size, women) in GROUPS.items():
        chain = chains[chain_name]
        body = Body(
            platform_id=plased.id,
            kind=BodyKind.focus_group,
            name=f"Focus group: {chain_name}",
            name_km=f"ក្រុមពិភាក្សា៖ {chain.name_km}",
            voting=Voting.seat_holders,
        )
        session.add(body)
        session.flush()
        chain.focus_group_id = body.id
        chain.version += 1
        session.add(chain)
        groups = list(StakeholderGroup)
        members[chain_name] = []
        for n in range(size):
            counter += 1
            female = n < women
            given = names["female" if female else "male"]
            family = names["family"]
            surname, first = family[counter % len(family)], given[counter % len(given)]
            full_name = f"{surname[0]} {first[0]}"
            indigenous = INDIGENOUS[counter % len(INDIGENOUS)] if n % 3 == 0 else None
            person = Person(
                platform_id=plased.id,
                full_name=full_name,
                name_key=name_key(full_name),
                name_km=f"{surname[1]} {first[1]}",
                gender="female" if female else "male",
                birth_year=date.today().year - (22 + (counter * 7) % 35),
                indigenous_group=indigenous,
                consent_to_be_listed=False,
            )
            session.add(person)
            session.flush()
            members[chain_name].append(person)
            session.add(
                Seat(
                    body_id=body.id,
                    position="chair" if n == 0 else "member",
                    person_id=person.id,
                    term_start=date.today() - timedelta(days=60),
                    term_end=date.today() + timedelta(days=700),
                    # Farmers and producer groups first: most members speak for them.
                    stakeholder_group=groups[n % len(groups)] if n >= 4 else groups[n % 2],
                )
            )
    session.flush()
    for chain_name in STRATEGIES:
        _strategy(session, plased, chains[chain_name], members[chain_name], scorers)
    session.flush()


def _at(day: date, hour: int) -> datetime:
    """``hour`` o'clock in Ratanakiri (UTC+7), in UTC."""
    return datetime.combine(day, time(hour), tzinfo=UTC) - timedelta(hours=7)


def _strategy(
    session: Session,
    plased: Platform,
    chain: ValueChain,
    people: list[Person],
    owners: list[Organisation],
) -> None:
    """The chain's strategy, its focus group's meetings and attendance, steps, objectives and
    actions, and its history (STRATEGIES, MEETINGS)."""
    assert chain.focus_group_id is not None
    today = date.today()
    title, title_km, summary, status, objectives = STRATEGIES[chain.name]
    strategy = Strategy(
        value_chain_id=chain.id,
        version_number=1,
        title=title,
        title_km=title_km,
        summary=summary,
        created_at=_at(today - timedelta(days=85), 9),
    )
    session.add(strategy)
    session.flush()
    events = [StrategyEvent(strategy_id=strategy.id, to_status="drafting")]
    steps: dict[str, list[uuid.UUID]] = {}
    for days_ago, meeting_title, meeting_title_km, present, worked_on in MEETINGS[chain.name]:
        day = today - timedelta(days=days_ago)
        meeting = Meeting(
            body_id=chain.focus_group_id,
            kind="consultation",
            title=meeting_title,
            title_km=meeting_title_km,
            starts_at=_at(day, 8),
            ends_at=_at(day, 12),
            place="Commune hall",
            status="closed",
        )
        session.add(meeting)
        session.flush()
        for n, person in enumerate(people):
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    person_id=person.id,
                    status="present" if n in present else "absent",
                    checked_in_at=_at(day, 8) if n in present else None,
                )
            )
        for kind in worked_on:
            steps.setdefault(kind, []).append(meeting.id)
    for kind, meeting_ids in steps.items():
        step = StrategyStep(strategy_id=strategy.id, kind=kind)
        session.add(step)
        session.flush()
        for meeting_id in meeting_ids:
            session.add(StrategyStepMeeting(step_id=step.id, meeting_id=meeting_id))
    for objective_title, objective_title_km, actions in objectives:
        objective = Objective(
            strategy_id=strategy.id, title=objective_title, title_km=objective_title_km
        )
        session.add(objective)
        session.flush()
        for action_title, owner, due_in, action_status, progress in actions:
            session.add(
                StrategyAction(
                    objective_id=objective.id,
                    title=action_title,
                    owner_organisation_id=owners[owner % len(owners)].id,
                    due_date=today + timedelta(days=due_in),
                    status=action_status,
                    progress=progress,
                )
            )
    if status == "published":
        motion = session.exec(
            select(Motion)
            .join(Meeting, col(Meeting.id) == Motion.meeting_id)
            .join(Body, col(Body.id) == Meeting.body_id)
            .where(Body.platform_id == plased.id, Motion.text == CASHEW_MOTION)
        ).first()
        validated = _at(today - timedelta(days=30), 10)
        strategy.status = "published"
        strategy.validation_motion_id = motion.id if motion else None
        strategy.validated_at = validated
        strategy.published_at = validated + timedelta(days=2)
        strategy.version += 2
        session.add(strategy)
        events += [
            StrategyEvent(
                strategy_id=strategy.id,
                from_status="drafting",
                to_status="validated",
                motion_id=strategy.validation_motion_id,
                created_at=validated,
            ),
            StrategyEvent(
                strategy_id=strategy.id,
                from_status="validated",
                to_status="published",
                created_at=strategy.published_at,
            ),
        ]
    events[0].created_at = strategy.created_at
    session.add_all(events)


def _scorers(session: Session, plased: Platform) -> list[Organisation]:
    """Three stakeholders who scored: a CSO, a local authority, a service provider."""
    found = []
    for kind in (
        OrganisationKind.cso,
        OrganisationKind.local_authority,
        OrganisationKind.service_provider,
    ):
        organisation = session.exec(
            select(Organisation)
            .where(Organisation.platform_id == plased.id, Organisation.kind == kind)
            .order_by(col(Organisation.name_key))
            .limit(1)
        ).first()
        if organisation is not None:
            found.append(organisation)
    return found
