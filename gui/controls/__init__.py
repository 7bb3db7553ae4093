"""The control panel (``panel.ControlPanel``) that edits the experiment config, one control group per file."""
from .data import DataControls
from .features import FeatureControls
from .network import NetworkControls
from .regularization import RegularizationControls
from .training import TrainingControls

__all__ = ["DataControls", "FeatureControls", "NetworkControls", "RegularizationControls",
           "TrainingControls"]
