"""docs/webhooks.md lists every event type the state machines emit, and its verification
example runs."""

import re
import subprocess
import sys

from fastapi import FastAPI

from plased.audit.outbox import EVENT_TYPES
from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "webhooks.md"


def test_the_catalogue_is_complete(app: FastAPI) -> None:
    catalogue = DOC.read_text(encoding="utf-8").split("### Event catalogue", 1)[1].split("##", 1)[0]
    assert set(re.findall(r"`([a-z_]+\.[a-z_]+)`", catalogue)) == EVENT_TYPES


def test_the_verification_example_runs() -> None:
    text = DOC.read_text(encoding="utf-8")
    example = (
        text.split("### Verifying a signature", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    )
    result = subprocess.run(
        [sys.executable, "-c", example], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "signature verified" in result.stdout
