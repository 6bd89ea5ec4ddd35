"""Demo value chains of PLASED Ratanakiri: six chains scored on six criteria by the
secretariat and three stakeholder organisations; four prioritised by the secretariat after
the prioritisation workshop, one dropped, one still a candidate; a focus group for each
prioritised chain, the non-timber forest products group deliberately short of women and
members, so its composition warns. Idempotent."""

import json
from datetime import UTC, date, datetime, timedelta
from importlib import resources

from sqlmodel import Session, col, select

from plased import transitions as engine
from plased.governance.models import Body, Seat, Voting
from plased.members.models import Organisation, OrganisationKind, Person
from plased.platforms.models import Platform
from plased.text import name_key
from plased.valuechains.models import Criterion, Score, ValueChain
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
