"""What a person does in Teams with the advisor's cards: read them, press a button, fill a form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.teams.render import ADVISOR, CARD_CONTENT_TYPE, CHOICE, PICK_INPUT, SUBMIT

Json = dict[str, Any]


def card(activity: Json) -> Json:
    """The Adaptive Card an activity carries."""
    (attachment,) = [
        a for a in activity.get("attachments", ()) if a["contentType"] == CARD_CONTENT_TYPE
    ]
    return dict(attachment["content"])


def texts(activity: Json) -> str:
    """Everything a card says, one element per line."""
    if not any(a["contentType"] == CARD_CONTENT_TYPE for a in activity.get("attachments", ())):
        return str(activity.get("summary") or activity.get("text") or "")
    return "\n".join(_texts(card(activity)["body"]))


def _texts(elements: list[Json]) -> Iterator[str]:
    for element in elements:
        if element.get("type") == "TextBlock":
            yield element["text"]
        elif element.get("type") == "FactSet":
            yield from (f"{fact['title']}: {fact['value']}" for fact in element["facts"])
        yield from _texts(element.get("items", []))


def submits(body: list[Json]) -> Iterator[Json]:
    """Every Action.Submit on a card, in order."""
    for element in body:
        for action in element.get("actions", []):
            if action.get("type") == "Action.Submit":
                yield action
        yield from submits(element.get("items", []))


def inputs(body: list[Json]) -> Iterator[Json]:
    for element in body:
        if str(element.get("type", "")).startswith("Input."):
            yield element
        yield from inputs(element.get("items", []))


def press(activity: Json, title: str, **typed: str) -> Json:
    """The `value` Teams sends when someone presses the button `title` (its start): the
    button's data merged with the card's inputs, as shown or as `typed` (by input id)."""
    content = card(activity)
    values = {i["id"]: str(i.get("value", "")) for i in inputs(content["body"])}
    values.update(typed)
    for action in submits(content["body"]):
        if action["title"].startswith(title):
            return {**values, **action.get("data", {})}
    raise AssertionError(f"no button {title!r} on {[a['title'] for a in submits(content['body'])]}")


def answer(activity: Json, pick: int) -> Json | None:
    """The value for answering the card's question with its `pick`-th option (wrapping round),
    or None when the card asks nothing."""
    content = card(activity)
    choices = [a for a in submits(content["body"]) if a.get("data", {}).get(ADVISOR) == CHOICE]
    if choices:
        return dict(choices[pick % len(choices)]["data"])
    for field in inputs(content["body"]):
        if field["id"].startswith(PICK_INPUT):
            options = [choice["value"] for choice in field["choices"]]
            (button,) = [a for a in submits(content["body"]) if a["data"].get(ADVISOR) == SUBMIT]
            return {**button["data"], field["id"]: options[pick % len(options)]}
    return None
