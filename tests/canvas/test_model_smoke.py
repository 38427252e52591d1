from opcanvas.canvas import parse_canvas


def test_durations_resolve_on_the_canvas_calendar() -> None:
    canvas = parse_canvas(
        """
organization: Acme
calendar: {hours_per_day: 10}
engines:
  growth:
    streams:
      s:
        name: S
        steps:
          - {id: a, name: A, process_time: 1d, wait_time: [1h, 2h, 4h]}
"""
    )
    step = canvas.stream("growth/s").steps[0]
    assert step.process_time == 600.0
    assert step.wait_time is not None and not isinstance(step.wait_time, float)
    assert (step.wait_time.low, step.wait_time.likely, step.wait_time.high) == (60, 120, 240)
