"""Colours that stay readable in any palette: a verdict's green, amber or red, a differing cell's
tint, worked out against the palette's own background instead of fixed for a light one.

The contrast ratio is WCAG 2's: (L1 + 0.05) / (L2 + 0.05) of the relative luminances; 4.5 is the
least for text, 3 for other marks (bars, lines).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

__all__ = ["MARK_CONTRAST", "TEXT_CONTRAST", "contrast", "luminance", "readable", "tint",
           "verdict_color"]

TEXT_CONTRAST = 4.5
MARK_CONTRAST = 3.0

# the verdict's hue (alpha.verdict); None: F1, too few units and undefined (the muted text)
_VERDICT = {"reliable": "#2e7d32", "tentative": "#a06800", "unreliable": "#c62828"}


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(color: QColor) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    return (0.2126 * _channel(color.redF()) + 0.7152 * _channel(color.greenF())
            + 0.0722 * _channel(color.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    """The contrast ratio of two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(color: QColor, background: QColor, minimum: float = TEXT_CONTRAST) -> QColor:
    """``color``, made lighter on a dark background (darker on a light one) with its hue kept,
    until its contrast against ``background`` is at least ``minimum``; black or white, whichever
    contrasts more, when no shade of the hue gets there."""
    if contrast(color, background) >= minimum:
        return QColor(color)
    hsl = color.toHsl()  # getHslF's stubs return an object
    h, s, lightness, a = hsl.hslHueF(), hsl.hslSaturationF(), hsl.lightnessF(), hsl.alphaF()
    upward = luminance(background) < 0.18  # below mid grey (perceptually): go lighter
    steps = 50
    for i in range(1, steps + 1):
        t = i / steps
        shade = QColor.fromHslF(h, s, lightness + (1 - lightness) * t if upward
                                else lightness * (1 - t), a)
        if contrast(shade, background) >= minimum:
            return shade
    white, black = QColor("#ffffff"), QColor("#000000")
    return white if contrast(white, background) >= contrast(black, background) else black


def verdict_color(label: str | None, palette: QPalette, role: QPalette.ColorRole =
                  QPalette.ColorRole.Base, minimum: float = TEXT_CONTRAST) -> QColor:
    """The colour of a verdict (reliable, tentative, unreliable; anything else: muted) readable on
    ``palette``'s ``role`` (Base: a table cell; Window: a chart's background)."""
    background = palette.color(role)
    hue = _VERDICT.get(str(label))
    if hue is None:  # muted: the palette's placeholder grey, kept readable
        return readable(palette.color(QPalette.ColorRole.PlaceholderText), background, minimum)
    return readable(QColor(hue), background, minimum)


def tint(palette: QPalette, hue: str = "#ff9800", amount: float = 0.25) -> QColor:
    """A cell background that stands out from ``palette``'s Base by ``amount`` of ``hue`` and
    keeps the palette's text readable on it (a light tint in a light palette, a deep one in a
    dark palette)."""
    base, mark, text = (palette.color(QPalette.ColorRole.Base), QColor(hue),
                        palette.color(QPalette.ColorRole.Text))
    while amount > 0.02:
        mixed = QColor.fromRgbF(*(b + (m - b) * amount for b, m in (
            (base.redF(), mark.redF()), (base.greenF(), mark.greenF()),
            (base.blueF(), mark.blueF()))))
        if contrast(text, mixed) >= TEXT_CONTRAST:
            return mixed
        amount *= 0.7
    return QColor(base)
