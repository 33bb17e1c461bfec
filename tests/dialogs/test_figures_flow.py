"""The figures flow's pure transitions: one metric at a time, checked, stored as one effect."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs import figures_flow
from dialogs.messages import Paragraph
from dialogs.state import DialogState, RecordFigures, Step, Transition
from engine.kpi import KpiEntry, Metric, metrics_for
from engine.vocabulary import Language, Phase

METRICS = metrics_for(Phase.AD_HOC)
"""Posts, reach, engagements, link clicks, sharers, invited: six, in that order."""
WEEK = (date(2026, 11, 16), date(2026, 11, 22))


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
    assert "The figures for 2026-11-16 to 2026-11-22" in _said(begun)
    assert _said(begun).endswith("1/6 Posts published?")


def test_beginning_in_dutch_asks_in_dutch() -> None:
    begun = _typed(language=Language.NL)
    assert "De cijfers van week 2026-11-16 tot en met 2026-11-22" in _said(begun)
    assert _said(begun).endswith("1/6 Gepubliceerde berichten?")


def test_beginning_again_forgets_figures_typed_before() -> None:
    halfway = _typed("12", "4000").state
    again = figures_flow.begin(halfway, METRICS, WEEK)
    assert again.state.figures == {}
    assert again.state.position == 0


def test_each_number_is_kept_and_the_next_metric_asked() -> None:
    first = _typed("12")
    assert first.state.figures == {"posts": 12}
    assert first.state.position == 1
    assert _said(first) == "2/6 Reach (people who saw the posts)?"
    second = _typed("12", "4000")
    assert second.state.figures == {"posts": 12, "reach": 4000}
    assert _said(second) == "3/6 Engagements (comments, reactions, shares, clicks)?"
    assert second.effects == ()


@pytest.mark.parametrize("line", ["4000", " 4000 ", "4.000", "4,000", "4 000", "4_000"])
def test_thousands_may_be_separated(line: str) -> None:
    assert _typed(line).state.figures == {"posts": 4000}


@pytest.mark.parametrize(
    "line", ["twelve", "-3", "+3", "12 posts", "3e2", "1000000001", "?", "help"]
)
def test_a_bad_number_is_refused_with_why_and_changes_nothing(line: str) -> None:
    asked = _typed("12").state
    refused = figures_flow.typed(asked, line, METRICS, WEEK)
    assert refused.state == asked
    assert refused.effects == ()
    assert _said(refused) == (
        "Enter a whole number from 0 to a billion. 2/6 Reach (people who saw the posts)?"
    )


def test_a_bad_number_is_refused_in_dutch_for_a_dutch_speaker() -> None:
    refused = _typed("veel", language=Language.NL)
    assert refused.state.figures == {}
    assert "Vul een heel getal in van 0 tot een miljard." in _said(refused)


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
        "Saved for 2026-11-16 to 2026-11-22. Engagement rate: 5.0% (engagements / reach)."
    )


def test_without_reach_the_saved_week_names_no_rate() -> None:
    finished = _typed("12", "-", "200", "-", "-", "-", language=Language.NL)
    assert _said(finished) == "Opgeslagen voor 2026-11-16 tot en met 2026-11-22."


def test_the_week_recorded_is_the_one_passed_when_finishing() -> None:
    """The runner passes the desk's week on every turn; a week that turned over since the
    person began is the one their figures are for."""
    halfway = _typed("1", "2", "3", "4", "5").state
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


@pytest.mark.parametrize("line", ["stop", "Stop", " STOP ", "pauze", "pause"])
def test_stopping_halfway_keeps_nothing(line: str) -> None:
    stopped = _typed("12", "4000", line)
    assert stopped.effects == ()
    assert stopped.state == DialogState(language=Language.EN)
    assert _said(stopped) == "Stopped; nothing was saved."


def test_stopping_in_dutch_says_so_in_dutch() -> None:
    stopped = _typed("12", "stop", language=Language.NL)
    assert _said(stopped) == "Gestopt; er is niets opgeslagen."


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
    halfway = _typed("1", "2", "3", "4", "5").state
    short = (Metric.POSTS, Metric.REACH)
    finished = figures_flow.typed(halfway, "60", short, WEEK)
    (effect,) = finished.effects
    assert isinstance(effect, RecordFigures)
    assert effect.entry.values[Metric.REACH] == 60
