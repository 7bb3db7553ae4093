"""Control groups of the main window's control panel, one per file."""
from .data import DataControls
from .features import FeatureControls
from .network import NetworkControls
from .regularization import RegularizationControls
from .training import TrainingControls

__all__ = ["DataControls", "FeatureControls", "NetworkControls", "RegularizationControls",
           "TrainingControls"]
