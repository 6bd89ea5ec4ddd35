"""An iCalendar (RFC 5545) feed of a body's meetings that a phone's calendar can subscribe to."""

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from plased.access import public_platform
from plased.errors import NotFound
from plased.governance.models import Body, Meeting, MeetingStatus


def _escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line
    break (CR, LF or CRLF) written as ``\\n``, other control characters dropped, so no
    value can end its line and start a property of its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or ch == "\t" or ord(ch) >= 0x20)
    text = text.replace("\x7f", "")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def feed(session: Session, *, body_id: uuid.UUID) -> str:
    """Public, like the platform's directory: titles, times and places, no online links."""
    body = session.get(Body, body_id)
    if body is None:
        raise NotFound
    platform = public_platform(session, body.platform_id, None)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PLASED//Meetings//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(body.name)}",
        "X-WR-TIMEZONE:" + platform.time_zone,
    ]
    for meeting in session.exec(
        select(Meeting).where(Meeting.body_id == body.id).order_by(col(Meeting.starts_at))
    ).all():
        status = "CANCELLED" if meeting.status == MeetingStatus.cancelled else "CONFIRMED"
        if meeting.status == MeetingStatus.planned:
            status = "TENTATIVE"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{meeting.id}@plased",
            # The meeting's last change, not the time of the request: the feed's bytes, so
            # its ETag, change only when a meeting does, and a phone re-reads it only then.
            f"DTSTAMP:{_stamp(meeting.updated_at)}",
            f"LAST-MODIFIED:{_stamp(meeting.updated_at)}",
            f"DTSTART:{_stamp(meeting.starts_at)}",
            f"DTEND:{_stamp(meeting.ends_at)}",
            f"SUMMARY:{_escape(meeting.title)}",
            f"STATUS:{status}",
            f"SEQUENCE:{meeting.version}",
        ]
        if meeting.place:
            lines.append(f"LOCATION:{_escape(meeting.place)}")
        if meeting.title_km:
            lines.append(f"DESCRIPTION:{_escape(meeting.title_km)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
