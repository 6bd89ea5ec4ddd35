"""Who advocacy and commitments address: a local authority of the platform's family, or a
national body by name. One check for CBOs' plans, initiatives' advocacy and commitments."""

import uuid

from sqlmodel import Session

from plased.errors import field_error
from plased.members.models import Organisation, OrganisationKind


def local_authority(
    session: Session, root: uuid.UUID, organisation_id: uuid.UUID, pointer: str
) -> Organisation:
    """The organisation, when it is a local authority of the family rooted at ``root``: 422
    ``unknown_organisation`` or ``not_a_local_authority`` at ``pointer`` otherwise."""
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.platform_id != root:
        raise field_error(pointer, "unknown_organisation", "No such organisation.")
    if organisation.kind != OrganisationKind.local_authority:
        raise field_error(
            pointer, "not_a_local_authority", "The organisation must be a local authority."
        )
    return organisation


def check_target(
    session: Session, root: uuid.UUID, organisation_id: uuid.UUID | None, body: str | None
) -> None:
    """Exactly one target (422 ``target_exactly_one``): a local authority of the family
    (``target_organisation_id``) or a national body by name (``target_body``)."""
    if (organisation_id is None) == (body is None):
        raise field_error(
            "/body/target_organisation_id",
            "target_exactly_one",
            "Name exactly one target: a local authority or a national body.",
        )
    if organisation_id is not None:
        local_authority(session, root, organisation_id, "/body/target_organisation_id")
