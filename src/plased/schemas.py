"""Base classes for request and response models."""

from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, GetJsonSchemaHandler, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

T = TypeVar("T")


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


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("required", "This field cannot be emptied.")
    return value


class _NotNullInSchema:
    """Drops the ``null`` branch from the field's JSON Schema: the field may be left out,
    never sent as ``null``."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        branches = [b for b in schema.get("anyOf", []) if b.get("type") != "null"]
        if "anyOf" in schema:
            del schema["anyOf"]
            if len(branches) == 1:
                schema.update(branches[0])
            else:
                schema["anyOf"] = branches
        return schema


Omittable = Annotated[T | None, AfterValidator(_refuse_null), _NotNullInSchema()]
"""A field of a partial update that may be left out (it keeps its value) but not emptied:
an explicit ``null`` is refused with a 422 whose error code is ``required``."""


class PatchModel(RequestModel):
    """A partial update (``XUpdate``). A field left out keeps its value; fields typed
    ``Omittable[...]`` refuse an explicit ``null``; fields typed ``X | None`` may be cleared.
    ``changes()`` is what the caller sent, and nothing else."""

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class ResponseModel(BaseModel):
    """Every answer body. Every field is always sent (``null`` when empty), so the document
    lists every field as required, defaults included: a generated client never has to
    wonder whether a field is there."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_serialization_defaults_required=True
    )


class Warning(ResponseModel):
    """Something the caller should know that did not stop the request (a stable ``code``)."""

    code: str
    message: str
