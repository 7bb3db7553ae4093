"""Domain rules of an experiment's setting that are more than one field's validation.

Which output activation and loss suit a task is a property of the maths (a
softmax output needs a categorical loss, a regression target a linear or tanh
output). The table and the pairing rule are ``model.config``'s (``TASK_OUTPUTS``,
``resolve_task_outputs``); how a user's change of data, output or loss is
answered is here, so that every front end answers it the same way.
"""
from __future__ import annotations

from model.config import (TASK_OUTPUTS, ExperimentConfig, SettingError, check_task_outputs,
                          resolve_task_outputs)
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
    if (new.output_activation, new.loss) in TASK_OUTPUTS[task]:
        return new
    if "loss" in changes and "output_activation" not in changes:
        kept = {"loss": new.loss}
    elif "output_activation" in changes:
        kept = {"output_activation": new.output_activation}
    else:                                  # new data or anything else: the task's default
        return new.with_task_outputs(task)
    try:
        output_activation, loss = resolve_task_outputs(task, **kept)
    except SettingError:
        check_task_outputs(task, new.output_activation, new.loss)   # the message names both
        raise
    return new.replace(output_activation=output_activation, loss=loss)
