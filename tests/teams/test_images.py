"""Pictures as inline Teams images: scaled and sliced to what Teams shows, packed to what its
connector takes, with real pictures (the monthly report, a chart) and drawn ones."""

from __future__ import annotations

import base64
import io
import logging
import random
from itertools import pairwise
from typing import Any

import pytest
from PIL import Image, ImageDraw

from bot.charts import render_chart
from bot.report.render import to_png
from bot.teams import render
from bot.teams.delivery import attachments
from bot.teams.render import MAX_IMAGE_ACTIVITY_BYTES, MAX_PICTURE_SIDE, card_size, image_activities
from dialogs.messages import Bar, Chart, File, Paragraph
from engine.vocabulary import Language
from tests.bot.test_report_render import full_report

Json = dict[str, Any]
BLACK = (0, 0, 0)
WHITE = (255, 255, 255)


@pytest.fixture(scope="module")
def report_png() -> bytes:
    return to_png(full_report(Language.NL))


def test_the_monthly_report_goes_as_numbered_slices_within_teams_limits(report_png: bytes) -> None:
    activities = image_activities(report_png, name="report-2026-11.png", title="Report November")

    attached = [attachment for activity in activities for attachment in activity["attachments"]]
    pictures = [_picture(attachment) for attachment in attached]
    with Image.open(io.BytesIO(report_png)) as original:
        scaled_height = original.height * MAX_PICTURE_SIDE / original.width
    assert len(attached) >= 3
    assert [a["name"] for a in attached] == [
        f"report-2026-11-{n}.png" for n in range(1, len(attached) + 1)
    ]
    assert all(activity["type"] == "message" for activity in activities)
    assert all(activity["summary"] == "Report November" for activity in activities)
    assert all(card_size(activity) <= MAX_IMAGE_ACTIVITY_BYTES for activity in activities)
    assert all(picture.format == "PNG" for picture in pictures)
    assert all(picture.width == MAX_PICTURE_SIDE for picture in pictures)
    assert all(picture.height <= MAX_PICTURE_SIDE for picture in pictures)
    assert abs(sum(picture.height for picture in pictures) - scaled_height) <= len(pictures)


def test_slices_go_in_as_few_activities_as_the_budget_allows(
    report_png: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    budget = 70_000
    monkeypatch.setattr(render, "MAX_IMAGE_ACTIVITY_BYTES", budget)

    activities = image_activities(report_png, name="report.png", title="Report")

    assert len(activities) > 1
    assert all(card_size(activity) <= budget for activity in activities)
    for before, after in pairwise(activities):
        joined = {**before, "attachments": [*before["attachments"], after["attachments"][0]]}
        assert card_size(joined) > budget


def test_a_cut_falls_in_the_blank_gap_between_lines_not_through_a_line() -> None:
    lines = [(top, top + 20) for top in range(0, 2000, 30)]
    assert any(top < MAX_PICTURE_SIDE < bottom for top, bottom in lines)

    pictures = _pictures(image_activities(_text_like(800, 2000, lines), name="t.png", title="T"))

    boundaries = _boundaries(pictures)
    assert pictures[0].height < MAX_PICTURE_SIDE
    assert not any(top < cut < bottom for cut in boundaries for top, bottom in lines)
    assert sum(picture.height for picture in pictures) == 2000


def test_a_cut_keeps_a_heading_with_what_follows_it_by_cutting_in_the_widest_gap() -> None:
    lines = [(top, top + 20) for top in (*range(0, 800, 30), 900, *range(960, 2000, 30))]

    pictures = _pictures(image_activities(_text_like(800, 2000, lines), name="t.png", title="T"))

    assert 800 < pictures[0].height < 900


def test_a_picture_with_no_blank_row_near_the_limit_is_cut_at_the_limit() -> None:
    picture = Image.new("RGB", (800, 2000), WHITE)
    ImageDraw.Draw(picture).line((10, 0, 10, 2000), fill=BLACK)

    pictures = _pictures(image_activities(_png(picture), name="line.png", title="Line"))

    assert [p.size for p in pictures] == [(800, MAX_PICTURE_SIDE), (800, 2000 - MAX_PICTURE_SIDE)]


def test_a_result_chart_stays_one_image_with_its_name() -> None:
    chart = Chart("Profile", (Bar("Media", 2.5, "n=7"), Bar("Impact", 5.0), Bar("Tools", 3.0)))

    activities = image_activities(render_chart(chart), name="scan-1-profile.png", title="Profile")

    assert len(activities) == 1
    [attachment] = activities[0]["attachments"]
    assert attachment["name"] == "scan-1-profile.png"
    assert attachment["contentUrl"].startswith("data:image/png;base64,")
    assert _picture(attachment).width <= MAX_PICTURE_SIDE


def test_a_small_picture_is_never_scaled_up() -> None:
    picture = Image.new("RGB", (300, 200), WHITE)
    ImageDraw.Draw(picture).rectangle((20, 20, 120, 80), fill=BLACK)

    [activity] = image_activities(_png(picture), name="small.png", title="Small")

    assert [_picture(a).size for a in activity["attachments"]] == [(300, 200)]


def test_a_picture_that_fits_nowhere_yields_nothing() -> None:
    noise = _png(_noise(MAX_PICTURE_SIDE, MAX_PICTURE_SIDE))

    assert image_activities(noise, name="noise.png", title="Noise") == []


def test_a_slice_too_big_for_a_message_is_left_off_and_logged(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "MAX_IMAGE_ACTIVITY_BYTES", 20_000)
    noisy = Image.new("RGB", (200, 2 * MAX_PICTURE_SIDE), WHITE)
    noisy.paste(_noise(200, MAX_PICTURE_SIDE))

    with caplog.at_level(logging.WARNING, logger="bot.teams.render"):
        activities = image_activities(_png(noisy), name="noisy.png", title="Noise")

    assert [a["name"] for activity in activities for a in activity["attachments"]] == [
        "noisy-2.png"
    ]
    assert "noisy-1.png" in caplog.text


def test_a_reply_with_the_report_attaches_all_its_slices(report_png: bytes) -> None:
    reply = (Paragraph("x"), File("report-2026-11.png", "Report", report_png))

    sent = attachments(reply)

    assert sent == image_activities(report_png, name="report-2026-11.png", title="Report")
    assert sum(len(activity["attachments"]) for activity in sent) >= 3


def test_a_reply_whose_picture_fits_nowhere_attaches_nothing_and_says_so(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "MAX_IMAGE_ACTIVITY_BYTES", 1_000)
    reply = (File("noise.png", "Noise", _png(_noise(100, 100))),)

    with caplog.at_level(logging.WARNING, logger="bot.teams.delivery"):
        assert attachments(reply) == []
    assert "left off an image too big" in caplog.text


def _text_like(width: int, height: int, lines: list[tuple[int, int]]) -> bytes:
    """White with black "words" in each line's rows, so no row inside a line is one colour."""
    picture = Image.new("RGB", (width, height), WHITE)
    draw = ImageDraw.Draw(picture)
    for top, bottom in lines:
        for left in range(40, width - 80, 60):
            draw.rectangle((left, top, left + 44, min(bottom, height) - 1), fill=BLACK)
    return _png(picture)


def _noise(width: int, height: int) -> Image.Image:
    """Random pixels: even at 16 colours, a PNG that no compression makes small."""
    return Image.frombytes("RGB", (width, height), random.Random(7).randbytes(width * height * 3))


def _png(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _picture(attachment: Json) -> Image.Image:
    prefix, data = attachment["contentUrl"].split(",", 1)
    assert prefix == "data:image/png;base64"
    picture = Image.open(io.BytesIO(base64.b64decode(data)))
    picture.load()
    return picture


def _pictures(activities: list[Json]) -> list[Image.Image]:
    return [_picture(attachment) for a in activities for attachment in a["attachments"]]


def _boundaries(pictures: list[Image.Image]) -> list[int]:
    """The rows of the whole picture where each slice after the first begins."""
    starts, top = [], 0
    for picture in pictures[:-1]:
        top += picture.height
        starts.append(top)
    return starts
