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
