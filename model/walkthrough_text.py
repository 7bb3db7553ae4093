"""Number formatting and the formulas with numbers of a walkthrough (see walkthrough.py).

Conventions of every formula string:

* numbers have 3 significant digits (``fmt``), parameters before/after an
  update have 4 so the change is visible; minus signs are "−", negative
  numbers after an operator are parenthesised: ``0.5 × (−0.3)``;
* indices are 1-based unicode subscripts: ``w₂₁`` is the weight from unit 2
  of the previous column to unit 1 of this one (``w₁₂,₃`` once an index ≥ 10);
* the only ASCII digits in a formula are numbers from the step's ``values``
  or the constants 1 and 2 of the maths, so a test can check every one.

Each ``*_formula`` returns the text for one unit ``j`` of a column.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .activations import Activation

Array = np.ndarray
MINUS = "−"
TERMS_SHOWN = 4        # terms written out before "… +"
ROWS_SHOWN = 4         # edges listed per neuron before "…"
VECTOR_SHOWN = 8       # vector entries shown before "…"
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def fmt(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits, unicode minus: −0.0812, 1.5e−5, 0."""
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "∞" if value > 0 else MINUS + "∞"
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", MINUS)


def term(value: float, digits: int = 3) -> str:
    """``fmt`` in parentheses when negative, for use after an operator."""
    text = fmt(value, digits)
    return f"({text})" if text.startswith(MINUS) else text


def sub(index: int) -> str:
    """The 1-based subscript of a 0-based index: sub(0) == "₁"."""
    return str(index + 1).translate(_SUBSCRIPTS)


def pair(i: int, j: int) -> str:
    """Subscript of edge i → j: "₂₁", or "₁₂,₃" when an index has two digits."""
    return sub(i) + sub(j) if i < 9 and j < 9 else f"{sub(i)},{sub(j)}"


def vector(values: Array, digits: int = 3) -> str:
    """[0.12, −0.3, …, 0.5]: at most VECTOR_SHOWN entries."""
    values = np.ravel(values)
    if values.size <= VECTOR_SHOWN:
        parts = [fmt(v, digits) for v in values]
    else:
        parts = [fmt(v, digits) for v in values[:VECTOR_SHOWN - 2]] + ["…", fmt(values[-1], digits)]
    return "[" + ", ".join(parts) + "]"


def _sum(terms: Sequence[str]) -> str:
    """t₁ + t₂ + … + tₙ, eliding the middle of long sums."""
    if len(terms) > TERMS_SHOWN + 1:
        terms = list(terms[:TERMS_SHOWN]) + ["…", terms[-1]]
    return " + ".join(terms)


def _rows(count: int) -> tuple[list[int], bool]:
    """Indices of the rows to list and whether some were left out."""
    if count <= ROWS_SHOWN + 1:
        return list(range(count)), False
    return list(range(ROWS_SHOWN)) + [count - 1], True


def function_label(activation: Activation) -> str:
    """"tanh", "σ", "ReLU" … from the display formula; the name where it only says "f"."""
    label = activation.formula.split("(")[0].strip()
    return activation.name if label in ("f", "") else label


def derivative_label(activation: Activation) -> str:
    """"tanh′", "σ′" … the name of f′ in the activation's derivative formula."""
    label = activation.derivative_formula.split("(")[0].strip()
    return function_label(activation) + "′" if label in ("f′", "") else label


def input_symbol(layer: int) -> str:
    """What feeds weight layer ``layer``: x for the inputs, a for a hidden layer."""
    return "x" if layer == 0 else "a"


# -- forward ------------------------------------------------------------------

def weighted_inputs_formula(layer: int, j: int, inputs: Array, weights: Array) -> str:
    s = input_symbol(layer)
    rows, elided = _rows(len(inputs))
    lines = []
    for n, i in enumerate(rows):
        if elided and n == len(rows) - 1:
            lines.append("…")
        lines.append(f"w{pair(i, j)}·{s}{sub(i)} = {term(weights[i, j])} × {term(inputs[i])}"
                     f" = {fmt(weights[i, j] * inputs[i])}")
    return "\n".join(lines)


def sum_formula(layer: int, j: int, inputs: Array, weights: Array, biases: Array, z: Array,
                with_vector: bool) -> str:
    s = input_symbol(layer)
    products = [f"{term(weights[i, j])}×{term(inputs[i])}" for i in range(len(inputs))]
    text = (f"z{sub(j)} = Σᵢ wᵢ{sub(j)}·{s}ᵢ + b{sub(j)}\n"
            f"   = {_sum(products + [term(biases[j])])} = {fmt(z[j])}")
    return text + (f"\nz = {vector(z)}" if with_vector else "")


def activation_formula(j: int, activation: Activation, z: Array, a: Array, derivative: Array,
                       output: bool, with_vector: bool, argument: str = "z") -> str:
    """a = f(z) — or f(u) after batch norm (``argument``)."""
    name = "ŷ" if output else "a"
    if activation.name == "softmax":
        exponentials = [f"e^{fmt(value)}" for value in z]
        lines = [f"{name}{sub(j)} = e^z{sub(j)} / Σₖ e^zₖ",
                 f"   = e^{fmt(z[j])} / ({_sum(exponentials)}) = {fmt(a[j])}"]
    else:
        f = function_label(activation)
        v = argument
        lines = [f"{name}{sub(j)} = {f}({v}{sub(j)}) = {f}({fmt(z[j])}) = {fmt(a[j])}",
                 f"slope {derivative_label(activation)}({v}{sub(j)}) = {fmt(derivative[j])}"]
    if with_vector:
        lines.append(f"{name} = {vector(a)}")
    return "\n".join(lines)


# -- loss ---------------------------------------------------------------------

def loss_formula(loss_name: str, prediction: Array, target: Array, data_loss: float,
                 penalty: float, total: float) -> str:
    """The per-output errors ŷ − y, then the loss with its numbers (+ the penalty, if any)."""
    k = len(prediction)
    lines = []
    rows, elided = _rows(k)
    for n, i in enumerate(rows):
        if elided and n == len(rows) - 1:
            lines.append("…")
        lines.append(f"ŷ{sub(i)} − y{sub(i)} = {fmt(prediction[i])} − {term(target[i])}"
                     f" = {fmt(prediction[i] - target[i])}")
    if loss_name == "mse":
        squares = [f"{term(e)}²" for e in prediction - target]
        if k == 1:
            lines.append(f"L = (ŷ − y)² = {squares[0]} = {fmt(data_loss)}")
        else:
            lines.append(f"L = mean((ŷ − y)²) = ({_sum(squares)}) / {k} = {fmt(data_loss)}")
    elif k == 1:
        p, y = float(prediction[0]), float(target[0])
        lines.append("L = −[y·ln ŷ + (1 − y)·ln(1 − ŷ)]")
        if y == 1.0:
            lines.append(f"  with y = 1:  L = −ln ŷ = −ln {fmt(p)} = {fmt(data_loss)}")
        elif y == 0.0:
            lines.append(f"  with y = 0:  L = −ln(1 − ŷ) = −ln(1 − {fmt(p)}) = {fmt(data_loss)}")
        else:
            lines.append(f"   = −[{fmt(y)}·ln {fmt(p)} + (1 − {fmt(y)})·ln(1 − {fmt(p)})]"
                         f" = {fmt(data_loss)}")
    else:
        hot = np.flatnonzero(target)
        lines.append("L = −Σₖ yₖ·ln ŷₖ")
        if len(hot) == 1 and target[hot[0]] == 1.0:
            c = int(hot[0])
            lines.append(f"  only y{sub(c)} = 1:  L = −ln ŷ{sub(c)} = −ln {fmt(prediction[c])}"
                         f" = {fmt(data_loss)}")
        else:
            parts = [f"{fmt(target[i])}·ln {fmt(prediction[i])}" for i in hot]
            lines.append(f"   = −({_sum(parts)}) = {fmt(data_loss)}")
    if penalty:
        lines.append(f"L + penalty = {fmt(data_loss)} + {fmt(penalty)} = {fmt(total)}")
    return "\n".join(lines)


# -- backward -----------------------------------------------------------------

def _over(*divisors: int) -> str:
    """"/k/n" for the divisors above 1 (outputs k, batch size n)."""
    return "".join(f"/{d}" for d in divisors if d > 1)


def fused_delta_formula(j: int, prediction: Array, target: Array, deltas: Array,
                        with_vector: bool, batch: int = 1) -> str:
    if batch > 1:
        text = (f"δ{sub(j)} = ∂L/∂z{sub(j)} = (ŷ{sub(j)} − y{sub(j)})/n = ({fmt(prediction[j])} − "
                f"{term(target[j])})/{batch} = {fmt(deltas[j])}")
        return text + (f"\nδ = {vector(deltas)}" if with_vector else "")
    text = (f"δ{sub(j)} = ∂L/∂z{sub(j)} = ŷ{sub(j)} − y{sub(j)} = {fmt(prediction[j])} − "
            f"{term(target[j])} = {fmt(deltas[j])}")
    return text + (f"\nδ = {vector(deltas)}" if with_vector else "")


def mse_delta_formula(j: int, activation: Activation, prediction: Array, target: Array,
                      derivative: Array, deltas: Array, with_vector: bool, batch: int = 1) -> str:
    k = len(prediction)
    over = _over(k, batch)
    d = derivative_label(activation)
    text = (f"δ{sub(j)} = ∂L/∂ŷ{sub(j)} · {d}(z{sub(j)}) = 2(ŷ{sub(j)} − y{sub(j)}){over} · "
            f"{d}(z{sub(j)})\n   = 2 × ({fmt(prediction[j])} − {term(target[j])}){over} × "
            f"{term(derivative[j])} = {fmt(deltas[j])}")
    return text + (f"\nδ = {vector(deltas)}" if with_vector else "")


def softmax_mse_delta_formula(j: int, prediction: Array, loss_gradient: Array,
                              gradient_dot: float, deltas: Array, with_vector: bool,
                              batch: int = 1) -> str:
    k = len(prediction)
    text = (f"g = ∂L/∂ŷ = 2(ŷ − y){_over(k, batch)} = {vector(loss_gradient)}\n"
            f"δ{sub(j)} = ŷ{sub(j)}·(g{sub(j)} − Σₖ gₖ·ŷₖ)   (softmax Jacobian)\n"
            f"   = {fmt(prediction[j])} × ({fmt(loss_gradient[j])} − {term(gradient_dot)})"
            f" = {fmt(deltas[j])}")
    return text + (f"\nδ = {vector(deltas)}" if with_vector else "")


def hidden_delta_formula(j: int, activation: Activation, next_weights: Array,
                         next_deltas: Array, backpropagated: Array, derivative: Array,
                         deltas: Array, with_vector: bool) -> str:
    products = [f"{term(next_weights[j, k])}×{term(next_deltas[k])}" for k in range(len(next_deltas))]
    d = derivative_label(activation)
    text = (f"Σₖ w{sub(j)}ₖ·δₖ = {_sum(products)} = {fmt(backpropagated[j])}\n"
            f"δ{sub(j)} = {d}(z{sub(j)}) · Σₖ w{sub(j)}ₖ·δₖ = {term(derivative[j])} × "
            f"{term(backpropagated[j])} = {fmt(deltas[j])}")
    return text + (f"\nδ = {vector(deltas)}" if with_vector else "")


def weight_gradients_formula(layer: int, j: int, inputs: Array, deltas: Array, weights: Array,
                             weight_gradients: Array, bias_gradients: Array,
                             l1: float, l2: float, others: Array | None = None,
                             other_biases: Array | None = None) -> str:
    """∂L/∂w = a·δ (+ the penalty's term); on a mini-batch ``others`` (shape of W) and
    ``other_biases`` are the other samples' Σ a·δ and Σ δ, added after this sample's."""
    s = input_symbol(layer)
    rows, elided = _rows(len(inputs))
    lines = []
    for n, i in enumerate(rows):
        if elided and n == len(rows) - 1:
            lines.append("…")
        w = f"w{pair(i, j)}"
        symbolic, numeric = f"{s}{sub(i)}·δ{sub(j)}", f"{term(inputs[i])} × {term(deltas[j])}"
        if others is not None:
            symbolic += " + Σ others"
            numeric += f" + {term(others[i, j])}"
        if l2:
            symbolic += f" + λ₂·{w}"
            numeric += f" + {fmt(l2)} × {term(weights[i, j])}"
        if l1:
            symbolic += f" + λ₁·sign({w})"
            numeric += f" + {fmt(l1)} × {term(np.sign(weights[i, j]))}"
        lines.append(f"∂L/∂{w} = {symbolic} = {numeric} = {fmt(weight_gradients[i, j])}")
    if other_biases is None:
        lines.append(f"∂L/∂b{sub(j)} = δ{sub(j)} = {fmt(bias_gradients[j])}")
    else:
        lines.append(f"∂L/∂b{sub(j)} = δ{sub(j)} + Σ others = {fmt(deltas[j])} + "
                     f"{term(other_biases[j])} = {fmt(bias_gradients[j])}")
    return "\n".join(lines)


# -- update -------------------------------------------------------------------

def update_formula(j: int, learning_rate: float, weights_before: Array, weight_gradients: Array,
                   weights_after: Array, biases_before: Array, bias_gradients: Array,
                   biases_after: Array) -> str:
    eta = fmt(learning_rate)
    rows, elided = _rows(weights_before.shape[0])
    lines = []
    for n, i in enumerate(rows):
        if elided and n == len(rows) - 1:
            lines.append("…")
        w = f"w{pair(i, j)}"
        lines.append(f"{w} ← {w} − η·∂L/∂{w} = {fmt(weights_before[i, j], 4)} − {eta} × "
                     f"{term(weight_gradients[i, j])} = {fmt(weights_after[i, j], 4)}")
    lines.append(f"b{sub(j)} ← b{sub(j)} − η·∂L/∂b{sub(j)} = {fmt(biases_before[j], 4)} − {eta} × "
                 f"{term(bias_gradients[j])} = {fmt(biases_after[j], 4)}")
    return "\n".join(lines)


def loss_after_formula(loss_before: float, loss_after: float, prediction_before: Array,
                       prediction_after: Array, target: Array) -> str:
    if len(target) == 1:
        outputs = (f"ŷ = {fmt(prediction_after[0])} (was {fmt(prediction_before[0])}),"
                   f" y = {fmt(target[0])}")
    else:
        outputs = (f"ŷ = {vector(prediction_after)}\n   (was {vector(prediction_before)})\n"
                   f"y = {vector(target)}")
    return (f"L before = {fmt(loss_before)}\nL after  = {fmt(loss_after)}   "
            f"(change {fmt(loss_after - loss_before)})\n{outputs}")


# -- titles and sentences -----------------------------------------------------

def column_name(column: int, depth: int) -> str:
    """"input layer", "hidden layer 2", "output layer" for node column 0 … depth."""
    if column == 0:
        return "input layer"
    return "output layer" if column == depth else f"hidden layer {column}"


def title(phase: str, what: str, column: int | None, depth: int, neuron: int | None) -> str:
    """"Forward · hidden layer 1 · neuron 2 · sum z" (neurons counted from 1)."""
    parts = [phase.capitalize()]
    if column is not None:
        parts.append(column_name(column, depth))
    if neuron is not None:
        parts.append(f"neuron {neuron + 1}")
    parts.append(what)
    return " · ".join(parts)


def activation_sentence(activation: Activation, z: Array, derivative: Array, output: bool) -> str:
    """What f does to z, and a warning where the slope f′(z) is almost 0 (saturation, dead ReLU)."""
    where = "the output" if output else "its output a, the input of the next layer"
    if activation.name == "softmax":
        return ("Softmax turns the output sums z into probabilities: each is e^z divided by the "
                "sum of all e^z, so they are positive and add up to 1.")
    sentence = f"Each neuron passes its sum z through {function_label(activation)} to get {where}"
    flat = np.abs(derivative) < 0.05
    if flat.any():
        units = ", ".join(str(i + 1) for i in np.flatnonzero(flat)[:4])
        if activation.name == "relu":
            return sentence + f"; z < 0 for neuron {units}, so it outputs 0 and passes no gradient back."
        return sentence + (f"; neuron {units} sits where the curve is almost flat (f′ ≈ 0), "
                           "so it will hardly learn from this sample.")
    return sentence + "; the activation plot shows where each z lands on the curve."


def loss_sentence(loss_name: str, outputs: int) -> str:
    if loss_name == "mse":
        return ("The loss compares the prediction ŷ with the target y: mean squared error averages "
                "the squared differences, so it is 0 only for a perfect prediction.")
    if outputs == 1:
        return ("Cross-entropy is −ln of the probability the network gave the true class, so a "
                "confident wrong answer costs much more than a hesitant one.")
    return ("Cross-entropy is −ln of the probability the softmax gave the true class: 0 when it is "
            "certain and right, large when it is confident and wrong.")


def output_delta_sentence(fused: bool, softmax: bool) -> str:
    if fused:
        return ("δ = ∂L/∂z says how the loss changes when z changes; with this output and "
                "cross-entropy the derivatives cancel and δ is simply prediction minus target.")
    if softmax:
        return ("δ = ∂L/∂z: every softmax output depends on every z, so each δ mixes the loss "
                "gradients g of all outputs (g = 2(ŷ − y)/k for MSE, k = the number of outputs) "
                "through the softmax Jacobian.")
    return ("δ = ∂L/∂z is the chain rule at the output: how the loss changes with ŷ "
            "(2(ŷ − y)/k for MSE, k = the number of outputs, as the MSE is their mean) "
            "times how ŷ changes with z, the slope f′(z).")


HIDDEN_DELTA_SENTENCE = (
    "Backpropagation: each neuron collects the deltas of the layer above, weighted by the edges "
    "that connect them, and scales that sum by its own slope f′(z) — the chain rule, one layer back.")
GRADIENTS_SENTENCE = (
    "The gradient of each weight is the input that flowed along its edge times the delta of the "
    "neuron it feeds (∂L/∂w = a·δ), and the bias gradient is the delta itself.")
WEIGHTED_INPUTS_SENTENCE = (
    "Each input is multiplied by the weight of its edge: w·a shows how strongly, and in which "
    "direction, that input pushes each neuron of {where}.")
SUM_SENTENCE = ("Each neuron adds up its weighted inputs and its bias b: the sum z decides "
                "how strongly the neuron will fire.")


def update_sentence(learning_rate: float) -> str:
    return (f"Gradient descent moves every weight and bias a small step against its gradient "
            f"(η = {fmt(learning_rate)} times ∂L/∂w), the direction that lowers the loss.")


def loss_after_sentence(loss_before: float, loss_after: float) -> str:
    if loss_after < loss_before:
        return (f"Run forward again with the new weights: the loss on this sample went down from "
                f"{fmt(loss_before)} to {fmt(loss_after)} — that is one step of learning.")
    return (f"Run forward again with the new weights: the loss went up from {fmt(loss_before)} to "
            f"{fmt(loss_after)} — the learning rate is so large that the step overshot.")
