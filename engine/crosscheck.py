"""Perception against practice: the phase people give their way of working, beside how
consistently the team actually posted.

Business rule: from phase 2 (basic publishing) the SSRM expects a fixed posting rhythm. When
people rate the way of working at phase 2 or higher but fewer than three in four of the posting
occurrences of the last 8 weeks were done on time, the project manager is told: the rating and
the practice disagree. With fewer than 4 posting occurrences there is too little to say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from engine.scoring import OrgResult
from engine.tasks import Consistency, team_consistency
from engine.vocabulary import Dimension, Phase

WEEKS = 8
ENOUGH = 4
EXPECTED_SHARE = 0.75


@dataclass(frozen=True)
class PostingCheck:
    perceived: Phase
    posting: Consistency

    @property
    def disagrees(self) -> bool:
        share = self.posting.share
        return (
            self.perceived >= Phase.BASIC_PUBLISHING
            and share is not None
            and share < EXPECTED_SHARE
        )


def posting_check(result: OrgResult, posting: Iterable[Consistency]) -> PostingCheck | None:
    """The check, given the posting tasks' consistency over the last `WEEKS` weeks; None when
    way of working was not rated or too few posts were due to judge."""
    rated = result.dimensions.get(Dimension.WAY_OF_WORKING)
    together = team_consistency(posting, WEEKS)
    if rated is None or together.counted < ENOUGH:
        return None
    return PostingCheck(rated.phase, together)
