"""model.rules: which output activation and loss a changed setting gets."""
import pytest

from model.config import ExperimentConfig
from model.rules import config_after_change


def test_config_after_change_keeps_outputs_compatible():
    config = ExperimentConfig()                       # circle, tanh + mse
    assert config_after_change(config, {"dataset": "three_blobs"}, "binary").output_activation == "softmax"
    assert config_after_change(config, {"dataset": "plane"}, "binary").output_activation == "tanh"
    cross = config_after_change(config, {"loss": "cross_entropy"}, "binary")
    assert (cross.output_activation, cross.loss) == ("sigmoid", "cross_entropy")
    linear = config_after_change(cross, {"output_activation": "linear"}, "binary")
    assert (linear.output_activation, linear.loss) == ("linear", "mse")
    with pytest.raises(ValueError, match="softmax output .* does not suit binary"):
        config_after_change(config, {"output_activation": "softmax"}, "binary")
    csv = ExperimentConfig(csv_path="x.csv")
    assert config_after_change(csv, {"seed": 3}, "multiclass").output_activation == "softmax"
