"""Where uploaded files live: a directory (the default) or an S3-compatible bucket.

Replicas behind a load balancer must share the files: an attachment uploaded through one
replica is downloaded through another. A directory serves one machine (or a volume every
replica mounts); a bucket serves any number of machines (``PLASED_STORAGE=s3``).

Keys are names we choose (an attachment's id), never a name sent by a client. Files are
written once and read in chunks, so a download never holds a whole file in memory.
"""

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, BinaryIO, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from fastapi import Depends, Request

from plased.config import Settings

CHUNK_BYTES = 64 * 1024
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class StoredFileMissing(Exception):
    """No file is stored under this key."""


class Storage(Protocol):
    def put(self, key: str, data: BinaryIO) -> None:
        """Store ``data`` (read to its end) under ``key``; readers never see half a file."""

    def open(self, key: str, *, offset: int = 0, length: int | None = None) -> Iterator[bytes]:
        """The stored bytes from ``offset`` (``length`` of them, or to the end) in chunks.

        Raises ``StoredFileMissing`` at once, before any chunk, so that a caller can still
        answer 404 rather than break off a response it has started.
        """
        ...

    def delete(self, key: str) -> None:
        """Remove the file; a missing one is not an error."""

    def exists(self, key: str) -> bool: ...


def _checked(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError("a storage key is a plain name: letters, digits, '.', '_' and '-'")
    return key


def _chunks(handle: BinaryIO, length: int | None) -> Iterator[bytes]:
    with handle:
        remaining = length
        while remaining is None or remaining > 0:
            chunk = handle.read(CHUNK_BYTES if remaining is None else min(CHUNK_BYTES, remaining))
            if not chunk:
                return
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk


class LocalStorage:
    """Files in one directory (``PLASED_ATTACHMENTS_DIR``), named by their key."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / _checked(key)

    def put(self, key: str, data: BinaryIO) -> None:
        target = self._path(key)
        self.directory.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed: a reader sees the whole file or none.
        partial = self.directory / f".{key}.{uuid.uuid4().hex}.part"
        try:
            with partial.open("xb") as out:
                shutil.copyfileobj(data, out, CHUNK_BYTES)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)

    def open(self, key: str, *, offset: int = 0, length: int | None = None) -> Iterator[bytes]:
        try:
            handle = self._path(key).open("rb")
        except (FileNotFoundError, IsADirectoryError) as exc:
            raise StoredFileMissing(key) from exc
        handle.seek(offset)
        return _chunks(handle, length)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()


_MISSING_CODES = {"NoSuchKey", "404", "NotFound"}


class S3Storage:
    """Objects in one bucket of S3 or of any S3-compatible service (MinIO, Ceph, Garage…).

    Credentials and the region come from boto3's usual sources (``AWS_ACCESS_KEY_ID`` and
    ``AWS_SECRET_ACCESS_KEY``, ``AWS_PROFILE``, an instance role, ``AWS_DEFAULT_REGION``).
    With an endpoint URL (a service other than AWS) buckets are addressed by path
    (``http://host/bucket/key``), which every S3-compatible service understands.
    """

    def __init__(
        self,
        *,
        bucket: str,
        prefix: str = "",
        endpoint_url: str | None = None,
        max_connections: int = 10,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        config = Config(
            max_pool_connections=max_connections,
            connect_timeout=10,
            read_timeout=60,
            retries={"mode": "standard", "max_attempts": 3},
            s3={"addressing_style": "path"} if endpoint_url else None,
        )
        # A client is safe to share between threads; it is built once per process.
        self._client: Any = boto3.client("s3", endpoint_url=endpoint_url or None, config=config)

    def _key(self, key: str) -> str:
        return self.prefix + _checked(key)

    def put(self, key: str, data: BinaryIO) -> None:
        # Objects appear whole; large ones are sent in parts by boto3.
        self._client.upload_fileobj(data, self.bucket, self._key(key))

    def open(self, key: str, *, offset: int = 0, length: int | None = None) -> Iterator[bytes]:
        extra: dict[str, str] = {}
        if offset or length is not None:
            end = "" if length is None else str(offset + length - 1)
            extra["Range"] = f"bytes={offset}-{end}"
        try:
            answer = self._client.get_object(Bucket=self.bucket, Key=self._key(key), **extra)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING_CODES:
                raise StoredFileMissing(key) from exc
            raise
        return _body(answer["Body"])

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def exists(self, key: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING_CODES:
                return False
            raise
        return True


class _StreamingBody(Protocol):
    """botocore's answer body."""

    def iter_chunks(self, chunk_size: int) -> Iterator[bytes]: ...

    def close(self) -> None: ...


def _body(body: _StreamingBody) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK_BYTES)
    finally:
        body.close()


def make_storage(settings: Settings) -> Storage:
    """The storage the settings name (checked when the settings were read)."""
    if settings.storage == "s3":
        assert settings.s3_bucket is not None
        return S3Storage(
            bucket=settings.s3_bucket,
            prefix=settings.s3_prefix,
            endpoint_url=settings.s3_endpoint_url,
            max_connections=settings.threadpool_size,
        )
    return LocalStorage(settings.attachments_dir)


def get_storage(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


StorageDep = Annotated[Storage, Depends(get_storage)]
