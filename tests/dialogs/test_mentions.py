"""People appear in running text as mention tokens, which each channel renders as a name."""

from __future__ import annotations

from dialogs.events import Command, TaskAction
from dialogs.messages import (
    MENTION,
    Actions,
    Bar,
    Bullets,
    Button,
    Chart,
    Choice,
    ChoicePrompt,
    Facts,
    File,
    Heading,
    Paragraph,
    People,
    Progress,
    headline,
    mention,
    mentioned,
    named,
)

ANN = "slack:U0ANN"
MGR = "slack:U0MGR"
TEAMS = "teams:29:1eXsIzmQpKOA061_p8us"
ANNE = "terminal:anne"


def test_a_mention_is_a_token_that_gives_back_its_respondent() -> None:
    for respondent in (ANN, TEAMS, ANNE):
        token = mention(respondent)

        match = MENTION.fullmatch(token)

        assert match is not None
        assert match.group(1) == respondent


def test_named_replaces_every_token_and_leaves_the_rest_of_the_text() -> None:
    text = f"#2 now belongs to {mention(ANN)}; {mention(TEAMS)} and {mention(ANN)} were asked."

    names = {ANN: "Ann", TEAMS: "Tom"}

    shown = named(text, names.__getitem__)

    assert shown == "#2 now belongs to Ann; Tom and Ann were asked."


def test_named_leaves_a_text_without_tokens_as_it_is() -> None:
    assert named("No one <@here> (U0MGR)", lambda _: "x") == "No one <@here> (U0MGR)"


def test_mentioned_finds_people_in_every_kind_of_text_once_in_first_seen_order() -> None:
    people = [f"slack:U{n:05d}" for n in range(16)]
    t = [mention(p) for p in people]
    event = TaskAction(Command.DONE, 1)
    reply = (
        Heading(f"{t[0]} heading"),
        Paragraph(f"{t[1]} and {t[0]}"),
        Bullets((f"task {t[2]}",)),
        Facts(((t[3], f"value {t[4]}"),)),
        Progress(1, 2, t[5]),
        ChoicePrompt(
            "q",
            f"ask {t[6]}",
            (Choice("a", t[7], f"detail {t[8]}"),),
            hint=t[9],
            back_label=t[10],
        ),
        Chart(t[11], (Bar(t[12], 1.0, t[13]),)),
        File("f.pdf", t[14], b""),
        Actions((Button(t[15], event, "done"),)),
        People(("slack:UNOTTEXT",)),
    )

    assert mentioned(reply) == tuple(people)


def test_a_reply_without_mentions_mentions_no_one() -> None:
    assert mentioned((Paragraph("Hello"), People((ANN,)))) == ()


def test_the_headline_keeps_tokens_for_the_channel_to_resolve() -> None:
    assert headline((Paragraph(f"Task for {mention(MGR)}"),)) == f"Task for {mention(MGR)}"
    assert headline((People((ANN, TEAMS)),)) == f"{mention(ANN)} {mention(TEAMS)}"
