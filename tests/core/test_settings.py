import subprocess
import sys

import pytest
from pydantic import ValidationError

from plased.config import DEFAULT_SECRET, Settings


def test_development_accepts_defaults() -> None:
    assert Settings(environment="development").secret_key == DEFAULT_SECRET


@pytest.mark.parametrize("secret", ["", DEFAULT_SECRET, "short-secret"])
def test_production_refuses_weak_secrets(secret: str) -> None:
    with pytest.raises(ValidationError, match="PLASED_SECRET_KEY"):
        Settings(environment="production", secret_key=secret)


def test_production_accepts_long_secret() -> None:
    settings = Settings(environment="production", secret_key="k" * 32)
    assert settings.environment == "production"


def test_production_refuses_wildcard_cors() -> None:
    with pytest.raises(ValidationError, match="CORS"):
        Settings(environment="production", secret_key="k" * 40, cors_origins=["*"])


def test_cli_refuses_to_start_with_one_line() -> None:
    env = {"PLASED_ENVIRONMENT": "production", "PLASED_SECRET_KEY": "short", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "plased.cli", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("plased: refusing to start:") and "32 bytes" in lines[0]


@pytest.mark.parametrize("proxies", ["*", "127.0.0.1", "127.0.0.1, 10.0.0.0/8", "::1,fd00::/8"])
def test_trusted_proxies_are_addresses_or_networks(proxies: str) -> None:
    assert Settings(forwarded_allow_ips=proxies).forwarded_allow_ips == proxies


@pytest.mark.parametrize("proxies", ["proxy.example.org", "10.0.0.0/33", "10.0.0.1/8", "1.2.3.4,"])
def test_trusted_proxies_refuse_anything_else(proxies: str) -> None:
    with pytest.raises(ValidationError, match="not an address or network"):
        Settings(forwarded_allow_ips=proxies)


def test_trusted_proxies_default_and_uvicorns_own_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PLASED_FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert Settings().forwarded_allow_ips == "127.0.0.1"
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.0/8")
    assert Settings().forwarded_allow_ips == "10.0.0.0/8"
    monkeypatch.setenv("PLASED_FORWARDED_ALLOW_IPS", "192.168.0.0/16")
    assert Settings().forwarded_allow_ips == "192.168.0.0/16"
