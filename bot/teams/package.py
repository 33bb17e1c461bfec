"""The Teams app package: the packaged manifest template filled in and zipped as Teams takes it
for side-loading."""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

DEPLOY: Traversable = resources.files(__package__) / "data"
"""The manifest template, icons and translations (bot/teams/data/): package data, so an installed
advisor finds them as well as a source tree does."""
FILES = ("manifest.json", "color.png", "outline.png", "nl.json")
"""What the zip holds, at its root: Teams rejects a package whose files are in a folder."""
DEFAULT_NAME = "advisor-teams.zip"
DISTRIBUTION = "ssrm-advisor"

APP_ID, HOST, VERSION = "{{APP_ID}}", "{{HOST}}", "{{VERSION}}"
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
# The manifest schema takes a version as three plain numbers, nothing after them.
_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
_PLACEHOLDER = re.compile(r"\{\{\w+\}\}")
# Zip entries carry a time; a fixed one makes the same input give the same zip, byte for byte.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def package(
    app_id: str,
    host: str,
    out: Path,
    *,
    version: str | None = None,
    source: Traversable = DEPLOY,
) -> Path:
    """Writes the Teams app package, ready to upload in Teams (Apps, Manage your apps).

    Args:
        app_id: the bot's Microsoft app id (a GUID); also the Teams app's id.
        host: the advisor's public host name, e.g. advisor.example.org: no scheme, port or path.
        out: the zip to write; a folder gets `advisor-teams.zip` inside it.
        version: the app's version, X.Y.Z (Teams wants a higher one for each update); by
            default the installed advisor's version.
        source: the folder with the manifest template, icons and translations.

    Returns:
        The path of the zip written.

    Raises:
        ValueError: a malformed app id, host or version; nothing is written then.
        FileNotFoundError: the source folder or one of its files is missing.
    """
    values = {
        APP_ID: _checked_app_id(app_id),
        HOST: _checked_host(host),
        VERSION: _checked_version(version if version is not None else _installed_version()),
    }
    contents = {name: _read(source, name) for name in FILES}
    contents["manifest.json"] = _filled(contents["manifest.json"].decode("utf-8"), values)
    target = out / DEFAULT_NAME if out.is_dir() else out
    if not target.parent.is_dir():
        raise ValueError(f"there is no folder {target.parent} to write {target.name} in")
    _write_zip(target, contents)
    return target


def _checked_app_id(app_id: str) -> str:
    app_id = app_id.strip()
    if not _GUID.fullmatch(app_id):
        raise ValueError(
            f"the app id must be the bot's Microsoft app id, a GUID like "
            f"00000000-0000-0000-0000-000000000000, not {app_id[:80]!r}"
        )
    return app_id.lower()


def _checked_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if "://" in host or "/" in host or ":" in host:
        raise ValueError(
            f"the host must be a bare host name like advisor.example.org, without https://, "
            f"a port or a path, not {host[:80]!r}"
        )
    labels = host.split(".")
    if labels[-1].isdigit():
        raise ValueError(f"the host must be a host name, not an IP address: {host[:80]!r}")
    if len(host) > 253 or len(labels) < 2 or not all(_LABEL.fullmatch(x) for x in labels):
        raise ValueError(
            f"the host must be a public host name like advisor.example.org, not {host[:80]!r}"
        )
    return host


def _checked_version(version: str) -> str:
    if not _VERSION.fullmatch(version):
        raise ValueError(
            f"the app version must be three numbers like 1.0.0 (Teams takes nothing else), "
            f"not {version[:80]!r}; give one with --version"
        )
    return version


def _installed_version() -> str:
    # Imported here: importlib.metadata costs every `advisor` command ~15 ms, and only this
    # default needs it (bot.cli imports this module for DEFAULT_NAME).
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        return installed_version(DISTRIBUTION)
    except PackageNotFoundError as error:
        raise ValueError(
            f"{DISTRIBUTION} is not installed, so it has no version: give one with --version"
        ) from error


def _read(source: Traversable, name: str) -> bytes:
    path = source / name
    if not path.is_file():
        raise FileNotFoundError(
            f"the Teams app files are not where the advisor looks for them: {path} is missing "
            "(they are installed with the advisor, in bot/teams/data/: reinstall it)"
        )
    return path.read_bytes()


def _filled(template: str, values: dict[str, str]) -> bytes:
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    left = _PLACEHOLDER.search(template)
    if left:
        raise ValueError(f"the manifest template has a placeholder no one fills: {left[0]}")
    return template.encode("utf-8")


def _write_zip(target: Path, contents: dict[str, bytes]) -> None:
    """Writes beside the target and renames, so a failure never leaves half a zip behind."""
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file, zipfile.ZipFile(file, "w") as archive:
            for name, data in contents.items():
                entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, data)
        os.chmod(partial, 0o644)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
