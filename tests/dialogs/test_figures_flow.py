"""The figures flow's pure transitions: one metric at a time, checked, stored as one effect."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs import figures_flow
from dialogs.messages import Paragraph
from dialogs.state import DialogState, RecordFigures, Step, Transition
from engine.kpi import KpiEntry, Metric, metrics_for
from engine.text import Text
from engine.vocabulary import Language, Phase

METRICS = metrics_for(Phase.AD_HOC)
"""Posts, reach, engagements, link clicks, sharers, invited: six, in that order."""
WEEK = (date(2026, 11, 16), date(2026, 11, 22))
"""2026-W47."""
EARLIER = (date(2026, 11, 9), date(2026, 11, 15))
LATEST = WEEK[0]
"""The Monday of the last full week."""


def _said(transition: Transition) -> str:
    return " ".join(block.text for block in transition.replies if isinstance(block, Paragraph))


def _typed(*lines: str, language: Language = Language.EN) -> Transition:
    """Begin measuring and type `lines`, one turn each; the last turn's transition."""
    transition = figures_flow.begin(DialogState(language=language), METRICS, WEEK)
    for line in lines:
        assert not transition.effects, "only the last line may finish"
        transition = figures_flow.typed(transition.state, line, METRICS, WEEK)
    return transition


def test_beginning_names_the_week_and_asks_for_the_first_metric() -> None:
    begun = _typed()
    assert begun.state.step is Step.MEASURING
    assert begun.state.position == 0
    assert begun.effects == ()
    assert "The figures for week 2026-W47 (2026-11-16 to 2026-11-22)" in _said(begun)
    assert begun.state.week == "2026-W47"
    assert _said(begun).endswith("1/6 Posts published?")


def test_beginning_in_dutch_asks_in_dutch() -> None:
    begun = _typed(language=Language.NL)
    assert "De cijfers van week 2026-W47 (2026-11-16 tot en met 2026-11-22)" in _said(begun)
    assert _said(begun).endswith("1/6 Gepubliceerde berichten?")


def test_beginning_another_week_discards_the_draft_and_says_so() -> None:
    halfway = _typed("12", "4000").state
    again = figures_flow.begin(halfway, METRICS, EARLIER)
    assert again.state.figures == {}
    assert again.state.position == 0
    assert again.state.week == "2026-W46"
    assert _said(again).startswith("Your draft for week 2026-W47 is discarded")


def test_each_number_is_kept_and_the_next_metric_asked() -> None:
    first = _typed("12")
    assert first.state.figures == {"posts": 12}
    assert first.state.position == 1
    assert _said(first) == "2/6 Reach (people who saw the posts)?"
    second = _typed("12", "4000")
    assert second.state.figures == {"posts": 12, "reach": 4000}
    assert _said(second) == "3/6 Engagements (comments, reactions, shares, clicks)?"
    assert second.effects == ()


@pytest.mark.parametrize("line", ["4000", " 4000 ", "4,000", "4 000", "4_000", "4\u00a0000"])
def test_thousands_may_be_separated_as_english_writes_them(line: str) -> None:
    assert _typed(line).state.figures == {"posts": 4000}


@pytest.mark.parametrize("line", ["4000", "4.000", "4 000"])
def test_thousands_may_be_separated_as_dutch_writes_them(line: str) -> None:
    assert _typed(line, language=Language.NL).state.figures == {"posts": 4000}


def test_1_234_is_one_thousand_two_hundred_thirty_four_in_either_language_s_own_way() -> None:
    assert _typed("1.234", language=Language.NL).state.figures == {"posts": 1234}
    assert _typed("1,234", language=Language.EN).state.figures == {"posts": 1234}


@pytest.mark.parametrize(
    ("line", "language"),
    [("3,5", Language.NL), ("1,234", Language.NL), ("4,0", Language.NL), ("4.000", Language.EN)],
)
def test_a_decimal_is_refused_as_not_whole_never_read_as_a_larger_count(
    line: str, language: Language
) -> None:
    """'3,5' in Dutch was read as 35; it is three and a half, which no count is."""
    asked = _typed("12", language=language).state
    refused = figures_flow.typed(asked, line, METRICS, WEEK)
    assert refused.state == asked
    label = Metric.REACH.label(language)
    assert _said(refused).startswith(f"{label}: {line} ")
    assert ("geen heel getal" if language is Language.NL else "not a whole number") in _said(
        refused
    )


@pytest.mark.parametrize(
    "line",
    ["10²", "abc", "∞", "1e999", "NaN", "inf", "twelve", "+3", "12 posts", "3e2", "?", "help"],
)
def test_a_value_that_is_no_number_is_refused_naming_the_metric_and_asked_again(
    line: str,
) -> None:
    asked = _typed("12").state
    refused = figures_flow.typed(asked, line, METRICS, WEEK)
    assert refused.state == asked
    assert refused.effects == ()
    assert _said(refused) == (
        f"Reach (people who saw the posts): I can't read '{line}' as a number. Type digits "
        "only, for example 1,250. 2/6 Reach (people who saw the posts)?"
    )


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("-3", "Reach (people who saw the posts) cannot be negative."),
        ("−3", "Reach (people who saw the posts) cannot be negative."),
        (
            "1000000001",
            "Reach (people who saw the posts): 1000000001 is more than a billion; that cannot "
            "be right.",
        ),
    ],
)
def test_a_negative_or_impossibly_large_count_is_refused_with_why(line: str, said: str) -> None:
    asked = _typed("12").state
    refused = figures_flow.typed(asked, line, METRICS, WEEK)
    assert refused.state == asked
    assert _said(refused) == f"{said} 2/6 Reach (people who saw the posts)?"


def test_a_very_long_value_is_refused_and_shown_cut_short() -> None:
    refused = _typed("9" * 5000)
    assert refused.state.figures == {}
    assert f"'{'9' * 20}…'" in _said(refused)


def test_a_bad_number_is_refused_in_dutch_for_a_dutch_speaker() -> None:
    refused = _typed("veel", language=Language.NL)
    assert refused.state.figures == {}
    assert _said(refused).startswith("Gepubliceerde berichten: 'veel' kan ik niet als getal lezen.")


def test_a_dash_skips_a_metric_and_leaves_it_out_of_the_week() -> None:
    skipped = _typed("12", "-")
    assert skipped.state.position == 2
    assert skipped.state.figures == {"posts": 12}
    finished = _typed("12", "-", "200", "-", "-", "-")
    (effect,) = finished.effects
    assert isinstance(effect, RecordFigures)
    assert Metric.REACH not in effect.entry.values


def test_the_last_answer_hands_the_runner_the_week_s_figures() -> None:
    finished = _typed("12", "4000", "200", "35", "-", "-")
    assert finished.effects == (
        RecordFigures(
            KpiEntry(
                *WEEK,
                {
                    Metric.POSTS: 12,
                    Metric.REACH: 4000,
                    Metric.ENGAGEMENTS: 200,
                    Metric.LINK_CLICKS: 35,
                },
            )
        ),
    )
    assert finished.state == DialogState(language=Language.EN)
    assert _said(finished) == (
        "Saved for week 2026-W47 (2026-11-16 to 2026-11-22). Engagement rate: 5.0% "
        "(engagements / reach)."
    )


def test_without_reach_the_saved_week_names_no_rate() -> None:
    finished = _typed("12", "-", "200", "-", "-", "-", language=Language.NL)
    assert _said(finished) == "Opgeslagen voor week 2026-W47 (2026-11-16 tot en met 2026-11-22)."


def test_the_week_recorded_is_the_one_passed_when_finishing() -> None:
    """The flow records the week the runner passes it (the runner passes the week begun)."""
    halfway = _typed("1", "9000", "3", "2", "5").state
    later = (date(2026, 11, 23), date(2026, 11, 29))
    finished = figures_flow.typed(halfway, "6", METRICS, later)
    (effect,) = finished.effects
    assert isinstance(effect, RecordFigures)
    assert (effect.entry.start, effect.entry.end) == later


def test_more_sharers_than_invited_asks_from_the_sharers_again_without_theirs() -> None:
    refused = _typed("12", "4000", "200", "35", "30", "20")
    assert refused.effects == ()
    assert refused.state.step is Step.MEASURING
    assert refused.state.position == METRICS.index(Metric.SHARERS)
    assert refused.state.figures == {
        "posts": 12,
        "reach": 4000,
        "engagements": 200,
        "link_clicks": 35,
        "invited": 20,
    }
    assert _said(refused) == (
        "More people cannot have shared than were invited. 5/6 Employees who shared?"
    )
    corrected = figures_flow.typed(refused.state, "10", METRICS, WEEK)
    assert _said(corrected) == "6/6 Employees invited to share?"
    confirmed = figures_flow.typed(corrected.state, "20", METRICS, WEEK)
    (effect,) = confirmed.effects
    assert isinstance(effect, RecordFigures)
    assert effect.entry.values[Metric.SHARERS] == 10
    assert effect.entry.values[Metric.INVITED] == 20


@pytest.mark.parametrize("line", ["stop", "Stop", " STOP ", "stoppen", "quit", "pauze", "pause"])
def test_stopping_halfway_keeps_a_draft_and_saves_nothing(line: str) -> None:
    stopped = _typed("12", "4000", line)
    assert stopped.effects == ()
    assert stopped.state.step is Step.IDLE
    assert stopped.state.figures == {"posts": 12, "reach": 4000}
    assert stopped.state.week == "2026-W47"
    assert _said(stopped) == (
        "Paused; nothing is saved yet. Your 2 figures for week 2026-W47 are kept as a draft: "
        "type 'measure' to go on."
    )


def test_stopping_in_dutch_says_so_in_dutch_with_the_singular_for_one_figure() -> None:
    stopped = _typed("12", "stop", language=Language.NL)
    assert _said(stopped) == (
        "Gepauzeerd; er is nog niets opgeslagen. Je 1 cijfer voor week 2026-W47 bewaar ik als "
        "concept: typ 'meten' om verder te gaan."
    )


def test_stopping_before_any_figure_says_nothing_was_saved_and_keeps_no_draft() -> None:
    stopped = _typed("-", "stop")
    assert stopped.state == DialogState(language=Language.EN)
    assert _said(stopped) == "Stopped; nothing was saved."


def test_measuring_the_draft_s_week_again_goes_on_after_its_last_figure() -> None:
    draft = _typed("12", "-", "200", "stop").state
    resumed = figures_flow.begin(draft, METRICS, WEEK)
    assert resumed.state.step is Step.MEASURING
    assert resumed.state.position == 3
    assert resumed.state.figures == {"posts": 12, "engagements": 200}
    assert _said(resumed) == (
        "Going on with your draft for week 2026-W47 (2026-11-16 to 2026-11-22): 2 figures are "
        "in already. 4/6 Link clicks?"
    )
    finished = figures_flow.typed(resumed.state, "5", METRICS, WEEK)
    finished = figures_flow.typed(finished.state, "-", METRICS, WEEK)
    finished = figures_flow.typed(finished.state, "-", METRICS, WEEK)
    (effect,) = finished.effects
    assert isinstance(effect, RecordFigures)
    assert dict(effect.entry.values) == {
        Metric.POSTS: 12,
        Metric.ENGAGEMENTS: 200,
        Metric.LINK_CLICKS: 5,
    }


def test_a_week_with_figures_shows_them_and_what_is_typed_replaces_them() -> None:
    recorded = KpiEntry(*WEEK, {Metric.POSTS: 12, Metric.REACH: 4000})
    begun = figures_flow.begin(DialogState(language=Language.NL), METRICS, WEEK, recorded)
    assert (
        "Week 2026-W47 heeft al cijfers: Gepubliceerde berichten 12; Bereik (mensen die de "
        "berichten zagen) 4.000. Wat je nu typt vervangt ze allemaal."
    ) in _said(begun)
    assert begun.state.figures == {}, "the stored figures are shown, not typed for the person"


def test_engagements_above_reach_are_saved_only_after_a_yes() -> None:
    asked = _typed("12", "1000", "5000", "-", "-", "-")
    assert asked.effects == ()
    assert asked.state.step is Step.CONFIRMING_FIGURES
    assert _said(asked) == (
        "Engagements (5,000) are higher than reach (1,000): an engagement rate above 100%. "
        "Save anyway? yes/no"
    )
    confirmed = figures_flow.typed(asked.state, "Yes", METRICS, WEEK)
    (effect,) = confirmed.effects
    assert isinstance(effect, RecordFigures)
    assert effect.entry.values[Metric.ENGAGEMENTS] == 5000
    assert confirmed.state == DialogState(language=Language.EN)


def test_figures_in_doubt_are_asked_about_in_dutch() -> None:
    asked = _typed("12", "1000", "5000", "6000", "-", "-", language=Language.NL)
    assert _said(asked) == (
        "Er zijn meer interacties (5.000) dan bereik (1.000): een engagement rate boven 100%. "
        "Er zijn meer klikken op links (6.000) dan interacties (5.000), terwijl klikken bij de "
        "interacties horen. Toch opslaan? ja/nee"
    )
    assert figures_flow.typed(asked.state, "ja", METRICS, WEEK).effects != ()


def test_a_no_to_figures_in_doubt_asks_for_the_doubted_figure_again() -> None:
    asked = _typed("12", "1000", "5000", "-", "-", "-")
    corrected = figures_flow.typed(asked.state, "no", METRICS, WEEK)
    assert corrected.effects == ()
    assert corrected.state.step is Step.MEASURING
    assert corrected.state.position == METRICS.index(Metric.ENGAGEMENTS)
    assert "engagements" not in corrected.state.figures
    assert _said(corrected) == (
        "Then type it again. 3/6 Engagements (comments, reactions, shares, clicks)?"
    )


@pytest.mark.parametrize("line", ["maybe", "12", ""])
def test_anything_but_yes_or_no_to_figures_in_doubt_asks_again_and_saves_nothing(
    line: str,
) -> None:
    asked = _typed("12", "1000", "5000", "-", "-", "-")
    again = figures_flow.typed(asked.state, line, METRICS, WEEK)
    assert again.state == asked.state
    assert again.effects == ()
    assert _said(again) == (
        "Type 'yes' to save these figures as they are, 'no' to correct them, or 'stop'."
    )


def test_stopping_at_the_question_keeps_the_draft_which_asks_it_again() -> None:
    asked = _typed("12", "1000", "5000", "10", "5", "20")
    stopped = figures_flow.typed(asked.state, "stop", METRICS, WEEK)
    assert stopped.effects == ()
    assert stopped.state.step is Step.IDLE
    resumed = figures_flow.begin(stopped.state, METRICS, WEEK)
    assert resumed.state.step is Step.CONFIRMING_FIGURES
    assert _said(resumed).endswith("Save anyway? yes/no")


@pytest.mark.parametrize("typed", ["2026-W47", "2026 W47", "2026-w47", "2026w47", " 2026 - W47 "])
def test_a_week_is_named_the_iso_way_with_a_space_or_lowercase_w_too(typed: str) -> None:
    assert figures_flow.chosen_week(typed, LATEST) == WEEK


def test_a_week_not_over_yet_is_refused() -> None:
    refused = figures_flow.chosen_week("2026-W48", LATEST)
    assert isinstance(refused, Text)
    assert refused(Language.EN) == (
        "Week 2026-W48 is not over yet; figures can be logged up to week 2026-W47. Nothing was "
        "saved."
    )
    assert "nog niet voorbij" in refused(Language.NL)


@pytest.mark.parametrize("typed", ["2026-W54", "2025-W53", "W47", "next week", "2026-47"])
def test_a_week_that_is_no_week_is_refused_with_an_example(typed: str) -> None:
    refused = figures_flow.chosen_week(typed, LATEST)
    assert isinstance(refused, Text)
    assert (
        refused(Language.EN) == f"I can't read '{typed}' as a week. Write the week like 2026-W47."
    )


def test_a_form_offers_the_last_twelve_weeks_and_an_older_week_asked_for() -> None:
    weeks = figures_flow.recent_weeks(LATEST)
    assert len(weeks) == 12
    assert weeks[0] == LATEST
    assert weeks[-1] == date(2026, 8, 31)
    older = date(2026, 1, 5)
    assert figures_flow.recent_weeks(LATEST, older)[-1] == older


def test_a_form_s_figures_become_one_entry_for_the_week_chosen() -> None:
    typed = {Metric.REACH: "1.000", Metric.ENGAGEMENTS: "50"}
    checked = figures_flow.check_form(Language.NL, "2026-W46", LATEST, typed, confirmed=False)
    assert checked == KpiEntry(*EARLIER, {Metric.REACH: 1000, Metric.ENGAGEMENTS: 50})


def test_a_form_gets_every_problem_at_once_and_naming_each_figure() -> None:
    typed = {Metric.POSTS: "10²", Metric.REACH: "3,5", Metric.SHARERS: "-1"}
    checked = figures_flow.check_form(Language.NL, "2026-W48", LATEST, typed, confirmed=True)
    assert isinstance(checked, figures_flow.FormProblems)
    assert set(checked.figures) == {Metric.POSTS, Metric.REACH, Metric.SHARERS}
    assert checked.figures[Metric.POSTS].startswith("Gepubliceerde berichten: '10²'")
    assert checked.week is not None
    assert "nog niet voorbij" in checked.week
    assert not checked.doubted


def test_a_form_s_figures_in_doubt_are_saved_only_when_confirmed() -> None:
    typed = {Metric.REACH: "1,000", Metric.ENGAGEMENTS: "5,000"}
    doubted = figures_flow.check_form(Language.EN, "2026-W47", LATEST, typed, confirmed=False)
    assert doubted == figures_flow.FormProblems(
        {
            Metric.ENGAGEMENTS: "Engagements (5,000) are higher than reach (1,000): an "
            "engagement rate above 100%. Right all the same? Tick 'I checked' and save again."
        },
        doubted=True,
    )
    confirmed = figures_flow.check_form(Language.EN, "2026-W47", LATEST, typed, confirmed=True)
    assert confirmed == KpiEntry(*WEEK, {Metric.REACH: 1000, Metric.ENGAGEMENTS: 5000})


def test_a_form_with_more_sharers_than_invitees_is_refused_even_when_confirmed() -> None:
    typed = {Metric.SHARERS: "30", Metric.INVITED: "20"}
    refused = figures_flow.check_form(Language.EN, "2026-W47", LATEST, typed, confirmed=True)
    assert refused == figures_flow.FormProblems(
        {Metric.SHARERS: "More people cannot have shared than were invited."}
    )


def test_only_the_metrics_passed_are_asked() -> None:
    """Leads and hires are the phase's to ask for (from phase 5), not the flow's."""
    performance = metrics_for(Phase.PERFORMANCE_DRIVEN)
    begun = figures_flow.begin(DialogState(language=Language.EN), performance, WEEK)
    assert _said(begun).endswith("1/8 Posts published?")
    short = (Metric.POSTS, Metric.REACH)
    first = figures_flow.typed(begun.state, "3", short, WEEK)
    finished = figures_flow.typed(first.state, "300", short, WEEK)
    assert finished.effects == (
        RecordFigures(KpiEntry(*WEEK, {Metric.POSTS: 3, Metric.REACH: 300})),
    )


def test_a_person_past_the_metrics_now_asked_answers_the_last_of_them() -> None:
    """Fewer metrics than when they began (the phase changed between turns): their answer is
    for the last metric asked now, which finishes the week."""
    halfway = _typed("1", "9000", "3", "2", "5").state
    short = (Metric.POSTS, Metric.REACH)
    finished = figures_flow.typed(halfway, "60", short, WEEK)
    (effect,) = finished.effects
    assert isinstance(effect, RecordFigures)
    assert effect.entry.values[Metric.REACH] == 60
