"""The floors, read from the imports themselves, so that a later change cannot break them silently.

core/ imports nothing of ours; ingestion/ and indicators/ import only core/; assistant/ composes them;
review/ and eval/ sit on assistant/; zwgk/ only wires commands (nothing of ours imports it).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
OURS = {"core", "ingestion", "indicators", "assistant", "review", "eval", "prompts", "zwgk"}

# package -> the packages of ours it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "prompts": set(),
    "ingestion": {"core"},
    "indicators": {"core"},
    "assistant": {"core", "ingestion", "indicators", "prompts"},
    "review": {"core", "ingestion", "indicators", "assistant"},
    "eval": {"core", "ingestion", "indicators", "assistant"},
    "zwgk": OURS,
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(top-level package of ours, line) for every import in a module, including imports inside functions."""
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in OURS:
                found.add((top, node.lineno))
    return found


def modules(package: str) -> list[Path]:
    return sorted(p for p in (REPO / package).rglob("*.py") if "samples" not in p.parts)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_the_floors_below(package: str):
    assert modules(package), f"{package}/ has no modules: the layering table is out of date"
    wrong = [
        f"{path.relative_to(REPO)}:{line} imports {top}"
        for path in modules(package)
        for top, line in sorted(imported_packages(path))
        if top != package and top not in ALLOWED[package]
    ]
    assert not wrong, "\n".join(wrong)


def test_the_checker_sees_a_violation(tmp_path: Path):
    # the test above must be able to fail: an upward import is found, also inside a function
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\ndef f():\n    from assistant.review import UnitReviewer\n", encoding="utf-8")
    assert imported_packages(bad) == {("assistant", 4)}


def test_every_package_of_ours_is_in_the_table():
    top_level = {p.name for p in REPO.iterdir() if (p / "__init__.py").is_file()}
    assert top_level - {"tests", "bench"} == set(ALLOWED)
