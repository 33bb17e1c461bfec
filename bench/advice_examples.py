"""The full advice for three contrasting simulated organisations, in Dutch and English.

Run: .venv/bin/python bench/advice_examples.py [--lang nl|en]

Each organisation is a seeded crowd of simulated respondents (engine/simulation.py) answering
the shipped bank; the advice is what the project manager reads after `advies`/`advice`:
the headline, what the next phase brings, the reasons with their figures, and the actions.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

from engine.advice import advise
from engine.advice_base import default_advice_base
from engine.bank import default_bank
from engine.plan import make_plan
from engine.plan_catalogue import default_plan_catalogue
from engine.scoring import OrgResult, score
from engine.simulation import Persona, crowd
from engine.vocabulary import Dimension, Language, Role

THRESHOLD = 5


@dataclass(frozen=True)
class Example:
    name: str
    personas: Sequence[tuple[Persona, int]]
    seed: int


def _at(phase: int, **other: int) -> dict[Dimension, int]:
    return {d: other.get(d.value, phase) for d in Dimension}


EXAMPLES = (
    Example(
        "Starting out, 'no time' named widely",
        (
            (
                Persona(
                    Role.MANAGEMENT,
                    _at(2, way_of_working=1, technology=1, impact=1),
                    obstacles=("no_time", "unclear_roi"),
                    goals=("findability",),
                ),
                4,
            ),
            (
                Persona(
                    Role.EMPLOYEE,
                    _at(2, way_of_working=1, technology=1, impact=1, support=1),
                    obstacles=("no_time",),
                    objectives=("talking",),
                ),
                7,
            ),
        ),
        seed=3,
    ),
    Example(
        "Practice at 4, management support at 2, management and employees apart",
        (
            (
                Persona(
                    Role.MANAGEMENT,
                    _at(4, support=3),
                    obstacles=("no_support", "no_time"),
                    goals=("engagement",),
                ),
                6,
            ),
            (
                Persona(
                    Role.EMPLOYEE,
                    _at(4, support=1),
                    obstacles=("no_support",),
                    objectives=("energizing",),
                ),
                8,
            ),
        ),
        seed=5,
    ),
    Example(
        "Performance-driven",
        (
            (
                Persona(
                    Role.MANAGEMENT,
                    _at(5),
                    unsure=0.0,
                    obstacles=("unclear_roi",),
                    goals=("sales",),
                ),
                5,
            ),
            (
                Persona(
                    Role.EMPLOYEE,
                    _at(5),
                    unsure=0.0,
                    obstacles=("unclear_roi", "no_time"),
                    objectives=("listening",),
                ),
                7,
            ),
        ),
        seed=7,
    ),
)


def _figures(result: OrgResult) -> str:
    medians = ", ".join(f"{d.value} {s.median:.1f}" for d, s in result.dimensions.items())
    return f"{result.respondents} respondents, phase {result.overall}; medians: {medians}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=[language.value for language in Language])
    arguments = parser.parse_args()
    languages = [Language(arguments.lang)] if arguments.lang else list(Language)
    bank, catalogue, base = default_bank(), default_plan_catalogue(), default_advice_base()
    for example in EXAMPLES:
        result = score(bank, crowd(bank, example.personas, example.seed), threshold=THRESHOLD)
        assert isinstance(result, OrgResult), "every example reaches the threshold"
        assert result.overall is not None, "every example has enough dimensions for a phase"
        plan = make_plan(result, catalogue)
        print(f"## {example.name}")
        print(f"({_figures(result)})")
        for language in languages:
            advice = advise(result, plan, catalogue, base, language)
            print(f"\n### {language.value}\n")
            print(advice.headline)
            if advice.outlook:
                print(advice.outlook)
            print()
            for reason in advice.reasons:
                print(f"- {reason}")
            print()
            for action in advice.actions:
                print(f"* {action}")
        print()


if __name__ == "__main__":
    main()
