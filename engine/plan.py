"""The plan: one-off steps towards the next phase and the always-on tasks that fit the phase."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.plan_catalogue import Cadence, PlanCatalogue, StepTemplate, TaskTemplate
from engine.scoring import OrgResult
from engine.vocabulary import Dimension, Phase, Role

MAX_STEPS = 6
"""A plan people act on stays short; the rest follows from the next scan."""


@dataclass(frozen=True)
class PlannedTask:
    template: TaskTemplate
    cadence: Cadence

    @property
    def owner(self) -> Role:
        return self.template.owner


@dataclass(frozen=True)
class Plan:
    phase: Phase
    target: Phase | None
    """The next phase; None once an organisation is performance-driven."""
    focus: tuple[Dimension, ...]
    steps: tuple[StepTemplate, ...]
    tasks: tuple[PlannedTask, ...]


def make_plan(result: OrgResult, catalogue: PlanCatalogue) -> Plan:
    """Steps lift the limiting dimensions first, then every other dimension below the target.

    - A dimension below the target gets the steps towards its own next phase, so a dimension
      two phases behind is lifted one phase at a time.
    - Of those steps, the ones written for where the rest of the organisation stands
      (`standing`): a lagging dimension in an organisation that is further on gets what it
      needs there, never a step meant for an organisation starting out.
    - Management support goes first among equals, being the precondition for everything else.
    """
    if result.overall is None:
        raise ValueError("a plan needs an overall phase; this result has too few dimensions")
    phase = result.overall
    target = phase.next()
    phases = {d: s.phase for d, s in result.dimensions.items()}
    behind = (
        sorted(
            (d for d, p in phases.items() if p < target),
            key=lambda d: (
                d not in result.limiting,
                phases[d],
                d is not Dimension.SUPPORT,
                list(Dimension).index(d),
            ),
        )
        if target is not None
        else []
    )
    steps: list[StepTemplate] = []
    for dimension in behind:
        steps.extend(
            catalogue.steps_towards(
                dimension, Phase(phases[dimension] + 1), standing(phases, dimension, phase)
            )
        )
    tasks = tuple(
        PlannedTask(template=task, cadence=task.cadence_for(phase))
        for task in catalogue.tasks
        if task.from_phase <= phase
    )
    return Plan(
        phase=phase,
        target=target,
        focus=result.limiting,
        steps=tuple(steps[:MAX_STEPS]),
        tasks=tasks,
    )


def standing(phases: Mapping[Dimension, Phase], dimension: Dimension, overall: Phase) -> Phase:
    """Where the rest of the organisation stands, seen from `dimension`: the highest phase
    that more than half of the other dimensions reach, and never below the overall phase.

    Management support at 2 in an organisation whose five other dimensions are at 4 stands
    at 4: what it needs is what an organisation at phase 4 needs from its management.
    """
    others = sorted(p for d, p in phases.items() if d is not dimension)
    if not others:
        return overall
    return max(overall, others[(len(others) - 1) // 2])
