"""Finding a container runtime: without one, CI fails the container test instead of skipping it."""

from __future__ import annotations

import pytest

from tests.deploy import containers


@pytest.fixture
def no_runtime(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without ../shared/containers and without docker or podman on PATH."""
    monkeypatch.setattr(containers, "_helpers", lambda: None)
    monkeypatch.setattr(containers.shutil, "which", lambda _: None)


@pytest.mark.usefixtures("no_runtime")
async def test_without_a_container_runtime_ci_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no container runtime"):
        await containers.runtime_or_fail()


@pytest.mark.usefixtures("no_runtime")
async def test_without_a_container_runtime_a_laptop_skips_saying_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no container runtime"):
        await containers.runtime_or_fail()
