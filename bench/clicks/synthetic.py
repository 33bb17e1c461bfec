"""A synthetic scan question for the floor and ack apps: the shape and size of the advisor's."""

from __future__ import annotations

from typing import Any

CHOICE_ACTION = "choice"
OPTIONS = 5
QUESTIONS = 16
"""As many as the advisor's bank asks, so a synthetic person clicks through as many."""


def question_blocks(number: int) -> list[dict[str, Any]]:
    """Question `number`'s message: a heading, the question, and a row of answer buttons."""
    buttons = [
        {
            "type": "button",
            "action_id": f"{CHOICE_ACTION}:{option}",
            "text": {"type": "plain_text", "text": f"Option {option}: a typical answer's words"},
            "value": f"q{number}|o{option}",
        }
        for option in range(OPTIONS)
    ]
    return [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Question {number + 1}"}]},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*Question {number + 1}.* How far along is the organisation with the"
                " practice this question is about, as you see it from your own role?",
            },
        },
        {"type": "actions", "elements": buttons},
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
