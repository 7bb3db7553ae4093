"""Optimisers side by side: each run's path recorded by the comparison, all paths on one surface
(the PCA of their union)."""
import numpy as np
import pytest

from model import Network
from model.comparison import Comparison
from model.comparison_results import Paths
from model.config import ExperimentConfig
from model.landscape import pca_directions, shared_surface
from model.variations import Variation

RNG = np.random.default_rng(11)
X = RNG.uniform(-1, 1, (30, 2))
Y = np.tanh(2 * X[:, :1] * X[:, 1:])
BASE = ExperimentConfig(dataset="xor", samples=80, hidden_layers=(4,), activations=("tanh",),
                        output_activation="tanh", loss="mse", learning_rate=0.05, batch_size=10, seed=3)


def planar_paths(net: Network) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Three paths whose every point lies on the plane θ₀ + a·u + b·v (u, v orthonormal)."""
    basis, _ = np.linalg.qr(RNG.standard_normal((net.params.size, 2)))
    u, v = basis.T
    paths = []
    for turn in (0.0, 1.0, 2.5):
        t = np.linspace(0, 1, 7)[:, None]
        a, b = np.cos(turn) * t * 0.8, np.sin(turn) * t ** 2 * 0.6
        paths.append(net.params + a * u + b * v)
    return paths, u, v


def test_points_on_a_plane_project_exactly_onto_the_shared_surface():
    net = Network([2, 4, 1], activation="tanh", seed=0)
    paths, u, v = planar_paths(net)
    shared = shared_surface(net, X, Y, paths, resolution=5)
    d1, d2 = shared.surface.directions
    np.testing.assert_allclose([d1 @ d1, d2 @ d2, d1 @ d2], [1, 1, 0], atol=1e-12)
    # the plane found is the plane of the paths: d₁, d₂ span u, v
    for d in (d1, d2):
        np.testing.assert_allclose((d @ u) ** 2 + (d @ v) ** 2, 1, atol=1e-12)
    assert sum(shared.surface.explained) == pytest.approx(1)
    for path, coords, distances in zip(paths, shared.coords, shared.distances):
        np.testing.assert_allclose(distances, 0, atol=1e-12)
        rebuilt = np.array([shared.surface.point(a, b) for a, b in coords])
        np.testing.assert_allclose(rebuilt, path, atol=1e-12)


def test_the_shared_surface_covers_every_path_and_is_net_loss_on_its_grid():
    net = Network([2, 4, 1], activation="tanh", seed=0)
    paths = [net.params + np.cumsum(0.1 * RNG.standard_normal((6, net.params.size)), axis=0)
             for _ in range(3)]
    shared = shared_surface(net, X, Y, paths, resolution=5, margin=1.5)
    surface = shared.surface
    union = np.vstack(shared.coords)
    assert np.all(np.abs(union) <= surface.alphas[-1] + 1e-12)
    # centred on the middle of the projected box, reaching 1.5 × its larger half-width
    middle = (union.min(axis=0) + union.max(axis=0)) / 2
    np.testing.assert_allclose(middle, 0, atol=1e-12)
    assert surface.alphas[-1] == pytest.approx(1.5 * np.max(union.max(axis=0) - union.min(axis=0)) / 2)
    # the union's principal directions relative to its mean
    (d1, _), explained = pca_directions(np.vstack(paths), reference=np.vstack(paths).mean(axis=0))
    assert abs(surface.directions[0] @ d1) == pytest.approx(1)
    assert surface.explained == explained
    twin = net.copy()
    for i, j in ((0, 0), (2, 3), (4, 1)):
        twin.params[:] = surface.point(surface.alphas[i], surface.betas[j])
        assert surface.loss[i, j] == pytest.approx(twin.loss(X, Y), rel=1e-12)


def test_bad_paths_are_refused():
    net = Network([2, 4, 1], seed=0)
    with pytest.raises(ValueError, match="parameter vectors"):
        shared_surface(net, X, Y, [np.zeros((4, 3))])
    with pytest.raises(ValueError, match="plane"):
        shared_surface(net, X, Y, [np.tile(net.params, (4, 1))])


def test_paths_keep_at_most_limit_points_evenly_spaced_over_the_whole_run():
    paths = Paths([2, 3], limit=4)
    handed_out = []
    for epoch in range(10):
        paths.record(epoch, [1], np.array([[epoch, -epoch, 0.5]]))      # two stacks, one epoch
        paths.record(epoch, [0], np.array([[epoch, epoch * 10]]))
        handed_out.append(paths.frozen())
    epochs, points = paths.frozen()
    # 0…3 fill it; 4 thins to 0, 2 (stride 2); 4, 6 fill it; 8 thins to 0, 4 (stride 4), then 8
    np.testing.assert_array_equal(epochs, [0, 4, 8])
    np.testing.assert_array_equal(points[0], [[0, 0], [4, 40], [8, 80]])
    np.testing.assert_array_equal(points[1], [[0, 0, 0.5], [4, -4, 0.5], [8, -8, 0.5]])
    assert paths.stride == 4
    # views handed out earlier kept their values
    early_epochs, early_points = handed_out[3]
    np.testing.assert_array_equal(early_epochs, [0, 1, 2, 3])
    np.testing.assert_array_equal(early_points[0][:, 1], [0, 10, 20, 30])
    with pytest.raises(ValueError):
        early_points[0][0, 0] = 1.0


def test_a_comparison_of_optimizers_records_each_runs_path_from_the_shared_start():
    comparison = Comparison(BASE, [Variation.parse("optimizer", "sgd,momentum,adam")])
    comparison.path_points = 8
    comparison.reset()
    after = {}
    for _ in range(13):
        comparison.run_epoch()
        after[comparison.epoch] = [comparison.params(r) for r in range(3)]
    snapshot = comparison.snapshot()
    np.testing.assert_array_equal(snapshot.path_epochs, [0, 2, 4, 6, 8, 10, 12])
    for run in range(3):
        path = snapshot.path(run)
        assert path.shape == (8, comparison.params(run).size)      # 7 recorded + the weights now
        np.testing.assert_array_equal(path[0], comparison.initial_params[0])
        for point, epoch in zip(path[1:-1], snapshot.path_epochs[1:]):
            np.testing.assert_array_equal(point, after[epoch][run])
        np.testing.assert_array_equal(path[-1], comparison.params(run))
    assert not np.allclose(snapshot.path(0)[-1], snapshot.path(2)[-1])     # sgd and adam went apart
    shared = shared_surface(comparison.experiments[0].net, comparison.train_inputs,
                            comparison.train_targets, [snapshot.path(r) for r in range(3)], resolution=5)
    assert [len(c) for c in shared.coords] == [8, 8, 8]


def test_a_diverged_runs_path_ends_at_its_last_finite_weights():
    comparison = Comparison(BASE, [Variation.parse("learning_rate", "0.05,1e6")])
    for _ in range(3):
        comparison.run_epoch()
    snapshot = comparison.snapshot()
    assert snapshot.runs[1].diverged
    path = snapshot.path(1)
    assert np.isfinite(path).all()
    np.testing.assert_array_equal(path[-1], comparison.params(1))
    assert len(snapshot.path(0)) == 4


def test_only_runs_of_one_network_on_the_same_points_share_a_landscape():
    from gui.compare.landscape_job import one_network

    net = one_network(Comparison(BASE, [Variation.parse("optimizer", "sgd,adam")]))
    assert net.sizes == [2, 4, 1]
    for setting, values, reason in (("activations", "tanh,relu", "different networks"),
                                    ("train_share", "0.5,0.8", "different points"),
                                    ("batch_norm", "1", "running statistics")):
        with pytest.raises(ValueError, match=reason):
            one_network(Comparison(BASE, [Variation.parse(setting, values)]))
