"""A container runtime for the tests: Docker or Podman as usual, or these machines' helpers.

Where `../shared/containers/` (or `$ADVISOR_CONTAINERS`) holds a `podman` wrapper and a
`base-image` script, they are used: no registry can be reached there, so images are built on a
local Debian base. Elsewhere a `docker` or `podman` that answers `info` is used as it is.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HELPERS_VARIABLE = "ADVISOR_CONTAINERS"
COMMAND_SECONDS = 600.0
"""A bound on one command (a build fetches every dependency from PyPI), not an expectation."""
PROBE_SECONDS = 30.0


@dataclass(frozen=True)
class Finished:
    """A command's exit code and what it printed (stdout and stderr together)."""

    code: int
    output: str


async def run(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    seconds: float = COMMAND_SECONDS,
) -> Finished:
    """Run a command to its end without blocking the loop (the fake Slack API lives on it)."""
    process = await asyncio.create_subprocess_exec(
        *(str(part) for part in command),
        cwd=cwd,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with asyncio.timeout(seconds):
            output, _ = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    assert process.returncode is not None
    return Finished(process.returncode, output.decode(errors="replace"))


async def check(
    command: Sequence[str | Path],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    seconds: float = COMMAND_SECONDS,
) -> str:
    """Run a command that must succeed; its output, or a failure that shows it."""
    done = await run(command, cwd=cwd, env=env, seconds=seconds)
    if done.code != 0:
        shown = " ".join(str(part) for part in command)
        pytest.fail(f"`{shown}` exited with {done.code}:\n{done.output[-6000:]}", pytrace=False)
    return done.output


@dataclass(frozen=True)
class Runtime:
    """How to build and run images here."""

    engine: Path
    """`docker`, `podman` or the machine's podman wrapper: called like `docker`."""
    base_image: str | None
    """The base to build on instead of the Dockerfile's default, where no registry is reached."""

    @property
    def is_podman(self) -> bool:
        return self.engine.name == "podman"

    def build_args(self) -> list[str]:
        """What every `build` needs here: nothing left behind, even by a failed build (and no
        cached layers with Podman), Docker's image format (OCI drops HEALTHCHECK), the base."""
        extra = ["--force-rm"]
        if self.is_podman:
            extra += ["--format", "docker", "--layers=false"]
        if self.base_image is not None:
            extra += ["--build-arg", f"BASE_IMAGE={self.base_image}"]
        return extra

    def compose(self, project: str, files: Sequence[Path]) -> list[str]:
        """The compose command for `project` with `files` (the first names the project folder)."""
        chosen = [arg for file in files for arg in ("-f", str(file))]
        if not self.is_podman:
            return [str(self.engine), "compose", "-p", project, *chosen]
        return [
            _podman_compose(),
            "--podman-path",
            str(self.engine),
            "--in-pod=false",
            "-p",
            project,
            *chosen,
        ]


async def find_runtime() -> Runtime | None:
    """These machines' helpers when they are there, else a working `docker` or `podman`."""
    helpers = _helpers()
    if helpers is not None:
        # base-image also installs podman and runc with apt where they are missing.
        done = await run([helpers / "base-image"])
        if done.code == 0 and done.output.strip():
            return Runtime(helpers / "podman", done.output.strip().splitlines()[-1])
        print(f"{helpers / 'base-image'} failed ({done.code}):\n{done.output[-3000:]}")
    for name in ("docker", "podman"):
        found = shutil.which(name)
        if found and (await run([found, "info"], seconds=PROBE_SECONDS)).code == 0:
            return Runtime(Path(found), None)
    return None


async def runtime_or_fail() -> Runtime:
    """The runtime; without one a failure on CI (CI=true), a loud skip elsewhere."""
    runtime = await find_runtime()
    if runtime is not None:
        return runtime
    why = (
        "no container runtime: neither ../shared/containers/ (or $ADVISOR_CONTAINERS) with "
        "`podman` and `base-image`, nor a `docker` or `podman` that answers `info`"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}, and CI=true needs one", pytrace=False)
    pytest.skip(why)


def _helpers() -> Path | None:
    chosen = os.environ.get(HELPERS_VARIABLE)
    places = [Path(chosen)] if chosen else [REPO.parent / "shared" / "containers"]
    places.append(Path("/work/shared/containers"))
    for place in places:
        if (place / "podman").is_file() and (place / "base-image").is_file():
            return place
    return None


def _podman_compose() -> str:
    beside = Path(sys.executable).parent / "podman-compose"
    found = str(beside) if beside.is_file() else shutil.which("podman-compose")
    if found is None:
        pytest.fail("podman-compose is missing: pip install -e '.[dev]'", pytrace=False)
    return found
