"""The Teams app package: four files at the zip's root, a manifest within the 1.17 schema's
limits that offers the commands the dialogs read, icons as Teams draws them, and a Dutch
translation of the manifest's own strings."""

from __future__ import annotations

import json
import re
import zipfile
from importlib.metadata import version
from importlib.util import module_from_spec, spec_from_file_location
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.cli import main
from bot.slack.inbound import MANAGEMENT_COMMANDS
from bot.teams.package import DEPLOY, package
from dialogs.commands import parse

APP_ID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
HOST = "advisor.example.org"
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SEMVER = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
# The keys a 1.17 localization file may translate, from Microsoft's Localization schema.
LOCALIZABLE = re.compile(
    r"name\.short|name\.full|description\.short|description\.full"
    r"|bots\[0\]\.commandLists\[[0-2]\]\.commands\[[0-9]\]\.(title|description)"
)
PERSONAL, TEAM = 0, 1
"""The manifest's command lists, by position."""


@pytest.fixture
def zipped(tmp_path: Path) -> dict[str, bytes]:
    written = package(APP_ID, HOST, tmp_path / "advisor-teams.zip", version="1.2.3")
    with zipfile.ZipFile(written) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def manifest(zipped: dict[str, bytes]) -> dict[str, Any]:
    return dict(json.loads(zipped["manifest.json"]))


@pytest.fixture
def dutch(zipped: dict[str, bytes]) -> dict[str, str]:
    return dict(json.loads(zipped["nl.json"]))


def _at(manifest: dict[str, Any], key: str) -> Any:
    """The manifest value a localization key such as `bots[0].commandLists[1].commands[2].title`
    names."""
    value: Any = manifest
    for part in key.split("."):
        name, *indexes = re.findall(r"[^\[\]]+", part)
        value = value[name]
        for index in indexes:
            value = value[int(index)]
    return value


def _commands(manifest: dict[str, Any], position: int) -> list[dict[str, str]]:
    return list(manifest["bots"][0]["commandLists"][position]["commands"])


def test_the_zip_holds_exactly_the_four_files_at_its_root(zipped: dict[str, bytes]) -> None:
    assert sorted(zipped) == ["color.png", "manifest.json", "nl.json", "outline.png"]


def test_the_manifest_names_the_files_beside_it(
    manifest: dict[str, Any], zipped: dict[str, bytes]
) -> None:
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    (language,) = manifest["localizationInfo"]["additionalLanguages"]
    assert language == {"languageTag": "nl-nl", "file": "nl.json"}
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "en-us"
    assert {"color.png", "outline.png", "nl.json"} <= set(zipped)


def test_the_placeholders_are_filled_with_the_app_id_host_and_version(
    manifest: dict[str, Any], zipped: dict[str, bytes]
) -> None:
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == [HOST]
    assert manifest["version"] == "1.2.3"
    assert b"{{" not in zipped["manifest.json"]


def test_the_template_has_the_placeholders_the_package_fills() -> None:
    template = (DEPLOY / "manifest.json").read_text(encoding="utf-8")
    assert set(re.findall(r"\{\{\w+\}\}", template)) == {"{{APP_ID}}", "{{HOST}}", "{{VERSION}}"}


def test_the_manifest_keeps_to_the_1_17_schema_and_its_limits(manifest: dict[str, Any]) -> None:
    # Microsoft's schema is published only online and no package ships it, so its required
    # fields and limits are checked here by hand.
    assert manifest["$schema"] == (
        "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
    )
    assert manifest["manifestVersion"] == "1.17"
    required = {"manifestVersion", "version", "id", "developer", "name", "description"}
    assert required | {"icons", "accentColor"} <= set(manifest)
    assert GUID.fullmatch(manifest["id"])
    assert SEMVER.fullmatch(manifest["version"])
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", manifest["accentColor"])
    assert 0 < len(manifest["name"]["short"]) <= 30
    assert len(manifest["name"]["full"]) <= 100
    assert 0 < len(manifest["description"]["short"]) <= 80
    assert 0 < len(manifest["description"]["full"]) <= 4000
    developer = manifest["developer"]
    assert len(developer["name"]) <= 32
    for url in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert developer[url].startswith("https://"), url
        assert "{{" not in developer[url]
    assert set(manifest["permissions"]) <= {"identity", "messageTeamMembers"}


def test_the_bot_talks_one_to_one_and_in_team_channels(manifest: dict[str, Any]) -> None:
    (bot,) = manifest["bots"]
    assert bot["scopes"] == ["personal", "team"]
    assert bot["supportsFiles"] is True, "file consent (my data, the export) needs it"
    assert bot["isNotificationOnly"] is False
    assert [command_list["scopes"] for command_list in bot["commandLists"]] == [
        ["personal"],
        ["team"],
    ]


@pytest.mark.parametrize("position", [PERSONAL, TEAM])
def test_each_command_list_keeps_to_teams_limits(manifest: dict[str, Any], position: int) -> None:
    commands = _commands(manifest, position)
    assert 0 < len(commands) <= 10
    for command in commands:
        assert set(command) == {"title", "description"}
        assert 0 < len(command["title"]) <= 32
        assert 0 < len(command["description"]) <= 128


def test_every_personal_command_is_a_word_the_dialogs_read_in_both_languages(
    manifest: dict[str, Any], dutch: dict[str, str]
) -> None:
    for number, command in enumerate(_commands(manifest, PERSONAL)):
        english = parse(command["title"])
        assert english is not None, command["title"]
        assert english.command.value == command["title"]
        key = f"bots[0].commandLists[{PERSONAL}].commands[{number}].title"
        assert (translated := parse(dutch[key])) is not None, dutch[key]
        assert translated.command is english.command, dutch[key]


def test_the_team_commands_are_the_project_managers_subcommands(
    manifest: dict[str, Any],
) -> None:
    titles = [command["title"] for command in _commands(manifest, TEAM)]
    assert titles == ["launch", "status", "close"]
    assert set(titles) <= MANAGEMENT_COMMANDS


def test_the_dutch_file_translates_only_what_the_manifest_has(
    manifest: dict[str, Any], dutch: dict[str, str]
) -> None:
    assert dutch.pop("$schema") == (
        "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/"
        "MicrosoftTeams.Localization.schema.json"
    )
    assert {"name.short", "description.short", "description.full"} <= set(dutch)
    for key, text in dutch.items():
        assert LOCALIZABLE.fullmatch(key), key
        assert isinstance(_at(manifest, key), str), key
        assert text, key
    assert len(dutch["name.short"]) <= 30
    assert len(dutch["name.full"]) <= 100
    assert len(dutch["description.short"]) <= 80
    assert len(dutch["description.full"]) <= 4000
    for key in (k for k in dutch if k.startswith("bots")):
        assert len(dutch[key]) <= (32 if key.endswith(".title") else 128), key


def test_every_command_description_has_a_dutch_translation(
    manifest: dict[str, Any], dutch: dict[str, str]
) -> None:
    for position in (PERSONAL, TEAM):
        for number in range(len(_commands(manifest, position))):
            key = f"bots[0].commandLists[{position}].commands[{number}].description"
            assert key in dutch, key


def test_the_icons_have_the_sizes_teams_requires(zipped: dict[str, bytes]) -> None:
    color = _image(zipped["color.png"])
    outline = _image(zipped["outline.png"])
    assert (color.format, color.size) == ("PNG", (192, 192))
    assert (outline.format, outline.size) == ("PNG", (32, 32))
    assert len(_colours(color)) > 2, "a full-colour icon"


def test_the_outline_icon_is_white_on_transparent(zipped: dict[str, bytes]) -> None:
    colours = _colours(_image(zipped["outline.png"]).convert("RGBA"))
    drawn = {colour for colour in colours if colour[3] > 0}
    assert drawn, "something is drawn"
    assert any(colour[3] == 0 for colour in colours), "the background is transparent"
    assert all(colour[:3] == (255, 255, 255) for colour in drawn), drawn


def test_the_committed_icons_are_what_the_script_draws() -> None:
    make_icons = _load_make_icons()
    for name, drawn in (("color", make_icons.color_icon()), ("outline", make_icons.outline_icon())):
        with Image.open(DEPLOY / f"{name}.png") as committed:
            assert committed.mode == drawn.mode, name
            assert committed.tobytes() == drawn.tobytes(), name


def test_the_same_input_gives_the_same_zip(tmp_path: Path) -> None:
    first = package(APP_ID, HOST, tmp_path / "one.zip", version="1.2.3")
    second = package(APP_ID, HOST, tmp_path / "two.zip", version="1.2.3")
    assert first.read_bytes() == second.read_bytes()


def test_the_version_defaults_to_the_advisors_own(tmp_path: Path) -> None:
    written = package(APP_ID, HOST, tmp_path)
    assert written == tmp_path / "advisor-teams.zip"
    with zipfile.ZipFile(written) as archive:
        assert json.loads(archive.read("manifest.json"))["version"] == version("ssrm-advisor")


def test_missing_app_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"manifest\.json is missing"):
        package(APP_ID, HOST, tmp_path / "advisor-teams.zip", source=tmp_path / "nowhere")
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_the_zip_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["teams-package", "--app-id", APP_ID.upper(), "--host", HOST]) == 0
    assert capsys.readouterr().out.strip() == "advisor-teams.zip"
    with zipfile.ZipFile(tmp_path / "advisor-teams.zip") as archive:
        assert json.loads(archive.read("manifest.json"))["id"] == APP_ID


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (["--app-id", "not-a-guid", "--host", HOST], "GUID"),
        (["--app-id", f"{{{APP_ID}}}", "--host", HOST], "GUID"),
        (["--app-id", APP_ID, "--host", "https://advisor.example.org"], "without https://"),
        (["--app-id", APP_ID, "--host", "advisor.example.org/teams"], "a path"),
        (["--app-id", APP_ID, "--host", "advisor.example.org:3978"], "a port"),
        (["--app-id", APP_ID, "--host", "localhost"], "host name"),
        (["--app-id", APP_ID, "--host", "192.168.1.10"], "IP address"),
        (["--app-id", APP_ID, "--host", "advisor_bot.example.org"], "host name"),
        (["--app-id", APP_ID, "--host", HOST, "--version", "1.0"], "three numbers"),
        (["--app-id", APP_ID, "--host", HOST, "--out", "missing/teams.zip"], "no folder"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message_and_writes_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    complaint: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["teams-package", *arguments]) == 2
    output = capsys.readouterr()
    assert output.out == ""
    assert output.err.startswith("advisor: ")
    assert complaint in output.err
    assert list(tmp_path.iterdir()) == []


def _image(data: bytes) -> Image.Image:
    with Image.open(BytesIO(data)) as image:
        image.load()
        return image


def _colours(image: Image.Image) -> set[Any]:
    """Every distinct pixel value of the image."""
    return {colour for _, colour in image.getcolors(image.width * image.height) or ()}


def _load_make_icons() -> Any:
    spec = spec_from_file_location("make_icons", DEPLOY / "make_icons.py")
    assert spec is not None
    assert spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
