"""What the network view shows at each step of a walkthrough (pure: no widgets).

``annotations_at(tour, index, clicked)`` says, for step ``index``, which
numbers go under which nodes, which edge layers are coloured by other values
than their weights, what is in focus and which layer the activation plot
shows. It is a function of the step alone, so scrubbing backwards or jumping
shows exactly what stepping there would have shown:

* forward, layer l: columns before l+1 show their a; column l+1 shows z, then
  z and a; the edges into it carry w·a while the sum is formed;
* loss: every column shows its a, the output ŷ against the target y and L;
* backward, layer l: columns after l+1 show their δ, column l+1 its new δ,
  columns up to l their a (the other factor of ∂L/∂w = a·δ); finished layers'
  edges are coloured by ∂L/∂w; while a hidden δ is formed, the edges it comes
  back along carry w·δ;
* training mode (dropout, batch norm): the batch-norm step shows z and u, the dropout
  step the a the mask left; from a column's dropout step until the update the view
  greys the units its mask dropped (``dropout_kept``); back through dropout the
  column shows g = m·Σ w·δ (0 at dropped units: δ stops there);
* update: edges show the parameters (animated to the new ones by the panel),
  each updated column its bias old → new; at the end, the loss before → after.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.walkthrough import Step, Walkthrough
from model.walkthrough_text import fmt

Array = np.ndarray


@dataclass(frozen=True)
class Annotations:
    edge_values: tuple[Array | None, ...]          # one per weight layer; None: show the weights
    edge_labels: tuple[bool, ...]                   # write the numbers on that layer's edges
    node_texts: tuple[tuple[str, ...] | None, ...]  # one per node column; None: no texts
    focus_columns: tuple[int, ...] | None           # None: nothing dimmed
    focus_unit: tuple[int, int] | None              # (column, unit) ring-highlighted
    plot_layer: int                                 # weight layer whose activation is plotted
    plot_z: Array | None                            # its z values (markers), None before known
    formula_unit: int | None                        # unit of step.column the formula explains
    dropout_kept: tuple[Array | None, ...] | None = None   # per node column, the kept units; None: no mask


def _texts(prefix: str, values: Array, digits: int = 3) -> list[str]:
    return [f"{prefix}={fmt(v, digits)}" for v in values]


def _a_texts(tour: Walkthrough, column: int) -> list[str]:
    prefix = "x" if column == 0 else ("ŷ" if column == tour.depth else "a")
    return _texts(prefix, tour.trace.a[column][0])


def _partial(texts: list[str], done: list[str], step: Step) -> list[str]:
    """Neuron mode: units before the step's neuron show ``done``, later ones nothing."""
    if step.neuron is None:
        return texts
    j = step.neuron
    return [done[u] if u < j else (texts[u] if u == j else "") for u in range(len(texts))]


def _only_done(values: Array, step: Step, axis: int) -> Array:
    """Neuron mode: zero the rows (axis 0) or columns (axis 1) of units after the step's."""
    if step.neuron is None:
        return values
    masked = np.zeros_like(values)
    keep = slice(0, step.neuron + 1) if axis == 1 else slice(step.neuron, step.neuron + 1)
    if axis == 1:
        masked[:, keep] = values[:, keep]
    else:
        masked[keep, :] = values[keep, :]
    return masked


def annotations_at(tour: Walkthrough, index: int, clicked: tuple[int, int] | None = None) -> Annotations:
    """The view state of step ``index``; ``clicked`` = (column, unit) the user picked, if any."""
    step = tour.steps[index]
    depth, l, c = tour.depth, step.layer, step.column
    edges: list[Array | None] = [None] * depth
    labels = [True] * depth
    texts: list[list[str] | None] = [None] * (depth + 1)
    texts[0] = _a_texts(tour, 0)
    z = [zl[0] for zl in tour.trace.z]
    deltas = [d[0] for d in tour.gradients.deltas]
    focus: tuple[int, ...] | None = (l, c)
    # what each activation sees: u after batch norm, else z
    seen = {s.layer: np.asarray(s.values["z"]) for s in tour.steps
            if s.kind == "activation" and s.neuron in (None, 0)}
    plot_layer, plot_z = l, seen.get(l, z[l])

    if step.phase == "forward":
        for column in range(1, c):
            texts[column] = _a_texts(tour, column)
        a_texts = _a_texts(tour, c)
        z_texts = _texts("z", z[l])
        u_texts = _texts("u", seen.get(l, z[l]))
        activated = _texts("ŷ" if c == depth else "a",
                           next(s.values["activations"] for s in tour.steps
                                if (s.kind, s.layer) == ("activation", l)))
        now = {"weighted_inputs": [""] * len(z_texts), "sum": z_texts,
               "batch_norm": [f"{zt}\n{ut}" for zt, ut in zip(z_texts, u_texts)],
               "activation": [f"{zt}\n{at}" for zt, at in
                              zip(u_texts if tour.trace.batch_norm and tour.trace.batch_norm[l]
                                  is not None else z_texts, activated)],
               "dropout": a_texts}[step.kind]
        texts[c] = _partial(now, a_texts if step.kind == "dropout" else activated, step)
        if step.kind in ("weighted_inputs", "sum"):
            edges[l] = np.asarray(step.values["weighted_inputs"])
        if step.kind == "weighted_inputs":
            plot_z = z[l][:step.neuron] if step.neuron is not None else None
        elif step.neuron is not None:
            plot_z = z[l][:step.neuron + 1]
    elif step.phase == "loss":
        for column in range(1, depth):
            texts[column] = _a_texts(tour, column)
        texts[depth] = [f"ŷ={fmt(p)}\ny={fmt(t)}" for p, t in zip(tour.prediction_before, tour.target)]
        texts[depth][0] += f"\nL={fmt(tour.loss_before)}"
        focus = (depth,)
    elif step.phase == "backward":
        for column in range(1, c):
            texts[column] = _a_texts(tour, column)
        for column in range(c + 1, depth + 1):
            texts[column] = _texts("δ", deltas[column - 1])
        delta_texts = _texts("δ", deltas[l])
        if step.kind == "dropout":
            delta_texts = _texts("g", step.values["gated"])
        elif step.kind == "delta" and "gated" in step.values:
            delta_texts = _texts("∂L/∂u" if "∂L/∂u" in step.title else "δ", step.values["deltas"])
        texts[c] = _partial(delta_texts, delta_texts, step)
        for layer in range(l + 1, depth):
            edges[layer] = tour.gradients.weights[layer]
        if step.kind == "weight_gradients":
            edges[l] = _only_done(tour.gradients.weights[l], step, axis=1)
        elif l < depth - 1 and "weighted_deltas" in step.values:
            edges[l + 1] = _only_done(np.asarray(step.values["weighted_deltas"]), step, axis=0)
            labels[l + 1] = step.neuron is None
            focus = (c, c + 1)
        else:
            focus = (c,)
    elif step.kind == "update":
        texts[c] = [f"b: {fmt(old)}→{fmt(new)}"
                    for old, new in zip(tour.biases_before[l], tour.biases_after[l])]
    else:                                                 # loss_after
        texts[depth] = [f"ŷ={fmt(p)}\ny={fmt(t)}" for p, t in zip(tour.prediction_after, tour.target)]
        texts[depth][0] += f"\nL: {fmt(tour.loss_before)}→{fmt(tour.loss_after)}"
        focus = None

    if plot_z is not None and (plot_z.size == 0 or (tour.activations[plot_layer].name == "softmax"
                                                    and plot_z.size < tour.sizes[plot_layer + 1])):
        plot_z = None                  # nothing summed yet, or a softmax without all its z

    # The ringed neuron is the one the formula explains: the step's neuron, else the
    # neuron clicked in this column, else (forward/backward, layer mode) the first one.
    unit = None
    if step.neuron is not None:
        unit = (c, step.neuron)
    elif clicked is not None and clicked[0] == c and 0 <= clicked[1] < len(step.formulas):
        unit = clicked
    elif step.phase in ("forward", "backward") and len(step.formulas) > 1:
        unit = (c, 0)
    formula_unit = unit[1] if unit is not None else None
    kept = None
    if tour.training and step.phase != "update":
        shown = {s.layer + 1 for s in tour.steps[:index + 1] if (s.phase, s.kind) == ("forward", "dropout")}
        if shown:
            kept = tuple(tour.dropout_kept(column) if column in shown else None
                         for column in range(depth + 1))
    return Annotations(dropout_kept=kept, edge_values=tuple(edges), edge_labels=tuple(labels),
                       node_texts=tuple(None if t is None else tuple(t) for t in texts),
                       focus_columns=focus, focus_unit=unit, plot_layer=plot_layer,
                       plot_z=plot_z, formula_unit=formula_unit)
