"""Neutral replies as Slack Block Kit, within Slack's limits by construction."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from dialogs import phrases
from dialogs.events import to_token
from dialogs.messages import (
    MENTION,
    Actions,
    Block,
    Bullets,
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
)
from dialogs.records import place_of
from engine.vocabulary import Language

SlackBlock = dict[str, Any]

MAX_MESSAGE_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_ACTIONS_ELEMENTS = 25
MAX_ID = 255
MAX_HEADER = 150
MAX_SECTION = 3000
MAX_FIELDS = 10
MAX_FIELD = 2000
MAX_CONTEXT = 2000
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_CHECKBOXES = 10
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_FALLBACK = 300

ELLIPSIS = "…"
BAR_CELLS = 10
CHOICE_ACTION = "choice:"
PICK_ACTION = "pick:"
SUBMIT_ACTION = "submit"
BACK_ACTION = "nav:back"
STOP_ACTION = "nav:stop"
ACT_ACTION = "act:"
"""A one-click action (a nudge's done or snooze); the button's value is the event's token."""
SEPARATOR = "|"
"""Between the prompt id and the choice id in a button's value."""


def to_message(
    reply: Reply,
    *,
    back_label: str = "",
    pause_label: str = "",
    submit_label: str = "",
    language: Language = Language.EN,
) -> dict[str, Any]:
    """A `chat.postMessage` payload: Block Kit blocks and a short plain-text fallback.

    Args:
        reply: the neutral reply.
        back_label, pause_label, submit_label: button texts for a prompt that does not carry
            its own (prompts from the dialogs do, in their language).
        language: the reply's language, for the word that stands in for a person Slack cannot
            name (someone from another chat).
    """
    blocks = to_blocks(
        reply,
        back_label=back_label,
        pause_label=pause_label,
        submit_label=submit_label,
        language=language,
    )
    return {"text": fallback_text(reply, language=language), "blocks": blocks}


def to_blocks(
    reply: Reply,
    *,
    back_label: str = "",
    pause_label: str = "",
    submit_label: str = "",
    language: Language = Language.EN,
    limit: int = MAX_MESSAGE_BLOCKS,
) -> list[SlackBlock]:
    """The reply as Block Kit blocks, at most `limit` of them (the last one "…" if cut)."""
    labels = _Labels(back_label, pause_label, submit_label, _Names(language))
    blocks = [slack_block for block in reply for slack_block in _block(block, labels)]
    if len(blocks) > limit:
        blocks = [*blocks[: limit - 1], _context(ELLIPSIS)]
    return blocks


def to_home_view(
    reply: Reply,
    *,
    back_label: str = "",
    pause_label: str = "",
    submit_label: str = "",
    language: Language = Language.EN,
) -> dict[str, Any]:
    """A `views.publish` view for the app's Home tab."""
    blocks = to_blocks(
        reply,
        back_label=back_label,
        pause_label=pause_label,
        submit_label=submit_label,
        language=language,
        limit=MAX_HOME_BLOCKS,
    )
    return {"type": "home", "blocks": blocks}


def fallback_text(reply: Reply, *, language: Language = Language.EN) -> str:
    """What notifications and screen readers show: the first heading, paragraph or question,
    people in it as mentions (Slack shows their names there too)."""
    marked = _Names(language).marked(headline(reply) or ELLIPSIS)
    return _unmasked(_fit(marked, MAX_FALLBACK))


_OPEN, _CLOSE = "\ue000", "\ue001"
"""Stand-ins (private-use characters) for a mention's "<" and ">" while a text is escaped and
cut: the same length as what they stand for, so Slack's limits hold, and left alone by escaping,
so the mention survives it. `_fitting` never cuts between them."""


@dataclass(frozen=True)
class _Names:
    """How people are named in the reply's language: a Slack user by a mention Slack shows as
    their name; anyone else (another chat's id) by a neutral word, never by the id."""

    language: Language

    def marked(self, text: str) -> str:
        """For mrkdwn: every person a masked mention, or the word; `_mrkdwn` unmasks."""
        bare = text.replace(_OPEN, "").replace(_CLOSE, "")
        return named(bare, self._masked)

    def plain(self, text: str) -> str:
        """For plain text, where Slack shows no mention: no one's id, only the word."""
        return named(text, lambda _: phrases.COLLEAGUE(self.language))

    def mention(self, respondent: str) -> str:
        """A person in a People block (already-escaped mrkdwn)."""
        return _unmasked(_escape(self._masked(respondent)))

    def _masked(self, respondent: str) -> str:
        user = _SLACK_USER.match(respondent)
        return f"{_OPEN}@{user.group(1)}{_CLOSE}" if user else phrases.COLLEAGUE(self.language)


def _unmasked(text: str) -> str:
    return text.replace(_OPEN, "<").replace(_CLOSE, ">")


@dataclass(frozen=True)
class _Labels:
    back: str
    pause: str
    submit: str
    names: _Names

    def check(self) -> None:
        if not (self.back.strip() and self.pause.strip() and self.submit.strip()):
            raise ValueError(
                "a prompt needs back_label, pause_label and submit_label in its own language"
            )


def _block(block: Block, labels: _Labels) -> list[SlackBlock]:
    match block:
        case Heading(text=text):
            return _heading(text, labels.names) if text.strip() else []
        case Paragraph(text=text):
            paragraph = labels.names.marked(text).splitlines()
            return [_section(chunk) for chunk in _pack(paragraph, MAX_SECTION)]
        case Bullets(items=items):
            lines = (f"• {' '.join(labels.names.marked(item).splitlines())}" for item in items)
            return [_section(chunk) for chunk in _pack(lines, MAX_SECTION)]
        case People(respondents=respondents):
            mentions = " ".join(labels.names.mention(respondent) for respondent in respondents)
            return [_section(chunk) for chunk in _chunks(mentions, MAX_SECTION)]
        case Places(addresses=addresses):
            links = " ".join(_channel_link(address) for address in addresses)
            return [_section(chunk) for chunk in _chunks(links, MAX_SECTION)]
        case File():
            return []  # uploaded beside the message (files_upload_v2), not drawn in it
        case Actions(buttons=buttons):
            elements = [
                _button(
                    labels.names.plain(button.label),
                    f"{ACT_ACTION}{index}",
                    to_token(button.event),
                )
                for index, button in enumerate(buttons)
            ]
            return [_actions(group) for group in _groups(elements, MAX_ACTIONS_ELEMENTS)]
        case Facts(rows=rows):
            marked = labels.names.marked
            return _facts(tuple((marked(name), marked(value)) for name, value in rows))
        case Progress():
            return [_context(_progress(replace(block, label=labels.names.marked(block.label))))]
        case Chart():
            drawn = (labels.names.marked(line) for line in _chart_lines(block))
            return [_section(chunk) for chunk in _pack(drawn, MAX_SECTION)]
        case ChoicePrompt():
            own = replace(
                labels,
                back=block.back_label or labels.back,
                pause=block.pause_label or labels.pause,
                submit=block.submit_label or labels.submit,
            )
            own.check()
            return _prompt(block, own)
        case _:
            raise TypeError(f"no Slack rendering for {block!r}")


def _facts(rows: tuple[tuple[str, str], ...]) -> list[SlackBlock]:
    fields = [_field(name, value) for name, value in rows]
    return [
        {"type": "section", "fields": fields[start : start + MAX_FIELDS]}
        for start in range(0, len(fields), MAX_FIELDS)
    ]


def _field(name: str, value: str) -> dict[str, str]:
    title = f"*{_fit(' '.join(name.split()), MAX_FIELD // 4)}*\n" if name.strip() else ""
    return _mrkdwn(title + (_fit(value, MAX_FIELD - len(title)) if value.strip() else "-"))


def _progress(progress: Progress) -> str:
    done = round(BAR_CELLS * progress.current / progress.total) if progress.total > 0 else 0
    done = min(max(done, 0), BAR_CELLS)
    return f"{progress.label}  {'▰' * done}{'▱' * (BAR_CELLS - done)}"


def _chart_lines(chart: Chart) -> Iterator[str]:
    yield from (f"*{line.strip()}*" for line in chart.title.splitlines() if line.strip())
    for bar in chart.bars:
        share = bar.value / chart.maximum if chart.maximum > 0 else 0.0
        filled = min(max(round(BAR_CELLS * share), 0), BAR_CELLS)
        note = f" ({bar.note})" if bar.note else ""
        yield f"{bar.label}  {'▇' * filled}{'▁' * (BAR_CELLS - filled)} {bar.written}{note}"


def _prompt(prompt: ChoicePrompt, labels: _Labels) -> list[SlackBlock]:
    marked = labels.names.marked
    lines = [f"*{line.strip()}*" for line in marked(prompt.text).splitlines() if line.strip()]
    lines.append("")
    for number, choice in enumerate(prompt.choices, start=1):
        detail = " ".join(choice.detail.split())
        text = f"{choice.label} — {detail}" if detail and detail != choice.label else choice.label
        mark = "  ✓" if choice.id in prompt.selected else ""
        lines.append(f"*{number}.* {' '.join(marked(text).split())}{mark}")
    blocks = [_section(chunk) for chunk in _pack(lines, MAX_SECTION)]
    if prompt.hint.strip():
        blocks.append(_context(marked(prompt.hint)))
    blocks += _checkboxes(prompt, labels) if prompt.multiple else _buttons(prompt, labels)
    blocks.append(
        _actions(
            [
                _button(labels.names.plain(labels.back), BACK_ACTION, prompt.prompt_id),
                _button(labels.names.plain(labels.pause), STOP_ACTION, prompt.prompt_id),
            ]
        )
    )
    return blocks


def _buttons(prompt: ChoicePrompt, labels: _Labels) -> list[SlackBlock]:
    buttons = [
        _button(
            labels.names.plain(choice.label),
            f"{CHOICE_ACTION}{index}",
            _exact(f"{prompt.prompt_id}{SEPARATOR}{choice.id}", MAX_BUTTON_VALUE, "button value"),
            primary=choice.id in prompt.selected,
        )
        for index, choice in enumerate(prompt.choices)
    ]
    return [_actions(group) for group in _groups(buttons, MAX_ACTIONS_ELEMENTS)]


def _checkboxes(prompt: ChoicePrompt, labels: _Labels) -> list[SlackBlock]:
    """Checkbox groups of at most ten; every group has the same action id in its own block."""
    action_id = _exact(f"{PICK_ACTION}{prompt.prompt_id}", MAX_ID, "action_id")
    options = {
        choice.id: {
            "text": _plain_text(labels.names.plain(choice.label), MAX_OPTION_TEXT),
            "value": _exact(choice.id, MAX_OPTION_VALUE, "option value"),
        }
        for choice in prompt.choices
    }
    groups = list(_groups(list(options.items()), MAX_CHECKBOXES))
    blocks = []
    for group in groups:
        element: dict[str, Any] = {
            "type": "checkboxes",
            "action_id": action_id,
            "options": [option for _, option in group],
        }
        initial = [option for choice_id, option in group if choice_id in prompt.selected]
        if initial:
            element["initial_options"] = initial
        blocks.append(_actions([element]))
    submit = _button(
        labels.names.plain(labels.submit), SUBMIT_ACTION, prompt.prompt_id, primary=True
    )
    if blocks:
        blocks[-1]["elements"].append(submit)
    else:
        blocks.append(_actions([submit]))
    return blocks


def _heading(text: str, names: _Names) -> list[SlackBlock]:
    """A header; one that names a person is a bold section instead, since a header is plain
    text, where Slack shows a mention as its raw id rather than the person's name."""
    if MENTION.search(text) is None:
        return [_header(text)]
    lines = names.marked(text).splitlines()
    return [_section(chunk) for chunk in _pack((f"*{line}*" for line in lines), MAX_SECTION)]


def _header(text: str) -> SlackBlock:
    return {"type": "header", "text": _plain_text(text, MAX_HEADER)}


def _section(text: str) -> SlackBlock:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(text: str) -> SlackBlock:
    return {"type": "context", "elements": [_mrkdwn(_fit(text, MAX_CONTEXT))]}


def _actions(elements: list[dict[str, Any]]) -> SlackBlock:
    return {"type": "actions", "elements": elements}


def _button(text: str, action_id: str, value: str, *, primary: bool = False) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": _exact(action_id, MAX_ID, "action_id"),
        "text": _plain_text(text, MAX_BUTTON_TEXT),
        "value": _exact(value, MAX_BUTTON_VALUE, "button value"),
    }
    if primary:
        button["style"] = "primary"
    return button


def _plain_text(text: str, limit: int) -> dict[str, str]:
    text = " ".join(text.split()) or ELLIPSIS
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + ELLIPSIS
    return {"type": "plain_text", "text": text}


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": _unmasked(text)}


def _exact(text: str, limit: int, what: str) -> str:
    """Ids round-trip, so they are never cut: a too-long one is a bug in the caller."""
    if not text or len(text) > limit:
        raise ValueError(f"a Slack {what} must be 1 to {limit} characters: {text[:80]!r}")
    return text


_SLACK_USER = re.compile(r"^slack:([UW][A-Z0-9]{1,20})$")
_SLACK_CHANNEL = re.compile(r"[CGD][A-Z0-9]{1,20}")


def _channel_link(address: str) -> str:
    """A Slack conversation (its id, or its place address) as a link to it; anything else as
    escaped text."""
    conversation = place_of(address) or address
    if _SLACK_CHANNEL.fullmatch(conversation):
        return f"<#{conversation}>"
    return _escape(address)


def _chunks(text: str, limit: int) -> list[str]:
    """Already-escaped text in pieces of at most `limit` characters, broken between words."""
    pieces: list[str] = []
    for word in text.split(" "):
        if pieces and len(pieces[-1]) + 1 + len(word) <= limit:
            pieces[-1] += f" {word}"
        else:
            pieces.append(word)
    return pieces


def _escape(text: str) -> str:
    # Slack reads &, < and > as markup (links, mentions) in mrkdwn: they must be escaped.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fit(text: str, limit: int) -> str:
    """Escaped text of at most `limit` characters, cut with "…" and never inside an entity."""
    escaped = _escape(text)
    if len(escaped) <= limit:
        return escaped
    return _escape(text[: _fitting(text, limit - len(ELLIPSIS))].rstrip()) + ELLIPSIS


def _fitting(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` once escaped, never ending inside a masked
    mention (a cut one would show the raw id)."""
    size = 0
    for count, character in enumerate(text):
        size += len(_escape(character))
        if size > limit:
            opened = text.rfind(_OPEN, 0, count)
            inside = opened > text.rfind(_CLOSE, 0, count)
            return opened if inside and opened > 0 else count
    return len(text)


def _pack(lines: Iterable[str], limit: int) -> list[str]:
    """Lines escaped and joined into as few chunks of at most `limit` characters as fit."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        for piece in _split_line(line, limit):
            joined = f"{current}\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                chunks.append(current)
                current = piece
    if current.strip():
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


def _split_line(line: str, limit: int) -> Iterator[str]:
    """One escaped line, broken between words (or inside a word too long for a chunk)."""
    if len(_escape(line)) <= limit:
        yield _escape(line)
        return
    piece = ""
    for word in line.split(" "):
        candidate = f"{piece} {word}" if piece else word
        if len(_escape(candidate)) <= limit:
            piece = candidate
            continue
        if piece:
            yield _escape(piece)
        while len(_escape(word)) > limit:
            cut = _fitting(word, limit)
            yield _escape(word[:cut])
            word = word[cut:]
        piece = word
    if piece:
        yield _escape(piece)


def _groups(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
