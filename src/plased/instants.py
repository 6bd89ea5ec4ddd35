"""Instants and days as the API takes them: one type each, for every body field and query
parameter, so that no date the server cannot handle gets past validation.

A ``datetime`` may hold any year from 1 to 9999 with any offset under a day, and pydantic
accepts all of them; but ``0001-01-01T00:00:00+01:00`` has no UTC time, ``9999-12-31T20:00Z``
has no local time in Phnom Penh, and a term that starts in December 9999 has no end. Those
were 500s. Here an instant must carry an offset and lie between the years 1900 and 2999 (in
UTC), and so must a day; outside, the answer is 422 ``out_of_range`` (``timezone_required``
without an offset) at the field's pointer. Instants arrive converted to UTC.
"""

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def _out_of_range(what: str) -> PydanticCustomError:
    return PydanticCustomError("out_of_range", f"Must be {what} from the year 1900 to 2999.")


def _instant(value: datetime) -> datetime:
    if value.utcoffset() is None:
        raise PydanticCustomError("timezone_required", "Give an offset, e.g. +07:00.")
    try:
        moment = value.astimezone(UTC)
    except OverflowError:  # an offset that carries it below the year 1 or past 9999
        raise _out_of_range("an instant") from None
    if not EARLIEST <= moment <= LATEST:
        raise _out_of_range("an instant")
    return moment


def _day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise _out_of_range("a day")
    return value


Instant = Annotated[datetime, AfterValidator(_instant)]
"""An RFC 3339 date and time with an offset, from 1900 to 2999; converted to UTC."""

Day = Annotated[date, AfterValidator(_day)]
"""A calendar date from 1900-01-01 to 2999-12-31."""
