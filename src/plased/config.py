"""Settings: one class, read from the environment with the prefix ``PLASED_``."""

import ipaddress
import os
from functools import lru_cache
from typing import Literal

from limits import parse
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-this-is-only-for-development"  # noqa: S105 - a known, refused value
MIN_SECRET_BYTES = 32


class InsecureSettings(ValueError):
    """The service refuses to start with these settings."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLASED_", env_file=None, extra="ignore")

    environment: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///./plased.db"
    secret_key: str = DEFAULT_SECRET
    token_issuer: str = "plased"  # noqa: S105 - a claim value, not a secret
    token_audience: str = "plased-api"  # noqa: S105 - a claim value, not a secret
    access_token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=30, ge=1, le=365)
    # A refresh retried within this many seconds (a lost answer, two tabs at once) gets the
    # same new refresh token instead of revoking the session family.
    refresh_grace_seconds: int = Field(default=60, ge=0, le=300)
    cors_origins: list[str] = Field(default_factory=list)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    # Uploads (minutes attachments) may be larger than other request bodies.
    max_upload_bytes: int = Field(default=10 * 1_048_576, ge=1024)
    # Where uploaded files live (plased/storage.py): a directory, or an S3-compatible bucket
    # that several replicas share. Credentials for S3 come from boto3's usual environment.
    storage: Literal["local", "s3"] = "local"
    attachments_dir: str = "./var/attachments"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_prefix: str = ""
    demo_password: str = "plased-demo-2024"  # noqa: S105 - documented demo login
    # Login throttling: after this many failures for one email the account is locked.
    login_max_failures: int = Field(default=5, ge=1)
    login_lock_minutes: int = Field(default=15, ge=1)
    # Threads that run sync endpoints; the connection pool is sized from it (DESIGN §9).
    threadpool_size: int = Field(default=40, ge=4, le=512)
    # Seconds a request may wait for a pooled connection before failing.
    db_pool_timeout: float = Field(default=30, gt=0, le=300)
    log_level: str = "INFO"
    # Rate limits (see plased/ratelimit.py), in the ``limits`` notation ("20/minute").
    # Counted in memory unless PLASED_REDIS_URL is set: set it when several replicas run.
    redis_url: str | None = None
    rate_limit_per_address: str = "600/minute"
    rate_limit_login_per_address: str = "30/minute"
    rate_limit_writes_per_user: str = "120/minute"
    rate_limit_referrals_per_user: str = "30/minute"
    # Production hides /docs, /redoc and /openapi.json unless this is true.
    public_docs: bool = False
    # Proxies whose X-Forwarded-Proto and X-Forwarded-For are believed: comma-separated
    # addresses or networks, or "*" for every peer. FORWARDED_ALLOW_IPS (uvicorn's own name,
    # read by earlier versions) still counts when the PLASED_ variable is unset.
    forwarded_allow_ips: str = Field(
        default_factory=lambda: os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        validate_default=True,
    )

    @model_validator(mode="after")
    def _refuse_weak_secret_in_production(self) -> "Settings":
        if self.environment == "production":
            if not self.secret_key or self.secret_key == DEFAULT_SECRET:
                raise InsecureSettings(
                    "PLASED_SECRET_KEY must be set to a random value of at least "
                    f"{MIN_SECRET_BYTES} bytes in production"
                )
            if len(self.secret_key.encode()) < MIN_SECRET_BYTES:
                raise InsecureSettings(
                    f"PLASED_SECRET_KEY is shorter than {MIN_SECRET_BYTES} bytes; "
                    "generate one with: "
                    "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
                )
            if "*" in self.cors_origins:
                raise InsecureSettings("PLASED_CORS_ORIGINS must list origins, not '*'")
        return self

    @model_validator(mode="after")
    def _storage_is_complete(self) -> "Settings":
        if self.storage == "s3" and not (self.s3_bucket or "").strip():
            raise ValueError("PLASED_STORAGE=s3 needs PLASED_S3_BUCKET, the bucket's name")
        if self.s3_endpoint_url and not self.s3_endpoint_url.startswith(("http://", "https://")):
            raise ValueError(
                "PLASED_S3_ENDPOINT_URL must be an http:// or https:// URL, "
                "such as https://s3.example.org"
            )
        return self

    @field_validator(
        "rate_limit_per_address",
        "rate_limit_login_per_address",
        "rate_limit_writes_per_user",
        "rate_limit_referrals_per_user",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError as exc:
            raise ValueError(f"not a rate limit such as '20/minute': {value!r}") from exc
        return value

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxies(cls, value: str) -> str:
        value = value.strip()
        if value == "*":
            return value
        for item in value.split(","):
            try:
                ipaddress.ip_network(item.strip())
            except ValueError as exc:
                raise ValueError(
                    f"not an address or network such as 10.0.0.0/8 (or '*'): {item.strip()!r}"
                ) from exc
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
