"""Charts drawn on the server as SVG geometry: no JavaScript, no library, no CDN.

The functions return plain numbers and strings that `common/chart.html`
turns into an <svg> with presentation attributes only (the CSP forbids inline styles).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format

WIDTH = 720
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 16, 40


@dataclass
class Chart:
    title: str
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    gridlines: list[dict] = field(default_factory=list)
    x_labels: list[dict] = field(default_factory=list)
    bars: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    dots: list[dict] = field(default_factory=list)
    bands: list[dict] = field(default_factory=list)
    legend: list[dict] = field(default_factory=list)

    @property
    def plot_left(self):
        return LEFT

    @property
    def plot_right(self):
        return self.width - RIGHT

    @property
    def plot_width(self):
        return self.plot_right - self.plot_left

    @property
    def plot_bottom(self):
        return self.height - BOTTOM

    @property
    def view_box(self):
        return f"0 0 {self.width} {self.height}"


def _nice_max(value: Decimal) -> Decimal:
    """A round upper bound for the axis (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _short_amount(value: Decimal) -> str:
    number = int(value)
    if number >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".rstrip("0").rstrip(".")
        return f"{text}M"
    if number >= 1000:
        return f"{number // 1000}k"
    return str(number)


def income_chart(months, *, title: str, description: str, labels: dict) -> Chart:
    """Bars of per-capita income per month, and the poverty line in force as a step line.
    `months` are IncomeMonth items; `labels` names the legend entries."""
    chart = Chart(title=title, description=description)
    if not months:
        return chart
    top = max(
        [item.per_capita for item in months] + [item.line for item in months if item.line],
    )
    y_max = _nice_max(Decimal(top) * Decimal("1.1"))
    plot_w = chart.plot_right - chart.plot_left
    plot_h = chart.plot_bottom - TOP
    slot = Decimal(plot_w) / len(months)

    def y(value):
        return float(chart.plot_bottom - Decimal(value) / y_max * plot_h)

    for step in range(5):
        value = y_max * step / 4
        chart.gridlines.append({"y": y(value), "label": _short_amount(value)})
    every = max(1, len(months) // 8)
    step_points = []
    for index, item in enumerate(months):
        x = float(chart.plot_left + slot * index)
        width = float(slot) * 0.7
        height = float(chart.plot_bottom) - y(item.per_capita)
        chart.bars.append(
            {
                "x": x + float(slot) * 0.15,
                "y": y(item.per_capita),
                "width": width,
                "height": height,
                "fill": _bar_fill(item),
                "title": f"{date_format(item.month, 'YEAR_MONTH_FORMAT')}: {int(item.per_capita)}",
            }
        )
        if item.line is not None:
            step_points.append(f"{x:.1f},{y(item.line):.1f}")
            step_points.append(f"{x + float(slot):.1f},{y(item.line):.1f}")
        if index % every == 0:
            chart.x_labels.append(
                {"x": x + float(slot) / 2, "label": date_format(item.month, "m.Y")}
            )
    if step_points:
        chart.lines.append(
            {"points": " ".join(step_points), "stroke": "#b42318", "dash": "6 3", "width": 2}
        )
    chart.legend = [
        {"fill": "#0b6e4f", "label": labels["above"]},
        {"fill": "#b54708", "label": labels["below"]},
        {"fill": "#b42318", "label": labels["line"]},
    ]
    if any(item.line is None for item in months):
        chart.legend.append({"fill": NO_LINE, "label": labels["no_line"]})
    return chart


NO_LINE = "#9aa6ae"


def _bar_fill(item) -> str:
    if item.line is None:
        return NO_LINE
    return "#0b6e4f" if item.at_or_above else "#b54708"


def score_chart(assessments, *, title: str, description: str, rule, labels: dict) -> Chart:
    """The score of each assessment over time (oldest left), on 0-100, with the traffic-light
    bands behind it. `assessments` need `.date` and `.score`."""
    chart = Chart(title=title, description=description)
    points = [a for a in sorted(assessments, key=lambda a: (a.date, a.pk)) if a.score is not None]
    plot_w = chart.plot_right - chart.plot_left
    plot_h = chart.plot_bottom - TOP

    def y(value):
        return chart.plot_bottom - value / 100 * plot_h

    chart.bands = [
        {"y": y(100), "height": y(rule.green_from) - y(100), "fill": "#d1fadf"},
        {
            "y": y(rule.green_from),
            "height": y(rule.amber_from) - y(rule.green_from),
            "fill": "#fef0c7",
        },
        {"y": y(rule.amber_from), "height": y(0) - y(rule.amber_from), "fill": "#fee4e2"},
    ]
    for value in (0, 25, 50, 75, 100):
        chart.gridlines.append({"y": y(value), "label": str(value)})
    if not points:
        return chart
    first, last = points[0].date, points[-1].date
    span = max((last - first).days, 1)

    def x(day):
        if len(points) == 1:
            return chart.plot_left + plot_w / 2
        return chart.plot_left + 12 + (day - first).days / span * (plot_w - 24)

    coords = [(x(a.date), y(a.score)) for a in points]
    chart.lines.append(
        {
            "points": " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords),
            "stroke": "#1d2327",
            "dash": "",
            "width": 2,
        }
    )
    for (cx, cy), assessment in zip(coords, points, strict=True):
        chart.dots.append(
            {
                "cx": cx,
                "cy": cy,
                "label_y": cy - 9,
                "label": str(assessment.score),
                "title": f"{date_format(assessment.date, 'SHORT_DATE_FORMAT')}: {assessment.score}",
            }
        )
    # Label the last assessment, then earlier ones where there is room (no overlaps).
    last_x = None
    for (cx, _cy), assessment in reversed(list(zip(coords, points, strict=True))):
        if last_x is None or last_x - cx >= 52:
            chart.x_labels.append({"x": cx, "label": date_format(assessment.date, "m.Y")})
            last_x = cx
    chart.legend = [
        {"fill": "#d1fadf", "label": labels["green"]},
        {"fill": "#fef0c7", "label": labels["amber"]},
        {"fill": "#fee4e2", "label": labels["red"]},
    ]
    return chart
