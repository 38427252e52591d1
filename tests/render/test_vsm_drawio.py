"""The draw.io export: golden file, the mxGraph structure draw.io expects, lean-mapping shapes,
plain-text labels that keep hostile names inert."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from opcanvas.canvas import Canvas
from opcanvas.flow import analyze_stream, human_time
from opcanvas.render.drawio import to_drawio


def _cells(xml: str) -> list[etree._Element]:
    root = etree.fromstring(xml.encode("utf-8"))
    assert root.tag == "mxfile"
    diagrams = root.findall("diagram")
    assert len(diagrams) == 1
    model = diagrams[0].find("mxGraphModel")
    assert model is not None
    cells_root = model.find("root")
    assert cells_root is not None
    return list(cells_root)


def _by_id(xml: str) -> dict[str, etree._Element]:
    return {c.get("id", ""): c for c in _cells(xml)}


def test_drawio_matches_golden(office: Canvas, golden: Callable[[str, str], None]) -> None:
    xml = to_drawio(office, "growth/quote")
    golden("quote-current.drawio", xml)
    assert xml == to_drawio(office, "growth/quote")


def test_drawio_has_the_structure_drawio_expects(office: Canvas, parallel: Canvas) -> None:
    for canvas, ref in ((office, "growth/quote"), (parallel, "efficiency/onboard")):
        cells = _cells(to_drawio(canvas, ref))
        assert all(c.tag == "mxCell" for c in cells)
        ids = [c.get("id") for c in cells]
        assert len(ids) == len(set(ids)), "cell ids are unique"
        assert ids[:2] == ["0", "1"]
        assert cells[0].get("parent") is None and cells[1].get("parent") == "0"
        known = set(ids)
        for cell in cells[2:]:
            assert cell.get("parent") in known, cell.get("id")
            assert (cell.get("vertex") == "1") != (cell.get("edge") == "1"), cell.get("id")
            geometry = cell.find("mxGeometry")
            assert geometry is not None and geometry.get("as") == "geometry", cell.get("id")
            if cell.get("vertex") == "1":
                assert float(geometry.get("width", "0")) > 0 < float(geometry.get("height", "0"))
            else:
                assert geometry.get("relative") == "1"
                for end in ("source", "target"):
                    if cell.get(end) is not None:
                        assert cell.get(end) in known, (cell.get("id"), end)
                    else:  # a loose end needs a point
                        point = geometry.find(f"mxPoint[@as='{end}Point']")
                        assert point is not None, (cell.get("id"), end)


def test_drawio_uses_lean_mapping_shapes_and_lanes(office: Canvas) -> None:
    cells = _by_id(to_drawio(office, "growth/quote"))
    shape = {k: v.get("style", "").split(";")[0] for k, v in cells.items()}
    assert shape["step-intake"] == "shape=mxgraph.lean_mapping.manufacturing_process"
    assert shape["data-intake"] == "shape=mxgraph.lean_mapping.data_box"
    assert shape["queue-design"] == "shape=mxgraph.lean_mapping.inventory_box"
    assert shape["supplier"] == shape["customer"] == "shape=mxgraph.lean_mapping.outside_sources"
    assert shape["bottleneck-design"] == "shape=mxgraph.lean_mapping.kaizen_lightening_burst"
    assert shape["ladder"] == "shape=mxgraph.lean_mapping.timeline"
    assert shape["decision-review"] == "rhombus"
    lanes = sorted(k for k in cells if k.startswith("lane-"))
    assert [cells[k].get("value") for k in lanes] == ["Sales", "Presales", "Finance"]
    assert cells["step-intake"].get("parent") == "lane-1"  # a step moves with its lane
    assert cells["branch-review-send"].get("value") == "70%\napproved"
    assert cells["flow-intake-design"].get("source") == "step-intake"
    assert cells["flow-intake-design"].get("target") == "step-design"


def test_drawio_data_box_marks_estimates_and_totals_match_flow(office: Canvas) -> None:
    cells = _by_id(to_drawio(office, "growth/quote"))
    rows = (cells["data-intake"].get("value") or "").split("\n")
    # measured, derived (1d + 20min on 8-hour days), estimate
    assert rows[:3] == ["PT = 20min", "LT = 1.04d", "%C&A ≈ 90.0%"]
    assert rows[3:] == ["People = 2", "Systems: CRM"]
    flow = analyze_stream(office, "growth/quote")
    assert cells["total-1"].get("value") == (
        f"Lead time\n{human_time(flow.lead_time or 0, office.calendar)}"
    )
    timeline = cells["ladder"].get("style", "")
    assert "mainText=0,,80,1d,132,20min,80,3d,132,4h," in timeline


def test_drawio_hostile_names_stay_plain_text(hostile: Canvas, hostile_name: str) -> None:
    xml = to_drawio(hostile, "growth/s")
    cells = _by_id(xml)  # parses: the XML is well-formed
    assert "html=1" not in xml  # labels are never interpreted as HTML
    assert "<script" not in xml and "<img" not in xml
    title = cells["title"].get("value") or ""
    assert title.replace("\n", " ").startswith(hostile_name[:30])
    assert cells["data-a"].get("value", "").endswith("Systems: <img src=x…")  # cut to fit
    for cell in cells.values():
        assert "<" not in cell.get("style", ""), "user text never reaches a style"
