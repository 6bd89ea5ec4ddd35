"""Minutes, attachments (sniffed, size-limited, Range) and the iCalendar feed."""

import io
import time
import tracemalloc
import uuid
import zipfile

from fastapi.testclient import TestClient

from plased.documents import sniff
from tests.helpers import assert_problem
from tests.worlds import PDF, Board, docx, meeting_body, odt, running_meeting, upload


def test_minutes_lifecycle_and_visibility(client: TestClient, board: Board) -> None:
    h, sec, observer = (
        board.h(board.facilitator),
        board.h(board.w.secretariat),
        board.h(board.w.observer),
    )
    planned = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings", json=meeting_body(), headers=h
    ).json()["id"]
    assert_problem(
        client.put(f"/api/v1/meetings/{planned}/minutes", json={"text": "x"}, headers=h),
        409,
        "invalid_transition",
    )
    mid = running_meeting(client, board)
    url = f"/api/v1/meetings/{mid}/minutes"
    written = client.put(url, json={"text": "Budget adopted. ថវិកាត្រូវបានអនុម័ត។"}, headers=h)
    assert written.status_code == 200 and written.json()["status"] == "draft"
    assert_problem(client.get(url, headers=observer), 404, "not_found")  # drafts are not public
    assert client.get(url, headers=h).json()["text"].endswith("អនុម័ត។")
    assert_problem(client.post(f"{url}/approve", headers=h), 403, "forbidden")
    assert_problem(client.post(f"{url}/approve", headers=sec), 409, "meeting_not_closed")
    client.post(f"/api/v1/meetings/{mid}/close", headers=h)
    assert_problem(client.post(f"{url}/publish", headers=sec), 409, "invalid_transition")
    assert client.post(f"{url}/approve", headers=sec).json()["status"] == "approved"
    assert_problem(client.put(url, json={"text": "changed"}, headers=h), 409, "invalid_transition")
    assert client.post(f"{url}/publish", headers=sec).json()["status"] == "published"
    assert client.get(url, headers=observer).json()["status"] == "published"
    assert_problem(client.get(url, headers=board.h(board.w.stranger)), 404, "not_found")
    assert_problem(client.get(url), 401, "not_authenticated")


def test_attachments(client: TestClient, board: Board) -> None:
    mid = running_meeting(client, board)
    assert_problem(upload(client, board, mid, PDF), 409, "no_minutes")
    client.put(
        f"/api/v1/meetings/{mid}/minutes",
        json={"text": "Draft"},
        headers=board.h(board.facilitator),
    )
    created = upload(client, board, mid, PDF, name="../../etc/passwd")
    assert created.status_code == 201, created.text
    attachment = created.json()
    assert (
        attachment["content_type"] == "application/pdf" and attachment["filename"] == "passwd.pdf"
    )
    assert (
        upload(client, board, mid, docx(), "report.docx")
        .json()["content_type"]
        .endswith("document")
    )
    assert (
        upload(client, board, mid, odt(), "notes.odt")
        .json()["content_type"]
        .endswith("opendocument.text")
    )
    for hostile in (
        b"MZ\x90\x00 executable",
        b"<html><script>alert(1)</script>",
        b"PK\x03\x04 broken zip",
    ):
        problem = assert_problem(
            upload(client, board, mid, hostile, "minutes.pdf"), 422, "unsupported_file_type"
        )
        assert problem["errors"][0]["pointer"] == "/body"
    assert_problem(upload(client, board, mid, b"%PDF-" + b"x" * 300_000), 413, "payload_too_large")
    assert_problem(upload(client, board, mid, PDF, user=board.w.observer), 403, "forbidden")
    url = f"/api/v1/attachments/{attachment['id']}"
    full = client.get(url, headers=board.h(board.facilitator))
    assert full.status_code == 200 and full.content == PDF
    assert full.headers["content-type"] == "application/pdf"
    assert 'filename="passwd.pdf"' in full.headers["content-disposition"]
    part = client.get(url, headers={**board.h(board.facilitator), "Range": "bytes=0-8"})
    assert part.status_code == 206 and part.content == PDF[:9]
    # Attachments follow the minutes: hidden from observers until published.
    assert_problem(client.get(url, headers=board.h(board.w.observer)), 404, "not_found")
    assert_problem(
        client.get(f"/api/v1/attachments/{uuid.uuid4()}", headers=board.h(board.facilitator)),
        404,
        "not_found",
    )
    listed = client.get(
        f"/api/v1/meetings/{mid}/minutes/attachments", headers=board.h(board.facilitator)
    ).json()["items"]
    assert len(listed) == 3


def test_calendar_feed(client: TestClient, board: Board) -> None:
    h = board.h(board.facilitator)
    long_title = "Board meeting on the cashew value-chain strategy, budget; and planning " * 2
    client.post(
        f"/api/v1/bodies/{board.body_id}/meetings",
        json=meeting_body(
            title=long_title[:300], online_link="https://meet.example.org/secret-room"
        ),
        headers=h,
    )
    cancelled = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings",
        json=meeting_body(title="Cancelled one"),
        headers=h,
    ).json()
    client.post(f"/api/v1/meetings/{cancelled['id']}/cancel", headers=h)
    response = client.get(
        f"/api/v1/bodies/{board.body_id}/meetings.ics"
    )  # phones subscribe without a token
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    text = response.text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 2 and "STATUS:CANCELLED" in text
    assert "secret-room" not in text  # online links are not published
    assert "budget\\;" in text.replace("\r\n ", "")  # escaped, and folded lines unfold intact
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert_problem(client.get(f"/api/v1/bodies/{uuid.uuid4()}/meetings.ics"), 404, "not_found")
    # DTSTAMP is the meeting's last change, not the time of the request: the bytes, and so
    # the ETag, stay the same until a meeting changes.
    time.sleep(1.1)  # past the second a stamp of the request's time would show
    again = client.get(
        f"/api/v1/bodies/{board.body_id}/meetings.ics",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def _zip_bomb(member: str, inflated: int) -> bytes:
    """A small archive whose one member inflates to ``inflated`` bytes (written in chunks, so
    building it costs the test no memory either)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as handle,
    ):
        chunk = b"\0" * 1_048_576
        for _ in range(inflated // len(chunk)):
            handle.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_is_never_inflated(client: TestClient, board: Board) -> None:
    """D15: the upload is recognised from the archive's directory and at most a few bytes of
    one member; a 200 MB member costs no memory and is refused as a document."""
    bomb = _zip_bomb("mimetype", 200 * 1_048_576)
    assert len(bomb) < 256 * 1024  # under the test upload limit: it reaches the sniffer
    mid = running_meeting(client, board, present=5)
    client.put(
        f"/api/v1/meetings/{mid}/minutes",
        json={"text": "Draft"},
        headers=board.h(board.facilitator),
    )
    tracemalloc.start()
    try:
        response = upload(client, board, mid, bomb, name="minutes.odt")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert_problem(response, 422, "unsupported_file_type")
    assert peak < 20 * 1_048_576, peak
    assert sniff(_zip_bomb("word/document.xml", 50 * 1_048_576)) is None  # no content types


def test_calendar_text_cannot_forge_properties(client: TestClient, board: Board) -> None:
    """D16: a title or place with line breaks stays one escaped value: no injected ATTENDEE,
    no second event."""
    h = board.h(board.facilitator)
    created = client.post(
        f"/api/v1/bodies/{board.body_id}/meetings",
        json=meeting_body(
            title="Budget\r\nATTENDEE:mailto:spy@example.org\rEND:VEVENT",
            place="Hall\nBEGIN:VEVENT\x07",
        ),
        headers=h,
    )
    assert created.status_code == 201, created.text
    feed = client.get(f"/api/v1/bodies/{board.body_id}/meetings.ics").text
    lines = feed.replace("\r\n ", "").split("\r\n")
    assert not any(line.startswith(("ATTENDEE", "END:VEVENT:", "BEGIN:VEVENT\\")) for line in lines)
    assert lines.count("BEGIN:VEVENT") == 1 and "\x07" not in feed
    assert "LOCATION:Hall\\nBEGIN:VEVENT" in lines
    assert "SUMMARY:Budget\\nATTENDEE:mailto:spy@example.org\\nEND:VEVENT" in lines
    assert "\r" not in feed.replace("\r\n", "")
