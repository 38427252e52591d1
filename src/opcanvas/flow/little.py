"""Little's law: WIP = throughput × lead time (J. D. C. Little, Operations Research 9(3), 1961).

It holds for long-run averages of any stable system, so any two of the three figures give the
third, and three stated figures that disagree mean at least one of them is wrong (or the
system is not stable). Units: WIP in items, throughput per minute, lead time in minutes.
"""

from __future__ import annotations

from opcanvas.errors import QuantityError
from opcanvas.flow.results import LittleResult

DEFAULT_TOLERANCE = 0.1


def _check(name: str, value: float | None) -> None:
    if value is not None and not value >= 0:  # also refuses NaN
        raise QuantityError(f"Little's law: expected a {name} of zero or more, got {value!r}")


def littles_law(
    *,
    wip: float | None = None,
    throughput: float | None = None,
    lead_time: float | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> LittleResult:
    """Derive the missing one of WIP, throughput and lead time, or check the three agree.

    >>> littles_law(wip=10, throughput=0.5 / 60).lead_time / 60  # 10 items at 0.5/h
    20.0
    >>> littles_law(wip=10, throughput=0.5 / 60, lead_time=30 * 60).consistent
    False
    """
    for name, value in (("WIP", wip), ("throughput", throughput), ("lead time", lead_time)):
        _check(name, value)
    _check("tolerance", tolerance)
    given = sum(v is not None for v in (wip, throughput, lead_time))
    if given < 2:
        return LittleResult(
            wip,
            throughput,
            lead_time,
            None,
            None,
            None,
            tolerance,
            note="needs two of WIP, throughput and lead time",
        )
    if wip is not None and throughput is not None and lead_time is not None:
        expected = throughput * lead_time
        scale = max(wip, expected)
        deviation = abs(wip - expected) / scale if scale > 0 else 0.0
        return LittleResult(
            wip, throughput, lead_time, None, deviation <= tolerance, deviation, tolerance
        )
    if wip is None:
        assert throughput is not None and lead_time is not None
        return LittleResult(
            throughput * lead_time, throughput, lead_time, "wip", None, None, tolerance
        )
    if throughput is None:
        assert lead_time is not None
        if lead_time == 0:
            return LittleResult(
                wip,
                None,
                lead_time,
                None,
                None,
                None,
                tolerance,
                note="a lead time of zero gives no throughput",
            )
        return LittleResult(wip, wip / lead_time, lead_time, "throughput", None, None, tolerance)
    if throughput == 0:
        return LittleResult(
            wip,
            throughput,
            None,
            None,
            None,
            None,
            tolerance,
            note="a throughput of zero gives no lead time",
        )
    return LittleResult(wip, throughput, wip / throughput, "lead_time", None, None, tolerance)
