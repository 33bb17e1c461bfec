"""Block Kit rendering: saved golden messages, and Slack's limits for every message we send."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.slack.modals import launch_modal, measure_modal, settings_modal
from bot.slack.render import fallback_text, to_blocks, to_home_view, to_message
from dialogs import phrases, views
from dialogs.campaigns import launched, participation
from dialogs.delivery import Undeliverable
from dialogs.figures_flow import recent_weeks
from dialogs.messages import (
    Bar,
    Bullets,
    Chart,
    Choice,
    ChoicePrompt,
    Facts,
    Heading,
    Paragraph,
    Places,
    Progress,
    Reply,
)
from dialogs.records import Invitation, OrgSettings, Scan
from engine.advice import advise, answer
from engine.advice_base import default_advice_base
from engine.bank import default_bank
from engine.kpi import MAXIMUM, KpiEntry, Metric
from engine.matching import TopicIndex
from engine.plan import make_plan
from engine.plan_catalogue import default_plan_catalogue
from engine.scoring import OrgResult, Withheld, score
from engine.sheet import AnswerSheet
from engine.simulation import Persona, crowd
from engine.vocabulary import Dimension, Language, Role

GOLDEN = Path(__file__).parent / "golden"
LABELS = {
    Language.NL: {"back_label": "Terug", "pause_label": "Pauze", "submit_label": "Klaar"},
    Language.EN: {"back_label": "Back", "pause_label": "Pause", "submit_label": "Done"},
}

SINGLE = (
    Progress(2, 16, "Question 2 of 16"),
    ChoicePrompt(
        prompt_id="support_priority",
        text="How does management see social media?",
        choices=(
            Choice("side_issue", "A nice extra", "It's a side issue & nobody asks about it."),
            Choice("open_to_pilots", "Open to experiments", "Management backs <small> trials."),
            Choice("dont_know", "I don't know"),
        ),
        selected=("open_to_pilots",),
        hint="Pick the answer that fits best.",
    ),
)
MULTIPLE = (
    Progress(14, 16, "Vraag 14 van 16"),
    ChoicePrompt(
        prompt_id="obstacles",
        text="Wat houdt ons het meest tegen?",
        choices=(
            Choice("no_time", "Geen tijd", "Iedereen heeft het druk."),
            Choice("unclear_roi", "Onduidelijk wat het oplevert"),
            Choice("dont_know", "Weet ik niet"),
        ),
        multiple=True,
        selected=("no_time", "unclear_roi"),
        hint="Kies er één of meer.",
    ),
)
RESULT = (
    Heading("Result of the organisation"),
    Facts((("Scan", "2"), ("Respondents", "14"), ("Phase", "Basic Publishing"))),
    Chart(
        "Profile per dimension (median, 1 to 5)",
        (Bar("Media", 3.0, "n=14, agreement 79%"), Bar("Impact", 1.5)),
    ),
    Heading("What to do"),
    Bullets(("Agree who posts what & when", "Measure <one> thing")),
)


def assert_matches_golden(name: str, message: dict[str, Any]) -> None:
    """Compare with tests/slack/golden/<name>.json; UPDATE_GOLDEN=1 writes it instead."""
    path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(message, indent=2, ensure_ascii=False) + "\n", "utf-8")
    assert path.exists(), f"no golden file {path.name}: run once with UPDATE_GOLDEN=1"
    assert message == json.loads(path.read_text("utf-8"))


def assert_within_slack_limits(message: dict[str, Any], *, max_blocks: int = 50) -> None:
    """Every Block Kit limit the renderer promises, checked on a rendered message or view."""
    if "text" in message:
        assert isinstance(message["text"], str)
        assert 0 < len(message["text"]) <= 300
    blocks = message["blocks"]
    assert 0 < len(blocks) <= max_blocks
    for block in blocks:
        assert len(block.get("block_id", "")) <= 255
        check = _CHECKS[block["type"]]
        check(block)


def _check_header(block: dict[str, Any]) -> None:
    assert block["text"]["type"] == "plain_text"
    assert 0 < len(block["text"]["text"]) <= 150


def _check_section(block: dict[str, Any]) -> None:
    assert "text" in block or "fields" in block
    if "text" in block:
        assert block["text"]["type"] == "mrkdwn"
        assert block["text"]["text"].strip()
        assert len(block["text"]["text"]) <= 3000
    if "fields" in block:
        assert 0 < len(block["fields"]) <= 10
        assert all(0 < len(field["text"]) <= 2000 for field in block["fields"])


def _check_context(block: dict[str, Any]) -> None:
    assert 0 < len(block["elements"]) <= 10
    assert all(0 < len(element["text"]) <= 2000 for element in block["elements"])


def _check_actions(block: dict[str, Any]) -> None:
    elements = block["elements"]
    assert 0 < len(elements) <= 25
    action_ids = [element["action_id"] for element in elements]
    assert len(set(action_ids)) == len(action_ids), f"action_ids repeat in a block: {action_ids}"
    for element in elements:
        assert 0 < len(element["action_id"]) <= 255
        if element["type"] == "button":
            assert 0 < len(element["text"]["text"]) <= 75
            assert 0 < len(element.get("value", "-")) <= 2000
        else:
            assert element["type"] == "checkboxes"
            options = element["options"]
            assert 0 < len(options) <= 10
            for option in options:
                assert 0 < len(option["text"]["text"]) <= 75
                assert 0 < len(option["value"]) <= 150
            assert all(initial in options for initial in element.get("initial_options", ()))


def _check_input(block: dict[str, Any]) -> None:
    assert 0 < len(block["label"]["text"]) <= 2000
    element = block["element"]
    assert 0 < len(element["action_id"]) <= 255
    if element["type"] == "static_select":
        assert ("options" in element) != ("option_groups" in element), "one or the other"
        label = {"type": "plain_text", "text": "options"}
        groups = element.get("option_groups") or [{"label": label, "options": element["options"]}]
        assert 0 < len(groups) <= 100
        options = []
        for group in groups:
            assert 0 < len(group["label"]["text"]) <= 75
            assert 0 < len(group["options"]) <= 100
            options += group["options"]
        for option in options:
            assert 0 < len(option["text"]["text"]) <= 75
            assert 0 < len(option["value"]) <= 150
        assert len({option["value"] for option in options}) == len(options)
        assert element.get("initial_option", options[0]) in options
    elif element["type"] == "checkboxes":
        options = element["options"]
        assert 0 < len(options) <= 10
        for option in options:
            assert 0 < len(option["text"]["text"]) <= 75
            assert 0 < len(option["value"]) <= 150
    elif element["type"] == "plain_text_input":
        assert 0 < element.get("max_length", 3000) <= 3000
        assert len(element.get("initial_value", "")) <= element.get("max_length", 3000)
    else:
        assert element["type"] in {"conversations_select", "datepicker", "number_input"}


def assert_modal_within_slack_limits(view: dict[str, Any]) -> None:
    assert view["type"] == "modal"
    for button in ("title", "submit", "close"):
        assert 0 < len(view[button]["text"]) <= 24
    assert len(view.get("private_metadata", "")) <= 3000
    assert len(view["callback_id"]) <= 255
    assert_within_slack_limits(view, max_blocks=100)


_CHECKS = {
    "header": _check_header,
    "section": _check_section,
    "context": _check_context,
    "actions": _check_actions,
    "input": _check_input,
}


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [block["text"]["text"] for block in blocks if "text" in block]


# Golden messages


def test_a_single_choice_question_matches_its_golden_message() -> None:
    assert_matches_golden("question_single", to_message(SINGLE, **LABELS[Language.EN]))


def test_a_multiple_choice_question_matches_its_golden_message() -> None:
    assert_matches_golden("question_multiple", to_message(MULTIPLE, **LABELS[Language.NL]))


def test_a_result_with_facts_chart_and_bullets_matches_its_golden_message() -> None:
    assert_matches_golden("result", to_message(RESULT))


# What the renderer does


def test_a_single_choice_prompt_has_one_button_per_choice_and_marks_the_earlier_answer() -> None:
    blocks = to_blocks(SINGLE, **LABELS[Language.EN])
    buttons = next(b for b in blocks if b["type"] == "actions")["elements"]

    assert [b["action_id"] for b in buttons] == ["choice:0", "choice:1", "choice:2"]
    assert [b["value"] for b in buttons] == [
        "support_priority|side_issue",
        "support_priority|open_to_pilots",
        "support_priority|dont_know",
    ]
    assert [b.get("style") for b in buttons] == [None, "primary", None]
    assert (
        "*2.* Open to experiments — Management backs &lt;small&gt; trials.  ✓"
        in _texts(blocks)[0].splitlines()
    )


def test_every_prompt_ends_with_back_and_pause_in_the_prompts_language() -> None:
    navigation = to_blocks(MULTIPLE, **LABELS[Language.NL])[-1]["elements"]

    assert [(b["action_id"], b["text"]["text"]) for b in navigation] == [
        ("nav:back", "Terug"),
        ("nav:stop", "Pauze"),
    ]


def test_a_prompt_without_its_button_labels_is_refused() -> None:
    with pytest.raises(ValueError, match="back_label"):
        to_message(SINGLE)


def test_text_is_escaped_for_mrkdwn_but_not_in_plain_text() -> None:
    message = to_message((Heading("Q&A <intro>"), Paragraph("Sales & <marketing>")))

    assert message["blocks"][0]["text"]["text"] == "Q&A <intro>"
    assert message["blocks"][1]["text"]["text"] == "Sales &amp; &lt;marketing&gt;"
    assert message["text"] == "Q&amp;A &lt;intro&gt;"


def test_a_long_heading_is_cut_with_an_ellipsis() -> None:
    header = to_blocks((Heading("x" * 200),))[0]["text"]["text"]

    assert len(header) == 150
    assert header.endswith("…")


def test_a_long_paragraph_is_split_between_words_without_losing_any() -> None:
    text = " ".join(f"word{n}&" for n in range(1500))

    sections = _texts(to_blocks((Paragraph(text),)))

    assert len(sections) > 1
    assert all(len(section) <= 3000 for section in sections)
    assert " ".join(sections) == text.replace("&", "&amp;")


def test_a_word_longer_than_a_section_is_split_inside_without_cutting_an_entity() -> None:
    sections = _texts(to_blocks((Paragraph("&" * 1000),)))

    assert all(len(section) <= 3000 for section in sections)
    assert "".join(sections) == "&amp;" * 1000


def test_more_than_ten_facts_continue_in_another_section() -> None:
    rows = tuple((f"Label {n}", str(n)) for n in range(13))

    sections = to_blocks((Facts(rows),))

    assert [len(section["fields"]) for section in sections] == [10, 3]
    assert sections[0]["fields"][0]["text"] == "*Label 0*\n0"


def test_a_chart_is_a_line_of_bar_cells_per_bar() -> None:
    chart = Chart("Profile", (Bar("Media", 2.5, "n=7"), Bar("Impact", 5.0)))

    assert _texts(to_blocks((chart,))) == [
        "*Profile*\nMedia  ▇▇▇▇▇▁▁▁▁▁ 2.5 (n=7)\nImpact  ▇▇▇▇▇▇▇▇▇▇ 5.0"
    ]


def test_progress_is_a_small_context_bar() -> None:
    block = to_blocks((Progress(8, 16, "Question 8 of 16"),))[0]

    assert block == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Question 8 of 16  ▰▰▰▰▰▱▱▱▱▱"}],
    }


def test_more_than_fifty_blocks_are_cut_to_forty_nine_and_an_ellipsis() -> None:
    blocks = to_blocks(tuple(Heading(f"Heading {n}") for n in range(60)))

    assert len(blocks) == 50
    assert blocks[-1] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "…"}]}


def test_the_home_view_may_hold_a_hundred_blocks() -> None:
    view = to_home_view(tuple(Heading(f"Heading {n}") for n in range(120)))

    assert view["type"] == "home"
    assert len(view["blocks"]) == 100
    assert_within_slack_limits(view, max_blocks=100)


def test_the_fallback_text_is_the_first_heading_paragraph_or_question() -> None:
    assert fallback_text(SINGLE) == "How does management see social media?"
    assert fallback_text((Facts((("Phase", "2"),)), Paragraph("p" * 400))) == "p" * 299 + "…"
    assert fallback_text((Bullets(("Only a bullet",)),)) == "Only a bullet"
    assert fallback_text(()) == "…"


def test_ids_that_do_not_fit_are_an_error_rather_than_a_broken_round_trip() -> None:
    prompt = ChoicePrompt("q", "Question?", (Choice("x" * 151, "Long"),), multiple=True)

    with pytest.raises(ValueError, match="option value"):
        to_blocks((prompt,), **LABELS[Language.EN])


# Slack's limits, for outsized replies and for every message the product builds


def _outsized() -> Iterator[tuple[str, Reply]]:
    many = tuple(Choice(f"c{n}", "Label " * 20, "Detail & more " * 30) for n in range(30))
    yield (
        "long texts",
        (
            Heading("H" * 400),
            Paragraph("<p> " * 5000),
            Bullets(tuple("item & " * 100 for _ in range(100))),
            Facts(tuple(("L" * 3000, "V & " * 1000) for _ in range(25))),
            Chart("T" * 4000, tuple(Bar("B" * 80, 3.3, "N" * 80) for _ in range(100))),
            Progress(3, 0, "P" * 3000),
        ),
    )
    yield "thirty single choices", (ChoicePrompt("q", "Q?" * 2000, many, hint="H" * 3000),)
    yield "thirty multiple choices", (ChoicePrompt("q", "Q?", many, multiple=True),)
    yield "sixty blocks", tuple(Paragraph(f"Paragraph {n}") for n in range(60))


@pytest.mark.parametrize(("name", "reply"), list(_outsized()))
def test_outsized_replies_stay_within_slack_limits(name: str, reply: Reply) -> None:
    assert_within_slack_limits(to_message(reply, **LABELS[Language.EN]))
    assert_within_slack_limits(to_home_view(reply, **LABELS[Language.EN]), max_blocks=100)


def test_thirty_single_choices_fill_two_action_blocks_with_unique_action_ids() -> None:
    prompt = next(reply for name, reply in _outsized() if name == "thirty single choices")

    actions = [b for b in to_blocks(prompt, **LABELS[Language.EN]) if b["type"] == "actions"]

    assert [len(block["elements"]) for block in actions] == [25, 5, 2]
    assert actions[1]["elements"][0]["action_id"] == "choice:25"


def test_a_checkbox_group_holds_ten_options_and_the_submit_goes_with_the_last() -> None:
    prompt = next(reply for name, reply in _outsized() if name == "thirty multiple choices")

    actions = [b for b in to_blocks(prompt, **LABELS[Language.EN]) if b["type"] == "actions"]

    assert [[e["type"] for e in block["elements"]] for block in actions] == [
        ["checkboxes"],
        ["checkboxes"],
        ["checkboxes", "button"],
        ["button", "button"],
    ]
    assert {block["elements"][0]["action_id"] for block in actions[:3]} == {"pick:q"}


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
_OPENED = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def _product_messages(language: Language) -> Iterator[tuple[str, Reply]]:
    bank = default_bank()
    catalogue = default_plan_catalogue()
    base = default_advice_base()
    sheets = crowd(bank, [(_MANAGEMENT, 6), (_STAFF, 7)], seed=11)
    for position, question in enumerate(bank):
        yield f"question {question.id}", views.question(bank, position, AnswerSheet(), language)
        yield f"answered {question.id}", views.question(bank, position, sheets[-1], language)
    yield "scan already done", views.question(bank, len(bank), sheets[0], language)
    yield "finished", views.finished(bank, sheets[0], language)
    yield "finished, all unknown", views.finished(bank, AnswerSheet(), language)
    baseline = score(bank, sheets[:6] + sheets[-6:], threshold=5)
    follow_up = score(bank, sheets, threshold=5, previous=_shown(baseline))
    first, second = Scan(1, 1, 1, 1, _OPENED), Scan(2, 1, 2, 1, _OPENED)
    yield "no scan", views.org_result(None, None, language)
    yield "withheld", views.org_result(first, score(bank, sheets[:2], threshold=5), language)
    yield "baseline result", views.org_result(first, baseline, language)
    yield "follow-up result", views.org_result(second, follow_up, language)
    the_plan = make_plan(_shown(follow_up), catalogue)
    yield "plan", views.plan(the_plan, language)
    yield (
        "advice",
        views.advice(advise(_shown(follow_up), the_plan, catalogue, base, language), language),
    )
    index = TopicIndex(base)
    roi = {Language.NL: "Hoe meten we ROI?", Language.EN: "How do we measure ROI?"}[language]
    matched = answer(index, base, roi, language)
    assert matched.matched
    yield "matched answer", views.answer(matched, language)
    unmatched = answer(index, base, "xyzzy plugh", language)
    assert not unmatched.matched
    yield "no match", views.answer(unmatched, language)
    yield "help", views.help_text(language)
    yield "launched", launched(first, 300, "2026-12-04 17:00", language)
    kinds = [*Undeliverable, None, None, None]
    invitations = [
        Invitation(f"slack:U{n:05d}", None, _OPENED, None, kinds[n % len(kinds)], n % 3 == 0)
        for n in range(300)
    ]
    yield "participation of 300", participation(first, invitations, language)
    for kind in Undeliverable:
        yield (
            f"not published: {kind}",
            (
                Paragraph(phrases.NOT_PUBLISHED(language).format(number=1)),
                Places(("C0REPORT",)),
                Paragraph(kind.explanation(language)),
            ),
        )


def _shown(result: OrgResult | Withheld) -> OrgResult:
    assert isinstance(result, OrgResult)
    return result


@pytest.mark.parametrize("language", list(Language))
def test_every_message_the_product_builds_stays_within_slack_limits(language: Language) -> None:
    rendered = 0
    for name, reply in _product_messages(language):
        message = to_message(reply, **LABELS[language])
        try:
            assert_within_slack_limits(message)
        except AssertionError as error:
            raise AssertionError(f"{name} ({language}): {error}") from error
        rendered += 1

    assert rendered == 2 * len(default_bank()) + 14 + len(Undeliverable)


@pytest.mark.parametrize("language", list(Language))
def test_every_modal_stays_within_slack_limits(language: Language) -> None:
    groups = [(f"S{n:08d}", "a-very-long-user-group-handle-" * 4) for n in range(150)]
    assert_modal_within_slack_limits(launch_modal(language, 5))
    assert_modal_within_slack_limits(launch_modal(language, 5, groups))
    assert_modal_within_slack_limits(settings_modal(language, OrgSettings(language=language)))
    weeks = recent_weeks(date(2026, 11, 16), date(2020, 12, 28))
    recorded = KpiEntry(date(2020, 12, 28), date(2021, 1, 3), dict.fromkeys(Metric, MAXIMUM))
    assert_modal_within_slack_limits(
        measure_modal(language, tuple(Metric), weeks, weeks[-1], recorded)
    )
