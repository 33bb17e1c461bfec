"""Teams forms: valid Adaptive Cards 1.5 in both languages, and what is typed comes back checked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from bot.teams import phrases as teams_phrases
from bot.teams.forms import (
    DEADLINE,
    FORM,
    THRESHOLD,
    FiguresValues,
    Form,
    FormError,
    FormSubmit,
    LaunchValues,
    check_figures,
    form_activity,
    form_submit,
    launch_card,
    launch_errors,
    launch_submitted,
    measure_card,
    measure_submitted,
)
from bot.teams.render import CARD_BUDGET, MAX_CARD_BYTES, MAX_SET_ACTIONS, card_size
from dialogs import phrases
from dialogs.figures_flow import FormProblems, recent_weeks
from engine.kpi import MORE_SHARERS_THAN_INVITED, KpiEntry, Metric, metrics_for
from engine.vocabulary import Language, Phase
from tests.teams.test_cards import official_schema

START, END = date(2026, 11, 16), date(2026, 11, 22)
TODAY = date(2026, 11, 23)
ALL_METRICS = metrics_for(Phase.PERFORMANCE_DRIVEN)
LANGUAGES = pytest.mark.parametrize("language", list(Language))


def assert_valid_form(card: dict[str, Any]) -> None:
    """The official schema, Teams' size limit, and the shape every form keeps."""
    errors = sorted(official_schema().iter_errors(card), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors)
    assert card["version"] == "1.5"
    assert card_size(card) <= CARD_BUDGET
    assert card_size(form_activity(card)) <= MAX_CARD_BYTES
    ids = [element["id"] for element in card["body"] if "id" in element]
    assert len(set(ids)) == len(ids)
    for element in card["body"]:
        if element["type"] == "TextBlock":
            assert element["text"].strip()
            assert element["wrap"] is True
        if element["type"] == "ActionSet":
            assert 0 < len(element["actions"]) <= MAX_SET_ACTIONS
    for action in _buttons(card):
        assert 0 < len(action["title"]) <= 75
        assert action["data"]["advisor"] == FORM


def _inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {element["id"]: element for element in card["body"] if "id" in element}


def _buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        action
        for element in card["body"]
        if element["type"] == "ActionSet"
        for action in element["actions"]
    ]


def _pressed(card: dict[str, Any], number: int, **typed: str) -> dict[str, Any]:
    """The activity `value` Teams sends for a button: its data merged with every input's value
    (an input's own value when nothing was typed), unless it sends no inputs."""
    action = _buttons(card)[number]
    if action.get("associatedInputs") == "none":
        return dict(action["data"])
    inputs = {}
    for input_id, element in _inputs(card).items():
        shown = element.get("value", "")
        inputs[input_id] = typed.get(input_id, str(shown))
    return {**action["data"], **inputs}


def _save(card: dict[str, Any], **typed: str) -> dict[str, Any]:
    return _pressed(card, 0, **typed)


def _figures(**typed: str) -> dict[str, str]:
    return {f"figure:{name}": value for name, value in typed.items()}


def _error_after(card: dict[str, Any], input_id: str) -> str | None:
    """The attention text right after an input, if any."""
    body = card["body"]
    [index] = [i for i, element in enumerate(body) if element.get("id") == input_id]
    following = body[index + 1]
    if following["type"] == "TextBlock" and following.get("color") == "attention":
        return str(following["text"])
    return None


def _texts(card: dict[str, Any]) -> str:
    return " ".join(e["text"] for e in card["body"] if e["type"] == "TextBlock")


# The figures form

WEEKS = recent_weeks(START)


def _card(language: Language = Language.EN, **options: Any) -> dict[str, Any]:
    return measure_card(language, ALL_METRICS, WEEKS, START, **options)


@LANGUAGES
@pytest.mark.parametrize("with_problems", [False, True])
def test_the_figures_card_is_a_valid_card_with_the_week_and_every_metric(
    language: Language, with_problems: bool
) -> None:
    problems = (
        FormProblems({m: "x" * 500 for m in ALL_METRICS}, week="y" * 500, doubted=True)
        if with_problems
        else None
    )
    values = dict.fromkeys(ALL_METRICS, "-1234567890.5") if with_problems else None

    card = _card(language, values=values, problems=problems)

    assert_valid_form(card)
    inputs = _inputs(card)
    expected = ["week", *(f"figure:{metric.value}" for metric in ALL_METRICS)]
    assert list(inputs) == [*expected, "checked"] if with_problems else expected
    week = inputs["week"]
    assert week["type"] == "Input.ChoiceSet"
    assert week["value"] == "2026-W47"
    assert [c["value"] for c in week["choices"]][:2] == ["2026-W47", "2026-W46"]
    assert len(week["choices"]) == 12
    for metric in ALL_METRICS:
        field = inputs[f"figure:{metric.value}"]
        assert field["type"] == "Input.Text", "read as the person writes numbers, not the client"
        assert field["label"] == metric.label(language)
        assert field["isRequired"] is False


@LANGUAGES
def test_the_figures_save_sends_the_form_and_the_language(language: Language) -> None:
    save, cancel = _buttons(_card(language))

    assert save["title"] == phrases.SAVE(language)
    assert save["data"] == {"advisor": "form", "form": "measure", "language": language.value}
    assert cancel["data"]["button"] == "cancel"


def test_typed_figures_and_the_week_come_back_from_the_submit() -> None:
    card = _card(Language.NL)

    submitted = measure_submitted(
        _save(card, week="2026-W45", **_figures(posts="12", reach="3.400", hires="0"))
    )

    assert submitted == FiguresValues(
        Language.NL,
        "2026-W45",
        {Metric.POSTS: "12", Metric.REACH: "3.400", Metric.HIRES: "0"},
        confirmed=False,
    )
    checked = check_figures(submitted, START)
    assert checked == KpiEntry(
        date(2026, 11, 2),
        date(2026, 11, 8),
        {Metric.POSTS: 12, Metric.REACH: 3400, Metric.HIRES: 0},
    )


def test_blank_figures_and_figures_teams_left_out_are_not_known() -> None:
    value = _save(_card(), **_figures(posts="  ", reach="10"))
    del value["figure:engagements"]

    assert measure_submitted(value).typed == {Metric.REACH: "10"}


def test_inputs_for_no_metric_are_ignored() -> None:
    value = _save(_card(), **_figures(reach="10"))

    assert measure_submitted({**value, "figure:followers": "5", "other": [1]}).typed == {
        Metric.REACH: "10"
    }


def test_a_week_with_figures_shows_them_to_be_corrected() -> None:
    recorded = KpiEntry(START, END, {Metric.REACH: 4000})

    inputs = _inputs(_card(Language.NL, recorded=recorded))

    assert inputs["figure:reach"]["value"] == "4.000"
    assert "value" not in inputs["figure:posts"]


@LANGUAGES
@pytest.mark.parametrize("typed", ["10²", "abc", "∞", "1e999", "NaN", "-5", "9" * 5000])
def test_a_value_that_is_no_count_is_refused_under_its_field(
    language: Language, typed: str
) -> None:
    submitted = FiguresValues(language, "2026-W47", {Metric.REACH: typed}, confirmed=True)

    problems = check_figures(submitted, START)

    assert isinstance(problems, FormProblems)
    assert list(problems.figures) == [Metric.REACH]
    assert problems.figures[Metric.REACH].startswith(Metric.REACH.label(language))


def test_every_problem_comes_back_at_once_with_what_was_typed() -> None:
    card = _card(Language.NL)
    submitted = measure_submitted(
        _save(card, **_figures(posts="3,5", reach="3400", sharers="-1", invited="6"))
    )
    problems = check_figures(submitted, START)
    assert isinstance(problems, FormProblems)
    assert set(problems.figures) == {Metric.POSTS, Metric.SHARERS}

    again = _card(Language.NL, values=submitted.typed, problems=problems)

    assert_valid_form(again)
    inputs = _inputs(again)
    assert inputs["figure:posts"]["value"] == "3,5"
    assert inputs["figure:reach"]["value"] == "3400"
    assert "geen heel getal" in (_error_after(again, "figure:posts") or "")
    assert _error_after(again, "figure:reach") is None
    assert "nothing has happened yet" not in _texts(again)
    assert measure_submitted(_save(again)).typed == submitted.typed


def test_engagements_above_reach_bring_the_box_which_saves_them_once_ticked() -> None:
    typed = _figures(reach="1,000", engagements="5,000")
    submitted = measure_submitted(_save(_card(), **typed))
    problems = check_figures(submitted, START)
    assert isinstance(problems, FormProblems)
    assert problems.doubted

    again = _card(values=submitted.typed, problems=problems)

    assert_valid_form(again)
    assert (_error_after(again, "figure:engagements") or "").startswith(
        "Engagements (5,000) are higher than reach (1,000)"
    )
    assert _inputs(again)["checked"]["value"] == "false"
    unticked = measure_submitted(_save(again))
    assert isinstance(check_figures(unticked, START), FormProblems)
    ticked = measure_submitted(_save(again, checked="true"))
    assert check_figures(ticked, START) == KpiEntry(
        START, END, {Metric.REACH: 1000, Metric.ENGAGEMENTS: 5000}
    )


def test_more_sharers_than_invitees_is_refused_under_the_sharers() -> None:
    submitted = FiguresValues(
        Language.EN, "2026-W47", {Metric.SHARERS: "7", Metric.INVITED: "6"}, confirmed=True
    )

    assert check_figures(submitted, START) == FormProblems(
        {Metric.SHARERS: MORE_SHARERS_THAN_INVITED(Language.EN)}
    )


@pytest.mark.parametrize("week", ["2026-W48", "", "soon"])
def test_a_week_not_over_or_no_week_is_refused_under_the_week(week: str) -> None:
    submitted = FiguresValues(Language.EN, week, {Metric.POSTS: "1"}, confirmed=False)

    problems = check_figures(submitted, START)

    assert isinstance(problems, FormProblems)
    assert problems.week is not None
    again = _card(values=submitted.typed, problems=problems)
    assert _error_after(again, "week") == problems.week


@pytest.mark.parametrize(
    "change",
    [
        {"advisor": "choice"},
        {"form": "launch"},
        {"form": "survey"},
        {"language": "de"},
        {"language": None},
        {"figure:posts": 12},
        {"figure:reach": None},
        {"week": 47},
        {"checked": True},
        {"button": "cancel"},
        {"button": "delete"},
    ],
)
def test_a_malformed_figures_submit_is_refused(change: dict[str, Any]) -> None:
    value = _save(_card(), **_figures(posts="1"))

    with pytest.raises(FormError):
        measure_submitted({**value, **change})


def test_an_error_for_a_figure_not_on_the_card_is_shown_under_the_intro() -> None:
    card = measure_card(
        Language.EN,
        metrics_for(Phase.AD_HOC),
        WEEKS,
        START,
        problems=FormProblems({Metric.HIRES: "Hires?"}),
    )

    assert_valid_form(card)
    assert "figure:hires" not in _inputs(card)
    assert "Hires?" in _texts(card)


def test_a_value_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(FormError):
        measure_submitted(["advisor", "form"])  # type: ignore[arg-type]


# The launch form


@LANGUAGES
@pytest.mark.parametrize("with_errors", [False, True])
def test_the_launch_card_is_a_valid_card(language: Language, with_errors: bool) -> None:
    values = LaunchValues(language, date(2026, 11, 1), "2", report_here=False)
    errors = launch_errors(values, TODAY) if with_errors else None

    card = launch_card(
        language,
        5,
        team_name="Marketing & Communicatie " * 40,
        values=values if with_errors else None,
        errors=errors,
    )

    assert_valid_form(card)
    inputs = _inputs(card)
    assert [(i, e["type"]) for i, e in inputs.items()] == [
        ("deadline", "Input.Date"),
        ("threshold", "Input.Number"),
        ("report", "Input.Toggle"),
    ]
    assert inputs["deadline"]["isRequired"] is False
    assert inputs["threshold"]["isRequired"] is True
    assert inputs["threshold"]["min"] == 3
    assert inputs["threshold"]["max"] == 25
    assert inputs["threshold"]["errorMessage"] == phrases.THRESHOLD_OUT_OF_RANGE(language)
    assert inputs["report"]["title"] == teams_phrases.LAUNCH_REPORT_HERE(language)
    assert "Marketing & Communicatie" in _texts(card)


@LANGUAGES
def test_a_new_launch_card_has_the_orgs_threshold_and_reports_here(language: Language) -> None:
    card = launch_card(language, 5, team_name="Sales")

    inputs = _inputs(card)
    assert inputs["threshold"]["value"] == 5
    assert inputs["report"]["value"] == "true"
    assert "value" not in inputs["deadline"]
    launch, cancel = _buttons(card)
    assert launch["title"] == phrases.LAUNCH_SUBMIT(language)
    assert launch["data"] == {"advisor": "form", "form": "launch", "language": language.value}
    assert cancel["title"] == phrases.CANCEL(language)


def test_a_launch_comes_back_from_the_submit() -> None:
    card = launch_card(Language.NL, 5, team_name="Sales")

    values = launch_submitted(_save(card, deadline="2026-12-31", threshold="7", report="false"))

    assert values == LaunchValues(Language.NL, date(2026, 12, 31), "7", report_here=False)
    assert launch_errors(values, TODAY) == {}


def test_a_launch_without_a_deadline_has_none_and_keeps_the_default_threshold() -> None:
    values = launch_submitted(_save(launch_card(Language.EN, 5, team_name="Sales")))

    assert values == LaunchValues(Language.EN, None, "5", report_here=True)


@LANGUAGES
def test_a_past_deadline_and_a_threshold_of_two_are_refused_in_the_language(
    language: Language,
) -> None:
    values = LaunchValues(language, TODAY, "2", report_here=True)

    assert launch_errors(values, TODAY) == {
        THRESHOLD: phrases.THRESHOLD_TOO_LOW(language),
        DEADLINE: phrases.DEADLINE_PAST(language),
    }


@LANGUAGES
@pytest.mark.parametrize("threshold", ["26", "1000", "9" * 5000])
def test_a_threshold_above_25_is_refused_in_the_language(
    language: Language, threshold: str
) -> None:
    values = LaunchValues(language, None, threshold, report_here=True)

    assert launch_errors(values, TODAY) == {THRESHOLD: phrases.THRESHOLD_OUT_OF_RANGE(language)}


@pytest.mark.parametrize("threshold", ["3", "25", "003"])
def test_a_threshold_from_3_to_25_is_accepted(threshold: str) -> None:
    assert launch_errors(LaunchValues(Language.EN, None, threshold, report_here=True), TODAY) == {}


@pytest.mark.parametrize("threshold", ["", "abc", "3.5", "-4", "³"])
def test_a_threshold_that_is_no_whole_number_is_refused(threshold: str) -> None:
    values = LaunchValues(Language.EN, None, threshold, report_here=True)

    assert launch_errors(values, TODAY) == {THRESHOLD: phrases.THRESHOLD_TOO_LOW(Language.EN)}


def test_a_refused_launch_card_comes_back_with_what_was_typed_and_the_errors() -> None:
    card = launch_card(Language.NL, 5, team_name="Sales")
    values = launch_submitted(_save(card, deadline="2026-11-01", threshold="2", report="false"))
    errors = launch_errors(values, TODAY)

    again = launch_card(Language.NL, 5, team_name="Sales", values=values, errors=errors)

    assert_valid_form(again)
    inputs = _inputs(again)
    assert inputs["deadline"]["value"] == "2026-11-01"
    assert inputs["threshold"]["value"] == 2
    assert inputs["report"]["value"] == "false"
    assert _error_after(again, "deadline") == phrases.DEADLINE_PAST(Language.NL)
    assert _error_after(again, "threshold") == phrases.THRESHOLD_TOO_LOW(Language.NL)
    assert _error_after(again, "report") is None
    assert launch_submitted(_save(again)) == values


@pytest.mark.parametrize(
    "change",
    [
        {"form": "measure"},
        {"advisor": "submit"},
        {"deadline": "31-12-2026"},
        {"deadline": 20261231},
        {"threshold": 5},
        {"report": "yes"},
        {"report": True},
        {"button": "cancel"},
    ],
)
def test_a_malformed_launch_submit_is_refused(change: dict[str, Any]) -> None:
    value = _save(launch_card(Language.EN, 5, team_name="Sales"))

    with pytest.raises(FormError):
        launch_submitted({**value, **change})


def test_a_launch_submit_without_its_toggle_is_refused() -> None:
    value = _save(launch_card(Language.EN, 5, team_name="Sales"))
    del value["report"]

    with pytest.raises(FormError):
        launch_submitted(value)


# Telling forms apart, and cancelling


@pytest.mark.parametrize(
    ("card", "form"),
    [
        (measure_card(Language.NL, ALL_METRICS, recent_weeks(START), START), Form.MEASURE),
        (launch_card(Language.NL, 5, team_name="Sales"), Form.LAUNCH),
    ],
)
def test_each_forms_buttons_say_which_form_and_whether_it_cancels(
    card: dict[str, Any], form: Form
) -> None:
    assert form_submit(_pressed(card, 0)) == FormSubmit(form, Language.NL, cancelled=False)
    assert form_submit(_pressed(card, 1)) == FormSubmit(form, Language.NL, cancelled=True)


def test_a_cancel_sends_nothing_that_was_typed() -> None:
    card = launch_card(Language.EN, 5, team_name="Sales")

    assert set(_pressed(card, 1, threshold="1")) == {"advisor", "form", "language", "button"}


def test_a_submit_of_no_form_is_refused() -> None:
    with pytest.raises(FormError):
        form_submit({"advisor": "choice", "prompt": "p", "choice": "c"})


def test_a_form_card_is_sent_as_an_adaptive_card_activity() -> None:
    card = measure_card(Language.EN, ALL_METRICS, recent_weeks(START), START)

    activity: Mapping[str, Any] = form_activity(card)

    assert activity == {
        "type": "message",
        "summary": phrases.MEASURE_TITLE(Language.EN),
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }
