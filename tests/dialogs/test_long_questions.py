"""A question far longer than a question is answered by its opening."""

from __future__ import annotations

from dialogs.advisor import MAX_QUESTION_CHARACTERS
from dialogs.events import TextReceived
from engine.vocabulary import Language
from tests.dialogs.conftest import World


async def test_a_question_of_slacks_greatest_length_is_answered_by_its_opening(
    world: World,
) -> None:
    opening = "How do we measure the ROI of our social media posts? "
    padded = opening + "x" * (MAX_QUESTION_CHARACTERS - len(opening))
    advisor, key = world.advisor(), world.key("ann")

    about_something_else = " ambassadors training employees" * 1000
    long = await advisor.handle(
        key, TextReceived(padded + about_something_else), language=Language.EN
    )
    short = await advisor.handle(key, TextReceived(padded), language=Language.EN)

    assert long == short
