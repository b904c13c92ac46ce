"""One settings object for the whole product.

Read from environment variables (prefix ``TROLY_``, plus the usual ``OPENAI_*``) and an
optional ``troly.toml`` (path in ``TROLY_CONFIG``, else ./troly.toml). Built once at the
edge (CLI, Streamlit app, eval runner) and passed down; nothing reads the environment
behind its back. Secrets are kept as ``SecretStr`` so they never show up in logs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

from retrieval.errors import BadInputError

if TYPE_CHECKING:  # the model itself (pydantic-settings) loads only when a value must be validated
    from annotated_types import Ge, Gt, Le
    from pydantic import AliasChoices, AllowInfNan, Field, SecretStr, ValidationError

    from .settings_model import Settings

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


class SettingsFields:
    """All configuration knobs, with offline defaults: declared once, here. The Settings
    model (assistant/settings_model.py, pydantic-settings) validates the environment and
    troly.toml against these annotations; when nothing is set, DefaultSettings reads the
    same defaults without importing pydantic (issue 13: a cold `troly ask` / `troly docs`).
    The annotations stay strings until the model resolves them (``_bind_model_names``)."""

    # Where things live.
    data_dir: Path = _default_data_dir()
    sources_dir: Path | None = None  # default: <data_dir>/sources
    catalog_path: Path | None = None  # default: <data_dir>/catalog.toml
    index_dir: Path | None = None  # default: <data_dir>/index
    prompts_dir: Path = _default_prompts_dir()
    calibration_path: Path | None = None  # default: <data_dir>/calibration.json
    # The evaluation's files (shipped inside the eval package).
    eval_dir: Path = PROJECT_ROOT / "eval"
    questions_path: Path | None = None  # default: <eval_dir>/questions.jsonl
    gate_path: Path | None = None  # default: <eval_dir>/gate.toml
    release_path: Path | None = None  # default: <eval_dir>/release.json
    reports_dir: Path | None = None  # default: <eval_dir>/reports

    # Ingestion.
    max_file_mb: Annotated[float, Gt(0), AllowInfNan(False)] = 20.0
    chunk_max_tokens: Annotated[int, Gt(0)] = 400
    chunk_min_tokens: Annotated[int, Ge(0)] = 12
    # Adding, replacing and removing documents from the web UI ("Thêm văn bản"): off by
    # default, since on a shared deployment every user would change every user's documents.
    uploads: bool = False
    upload_max_mb: Annotated[float, Gt(0), AllowInfNan(False)] = 20.0  # one uploaded file (and TROLY_MAX_FILE_MB)

    # Backends chosen by name from the registries.
    embedder: str = "hashing"
    generator: str = "extractive"
    condenser: str = "rules"  # rules | llm (the OpenAI-compatible endpoint rewrites follow-ups)
    collection_prefix: str = "troly"  # Chroma server mode: the collections' names start with it
    # Chroma server mode (issue 16): every replica reads the index from one `chroma run`
    # server instead of index_dir (which then only caches the live generation's files).
    chroma_url: str | None = None  # e.g. http://127.0.0.1:8000
    chroma_grace_s: Annotated[float, Ge(0), AllowInfNan(False)] = 600.0  # a retired generation is kept this long
    chroma_timeout: Annotated[float, Gt(0), AllowInfNan(False)] = 10.0  # one request to the Chroma server

    # OpenAI-compatible endpoints (OpenAI, vLLM, Ollama, TEI, LM Studio).
    openai_api_key: Annotated[
        SecretStr | None, Field(validation_alias=AliasChoices("TROLY_OPENAI_API_KEY", "OPENAI_API_KEY"))
    ] = None
    openai_base_url: Annotated[
        str | None, Field(validation_alias=AliasChoices("TROLY_OPENAI_BASE_URL", "OPENAI_BASE_URL"))
    ] = None
    embedding_model: str = "text-embedding-3-small"
    embedding_batch_size: Annotated[int, Gt(0)] = 64
    chat_model: str = "gpt-4o-mini"
    temperature: Annotated[float, Ge(0), AllowInfNan(False)] = 0.0
    request_timeout: Annotated[float, Gt(0), AllowInfNan(False)] = 30.0  # one HTTP attempt
    max_retries: Annotated[int, Ge(0)] = 2
    # one answer from the LLM, every attempt included
    llm_deadline: Annotated[float, Gt(0), AllowInfNan(False)] = 15.0

    # Retrieval and answering.
    top_k: Annotated[int, Gt(0), Le(100)] = 8
    # Up to this many clauses the dense search is exact; above it the ingest builds, and the
    # search reads, the approximate dense cells (retrieval/cells.py; issue 13).
    dense_exact_limit: Annotated[int, Ge(0)] = 20_000
    # BLAS/OpenMP threads of this process (retrieval/threads.py; 0: the libraries' own choice).
    blas_threads: Annotated[int, Ge(0)] = 1
    abstain_threshold: float | None = None  # default: the value calibrated in <calibration>
    # refuse a figure question whose asked words stand beside no value (abstention.py
    # unsupported_detail). On (issue 10.7, wave 14): it once cost answers on unseen questions
    # ("danh mục … cụ thể", "mấy nội dung đó" read as figure asks once folded); it now reads
    # the ask with its marks (abstention.asks_figure), and refuses more near misses on dev,
    # val and the probes' check half with no answerable of dev or val lost
    abstain_detail_check: bool = True
    # perf (issue 13): answers kept for exactly repeated requests, per index generation, with
    # the offline backends only (assistant/answer_cache.py); 0 = off. An LRU smaller than a
    # batch that comes round again keeps none of it (1024 against the 1,200 distinct
    # questions of bench_perf's batch: no hit at all); 1,517 answers kept cost ~17 MB of RSS
    answer_cache: Annotated[int, Ge(0)] = 2048
    feedback_db: Path | None = None  # default: <data_dir>/feedback.sqlite3

    # -- Shared deployments (issue 16): `troly serve`, PostgreSQL, sign-in ---------------
    # SQLAlchemy URL of the conversations/feedback database; default sqlite:///<feedback_db>.
    # PostgreSQL for several replicas: postgresql://user:password@host:5432/troly
    database_url: SecretStr | None = None
    serve_model: str = "troly-nghiquyet"  # the model id the API answers to
    api_keys: dict[str, SecretStr] = {}  # {user: bearer key}; empty = no auth (copied per instance)
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


def _bind_model_names() -> None:
    """Bind the pydantic names the field annotations above use, so that the Settings model
    can resolve them (called by assistant/settings_model.py, which has imported pydantic)."""
    global AliasChoices, AllowInfNan, Field, Ge, Gt, Le, SecretStr
    from annotated_types import Ge, Gt, Le
    from pydantic import AliasChoices, AllowInfNan, Field, SecretStr


def _fields() -> dict[str, Any]:
    """The declared defaults, by field name (a fresh copy of the mutable ones)."""
    values = {name: getattr(SettingsFields, name) for name in SettingsFields.__annotations__}
    return {name: dict(v) if isinstance(v, dict) else v for name, v in values.items()}


class DefaultSettings(SettingsFields):
    """The settings when nothing sets any (no TROLY_* or OPENAI_* variable, no troly.toml,
    no override): the declared defaults, which need no validation. What only the model has
    (model_dump, model_copy, public_view…) is read from the validated Settings, built on
    its first use."""

    def __init__(self) -> None:
        self.__dict__.update(_fields())
        self.__dict__["_validated"] = None

    def validated(self) -> Settings:
        """The same settings as the pydantic-settings model (built once)."""
        if self.__dict__.get("_validated") is None:
            self.__dict__["_validated"] = load_settings(_fast=False)
        return self.__dict__["_validated"]

    def __getattr__(self, name: str) -> Any:  # only names that are neither fields nor properties
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.validated(), name)

    def __repr__(self) -> str:
        return f"DefaultSettings({self.validated()!r})"


def _nothing_set() -> bool:
    """No environment variable or file that the model would read sets a value."""
    if _toml_path().exists():
        return False
    for key in os.environ:
        upper = key.upper()
        if upper.startswith("TROLY_") and upper != "TROLY_CONFIG" or upper in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            return False
    return True


def __getattr__(name: str) -> Any:  # PEP 562: the model loads on first use
    if name == "Settings":
        from .settings_model import Settings

        return Settings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def load_settings(_fast: bool = True, **overrides: Any) -> Settings:
    """Settings from the environment and troly.toml; a bad value is a one-line BadInputError.
    When nothing sets any value, the declared defaults without the model (DefaultSettings:
    the same attributes)."""
    if _fast and not overrides and _nothing_set():
        return cast("Settings", DefaultSettings())
    import tomllib

    from pydantic import ValidationError

    from .settings_model import Settings

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise BadInputError(describe_invalid(exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise BadInputError(f"tệp cấu hình {_toml_path()} sai cú pháp TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"không đọc được tệp cấu hình {_toml_path()} ({type(exc).__name__})") from None
