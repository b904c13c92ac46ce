"""deploy/ names only settings that exist: every TROLY_* variable in the compose file, the
example environment and the deployment README is a field of Settings (a renamed or
misspelt variable would otherwise be ignored silently: Settings ignores unknown ones), and
the compose file runs every replica against the Chroma server it starts."""

from __future__ import annotations

import re

import yaml

from assistant.settings import PROJECT_ROOT, Settings

DEPLOY = PROJECT_ROOT / "deploy"
NOT_FIELDS = {"TROLY_CONFIG"}  # the path of troly.toml itself


def known() -> set[str]:
    names = {f"TROLY_{name.upper()}" for name in Settings.model_fields}
    for field in Settings.model_fields.values():
        choices = getattr(field.validation_alias, "choices", None) or []
        names |= {c for c in choices if isinstance(c, str)}
    return names | NOT_FIELDS


def test_every_troly_variable_in_deploy_is_a_setting():
    for name in ("compose.yaml", "env.example", "README.md"):
        used = set(re.findall(r"\bTROLY_[A-Z_]+[A-Z]\b", (DEPLOY / name).read_text("utf-8")))
        assert used and not used - known(), (name, sorted(used - known()))


def test_the_compose_replicas_read_the_index_from_its_chroma_service():
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))["services"]
    chroma = services["chroma"]
    assert chroma["command"][:2] == ["chroma", "run"] and "/data" in chroma["command"]
    for name in ("ingest", "api1", "api2", "ui1", "ui2"):
        assert services[name]["environment"]["TROLY_CHROMA_URL"] == "http://chroma:8000", name
        assert services[name]["depends_on"]["chroma"]["condition"] == "service_healthy", name
