"""Neutral replies as Adaptive Cards 1.5 for Teams, within Teams' limits by construction."""

from __future__ import annotations

import base64
import io
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from PIL import Image

from bot.teams import phrases as teams_phrases
from dialogs import phrases
from dialogs.events import TaskAction, to_token
from dialogs.messages import (
    Actions,
    Block,
    Bullets,
    Button,
    Chart,
    ChoicePrompt,
    Facts,
    File,
    Heading,
    Paragraph,
    People,
    Places,
    Progress,
    Reply,
    headline,
    named,
    resolved,
)
from dialogs.rights import MY_DATA_FILE
from engine.vocabulary import Language

Element = dict[str, Any]

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"

MAX_CARD_BYTES = 28_000
"""Teams refuses a message over about 28 KB; the whole activity, card and all, stays under it."""
ENVELOPE_BYTES = 4_000
"""Room kept for the activity around the card: its keys and the fallback text (`MAX_FALLBACK`
characters, up to twelve bytes each once ASCII-escaped)."""
CARD_BUDGET = MAX_CARD_BYTES - ENVELOPE_BYTES
MAX_BODY_ELEMENTS = 100
"""Top-level body elements, the last one "…" if cut: Teams sets no such limit; it keeps a card
readable, as Slack's fifty blocks do a message."""
MAX_SET_ACTIONS = 5
"""Buttons per ActionSet. Teams draws at most six actions in a set (its host config's maxActions)
and hides the rest behind an overflow menu or drops them; five keeps every button in view and a
phone's row short."""
ROW_WIDTH = 288
"""The pixels a row of buttons has on a phone: a 320 px card less Teams' 16 px padding each side.
Teams shrinks buttons that do not fit in a row and cuts their titles, so a row holds only the
buttons that fit in it."""
BUTTON_SPACING = 8
"""Pixels between two buttons in a row (Teams' host config)."""
BUTTON_FRAME = 28
"""A button's pixels beside its title: 12 px padding each side and a border."""
TITLE_CHARACTER = 10
"""Pixels a title's character may take, in Teams' 14 px semibold (wide letters included)."""
MAX_TEXT = 2000
MAX_HEADING = 150
MAX_LINE = 200
MAX_FACTS = 10
MAX_FACT_TITLE = 100
MAX_FACT_VALUE = 1000
MAX_CHART_LINES = 20
MAX_BUTTON_TITLE = 75
MAX_CHOICE_TITLE = 200
MAX_ID = 255
"""Prompt ids, choice ids and button tokens round-trip, so they are never cut; longer is a bug."""
MAX_FALLBACK = 300

ELLIPSIS = "…"
BAR_CELLS = 10
ADVISOR = "advisor"
"""The key in every submit's `data` that says what the button does; Teams hands `data` back."""
CHOICE = "choice"
SUBMIT = "submit"
BACK = "back"
STOP = "stop"
ACT = "act"
"""A one-click action (a nudge's done or snooze); `token` in its data is the event's token."""
PICK_INPUT = "pick:"
"""Before the prompt id, the id of a multiple-choice prompt's input (one per prompt on a card)."""
PICK_SEPARATOR = ","
"""Between the choice ids Teams sends for a multi-select input."""


def to_activity(
    reply: Reply,
    *,
    back_label: str = "",
    pause_label: str = "",
    submit_label: str = "",
    names: Mapping[str, str] | None = None,
    language: Language = Language.EN,
) -> dict[str, Any]:
    """A Bot Framework message activity: the reply as one Adaptive Card and a plain summary.

    Args:
        reply: the neutral reply.
        back_label, pause_label, submit_label: button texts for a prompt that does not carry
            its own (prompts from the dialogs do, in their language).
        names: display names of the people and places the reply names (in People and Places,
            and mentioned in its texts), by address: `bot.teams.delivery.names_in` reads them.
        language: the reply's language, for the word that stands for someone without a name.
    """
    card = to_card(
        reply,
        back_label=back_label,
        pause_label=pause_label,
        submit_label=submit_label,
        names=names,
        language=language,
    )
    # `summary`, not `text`: Teams draws an activity's text as a message of its own above the
    # card; the summary is what notifications and the chat list show.
    return {
        "type": "message",
        "summary": card["fallbackText"],
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": card}],
    }


def to_card(
    reply: Reply,
    *,
    back_label: str = "",
    pause_label: str = "",
    submit_label: str = "",
    names: Mapping[str, str] | None = None,
    language: Language = Language.EN,
) -> dict[str, Any]:
    """The reply as an Adaptive Card 1.5 of at most `CARD_BUDGET` bytes of JSON.

    Every button sits in an ActionSet in the body, beside what it answers; the card's own
    `actions` stays empty, since Teams draws at most six there, after everything else.
    People are shown by name, mentioned ones too; someone without one as "a colleague", never
    by their id. What would not fit is cut: a text to the part that fits, anything else left
    off; the card then ends in "…".
    """
    labels = _Labels(back_label, pause_label, submit_label, dict(names or {}), language)
    shown = resolved(reply, labels.name)
    elements = [element for block in shown for element in _block(block, labels)]
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "fallbackText": fallback_text(shown),
        "body": [],
        "actions": [],
    }
    card["body"] = _fitting(elements, CARD_BUDGET - card_size(card))
    return card


def card_size(payload: Any) -> int:
    """Bytes of `payload` as JSON, ASCII-escaped: never less than as UTF-8 or compact JSON."""
    return len(json.dumps(payload))


def fallback_text(
    reply: Reply,
    *,
    names: Mapping[str, str] | None = None,
    language: Language = Language.EN,
) -> str:
    """What notifications and screen readers show: the first heading, paragraph or question,
    with the people it mentions by name."""
    labels = _Labels("", "", "", dict(names or {}), language)
    return _fit(named(headline(reply), labels.name) or ELLIPSIS, MAX_FALLBACK)


@dataclass(frozen=True)
class _Labels:
    back: str
    pause: str
    submit: str
    names: dict[str, str] = field(default_factory=dict)
    language: Language = Language.EN

    def name(self, address: str) -> str:
        """The display name of a person (``teams:29:1ab``); for one Teams never named, a word
        in the reply's language: an id means nothing to a reader."""
        return self.names.get(address) or phrases.COLLEAGUE(self.language)

    def place(self, address: str) -> str:
        """The display name of a place (``teams:#19:x``), else a word for a channel."""
        return self.names.get(address) or teams_phrases.A_CHANNEL(self.language)

    def check(self) -> None:
        if not (self.back.strip() and self.pause.strip() and self.submit.strip()):
            raise ValueError(
                "a prompt needs back_label, pause_label and submit_label in its own language"
            )


def _fitting(elements: list[Element], room: int) -> list[Element]:
    """The elements that fit in `room` bytes of a JSON list, in order, and "…" if any are cut.

    The first text that does not fit is cut to what does, with "…"; anything else that does not
    fit is left off, with everything after it, and a "…" text takes its place.
    """
    marker = _text_block(ELLIPSIS)
    kept = elements if len(elements) <= MAX_BODY_ELEMENTS else elements[: MAX_BODY_ELEMENTS - 1]
    body: list[Element] = []
    used = card_size(body)
    for index, element in enumerate(kept):
        size = card_size(element) + (len(", ") if body else 0)
        marker_room = 0 if index == len(elements) - 1 else card_size([marker])
        if used + size > room - marker_room:  # with room for a "…" after it, if one may follow
            return [*body, _shortened(element, room - used - len(", ")) or marker]
        body.append(element)
        used += size
    return body if len(kept) == len(elements) else [*body, marker]


def _shortened(element: Element, room: int) -> Element | None:
    """A text block cut with "…" to `room` bytes of JSON; None for anything else, or no room."""
    if element["type"] != "TextBlock":
        return None
    spare = room - card_size({**element, "text": ELLIPSIS})
    count = 0
    for character in element["text"]:
        spare -= card_size(character) - len('""')
        if spare < 0:
            break
        count += 1
    text = element["text"][:count].rstrip()
    return {**element, "text": text + ELLIPSIS} if text else None


def _block(block: Block, labels: _Labels) -> list[Element]:
    match block:
        case Heading(text=text):
            return [_heading(text)] if text.strip() else []
        case Paragraph(text=text):
            return [_text_block(chunk) for chunk in _pack(text.splitlines(), "\n\n", MAX_TEXT)]
        case Bullets(items=items):
            # Lines of their own rather than a Markdown list: Teams' renderer stretches a list
            # that opens a text block past the card's right edge, which then cuts it off.
            lines = (f"• {' '.join(item.split())}" for item in items)
            return [_text_block(chunk) for chunk in _pack(lines, "\n\n", MAX_TEXT)]
        case People(respondents=respondents):
            names = ", ".join(labels.name(r) for r in respondents)
            return [_text_block(chunk) for chunk in _pack([names], " ", MAX_TEXT)]
        case Places(addresses=addresses):
            names = ", ".join(labels.place(a) for a in addresses)
            return [_text_block(chunk) for chunk in _pack([names], " ", MAX_TEXT)]
        case File():
            return []  # sent beside the card as an attachment of its own, not drawn in it
        case Actions(buttons=buttons):
            submits = [
                _submit(
                    _button_title(button), {ADVISOR: ACT, "token": _exact(to_token(button.event))}
                )
                for button in buttons
            ]
            return _action_sets(submits)
        case Facts(rows=rows):
            return _facts(rows)
        case Progress():
            return [_text_block(_progress(block), subtle=True)]
        case Chart():
            return _chart(block)
        case ChoicePrompt():
            own = _Labels(
                block.back_label or labels.back,
                block.pause_label or labels.pause,
                block.submit_label or labels.submit,
                labels.names,
            )
            own.check()
            return _prompt(block, own)
        case _:
            raise TypeError(f"no Teams rendering for {block!r}")


def _button_title(button: Button) -> str:
    """A task's button says which task it acts on, as its list does ("Done: #3"), and no more:
    the task's title as well would not fit beside other buttons on a phone."""
    if not isinstance(button.event, TaskAction):
        return button.label
    number = f"#{button.event.task_id}"
    head, found, _ = button.label.partition(number)
    return f"{head}{found}" if found else button.label


def _facts(rows: tuple[tuple[str, str], ...]) -> list[Element]:
    facts = [
        {
            "title": _fit(name, MAX_FACT_TITLE) if name.strip() else "",
            "value": _fit(value, MAX_FACT_VALUE) if value.strip() else "-",
        }
        for name, value in rows
    ]
    return [{"type": "FactSet", "facts": group} for group in _groups(facts, MAX_FACTS)]


def _progress(progress: Progress) -> str:
    done = round(BAR_CELLS * progress.current / progress.total) if progress.total > 0 else 0
    done = min(max(done, 0), BAR_CELLS)
    return f"{_fit(progress.label, MAX_LINE)}  {'▰' * done}{'▱' * (BAR_CELLS - done)}"


def _chart(chart: Chart) -> list[Element]:
    """The title in bold, then a container of text bars per `MAX_CHART_LINES` bars."""
    title = [line.strip() for line in chart.title.splitlines() if line.strip()]
    elements = [_text_block(chunk, bold=True) for chunk in _pack(title, "\n\n", MAX_TEXT)]
    lines = [_text_block(line, spacing="None") for line in _chart_lines(chart)]
    elements += [{"type": "Container", "items": group} for group in _groups(lines, MAX_CHART_LINES)]
    return elements


def _chart_lines(chart: Chart) -> Iterator[str]:
    for bar in chart.bars:
        share = bar.value / chart.maximum if chart.maximum > 0 else 0.0
        filled = min(max(round(BAR_CELLS * share), 0), BAR_CELLS)
        note = f" ({_fit(bar.note, MAX_LINE // 2)})" if bar.note.strip() else ""
        label = _fit(bar.label, MAX_LINE // 2)
        yield f"{label}  {'▇' * filled}{'▁' * (BAR_CELLS - filled)} {bar.written}{note}"


def _prompt(prompt: ChoicePrompt, labels: _Labels) -> list[Element]:
    question = [line.strip() for line in prompt.text.splitlines() if line.strip()]
    elements = [_text_block(chunk, bold=True) for chunk in _pack(question, "\n\n", MAX_TEXT)]
    lines = []
    for number, choice in enumerate(prompt.choices, start=1):
        detail = " ".join(choice.detail.split())
        text = f"{choice.label} — {detail}" if detail and detail != choice.label else choice.label
        mark = " ✓" if choice.id in prompt.selected else ""
        # Bold numbers, not a Markdown list, which Teams' renderer would cut at the right.
        lines.append(f"**{number}.** {' '.join(text.split())}{mark}")
    elements += [_text_block(chunk) for chunk in _pack(lines, "\n\n", MAX_TEXT)]
    if prompt.hint.strip():
        elements.append(_text_block(_fit(prompt.hint, MAX_TEXT), subtle=True))
    elements += _choice_set(prompt, labels) if prompt.multiple else _choice_buttons(prompt)
    navigation = [_submit(labels.back, {ADVISOR: BACK}), _submit(labels.pause, {ADVISOR: STOP})]
    return [*elements, *_action_sets(navigation)]


def _choice_buttons(prompt: ChoicePrompt) -> list[Element]:
    """A button per choice, titled with the choice's number in the list above it (its label as
    the tooltip): labels on buttons, five in a row, were cut to a word or two."""
    prompt_id = _exact(prompt.prompt_id)
    submits = [
        _submit(
            str(number),
            {ADVISOR: CHOICE, "prompt": prompt_id, "choice": _exact(choice.id)},
            positive=choice.id in prompt.selected,
            tooltip=choice.label,
        )
        for number, choice in enumerate(prompt.choices, start=1)
    ]
    return _action_sets(submits)


def _choice_set(prompt: ChoicePrompt, labels: _Labels) -> list[Element]:
    """A multi-select input of every choice, its earlier answer ticked, and a submit button."""
    prompt_id = _exact(prompt.prompt_id)
    for choice in prompt.choices:
        if PICK_SEPARATOR in _exact(choice.id):
            raise ValueError(
                f"a multiple-choice id must not hold {PICK_SEPARATOR!r}: {choice.id!r}"
            )
    choice_set: Element = {
        "type": "Input.ChoiceSet",
        "id": _exact(f"{PICK_INPUT}{prompt_id}"),
        "isMultiSelect": True,
        "style": "expanded",
        "wrap": True,
        "choices": [
            {"title": _fit(choice.label, MAX_CHOICE_TITLE), "value": choice.id}
            for choice in prompt.choices
        ],
    }
    ticked = [choice.id for choice in prompt.choices if choice.id in prompt.selected]
    if ticked:
        choice_set["value"] = PICK_SEPARATOR.join(ticked)
    submit = _submit(labels.submit, {ADVISOR: SUBMIT, "prompt": prompt_id}, positive=True)
    return [choice_set, *_action_sets([submit])]


def _heading(text: str) -> Element:
    return {
        "type": "TextBlock",
        "text": _fit(text, MAX_HEADING),
        "weight": "Bolder",
        "size": "Medium",
        "wrap": True,
    }


def _text_block(
    text: str, *, bold: bool = False, subtle: bool = False, spacing: str = ""
) -> Element:
    block: Element = {"type": "TextBlock", "text": text, "wrap": True}
    if bold:
        block["weight"] = "Bolder"
    if subtle:
        block["isSubtle"] = True
    if spacing:
        block["spacing"] = spacing
    return block


def _action_sets(actions: list[Element]) -> list[Element]:
    """The buttons in rows of as many as fit on a phone in full, at most `MAX_SET_ACTIONS`."""
    rows: list[list[Element]] = []
    used = 0
    for action in actions:
        width = BUTTON_FRAME + TITLE_CHARACTER * len(action["title"])
        if rows and len(rows[-1]) < MAX_SET_ACTIONS and used + BUTTON_SPACING + width <= ROW_WIDTH:
            rows[-1].append(action)
            used += BUTTON_SPACING + width
        else:
            rows.append([action])
            used = width
    return [{"type": "ActionSet", "actions": row} for row in rows]


def _submit(
    title: str, data: dict[str, str], *, positive: bool = False, tooltip: str = ""
) -> Element:
    action: Element = {"type": "Action.Submit", "title": _fit(title, MAX_BUTTON_TITLE)}
    if positive:
        action["style"] = "positive"
    if tooltip.strip():
        action["tooltip"] = _fit(tooltip, MAX_CHOICE_TITLE)
    action["data"] = data
    return action


def _exact(text: str) -> str:
    """Ids round-trip, so they are never cut: a too-long one is a bug in the caller."""
    if not text or len(text) > MAX_ID:
        raise ValueError(f"a Teams submit value must be 1 to {MAX_ID} characters: {text[:80]!r}")
    return text


def _fit(text: str, limit: int) -> str:
    """Text on one line of at most `limit` characters, cut with "…"; "…" when empty."""
    text = " ".join(text.split()) or ELLIPSIS
    if len(text) > limit:
        text = text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS
    return text


def _pack(lines: Iterable[str], joiner: str, limit: int) -> list[str]:
    """Lines joined into as few chunks of at most `limit` characters as fit; blank ones dropped."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        for piece in _split_line(line.strip(), limit):
            joined = f"{current}{joiner}{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks


def _split_line(line: str, limit: int) -> Iterator[str]:
    """One line broken between words (or inside a word too long for a chunk); none if blank."""
    piece = ""
    for word in line.split():
        candidate = f"{piece} {word}" if piece else word
        if len(candidate) <= limit:
            piece = candidate
            continue
        if piece:
            yield piece
        while len(word) > limit:
            yield word[:limit]
            word = word[limit:]
        piece = word
    if piece:
        yield piece


def _groups(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


IMAGE_COLOURS = 16
"""A chart needs few colours; a 16-colour palette makes its PNG a third of the size."""
MAX_PICTURE_SIDE = 1024
"""Teams shows a picture of up to 1 MB at up to 1024 x 1024 pixels (learn.microsoft.com,
"Format your bot messages"); a taller one goes as slices."""
MAX_IMAGE_ACTIVITY_BYTES = 200_000
"""The Bot Connector refuses an activity over 256 KB ("The request content length exceeded limit
of 256K"); this keeps a margin. Teams' own message limit (about 100 KB) leaves base64 images out,
and a slice within this budget is well under Teams' 1 MB a picture."""
CUT_SEARCH = MAX_PICTURE_SIDE // 4
"""How far above a slice's limit to look for blank rows to cut in, so no text is cut in half."""


log = logging.getLogger(__name__)


def image_activities(png: bytes, *, name: str, title: str) -> list[dict[str, Any]]:
    """Messages with `png` as inline images, in as few activities as Teams and its connector take.

    Teams shows an image attachment whose content URL is a base64 data URI in line; the image
    travels inside the message, so the advisor needs no public file endpoint. A picture wider
    than Teams shows is scaled down and a taller one cut into slices, top to bottom; a slice too
    big for an activity is left off (logged), so the result may be empty.
    """
    with Image.open(io.BytesIO(png)) as image:
        picture = image.convert("RGB")
    if picture.width > MAX_PICTURE_SIDE:
        height = max(1, round(picture.height * MAX_PICTURE_SIDE / picture.width))
        picture = picture.resize((MAX_PICTURE_SIDE, height), Image.Resampling.LANCZOS)
    slices = list(_slices(picture))
    base, extension = os.path.splitext(name)
    groups: list[list[dict[str, Any]]] = []
    for number, piece in enumerate(slices, start=1):
        part = name if len(slices) == 1 else f"{base}-{number}{extension}"
        attachment = _inline_png(piece, part)
        if not _fits(title, [attachment]):
            log.warning("left off an image slice too big for a Teams message: %s", part)
        elif groups and _fits(title, [*groups[-1], attachment]):
            groups[-1].append(attachment)
        else:
            groups.append([attachment])
    return [_image_message(title, group) for group in groups]


def _slices(picture: Image.Image) -> Iterator[Image.Image]:
    """Slices at most `MAX_PICTURE_SIDE` high, top to bottom."""
    top = 0
    while picture.height - top > MAX_PICTURE_SIDE:
        cut = _cut(picture, top + MAX_PICTURE_SIDE)
        yield picture.crop((0, top, picture.width, cut))
        top = cut
    yield picture.crop((0, top, picture.width, picture.height))


def _cut(picture: Image.Image, limit: int) -> int:
    """The first row of the next slice: the middle of the longest run of blank rows near the limit,
    which in a report is the gap above a heading (so the heading stays with what it heads); the
    limit itself if there is none."""
    rows = range(limit - CUT_SEARCH, limit + 1)
    runs = [list(run) for blank, run in groupby(rows, lambda row: _blank(picture, row)) if blank]
    longest = max(runs, key=lambda run: (len(run), run[0]), default=None)
    return longest[len(longest) // 2] if longest else limit


def _blank(picture: Image.Image, row: int) -> bool:
    """Whether the row is one colour, like a margin or a gap between sections."""
    return picture.crop((0, row, picture.width, row + 1)).getcolors(1) is not None


def _inline_png(picture: Image.Image, name: str) -> dict[str, Any]:
    buffer = io.BytesIO()
    picture.quantize(colors=IMAGE_COLOURS).save(buffer, format="PNG", optimize=True)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"contentType": "image/png", "contentUrl": f"data:image/png;base64,{data}", "name": name}


def _fits(title: str, attachments: list[dict[str, Any]]) -> bool:
    return card_size(_image_message(title, attachments)) <= MAX_IMAGE_ACTIVITY_BYTES


def _image_message(title: str, attachments: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "message", "summary": _fit(title, MAX_FALLBACK), "attachments": attachments}


# Files, by Teams' file consent (personal chats only)

FILE_CONSENT_TYPE = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_TYPE = "application/vnd.microsoft.teams.card.file.info"
FILE = "file"
"""The `advisor` value in a consent card's contexts, which Teams hands back in its invoke."""
MY_DATA = "my-data"
"""A consent card's kind for the person's own data; the other kind is `EXPORT`."""
EXPORT = "export"
FILE_KINDS = frozenset({MY_DATA, EXPORT})
MAX_FILE_DESCRIPTION = 250


def is_picture(block: File) -> bool:
    """A file Teams shows in line (a PNG), rather than one offered for download."""
    return block.name.endswith(".png")


def documents(reply: Reply) -> list[File]:
    """The reply's files that are not pictures: what a consent card offers."""
    return [block for block in reply if isinstance(block, File) and not is_picture(block)]


def consent_activities(reply: Reply) -> list[dict[str, Any]]:
    """A message with a FileConsentCard for each document of the reply, for a personal chat.

    The card carries no bytes: its context names the file (its kind and name), so that when
    the person allows it the file is made afresh for whoever pressed, and only if they may
    still have it. The size is what the file holds now.
    """
    return [
        {
            "type": "message",
            "summary": _fit(block.title, MAX_FALLBACK),
            "attachments": [
                {
                    "contentType": FILE_CONSENT_TYPE,
                    "name": block.name,
                    "content": {
                        "description": _fit(block.title, MAX_FILE_DESCRIPTION),
                        "sizeInBytes": len(block.content),
                        "acceptContext": file_context(block.name),
                        "declineContext": file_context(block.name),
                    },
                }
            ],
        }
        for block in documents(reply)
    ]


def file_context(name: str) -> dict[str, str]:
    """What a consent card hands back: enough to make the file again, nothing of its content."""
    kind = MY_DATA if name == MY_DATA_FILE else EXPORT
    return {ADVISOR: FILE, "kind": kind, "name": _exact(name)}


def file_info_activity(
    *, name: str, content_url: str, unique_id: str, file_type: str
) -> dict[str, Any]:
    """The message that shows an uploaded file in the chat (Teams' FileInfoCard)."""
    return {
        "type": "message",
        "summary": _fit(name, MAX_FALLBACK),
        "attachments": [
            {
                "contentType": FILE_INFO_TYPE,
                "contentUrl": content_url,
                "name": name,
                "content": {"uniqueId": unique_id, "fileType": file_type},
            }
        ],
    }
