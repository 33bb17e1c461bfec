"""What an operator copies and runs: .env.example, compose.yaml and the Dockerfile, read as files.

The container test runs them; these say, without a container runtime, what each must hold.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.settings import Settings
from tests.deploy.containers import REPO

SETTING = re.compile(r"\bADVISOR_[A-Z_]+[A-Z]\b")
ASSIGNED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")


def _example() -> dict[str, tuple[bool, str]]:
    """The variables .env.example names: whether each is commented out, and its value."""
    named = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        found = ASSIGNED.match(line)
        if found:
            named[found.group(1)] = (line.startswith("#"), found.group(2))
    return named


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "compose.yaml").read_text())
    return loaded


def _readme_settings() -> set[str]:
    readme = (REPO / "README.md").read_text()
    table = readme.partition("## Configuration")[2].partition("\n## ")[0]
    return {
        name
        for line in table.splitlines()
        if line.startswith("| `")
        for name in SETTING.findall(line)
    }


def test_the_env_example_names_every_setting_of_the_advisor_and_of_the_readme() -> None:
    named = set(_example())
    settings = {f"ADVISOR_{name.upper()}" for name in Settings.model_fields}
    assert settings - named == set()
    assert _readme_settings() - named == set()
    assert "POSTGRES_PASSWORD" in named


def test_the_env_example_holds_no_secret_and_sets_only_the_database_password() -> None:
    set_here = {name: value for name, (commented, value) in _example().items() if not commented}
    assert set(set_here) == {"POSTGRES_PASSWORD"}
    assert set_here["POSTGRES_PASSWORD"].startswith("change-me")
    for name, (_, value) in _example().items():
        if "SECRET" in name or "TOKEN" in name or "PASSWORD" in name or "KEY" in name:
            assert value in ("", "xoxb-", "xapp-") or value.startswith("change-me"), name


def test_compose_migrates_a_healthy_postgresql_before_the_advisor_serves_on_port_3000() -> None:
    services = _compose()["services"]
    postgres, migrate, advisor = services["postgres"], services["migrate"], services["advisor"]
    assert postgres["image"] == "postgres:16"
    assert "pg_isready" in postgres["healthcheck"]["test"]
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in _compose()["volumes"], "PostgreSQL's data is in a named volume"
    assert migrate["command"] == ["advisor", "db", "upgrade"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert advisor["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert advisor["ports"][0].endswith(":3000")
    assert advisor["read_only"] is True
    assert migrate["image"] == advisor["image"]
    for service in (migrate, advisor):
        assert service["env_file"] == ".env"
        assert service["environment"]["ADVISOR_DATABASE_URL"].startswith(
            "postgresql+asyncpg://advisor:${POSTGRES_PASSWORD"
        )


def _stages(dockerfile: Path) -> list[list[str]]:
    """The Dockerfile's instructions by stage (continuation lines joined), the preamble first."""
    text = dockerfile.read_text().replace("\\\n", " ")
    stages: list[list[str]] = [[]]
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        stages[-1].append(line)
    return stages


def test_the_image_serves_as_a_non_root_user_with_a_health_check_and_json_logs() -> None:
    preamble, *stages = _stages(REPO / "Dockerfile")
    assert preamble == ["ARG BASE_IMAGE=python:3.11-slim-bookworm"]
    assert all(stage[0].startswith("FROM ${BASE_IMAGE}") for stage in stages)
    for stage in stages:
        if any("pip " in line for line in stage):
            assert "ARG PIP_CERT=" in stage, "pip behind a TLS-intercepting proxy needs it"
    final = "\n".join(stages[-1])
    assert "pip " not in final, "only the virtualenv is copied"
    assert "COPY . " not in final
    assert re.search(r"^USER (?!root|0\b)", final, re.MULTILINE)
    assert re.search(r"^HEALTHCHECK .*/healthz", final, re.MULTILINE)
    assert re.search(r"ADVISOR_LOG_FORMAT=json", final)
    assert "EXPOSE 3000" in final
    assert stages[-1][-1] == 'CMD ["advisor", "serve"]'


def test_the_build_leaves_out_secrets_and_local_state() -> None:
    ignored = set((REPO / ".dockerignore").read_text().splitlines())
    assert {".env", ".venv", ".git", "build", "var", "tests"} <= ignored
