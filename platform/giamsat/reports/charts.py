"""Charts drawn on the server as inline SVG (the network is closed: no CDN, no scripts).

Labels are escaped; a suppressed value ("<3") is drawn as a hatched stub with its text, never as
a bar whose length would reveal the hidden count.
"""

from __future__ import annotations

from html import escape

from giamsat.reports.schemas import ShownFigure

BAR_HEIGHT = 22
LABEL_WIDTH = 220
BAR_AREA = 360


def bar_chart(title: str, items: list[tuple[str, ShownFigure, str]], chart_id: str = "") -> str:
    """A horizontal bar chart; one bar per (label, value, value as worded for the reader)."""
    numbers = [v for _, v, _ in items if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    height = 30 + BAR_HEIGHT * max(len(items), 1)
    width = LABEL_WIDTH + BAR_AREA + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'id="{escape(chart_id)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-weight="bold" font-size="14">{escape(title)}</text>',
    ]
    for index, (label, value, text) in enumerate(items):
        y = 26 + index * BAR_HEIGHT
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(_short(label))}</text>')
        if isinstance(value, int):
            length = max(int(BAR_AREA * value / top), 1 if value else 0)
            parts.append(
                f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" '
                f'height="{BAR_HEIGHT - 6}" fill="#2b6cb0"/>'
            )
            text_x = LABEL_WIDTH + length + 4
        else:
            parts.append(
                f'<rect class="bar suppressed" x="{LABEL_WIDTH}" y="{y + 3}" width="6" '
                f'height="{BAR_HEIGHT - 6}" fill="#a0aec0"/>'
            )
            text_x = LABEL_WIDTH + 10
        parts.append(f'<text x="{text_x}" y="{y + 15}" font-size="12">{escape(text)}</text>')
    if not items:
        parts.append('<text x="0" y="44" font-size="12" fill="#718096">—</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
