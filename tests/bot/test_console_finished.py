"""After the last answer, the terminal chat tells the truth: while the scan is open, 'back' and
then a number change an answer; a number alone says how, and changes nothing; other replies
no longer end with a reminder that the scan is complete."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.app import build_app
from bot.console.chat import chat
from bot.settings import load_settings
from engine.bank import default_bank
from engine.vocabulary import Language

BANK = default_bank()
LAST = BANK.questions[-1]
WORDS = {
    Language.EN: {
        "back": "back",
        "help": "help",
        "done": "== Done, thank you! ==",
        "number": "You have answered every question; nothing was changed. To change an answer, "
        "type 'back' for the last question",
        "not scanning": "You are not taking the scan",
        "complete": "You have completed this scan. You can still change an answer with 'back'.",
        "last": f"Question {len(BANK)} of {len(BANK)}",
    },
    Language.NL: {
        "back": "terug",
        "help": "hulp",
        "done": "== Klaar, dank je wel! ==",
        "number": "Je hebt alle vragen beantwoord; er is niets veranderd. Wil je een antwoord "
        "aanpassen? Typ 'terug' voor de laatste vraag",
        "not scanning": "Je bent niet met de scan bezig",
        "complete": "Je hebt deze scan al ingevuld. Je kunt je antwoorden nog aanpassen met "
        "'terug'.",
        "last": f"Vraag {len(BANK)} van {len(BANK)}",
    },
}


async def _chat(
    url: str, language: Language, lines: list[str], tmp_path: Path
) -> tuple[str, list[str], object]:
    """What the chat shows on opening and after each line, and the last answer as stored."""
    app = await build_app(load_settings(database_url=url))
    try:
        org = await app.organisations.ensure("org:acme", "Acme")
        screen = io.StringIO()
        typed = [f"{line}\n" for line in lines]
        await chat(
            app.advisor,
            org.id,
            "ann",
            language=language,
            read_line=lambda: typed.pop(0) if typed else "",
            out=screen,
            files=tmp_path,
        )
        scan = await app.scans.current(org.id)
        assert scan is not None
        sheet = await app.scans.sheet(org.id, scan.id, "console:ann")
        opening, *replies = " ".join(screen.getvalue().split()).split("> ")
        return opening, replies, sheet.get(LAST.id)
    finally:
        await app.close()


@pytest.mark.parametrize("language", [Language.EN, Language.NL])
async def test_after_the_last_answer_back_and_a_number_change_it(
    sqlite_url: str, tmp_path: Path, language: Language
) -> None:
    words = WORDS[language]
    answers = ["1"] * len(BANK)
    lines = [*answers, "2", words["help"], words["back"], "2"]

    _, replies, stored = await _chat(sqlite_url, language, lines, tmp_path)

    finished, number, helped, went_back, changed = replies[len(BANK) - 1 : len(BANK) + 4]
    assert words["done"] in finished
    assert number.startswith(words["number"])
    assert words["not scanning"] not in number
    assert words["complete"] not in helped, "the reminder is added to every reply"
    assert words["last"] in went_back
    assert words["done"] in changed
    assert stored == (LAST.options[1].id,), "the number after 'back' changed the answer"


@pytest.mark.parametrize("language", [Language.EN, Language.NL])
async def test_coming_back_to_a_finished_scan_says_so_once_and_back_works(
    sqlite_url: str, tmp_path: Path, language: Language
) -> None:
    words = WORDS[language]
    await _chat(sqlite_url, language, ["1"] * len(BANK), tmp_path)

    opening, replies, stored = await _chat(
        sqlite_url, language, ["3", words["help"], words["back"], "3"], tmp_path
    )

    number, helped, went_back, changed, _goodbye = replies
    assert opening.strip() == words["complete"], "said once, on coming back"
    assert number.startswith(words["number"])
    assert words["complete"] not in helped
    assert words["last"] in went_back
    assert words["done"] in changed
    assert stored == (LAST.options[2].id,)
