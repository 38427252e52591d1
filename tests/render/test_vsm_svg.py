"""The SVG value stream map: golden files, well-formed XML, the numbers equal flow's, branch
geometry, manufacturing data boxes, measured vs estimate styling, escaping, text fitting.

Regenerate the golden files after an intended change with
``OPCANVAS_UPDATE_GOLDEN=1 uv run pytest tests/render -q`` (see conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from opcanvas.canvas import Canvas
from opcanvas.flow import analyze_stream, human_time
from opcanvas.render.text import text_width
from opcanvas.render.vsm import render_vsm_svg

NS = {"s": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode("utf-8"))


def _texts(node: etree._Element) -> list[str]:
    return [t.text or "" for t in node.iterfind(".//s:text", NS)]


def _group(root: etree._Element, group_id: str) -> etree._Element:
    found = root.find(f".//s:g[@id='{group_id}']", NS)
    assert found is not None, f"no <g id={group_id!r}>"
    return found


@pytest.mark.parametrize(
    ("state", "golden_name"), [("current", "quote-current.svg"), ("future", "quote-future.svg")]
)
def test_svg_matches_golden(
    office: Canvas, golden: Callable[[str, str], None], state: str, golden_name: str
) -> None:
    svg = render_vsm_svg(office, "growth/quote", state=state)
    golden(golden_name, svg)
    assert svg == render_vsm_svg(office, "growth/quote", state=state)


def test_svg_is_well_formed_and_self_contained(office: Canvas) -> None:
    svg = render_vsm_svg(office, "growth/quote")
    root = _parse(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    width, height = float(root.get("width")), float(root.get("height"))  # type: ignore[arg-type]
    assert root.get("viewBox") == f"0 0 {width:g} {height:g}"
    # no fonts, images, scripts or styles fetched from anywhere
    assert "href" not in svg and "url(" not in svg and "@import" not in svg
    assert svg.count("http") == 1  # the SVG namespace only
    assert root.find(".//s:script", NS) is None and root.find(".//s:image", NS) is None


def test_ladder_totals_equal_the_flow_numbers(office: Canvas) -> None:
    flow = analyze_stream(office, "growth/quote")
    cal = office.calendar
    assert flow.lead_time is not None and flow.process_time is not None
    root = _parse(render_vsm_svg(office, "growth/quote"))
    expected = {
        "total-lead-time": human_time(flow.lead_time, cal),
        "total-process-time": human_time(flow.process_time, cal),
        "total-flow-efficiency": f"{flow.flow_efficiency * 100:.1f}%",
        "total-rolled-ca": f"{flow.rolled_cta * 100:.1f}%",
        "total-handoffs": str(flow.handoffs),
    }
    for group_id, value in expected.items():
        assert _texts(_group(root, group_id))[1] == value, group_id
    # hand-checked: Sales → Presales → Finance → Presales (rework) or Sales (send)
    assert expected["total-handoffs"] == "4"
    # each ladder rung shows the critical-path step's own wait (up) and PT (down)
    for step in flow.steps:
        if step.on_critical_path:
            rung = _texts(_group(root, f"ladder-{step.id}"))
            assert rung == [human_time(step.wait_time or 0, cal) if step.wait_time else "—",
                            human_time(step.process_time or 0, cal)]  # fmt: skip


def test_future_state_shows_projected_and_current_totals(office: Canvas) -> None:
    now = analyze_stream(office, "growth/quote")
    root = _parse(render_vsm_svg(office, "growth/quote", state="future"))
    lead = _texts(_group(root, "total-lead-time"))
    assert lead[2] == f"now {human_time(now.lead_time or 0, office.calendar)}"
    assert lead[1] != lead[2].removeprefix("now ")  # the future differs from now
    design = _texts(_group(root, "step-design"))
    assert "PT" in design and "1h" in design  # 4h − 75 %
    assert any(t.startswith("Δ PT -75%; Wait → 1d") for t in design)
    assert "Future-state map: CPQ templates" in " ".join(_texts(_group(root, "header")))


def test_measured_estimated_and_missing_values_are_told_apart(office: Canvas) -> None:
    root = _parse(render_vsm_svg(office, "growth/quote"))
    intake = {t.text: t for t in _group(root, "step-intake").iterfind(".//s:text", NS)}
    assert intake["20min"].get("font-weight") == "bold"  # measured PT
    assert intake["90.0%"].get("font-style") == "italic"  # workshop %C&A
    rework = {t.text: t for t in _group(root, "step-rework").iterfind(".//s:text", NS)}
    assert rework["—"].get("fill") == "#616e7c"  # no %C&A given
    queue = _group(root, "queue-intake").find(".//s:polygon", NS)
    assert queue is not None and queue.get("stroke-dasharray") is None  # measured wait: solid
    queue = _group(root, "queue-design").find(".//s:polygon", NS)
    assert queue is not None and queue.get("stroke-dasharray") == "3 2"  # estimate: dashed
    legend = " ".join(_texts(_group(root, "legend")))
    assert "measured from crm-export.csv (median of 412 cases, 2025-01-01 to 2025-03-31)" in legend


def test_decision_draws_a_diamond_and_branch_shares(office: Canvas) -> None:
    root = _parse(render_vsm_svg(office, "growth/quote"))
    diamond = _group(root, "decision-review").find(".//s:polygon", NS)
    assert diamond is not None and len(diamond.get("points", "").split()) == 4
    flows = _texts(_group(root, "flows"))
    assert "70%" in flows and "approved" in flows and "30%" in flows and "changes" in flows
    assert _group(root, "bottleneck-design") is not None  # largest wait (3d)


def _box(root: etree._Element, step_id: str) -> tuple[float, float]:
    rect = _group(root, f"step-{step_id}").find("s:rect", NS)
    assert rect is not None
    return float(rect.get("x", "0")), float(rect.get("y", "0"))


def test_parallel_branches_stand_side_by_side(parallel: Canvas) -> None:
    root = _parse(render_vsm_svg(parallel, "efficiency/onboard"))
    kickoff, build, train, live = (_box(root, s) for s in ("kickoff", "build", "train", "live"))
    assert build[0] == train[0] > kickoff[0]  # one column, after the kickoff
    assert build[1] != train[1]  # in their own lanes
    assert live[0] > build[0] and live[1] == kickoff[1]  # the join comes after both, in PMO
    bands = [
        p for p in _group(root, "flows").iterfind("s:path", NS) if p.get("stroke-width") == "6"
    ]
    assert len(bands) == 4  # four push arrows: two forks, two joins
    # the ladder follows the critical path: build (5d) is longer than train (2d)
    assert _group(root, "ladder-build") is not None
    assert root.find(".//s:g[@id='ladder-train']", NS) is None


def test_manufacturing_mode_shows_cycle_time_changeover_uptime(manufacturing: Canvas) -> None:
    root = _parse(render_vsm_svg(manufacturing, "efficiency/bench"))
    image = _texts(_group(root, "step-image"))
    start = image.index("C/T")
    assert image[start : start + 6] == ["C/T", "3min", "C/O", "20min", "Uptime", "85.0%"]
    assert "%C&A" not in image
    queue = _texts(_group(root, "queue-image"))
    assert queue == ["480 · 4d"]  # 480 units at 120/day
    ladder = " ".join(_texts(_group(root, "ladder")))
    assert "Inventory" in ladder and "C/T" in ladder
    assert _texts(_group(root, "total-production-lead-time"))[0] == "Production lead time"


def test_hostile_names_come_out_inert(hostile: Canvas, hostile_name: str) -> None:
    svg = render_vsm_svg(hostile, "growth/s")
    root = _parse(svg)  # still well-formed: control characters dropped, markup escaped
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg and "<i>" not in svg
    assert root.find(".//s:script", NS) is None
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert any(t and hostile_name in t for t in titles)  # the full text survives, as text
    assert "B bell" in " ".join(_texts(root))


@pytest.mark.parametrize(
    "name",
    ["Short", "A rather long step name that needs three lines or more to be shown in full",
     "Supercalifragilisticexpialidociousnessificationalisation", "Ünïcödé 日本語の工程名 ok",
     "W" * 80],
)  # fmt: skip
def test_step_text_stays_inside_its_box(office: Canvas, name: str) -> None:
    step = office.stream("growth/quote").steps[1]
    renamed = step.model_copy(update={"name": name, "role": name})
    stream = office.stream("growth/quote")
    steps = [renamed if s.id == step.id else s for s in stream.steps]
    engine = office.engines["growth"].model_copy(
        update={"streams": {"quote": stream.model_copy(update={"steps": steps})}}
    )
    canvas = office.model_copy(update={"engines": {"growth": engine}})
    group = _group(_parse(render_vsm_svg(canvas, "growth/quote")), "step-design")
    rect = group.find("s:rect", NS)
    assert rect is not None
    left = float(rect.get("x", "0"))
    right = left + float(rect.get("width", "0"))
    for text in group.iterfind(".//s:text", NS):
        size = float(text.get("font-size", "0"))
        width = text_width(text.text or "", size, bold=text.get("font-weight") == "bold")
        x = float(text.get("x", "0"))
        start = {"end": x - width, "middle": x - width / 2}.get(text.get("text-anchor", ""), x)
        assert left <= start and start + width <= right + 0.01, text.text
