"""model.landscape against net.loss evaluated one parameter vector at a time."""
import numpy as np
import pytest

from model import Network, make_optimizer
from model.landscape import (filter_normalized, loss_along, loss_surface, losses_at, path_surface, pca_directions,
                             project, random_directions, slice_steps, step_line, unit_direction)
from model.networks import layout

RNG = np.random.default_rng(5)
X = RNG.uniform(-1, 1, (40, 2))
Y = np.tanh(2 * X[:, :1] * X[:, 1:])


def loss_at(net: Network, params: np.ndarray) -> float:
    twin = net.copy()
    twin.params[:] = params
    return twin.loss(X, Y)


def trained(net: Network, steps: int = 30) -> Network:
    optimizer = make_optimizer("sgd", 0.05)
    for step in range(steps):
        rows = slice((step * 10) % 40, (step * 10) % 40 + 10)
        net.train_step(X[rows], Y[rows], optimizer)
    return net


NETWORKS = {
    "tanh": lambda: Network([2, 5, 4, 1], activation="tanh", seed=1),
    "relu, l2": lambda: Network([2, 6, 1], activation="relu", output_activation="linear", seed=2,
                                l2=0.01, l1=0.003),
    "batch norm, dropout": lambda: trained(Network([2, 5, 4, 1], activation=["relu", "sigmoid"],
                                                   batch_norm=True, dropout=[0.3, 0.0], seed=3)),
}


@pytest.mark.parametrize("name", NETWORKS)
def test_every_grid_point_is_net_loss_at_those_parameters(name):
    net = NETWORKS[name]()
    surface = loss_surface(net, X, Y, "random", span=0.8, resolution=7, seed=4)
    assert surface.loss.shape == (7, 7)
    np.testing.assert_array_equal(surface.alphas, np.linspace(-0.8, 0.8, 7))
    np.testing.assert_array_equal(surface.origin, net.params)
    d1, d2 = surface.directions
    for i, alpha in enumerate(surface.alphas):
        for j, beta in enumerate(surface.betas):
            expected = loss_at(net, net.params + alpha * d1 + beta * d2)
            assert surface.loss[i, j] == pytest.approx(expected, rel=1e-12, abs=1e-14)


def test_chunks_of_any_size_give_the_same_losses():
    net = NETWORKS["batch norm, dropout"]()
    points = net.params + 0.3 * RNG.standard_normal((23, net.params.size))
    whole = losses_at(net, X, Y, points, chunk=23)
    for chunk in (1, 4, 10):
        np.testing.assert_allclose(losses_at(net, X, Y, points, chunk=chunk), whole, rtol=1e-13)
    np.testing.assert_allclose(whole, [loss_at(net, p) for p in points], rtol=1e-12)


def test_random_directions_are_filter_normalised_per_neuron():
    net = Network([2, 5, 4, 1], activation="tanh", batch_norm=True, seed=1)
    d1, d2 = random_directions(net, seed=9)
    assert not np.allclose(d1, d2)
    for direction in (d1, d2):
        for index, name, where, shape in layout(net.engine.layers):
            block = direction[where].reshape(shape)
            if name != "block":
                assert (block == 0).all()             # batch norm's γ and β stay put
                continue
            weights = net.params[where].reshape(shape)[:-1]
            np.testing.assert_allclose(np.linalg.norm(block[:-1], axis=0),
                                       np.linalg.norm(weights, axis=0), rtol=1e-12)
            assert (block[-1] == 0).all()             # biases: 0


def test_filter_normalisation_keeps_each_neurons_direction():
    net = Network([2, 3, 1], seed=0)
    raw = RNG.standard_normal(net.params.size)
    normalized = filter_normalized(net, raw)
    raw_w, _ = net.split(raw)
    new_w, _ = net.split(normalized)
    for a, b in zip(raw_w, new_w):
        for j in range(a.shape[1]):          # parallel, same sense, per neuron
            cosine = a[:, j] @ b[:, j] / np.linalg.norm(a[:, j]) / np.linalg.norm(b[:, j])
            assert cosine == pytest.approx(1.0)


def test_pca_directions_are_orthonormal_and_ordered_by_variance():
    p = 30
    basis, _ = np.linalg.qr(RNG.standard_normal((p, 2)))
    u, v = basis.T
    end = RNG.standard_normal(p)
    a = 3.0 * RNG.standard_normal(50)
    b = 0.5 * RNG.standard_normal(50)
    a[-1] = b[-1] = 0.0                          # the path ends at ``end``
    b -= (a @ b) / (a @ a) * a                   # uncorrelated steps: the axes are u and v exactly
    path = end + a[:, None] * u + b[:, None] * v
    (d1, d2), explained = pca_directions(path)
    gram = np.array([[d1 @ d1, d1 @ d2], [d2 @ d1, d2 @ d2]])
    np.testing.assert_allclose(gram, np.eye(2), atol=1e-12)
    assert abs(d1 @ u) == pytest.approx(1.0) and abs(d2 @ v) == pytest.approx(1.0)
    assert explained[0] > explained[1] > 0
    assert sum(explained) == pytest.approx(1.0)         # the path lies in the plane
    offsets = path - end
    assert np.var(offsets @ d1) >= np.var(offsets @ d2)


def training_path(net: Network, steps: int, rate: float) -> list:
    """The weights before and after each of ``steps`` full-batch SGD steps."""
    optimizer = make_optimizer("sgd", rate)
    path = [net.params.copy()]
    for _ in range(steps):
        net.train_step(X, Y, optimizer)
        path.append(net.params.copy())
    return path


def test_pca_surface_is_centred_on_the_current_weights_and_reports_the_variance():
    net = Network([2, 5, 1], seed=0)
    path = training_path(net, 12, 0.1)
    surface = loss_surface(net, X, Y, "pca", trajectory=path, resolution=5)
    assert surface.kind == "pca" and surface.explained[0] >= surface.explained[1]
    coords, distances = project(path, surface)
    np.testing.assert_allclose(coords[-1], 0, atol=1e-12)     # the path ends at the centre
    assert surface.loss[2, 2] == pytest.approx(net.loss(X, Y), rel=1e-12)


def test_points_on_the_plane_are_projected_exactly():
    net = Network([2, 4, 1], seed=0)
    d1 = RNG.standard_normal(net.params.size)
    d2 = RNG.standard_normal(net.params.size) + 0.5 * d1        # not orthogonal
    surface = loss_surface(net, X, Y, (d1, d2), resolution=3)
    coords = RNG.uniform(-2, 2, (9, 2))
    points = [surface.point(alpha, beta) for alpha, beta in coords]
    found, distances = project(points, surface)
    np.testing.assert_allclose(found, coords, atol=1e-10)
    np.testing.assert_allclose(distances, 0, atol=1e-10)
    off = points[0] + 0.7 * np.cross(np.r_[1.0, 0, 0], np.r_[0, 1.0, 0])[2] * _orthogonal_unit(d1, d2)
    assert project([off], surface)[1][0] == pytest.approx(0.7)


def _orthogonal_unit(d1, d2):
    basis, _ = np.linalg.qr(np.stack([d1, d2, RNG.standard_normal(d1.size)], axis=1))
    return basis[:, 2]


def test_a_two_weight_slice_equals_setting_those_weights_by_hand():
    net = Network([2, 4, 3, 1], activation="sigmoid", seed=2)
    directions = (unit_direction(net, 0, 1, 2), unit_direction(net, 1, 3, 0))
    surface = loss_surface(net, X, Y, directions, span=2.0, resolution=5)
    w1, w2 = net.weights[0][1, 2], net.weights[1][3, 0]
    for i, alpha in enumerate(surface.alphas):
        for j, beta in enumerate(surface.betas):
            twin = net.copy()
            twin.weights[0][1, 2] = w1 + alpha
            twin.weights[1][3, 0] = w2 + beta
            assert surface.loss[i, j] == pytest.approx(twin.loss(X, Y), rel=1e-12)
    with pytest.raises(ValueError, match="no weight"):
        unit_direction(net, 1, 4, 0)


def test_loss_along_a_line_starts_and_ends_at_the_ends():
    net = Network([2, 5, 1], seed=0)
    start, end = net.params.copy(), trained(net.copy()).params.copy()
    line = loss_along(net, X, Y, start, end, points=11)
    assert line.shape == (11,)
    assert line[0] == pytest.approx(loss_at(net, start), rel=1e-12)
    assert line[-1] == pytest.approx(loss_at(net, end), rel=1e-12)
    assert line[5] == pytest.approx(loss_at(net, (start + end) / 2), rel=1e-12)


def test_the_step_line_falls_as_fast_as_the_gradient_says_at_first():
    net = Network([2, 6, 1], activation="tanh", seed=0)
    line = step_line(net, X, Y, learning_rate=0.5, reach=3.0, points=31)
    assert line.t[0] == 0 and line.t[-1] == pytest.approx(1.5)
    assert line.losses[0] == pytest.approx(net.loss(X, Y), rel=1e-12)
    # dL/dt at t = 0 along −∇L is −‖∇L‖² (a central difference around 0 of the same line)
    h = 1e-6
    gradient = net.backward(net.forward(X), Y).flat
    slope = (loss_at(net, net.params - h * gradient) - loss_at(net, net.params + h * gradient)) / (2 * h)
    assert slope == pytest.approx(-line.gradient_norm ** 2, rel=1e-5)


def test_bad_requests_are_refused_with_a_message():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match="trajectory"):
        loss_surface(net, X, Y, "pca")
    with pytest.raises(ValueError, match="at least 3"):
        loss_surface(net, X, Y, "pca", trajectory=[net.params])
    with pytest.raises(ValueError, match="unknown directions"):
        loss_surface(net, X, Y, "sideways")
    with pytest.raises(ValueError, match="two direction vectors"):
        loss_surface(net, X, Y, (np.ones(3), np.ones(3)))


def test_a_path_surface_covers_the_path_and_is_centred_on_its_end():
    net = Network([2, 5, 1], seed=0)
    path = training_path(net, 8, 0.2)
    surface, coords, distances = path_surface(net, X, Y, path, "pca", resolution=5, margin=1.5)
    assert surface.alphas[-1] == pytest.approx(1.5 * np.abs(coords).max())
    np.testing.assert_allclose(coords[-1], 0, atol=1e-12)
    (d1, d2), _ = pca_directions(path)
    np.testing.assert_allclose(np.abs([surface.directions[0] @ d1, surface.directions[1] @ d2]), 1)
    random, _, _ = path_surface(net, X, Y, path, "random", resolution=5, random_span=0.5, seed=3)
    np.testing.assert_array_equal(random.directions[0], random_directions(net, 3)[0])
    assert random.alphas[-1] == 0.5


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_the_slice_arrows_are_each_optimizers_own_next_step_on_the_two_weights(name):
    net = Network([2, 5, 1], activation="tanh", seed=2)
    optimizer = make_optimizer(name, 0.05)
    for step in range(7):                        # some state: velocities, moments, a step count
        rows = slice(step * 5, step * 5 + 5)
        net.train_step(X[rows], Y[rows], optimizer)
    before = {key: np.copy(value) for key, value in optimizer.state().items()}
    pair = (unit_direction(net, 0, 1, 3), unit_direction(net, 1, 4, 0))
    indices = [int(np.flatnonzero(d)[0]) for d in pair]
    steps = slice_steps(net, X, Y, pair, optimizer)
    gradient = net.backward(net.forward(X), Y).flat
    np.testing.assert_allclose(steps.gradient, gradient[indices], rtol=1e-12)
    named = dict(steps.steps)
    np.testing.assert_allclose(named["−η·∇L"], -0.05 * gradient[indices], rtol=1e-12)
    # the optimizer's state is untouched, and a real step moves the two weights by its arrow
    for key, value in optimizer.state().items():
        np.testing.assert_array_equal(value, before[key])
    if name == "sgd":
        assert list(named) == ["−η·∇L"]
        return
    moved = net.params.copy()
    optimizer.step(moved, gradient)
    np.testing.assert_allclose(named[f"{name} step"], (moved - net.params)[indices], rtol=1e-12)
    if name == "momentum":                       # by hand: μ·v − η·g with the velocity v
        velocity = before["velocity_0"][indices]
        np.testing.assert_allclose(named["velocity v"], velocity)
        np.testing.assert_allclose(named["momentum step"], 0.9 * velocity - 0.05 * gradient[indices],
                                   rtol=1e-12)
    assert steps.formula == optimizer.formula
