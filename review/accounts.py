"""Reviewer accounts for the UI: a TOML file of users with scrypt password hashes.

Serving on anything but loopback requires accounts (review/app.py refuses to start otherwise).
File format:

    [users.zhangsan]
    name = "张三"
    password = "scrypt$16384$8$1$<salt hex>$<hash hex>"
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from core.files import atomic_write_text

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    password: str  # the hash


class AccountsError(ValueError):
    pass


def load_accounts(path: Path | None) -> dict[str, Account]:
    if path is None:
        return {}
    if not path.is_file():
        raise AccountsError(f"账号文件不存在：{path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise AccountsError(f"账号文件格式错误：{path}：{exc}") from exc
    out = {}
    for username, entry in (data.get("users") or {}).items():
        if not isinstance(entry, dict) or not str(entry.get("password", "")).startswith("scrypt$"):
            raise AccountsError(f"账号 {username} 缺少 scrypt 密码哈希（请用 zwgk users add 生成）")
        out[username] = Account(username, str(entry.get("name") or username), entry["password"])
    return out


def add_account(path: Path, username: str, name: str, password: str) -> None:
    """Add or replace one account, keeping the others (the file holds hashes only)."""
    accounts = load_accounts(path) if path.is_file() else {}
    accounts[username] = Account(username, name, hash_password(password))
    lines = []
    for a in accounts.values():
        lines += [f'[users."{a.username}"]', f'name = "{a.name}"', f'password = "{a.password}"', ""]
    atomic_write_text(path, "\n".join(lines), mode=0o600)


def authenticator(accounts: dict[str, Account]):
    """The callable Gradio's launch(auth=...) takes."""

    def check(username: str, password: str) -> bool:
        acc = accounts.get(username)
        return acc is not None and verify_password(password, acc.password)

    return check


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")
