"""Bar charts as static SVG (no chart library in the browser); the page pairs each with a table."""

from __future__ import annotations

from html import escape

WIDTH = 420
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 132
VALUE_WIDTH = 44


def _text_width(text: str) -> int:
    """Rough width at 13px: CJK characters are square, others about half as wide."""
    return sum(13 if ord(char) > 0x2E80 else 7 for char in text)


def bar_chart(rows: list[tuple[str, int]], title: str, chart_id: str) -> str:
    """Horizontal bars with labels and values, sized by the largest value."""
    top = max((value for _, value in rows), default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="{chart_id}-title" preserveAspectRatio="xMinYMin meet">',
             f'<title id="{chart_id}-title">{escape(title)}</title>']
    for number, (label, value) in enumerate(rows):
        y = GAP + number * (BAR_HEIGHT + GAP)
        width = round(span * value / top, 1)
        shown = label if _text_width(label) <= LABEL_WIDTH - 6 else label[:8] + "…"
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end">{escape(shown)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" rx="3"/>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 4}" y="{y + 16}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(rows: list[tuple[str, int]], title: str, chart_id: str) -> str:
    """Vertical columns (e.g. twelve months) with the value above each column."""
    top = max((value for _, value in rows), default=0) or 1
    height, base, plot = 220, 190, 160
    step = (WIDTH - 20) / max(len(rows), 1)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
             f'aria-labelledby="{chart_id}-title" preserveAspectRatio="xMinYMin meet">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<line x1="10" y1="{base}" x2="{WIDTH - 10}" y2="{base}" class="axis"/>']
    for number, (label, value) in enumerate(rows):
        x = 10 + number * step
        column = round(plot * value / top, 1)
        middle = round(x + step / 2, 1)
        parts.append(f'<rect x="{round(x + step * 0.15, 1)}" y="{base - column}" width="{round(step * 0.7, 1)}" '
                     f'height="{column}" rx="2"/>')
        parts.append(f'<text x="{middle}" y="{base - column - 4}" text-anchor="middle">{value}</text>')
        parts.append(f'<text x="{middle}" y="{base + 18}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
