"""One training step of a ConvNet on one image, as steps with their numbers.

    tour = conv_walkthrough(net, image, target, learning_rate=0.05)
    for step in tour.steps:
        print(step.title); print(step.formula); print(step.explanation)
    tour.params_after      # == the parameters after one plain SGD step on (image, target)

Every number comes from ``net.forward(image[None])`` and ``net.backward(trace, target[None])``
— the code that trains — or is a product or sum of those numbers shown beside them
(and checked against the engine's result). ``net`` itself is not modified.

The steps, for the filter ``filter`` of the first convolution:

1. ``convolve`` at every position (r, c) in reading order: the k × k input patch,
   the kernel, their products, the sum and the bias: y[f, r, c] = Σ K ⊙ patch + b;
2. ``activation`` after it (e.g. ReLU) on that map; ``pool``: each window's maximum;
3. ``output``: the probabilities ŷ and the loss L = −Σ y log ŷ;
4. ``output_delta``: δ = ŷ − y at the logits (softmax with cross-entropy);
5. ``pool_backward``: the pool sends each window's δ to its maximum only;
6. ``kernel_gradient``: ∂L/∂K[f, ch, u, v] = Σ_{r, c} δ[f, r, c]·x_p[ch, r + u, c + v] for every
   kernel entry, with the terms of the first entry; ∂L/∂b[f] = Σ δ[f];
7. ``update``: K ← K − η·∂L/∂K, old and new; ``loss_after``: the loss on the image again.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np

from .layers import ActivationLayer, Conv2D, MaxPool2D
from .networks.conv import ConvNet
from .optimizers import SGD

Array = np.ndarray


@dataclass(frozen=True, eq=False)
class ConvStep:
    """One moment of the pass: ``values`` maps names to read-only arrays, ``formula`` has the
    numbers filled in, ``position`` is the (r, c) a ``convolve`` step is at (else None)."""

    index: int
    phase: str               # "forward" | "loss" | "backward" | "update"
    kind: str
    title: str
    formula: str
    explanation: str
    values: Mapping[str, Array]
    position: tuple[int, int] | None = None


@dataclass(frozen=True, eq=False)
class ConvWalkthrough:
    steps: tuple[ConvStep, ...]
    loss_before: float
    loss_after: float
    params_after: Array


def _frozen(values: dict) -> Mapping[str, Array]:
    arrays = {}
    for name, value in values.items():
        array = np.array(value, dtype=np.float64)
        array.setflags(write=False)
        arrays[name] = array
    return MappingProxyType(arrays)


def _sum_of_products(left: Array, right: Array, limit: int = 9) -> str:
    terms = [f"{a:.3g}·{b:.3g}" for a, b in zip(left.ravel(), right.ravel())]
    shown = " + ".join(terms[:limit]) + (f" + … ({len(terms) - limit} more)" if len(terms) > limit else "")
    return shown.replace("+ -", "− ")


def conv_walkthrough(net: ConvNet, image: Array, target: Array, learning_rate: float = 0.05,
                     filter: int = 0) -> ConvWalkthrough:
    """The steps of one SGD step on one image (C, H, W) with its one-hot target (classes,)."""
    X = net.check_inputs(image)
    if X.shape[0] != 1:
        raise ValueError(f"the walkthrough takes one image of shape {net.input_shape}, got {np.shape(image)}")
    Y = net.check_targets(np.asarray(target, dtype=np.float64).reshape(1, -1), 1)
    layers = net.engine.layers
    conv: Conv2D = layers[0] if isinstance(layers[0], Conv2D) else None
    if conv is None:
        raise ValueError("the convolution walkthrough needs a network that starts with a convolution")
    if net.output_activation.name != "softmax" or net.loss_function.name != "cross_entropy":
        raise ValueError("the convolution walkthrough shows a softmax output with cross-entropy; "
                         "build the network with those")
    if not 0 <= filter < conv.filters:
        raise ValueError(f"choose a filter 0…{conv.filters - 1}, got {filter}")
    trace = net.forward(X)
    grads = net.backward(trace, Y)
    steps: list[ConvStep] = []

    def add(phase, kind, title, formula, explanation, position=None, **values):
        steps.append(ConvStep(len(steps), phase, kind, title, formula, explanation, _frozen(values), position))

    # forward: the kernel sliding over the (padded) input
    k, pad = conv.kernel, conv.pad
    padded = np.pad(X[0], ((0, 0), (pad, pad), (pad, pad)))
    kernel, bias = conv.params["kernel"][filter], float(conv.params["bias"][filter])
    feature_map = trace.outputs[0][0, filter]
    for r in range(feature_map.shape[0]):
        for c in range(feature_map.shape[1]):
            patch = padded[:, r:r + k, c:c + k]
            products = kernel * patch
            total = float(products.sum()) + bias
            add("forward", "convolve", f"Convolution, filter {filter}, position ({r}, {c})",
                f"y[{filter}, {r}, {c}] = Σ K ⊙ patch + b = {_sum_of_products(kernel, patch)} + {bias:.3g} "
                f"= {total:.4g}",
                "The kernel lies on the input patch under this position: multiply the numbers that "
                "overlap, add them up, add the bias. Slide one pixel and repeat.",
                position=(r, c), patch=patch, kernel=kernel, products=products, sum=total,
                engine=feature_map[r, c], feature_map=feature_map)
    index = 1
    if isinstance(layers[1], ActivationLayer):
        activated = trace.outputs[1][0, filter]
        add("forward", "activation", f"{layers[1].function.name} on feature map {filter}",
            f"a = {layers[1].function.formula} element by element: {int((activated > 0).sum())} of "
            f"{activated.size} values stay above 0",
            "The activation keeps the map's shape; with ReLU the negative responses become 0.",
            before=feature_map, after=activated)
        index = 2
    pool_index = index if isinstance(layers[index], MaxPool2D) else None
    if pool_index is not None:
        size = layers[pool_index].size
        before, pooled = trace.outputs[pool_index - 1][0, filter], trace.outputs[pool_index][0, filter]
        window = before[:size, :size]
        add("forward", "pool", f"Max pooling {size}×{size} of map {filter}",
            f"first window {np.array2string(window.ravel(), precision=3)} → max {pooled[0, 0]:.4g}",
            "Each non-overlapping window keeps only its largest value: the map shrinks by the "
            "window size in each direction.", before=before, after=pooled, window=window)
    probabilities = trace.output[0]
    loss_before = float(net.loss(X, Y))
    label = int(Y[0].argmax())
    add("loss", "output", "Output probabilities and the loss",
        f"ŷ = softmax(z); L = −log ŷ[{label}] = −log {probabilities[label]:.4g} = {loss_before:.4g}",
        "The dense layer scores each class; softmax turns the scores into probabilities; the loss "
        "is small when the true class gets a probability near 1.",
        probabilities=probabilities, target=Y[0], logits=trace.outputs[-1][0])

    # backward
    output_delta = grads.deltas[-1][0]
    add("backward", "output_delta", "δ at the output",
        f"δ = ŷ − y = {np.array2string(probabilities - Y[0], precision=3)}",
        "With softmax and cross-entropy, the gradient of the loss at the scores is the prediction "
        "minus the target (over the batch of one image).", delta=output_delta)
    if pool_index is not None:
        delta_pooled = grads.deltas[pool_index][0, filter]
        delta_before = grads.deltas[pool_index - 1][0, filter]
        add("backward", "pool_backward", f"Max pooling sends δ to each window's maximum (map {filter})",
            f"first window: δ = {delta_pooled[0, 0]:.4g} goes to the max, the other "
            f"{size * size - 1} positions get 0: {np.array2string(delta_before[:size, :size].ravel(), precision=3)}",
            "Only the maximum influenced the output, so only it receives a gradient.",
            delta_pooled=delta_pooled, delta_before=delta_before)
    delta_map = grads.deltas[0][0, filter]
    kernel_gradient = grads.parameters["conv0.kernel"][filter]
    first_patch_entries = padded[0, :delta_map.shape[0], :delta_map.shape[1]]     # x_p[0, r + 0, c + 0]
    terms = _sum_of_products(delta_map, first_patch_entries, limit=6)
    add("backward", "kernel_gradient", f"∂L/∂K for filter {filter}",
        f"∂L/∂K[{filter}, 0, 0, 0] = Σ_(r,c) δ[{filter}, r, c]·x[0, r, c] = {terms} "
        f"= {kernel_gradient[0, 0, 0]:.4g};  ∂L/∂b[{filter}] = Σ δ = {delta_map.sum():.4g}",
        "Each kernel weight met one input pixel at every position; its gradient adds up δ there "
        "times that pixel — the input patches weighted by δ.",
        delta=delta_map, kernel_gradient=kernel_gradient, bias_gradient=grads.parameters["conv0.bias"][filter],
        check=np.array([(delta_map * first_patch_entries).sum()]))

    # update: one plain SGD step on a copy
    twin = net.copy()
    twin.train_step(X, Y, SGD(learning_rate))
    new_kernel = twin.parameters["conv0.kernel"][filter]
    add("update", "update", f"Update filter {filter}",
        f"K ← K − η·∂L/∂K: {kernel[0, 0, 0]:.4g} − {learning_rate:g}·{kernel_gradient[0, 0, 0]:.4g} "
        f"= {new_kernel[0, 0, 0]:.4g} (first entry)",
        "Every parameter takes a small step against its gradient.",
        old=kernel, new=new_kernel, gradient=kernel_gradient)
    loss_after = float(twin.loss(X, Y))
    add("update", "loss_after", "The loss on the same image again",
        f"L: {loss_before:.4g} → {loss_after:.4g}",
        "One step on this image lowered its loss (for a small enough learning rate).",
        before=np.array([loss_before]), after=np.array([loss_after]))
    return ConvWalkthrough(tuple(steps), loss_before, loss_after, twin.params.copy())
