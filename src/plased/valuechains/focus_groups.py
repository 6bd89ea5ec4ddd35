"""Value-chain focus groups: a governance body of kind ``focus_group`` bound to a prioritised
chain (its meetings, attendance, motions and minutes work as for any body), and its
composition against the programme's targets."""

import uuid
from datetime import date

from sqlmodel import Session, col, select

from plased.access import Access
from plased.errors import Conflict
from plased.governance import bodies
from plased.governance.models import Body
from plased.governance.schemas import BodyCreate
from plased.members.models import Gender, Person
from plased.platforms.service import current_regulations, is_youth
from plased.schemas import Warning
from plased.valuechains.chains import get_chain, link_focus_group
from plased.valuechains.models import ValueChain, ValueChainStatus
from plased.valuechains.schemas import FocusGroupComposition, FocusGroupCreate
from plased.vocabulary import BodyKind, StakeholderGroup


def create(
    session: Session, *, access: Access, value_chain_id: uuid.UUID, data: FocusGroupCreate
) -> Body:
    """The chain's focus group: one per chain, once the chain is prioritised."""
    chain = get_chain(session, access, value_chain_id, manage=True)
    if chain.status != ValueChainStatus.prioritised:
        raise Conflict(
            "Only a prioritised value chain has a focus group.",
            code="value_chain_not_prioritised",
            extra={"current_status": chain.status},
        )
    if chain.focus_group_id is not None:
        raise Conflict("The value chain already has its focus group.", code="focus_group_exists")
    body = bodies.create_body(
        session,
        access=access,
        platform_id=chain.platform_id,
        data=BodyCreate(
            kind=BodyKind.focus_group,
            name=data.name or f"Focus group: {chain.name}"[:200],
            name_km=data.name_km,
            facilitator_ids=data.facilitator_ids,
        ),
    )
    link_focus_group(session, chain, body.id)
    return body


def _focus_group(session: Session, access: Access, value_chain_id: uuid.UUID) -> ValueChain:
    chain = get_chain(session, access, value_chain_id)
    if chain.focus_group_id is None:
        raise Conflict(
            "The value chain has no focus group yet.",
            code="no_focus_group",
            extra={"current_status": chain.status},
        )
    return chain


def composition(
    session: Session, *, access: Access, value_chain_id: uuid.UUID
) -> FocusGroupComposition:
    """Who sits in the focus group today, against the regulations: its size (target
    ``focus_group_size``), the women's share (``min_women_share``), youth and indigenous
    members, and which stakeholder groups are missing. Each shortfall is a warning."""
    chain = _focus_group(session, access, value_chain_id)
    assert chain.focus_group_id is not None
    seats = bodies.current_seats(session, chain.focus_group_id, date.today())
    people = {
        p.id: p
        for p in session.exec(
            select(Person).where(col(Person.id).in_({s.person_id for s in seats}))
        ).all()
    }
    # A person holding two seats counts once, with the group of their first seat.
    group_of: dict[uuid.UUID, str | None] = {}
    for seat in sorted(seats, key=lambda s: (s.term_start, str(s.id))):
        if group_of.get(seat.person_id) is None:
            group_of[seat.person_id] = seat.stakeholder_group
    rules = current_regulations(session, chain.platform_id)
    members = len(group_of)
    women = sum(1 for pid in group_of if people[pid].gender == Gender.female)
    youth = sum(1 for pid in group_of if is_youth(rules, people[pid].birth_year))
    indigenous = sum(1 for pid in group_of if people[pid].indigenous_group)
    share = round(women / members, 4) if members else None
    groups = dict.fromkeys(StakeholderGroup, 0)
    for group in group_of.values():
        if group is not None:
            groups[StakeholderGroup(group)] += 1
    missing = [g for g, n in groups.items() if n == 0]
    warnings: list[Warning] = []
    if not members:
        warnings.append(Warning(code="no_members", message="The focus group has no members."))
    if members < rules.focus_group_size:
        warnings.append(
            Warning(
                code="below_target_size",
                message=f"{members} member(s); the regulations ask for about "
                f"{rules.focus_group_size}.",
            )
        )
    if members and share is not None and share < rules.min_women_share:
        warnings.append(
            Warning(
                code="women_share_below_minimum",
                message=f"Women are {share:.0%} of members; the regulations ask for "
                f"{rules.min_women_share:.0%}.",
            )
        )
    if members and not youth:
        warnings.append(Warning(code="no_youth", message="No member is young."))
    if members and not indigenous:
        warnings.append(Warning(code="no_indigenous", message="No member is indigenous."))
    if missing:
        warnings.append(
            Warning(
                code="stakeholder_groups_missing",
                message="No member speaks for: " + ", ".join(missing) + ".",
            )
        )
    return FocusGroupComposition(
        value_chain_id=chain.id,
        body_id=chain.focus_group_id,
        members=members,
        target_size=rules.focus_group_size,
        women=women,
        women_share=share,
        min_women_share=rules.min_women_share,
        youth=youth,
        indigenous=indigenous,
        stakeholder_groups=groups,
        missing_stakeholder_groups=missing,
        without_stakeholder_group=sum(1 for g in group_of.values() if g is None),
        warnings=warnings,
    )
