"""The chart assembly helpers build the very spec Altair's own constructors build.

``layered``, ``vconcat``, ``hconcat``, ``finish`` and ``data`` skip Altair's copies and
per-value validation for speed; each case here builds a chart both ways and compares the
Vega-Lite dicts, including the data Altair moves up to a parent when every part shares it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import pytest

from opcanvas.render.charts_base import (
    configure,
    data,
    finish,
    hconcat,
    house_config,
    layered,
    vconcat,
)


def _rows(n: int = 3) -> alt.Data:
    return data([{"x": i, "y": i * i, "t": f"r{i}"} for i in range(n)])


def _parts() -> dict[str, Any]:
    shared = alt.Chart(_rows())
    bar = shared.mark_bar().encode(x=alt.X("x:Q"), y=alt.Y("y:Q"))
    text = shared.mark_text(dy=-4).encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), text=alt.Text("t:N"))
    other = alt.Chart(_rows(2)).mark_rule().encode(y=alt.Y("y:Q"))
    sized = other.properties(width=200, height=100)
    brush = alt.selection_interval(encodings=["x"])
    selecting = bar.add_params(brush)
    return {"bar": bar, "text": text, "other": other, "sized": sized, "selecting": selecting}


P = _parts()
INDEPENDENT_Y = alt.Resolve(scale=alt.ScaleResolveMap(y="independent"))

# (name, ours, Altair's) — each builds one chart from the same parts
CASES: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
    ("shared data moves up", lambda: layered(P["bar"], P["text"]),
     lambda: alt.layer(P["bar"], P["text"])),
    ("different data stays", lambda: layered(P["bar"], P["other"]),
     lambda: alt.layer(P["bar"], P["other"])),
    ("one layer", lambda: layered(P["other"]), lambda: alt.layer(P["other"])),
    ("nested with props",
     lambda: layered(layered(P["bar"], P["text"]), layered(P["other"]), resolve=INDEPENDENT_Y,
                     width=300, height=120),
     lambda: alt.layer(alt.layer(P["bar"], P["text"]), alt.layer(P["other"]))
     .resolve_scale(y="independent").properties(width=300, height=120)),
    ("sized part: Altair's path", lambda: layered(P["bar"], P["sized"]),
     lambda: alt.layer(P["bar"], P["sized"])),
    ("params: Altair's path", lambda: layered(P["selecting"], P["text"]),
     lambda: alt.layer(P["selecting"], P["text"])),
    ("vconcat of layers",
     lambda: vconcat(layered(P["bar"], P["text"], width=100), layered(P["other"]), spacing=30),
     lambda: alt.vconcat(alt.layer(P["bar"], P["text"]).properties(width=100),
                         alt.layer(P["other"]), spacing=30)),
    ("vconcat shared data moves up", lambda: vconcat(P["bar"], P["text"]),
     lambda: alt.vconcat(P["bar"], P["text"])),
    ("vconcat with params", lambda: vconcat(P["selecting"], P["other"]),
     lambda: alt.vconcat(P["selecting"], P["other"])),
    ("hconcat", lambda: hconcat(layered(P["bar"], P["other"]), P["text"], spacing=16),
     lambda: alt.hconcat(alt.layer(P["bar"], P["other"]), P["text"], spacing=16)),
    ("hconcat with params", lambda: hconcat(P["selecting"], P["other"]),
     lambda: alt.hconcat(P["selecting"], P["other"])),
    ("finish",
     lambda: finish(layered(P["bar"], P["text"]), alt.TitleParams("T", subtitle=["a", "b"]),
                    "T: a", "EUR", width=560, height=300),
     lambda: configure(alt.layer(P["bar"], P["text"]).properties(
         width=560, height=300, title=alt.TitleParams("T", subtitle=["a", "b"]),
         description="T: a"), "EUR")),
    ("finish without size",
     lambda: finish(vconcat(P["bar"], P["other"]), alt.TitleParams("T", offset=36), "d"),
     lambda: configure(alt.vconcat(P["bar"], P["other"]).properties(
         title=alt.TitleParams("T", offset=36), description="d"))),
]  # fmt: skip


@pytest.mark.parametrize(("name", "ours", "theirs"), CASES, ids=[c[0] for c in CASES])
def test_helpers_build_the_spec_altair_builds(
    name: str, ours: Callable[[], Any], theirs: Callable[[], Any]
) -> None:
    mine = ours().to_dict(validate=True)
    assert mine == theirs().to_dict(validate=True)
    if name.startswith("shared") or name.startswith("vconcat shared"):
        assert mine["data"] == {"values": [{"x": i, "y": i * i, "t": f"r{i}"} for i in range(3)]}


def test_moving_data_up_leaves_the_parts_as_they_were() -> None:
    before = P["bar"].to_dict(validate=False)
    layer = layered(P["bar"], P["text"])
    assert "data" not in layer.to_dict(validate=False)["layer"][0]
    assert P["bar"].to_dict(validate=False) == before  # a part reused elsewhere keeps its data
    assert before["data"]["values"][2] == {"x": 2, "y": 4, "t": "r2"}


def test_finish_sets_the_house_style_and_currency() -> None:
    chart = finish(layered(P["bar"]), alt.TitleParams("T"), "T: d", "EUR", width=10)
    assert chart["config"] == house_config("EUR")
    spec = chart.to_dict(validate=False)  # Altair's theme adds its view defaults to the config
    assert spec["config"]["locale"]["number"]["currency"] == ["EUR ", ""]
    assert (spec["width"], spec["title"], spec["description"]) == (10, {"text": "T"}, "T: d")


def test_data_is_the_inline_data_altair_builds() -> None:
    rows = [{"a": 1, "b": "x"}, {"a": 2, "b": None}]
    assert data(rows).to_dict() == alt.Data(values=rows).to_dict() == {"values": rows}
