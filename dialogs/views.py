"""Pure views: domain values in, neutral replies out."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs import phrases, prompts
from dialogs.events import Command, CommandInvoked
from dialogs.messages import (
    Actions,
    Bar,
    Bullets,
    Button,
    Chart,
    Choice,
    ChoicePrompt,
    Facts,
    Heading,
    Paragraph,
    Progress,
    Reply,
)
from dialogs.records import Scan
from engine.advice import Advice, Answer
from engine.bank import DONT_KNOW, QuestionBank
from engine.labels import decimal, label, phase_name
from engine.plan import Plan
from engine.scoring import (
    MINIMUM_ASSESSED,
    DimensionScore,
    Named,
    OrgResult,
    Profile,
    Withheld,
    profile,
)
from engine.sheet import AnswerSheet
from engine.vocabulary import Dimension, Language


def question(
    bank: QuestionBank,
    position: int,
    sheet: AnswerSheet,
    language: Language,
    *,
    scan_id: int | None = None,
) -> Reply:
    """The question at `position`, its buttons bound to scan `scan_id` (None: to no scan, for a
    preview; such a click answers only the question the person is on)."""
    if position >= len(bank):
        return (Paragraph(phrases.SCAN_ALREADY_DONE(language)),)
    item = bank.questions[position]
    choices = (
        *(
            Choice(id=option.id, label=option.label(language), detail=option.text(language))
            for option in item.options
        ),
        Choice(id=DONT_KNOW, label=phrases.DONT_KNOW(language)),
    )
    hint = phrases.PICK_SEVERAL if item.kind.multiple else phrases.PICK_ONE
    return (
        Progress(
            current=position + 1,
            total=len(bank),
            label=phrases.PROGRESS(language).format(current=position + 1, total=len(bank)),
        ),
        ChoicePrompt(
            prompt_id=item.id if scan_id is None else prompts.prompt_id(scan_id, item.id),
            text=item.prompt(language),
            choices=choices,
            multiple=item.kind.multiple,
            selected=sheet.get(item.id) or (),
            hint=hint(language),
            back_label=phrases.BACK(language),
            pause_label=phrases.PAUSE(language),
            submit_label=phrases.SUBMIT(language),
        ),
    )


def finished(bank: QuestionBank, sheet: AnswerSheet, language: Language) -> Reply:
    return (Heading(phrases.DONE_TITLE(language)), *own_profile(profile(bank, sheet), language))


def my_scan(
    scan: Scan | None, sheet: AnswerSheet, completed: bool, bank: QuestionBank, language: Language
) -> Reply:
    """Where a person stands in the running scan (never anyone else)."""
    heading = Heading(phrases.MY_SCAN_TITLE(language))
    if scan is None:
        return (heading, Paragraph(phrases.MY_SCAN_NONE(language)))
    if completed:
        return (heading, Paragraph(phrases.MY_SCAN_DONE(language).format(number=scan.number)))
    answered = sum(1 for question in bank if sheet.get(question.id) is not None)
    if not answered:
        return (heading, Paragraph(phrases.MY_SCAN_WAITING(language).format(number=scan.number)))
    partway = phrases.MY_SCAN_PARTWAY(language, len(bank), number=scan.number, answered=answered)
    return (heading, Paragraph(partway))


def own_profile(mine: Profile, language: Language) -> Reply:
    """A respondent's own phase and profile: theirs to see, no one else's."""
    unknown = phrases.UNKNOWN(language)
    summary = (
        phrases.YOUR_PHASE(language).format(phase=phase_name(mine.overall, language))
        if mine.overall is not None
        else phrases.YOUR_PHASE_UNKNOWN(language).format(minimum=MINIMUM_ASSESSED)
    )
    rows = tuple(
        (label(d, language), str(int(p)) if p is not None else unknown)
        for d, p in mine.dimensions.items()
    )
    return (
        Heading(phrases.YOUR_PROFILE(language)),
        Paragraph(summary),
        Facts(rows),
        Paragraph(phrases.YOUR_ANSWERS_PRIVATE(language)),
    )


def org_result(scan: Scan | None, result: OrgResult | Withheld | None, language: Language) -> Reply:
    """The organisation's result; nothing of a group below the anonymity threshold."""
    if scan is None or result is None:
        return (Paragraph(phrases.ORG_NO_SCAN(language)),)
    if isinstance(result, Withheld):
        return (
            Heading(phrases.ORG_TITLE(language)),
            Paragraph(
                phrases.ORG_TOO_FEW(
                    language, result.respondents, number=scan.number, threshold=result.threshold
                )
            ),
        )
    return (
        Heading(phrases.ORG_TITLE(language)),
        _headline_facts(scan, result, language),
        *_no_phase(result, language),
        *_profile_chart(result, language),
        *_unrated(result, language),
        *_segments(result, language),
        *_role_gaps(result, language),
        *_changes(result, language),
        *_context(result, language),
    )


def _headline_facts(scan: Scan, result: OrgResult, language: Language) -> Facts:
    number = (
        phrases.ORG_SCAN_BASELINE(language).format(number=scan.number)
        if scan.is_baseline
        else str(scan.number)
    )
    rows = [
        (phrases.ORG_SCAN(language), number),
        (phrases.ORG_RESPONDENTS(language), str(result.respondents)),
    ]
    if result.overall is not None:
        rows.append((phrases.ORG_PHASE(language), phase_name(result.overall, language)))
    if result.progress is not None:
        rows.append((phrases.ORG_PROGRESS(language), f"{round(result.progress * 100)}%"))
    if result.limiting:
        rows.append((phrases.ORG_LIMITING(language), _names(result.limiting, language)))
    return Facts(tuple(rows))


def _profile_chart(result: OrgResult, language: Language) -> Reply:
    if not result.dimensions:
        return ()
    bars = tuple(
        Bar(
            label=label(d, language),
            value=score.median,
            note=_dimension_note(score, language),
            figure=decimal(score.median, language),
        )
        for d, score in result.dimensions.items()
    )
    return (Chart(title=phrases.PROFILE_CHART(language), bars=bars),)


def _dimension_note(score: DimensionScore, language: Language) -> str:
    """How many rated it and how many did not know; when the latter are a few, neither: the
    one count follows from the other and the respondents."""
    agreement = round(score.agreement * 100)
    if score.shown_n is None:
        return phrases.DIMENSION_NOTE_FEW_UNSURE(language).format(agreement=agreement)
    return phrases.DIMENSION_NOTE(language).format(
        n=score.n, agreement=agreement, dont_know=round(score.dont_know * 100)
    )


def _no_phase(result: OrgResult, language: Language) -> Reply:
    """Without enough dimensions there is no phase, and the result says what is missing."""
    if result.overall is not None:
        return ()
    return (
        Paragraph(
            phrases.ORG_NO_PHASE(
                language, len(result.dimensions), minimum=result.minimum, total=len(Dimension)
            )
        ),
    )


def _unrated(result: OrgResult, language: Language) -> Reply:
    if not result.unrated:
        return ()
    return (Paragraph(phrases.UNRATED(language).format(areas=_names(result.unrated, language))),)


def _segments(result: OrgResult, language: Language) -> Reply:
    rows = tuple(
        (
            label(segment.role, language).capitalize(),
            phrases.SEGMENT_ROW(language).format(
                phase=int(segment.overall) if segment.overall else "-", n=segment.n
            ),
        )
        for segment in result.segments
    )
    hidden = Paragraph(phrases.SEGMENTS_HIDDEN(language).format(threshold=result.threshold))
    if not rows:
        return (hidden,)
    return (Heading(phrases.SEGMENTS_TITLE(language)), Facts(rows), hidden)


def _role_gaps(result: OrgResult, language: Language) -> Reply:
    if not result.role_gaps:
        return ()
    rows = tuple(
        (
            label(gap.dimension, language) if gap.dimension else phrases.OVERALL(language),
            phrases.ROLE_GAP_ROW(language).format(
                management=_number(gap.management, language),
                employees=_number(gap.employees, language),
            ),
        )
        for gap in result.role_gaps
    )
    return (Heading(phrases.ROLE_GAP_TITLE(language)), Facts(rows))


def _changes(result: OrgResult, language: Language) -> Reply:
    if not result.changes:
        return ()
    rows = tuple(
        (
            label(change.dimension, language),
            f"{_number(change.before, language)} → {_number(change.after, language)} "
            f"({'+' if change.delta >= 0 else '-'}{decimal(abs(change.delta), language)})",
        )
        for change in result.changes
    )
    return (Heading(phrases.CHANGES_TITLE(language)), Facts(rows))


def _context(result: OrgResult, language: Language) -> Reply:
    rows = [
        (title(language), ", ".join(_mention(named, language) for named in mentions))
        for title, mentions in (
            (phrases.OBSTACLES, result.obstacles),
            (phrases.OBJECTIVES, result.objectives),
            (phrases.GOALS, result.goals),
        )
        if mentions
    ]
    return (Heading(phrases.CONTEXT_TITLE(language)), Facts(tuple(rows))) if rows else ()


def _mention(named: Named[Any], language: Language) -> str:
    """A term with how many named it; "a few" or "all but a few" where a count, of those who
    named it or of those who did not, would count fewer than the threshold."""
    if named.count is not None:
        count = str(named.count)
    else:
        count = phrases.NEARLY_ALL(language) if named.nearly_all else phrases.A_FEW(language)
    return f"{label(named.term, language)} ({count})"


def plan(the_plan: Plan, language: Language) -> Reply:
    here = phase_name(the_plan.phase, language)
    title = (
        phrases.PLAN_TITLE(language).format(
            phase=here, target=phase_name(the_plan.target, language)
        )
        if the_plan.target is not None
        else phrases.PLAN_TITLE_TOP(language).format(phase=here)
    )
    steps = tuple(
        f"{number}. "
        + phrases.PLAN_STEP(language).format(
            title=step.title(language),
            dimension=label(step.dimension, language),
            owner=label(step.owner, language),
        )
        for number, step in enumerate(the_plan.steps, start=1)
    )
    tasks = tuple(
        f"{number}. "
        + phrases.PLAN_TASK(language).format(
            title=task.template.title(language),
            cadence=task.cadence.label(language),
            owner=label(task.owner, language),
        )
        for number, task in enumerate(the_plan.tasks, start=len(steps) + 1)
    )
    adopt = Button(
        phrases.BUTTON_ADOPT(language), CommandInvoked(Command.ADOPT), phrases.TYPED_ADOPT(language)
    )
    return (
        Heading(title),
        Heading(phrases.PLAN_STEPS(language)),
        Bullets(steps) if steps else Paragraph(phrases.PLAN_NO_STEPS(language)),
        Heading(phrases.PLAN_TASKS(language)),
        Bullets(tasks),
        Paragraph(phrases.PLAN_ADOPT(language)),
        Actions((adopt,)),
    )


def advice(the_advice: Advice, language: Language) -> Reply:
    blocks: list[Heading | Paragraph | Bullets] = [
        Heading(phrases.ADVICE_TITLE(language)),
        Paragraph(the_advice.headline),
    ]
    if the_advice.outlook is not None:
        blocks.append(Paragraph(the_advice.outlook))
    if the_advice.reasons:
        blocks += [Heading(phrases.ADVICE_WHY(language)), Bullets(the_advice.reasons)]
    if the_advice.actions:
        blocks += [Heading(phrases.ADVICE_DO(language)), Bullets(the_advice.actions)]
    return tuple(blocks)


def answer(the_answer: Answer, language: Language) -> Reply:
    if not the_answer.matched:
        return (
            Paragraph(phrases.NO_MATCH(language)),
            Bullets(tuple(topic.title(language) for topic in the_answer.known)),
        )
    best, *others = the_answer.topics
    return (
        Heading(best.title(language)),
        Paragraph(best.answer(language)),
        *(
            Paragraph(phrases.ALSO_RELEVANT(language).format(title=t.title(language)))
            for t in others
        ),
    )


def participation(
    running: Scan,
    completed: int,
    language: Language,
    *,
    invited: int | None = None,
    closes: str | None = None,
    earlier: Scan | None = None,
    how_to_close: str | None = None,
) -> Reply:
    """A running scan: how many have completed it, never its result.

    Business rules:
    - The organisation's result appears only when the scan closes: scored after each new
      respondent, two results in a row would differ by exactly that person's answers.
    - The count of people invited is shown where the scan was launched (`invited`), the
      closing moment where the launch has a deadline (`closes`).
    - When an earlier scan closed (`earlier`), its result follows this view: this says so.
    """
    counts = phrases.PARTICIPATION_COMPLETED(language, completed)
    if invited is not None:
        counts += " " + phrases.PARTICIPATION_INVITED(language, invited)
    when = (
        phrases.RESULT_AT_CLOSING_ON(language).format(deadline=closes)
        if closes
        else phrases.RESULT_AT_CLOSING(language)
    )
    blocks: list[Heading | Paragraph] = [
        Heading(phrases.SCAN_RUNNING_TITLE(language).format(number=running.number)),
        Paragraph(counts),
        Paragraph(when),
    ]
    if how_to_close:
        blocks.append(Paragraph(how_to_close))
    if earlier is not None:
        blocks.append(Paragraph(phrases.EARLIER_RESULT(language).format(number=earlier.number)))
    return tuple(blocks)


def moment(at: datetime, zone: str) -> str:
    """A moment as people read it where they are: ``2026-05-01 17:00``."""
    return f"{at.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}"


def help_text(language: Language) -> Reply:
    return (
        Heading(phrases.HELP_TITLE(language)),
        Bullets(
            tuple(item(language) for item in (*phrases.HELP_ITEMS, *phrases.RIGHTS_HELP_ITEMS))
        ),
    )


def _names(dimensions: tuple[Dimension, ...], language: Language) -> str:
    return ", ".join(label(d, language) for d in dimensions)


def _number(value: float, language: Language) -> str:
    return decimal(value, language, keep_zero=False)
