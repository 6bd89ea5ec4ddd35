"""The service status machine (DESIGN §4: forward-only, pausing aside) on the engine.

A service is created as a draft or published at once; then: published ⇄ paused, and any
status but withdrawn → withdrawn. A withdrawn service stays withdrawn; nothing goes back to
draft. The provider's staff and the platform's secretariat take these steps (by PATCHing
``status``)."""

from plased.coss.models import Service
from plased.coss.models import ServiceStatus as S
from plased.transitions import Machine, actions

EDITORS = "the provider's staff or the secretariat"

MACHINE: Machine[Service] = Machine(
    model=Service,
    actions=actions(
        ("publish", {S.draft, S.paused}, S.published, EDITORS),
        ("pause", {S.published}, S.paused, EDITORS),
        ("withdraw", {S.draft, S.published, S.paused}, S.withdrawn, EDITORS),
    ),
)
