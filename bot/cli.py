"""The `advisor` command: its arguments, exit codes and refusals.

Only the parser is imported up front; `bot.commands`, and with it the application, once a
command is chosen. So `advisor --help` or a mistyped option answers at once, and each command
imports its own heavy parts where it runs them (the chat SDKs to serve, Alembic to migrate,
matplotlib to draw). `bench/startup.py` measures it; `tests/bot/test_startup.py` guards it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from bot.teams.package import DEFAULT_NAME
from engine.vocabulary import Language

EXIT_CONFIG = 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as a shell reports a command stopped with Ctrl-C."""
EXIT_PIPE_CLOSED = 141
"""128 + SIGPIPE, as a shell reports a command whose reader went away (`advisor nudges | head`)."""


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = parser().parse_args(argv)
    from bot.commands import REFUSALS, run  # the application: only for a command that runs

    try:
        code = run(args)
        sys.stdout.flush()  # a reader that went away shows here, while it can still be quieted
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_PIPE_CLOSED
    except REFUSALS as error:
        _refused(str(error))
        return EXIT_CONFIG
    except OSError as error:  # the disk or the system refused; a person needs why, not where
        _refused(f"{error.strerror or error}: {error.filename}" if error.filename else str(error))
        return EXIT_CONFIG
    except KeyboardInterrupt:
        _refused("interrupted")
        return EXIT_INTERRUPTED


def _refused(message: str) -> None:
    # One line whatever the message holds, so a refusal reads (and greps) as one.
    print("advisor:", *message.split(), file=sys.stderr)


def _quiet_stdout() -> None:
    """Point standard output at the null device, so what is still buffered for a reader that
    went away does not fail again (with a traceback) as Python exits: the recipe of the
    `signal` module's documentation for SIGPIPE."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a file (a test's capture): nothing is flushed at exit
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def parser() -> argparse.ArgumentParser:
    """The command line; each command names what runs it in `bot.commands.COMMANDS`."""
    line = _Parser(
        prog="advisor",
        description="The social strategy readiness advisor. Without a command: the terminal chat.",
    )
    line.set_defaults(command="start")
    commands = line.add_subparsers(title="commands", metavar="COMMAND")

    start = commands.add_parser("start", help="start the advisor (the terminal chat)")
    start.set_defaults(command="start")

    talk = commands.add_parser("chat", help="the scan, results, plan and advice in the terminal")
    talk.add_argument("--org", required=True, help="the organisation's name")
    talk.add_argument("--user", required=True, help="your name or id within the organisation")
    talk.add_argument("--lang", type=Language, choices=list(Language), help="nl or en")
    talk.set_defaults(command="chat")

    demo = commands.add_parser("demo", help="a simulated organisation's result, plan and advice")
    demo.add_argument("--lang", type=Language, choices=list(Language), default=Language.NL)
    demo.add_argument(
        "--keep", action="store_true", help="keep the demo in the configured database"
    )
    demo.set_defaults(command="demo")

    org = commands.add_parser("org", help="show, change or create an organisation's settings")
    org.add_argument("--org", required=True, help="the organisation's name")
    org.add_argument("--create", action="store_true", help="create the organisation if it is new")
    org.add_argument("--threshold", type=int, help="anonymity threshold (3 to 25)")
    org.add_argument("--tolerance", type=int, help="dimensions that may trail by a phase")
    org.add_argument("--lang", type=Language, choices=list(Language))
    org.add_argument("--zone", help="time zone for the weekly digest, e.g. Europe/Amsterdam")
    org.add_argument("--manager", help="the project manager's name (gets the digest)")
    calendar = org.add_argument_group(
        "calendar", "when nudges may arrive; in Dutch or English, e.g. ma-vr or mon-fri"
    )
    calendar.add_argument("--working-days", help="e.g. mon-fri, or mon, tue, thu")
    calendar.add_argument("--hours", help="working hours, e.g. 09:00-17:30")
    calendar.add_argument("--quiet-hours", help="no nudges then, e.g. 12:00-13:00; '' for none")
    calendar.add_argument("--weekly-cap", help="the most nudges anyone gets a week")
    calendar.add_argument("--country", help="public holidays of, e.g. NL; '' for none")
    calendar.add_argument("--days-off", help="own days off, e.g. 2026-12-24, 2026-12-31")
    org.set_defaults(command="org")

    report = commands.add_parser("report", help="the management report, with charts")
    report.add_argument("--org", required=True)
    report.add_argument("--format", choices=["html", "pdf", "png"], default="html")
    report.add_argument("--lang", type=Language, choices=list(Language))
    report.add_argument("--output", type=Path, help="where to write it (default: a file here)")
    report.set_defaults(command="report")

    nudges = commands.add_parser(
        "nudges", help="the nudges still to send, and the latest not sent with why"
    )
    nudges.add_argument("--org", required=True)
    nudges.set_defaults(command="nudges")

    scan = commands.add_parser(
        "scan", help="close the running scan, start a re-scan, or see who has not finished"
    )
    scan.add_argument(
        "action",
        choices=["new", "close", "list", "status"],
        help="status: who has not finished the open scan (never what anyone answered)",
    )
    scan.add_argument("--org", required=True)
    scan.set_defaults(command="scan")

    export = commands.add_parser(
        "export",
        help="a person's own data (--user), or the organisation's export (results, plan, tasks)",
    )
    export.add_argument("--org", required=True)
    export.add_argument("--user", help="the person whose data to export (default: the org's)")
    export.add_argument(
        "--format", choices=["json", "csv"], default="json", help="the organisation's export"
    )
    export.add_argument(
        "--output", type=Path, default=Path("."), help="the folder to write to (default: here)"
    )
    export.set_defaults(command="export")

    forget = commands.add_parser(
        "forget", help="erase a person (--user), or the whole organisation, after confirmation"
    )
    forget.add_argument("--org", required=True)
    forget.add_argument("--user", help="the person to erase (default: the whole organisation)")
    forget.add_argument("--successor", help="who takes over as project manager")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    forget.set_defaults(command="forget")

    audit = commands.add_parser("audit", help="the organisation's audit log")
    audit.add_argument("--org", required=True)
    audit.set_defaults(command="audit")

    serve = commands.add_parser("serve", help="serve Slack, Teams and /healthz")
    serve.add_argument(
        "--socket-mode", action="store_true", help="receive Slack's events over Socket Mode"
    )
    serve.set_defaults(command="serve")

    teams = commands.add_parser(
        "teams-package", help="the Teams app package (a zip) to upload to Microsoft Teams"
    )
    teams.add_argument("--app-id", required=True, help="the bot's Microsoft app id (a GUID)")
    teams.add_argument(
        "--host", required=True, help="the advisor's public host name, e.g. advisor.example.org"
    )
    teams.add_argument(
        "--out", type=Path, default=Path(DEFAULT_NAME), help=f"the zip (default: {DEFAULT_NAME})"
    )
    teams.add_argument(
        "--version",
        help="the app's version, X.Y.Z, higher for each update (default: the advisor's)",
    )
    teams.set_defaults(command="teams-package")

    db = commands.add_parser("db", help="the database schema")
    db.add_argument(
        "action",
        choices=["upgrade", "status", "reencrypt"],
        help="reencrypt: store the installations again under ADVISOR_ENCRYPTION_KEY's first key",
    )
    db.set_defaults(command="db")
    return line


class _Parser(argparse.ArgumentParser):
    """Refuses a mistyped command line in one line, as every other refusal, instead of the
    usage text and then the error; the help says the rest."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_CONFIG, f"{self.prog}: {message} (see {self.prog} --help)\n")


def org_key(name: str) -> str:
    return f"org:{name.strip().casefold()}"
