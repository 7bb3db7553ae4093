"""Lessons the app checks: a TOML file per lesson (setup, a prediction, tasks whose goals are
conditions on engine quantities), read safely and verified headless by its reference solution.

    from model.lessons import load_lessons, run_reference
    lessons, errors = load_lessons("resources/lessons")
    for lesson in lessons:
        print(lesson.title, [result.passed for result in run_reference(lesson)])
"""
from .conditions import Condition, ConditionError, parse_condition
from .format import (CONCEPTS, CONTROLS, FAMILY_CONTROLS, WORKSPACES, Choice, Lesson, LessonError, Prediction,
                     Task, load_lesson, load_lessons, parse_lesson)
from .quantities import (QUANTITIES, Quantity, conv_quantities, mlp_quantities, quantity_names,
                         recurrent_quantities)
from .reference import TaskResult, run_reference
from .settings import ConvolutionSetting, SequenceSetting

__all__ = ["CONCEPTS", "CONTROLS", "FAMILY_CONTROLS", "WORKSPACES", "QUANTITIES", "Choice", "Condition",
           "ConditionError", "ConvolutionSetting", "Lesson", "LessonError", "Prediction", "Quantity",
           "SequenceSetting", "Task", "TaskResult", "conv_quantities", "load_lesson", "load_lessons",
           "mlp_quantities", "parse_condition", "parse_lesson", "quantity_names", "recurrent_quantities",
           "run_reference"]
