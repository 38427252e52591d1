"""The Mermaid export: lanes as subgraphs, waits on edges, decisions as rhombus nodes, and
labels that cannot break out of their quotes."""

from __future__ import annotations

import re

import pytest

from opcanvas.canvas import Canvas
from opcanvas.render.mermaid import label, to_mermaid

# the only statement shapes the exporter writes (anything else would be injected)
_STATEMENT = re.compile(
    r'^(flowchart LR|%% .*|subgraph lane\d+ \["[^"]*"\]|direction LR|end'
    r'|\w+(\["[^"]*"\]|\(\["[^"]*"\]\)|\{"[^"]*"\})'
    r'|\w+ (-->|-\.->)(\|"[^"]*"\|)? \w+'
    r"|classDef \w+ [\w:#,-]+|class [\w,]+ \w+)$"
)


def test_mermaid_flowchart_for_the_office_stream(office: Canvas) -> None:
    text = to_mermaid(office, "growth/quote")
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] == "flowchart LR"
    assert 'subgraph lane1 ["Sales"]' in lines and 'subgraph lane3 ["Finance"]' in lines
    assert lines.count("end") == 3
    assert 's1 -->|"wait 1d · handoff"| s2' not in lines  # intake's wait is before intake
    assert 'trigger -->|"wait 1d"| s1' in lines  # measured: no ≈
    assert 's1 -->|"wait ≈ 3d · handoff"| s2' in lines
    assert "s3 --> s3_d" in lines and 's3_d{"decision"}' in lines
    assert 's3_d -->|"70% approved · wait ≈ 1h · handoff"| s5' in lines
    assert 's4 -.->|"rework"| s2' in lines
    assert "s5 --> customer" in lines
    assert "class s2 bottleneck" in lines
    for line in lines:
        assert _STATEMENT.match(line), line


def test_mermaid_future_state_marks_changed_steps(office: Canvas) -> None:
    lines = to_mermaid(office, "growth/quote", state="future").splitlines()
    assert "  class s2,s3 changed" in lines
    assert any(line.startswith('  totals["Lead time: ') and "(now " in line for line in lines)


def test_mermaid_hostile_labels_stay_inside_their_quotes(hostile: Canvas) -> None:
    text = to_mermaid(hostile, "growth/s")
    for line in text.splitlines():
        assert _STATEMENT.match(line.strip()), line
    assert "<" not in text.replace("<br/>", "") and ">" not in text.replace("-->", "").replace(
        "-.->", ""
    ).replace("<br/>", "")
    assert "click" not in [w for line in text.splitlines() for w in line.split()[:1]]
    assert "#60;script#62;alert(#34;x#34;)" in text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [('a "b"', "a #34;b#34;"), ("x<y>&z", "x#60;y#62;#38;z"), ("#35;", "#35;35#59;"),
     ("[{|}]", "#91;#123;#124;#125;#93;"), ("line\nbreak", "line break")],
)  # fmt: skip
def test_label_escaping(raw: str, escaped: str) -> None:
    assert label(raw) == escaped
