"""Server-rendered SVG charts (no JavaScript, no inline styles: the classes
are styled in static/css/app.css; SVG presentation attributes only)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from blocs.scoring_math import fmt

ROW = 26
LABEL_WIDTH = 250
BAR_WIDTH = 360
VALUE_WIDTH = 70


def _svg(height: int, title: str, body: list[str]) -> SafeString:
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def totals_chart(items: list[tuple[str, Decimal]], *, title: str, maximum=None) -> SafeString:
    """Horizontal bars of totals, in the order given."""
    top = maximum or max((v for _l, v in items), default=Decimal(1)) or Decimal(1)
    body = []
    for i, (label, value) in enumerate(items):
        y = i * ROW
        width = int(BAR_WIDTH * (Decimal(value) / Decimal(top))) if top else 0
        body.append(
            f'<text class="chart__label" x="{LABEL_WIDTH - 6}" y="{y + 17}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="chart__bar" x="{LABEL_WIDTH}" y="{y + 4}" '
            f'width="{max(width, 1)}" height="{ROW - 8}"></rect>'
            f'<text class="chart__value" x="{LABEL_WIDTH + max(width, 1) + 6}" '
            f'y="{y + 17}">{escape(fmt(value))}</text>'
        )
    return _svg(max(len(items), 1) * ROW, title, body)


def differences_chart(items: list[tuple[str, Decimal]], *, title: str) -> SafeString:
    """Bars left (verified below self) or right (above) of a zero line."""
    largest = max((abs(Decimal(v)) for _l, v in items), default=Decimal(0)) or Decimal(1)
    half = BAR_WIDTH // 2
    zero = LABEL_WIDTH + half
    height = max(len(items), 1) * ROW
    body = [f'<line class="chart__axis" x1="{zero}" y1="0" x2="{zero}" y2="{height}"></line>']
    for i, (label, value) in enumerate(items):
        value = Decimal(value)
        y = i * ROW
        width = int(half * (abs(value) / largest))
        negative = value < 0
        x = zero - width if negative else zero
        css = "chart__bar chart__bar--negative" if negative else "chart__bar chart__bar--positive"
        sign = "+" if value > 0 else ""
        body.append(
            f'<text class="chart__label" x="{LABEL_WIDTH - 6}" y="{y + 17}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="{css}" x="{x}" y="{y + 4}" width="{max(width, 1)}" '
            f'height="{ROW - 8}"></rect>'
            f'<text class="chart__value" x="{LABEL_WIDTH + BAR_WIDTH + 6}" '
            f'y="{y + 17}">{escape(sign + fmt(value))}</text>'
        )
    return _svg(height, title, body)
