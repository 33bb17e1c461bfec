"""What a nudge says: the task, when, and how to act on it, snooze it or pause."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dialogs import phrases
from dialogs.events import Command, CommandInvoked, TaskAction
from dialogs.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    Heading,
    Paragraph,
    People,
    Places,
    Reply,
    mention,
)
from dialogs.records import place_of
from engine.crosscheck import PostingCheck
from engine.nudges import NudgeKind
from engine.tasks import Consistency, Task
from engine.vocabulary import Language


def task_nudge(task: Task, occurrence: datetime, kind: NudgeKind, language: Language) -> Reply:
    when = f"{occurrence:%Y-%m-%d %H:%M}"
    said = phrases.NUDGE_DUE if kind is NudgeKind.TASK_DUE else phrases.NUDGE_OVERDUE
    return (
        Paragraph(said(language).format(title=task.title(language), when=when)),
        Paragraph(phrases.NUDGE_ACTIONS(language).format(id=task.id)),
        Actions(
            (
                _done(task, occurrence, phrases.BUTTON_DONE(language), language),
                Button(
                    phrases.BUTTON_SNOOZE(language),
                    TaskAction(Command.SNOOZE, task.id),
                    phrases.TYPED_SNOOZE(language).format(id=task.id),
                ),
            )
        ),
    )


def handover(task: Task, language: Language) -> Reply:
    """A task the person now owns because its owner was forgotten; who that was is not said."""
    said = phrases.NUDGE_HANDOVER(language).format(title=task.title(language), id=task.id)
    return (Paragraph(said),)


def escalation(task: Task, missed: int, language: Language) -> Reply:
    text = phrases.NUDGE_ESCALATION(
        language, missed, title=task.title(language), owner=mention(task.owner), id=task.id
    )
    return (Paragraph(text),)


@dataclass(frozen=True)
class DueLine:
    task: Task
    due: datetime


@dataclass(frozen=True)
class Digest:
    week: str
    due: tuple[DueLine, ...]
    overdue: tuple[DueLine, ...]
    done: tuple[DueLine, ...]
    recent: Consistency
    longer: Consistency
    unreachable: tuple[str, ...]
    check: PostingCheck | None = None


DIGEST_BUTTONS = 5
"""Open tasks the digest offers a done button for, overdue ones first."""


def digest(week: Digest, language: Language) -> Reply:
    blocks: list[Block] = [Heading(phrases.DIGEST_TITLE(language).format(week=week.week))]
    for title, lines in (
        (phrases.DIGEST_DUE, week.due),
        (phrases.DIGEST_OVERDUE, week.overdue),
        (phrases.DIGEST_DONE, week.done),
    ):
        blocks.append(Heading(title(language)))
        if lines:
            blocks.append(Bullets(tuple(_line(line, language) for line in lines)))
        else:
            blocks.append(Paragraph(phrases.DIGEST_NOTHING(language)))
    blocks.append(
        Paragraph(
            phrases.DIGEST_CONSISTENCY(language).format(
                recent=_share(week.recent, language), longer=_share(week.longer, language)
            )
        )
    )
    if week.check is not None and week.check.disagrees:
        blocks.append(Paragraph(cross_check(week.check, language)))
    if week.unreachable:
        blocks.append(Heading(phrases.DIGEST_UNREACHABLE(language)))
        people = tuple(r for r in week.unreachable if place_of(r) is None)
        places = tuple(p for r in week.unreachable if (p := place_of(r)) is not None)
        blocks += [People(people)] if people else []
        blocks += [Places(places)] if places else []
    blocks.append(Paragraph(phrases.DIGEST_ACTIONS(language)))
    blocks.append(Actions(_digest_buttons(week, language)))
    return tuple(blocks)


def _digest_buttons(week: Digest, language: Language) -> tuple[Button, ...]:
    open_lines = (*week.overdue, *week.due)[:DIGEST_BUTTONS]
    label = phrases.BUTTON_DONE_TASK(language)
    return (
        *(
            _done(
                line.task,
                line.due,
                label.format(id=line.task.id, title=line.task.title(language)),
                language,
            )
            for line in open_lines
        ),
        Button(
            phrases.BUTTON_TASKS(language),
            CommandInvoked(Command.TASKS),
            phrases.TYPED_TASKS(language),
        ),
        Button(
            phrases.BUTTON_MEASURE(language),
            CommandInvoked(Command.MEASURE),
            phrases.TYPED_MEASURE(language),
        ),
    )


def _done(task: Task, occurrence: datetime, label: str, language: Language) -> Button:
    return Button(
        label,
        TaskAction(Command.DONE, task.id, occurrence),
        phrases.TYPED_DONE(language).format(id=task.id),
    )


def cross_check(check: PostingCheck, language: Language) -> str:
    return phrases.CROSS_CHECK(
        language, check.posting.counted, phase=int(check.perceived), on_time=check.posting.on_time
    )


def _line(line: DueLine, language: Language) -> str:
    owner = mention(line.task.owner)
    return f"#{line.task.id} {line.task.title(language)} ({line.due:%Y-%m-%d %H:%M}, {owner})"


def _share(consistency: Consistency, language: Language) -> str:
    share = consistency.share
    if share is None:
        return phrases.NOT_YET(language)
    return f"{round(100 * share)}% ({consistency.on_time}/{consistency.counted})"
