"""Uploads are stored under content-hash names inside the workspace; size limits are enforced before
a file is copied or read; the API key cannot come from a configuration file."""

from __future__ import annotations

import json
import re

import pytest

from core.errors import ConfigError
from tests.reliability.runner import run_zwgk


def test_oversized_file_is_refused_and_never_copied(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "大文件.txt").write_bytes("政务公开".encode() * 200_000)  # 2.4 MB
    (src / "小文件.txt").write_text("香河县人民政府办公室关于政务公开工作的通知。", encoding="utf-8")
    proc = run_zwgk("ingest", str(src), "--workspace", str(tmp_path / "ws"), "--json",
                    env={"ZWGK_MAX_FILE_MB": "1"}, timeout=120)
    assert proc.returncode == 1
    docs = {d["file"]: d for d in json.loads(proc.stdout)["documents"]}
    assert docs["大文件.txt"]["status"] == "error" and "文件过大" in docs["大文件.txt"]["error"]
    assert docs["小文件.txt"]["status"] == "ok"
    assert "失败：大文件.txt：文件过大" in proc.stderr
    stored = [p for p in (tmp_path / "ws" / "files").rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].stat().st_size < 1024  # only the small file was copied
    assert re.fullmatch(r"[0-9a-f]{64}\.txt", stored[0].name)


def test_stored_names_never_come_from_the_upload_name(tmp_path):
    src = tmp_path / "in" / "子目录 一"
    src.mkdir(parents=True)
    (src / "附件..\\..\\escape 名字.TXT").write_text("大城县人民政府关于政务公开的通知。", encoding="utf-8")
    proc = run_zwgk("ingest", str(tmp_path / "in"), "--workspace", str(tmp_path / "ws"), "--json", timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (doc,) = json.loads(proc.stdout)["documents"]
    assert doc["file"] == "子目录 一/附件..\\..\\escape 名字.TXT"
    stored = [p for p in (tmp_path / "ws").rglob("*") if p.is_file() and "files" in p.parts]
    assert [p.suffix for p in stored] == [".txt"] and all("escape" not in str(p) for p in stored)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "ws"]


def test_api_key_in_the_config_file_is_refused(tmp_path, monkeypatch):
    from core.settings import Settings

    cfg = tmp_path / "zwgk.toml"
    cfg.write_text('llm_api_key = "sk-in-file"\n', encoding="utf-8")
    monkeypatch.setenv("ZWGK_CONFIG", str(cfg))
    with pytest.raises(ConfigError, match="ZWGK_LLM_API_KEY"):
        Settings()


def test_api_key_is_masked_in_the_settings_repr(monkeypatch):
    from core.settings import Settings

    monkeypatch.setenv("ZWGK_LLM_API_KEY", "sk-test-secret")
    s = Settings()
    assert s.llm_api_key.get_secret_value() == "sk-test-secret"
    assert "sk-test-secret" not in repr(s) and "sk-test-secret" not in s.model_dump_json()
