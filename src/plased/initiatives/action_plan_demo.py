"""The demo priority action plan of PLASED Ratanakiri: eight actions in order of priority,
five carrying actions of the cashew and cassava strategies (owned by the strategy action's
owner), two overdue, one done and one dropped. Idempotent."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from plased.initiatives.action_plan_models import ActionPlan, ActionPlanItem
from plased.members.models import Membership, MembershipStatus, Organisation, OrganisationKind
from plased.platforms.models import Platform
from plased.valuechains.models import Objective, Strategy, StrategyAction, ValueChain

# title, title_km, the strategy action it carries (its title) or None, due in days from
# today, status, progress. In order of priority.
ITEMS = [
    (
        "Register the Ratanakiri cashew producers' association",
        "ចុះបញ្ជីសមាគមអ្នកផលិតស្វាយចន្ទីរតនគិរី",
        None, -12, "planned", 0,
    ),
    (
        "Cashew grading and drying training in twelve villages",
        "វគ្គបណ្តុះបណ្តាលចំណាត់ថ្នាក់ និងសម្ងួតស្វាយចន្ទីក្នុងភូមិដប់ពីរ",
        "Grading and drying training", 60, "in_progress", 45,
    ),
    (
        "Publish the directory of socio-economic services in Khmer",
        "ផ្សព្វផ្សាយបញ្ជីសេវាសេដ្ឋកិច្ចសង្គមជាភាសាខ្មែរ",
        None, -5, "in_progress", 60,
    ),
    (
        "Cassava price information by SMS",
        "ព័ត៌មានតម្លៃដំឡូងមីតាមសារ SMS",
        "Price information by SMS", 45, "in_progress", 20,
    ),
    (
        "Model cassava contract reviewed by the provincial department",
        "កិច្ចសន្យាគំរូដំឡូងមីពិនិត្យដោយមន្ទីរខេត្ត",
        "Model contract reviewed by the provincial department", 90, "planned", 0,
    ),
    (
        "Feasibility study of a cashew shelling unit",
        "ការសិក្សាលទ្ធភាពរោងចក្រកែច្នៃគ្រាប់ស្វាយចន្ទី",
        "Feasibility study of a shelling unit", 120, "planned", 0,
    ),
    (
        "Collective cashew selling at the harvest",
        "ការលក់ស្វាយចន្ទីរួមគ្នានៅរដូវប្រមូលផល",
        "Collective selling through producer groups", -10, "done", 100,
    ),
    (
        "Women's savings groups in O'Yadav district",
        "ក្រុមសន្សំប្រាក់ស្ត្រីនៅស្រុកអូរយ៉ាដាវ",
        None, -20, "dropped", 10,
    ),
]  # fmt: skip


def seed_action_plan(session: Session, plased: Platform) -> None:
    if session.exec(select(ActionPlan.id).where(ActionPlan.platform_id == plased.id)).first():
        return
    actions = {
        action.title: action
        for action in session.exec(
            select(StrategyAction)
            .join(Objective, col(Objective.id) == StrategyAction.objective_id)
            .join(Strategy, col(Strategy.id) == Objective.strategy_id)
            .join(ValueChain, col(ValueChain.id) == Strategy.value_chain_id)
            .where(ValueChain.platform_id == plased.id)
        ).all()
    }
    csos = list(
        session.exec(
            select(Organisation)
            .join(Membership, col(Membership.organisation_id) == Organisation.id)
            .where(Membership.platform_id == plased.id)
            .where(Membership.status == MembershipStatus.active)
            .where(Organisation.kind == OrganisationKind.cso)
            .order_by(col(Organisation.name))
        ).all()
    )
    today = datetime.now(ZoneInfo(plased.time_zone)).date()
    for position, (title, title_km, carries, due_in, status, progress) in enumerate(ITEMS, 1):
        action = actions.get(carries) if carries else None
        owner = action.owner_organisation_id if action else csos[position % len(csos)].id
        session.add(
            ActionPlanItem(
                platform_id=plased.id,
                position=position,
                title=title,
                title_km=title_km,
                owner_organisation_id=owner,
                due_on=today + timedelta(days=due_in),
                status=status,
                progress=progress,
                strategy_action_id=action.id if action else None,
            )
        )
    # As if each item had been added through the API: one version per item.
    session.add(ActionPlan(platform_id=plased.id, version=1 + len(ITEMS)))
    session.flush()
