"""Base classes for request and response models."""

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator


def _reject_nul(value: Any) -> Any:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("NUL characters are not allowed.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_nul(key)
            _reject_nul(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            _reject_nul(item)
    return value


class RequestModel(BaseModel):
    """Every request body: unknown fields are refused (no one sets ``is_admin`` or an id),
    and text may not hold NUL bytes (PostgreSQL cannot store them)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _reject_nul(value)


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Warning(ResponseModel):
    """Something the caller should know that did not stop the request (a stable ``code``)."""

    code: str
    message: str
