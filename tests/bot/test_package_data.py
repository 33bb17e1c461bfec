"""The Teams app package is made from what an installed advisor has, not from the source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from bot.teams.package import DEPLOY, FILES

ROOT = Path(__file__).parents[2]
APP_ID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
MAKE_PACKAGE = """
import sys
from pathlib import Path

site, out = sys.argv[1], Path(sys.argv[2])
sys.path.insert(0, site)
from bot.teams import package

assert package.__file__.startswith(site), package.__file__
package.package(sys.argv[3], "advisor.example.org", out, version="1.0.0")
"""
"""Makes the zip with `bot` imported from `site` and nowhere else."""


def _installed_like_a_wheel(site: Path) -> None:
    """Copy into `site` what a wheel of `bot` holds: its modules and its declared package data."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]
    wanted = [path for path in (ROOT / "bot").rglob("*.py") if "__pycache__" not in path.parts]
    for package, patterns in declared.items():
        if package == "bot" or package.startswith("bot."):
            folder = ROOT.joinpath(*package.split("."))
            wanted += [path for pattern in patterns for path in folder.glob(pattern)]
    for path in wanted:
        target = site / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def test_the_teams_files_are_read_through_the_package() -> None:
    for name in FILES:
        assert (DEPLOY / name).is_file(), name


def test_an_installed_advisor_makes_the_teams_package_without_the_source_tree(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site-packages"
    _installed_like_a_wheel(site)
    out = tmp_path / "advisor-teams.zip"

    run = subprocess.run(
        [sys.executable, "-c", MAKE_PACKAGE, str(site), str(out), APP_ID],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == sorted(FILES)
