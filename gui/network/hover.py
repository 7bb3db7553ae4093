"""What hovering a node, a bias marker or an edge of the diagram says, with the numbers shown."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from gui.network.diagram import Diagram
from gui.network.parameters import ShownParameters
from gui.network.tooltips import bias_tooltip, edge_tooltip, node_tooltip


@dataclass(frozen=True)
class FocusedSample:
    """One sample's a[c] for every column and z[l] for every weight layer (or None)."""

    activations: list[np.ndarray]
    pre_activations: list[np.ndarray] | None


def hover_text(target: tuple, diagram: Diagram, parameters: ShownParameters | None,
               sample: FocusedSample | None, overrides: Mapping[int, np.ndarray]) -> str:
    """The tooltip of ("node" | "bias", column, unit) or ("edge", layer, i, j)."""
    n_columns, names = diagram.layout.n_columns, diagram.input_names
    gradients = parameters is not None and parameters.weight_gradients is not None
    if target[0] in ("node", "bias"):
        _, column, unit = target
        bias = parameters.biases[column - 1][unit] if column and parameters else None
        grad = parameters.bias_gradients[column - 1][unit] if column and gradients else None
        if target[0] == "bias":
            return bias_tooltip(column, unit, n_columns, bias, grad, diagram.editable)
        a = sample.activations[column] if sample is not None else None
        z = sample.pre_activations[column - 1] \
            if sample is not None and sample.pre_activations is not None and column else None
        return node_tooltip(column, unit, n_columns, names, diagram.activation_names,
                            a, z, bias, grad)
    _, layer, i, j = target
    weight = parameters.weights[layer][i, j] if parameters is not None else None
    grad = parameters.weight_gradients[layer][i, j] if gradients else None
    a_in = sample.activations[layer][i] if sample is not None else None
    override = overrides.get(layer)
    return edge_tooltip(layer, i, j, n_columns, names, weight, grad, a_in,
                        override[i, j] if override is not None else None, diagram.editable)
