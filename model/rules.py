"""Domain rules of an experiment's setting that are more than one field's validation.

Which output activation and loss suit a task is a property of the maths (a
softmax output needs a categorical loss, a regression target a linear or tanh
output); the table is ``model.config.TASK_OUTPUTS``, the rule for a user's
change is here, so that any front end (window, command line, notebook) applies
the same one.
"""
from __future__ import annotations

from model.config import TASK_OUTPUTS, ExperimentConfig
from model.datasets import DATASETS


def config_after_change(config: ExperimentConfig, changes: dict, task: str) -> ExperimentConfig:
    """The config after the user's ``changes``, with the output activation and loss kept compatible.

    ``task`` is the task of the data in use (it matters for CSV data). A new
    data set brings its task's default output if the current one does not suit
    it; a new output activation (or loss) brings a loss (or output) that pairs
    with it. Raises ValueError with a message for the user if nothing fits.
    """
    new = config.replace(**changes)
    if not new.csv_path:
        task = DATASETS[new.dataset].task
    pairs = TASK_OUTPUTS[task]
    if (new.output_activation, new.loss) in pairs:
        return new
    if "loss" in changes and "output_activation" not in changes:
        fits = [output for output, loss in pairs if loss == new.loss]
        if fits:
            return new.replace(output_activation=fits[0])
    elif "output_activation" in changes:
        fits = [loss for output, loss in pairs if output == new.output_activation]
        if fits:
            return new.replace(loss=fits[0])
    else:                                  # new data or anything else: the task's default
        return new.with_task_outputs(task)
    choices = ", ".join(f"{output} + {loss}" for output, loss in pairs)
    raise ValueError(f"{new.output_activation} output with {new.loss} loss does not suit {task} "
                     f"data; choose one of: {choices}")
