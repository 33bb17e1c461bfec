"""The launch modal, in the project manager's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs import phrases
from engine.vocabulary import Language

LAUNCH_CALLBACK = "launch"
AUDIENCE, DEADLINE, THRESHOLD, REPORT = "audience", "deadline", "threshold", "report"


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:150]}


def launch_modal(language: Language, threshold: int) -> dict[str, Any]:
    def field(
        block: str, label: phrases.Text, element: dict[str, Any], optional: bool
    ) -> dict[str, Any]:
        return {
            "type": "input",
            "block_id": block,
            "optional": optional,
            "label": _plain(label(language)),
            "element": {**element, "action_id": block},
        }

    return {
        "type": "modal",
        "callback_id": LAUNCH_CALLBACK,
        "private_metadata": language.value,
        "title": _plain(phrases.LAUNCH_TITLE(language)[:24]),
        "submit": _plain(phrases.LAUNCH_SUBMIT(language)),
        "close": _plain(phrases.CANCEL(language)),
        "blocks": [
            field(
                AUDIENCE,
                phrases.LAUNCH_AUDIENCE,
                {
                    "type": "conversations_select",
                    "filter": {"include": ["public", "private"], "exclude_bot_users": True},
                },
                optional=False,
            ),
            field(DEADLINE, phrases.LAUNCH_DEADLINE, {"type": "datepicker"}, optional=True),
            field(
                THRESHOLD,
                phrases.LAUNCH_THRESHOLD,
                {
                    "type": "number_input",
                    "is_decimal_allowed": False,
                    "min_value": "3",
                    "initial_value": str(threshold),
                },
                optional=False,
            ),
            field(
                REPORT,
                phrases.LAUNCH_REPORT,
                {"type": "conversations_select", "filter": {"include": ["public", "private"]}},
                optional=True,
            ),
        ],
    }


def launch_values(view: dict[str, Any]) -> tuple[str, date | None, str, str | None]:
    """Audience channel, closing date, threshold (as typed) and report channel from a submission."""
    values = view["state"]["values"]

    def value(block: str) -> dict[str, Any]:
        return dict(values.get(block, {}).get(block, {}))

    chosen_date = value(DEADLINE).get("selected_date")
    return (
        str(value(AUDIENCE).get("selected_conversation") or ""),
        date.fromisoformat(chosen_date) if chosen_date else None,
        str(value(THRESHOLD).get("value") or ""),
        value(REPORT).get("selected_conversation"),
    )
