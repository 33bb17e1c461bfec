"""Every kind of Adaptive Card the advisor sends in Teams, in Dutch and English.

The browser test renders each of these; a new kind of card is one more entry here. Replies come
from the real dialogs: a conversation with the app built as `advisor serve` builds it (on a
throwaway SQLite file), and the views for what a conversation cannot reach quickly (a result
with enough respondents, a digest, nudges). Every card goes through `bot.teams.render` with the
names Teams would know, as `bot.teams.delivery.names_in` looks them up: some people have a
name, one has none (Teams must then not show their id).
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.app import build_app
from bot.settings import load_settings
from bot.teams import forms, settings
from bot.teams import phrases as teams_phrases
from bot.teams.delivery import addresses_in
from bot.teams.home import home_activity
from bot.teams.render import to_card
from dialogs import figures_flow, phrases, views
from dialogs.calendar import FIELDS
from dialogs.campaigns import launched, participation
from dialogs.delivery import Undeliverable
from dialogs.events import ChoiceSelected, ConversationKey, ConversationStarted, TextReceived
from dialogs.messages import ChoicePrompt, File, Heading, Paragraph, Reply
from dialogs.nudge_views import Digest, DueLine, digest, escalation, handover, task_nudge
from dialogs.records import Invitation, NewTask, OrgSettings, Scan
from engine.advice import advise, answer
from engine.advice_base import default_advice_base
from engine.bank import default_bank
from engine.kpi import Metric
from engine.matching import TopicIndex
from engine.nudges import NudgeKind
from engine.plan import make_plan
from engine.plan_catalogue import default_plan_catalogue
from engine.respect import Respect
from engine.scoring import OrgResult, Withheld, profile, score
from engine.simulation import Persona, crowd
from engine.tasks import Consistency, Task
from engine.text import text
from engine.vocabulary import Dimension, Language, Role, TaskKind

Card = dict[str, Any]

# People and places as Teams addresses them; the names are what the app stored at install.
MANAGER = "teams:29:1eXsIzmQpKOA061_p8usMgRqLk2vWd9TnYbA3hZc5x7EfJuPo"
ANN = "teams:29:1kP3sW9vLq0ZbXn7RtY2uJcH5mEaD8fGiO4wQ6lT1yUzVbNrKx"
NAMELESS = "teams:29:1Zq8WnX2bV5cL7kJ3hG9fD1sA6pO4iU0yT8rE2wQ5mNbVxCzLk"
"""Installed, but Teams never said their name."""
NEWS = "teams:#19:a8c3f6e2b1d94c7f8e0a2b5c6d7e8f90@thread.tacv2"
NAMES = {MANAGER: "Marieke Jansen", ANN: "Ann de Vries", NEWS: "Nieuws"}

BANK = default_bank()
START = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - a wall-clock time beside its zone
OPENED = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
LABELS = {
    Language.NL: {"back_label": "Terug", "pause_label": "Pauze", "submit_label": "Klaar"},
    Language.EN: {"back_label": "Back", "pause_label": "Pause", "submit_label": "Done"},
}


@dataclass(frozen=True)
class Kind:
    """One card as a person sees it: what it is, its language, and its Adaptive Card."""

    kind: str
    language: Language
    card: Card

    @property
    def name(self) -> str:
        return f"{self.kind} [{self.language.value}]"


def catalogue() -> list[Kind]:
    """Every card, in both languages."""
    return [
        Kind(kind, language, card)
        for language in Language
        for kind, card in [*asyncio.run(_conversation(language)), *_views(language)]
    ]


def card_of(reply: Reply, language: Language) -> Card:
    """The reply as Teams gets it, with the names Teams knows of the people it names."""
    names = {address: NAMES[address] for address in addresses_in(reply) if address in NAMES}
    return to_card(reply, names=names, language=language, **LABELS[language])


# A conversation with the app, as a person and the project manager have it


async def _conversation(language: Language) -> list[tuple[str, Card]]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'advisor.db'}"
        core = await build_app(load_settings(database_url=url))
        try:
            return [(kind, card) async for kind, card in _said(core, language)]
        finally:
            await core.close()


async def _said(core: Any, language: Language) -> Any:
    async for kind, reply in _replies_said(core, language):
        yield kind, card_of(reply, language)
        if kind == "overview":
            names = {a: NAMES[a] for a in addresses_in(reply) if a in NAMES}
            home = home_activity(reply, language, manager=True, names=names)
            yield "overview card with buttons", home["attachments"][0]["content"]
            for home_kind, card in _home_cards(reply, language):
                yield home_kind, card


async def _replies_said(core: Any, language: Language) -> Any:
    org = await core.organisations.ensure("teams:tenant", "Acme")
    settings = replace(org.settings, manager=MANAGER, language=language)
    org = await core.organisations.update_settings(org.id, settings)
    user = MANAGER.removeprefix("teams:")
    manager = ConversationKey("teams", org.id, f"a:{user}", user)
    advisor = core.advisor

    async def typed(line: str) -> Reply:
        return await advisor.handle(manager, TextReceived(line))  # type: ignore[no-any-return]

    reply = await advisor.handle(manager, ConversationStarted(), language=language)
    yield "welcome and the first question", reply
    seen = set()
    while (prompt := _prompt(reply)) is not None:
        question = prompt.prompt_id.rsplit(":", 1)[-1]
        if question not in seen:
            seen.add(question)
            yield f"question {len(seen)}", reply
        choice = prompt.choices[min(1, len(prompt.choices) - 1)]
        reply = await advisor.handle(manager, ChoiceSelected(prompt.prompt_id, (choice.id,)))
    yield "scan finished", reply
    yield "typed 'tasks' with none", await typed("tasks")
    owners = (MANAGER, ANN, NAMELESS)
    new = [
        NewTask(
            f"post_{n}", TaskKind.POST, _task(n, owner).title, owner, "FREQ=WEEKLY", START, "UTC"
        )
        for n, owner in enumerate(owners, start=1)
    ]
    await core.activation.tasks.adopt(org.id, new, by=MANAGER, now=OPENED)
    words = ("help", "results", "plan", "advice", "tasks", "adopt", "done 99", "snooze 99")
    words += ("away", "reassign", "privacy", "my data", "export", "audit", "forget", "language")
    words += ("back", "stop", "scan")
    for word in words:
        yield f"typed '{word}'", await typed(word)
    yield "a question for the advice base", await typed("How do we measure what a post brings?")
    yield "overview", await advisor.overview(manager)


def _home_cards(overview: Reply, language: Language) -> Iterator[tuple[str, Card]]:
    """The overview card as Teams' surface puts it together: under its title with the project
    manager's part and the settings button, for someone else without them, and at installing
    under the welcome."""
    scan = Scan(1, 1, 1, 1, OPENED)
    invitations = [
        Invitation(MANAGER, None, OPENED, OPENED, None, True),
        Invitation(ANN, None, OPENED, None, None, False),
        Invitation(NAMELESS, None, OPENED, None, Undeliverable.APP_REMOVED, False),
    ]
    managing = participation(scan, invitations, language, closes="2026-12-04 17:00")
    title = Heading(teams_phrases.HOME_TITLE(language))
    welcome = Paragraph(teams_phrases.WELCOME(language))
    for kind, reply, manager in (
        ("overview card for the project manager", (title, *managing, *overview), True),
        ("overview card for someone else", (title, *overview), False),
        ("overview card at installing", (welcome, *overview), False),
    ):
        names = {a: NAMES[a] for a in addresses_in(reply) if a in NAMES}
        home = home_activity(reply, language, manager=manager, names=names)
        yield kind, home["attachments"][0]["content"]


def _prompt(reply: Reply) -> ChoicePrompt | None:
    return next((block for block in reversed(reply) if isinstance(block, ChoicePrompt)), None)


# Views that a short conversation cannot reach


_MANAGEMENT = Persona(
    Role.MANAGEMENT,
    dict.fromkeys(Dimension, 4),
    obstacles=("unclear_roi", "no_time"),
    objectives=("talking",),
    goals=("sales",),
)
_STAFF = Persona(
    Role.EMPLOYEE,
    {**dict.fromkeys(Dimension, 2), Dimension.IMPACT: 1},
    unsure=0.3,
    obstacles=("no_time", "fear_of_control"),
    objectives=("listening",),
    goals=("engagement",),
)


def _task(number: int, owner: str) -> Task:
    title = text(f"Plaats een bericht uit de kalender {number}", f"Post from the calendar {number}")
    return Task(number, "post", TaskKind.POST, title, owner, "FREQ=DAILY", START, "UTC")


def _shown(result: OrgResult | Withheld) -> OrgResult:
    assert isinstance(result, OrgResult)
    return result


def _replies(language: Language) -> Iterator[tuple[str, Reply]]:
    catalogue = default_plan_catalogue()
    base = default_advice_base()
    sheets = crowd(BANK, [(_MANAGEMENT, 6), (_STAFF, 7)], seed=11)
    for position, question in enumerate(BANK):
        yield (
            f"answered question {question.id}",
            views.question(BANK, position, sheets[-1], language),
        )
    yield "own view", views.own_profile(profile(BANK, sheets[0]), language)
    baseline = score(BANK, sheets[:6] + sheets[-6:], threshold=5)
    follow_up = score(BANK, sheets, threshold=5, previous=_shown(baseline))
    first, second = Scan(1, 1, 1, 1, OPENED), Scan(2, 1, 2, 1, OPENED)
    yield "no result yet", views.org_result(None, None, language)
    yield "result withheld", views.org_result(first, score(BANK, sheets[:2], threshold=5), language)
    yield "first result", views.org_result(first, baseline, language)
    yield "result with changes", views.org_result(second, follow_up, language)
    the_plan = make_plan(_shown(follow_up), catalogue)
    yield "plan", views.plan(the_plan, language)
    yield (
        "advice",
        views.advice(advise(_shown(follow_up), the_plan, catalogue, base, language), language),
    )
    index = TopicIndex(base)
    yield "answer", views.answer(answer(index, base, "How do we measure ROI?", language), language)
    yield "no answer", views.answer(answer(index, base, "xyzzy plugh", language), language)
    yield "launched", launched(first, 12, "2026-12-04 17:00", language)
    invitations = [
        Invitation(MANAGER, None, OPENED, OPENED, None, True),
        Invitation(ANN, None, OPENED, None, None, False),
        Invitation(NAMELESS, None, OPENED, None, Undeliverable.APP_REMOVED, False),
    ]
    yield "status", participation(first, invitations, language, closes="2026-12-04 17:00")
    yield "task due", task_nudge(_task(3, ANN), START, NudgeKind.TASK_DUE, language)
    yield "task overdue", task_nudge(_task(3, ANN), START, NudgeKind.TASK_OVERDUE, language)
    yield "handover", handover(_task(4, ANN), language)
    yield "escalation", escalation(_task(5, NAMELESS), 3, language)
    owners = (ANN, NAMELESS, MANAGER)
    due, overdue, done = (
        tuple(DueLine(_task(n, owners[n % 3]), START) for n in numbers)
        for numbers in (range(1, 8), range(8, 10), range(10, 12))
    )
    weeks = Consistency(4, 10, 7)
    week = Digest("2026-W48", due, overdue, done, weeks, weeks, (NAMELESS, NEWS))
    yield "digest", digest(week, language)
    yield "empty digest", digest(Digest("2026-W48", (), (), (), weeks, weeks, ()), language)
    yield (
        "report",
        (
            Paragraph(phrases.REPORT_READY(language).format(month="2026-11")),
            File("report-2026-11.png", "Report", b"\x89PNG"),
        ),
    )
    yield "something went wrong", (Paragraph(phrases.FAILED(language)),)
    for kind in Undeliverable:
        yield f"not delivered: {kind}", (Paragraph(kind.explanation(language)),)


def _views(language: Language) -> Iterator[tuple[str, Card]]:
    for kind, reply in _replies(language):
        yield kind, card_of(reply, language)
    yield "launch form", forms.launch_card(language, 5, team_name="Marketing & Communicatie")
    organisation = OrgSettings(language=language, manager=MANAGER)
    channels = [(NEWS, "Marketing & Communicatie › Nieuws en aankondigingen")]
    yield "settings form", settings.settings_card(language, organisation, channels)
    wrong = {settings.THRESHOLD: phrases.THRESHOLD_OUT_OF_RANGE(language)}
    yield (
        "settings form with errors",
        settings.settings_card(language, organisation, channels, errors=wrong),
    )
    typed = dict.fromkeys(FIELDS, "?")
    typed_wrong = settings.SettingsValues(language, "nl", "2", "nowhere", "Mars/Olympus", typed)
    every = settings.check_settings(typed_wrong, channels, Respect())
    assert isinstance(every, dict)
    yield (
        "settings form with an error in every field",
        settings.settings_card(language, organisation, channels, values=typed_wrong, errors=every),
    )
    metrics = tuple(Metric)
    weeks = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    yield "figures form", forms.measure_card(language, metrics, weeks, weeks[-1])
    problems = figures_flow.FormProblems(
        {metric: phrases.FAILED(language) for metric in metrics[:2]}, doubted=True
    )
    yield (
        "figures form with problems",
        forms.measure_card(language, metrics, weeks, weeks[-1], problems=problems),
    )
