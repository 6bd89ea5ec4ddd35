"""Attachment downloads: whole, one range, resumed with If-Range, 304, 416 as a problem; and
attachments kept in an S3 bucket that two replicas share."""

import hashlib
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from plased.config import Settings
from plased.main import create_app
from plased.storage import Storage
from tests.helpers import assert_problem
from tests.observed import Recorder
from tests.worlds import PDF, Board, running_meeting, upload


def _attachment(client: TestClient, board: Board) -> dict[str, str]:
    mid = running_meeting(client, board)
    client.put(
        f"/api/v1/meetings/{mid}/minutes",
        json={"text": "Draft"},
        headers=board.h(board.facilitator),
    )
    created = upload(client, board, mid, PDF, "budget 2026.pdf")
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_whole_file_headers(client: TestClient, board: Board) -> None:
    attachment = _attachment(client, board)
    got = client.get(
        f"/api/v1/attachments/{attachment['id']}",
        headers={**board.h(board.facilitator), "Accept-Encoding": "gzip"},
    )
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-length"] == str(len(PDF))
    assert got.headers["accept-ranges"] == "bytes"
    assert got.headers["etag"] == f'"{hashlib.sha256(PDF).hexdigest()}"'
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"] == "attachment; filename*=utf-8''budget%202026.pdf"
    assert got.headers["cache-control"] == "no-store"
    # Sent as stored, never compressed: a resumed download counts the file's own bytes.
    assert "content-encoding" not in got.headers


def test_ranges(client: TestClient, board: Board) -> None:
    attachment = _attachment(client, board)
    url = f"/api/v1/attachments/{attachment['id']}"
    h = board.h(board.facilitator)
    size = len(PDF)

    def get(**headers: str):  # type: ignore[no-untyped-def]
        return client.get(url, headers={**h, **headers})

    first = get(Range="bytes=0-99")
    assert first.status_code == 206 and first.content == PDF[:100]
    assert first.headers["content-range"] == f"bytes 0-99/{size}"
    assert first.headers["content-length"] == "100"
    etag = first.headers["etag"]
    rest = get(Range="bytes=100-", **{"If-Range": etag})
    assert rest.status_code == 206 and first.content + rest.content == PDF
    assert rest.headers["content-range"] == f"bytes 100-{size - 1}/{size}"
    tail = get(Range="bytes=-7")
    assert tail.status_code == 206 and tail.content == PDF[-7:]
    # If-Range naming another version, or weakly: the whole file, never a splice.
    for stale in ('"another-file"', f"W/{etag}", "Tue, 01 Jan 2002 00:00:00 GMT"):
        whole = get(Range="bytes=100-", **{"If-Range": stale})
        assert whole.status_code == 200 and whole.content == PDF
    dated = get(Range="bytes=0-3", **{"If-Range": first.headers["last-modified"]})
    assert dated.status_code == 206 and dated.content == PDF[:4]
    # Several ranges, or a malformed one: the whole file (RFC 9110 lets a server ignore it).
    for ignored in ("bytes=0-1,5-6", "bytes=9-2", "pages=1-2"):
        assert get(Range=ignored).content == PDF
    beyond = assert_problem(get(Range=f"bytes={size}-"), 416, "range_not_satisfiable")
    assert beyond["instance"] == url
    assert get(Range=f"bytes={size}-").headers["content-range"] == f"bytes */{size}"
    km = get(Range="bytes=-0", **{"Accept-Language": "km"})
    assert_problem(km, 416, "range_not_satisfiable")
    assert km.headers["content-language"] == "km"


def test_not_modified_and_access(client: TestClient, board: Board) -> None:
    attachment = _attachment(client, board)
    url = f"/api/v1/attachments/{attachment['id']}"
    h = board.h(board.facilitator)
    etag = client.get(url, headers=h).headers["etag"]
    same = client.get(url, headers={**h, "If-None-Match": etag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    # Access is checked before any range: a stranger's Range is still a 404.
    for user in (board.w.observer, board.w.stranger):
        assert_problem(
            client.get(url, headers={**board.h(user), "Range": "bytes=0-1"}), 404, "not_found"
        )
    assert_problem(client.get(url, headers={"Range": "bytes=0-1"}), 401, "not_authenticated")


def test_a_lost_file_is_not_found(client: TestClient, app: FastAPI, board: Board) -> None:
    attachment = _attachment(client, board)
    storage: Storage = app.state.storage
    storage.delete(attachment["id"])
    url = f"/api/v1/attachments/{attachment['id']}"
    assert_problem(client.get(url, headers=board.h(board.facilitator)), 404, "not_found")


# -- S3 ------------------------------------------------------------------------------


@pytest.fixture
def s3_replicas(
    settings: Settings, s3_endpoint: str, s3_bucket: str
) -> Iterator[tuple[TestClient, TestClient]]:
    """Two replicas of the API on one database and one bucket, each with its own directory
    (which must stay empty): what runs behind a load balancer."""
    clients = []
    for replica in ("a", "b"):
        shared = settings.model_copy(
            update={
                "storage": "s3",
                "s3_bucket": s3_bucket,
                "s3_endpoint_url": s3_endpoint,
                "s3_prefix": "attachments",
                "attachments_dir": f"{settings.attachments_dir}/replica-{replica}",
            }
        )
        clients.append(TestClient(Recorder(create_app(shared)), raise_server_exceptions=False))
    with clients[0] as first, clients[1] as second:
        yield first, second


def test_an_upload_to_one_replica_downloads_from_the_other(
    client: TestClient,
    board: Board,
    s3_replicas: tuple[TestClient, TestClient],
    s3_endpoint: str,
    s3_bucket: str,
    settings: Settings,
) -> None:
    one, other = s3_replicas
    mid = running_meeting(client, board)
    h = board.h(board.facilitator)
    client.put(f"/api/v1/meetings/{mid}/minutes", json={"text": "Draft"}, headers=h)
    created = upload(one, board, mid, PDF, "minutes.pdf")
    assert created.status_code == 201, created.text
    attachment_id = created.json()["id"]

    url = f"/api/v1/attachments/{attachment_id}"
    got = other.get(url, headers=h)
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["etag"] == f'"{hashlib.sha256(PDF).hexdigest()}"'
    part = other.get(url, headers={**h, "Range": "bytes=9-18"})
    assert part.status_code == 206 and part.content == PDF[9:19]
    assert part.headers["content-range"] == f"bytes 9-18/{len(PDF)}"
    assert_problem(
        other.get(url, headers={**h, "Range": "bytes=99999-"}), 416, "range_not_satisfiable"
    )
    listed = other.get(f"/api/v1/meetings/{mid}/minutes/attachments", headers=h).json()
    assert [item["id"] for item in listed["items"]] == [attachment_id]

    # The object is in the bucket under the prefix; nothing was written to a directory.
    bucket = boto3.client("s3", endpoint_url=s3_endpoint)
    stored = bucket.get_object(Bucket=s3_bucket, Key=f"attachments/{attachment_id}")
    assert stored["Body"].read() == PDF
    for replica in ("a", "b"):
        directory = f"{settings.attachments_dir}/replica-{replica}"
        assert not Path(directory).exists()

    # An object lost from the bucket is a 404, like a lost file.
    bucket.delete_object(Bucket=s3_bucket, Key=f"attachments/{attachment_id}")
    assert_problem(other.get(url, headers=h), 404, "not_found")
    assert_problem(other.get(url, headers={**h, "Range": "bytes=0-1"}), 404, "not_found")
