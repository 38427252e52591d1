"""The tornado's layout: value labels outside the bars, clear of the driver names and inside the
plot; long driver names wrapped in the left axis. Positions are read from the rendered SVG and
text widths measured with the DejaVu Sans metrics the renderer uses."""

from __future__ import annotations

import re
from collections import defaultdict
from xml.etree import ElementTree as ET

import pytest

from opcanvas.render.charts_base import WIDTH, to_svg
from opcanvas.render.charts_risk import SwingBar, tornado_chart
from opcanvas.render.text import text_width

SVG = "{http://www.w3.org/2000/svg}"
TRANSLATE = re.compile(r"translate\(([-\d.e]+),([-\d.e]+)\)")
BAR = re.compile(r"M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v")


def _xy(element: ET.Element) -> tuple[float, float]:
    found = TRANSLATE.search(element.get("transform") or "")
    assert found, element.attrib
    return float(found.group(1)), float(found.group(2))


Label = tuple[float, float, float, str]


def _layout(svg: str) -> tuple[list[Label], dict[float, list[tuple[float, float]]], list[str]]:
    """Value labels as (left, right, baseline y, text), bars per row y as (left, right), and the
    driver names' lines, all in plot coordinates."""
    root = ET.fromstring(svg)
    labels: list[Label] = []
    bars: dict[float, list[tuple[float, float]]] = defaultdict(list)
    names: list[str] = []
    for group in root.iter(f"{SVG}g"):
        role = group.get("class") or ""
        if "role-mark" in role and "mark-text" in role:
            for text in group.iter(f"{SVG}text"):
                x, y = _xy(text)
                width = text_width(text.text or "", 10)
                left = x - width if text.get("text-anchor") == "end" else x
                labels.append((left, left + width, y, text.text or ""))
        if "role-mark" in role and "mark-rect" in role:
            for path in group.iter(f"{SVG}path"):
                found = BAR.match(path.get("d") or "")
                assert found, path.attrib
                x, y, w = (float(v) for v in found.groups())
                bars[y].append((min(x, x + w), max(x, x + w)))
    for group in root.iter(f"{SVG}g"):
        if (group.get("aria-label") or "").startswith("Y-axis"):
            for text in group.iter(f"{SVG}text"):
                spans = text.findall(f"{SVG}tspan")
                names += ["".join(s.itertext()) for s in spans] if spans else [text.text or ""]
    return labels, bars, names


CASES = {
    "short names": [SwingBar("improvement", 1.08e6, 1.62e6, "at 0.6", "at 0.9")],
    "demo-like": [
        SwingBar("utilization_gain", 475e3, 1.11e6, "at 0.03", "at 0.07"),
        SwingBar("loaded_rate", 700e3, 880e3, "at 85", "at 120"),
    ],
    "long name, one side, a missing end": [
        SwingBar("improvement", 1.08e6, 1.62e6, "at 0.6", "at 0.9"),
        SwingBar("hours saved per proposal by the automation pilot", 1.3e6, 1.55e6, "at 2.5",
                 "at 4"),
        SwingBar("loaded_rate", 1.5e6, 1.6e6, "at 85", "at 120"),
        SwingBar("win_rate", None, 1.7e6, "at 0", "at 0.3"),
    ],
    "losses below zero": [SwingBar("churn", -2.5e5, 3e5, "at 0.2", "at 0.05")],
}  # fmt: skip


@pytest.mark.parametrize("bars", CASES.values(), ids=CASES.keys())
def test_value_labels_stay_clear_of_names_and_bars(bars: list[SwingBar]) -> None:
    base = 1.44e6 if bars[0].label != "churn" else 1e5
    labels, rows, _ = _layout(to_svg(tornado_chart(bars, base)))
    assert len(labels) >= len(bars)
    for left, right, y, text in labels:
        # inside the plot: the driver names live left of x = 0, nothing is drawn past WIDTH
        assert left >= 0 and right <= WIDTH, (text, left, right)
        # no bar in its row under the text (bars are 18 px tall, centred 3.5 px above baseline)
        row = [span for top, spans in rows.items() if top <= y <= top + 18 for span in spans]
        assert row, text
        assert all(right <= a or left >= b for a, b in row), (text, left, right, row)


def test_long_driver_names_wrap_and_labels_skip_the_name() -> None:
    bars = CASES["long name, one side, a missing end"]
    labels, _, names = _layout(to_svg(tornado_chart(bars, 1.44e6)))
    assert "hours saved per proposal by" in names and "the automation pilot" in names
    assert all(text_width(line, 11) <= 170 for line in names)
    texts = {t for *_, t in labels}
    # one label per side and driver; two ends on one side share the far one, low end first
    assert texts == {
        "at 0.6: $1.08M", "at 0.9: $1.62M", "at 2.5: $1.3M", "at 4: $1.55M",
        "at 85: $1.5M · at 120: $1.6M", "at 0.3: $1.7M",
    }  # fmt: skip
