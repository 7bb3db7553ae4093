"""Generated data sets beyond the 2-D plane: sequence tasks for recurrent networks."""
from .sequences import SEQUENCE_TASKS, SequenceData, SequenceSplit, make_sequence_task

__all__ = ["SEQUENCE_TASKS", "SequenceData", "SequenceSplit", "make_sequence_task"]
