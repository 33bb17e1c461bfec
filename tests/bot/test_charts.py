"""The profile chart as a PNG: a fixed size for Slack's preview, and it shows the values."""

from __future__ import annotations

import struct

from bot.charts import render_chart
from dialogs.messages import Bar, Chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PROFILE = Chart(
    "Profiel per dimensie (mediaan, 1 tot 5)",
    (
        Bar("Media", 2.5, "n=12, eensgezindheid 80%, weet niet 10%"),
        Bar("Werkwijze", 3.0, "n=12, eensgezindheid 60%, weet niet 0%"),
        Bar("Profielen", 1.0),
        Bar("Technologie", 4.5, "n=9"),
        Bar("Impact", 2.0, "n=9, eensgezindheid 40%, weet niet 30%"),
        Bar("Steun van het management", 5.0, "n=12"),
    ),
)


def size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_the_chart_is_a_png_of_1200_by_700_pixels() -> None:
    png = render_chart(PROFILE, language_note="Mediaan per dimensie; n = aantal antwoorden.")

    assert png.startswith(PNG_SIGNATURE)
    assert size(png) == (1200, 700)


def test_the_size_does_not_depend_on_the_content() -> None:
    tiny = Chart("P", (Bar("M", 1.0),))
    crowded = Chart(
        "A title " * 20, tuple(Bar("A long label " * 5, 3.0, "n" * 90) for _ in range(9))
    )

    assert size(render_chart(tiny)) == size(render_chart(crowded)) == (1200, 700)
    assert size(render_chart(Chart("Empty", ()))) == (1200, 700)


def test_the_same_chart_gives_the_same_bytes() -> None:
    assert render_chart(PROFILE) == render_chart(PROFILE)


def test_different_values_give_different_pictures() -> None:
    other = Chart(PROFILE.title, (Bar("Media", 4.0, PROFILE.bars[0].note), *PROFILE.bars[1:]))

    assert render_chart(PROFILE) != render_chart(other)


def test_the_note_is_drawn() -> None:
    assert render_chart(PROFILE) != render_chart(PROFILE, language_note="1 = ad hoc, 5 = leading")


def test_values_off_the_scale_are_drawn_at_its_edge_not_beyond() -> None:
    png = render_chart(Chart("Odd", (Bar("Below", -1.0), Bar("Above", 9.0))))

    assert size(png) == (1200, 700)
