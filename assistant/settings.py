"""One settings object for the whole product.

Read from environment variables (prefix ``TROLY_``, plus the usual ``OPENAI_*``) and an
optional ``troly.toml`` (path in ``TROLY_CONFIG``, else ./troly.toml). Built once at the
edge (CLI, Streamlit app, eval runner) and passed down; nothing reads the environment
behind its back. Secrets are kept as ``SecretStr`` so they never show up in logs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from retrieval.errors import BadInputError

# The folder holding the assistant, retrieval and eval packages: the checkout, or
# site-packages when installed from a wheel.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file()


def _default_data_dir() -> Path:
    """The checkout's data/ folder; installed from a wheel, a folder of the user's (set
    TROLY_DATA_DIR to choose another)."""
    return PROJECT_ROOT / "data" if IN_CHECKOUT else Path.home() / ".local" / "share" / "troly"


def _default_prompts_dir() -> Path:
    """prompts/ of the checkout, else the copy shipped inside the package (assistant/prompts)."""
    checkout = PROJECT_ROOT / "prompts"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "prompts"


def _toml_path() -> Path:
    return Path(os.environ.get("TROLY_CONFIG", "troly.toml"))


class Settings(BaseSettings):
    """All configuration knobs, with offline defaults."""

    model_config = SettingsConfigDict(env_prefix="TROLY_", extra="ignore", populate_by_name=True)

    # Where things live.
    data_dir: Path = Field(default_factory=_default_data_dir)
    sources_dir: Path | None = None  # default: <data_dir>/sources
    catalog_path: Path | None = None  # default: <data_dir>/catalog.toml
    index_dir: Path | None = None  # default: <data_dir>/index
    prompts_dir: Path = Field(default_factory=_default_prompts_dir)
    calibration_path: Path | None = None  # default: <data_dir>/calibration.json
    # The evaluation's files (shipped inside the eval package).
    eval_dir: Path = PROJECT_ROOT / "eval"
    questions_path: Path | None = None  # default: <eval_dir>/questions.jsonl
    gate_path: Path | None = None  # default: <eval_dir>/gate.toml
    release_path: Path | None = None  # default: <eval_dir>/release.json
    reports_dir: Path | None = None  # default: <eval_dir>/reports

    # Ingestion.
    max_file_mb: float = Field(20.0, gt=0, allow_inf_nan=False)
    chunk_max_tokens: int = Field(400, gt=0)
    chunk_min_tokens: int = Field(12, ge=0)
    # Adding, replacing and removing documents from the web UI ("Thêm văn bản"): off by
    # default, since on a shared deployment every user would change every user's documents.
    uploads: bool = False
    upload_max_mb: float = Field(20.0, gt=0, allow_inf_nan=False)  # one uploaded file (and TROLY_MAX_FILE_MB)

    # Backends chosen by name from the registries.
    embedder: str = "hashing"
    generator: str = "extractive"
    condenser: str = "rules"  # rules | llm (the OpenAI-compatible endpoint rewrites follow-ups)
    collection_prefix: str = "troly"  # Chroma server mode: the collections' names start with it
    # Chroma server mode (issue 16): every replica reads the index from one `chroma run`
    # server instead of index_dir (which then only caches the live generation's files).
    chroma_url: str | None = None  # e.g. http://127.0.0.1:8000
    chroma_grace_s: float = Field(600.0, ge=0, allow_inf_nan=False)  # a retired generation is kept this long
    chroma_timeout: float = Field(10.0, gt=0, allow_inf_nan=False)  # one request to the Chroma server

    # OpenAI-compatible endpoints (OpenAI, vLLM, Ollama, TEI, LM Studio).
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TROLY_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("TROLY_OPENAI_BASE_URL", "OPENAI_BASE_URL")
    )
    embedding_model: str = "text-embedding-3-small"
    embedding_batch_size: int = Field(64, gt=0)
    chat_model: str = "gpt-4o-mini"
    temperature: float = Field(0.0, ge=0, allow_inf_nan=False)
    request_timeout: float = Field(30.0, gt=0, allow_inf_nan=False)  # one HTTP attempt
    max_retries: int = Field(2, ge=0)
    llm_deadline: float = Field(15.0, gt=0, allow_inf_nan=False)  # one answer from the LLM, every attempt included

    # Retrieval and answering.
    top_k: int = Field(8, gt=0, le=100)
    # Up to this many clauses the dense search is exact; above it the ingest builds, and the
    # search reads, the approximate dense cells (retrieval/cells.py; issue 13).
    dense_exact_limit: int = Field(20_000, ge=0)
    # BLAS/OpenMP threads of this process (retrieval/threads.py; 0: the libraries' own choice).
    blas_threads: int = Field(1, ge=0)
    abstain_threshold: float | None = None  # default: the value calibrated in <calibration>
    feedback_db: Path | None = None  # default: <data_dir>/feedback.sqlite3

    # -- Shared deployments (issue 16): `troly serve`, PostgreSQL, sign-in ---------------
    # SQLAlchemy URL of the conversations/feedback database; default sqlite:///<feedback_db>.
    # PostgreSQL for several replicas: postgresql://user:password@host:5432/troly
    database_url: SecretStr | None = None
    serve_model: str = "troly-nghiquyet"  # the model id the API answers to
    api_keys: dict[str, SecretStr] = Field(default_factory=dict)  # {user: bearer key}; empty = no auth
    max_request_kb: int = 256  # larger request bodies get 413
    max_question_chars: int = 4000
    max_messages: int = 200  # messages in one chat request
    rate_limit_per_minute: int = 120  # per user (or client address without auth); 0 = off
    rate_limit_burst: int = 30
    serve_threads: int = 0  # answers computed at once; 0 = 4 offline, 32 with an LLM
    serve_queue: int = 256  # requests waiting beyond this get 503 (server busy)
    log_questions: bool = False  # log the full question text (off: only its length)
    shutdown_grace_s: float = 20.0  # in-flight requests finish within this on SIGTERM
    # OpenID Connect sign-in for the web UI (off unless a provider is set).
    oidc_server_metadata_url: str | None = None  # https://idp/.well-known/openid-configuration
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_redirect_uri: str = "http://localhost:{port}/oauth2callback"
    oidc_cookie_secret: SecretStr | None = None  # same on every replica; default: generated once
    oidc_prompt: str = "select_account"  # OIDC prompt: select_account (Google, Microsoft), login, consent

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_toml_path())
        return (init_settings, env_settings, toml)

    # Derived paths -----------------------------------------------------------------
    @property
    def sources(self) -> Path:
        return self.sources_dir or self.data_dir / "sources"

    @property
    def catalog(self) -> Path:
        return self.catalog_path or self.data_dir / "catalog.toml"

    @property
    def index(self) -> Path:
        return self.index_dir or self.data_dir / "index"

    @property
    def calibration(self) -> Path:
        return self.calibration_path or self.data_dir / "calibration.json"

    @property
    def questions(self) -> Path:
        return self.questions_path or self.eval_dir / "questions.jsonl"

    @property
    def gate_file(self) -> Path:
        return self.gate_path or self.eval_dir / "gate.toml"

    @property
    def release_file(self) -> Path:
        return self.release_path or self.eval_dir / "release.json"

    @property
    def reports(self) -> Path:
        return self.reports_dir or self.eval_dir / "reports"

    @property
    def feedback_path(self) -> Path:
        return self.feedback_db or self.data_dir / "feedback.sqlite3"

    @property
    def database(self) -> str:
        """The conversations/feedback database URL (a secret: it may hold a password)."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{self.feedback_path}"

    def public_view(self) -> dict[str, Any]:
        """Settings safe to show a user: no secret, only whether one is set."""
        data = self.model_dump(exclude={"openai_api_key"})
        data["openai_api_key"] = "đã đặt" if self.openai_api_key else "chưa đặt"
        return {k: str(v) if isinstance(v, Path) else v for k, v in data.items()}


_REASONS = {  # pydantic error type -> what the value must be
    "float_parsing": "phải là một số",
    "float_type": "phải là một số",
    "int_parsing": "phải là một số nguyên",
    "int_type": "phải là một số nguyên",
    "int_from_float": "phải là một số nguyên",
    "bool_parsing": "phải là true hoặc false",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải từ {ge} trở lên",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "phải từ {le} trở xuống",
    "finite_number": "phải là một số hữu hạn",
    "string_type": "phải là một chuỗi",
}


def describe_invalid(exc: ValidationError) -> str:
    """One Vietnamese line naming the setting, the value given and what it must be."""
    parts = []
    for error in exc.errors():
        name = ".".join(str(x) for x in error.get("loc", ())) or "?"
        ctx = {k: f"{v:g}" if isinstance(v, float) else v for k, v in (error.get("ctx") or {}).items()}
        reason = _REASONS.get(error.get("type", ""), "").format(**ctx)
        value = str(error.get("input", ""))[:40]
        parts.append(
            f"TROLY_{name.upper()}={value!r} không hợp lệ: {reason or error.get('msg', '')}"
            f" (hoặc sửa '{name}' trong troly.toml)"
        )
    return "cấu hình không hợp lệ: " + "; ".join(parts)


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment and troly.toml; a bad value is a one-line BadInputError."""
    import tomllib

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise BadInputError(describe_invalid(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInputError(f"tệp cấu hình {_toml_path()} sai cú pháp TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"không đọc được tệp cấu hình {_toml_path()} ({type(exc).__name__})") from None
