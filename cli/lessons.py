"""``lessons``: list the lessons in a folder, or check them (``--check``): load every file and run
each task's reference solution headless.

    python main.py lessons --check                 # resources/lessons
    python main.py lessons --check my-lessons/

Prints a table lesson → task → goal met → seconds, then the problems. Exit status 1 (and no
traceback) if a lesson is malformed, a reference solution misses its goal, or a goal already
holds before any training (then it checks nothing).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from model.lessons import load_lessons, run_reference

from .outputs import format_table

LESSONS = Path(__file__).resolve().parent.parent / "resources" / "lessons"


def add_lessons_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", nargs="?", default=str(LESSONS), metavar="DIR",
                        help="the folder of lesson files (default: the shipped lessons)")
    parser.add_argument("--check", action="store_true",
                        help="run every task's reference solution and check its goal is met")


def run_lessons(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    lessons, errors = load_lessons(args.folder)
    if not lessons and not errors:
        print(f"error: no lesson files (*.toml) in {args.folder}", file=sys.stderr)
        return 1
    if not args.check:
        rows = [(lesson.id, lesson.concept, lesson.workspace, str(len(lesson.tasks)), lesson.title)
                for lesson in lessons]
        print(format_table(("lesson", "concept", "workspace", "tasks", "title"), rows, left=5))
        _print_problems([str(error) for error in errors])
        return 1 if errors else 0
    rows, problems = [], [str(error) for error in errors]
    for lesson in lessons:
        for result in run_reference(lesson):
            task = lesson.tasks[result.task_index]
            rows.append((lesson.id, str(result.task_index + 1), "yes" if result.met else "NO",
                         f"{result.seconds:.2f}"))
            where = f"{lesson.path}: task {result.task_index + 1} ({task.goal})"
            if result.problem:
                problems.append(f"{where}: {result.problem}")
            elif not result.met:
                problems.append(f"{where}: the reference solution did not meet the goal "
                                f"({task.goal.describe(result.quantities)})")
            elif result.met_untrained:
                problems.append(f"{where}: the goal already holds before any training, so it checks nothing")
    print(format_table(("lesson", "task", "goal met", "seconds"), rows))
    print(f"{len(lessons)} lessons, {len(rows)} tasks checked in {time.perf_counter() - started:.1f} s")
    _print_problems(problems)
    return 1 if problems else 0


def _print_problems(problems: list[str]) -> None:
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
