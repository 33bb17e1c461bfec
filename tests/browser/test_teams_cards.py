"""Every Teams card, rendered by Microsoft's Adaptive Cards renderer in Chromium with a Teams host
config on a phone (320 px) and a laptop (540 px): nothing a person must read is cut off, and no
one is shown as a raw chat id."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest

from tests.browser import browser, cards
from tests.browser.browser import Shown

RAW_ID = re.compile(
    r"\b(?:29|28|8):[\w-]{6,}"  # a Teams user or bot
    r"|\b19:[\w.@-]{6,}"  # a Teams channel or group chat
    r"|\ba:[\w-]{8,}"  # a Teams personal chat
    r"|\b[UCDGW]0[A-Z0-9]{6,}\b"  # a Slack user, channel or chat
    r"|<@[^>]*>|@person:"  # a mention token left unresolved
    r"|\b(?:teams|slack):\S+"  # an address
)
CATALOGUE = cards.catalogue()


@pytest.fixture(scope="module")
def shown() -> dict[tuple[str, int], Shown]:
    """Every card at both widths, from one browser for the whole module."""
    browser.require_browser()
    rendered = browser.render([(kind.name, kind.card) for kind in CATALOGUE])
    return {(result.name, result.width): result for result in rendered}


def problems(result: Shown) -> Iterator[str]:
    for warning in result.warnings:
        yield f"renderer: {warning}"
    for cut in result.cut:
        yield f"cut {cut['kind']}: {cut['text'][:120]!r}"
    if result.hidden:
        yield f"{result.hidden} buttons not shown"
    for raw in RAW_ID.findall(result.text):
        yield f"raw id: {raw!r}"


@pytest.mark.parametrize("kind", CATALOGUE, ids=lambda kind: kind.name)
@pytest.mark.parametrize("width", browser.WIDTHS)
def test_every_card_is_readable_in_full(
    shown: dict[tuple[str, int], Shown], kind: cards.Kind, width: int
) -> None:
    found = list(problems(shown[(kind.name, width)]))

    assert not found, f"{kind.name} at {width} px:\n" + "\n".join(found)


def test_the_catalogue_has_every_kind_in_both_languages() -> None:
    languages = Counter(kind.kind for kind in CATALOGUE)

    assert set(languages.values()) == {2}, [k for k, n in languages.items() if n != 2]
    assert len(languages) > 60


def test_the_check_finds_cut_buttons_wide_text_and_raw_ids() -> None:
    browser.require_browser()
    label = "A nice extra, not a priority"
    row = [{"type": "Action.Submit", "title": label} for _ in range(5)]
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [
            {"type": "TextBlock", "text": "1. First\r2. Second", "wrap": True},
            {"type": "TextBlock", "text": "Ask 29:1eXsIzmQpKOA061_p8us", "wrap": True},
            {"type": "ActionSet", "actions": row},
        ],
    }

    [result] = [r for r in browser.render([("teeth", card)]) if r.width == 540]
    found = list(problems(result))

    assert sum(f == f"cut button: {label!r}" for f in found) == 5
    assert "cut text: 'First'" in found
    assert "raw id: '29:1eXsIzmQpKOA061_p8us'" in found


def test_without_a_browser_ci_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", browser.HERE / "no-chromium-here")
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="no Chromium"):
        browser.require_browser()


def test_without_a_browser_a_laptop_skips_saying_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", browser.HERE / "no-chromium-here")
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="BROWSER TESTS SKIPPED: no Chromium"):
        browser.require_browser()
