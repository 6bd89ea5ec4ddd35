import uuid
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field, StringConstraints, field_validator

from plased.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from plased.schemas import RequestModel, ResponseModel

Password = Annotated[
    str, StringConstraints(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)
]
FullName = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]


class TokenPair(ResponseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_token: str


class RefreshRequest(RequestModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class PasswordChange(RequestModel):
    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    new_password: Password


class UserCreate(RequestModel):
    email: EmailStr = Field(max_length=320)
    full_name: FullName
    password: Password
    is_admin: bool = False

    @field_validator("email")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return value.strip().lower()


class UserPublic(ResponseModel):
    id: uuid.UUID
    email: str
    full_name: str
    is_active: bool
    is_admin: bool
    organisation_id: uuid.UUID | None = None
    is_org_admin: bool = False
    last_login_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
