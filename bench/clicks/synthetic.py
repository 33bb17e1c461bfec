"""A synthetic scan question for the floor and ack apps: the shape and size of the advisor's."""

from __future__ import annotations

from typing import Any

CHOICE_ACTION = "choice"
OPTIONS = 6
QUESTIONS = 16
"""As many as the advisor's bank asks, so a synthetic person clicks through as many."""


def question_blocks(number: int) -> list[dict[str, Any]]:
    """Question `number`'s message, shaped as the advisor's: progress, the question with each
    option described, a hint, a row of answer buttons, and back and pause."""
    described = "\n".join(
        f"*{option + 1}.* Answer {option + 1} in a few words \u2014 A sentence or two that says"
        " what this answer means in practice, so that everyone reads it alike."
        for option in range(OPTIONS)
    )
    buttons = [
        {
            "type": "button",
            "action_id": f"{CHOICE_ACTION}:{option}",
            "text": {"type": "plain_text", "text": f"Answer {option + 1} in a few words"},
            "value": f"q{number}|o{option}",
        }
        for option in range(OPTIONS)
    ]
    navigation = [
        {
            "type": "button",
            "action_id": f"nav:{name}",
            "text": {"type": "plain_text", "text": name.title()},
            "value": f"q{number}",
        }
        for name in ("back", "pause")
    ]
    progress = "\u25b0" * (number + 1) + "\u25b1" * (QUESTIONS - number - 1)
    return [
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": f"Question {number + 1} of {QUESTIONS}  {progress}"}
            ],
        },
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*How far along is the organisation with practice {number + 1}?*\n\n"
                + described,
            },
        },
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Pick the answer that fits best."}],
        },
        {"type": "actions", "elements": buttons},
        {"type": "actions", "elements": navigation},
    ]


def parse_value(value: str) -> tuple[str, str]:
    """A button's value ``q<n>|o<k>`` as (question id, option id)."""
    question, _, option = value.partition("|")
    return question, option


def next_blocks(question: str) -> list[dict[str, Any]]:
    """The message that replaces question `question` once it is answered: the next one, or
    after the last a thank-you without buttons, as the advisor's scan ends."""
    number = int(question.removeprefix("q") or 0) + 1
    if number >= QUESTIONS:
        return [{"type": "section", "text": {"type": "mrkdwn", "text": "Thank you: all done."}}]
    return question_blocks(number)
