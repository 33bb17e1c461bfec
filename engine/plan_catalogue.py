"""The plan catalogue: phase profiles, one-off steps and always-on tasks, as validated data."""

from __future__ import annotations

from functools import cache
from typing import Any

from dateutil.rrule import rrulestr
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from engine.catalogue import CatalogueError, parse_yaml, read_packaged, validate_item
from engine.text import Text
from engine.vocabulary import Dimension, Phase, Role, TaskKind


class PhaseProfile(BaseModel):
    """What a phase looks like, how people recognise it, and why to take the next step."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    phase: Phase
    summary: Text
    recognisable: Text
    why_next: Text | None = None


class StepTemplate(BaseModel):
    """A one-off step that lifts one dimension to `to_phase`, written for an organisation
    whose other dimensions stand at a phase within `standing` (first and last).

    A dimension that lags behind the rest needs what its next phase asks, said for where the
    organisation stands: management support at 2 in an organisation otherwise at 4 needs
    backing for the ambassadors it already has, not a first pilot.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    dimension: Dimension
    to_phase: Phase
    standing: tuple[Phase, Phase] = (Phase.AD_HOC, Phase.PERFORMANCE_DRIVEN)
    owner: Role = Role.PROJECT_TEAM
    title: Text
    why: Text

    @field_validator("to_phase")
    @classmethod
    def _not_first(cls, phase: Phase) -> Phase:
        if phase is Phase.AD_HOC:
            raise ValueError("a step leads to phase 2 or higher")
        return phase

    @model_validator(mode="after")
    def _standing_can_occur(self) -> StepTemplate:
        first, last = self.standing
        if first > last:
            raise ValueError("standing runs from the first to the last phase, lowest first")
        if last < self.to_phase - 1:
            raise ValueError(
                "standing ends below the dimension's own phase: the rest of an organisation "
                "that needs this step stands at least where the dimension does"
            )
        return self

    def fits(self, standing: Phase) -> bool:
        return self.standing[0] <= standing <= self.standing[1]


class Cadence(BaseModel):
    """How often a task recurs: an iCalendar RRULE and a readable label."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    label: Text

    @field_validator("rule")
    @classmethod
    def _valid_rule(cls, rule: str) -> str:
        try:
            rrulestr(rule, ignoretz=True)
        except (ValueError, TypeError) as error:
            raise ValueError(f"not a valid RRULE: {error}") from error
        return rule


class TaskTemplate(BaseModel):
    """An always-on task; `cadences` maps the phase from which a cadence applies to it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: TaskKind
    owner: Role
    from_phase: Phase = Phase.AD_HOC
    title: Text
    description: Text
    cadences: dict[Phase, Cadence] = Field(min_length=1)

    @model_validator(mode="after")
    def _cadence_from_start(self) -> TaskTemplate:
        if min(self.cadences) > self.from_phase:
            raise ValueError("the first cadence must apply from the task's from_phase")
        return self

    def cadence_for(self, phase: Phase) -> Cadence:
        applicable = [p for p in self.cadences if p <= phase]
        return self.cadences[max(applicable)] if applicable else self.cadences[min(self.cadences)]


class PlanCatalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    phases: tuple[PhaseProfile, ...]
    steps: tuple[StepTemplate, ...]
    tasks: tuple[TaskTemplate, ...]

    @model_validator(mode="after")
    def _complete(self) -> PlanCatalogue:
        if sorted(profile.phase for profile in self.phases) != list(Phase):
            raise ValueError("phases must describe each of the five phases once")
        for dimension in Dimension:
            for phase in list(Phase)[1:]:
                for standing in (p for p in Phase if p >= phase - 1):
                    if not self.steps_towards(dimension, phase, standing):
                        raise ValueError(
                            f"no step leads {dimension} to phase {int(phase)} in an "
                            f"organisation standing at phase {int(standing)}"
                        )
        missing = set(TaskKind) - {TaskKind.STEP} - {task.kind for task in self.tasks}
        if missing:
            raise ValueError(f"no task of kind {', '.join(sorted(missing))}")
        return self

    def profile(self, phase: Phase) -> PhaseProfile:
        return next(profile for profile in self.phases if profile.phase is phase)

    def steps_towards(
        self, dimension: Dimension, phase: Phase, standing: Phase
    ) -> tuple[StepTemplate, ...]:
        """The steps that lift `dimension` to `phase` where the rest stands at `standing`."""
        return tuple(
            s
            for s in self.steps
            if s.dimension is dimension and s.to_phase is phase and s.fits(standing)
        )


def parse_plan_catalogue(raw: str, source: str) -> PlanCatalogue:
    data: Any = parse_yaml(raw, source)
    if not isinstance(data, dict):
        raise CatalogueError(f"{source}: expected a mapping with phases, steps and tasks")
    items: dict[str, list[Any]] = {}
    for section, model in (
        ("phases", PhaseProfile),
        ("steps", StepTemplate),
        ("tasks", TaskTemplate),
    ):
        entries = data.get(section)
        if not isinstance(entries, list):
            raise CatalogueError(f"{source}: '{section}' must be a list")
        items[section] = [
            validate_item(model, entry, source=source, item=_name(section, entry, i))
            for i, entry in enumerate(entries)
        ]
    return validate_item(PlanCatalogue, items, source=source, item="the catalogue")


def _name(section: str, entry: Any, position: int) -> str:
    key = entry.get("id", entry.get("phase")) if isinstance(entry, dict) else None
    return f"{section[:-1]} '{key}'" if key is not None else f"{section[:-1]} #{position + 1}"


@cache
def default_plan_catalogue() -> PlanCatalogue:
    return parse_plan_catalogue(*read_packaged("plan.yaml"))
