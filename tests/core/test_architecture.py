"""The layer rules lint-imports cannot state: tables import only the core, so that any layer
may read them (plased.access does) without pulling in a domain's code."""

import ast

from tests.conftest import REPO_ROOT

ALLOWED = {"plased.db", "plased.vocabulary"}


def test_table_modules_import_only_the_core() -> None:
    offenders = []
    paths = sorted((REPO_ROOT / "src" / "plased").glob("*/models.py"))
    assert len(paths) >= 7  # auth, platforms, members, coss, governance, referrals, notifications
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("plased"):
                module = node.module or ""
                own = module.rsplit(".", 1)[0] == f"plased.{path.parent.name}"
                if module not in ALLOWED and not (own and module.endswith(".models")):
                    offenders.append(f"{path.parent.name}/models.py imports {module}")
    assert offenders == []
