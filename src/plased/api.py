"""Every domain router under /api/v1: the URL map in one place."""

from fastapi import APIRouter

from plased.auth.router import router as auth_router
from plased.coss.hsds_router import router as hsds_router
from plased.coss.router import router as coss_router
from plased.governance.minutes_router import router as minutes_router
from plased.governance.router import router as governance_router
from plased.governance.trainings_router import router as trainings_router
from plased.initiatives.action_plan_router import router as action_plan_router
from plased.initiatives.mapping_router import router as mapping_router
from plased.initiatives.router import router as initiatives_router
from plased.initiatives.work_router import router as initiative_work_router
from plased.members.platform_router import router as member_platform_router
from plased.members.router import router as members_router
from plased.members.staff_router import router as staff_router
from plased.notifications.audit_router import router as audit_router
from plased.notifications.router import router as notifications_router
from plased.notifications.webhooks_router import router as webhooks_router
from plased.platforms.deletions import router as deletions_router
from plased.platforms.router import router as platforms_router
from plased.platforms.users_router import router as users_router
from plased.provisioning import router as provisioning_router
from plased.referrals.router import router as referrals_router
from plased.reporting.router import router as reporting_router
from plased.valuechains.router import router as valuechains_router
from plased.valuechains.strategies_router import router as strategies_router

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(auth_router)
api_router.include_router(users_router)
api_router.include_router(provisioning_router)
api_router.include_router(platforms_router)
api_router.include_router(members_router)
api_router.include_router(member_platform_router)
api_router.include_router(staff_router)
api_router.include_router(coss_router)
api_router.include_router(hsds_router)
api_router.include_router(governance_router)
api_router.include_router(minutes_router)
api_router.include_router(trainings_router)
api_router.include_router(referrals_router)
api_router.include_router(valuechains_router)
api_router.include_router(strategies_router)
api_router.include_router(initiatives_router)
api_router.include_router(initiative_work_router)
api_router.include_router(mapping_router)
api_router.include_router(action_plan_router)
api_router.include_router(reporting_router)
api_router.include_router(notifications_router)
api_router.include_router(webhooks_router)
api_router.include_router(audit_router)
api_router.include_router(deletions_router)
