"""The Settings model: pydantic-settings reading the fields declared in
assistant/settings.py (SettingsFields) from the environment (``TROLY_*``, plus the usual
``OPENAI_*``) and troly.toml, each value validated against its annotation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

from . import settings as _declared
from .settings import SettingsFields, _toml_path

_declared._bind_model_names()  # the names the fields' annotations use, for pydantic to resolve


class Settings(BaseSettings, SettingsFields):
    """All configuration knobs, with offline defaults (declared in SettingsFields)."""

    model_config = SettingsConfigDict(env_prefix="TROLY_", extra="ignore", populate_by_name=True)

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

    def public_view(self) -> dict[str, Any]:
        """Settings safe to show a user: no secret, only whether one is set."""
        data = self.model_dump(exclude={"openai_api_key"})
        data["openai_api_key"] = "đã đặt" if self.openai_api_key else "chưa đặt"
        return {k: str(v) if isinstance(v, Path) else v for k, v in data.items()}
