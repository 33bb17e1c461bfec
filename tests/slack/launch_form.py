"""What the launch modal's state holds when a project manager submits it."""

from __future__ import annotations

from typing import Any


def launch_values(
    channel: str | None,
    threshold: str,
    deadline: str | None,
    usergroup: str | None = None,
    *,
    report: str | None = None,
) -> dict[str, Any]:
    return {
        "audience": {
            "audience": {"type": "conversations_select", "selected_conversation": channel}
        },
        "usergroup": {
            "usergroup": {
                "type": "static_select",
                "selected_option": {"value": usergroup} if usergroup else None,
            }
        },
        "deadline": {"deadline": {"type": "datepicker", "selected_date": deadline}},
        "threshold": {"threshold": {"type": "number_input", "value": threshold}},
        "report": {"report": {"type": "conversations_select", "selected_conversation": report}},
    }
