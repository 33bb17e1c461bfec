"""Reading a typed line as a command, in Dutch or English; anything else is a question."""

from __future__ import annotations

from dialogs.events import Command, CommandInvoked

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
}
_TAKES_ARGUMENT = {
    Command.ADVICE,
    Command.ADOPT,
    Command.LANGUAGE,
    Command.DONE,
    Command.SNOOZE,
    Command.SKIP,
    Command.AWAY,
    Command.REASSIGN,
}


def parse(line: str) -> CommandInvoked | None:
    """A command if the line starts with a command word, else None (a free-text question).

    Only advice and language take words after them; "scan results please" is a question.
    """
    words = line.strip().split(maxsplit=1)
    if not words:
        return None
    command = _WORDS.get(words[0].lower().rstrip("!.:"))
    if command is None:
        return None
    argument = words[1].strip() if len(words) > 1 else ""
    if argument and command not in _TAKES_ARGUMENT:
        return None
    return CommandInvoked(command, argument)
