"""The donor report's charts: bars drawn on the server as SVG geometry (see
beneficiaries/charts.py for the Chart shape and its template)."""

from common.charts import Chart

GREEN = "#2e7d4f"
GREY = "#9aa7b0"


def grouped_bars(groups, series, *, title: str, description: str, dom_id: str) -> Chart:
    """groups: [(label, [value per series])]; series: [(label, fill)]. Whole numbers."""
    chart = Chart(title=title, description=description, height=240)
    chart.dom_id = dom_id
    top = max([value for _label, values in groups for value in values] + [1])
    step = _step(top)
    axis = step * -(-top // step)
    bottom, height = chart.plot_bottom, chart.plot_bottom - 16
    for tick in range(0, axis + 1, step):
        chart.gridlines.append({"y": bottom - height * tick / axis, "label": str(tick)})
    slot = chart.plot_width / max(len(groups), 1)
    width = slot * 0.7 / max(len(series), 1)
    for index, (label, values) in enumerate(groups):
        left = chart.plot_left + slot * index + slot * 0.15
        for number, value in enumerate(values):
            bar_height = height * value / axis
            chart.bars.append(
                {
                    "x": left + width * number,
                    "y": bottom - bar_height,
                    "width": width - 2,
                    "height": bar_height,
                    "fill": series[number][1],
                    "title": f"{label}: {series[number][0]} {value}",
                }
            )
        chart.x_labels.append({"x": left + slot * 0.35, "label": label})
    chart.legend = [{"label": label, "fill": fill} for label, fill in series]
    return chart


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 6:
            return step
    return 10 ** len(str(top))
