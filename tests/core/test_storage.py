"""Both storages keep the same promises, the S3 one against a real S3-compatible server;
byte ranges are read as RFC 9110 says; settings that name no bucket refuse to start."""

import io
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from pydantic import ValidationError

from plased.config import Settings
from plased.downloads import RangeNotSatisfiable, byte_range
from plased.storage import (
    CHUNK_BYTES,
    LocalStorage,
    S3Storage,
    Storage,
    StoredFileMissing,
    make_storage,
)

CONTENT = bytes(range(256)) * 1000  # 256 000 bytes: several chunks


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = request.getfixturevalue("s3_bucket")
    return S3Storage(bucket=bucket, prefix="attachments/", endpoint_url=endpoint)


def test_put_open_delete(storage: Storage) -> None:
    assert not storage.exists("a1")
    storage.put("a1", io.BytesIO(CONTENT))
    assert storage.exists("a1")
    chunks = list(storage.open("a1"))
    assert b"".join(chunks) == CONTENT
    assert len(chunks) > 1 and all(len(chunk) <= CHUNK_BYTES for chunk in chunks)
    assert b"".join(storage.open("a1", offset=1000, length=10)) == CONTENT[1000:1010]
    assert b"".join(storage.open("a1", offset=255_990)) == CONTENT[255_990:]
    storage.delete("a1")
    assert not storage.exists("a1")
    storage.delete("a1")  # already gone: no error


def test_a_missing_file_is_reported_before_any_byte(storage: Storage) -> None:
    with pytest.raises(StoredFileMissing):
        storage.open("never-stored")
    with pytest.raises(StoredFileMissing):
        storage.open("never-stored", offset=5, length=5)


def test_rewriting_a_key_replaces_the_whole_file(storage: Storage) -> None:
    storage.put("same", io.BytesIO(b"first version, longer"))
    storage.put("same", io.BytesIO(b"second"))
    assert b"".join(storage.open("same")) == b"second"


@pytest.mark.parametrize("key", ["../escape", "a/b", "", ".hidden", "x" * 201, "name\x00"])
def test_keys_are_plain_names(storage: Storage, key: str) -> None:
    with pytest.raises(ValueError, match="plain name"):
        storage.put(key, io.BytesIO(b"x"))


def test_local_files_are_written_whole(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "new" / "dir")
    storage.put("doc", io.BytesIO(CONTENT))
    assert [p.name for p in (tmp_path / "new" / "dir").iterdir()] == ["doc"]  # no partial left


def test_s3_keys_carry_the_prefix(s3_endpoint: str, s3_bucket: str) -> None:
    settings = Settings(
        storage="s3", s3_bucket=s3_bucket, s3_endpoint_url=s3_endpoint, s3_prefix="/plased/"
    )
    storage = make_storage(settings)
    storage.put("doc", io.BytesIO(b"%PDF-1.7"))
    listed = boto3.client("s3", endpoint_url=s3_endpoint).list_objects_v2(Bucket=s3_bucket)
    assert [item["Key"] for item in listed["Contents"]] == ["plased/doc"]


def test_s3_is_chosen_by_the_environment(
    monkeypatch: pytest.MonkeyPatch, s3_endpoint: str, s3_bucket: str
) -> None:
    for name, value in {
        "PLASED_STORAGE": "s3",
        "PLASED_S3_BUCKET": s3_bucket,
        "PLASED_S3_ENDPOINT_URL": s3_endpoint,
        "PLASED_S3_PREFIX": "env",
    }.items():
        monkeypatch.setenv(name, value)
    storage = make_storage(Settings())
    assert isinstance(storage, S3Storage)
    storage.put("from-env", io.BytesIO(b"%PDF-1.7"))
    listed = boto3.client("s3", endpoint_url=s3_endpoint).list_objects_v2(Bucket=s3_bucket)
    assert [item["Key"] for item in listed["Contents"]] == ["env/from-env"]


# -- byte ranges ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-9", (0, 10)),
        ("bytes=10-", (10, 90)),
        ("bytes=90-500", (90, 10)),  # cut at the end
        ("bytes=-5", (95, 5)),
        ("bytes=-500", (0, 100)),  # a suffix longer than the file: all of it
        ("BYTES = 0-0", (0, 1)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("bytes=5-1", None),  # malformed: ignored
        ("bytes=a-b", None),
        ("bytes=-", None),
        ("bytes=1-2-3", None),
        ("items=0-9", None),  # another unit: ignored
        ("garbage", None),
    ],
)
def test_byte_range(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize(
    ("header", "size"), [("bytes=100-", 100), ("bytes=-0", 100), ("bytes=0-", 0)]
)
def test_unsatisfiable_range(header: str, size: int) -> None:
    with pytest.raises(RangeNotSatisfiable) as raised:
        byte_range(header, size)
    assert raised.value.headers["Content-Range"] == f"bytes */{size}"


# -- settings ------------------------------------------------------------------------


def test_storage_defaults_to_the_directory() -> None:
    settings = Settings()
    assert settings.storage == "local"
    assert isinstance(make_storage(settings), LocalStorage)


@pytest.mark.parametrize("bucket", [None, "", "  "])
def test_s3_needs_a_bucket(bucket: str | None) -> None:
    with pytest.raises(ValidationError, match="PLASED_S3_BUCKET"):
        Settings(storage="s3", s3_bucket=bucket)


def test_s3_endpoint_is_a_url() -> None:
    with pytest.raises(ValidationError, match="PLASED_S3_ENDPOINT_URL"):
        Settings(storage="s3", s3_bucket="b", s3_endpoint_url="minio:9000")


def test_unknown_storage_is_refused() -> None:
    with pytest.raises(ValidationError, match="storage"):
        Settings(storage="ftp")  # type: ignore[arg-type]


def test_cli_refuses_s3_without_a_bucket_in_one_line() -> None:
    env = {"PLASED_STORAGE": "s3", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "plased.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "plased: refusing to start: PLASED_STORAGE=s3 needs PLASED_S3_BUCKET, the bucket's name"
    )
