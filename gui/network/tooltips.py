"""Hover texts of the network view: what a node, an edge or a bias is, with numbers.

Pure string formatting (no Qt). Column c = 0 is the input layer, column c ≥ 1
holds a[c] = f(z[c − 1]) with z[c − 1] = a[c − 1]·W[c − 1] + b[c − 1].
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from model import ACTIVATIONS, OUTPUT_ACTIVATIONS
from model.walkthrough_text import pair, sub


def number(value: float) -> str:
    """Compact signed number: 4 significant digits."""
    return f"{float(value):+.4g}".replace("-", "−")


def column_name(column: int, n_columns: int) -> str:
    if column == 0:
        return "Input"
    if column == n_columns - 1:
        return "Output"
    return f"Hidden layer {column}"


def display_name(name: str) -> str:
    """How a registry name (activation, loss) is spelled in menus and on the diagram:
    "leaky_relu" → "leaky relu"."""
    return name.replace("_", " ")


def weight_name(layer: int, i: int, j: int, n_columns: int) -> str:
    """The walkthrough's name of W[layer][i, j]: "w₁₂ into hidden layer 1" (1-based, as in
    z_j = Σᵢ wᵢⱼ·aᵢ + b_j); one notation in hover texts, the editor and the status bar."""
    return f"w{pair(i, j)} into {column_name(layer + 1, n_columns).lower()}"


def bias_name(column: int, unit: int, n_columns: int) -> str:
    """The walkthrough's name of node (column, unit)'s bias: "b₂ of hidden layer 1"."""
    return f"b{sub(unit)} of {column_name(column, n_columns).lower()}"


def activation_formula(name: str) -> str:
    """The activation's display formula from the model's registries ('' if unknown)."""
    activation = ACTIVATIONS.get(name) or OUTPUT_ACTIVATIONS.get(name)
    return getattr(activation, "formula", "") if activation is not None else ""


def node_tooltip(column: int, unit: int, n_columns: int, input_names: Sequence[str],
                 activation_names: Sequence[str], a: np.ndarray | None, z: np.ndarray | None,
                 bias: float | None, bias_gradient: float | None) -> str:
    """Tooltip of node (column, unit); a and z are that column's sample values or None."""
    if column == 0:
        name = input_names[unit] if unit < len(input_names) else f"x{unit + 1}"
        lines = [f"Input {unit + 1}: {name}"]
        if a is not None:
            lines.append(f"a = {name} = {number(a[unit])}  (focused sample)")
        lines.append("The heatmap shows this feature over the input plane.")
        return "\n".join(lines)
    activation = activation_names[column - 1] if column - 1 < len(activation_names) else "?"
    lines = [f"{column_name(column, n_columns)} · neuron {unit + 1} ({activation})"]
    if z is not None:
        lines.append(f"z = Σᵢ wᵢ·aᵢ + b = {number(z[unit])}")
    else:
        lines.append("z = Σᵢ wᵢ·aᵢ + b")
    if a is not None:
        lines.append(f"a = {activation}(z) = {number(a[unit])}")
    else:
        lines.append(f"a = {activation}(z)   (click a data point to see its numbers)")
    if bias is not None:
        extra = f"   ∂L/∂b = {number(bias_gradient)}" if bias_gradient is not None else ""
        lines.append(f"bias b = {number(bias)}{extra}")
    formula = activation_formula(activation)
    if formula:
        lines.append(formula)
    lines.append("The heatmap shows a over the input plane.")
    return "\n".join(lines)


def edge_tooltip(layer: int, i: int, j: int, n_columns: int, input_names: Sequence[str],
                 weight: float | None, gradient: float | None, a_in: float | None,
                 annotation: float | None, editable: bool) -> str:
    """Tooltip of the edge carrying W[layer][i, j] (named as in the walkthrough)."""
    source = (input_names[i] if layer == 0 and i < len(input_names)
              else f"{column_name(layer, n_columns).lower()} neuron {i + 1}")
    target = f"{column_name(layer + 1, n_columns).lower()} neuron {j + 1}"
    lines = [f"Weight {weight_name(layer, i, j, n_columns)}: {source} → {target}"]
    if weight is not None:
        lines.append(f"w = {number(weight)}")
    if gradient is not None:
        lines.append(f"∂L/∂w = {number(gradient)}  (latest gradient)")
    if a_in is not None and weight is not None:
        lines.append(f"w·a = {number(weight)} × {number(a_in)} = {number(weight * a_in)}")
    if annotation is not None:
        lines.append(f"shown value = {number(annotation)}")
    if editable:
        lines.append("Click to edit this weight.")
    return "\n".join(lines)


def bias_tooltip(column: int, unit: int, n_columns: int, bias: float | None,
                 gradient: float | None, editable: bool) -> str:
    """Tooltip of the bias marker of node (column, unit), i.e. b[column − 1][unit]."""
    lines = [f"Bias {bias_name(column, unit, n_columns)} (of neuron {unit + 1})"]
    if bias is not None:
        lines.append(f"b = {number(bias)}")
    if gradient is not None:
        lines.append(f"∂L/∂b = {number(gradient)}  (latest gradient)")
    if editable:
        lines.append("Click to edit this bias.")
    return "\n".join(lines)
