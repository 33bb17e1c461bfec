"""The advisor's command words, in Dutch and English, for every chat and the terminal.

Two kinds: what anyone says in their own conversation (`parse`: the scan, results, tasks...),
and what the people who run a scan ask for where they manage it (`managing`: Slack's slash
command, a Teams team's channel), which opens a form or takes a campaign's next step.
Anything else is a question.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dialogs.events import Command, CommandInvoked


class Managing(StrEnum):
    LAUNCH = "launch"
    STATUS = "status"
    CLOSE = "close"
    SETTINGS = "settings"
    MEASURE = "measure"
    """The week's figures as a form, where the chat has forms."""


@dataclass(frozen=True)
class Manage:
    """A manager's request, with the words after it."""

    action: Managing
    argument: str = ""


_MANAGING: dict[str, Managing] = {
    "launch": Managing.LAUNCH,
    "lanceer": Managing.LAUNCH,
    "lanceren": Managing.LAUNCH,
    "status": Managing.STATUS,
    "close": Managing.CLOSE,
    "sluit": Managing.CLOSE,
    "sluiten": Managing.CLOSE,
    "settings": Managing.SETTINGS,
    "instellingen": Managing.SETTINGS,
    "measure": Managing.MEASURE,
    "meten": Managing.MEASURE,
}

_WORDS: dict[str, Command] = {
    "scan": Command.SCAN,
    "start": Command.SCAN,
    "begin": Command.SCAN,
    "verder": Command.SCAN,
    "resume": Command.SCAN,
    "results": Command.RESULTS,
    "result": Command.RESULTS,
    "resultaat": Command.RESULTS,
    "resultaten": Command.RESULTS,
    "uitslag": Command.RESULTS,
    "plan": Command.PLAN,
    "planning": Command.PLAN,
    "advice": Command.ADVICE,
    "advies": Command.ADVICE,
    "tip": Command.ADVICE,
    "help": Command.HELP,
    "hulp": Command.HELP,
    "?": Command.HELP,
    "menu": Command.HELP,
    "back": Command.BACK,
    "terug": Command.BACK,
    "vorige": Command.BACK,
    "previous": Command.BACK,
    "stop": Command.STOP,
    "stoppen": Command.STOP,
    "quit": Command.STOP,
    "pause": Command.STOP,
    "pauze": Command.STOP,
    "language": Command.LANGUAGE,
    "taal": Command.LANGUAGE,
    "lang": Command.LANGUAGE,
    "taken": Command.TASKS,
    "tasks": Command.TASKS,
    "overnemen": Command.ADOPT,
    "adopt": Command.ADOPT,
    "klaar": Command.DONE,
    "gedaan": Command.DONE,
    "done": Command.DONE,
    "later": Command.SNOOZE,
    "snooze": Command.SNOOZE,
    "overslaan": Command.SKIP,
    "skip": Command.SKIP,
    "afwezig": Command.AWAY,
    "away": Command.AWAY,
    "overdragen": Command.REASSIGN,
    "reassign": Command.REASSIGN,
    "meten": Command.MEASURE,
    "measure": Command.MEASURE,
    "privacy": Command.PRIVACY,
    "export": Command.EXPORT,
    "exporteer": Command.EXPORT,
    "exporteren": Command.EXPORT,
    "audit": Command.AUDIT,
    "logboek": Command.AUDIT,
}
_PHRASES: dict[tuple[str, ...], Command] = {
    words: command
    for command, said in (
        (
            Command.MY_DATA,
            (
                "my data",
                "export my data",
                "download my data",
                "show my data",
                "mijn gegevens",
                "mijn data",
                "exporteer mijn gegevens",
                "download mijn gegevens",
            ),
        ),
        (
            Command.FORGET,
            (
                "forget me",
                "delete me",
                "erase me",
                "delete my data",
                "erase my data",
                "vergeet mij",
                "vergeet me",
                "verwijder mij",
                "verwijder me",
                "verwijder mijn gegevens",
                "wis mij",
                "wis mijn gegevens",
            ),
        ),
    )
    for words in (tuple(phrase.split()) for phrase in said)
}
"""Commands of more than one word, matched on the line's first words."""
_LONGEST_PHRASE = max(len(words) for words in _PHRASES)
_TAKES_ARGUMENT = {
    Command.ADVICE,
    Command.ADOPT,
    Command.LANGUAGE,
    Command.DONE,
    Command.SNOOZE,
    Command.SKIP,
    Command.AWAY,
    Command.REASSIGN,
    Command.FORGET,
}


def parse(line: str) -> CommandInvoked | None:
    """A command if the line starts with a command word, else None (a free-text question).

    Only some commands take words after them (advice, language, a task's number, whoever takes
    over from someone who asks to be forgotten, the week to measure); "scan results please" is
    a question. Commands of several words ("my data", "vergeet mij") are matched first.
    """
    phrased = _phrase(line)
    if phrased is not None:
        return phrased
    words = line.strip().split(maxsplit=1)
    if not words:
        return None
    command = _WORDS.get(words[0].lower().rstrip("!.:"))
    if command is None:
        return None
    argument = words[1].strip() if len(words) > 1 else ""
    if argument and command not in _TAKES_ARGUMENT and not _names_week(command, argument):
        return None
    return CommandInvoked(command, argument)


def _names_week(command: Command, argument: str) -> bool:
    """'measure 2026-W47': a week after 'measure' starts with its year. Other words after it
    ("measure our reach?") are a question for the advice base."""
    return command is Command.MEASURE and argument[:1].isascii() and argument[:1].isdigit()


def _phrase(line: str) -> CommandInvoked | None:
    """A command of several words at the line's start, with the words after it."""
    words = line.strip().split(maxsplit=_LONGEST_PHRASE)
    said = [word.lower().strip("!.:,;?") for word in words[:_LONGEST_PHRASE]]
    for length in range(min(len(said), _LONGEST_PHRASE), 1, -1):
        command = _PHRASES.get(tuple(said[:length]))
        if command is None:
            continue
        argument = " ".join(words[length:]).strip(" ,;:") if len(words) > length else ""
        if argument and command not in _TAKES_ARGUMENT:
            return None
        return CommandInvoked(command, argument)
    return None


def managing(line: str) -> Manage | None:
    """A manager's request if the line starts with one of its words, else None."""
    first, _, rest = line.strip().partition(" ")
    action = _MANAGING.get(first.lower().rstrip("!.:"))
    return Manage(action, rest.strip()) if action is not None else None
