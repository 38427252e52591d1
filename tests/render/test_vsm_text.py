"""Text fitting and escaping for drawings: lines never exceed their width, nothing is lost
without an ellipsis, and escaped text parses back to the original."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from opcanvas.render.text import ELLIPSIS, clean, esc, fit, text_width


@pytest.mark.parametrize(
    ("text", "width", "lines", "expected", "truncated"),
    [
        ("Solution design and proposal", 200.0, 2, ("Solution design and proposal",), False),
        ("Solution design and proposal", 60.0, 2, ("Solution", "design…"), True),
        ("Non-standard terms", 60.0, 3, ("Non-", "standard", "terms"), False),
        ("Provisioning bench", 80.0, 2, ("Provisioning", "bench"), False),
        ("", 50.0, 2, (), False),
    ],
)
def test_fit_cases(
    text: str, width: float, lines: int, expected: tuple[str, ...], truncated: bool
) -> None:
    size = 11.0 if "Solution" in text else 10.0
    fitted = fit(text, width, size, max_lines=lines, bold="Provisioning" in text)
    assert fitted.lines == expected and fitted.truncated == truncated


def test_text_width_uses_dejavu_metrics() -> None:
    # DejaVu Sans: "M" is 863/1000 em, a space 318/1000 em
    assert text_width("M M", 10.0) == pytest.approx(8.63 + 3.18 + 8.63)
    assert text_width("M", 10.0, bold=True) == pytest.approx(9.95)


@given(
    st.text(min_size=0, max_size=120),
    st.floats(min_value=20, max_value=300),
    st.integers(min_value=1, max_value=4),
)
def test_fitted_lines_never_overflow(text: str, width: float, max_lines: int) -> None:
    fitted = fit(text, width, 10.0, max_lines=max_lines)
    assert len(fitted.lines) <= max_lines
    for line in fitted.lines:
        widest_char = max((text_width(c, 10.0) for c in line), default=0.0)
        assert text_width(line, 10.0) <= max(width, widest_char + text_width(ELLIPSIS, 10.0))
    if not fitted.truncated:  # everything shown: the words are all there, in order
        shown = "".join(fitted.lines).replace(" ", "").replace("-", "")
        assert shown == "".join(clean(text).split()).replace("-", "")


@given(st.text(max_size=80))
def test_escaped_text_parses_back_as_the_same_text(text: str) -> None:
    element = etree.fromstring(f'<t a="{esc(text)}">{esc(text)}</t>'.encode())
    assert (element.text or "") == clean(text)
    assert element.get("a") == clean(text)
