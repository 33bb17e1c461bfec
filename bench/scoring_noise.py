"""How often an organisation keeps its phase when its people answer with noise.

Run: .venv/bin/python bench/scoring_noise.py [--trials N] [--noise P] [--seed S]

Each trial draws an organisation whose people are truly at a profile; every answer slips one
phase with chance P (half up, half down; never past phase 1 or 5). It prints, per organisation,
the share of trials in which the scored phase is the true phase, one lower and one higher, for
the advisor's rule (engine/scoring.py) and, as the reference in the same run, the rule it
replaced: the lower of a person's answers, then the lower middle person. The true phase is the
gate (the weakest link) applied to the true profile. docs/scoring.md quotes these figures.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine.bank import QuestionBank, default_bank
from engine.scoring import OrgResult, gated_phase, profile, score
from engine.sheet import AnswerSheet
from engine.simulation import noisy_respondent
from engine.vocabulary import Dimension, Phase

THRESHOLD = 5
Rule = Callable[[QuestionBank, Sequence[AnswerSheet]], Phase | None]


@dataclass(frozen=True)
class Organisation:
    name: str
    people: int
    profile: tuple[int, ...]
    """The true phase per dimension, in the model's order."""

    @property
    def phases(self) -> dict[Dimension, int]:
        return dict(zip(Dimension, self.profile, strict=True))

    @property
    def truth(self) -> Phase:
        return gated_phase({d: Phase(p) for d, p in self.phases.items()})


def advisor_rule(bank: QuestionBank, sheets: Sequence[AnswerSheet]) -> Phase | None:
    result = score(bank, sheets, threshold=THRESHOLD)
    return result.overall if isinstance(result, OrgResult) else None


def old_rule(bank: QuestionBank, sheets: Sequence[AnswerSheet]) -> Phase | None:
    """The rule before issue 13: lower median of a person's answers, then of the people."""

    def lower_median(values: list[int]) -> int:
        return sorted(values)[(len(values) - 1) // 2]

    phases: dict[Dimension, Phase] = {}
    for dimension in Dimension:
        people = []
        for sheet in sheets:
            mine = [
                option.phase
                for question in bank.phase_questions(dimension)
                if (chosen := sheet.get(question.id))
                and (option := question.option(chosen[0])) is not None
                and option.phase is not None
            ]
            if mine:
                people.append(lower_median(mine))
        if len(people) >= THRESHOLD:
            phases[dimension] = Phase(lower_median(people))
    return gated_phase(phases) if phases else None


def trials(
    bank: QuestionBank, organisation: Organisation, rule: Rule, count: int, noise: float, seed: int
) -> Counter[str]:
    rng = random.Random(seed)
    outcomes: Counter[str] = Counter()
    for _ in range(count):
        sheets = [
            noisy_respondent(bank, organisation.phases, noise, rng)
            for _ in range(organisation.people)
        ]
        scored = rule(bank, sheets)
        if scored is None:
            outcomes["none"] += 1
        elif scored == organisation.truth:
            outcomes["same"] += 1
        else:
            outcomes["lower" if scored < organisation.truth else "higher"] += 1
    return outcomes


def respondent_errors(bank: QuestionBank, count: int, noise: float, seed: int) -> Counter[int]:
    """Per respondent and dimension, truly at phases 2 to 4: how often rated one lower/higher."""
    rng = random.Random(seed)
    errors: Counter[int] = Counter()
    for _ in range(count):
        truth = {d: rng.randint(2, 4) for d in Dimension}
        mine = profile(bank, noisy_respondent(bank, truth, noise, rng))
        for dimension, rated in mine.dimensions.items():
            if rated is not None:
                errors[max(-1, min(1, rated - truth[dimension]))] += 1
    return errors


ORGANISATIONS = (
    *(Organisation(f"uniform {p}", people, (p,) * 6) for people in (6, 30) for p in range(1, 6)),
    Organisation("mixed 2/1/2/4/2/2", 6, (2, 1, 2, 4, 2, 2)),
    Organisation("mixed 3/3/4/2/3/3", 6, (3, 3, 4, 2, 3, 3)),
    Organisation("mixed 4/4/4/4/4/2", 6, (4, 4, 4, 4, 4, 2)),
    Organisation("mixed 2/1/2/4/2/2", 30, (2, 1, 2, 4, 2, 2)),
    Organisation("mixed 3/3/4/2/3/3", 30, (3, 3, 4, 2, 3, 3)),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--noise", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    bank = default_bank()

    errors = respondent_errors(bank, args.trials * 5, args.noise, args.seed)
    total = sum(errors.values())
    print(
        f"respondent x dimension (truly 2 to 4), noise {args.noise:.0%}: "
        f"one lower {errors[-1] / total:.2%}, one higher {errors[1] / total:.2%} (n={total})"
    )
    print(
        f"\n{'organisation':<20}{'people':>7}{'truth':>6}   "
        f"{'advisor: same  lower higher  none':<36}{'old rule: same  lower higher':<30}"
    )
    for organisation in ORGANISATIONS:
        new = trials(bank, organisation, advisor_rule, args.trials, args.noise, args.seed)
        old = trials(bank, organisation, old_rule, args.trials, args.noise, args.seed)

        def share(outcomes: Counter[str], key: str) -> str:
            return f"{outcomes[key] / args.trials:7.1%}"

        print(
            f"{organisation.name:<20}{organisation.people:>7}{int(organisation.truth):>6}   "
            f"{share(new, 'same')}{share(new, 'lower')}{share(new, 'higher')}"
            f"{share(new, 'none')}      "
            f"{share(old, 'same')}{share(old, 'lower')}{share(old, 'higher')}"
        )


if __name__ == "__main__":
    main()
