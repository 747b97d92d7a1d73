import re
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_environment_overrides_toml(tmp_path, monkeypatch):
    cfg = tmp_path / "zwgk.toml"
    cfg.write_text('llm = "openai"\nllm_model = "qwen-plus"\nmax_pages = 10\n', encoding="utf-8")
    monkeypatch.setenv("ZWGK_CONFIG", str(cfg))
    monkeypatch.setenv("ZWGK_LLM_MODEL", "deepseek-chat")
    s = Settings()
    assert (s.llm, s.llm_model, s.max_pages) == ("openai", "deepseek-chat", 10)


def test_api_key_only_from_environment_and_never_printed(tmp_path, monkeypatch):
    cfg = tmp_path / "zwgk.toml"
    cfg.write_text('llm_api_key = "sk-leak"\n', encoding="utf-8")
    monkeypatch.setenv("ZWGK_CONFIG", str(cfg))
    with pytest.raises(ConfigError, match="环境变量"):
        Settings()
    monkeypatch.delenv("ZWGK_CONFIG")
    monkeypatch.setenv("ZWGK_LLM_API_KEY", "sk-secret-value")
    s = Settings()
    assert s.llm_api_key.get_secret_value() == "sk-secret-value"
    assert "sk-secret-value" not in repr(s) and "sk-secret-value" not in str(s.model_dump())


def test_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`ZWGK_([A-Z_]+)`", readme))
    missing = [f"ZWGK_{n.upper()}" for n in Settings.model_fields if n.upper() not in documented]
    assert not missing, f"README lacks {missing}"
