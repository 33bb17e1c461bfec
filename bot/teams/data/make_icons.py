"""Draws the Teams app icons, color.png and outline.png, beside this script.

Run `.venv/bin/python bot/teams/data/make_icons.py` after changing the drawing and commit both
PNGs; `advisor teams-package` zips the committed files. The motif: three bars rising to the right,
the phases an organisation climbs.

Teams wants a 192x192 full-colour icon (the symbol within the middle 96x96 or so, on a solid
background that Teams rounds off itself) and a 32x32 outline icon: white on transparent, nothing
else, because Teams recolours it to fit its light, dark and high-contrast themes.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
BACKGROUND = (31, 78, 121)  # #1f4e79, the manifest's accentColor and the Slack app's colour
BAR = (255, 255, 255)
TOP_BAR = (242, 177, 52)
WHITE = (255, 255, 255)
SUPERSAMPLE = 8
"""The colour icon is drawn this many times larger and scaled down, for smooth edges."""

# Bars as (left, top, right, bottom) on a 192 grid, the symbol inside the middle 96x96.
COLOR_BARS = ((52, 112, 76, 144), (84, 84, 108, 144), (116, 48, 140, 144))
# On a 32 grid, whole pixels: a scaled-down outline blurs, so it is drawn at its own size.
OUTLINE_BARS = ((4, 19, 10, 28), (13, 12, 19, 28), (22, 4, 28, 28))


def color_icon() -> Image.Image:
    """The 192x192 full-colour icon: white bars and a golden last bar on the accent colour."""
    size = 192 * SUPERSAMPLE
    image = Image.new("RGB", (size, size), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for number, bar in enumerate(COLOR_BARS):
        box = tuple(edge * SUPERSAMPLE for edge in bar)
        fill = TOP_BAR if number == len(COLOR_BARS) - 1 else BAR
        draw.rounded_rectangle(box, radius=4 * SUPERSAMPLE, fill=fill)
    return image.resize((192, 192), Image.Resampling.LANCZOS)


def outline_icon() -> Image.Image:
    """The 32x32 outline icon: the same bars, opaque white on a fully transparent background."""
    image = Image.new("RGBA", (32, 32), (*WHITE, 0))
    draw = ImageDraw.Draw(image)
    for left, top, right, bottom in OUTLINE_BARS:
        draw.rectangle((left, top, right - 1, bottom - 1), fill=(*WHITE, 255))
    return image


def main() -> None:
    color_icon().save(HERE / "color.png", optimize=True)
    outline_icon().save(HERE / "outline.png", optimize=True)


if __name__ == "__main__":
    main()
