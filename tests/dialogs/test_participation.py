"""What a project manager sees of a running scan: who, never what, and why someone was missed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.campaigns import participation
from dialogs.delivery import Undeliverable
from dialogs.messages import Heading, Paragraph, People
from dialogs.records import Invitation, Scan
from engine.vocabulary import Language

OPENED = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SCAN = Scan(7, 1, 2, 1, OPENED)


def _invitation(
    who: str, *, done: bool = False, failure: Undeliverable | None = None
) -> Invitation:
    return Invitation(who, None, OPENED, None, failure, done)


def test_pending_people_are_listed_and_those_who_finished_are_not() -> None:
    reply = participation(
        SCAN, [_invitation("s:ann", done=True), _invitation("s:bob")], Language.EN
    )

    assert Paragraph("1 of the 2 people invited has completed the scan.") in reply
    assert People(("s:bob",)) in reply
    assert all("s:ann" not in block.respondents for block in reply if isinstance(block, People))


@pytest.mark.parametrize(
    ("finished", "invited", "language", "said"),
    [
        (1, 1, Language.EN, "1 of the 1 person invited has completed the scan."),
        (1, 3, Language.EN, "1 of the 3 people invited has completed the scan."),
        (2, 3, Language.EN, "2 of the 3 people invited have completed the scan."),
        (0, 2, Language.EN, "0 of the 2 people invited have completed the scan."),
        (1, 1, Language.NL, "1 van de 1 uitgenodigde heeft de scan afgerond."),
        (1, 3, Language.NL, "1 van de 3 uitgenodigden heeft de scan afgerond."),
        (2, 3, Language.NL, "2 van de 3 uitgenodigden hebben de scan afgerond."),
        (0, 2, Language.NL, "0 van de 2 uitgenodigden hebben de scan afgerond."),
    ],
)
def test_the_count_agrees_with_one_person_and_with_more(
    finished: int, invited: int, language: Language, said: str
) -> None:
    invitations = [_invitation(f"s:{n}", done=n < finished) for n in range(invited)]

    assert Paragraph(said) in participation(SCAN, invitations, language)


def test_undelivered_invitations_are_grouped_by_what_the_manager_can_do_about_them() -> None:
    invitations = [
        _invitation("s:ann", failure=Undeliverable.PERSON_GONE),
        _invitation("s:bob", failure=Undeliverable.APP_REMOVED),
        _invitation("s:cas", failure=Undeliverable.PERSON_GONE),
    ]

    reply = participation(SCAN, invitations, Language.NL)

    assert Heading("Uitnodiging niet aangekomen") in reply
    gone = reply.index(Paragraph(Undeliverable.PERSON_GONE.explanation(Language.NL)))
    assert reply[gone + 1] == People(("s:ann", "s:cas"))
    removed = reply.index(Paragraph(Undeliverable.APP_REMOVED.explanation(Language.NL)))
    assert reply[removed + 1] == People(("s:bob",))
    assert not any(isinstance(b, Heading) and b.text == "Nog niet afgerond" for b in reply)


def test_a_stored_kind_from_an_older_version_reads_as_other() -> None:
    assert Undeliverable.read("user_not_found") is Undeliverable.OTHER
    assert Undeliverable.read("no_access") is Undeliverable.NO_ACCESS


def test_every_kind_explains_itself_in_both_languages() -> None:
    for kind in Undeliverable:
        assert kind.explanation.nl != kind.explanation.en
