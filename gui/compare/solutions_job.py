"""What the comparison's Solutions tab computes: the runs grouped by the function they ended as,
and the loss on the straight line between two of them (no Qt here).

    request = solutions_request(net, X, Y, snapshot, pair=None)   # None: the two best solutions
    result = compute_solutions(request)                            # in the worker thread

Two runs are one solution when their outputs on the training points differ by
an RMS below ``model.minima.SAME_FUNCTION_RMS`` (``group_solutions``); the line
between two runs' final weights is ``model.landscape.loss_along`` and its bump
``model.minima.barrier_height``. Groups are ranked by their best training loss.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model import Network
from model.comparison_results import ComparisonSnapshot
from model.landscape import loss_along, losses_at
from model.minima import barrier_height, best_pair, group_solutions

Array = np.ndarray


@dataclass(frozen=True)
class SolutionsRequest:
    net: Network                     # a private copy of the runs' network (weights not used)
    inputs: Array                    # the training set X (n, d), Y (n, k)
    targets: Array
    params: tuple[Array, ...]        # each run's final flat weights
    plane_outputs: tuple             # each run's output over the input plane (or None), to draw
    labels: tuple[str, ...]
    epoch: int
    pair: tuple[int, int] | None = None    # the two runs of the barrier; None: the best two


@dataclass(frozen=True)
class SolutionsResult:
    request: SolutionsRequest
    groups: tuple[tuple[int, ...], ...]    # best solution first; each its runs, in run order
    losses: Array                           # (R,) training loss of each run's final weights
    pair: tuple[int, int]
    t: Array                                # (points,) from 0 (run a) to 1 (run b)
    line: Array                             # (points,) L((1 − t)·θ_a + t·θ_b)
    height: float                           # max L − max(L(0), L(1)); > 0: a barrier


def solutions_request(net: Network, inputs: Array, targets: Array, snapshot: ComparisonSnapshot,
                      pair: tuple[int, int] | None = None) -> SolutionsRequest:
    return SolutionsRequest(net, inputs, targets, tuple(run.params for run in snapshot.runs),
                            tuple(run.plane_output for run in snapshot.runs),
                            tuple(run.label for run in snapshot.runs), snapshot.epoch, pair)


def compute_solutions(request: SolutionsRequest, points: int = 51) -> SolutionsResult:
    net, X, Y = request.net, request.inputs, request.targets
    losses = losses_at(net, X, Y, np.array(request.params))
    outputs = []
    twin = net.copy()
    with np.errstate(all="ignore"):
        for params in request.params:
            twin.params[:] = params
            outputs.append(twin.predict(X))
    groups = sorted(group_solutions(outputs), key=lambda group: min(losses[r] for r in group))
    a, b = request.pair if request.pair is not None else best_pair(groups, losses)
    line = loss_along(net, X, Y, request.params[a], request.params[b], points)
    return SolutionsResult(request, tuple(tuple(g) for g in groups), losses, (a, b),
                           np.linspace(0.0, 1.0, points), line, barrier_height(line))
