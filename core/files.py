"""File helpers every stage shares: content hashes, the one atomic write (temp file + fsync + rename) and
the one reader of a YAML/JSON file that must hold a mapping."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to `path` so that a reader sees the old file or the new one, never half of one.

    `mode` (e.g. 0o600) is applied to the temporary file before the rename, so the content is never
    visible with wider permissions.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def load_yaml(text: str) -> Any:
    """yaml.safe_load with libyaml's C loader where PyYAML has it (the catalog at start-up: 4x faster)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_mapping(path: Path, error: type[Exception], unreadable: str, not_mapping: str,
                 parse: Callable[[str], Any] = load_yaml) -> dict[str, Any]:
    """The mapping a YAML file (or, with `parse=json.loads`, a JSON file) holds; anything else raises `error`.

    `unreadable` and `not_mapping` are the caller's (Chinese) messages, formatted with {path} and {name}
    (the file name), `unreadable` also with {exc}: an unreadable file, bad encoding or a syntax error
    raises `error(unreadable)`, content that is not a mapping `error(not_mapping)`.
    """
    try:
        data = parse(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as exc:  # ValueError: UnicodeDecodeError, JSONDecodeError
        raise error(unreadable.format(path=path, name=path.name, exc=exc)) from exc
    if not isinstance(data, dict):
        raise error(not_mapping.format(path=path, name=path.name))
    return data
