"""Closed-form queueing estimates used to split a canvas wait into queueing and delay.

``erlang_c`` is the probability that an arrival waits in an M/M/c queue; ``queue_wait`` the
Allen–Cunneen approximation of the mean wait in a G/G/c queue,
``Wq ≈ C(c, a) / (c/S − λ) × (ca² + cs²) / 2``, with Poisson arrivals (ca² = 1) and the squared
coefficient of variation ``cs²`` of the service time. Exact for M/M/c and, for one server, the
Pollaczek–Khinchine mean of M/G/1.

>>> round(erlang_c(1, 0.7), 6)  # one server: the probability of waiting is the load
0.7
>>> round(queue_wait(rate=0.7, service=1.0, servers=1, scv=1.0), 4)  # M/M/1: ρ/(μ − λ)
2.3333
"""

from __future__ import annotations

import math

from opcanvas.simulate.distributions import DurationSpec


def erlang_c(servers: int, offered: float) -> float:
    """P(wait) in M/M/c with ``offered`` = λ × mean service (must be below ``servers``)."""
    blocking = 1.0  # Erlang B, by the stable recursion B(k) = aB(k−1) / (k + aB(k−1))
    for k in range(1, servers + 1):
        blocking = offered * blocking / (k + offered * blocking)
    load = offered / servers
    return blocking / (1 - load * (1 - blocking))


def queue_wait(*, rate: float, service: float, servers: int, scv: float) -> float:
    """Mean wait in queue per arrival (Allen–Cunneen); ``inf`` at a load of 1 or more."""
    if rate <= 0 or service <= 0:
        return 0.0
    offered = rate * service
    if offered >= servers:
        return math.inf
    mmc = erlang_c(servers, offered) / (servers / service - rate)
    return mmc * (1 + scv) / 2


def squared_cv(spec: DurationSpec) -> float:
    """The squared coefficient of variation of a duration distribution."""
    kind, a, b, c, mean = spec.kind, spec.a, spec.b, spec.c, spec.mean
    if mean <= 0 or kind == "fixed":
        return 0.0
    if kind == "exponential":
        return 1.0
    if kind == "lognormal":
        return math.expm1(b * b)
    if kind == "gamma":
        return 1 / a
    if kind == "uniform":
        variance = (b - a) ** 2 / 12
    elif kind == "triangular":
        variance = (a * a + b * b + c * c - a * b - a * c - b * c) / 18
    elif kind == "pert":
        variance = (mean - a) * (c - mean) / 7
    else:  # normal (the clipping at zero is ignored here)
        variance = b * b
    return variance / (mean * mean)
