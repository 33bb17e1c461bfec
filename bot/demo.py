"""`advisor demo`: a baseline and a follow-up scan of simulated people, then the result,
the plan and advice, so a newcomer sees the whole product in seconds."""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from bot.app import App
from bot.console.render import render
from dialogs import phrases
from dialogs.events import Command, CommandInvoked, ConversationKey, TextReceived
from engine.simulation import Persona, crowd
from engine.text import text
from engine.vocabulary import Dimension, Language, Role

D = Dimension
DEMO_KEY = "demo:gouden-korst"
DEMO_NAME = "Bakkerij De Gouden Korst (demo)"
SAMPLE_QUESTIONS = {
    Language.NL: ("Hoe krijgen we medewerkers zover dat ze delen?", "Hoe meten we ROI?"),
    Language.EN: ("How do we get employees to share?", "How do we measure ROI?"),
}
INTRO = text(
    "Demo: {name}. Een nulmeting half jaar geleden ({before}) en een nieuwe scan ({after}), "
    "door gesimuleerde medewerkers van verschillende rollen ingevuld.",
    "Demo: {name}. A baseline six months ago ({before}) and a new scan ({after}), answered by "
    "simulated staff in different roles.",
)
"""`{before}` and `{after}` are a phrases.PEOPLE each."""
ASKED = text("Gevraagd: “{question}”", "Asked: “{question}”")
KEPT = text(
    "De demo staat in de database; open hem weer met bijvoorbeeld: advisor report --org {org}",
    "The demo is kept in the database; open it again with, for example: advisor report --org {org}",
)
"""After `advisor demo --keep`; `{org}` is the demo's name as a shell takes it."""


def _persona(role: Role, phases: tuple[int, ...], **context: tuple[str, ...]) -> Persona:
    return Persona(
        role=role,
        phases=dict(zip(Dimension, phases, strict=True)),
        obstacles=context.get("obstacles", ()),
        objectives=context.get("objectives", ()),
        goals=context.get("goals", ()),
    )


_MANAGEMENT_CONTEXT = {
    "obstacles": ("unclear_roi", "no_time"),
    "objectives": ("talking", "listening"),
    "goals": ("engagement", "sales"),
}
_STAFF_CONTEXT = {
    "obstacles": ("no_time", "no_knowledge", "fear_of_control"),
    "objectives": ("talking", "energizing"),
    "goals": ("findability", "engagement"),
}
# Phases in Dimension order: media, way of working, profiles, technology, impact, support.
BASELINE = (
    (_persona(Role.MANAGEMENT, (2, 2, 2, 2, 2, 3), **_MANAGEMENT_CONTEXT), 5),
    (_persona(Role.EMPLOYEE, (2, 1, 2, 1, 1, 2), **_STAFF_CONTEXT), 5),
    (_persona(Role.PROJECT_TEAM, (2, 2, 2, 2, 1, 3), **_STAFF_CONTEXT), 2),
)
FOLLOW_UP = (
    (_persona(Role.MANAGEMENT, (3, 3, 3, 2, 3, 4), **_MANAGEMENT_CONTEXT), 5),
    (_persona(Role.EMPLOYEE, (3, 2, 3, 2, 2, 3), **_STAFF_CONTEXT), 6),
    (_persona(Role.PROJECT_TEAM, (3, 3, 3, 2, 2, 4), **_STAFF_CONTEXT), 4),
    (_persona(Role.LOCAL_PARTNER, (3, 2, 3, 2, 2, 3), **_STAFF_CONTEXT), 1),
)


async def run_demo(app: App, language: Language, out: TextIO) -> None:
    org = await app.organisations.ensure(DEMO_KEY, DEMO_NAME)
    if not await app.scans.history(org.id):
        await _simulate(app, org.id)
    before, after = (sum(n for _, n in group) for group in (BASELINE, FOLLOW_UP))
    people = phrases.PEOPLE
    intro = INTRO(language).format(
        name=DEMO_NAME, before=people(language, before), after=people(language, after)
    )
    out.write(intro + "\n\n")
    manager = ConversationKey("demo", org.id, "project-manager", "project-manager")
    for command in (Command.RESULTS, Command.PLAN, Command.ADVICE):
        reply = await app.advisor.handle(manager, CommandInvoked(command), language=language)
        out.write(render(reply, language=language))
        out.write("\n")
    for question in SAMPLE_QUESTIONS[language]:
        out.write(ASKED(language).format(question=question) + "\n\n")
        reply = await app.advisor.handle(manager, TextReceived(question))
        out.write(render(reply, language=language))
        out.write("\n")


async def _simulate(app: App, org_id: int) -> None:
    bank = app.advisor.knowledge.bank
    now = app.clock.now()
    for number, (personas, opened) in enumerate(
        ((BASELINE, now - timedelta(days=182)), (FOLLOW_UP, now - timedelta(days=7))), start=1
    ):
        scan = await app.scans.open(org_id, bank_version=bank.version, now=opened)
        for index, sheet in enumerate(crowd(bank, personas, seed=number)):
            respondent = f"demo:person-{number}-{index:02d}"
            for question_id, option_ids in sheet.answers.items():
                await app.scans.record_answer(
                    org_id, scan.id, respondent, question_id, option_ids, now=opened
                )
            await app.scans.complete(org_id, scan.id, respondent, now=opened)
        # Closed, both: a running scan shows participation only, its result when it closes.
        await app.scans.close(org_id, scan.id, now=min(opened + timedelta(days=14), now))
