"""What each `advisor` command does, given its parsed arguments and the settings.

`bot.cli` imports this only once a command is chosen. What only one command needs (the server
and its chat SDKs, the report's renderer, the Teams package) is imported inside that command.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.app import App, build_app, ensure_sqlite_folder
from bot.cli import EXIT_CONFIG, org_key
from bot.console.chat import CHANNEL, chat, ctrl_c_raises
from bot.console.render import render
from bot.delivery import ChannelRouter, InboxDelivery
from bot.demo import DEMO_KEY, DEMO_NAME, KEPT, run_demo
from bot.settings import DATABASE_SETTING, ConfigError, Settings, load_settings
from dialogs.calendar import FIELDS, calendar_changes, calendar_texts, read_calendar
from dialogs.ports import StorageError
from dialogs.records import Nudge, Organisation, OrgSettings
from dialogs.report import ReportData
from dialogs.rights import CALENDAR_FILE, MY_DATA_FILE, ORGANISATION_FILE, audit_line
from dialogs.scan_status import scan_status
from engine.catalogue import CatalogueError
from engine.respect import Respect
from engine.vocabulary import Language
from storage.db import Database
from storage.migrate import schema_status, upgrade

Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]
REFUSALS = (ConfigError, CatalogueError, StorageError)
"""What a command refuses with: a setting, a data file or the database; one line, exit 2."""
NOT_SENT_SHOWN = 20
"""`advisor nudges` lists this many of the latest nudges that were dropped or failed."""
NAME_MOST = 200
"""Characters in an organisation's or a person's name as typed: a line, not a document."""


def run(args: argparse.Namespace) -> int:
    """Run the command `args` names with the settings from the environment.

    Raises:
        ConfigError, CatalogueError, StorageError: the command is refused (see `REFUSALS`).
    """
    settings = load_settings()
    return asyncio.run(COMMANDS[args.command](args, settings))


@contextmanager
def _opening_the_database() -> Iterator[None]:
    """A database that cannot be opened or used is a refusal naming the setting that names it."""
    try:
        yield
    except StorageError as error:
        raise ConfigError(f"{DATABASE_SETTING}: {error}") from None


async def _with_app(settings: Settings, work: Callable[[App], Awaitable[int]]) -> int:
    with _opening_the_database():
        app = await build_app(settings)
    try:
        return await work(app)
    finally:
        await app.close()


async def _start(args: argparse.Namespace, settings: Settings) -> int:
    args.org, args.user, args.lang = settings.org, getpass.getuser(), None
    return await _chat(args, settings)


async def _chat(args: argparse.Namespace, settings: Settings) -> int:
    """The chat opens its organisation, creating it for its first person: the terminal's way to
    begin, as a first scan in Slack or Teams begins one."""
    name, args.user = _named("--org", args.org), _terminal_person("--user", args.user)

    async def work(app: App) -> int:
        org = await app.organisations.ensure(_key(name), name)
        await _deliver_to_inboxes(app, org.id)
        for message in await app.activation.inbox.take(
            org.id, f"{CHANNEL}:{args.user}", now=app.clock.now()
        ):
            print(message, end="\n\n")
        await chat(
            app.advisor,
            org.id,
            args.user,
            language=args.lang,
            read_line=sys.stdin.readline,
            out=sys.stdout,
        )
        return 0

    return await _with_app(settings, work)


async def _deliver_to_inboxes(app: App, org_id: int) -> None:
    """Without `advisor serve`, the terminal's own nudges go out when someone opens the chat."""
    await app.activation.planner.plan(org_id)
    router = ChannelRouter(
        {CHANNEL: InboxDelivery(app.activation.inbox, app.clock, app.organisations)}
    )
    dispatcher = app.dispatcher(router, worker=f"chat:{os.getpid()}")
    while (await dispatcher.run(channel=CHANNEL)).claimed:
        pass


async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    async def work(app: App) -> int:
        await run_demo(app, args.lang, sys.stdout)
        if args.keep:
            print(KEPT(args.lang).format(org=shlex.quote(DEMO_NAME)))
        return 0

    if args.keep:
        return await _with_app(settings, work)
    with tempfile.TemporaryDirectory(prefix="advisor-demo-") as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'demo.db'}"
        return await _with_app(settings.model_copy(update={"database_url": url}), work)


async def _org(args: argparse.Namespace, settings: Settings) -> int:
    """Show an organisation's settings, changed as asked; with --create, a new one's. Every value
    is checked before anything is stored, so a refused one changes nothing."""
    name = _named("--org", args.org)
    named = None if args.manager is None else _terminal_person("--manager", args.manager)

    async def work(app: App) -> int:
        org = await app.organisations.find(_key(name))
        if org is None and not args.create:
            raise ConfigError(_unknown(name))
        current = OrgSettings() if org is None else org.settings
        respect = _calendar(args, current, args.lang or current.language)
        if isinstance(respect, list):
            for line in respect:
                print("advisor:", *line.split(), file=sys.stderr)
            return EXIT_CONFIG
        try:
            changed = replace(
                current,
                respect=respect,
                anonymity_threshold=(
                    current.anonymity_threshold if args.threshold is None else args.threshold
                ),
                tolerance=current.tolerance if args.tolerance is None else args.tolerance,
                language=args.lang or current.language,
                time_zone=current.time_zone if args.zone is None else args.zone,
                manager=current.manager if named is None else f"{CHANNEL}:{named}",
            )
        except ValueError as error:
            raise ConfigError(str(error)) from None
        if org is None:
            org = await app.organisations.ensure(_key(name), name)
        before = org.settings
        if changed != before:
            org = await app.organisations.update_settings(org.id, changed)
        s = org.settings
        manager = s.manager.split(":", 1)[-1] if s.manager else "-"
        print(
            f"{org.name}: threshold {s.anonymity_threshold}, tolerance {s.tolerance}, "
            f"language {s.language}, time zone {s.time_zone}, project manager {manager}"
        )
        print(_calendar_line(s))
        moved = await _replanned(app, org, before)
        if moved is not None:
            print(f"{_counted(moved, 'nudge')} still to send moved to the new zone and calendar")
        return 0

    return await _with_app(settings, work)


def _calendar(
    args: argparse.Namespace, current: OrgSettings, language: Language
) -> Respect | list[str]:
    """The calendar the options ask for over the current one, or what is wrong with each option
    (in the organisation's language, one line an option)."""
    typed = {name: getattr(args, name) for name in FIELDS if getattr(args, name) is not None}
    if not typed:
        return current.respect
    read = read_calendar(typed, language, current.respect)
    if isinstance(read, Respect):
        return read
    return [f"{_option(name)}: {message}" for name, message in read.items()]


def _option(field: str) -> str:
    return "--" + field.replace("_", "-")


def _calendar_line(settings: OrgSettings) -> str:
    """The calendar as its options take it, so a line shown can be typed back."""
    shown = calendar_texts(settings.respect, Language.EN)
    return "calendar: " + ", ".join(
        f"{name.replace('_', ' ')} {shown[name] or '-'}" for name in FIELDS
    )


async def _replanned(app: App, org: Organisation, before: OrgSettings) -> int | None:
    """After a new zone or calendar, the nudges still to send moved to it, as a chat's settings
    do it, and the audit trail told (field names only); None when neither changed."""
    after = org.settings
    changed = calendar_changes(before.respect, after.respect)
    if before.time_zone == after.time_zone and not changed:
        return None
    moved = await app.activation.planner.replan(org.id, before)
    now, actor = app.clock.now(), _operator()
    if before.time_zone != after.time_zone:
        zone: dict[str, str | int] = {
            "from": before.time_zone,
            "to": after.time_zone,
            "replanned": moved,
        }
        await app.audit.record(org.id, actor, "zone", zone, now=now)
    if changed:
        detail: dict[str, str | int] = {"changed": ",".join(changed), "replanned": moved}
        await app.audit.record(org.id, actor, "calendar", detail, now=now)
    return moved


async def _report(args: argparse.Namespace, settings: Settings) -> int:
    if args.output is not None:
        _writable_file(args.output)

    async def work(app: App) -> int:
        org = await _organisation(app, args.org)
        data = await app.report_data(org, args.lang)
        name = f"report-{_slug(org.name)}-{data.made_on}.{args.format}"
        output: Path = args.output or Path(name)
        await asyncio.to_thread(_write_report, data, args.format, output)
        print(output)
        return 0

    return await _with_app(settings, work)


def _slug(name: str) -> str:
    """A name for a file: ``Bakkerij De Gouden Korst (demo)`` as
    ``bakkerij-de-gouden-korst-demo``."""
    return re.sub(r"\W+", "-", name.casefold()).strip("-") or "organisation"


def _writable_file(path: Path) -> None:
    """Refuse, before any work, an --output that is a folder or lies in a folder that is not
    there (a typo in a path is more likely than a wish for new folders)."""
    if path.is_dir():
        raise ConfigError(f"--output {path} is a folder: name the file to write in it")
    if not path.parent.is_dir():
        raise ConfigError(f"--output {path}: there is no folder {path.parent}")


def _write_report(data: ReportData, form: str, output: Path) -> None:
    from bot.report.render import to_html, to_pdf, to_png  # matplotlib: only for a report

    content = (
        to_html(data).encode()
        if form == "html"
        else (to_pdf(data) if form == "pdf" else to_png(data))
    )
    try:
        output.write_bytes(content)
    except OSError as error:
        raise ConfigError(f"cannot write {output}: {error.strerror or error}") from None


async def _nudges(args: argparse.Namespace, settings: Settings) -> int:
    async def work(app: App) -> int:
        org = await _organisation(app, args.org)
        await app.activation.planner.plan(org.id)
        outbox = app.activation.outbox
        for nudge in await outbox.pending(org.id):
            print(_nudge_line(nudge))
        not_sent = await outbox.not_sent(org.id, limit=NOT_SENT_SHOWN)
        if not_sent:
            print(f"not sent (latest {len(not_sent)}):")
            for nudge in not_sent:
                print(f"{_nudge_line(nudge)}  {nudge.status}: {nudge.outcome or '-'}")
        counts = await outbox.counts(org.id)
        print(", ".join(f"{status}: {count}" for status, count in sorted(counts.items())))
        return 0

    return await _with_app(settings, work)


def _nudge_line(nudge: Nudge) -> str:
    when = f"{nudge.deliver_at.at:%Y-%m-%d %H:%M} {nudge.deliver_at.zone}"
    recipient = nudge.recipient.split(":", 1)[-1]
    return f"{when}  {nudge.kind.value:<13} {recipient}  {nudge.occurrence}"


async def _scan(args: argparse.Namespace, settings: Settings) -> int:
    async def work(app: App) -> int:
        org = await _organisation(app, args.org)
        if args.action == "status":
            status = await scan_status(org, scans=app.scans, launches=app.activation.launches)
            print(render(status, language=org.settings.language), end="")
            return 0
        now = app.clock.now()
        current = await app.scans.current(org.id)
        if args.action in ("new", "close") and current is not None:
            await app.scans.close(org.id, current.id, now=now)
            print(f"scan {current.number} closed")
        if args.action == "new":
            opened = await app.scans.open(
                org.id, bank_version=app.advisor.knowledge.bank.version, now=now
            )
            print(f"scan {opened.number} opened")
        for scan in await app.scans.history(org.id):
            done = sum(
                p.completed_at is not None for p in await app.scans.participation(org.id, scan.id)
            )
            state = "open" if scan.is_open else "closed"
            print(
                f"scan {scan.number}: {state}, opened {scan.opened_at:%Y-%m-%d}, {done} completed"
            )
        return 0

    return await _with_app(settings, work)


async def _serve(args: argparse.Namespace, settings: Settings) -> int:
    if not (settings.slack_enabled or settings.teams_enabled):
        raise ConfigError(
            "advisor serve needs a chat to serve: for Slack set ADVISOR_SLACK_SIGNING_SECRET and "
            "ADVISOR_SLACK_BOT_TOKEN (or ADVISOR_SLACK_CLIENT_ID, ADVISOR_SLACK_CLIENT_SECRET "
            "and ADVISOR_ENCRYPTION_KEY); for Teams ADVISOR_TEAMS_APP_ID and "
            "ADVISOR_TEAMS_APP_PASSWORD (or ADVISOR_TEAMS=true for the Bot Framework Emulator); "
            "see the README"
        )
    if args.socket_mode and settings.slack_app_token is None:
        raise ConfigError("--socket-mode needs ADVISOR_SLACK_APP_TOKEN (an xapp- token)")

    logging.getLogger("bot").setLevel(logging.INFO)

    from bot.serve import serve  # the chat SDKs: only for the server

    async def work(app: App) -> int:
        await serve(app, socket_mode=args.socket_mode)
        return 0

    return await _with_app(settings, work)


async def _teams_package(args: argparse.Namespace, settings: Settings) -> int:
    from bot.teams.package import package  # only for this command

    try:
        written = await asyncio.to_thread(
            package, args.app_id, args.host, args.out, version=args.version
        )
    except (ValueError, OSError) as error:
        raise ConfigError(str(error)) from error
    print(written)
    return 0


async def _db(args: argparse.Namespace, settings: Settings) -> int:
    ensure_sqlite_folder(settings.database_url)
    database = Database(settings.database_url)
    try:
        with _opening_the_database():
            if args.action == "reencrypt":
                return await _reencrypt(database, settings)
            if args.action == "upgrade":
                await upgrade(database)
            current, head = await schema_status(database)
        print(f"schema: {current or 'empty'} (this advisor needs {head})")
        return 0
    finally:
        await database.dispose()


async def _reencrypt(database: Database, settings: Settings) -> int:
    """After a key rotation: every stored installation under the setting's first key."""
    if settings.encryption_key is None:
        raise ConfigError("advisor db reencrypt needs ADVISOR_ENCRYPTION_KEY (new key first)")
    from storage.installations import SqlaInstallationRepository
    from storage.secrets import SecretBox

    box = SecretBox.from_setting(settings.encryption_key.get_secret_value())
    try:
        count = await SqlaInstallationRepository(database, box).reencrypt()
    except StorageError as error:
        raise ConfigError(f"nothing was re-encrypted: {error}") from None
    print(f"re-encrypted {count} installation{'' if count == 1 else 's'} under the first key")
    return 0


_HELD = ("scans", "invitations", "conversations", "tasks", "nudges", "inbox", "actions", "teams")
"""The lists of a person's export that say the advisor holds something about them."""


def _respondent(name: str, option: str = "--user") -> str:
    """A person as the terminal names them: ``ann`` is the terminal's, ``slack:U0123`` a chat's.

    Raises:
        ConfigError: no name, or a chat's id with nothing on one side of its colon.
    """
    name = _named(option, name)
    channel, colon, person = name.partition(":")
    if not colon:
        return f"{CHANNEL}:{name}"
    if not channel.strip() or not person.strip():
        raise ConfigError(f"{option} {name!r}: write a name (ann) or a chat's id (slack:U0123)")
    return name


def _terminal_person(option: str, name: str) -> str:
    """A person at the terminal, by name: the chat keeps them as ``console:NAME``."""
    name = _named(option, name)
    if ":" in name:
        raise ConfigError(f"{option} {name!r}: a name at the terminal has no colon")
    return name


def _named(option: str, typed: str) -> str:
    """What was typed for `option`, trimmed: refused when empty or not one line of text."""
    name = typed.strip()
    if not name:
        raise ConfigError(f"{option} needs a name")
    if not name.isprintable() or len(name) > NAME_MOST:
        raise ConfigError(f"{option}: a name is one line of at most {NAME_MOST} characters")
    return name


def _key(name: str) -> str:
    """The organisation a terminal name means: the demo by the name it prints, any other by
    the key the terminal gives it."""
    return DEMO_KEY if name.casefold() == DEMO_NAME.casefold() else org_key(name)


def _unknown(name: str) -> str:
    return (
        f"there is no organisation called {name!r}: create it with "
        f"`advisor org --org {shlex.quote(name)} --create`"
    )


async def _organisation(app: App, typed: str) -> Organisation:
    """The organisation named on the command line; refused when there is none of that name."""
    name = _named("--org", typed)
    org = await app.organisations.find(_key(name))
    if org is None:
        raise ConfigError(_unknown(name))
    return org


async def _known(app: App, org: Organisation, name: str) -> tuple[str, dict[str, Any]]:
    """The person's respondent id and export; refused when the advisor holds nothing of them."""
    respondent = _respondent(name)
    document = await app.rights.person(org.id, respondent)
    person = document.get("person") or {}
    if not any(_lists_any(document.get(kind)) for kind in _HELD) and not person.get(
        "project_manager"
    ):
        raise ConfigError(f"there is no one called {name!r} in {org.name}")
    return respondent, document


def _lists_any(value: object) -> bool:
    """Whether a part of an export lists anything (a list, or a mapping of lists)."""
    if isinstance(value, dict):
        return any(_lists_any(item) for item in value.values())
    return bool(value) if isinstance(value, list) else False


def _write(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write the export into `folder`, made if it is new (--output names the export's folder);
    a folder that cannot be made or written is refused in one line."""
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            path = folder / name
            path.write_bytes(content)
            written.append(path)
    except OSError as error:
        where = error.filename or folder
        raise ConfigError(
            f"--output {folder}: cannot write {where}: {error.strerror or error}"
        ) from None
    return written


async def _export(args: argparse.Namespace, settings: Settings) -> int:
    if args.user is not None:
        _respondent(args.user)  # refused before anything is read

    async def work(app: App) -> int:
        org = await _organisation(app, args.org)
        if args.user is not None:
            _, document = await _known(app, org, args.user)
            files = {MY_DATA_FILE: app.rights.document(document)}
        else:
            exported = await app.rights.organisation_files(org.id, org.settings.language)
            wanted = {ORGANISATION_FILE, CALENDAR_FILE} if args.format == "json" else None
            files = {
                file.name: file.content
                for file in exported
                if (file.name in wanted if wanted else file.name != ORGANISATION_FILE)
            }
            detail: dict[str, str | int] = {"format": args.format, "files": len(files)}
            await app.audit.record(org.id, _operator(), "export", detail, now=app.clock.now())
        for path in await asyncio.to_thread(_write, args.output, files):
            print(path)
        return 0

    return await _with_app(settings, work)


async def _forget(args: argparse.Namespace, settings: Settings) -> int:
    for option, person in (("--user", args.user), ("--successor", args.successor)):
        if person is not None:
            _respondent(person, option)  # refused before anything is erased: "" is no one

    async def work(app: App) -> int:
        org = await _organisation(app, args.org)
        if args.user is not None:
            respondent, _ = await _known(app, org, args.user)
            what = f"everything about {args.user} in {org.name}"
        else:
            what = f"the organisation {org.name} and everything of it"
        if not args.yes and not _confirmed(what):
            print("cancelled: nothing was erased")
            return 1
        if args.user is None:
            await app.leaving.forget_organisation(org.id)
            print(f"erased {org.name}")
            return 0
        successor = None if args.successor is None else _respondent(args.successor, "--successor")
        erased = await app.rights.erase(org.id, respondent, successor=successor)
        answers = _counted(erased.answers_deleted, "answer")
        sheets = _counted(erased.sheets_detached, "sheet")
        tasks = _counted(len(erased.tasks), "task")
        print(
            f"erased {args.user}: {answers} to open scans deleted, "
            f"{sheets} of closed scans kept anonymously, "
            f"{tasks} to {_shown(erased.heir) or 'no one (stopped)'}"
        )
        if erased.manager_cleared:
            print(f"project manager now: {_shown(erased.manager) or 'none'}")
        return 0

    return await _with_app(settings, work)


def _confirmed(what: str) -> bool:
    """Whether the operator at the terminal typed yes; refused without a terminal."""
    if not sys.stdin.isatty():
        raise ConfigError(
            f"advisor forget erases {what}: run it at a terminal to confirm, or pass --yes"
        )
    try:
        with ctrl_c_raises():
            # Not input(): it writes its prompt and waits in one C call, and a Ctrl-C typed in
            # between would be noticed only after Enter.
            print(f"Erase {what}? This cannot be undone. Type 'yes' to go on: ", end="", flush=True)
            answer = sys.stdin.readline()
    except KeyboardInterrupt:  # not a yes
        answer = ""
    if not answer.endswith("\n"):  # Ctrl-C or Ctrl-D left the line open
        print()
    return answer.strip().lower() == "yes"


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _shown(respondent: str | None) -> str:
    return (respondent or "").split(":", 1)[-1]


def _operator() -> str:
    return f"terminal:{getpass.getuser()}"


async def _audit(args: argparse.Namespace, settings: Settings) -> int:
    async def work(app: App) -> int:
        org = await _organisation(app, args.org)
        entries = await app.audit.entries(org.id)
        for entry in entries:
            print(audit_line(entry, org.settings.time_zone, org.settings.language))
        if not entries:
            print(f"{org.name}: the audit log is empty")
        return 0

    return await _with_app(settings, work)


COMMANDS: dict[str, Command] = {
    "start": _start,
    "chat": _chat,
    "demo": _demo,
    "org": _org,
    "report": _report,
    "nudges": _nudges,
    "scan": _scan,
    "serve": _serve,
    "teams-package": _teams_package,
    "db": _db,
    "export": _export,
    "forget": _forget,
    "audit": _audit,
}
"""Each command's name in `bot.cli`'s parser, and what it does."""
