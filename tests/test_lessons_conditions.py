"""Goal conditions: parsed by hand-written recursive descent, evaluated on hand-built quantities."""
import math

import pytest

from model.lessons import QUANTITIES, ConditionError, parse_condition


def holds(text: str, previous=None, **quantities) -> bool:
    return parse_condition(text).evaluate(quantities, previous)


def test_the_issue_examples():
    assert holds("test_loss <= 0.1 and hidden_neurons <= 6", test_loss=0.1, hidden_neurons=6)
    assert not holds("test_loss <= 0.1 and hidden_neurons <= 6", test_loss=0.1, hidden_neurons=7)
    assert holds("diverged", diverged=True) and not holds("diverged", diverged=False)
    assert holds("dead_relu_share >= 0.5", dead_relu_share=0.5)
    assert holds("test_loss - train_loss >= 0.1", test_loss=0.35, train_loss=0.25)
    assert not holds("test_loss - train_loss >= 0.1", test_loss=0.3, train_loss=0.25)


def test_percent_and_previous():
    goal = "best_test_loss <= previous.best_test_loss * (1 - 30 %)"
    assert holds(goal, {"best_test_loss": 1.0}, best_test_loss=0.7)
    assert not holds(goal, {"best_test_loss": 1.0}, best_test_loss=0.71)
    assert parse_condition(goal).names == {"best_test_loss", "previous.best_test_loss"}
    assert holds("x == 30%", x=0.3)


def test_precedence():
    # and binds tighter than or: false or (true and true)
    assert holds("a > 1 or b > 1 and c > 1", a=0, b=2, c=2)
    assert not holds("(a > 1 or b > 1) and c > 1", a=2, b=0, c=0)
    # not binds tighter than and
    assert holds("not a > 1 and b > 1", a=0, b=2)
    assert holds("not not diverged", diverged=1)
    # * before +, left-associative - and /
    assert holds("1 + 2 * 3 == 7") and holds("10 - 4 - 3 == 3") and holds("8 / 4 / 2 == 1")
    assert holds("-2 * -3 == 6") and holds("2 - -1 == 3")
    assert holds("true") and not holds("false") and holds("1e-3 < 0.01")


def test_nan_makes_a_comparison_false_both_ways():
    for text in ("test_accuracy >= 0.9", "test_accuracy < 0.9", "test_accuracy != 1", "test_accuracy"):
        assert not holds(text, test_accuracy=math.nan), text
    assert holds("not test_accuracy >= 0.9", test_accuracy=math.nan)
    assert not holds("x / 0 > 1", x=1.0)      # division by zero has no value


@pytest.mark.parametrize("text, column, words", [
    ("test_loss <=", 13, "expected a number or a name"),
    ("test_loss <= 0.1 and", 21, "expected a number or a name"),
    ("(test_loss <= 0.1", 18, "expected ')'"),
    ("test_loss <= 0.1 0.2", 18, "unexpected '0.2'"),
    ("test_loss = 0.1", 11, "unexpected character '='"),
    ("test_loss <= 0.1 & epoch > 3", 18, "unexpected character '&'"),
    ("", 1, "empty"),
    ("epoch > and", 9, "expected a value, got 'and'"),
])
def test_syntax_errors_name_the_column(text, column, words):
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert caught.value.column == column and words in caught.value.message


def test_unknown_names_are_refused_with_their_column():
    with pytest.raises(ConditionError) as caught:
        parse_condition("test_loss <= 0.1 and hiden_neurons <= 6", QUANTITIES.__contains__)
    assert caught.value.column == 22 and "hiden_neurons" in caught.value.message
    with pytest.raises(ConditionError) as caught:
        parse_condition("epoch > previous.epochs", QUANTITIES.__contains__)
    assert caught.value.column == 9 and "'epochs'" in caught.value.message


def test_no_eval_of_file_text():
    with pytest.raises(ConditionError):
        parse_condition("__import__('os').system('true')")
    with pytest.raises(ConditionError):
        parse_condition("epoch.__class__ > 0")


def test_previous_without_a_previous_task_and_missing_values():
    with pytest.raises(ConditionError, match="no previous task"):
        holds("epoch > previous.epoch", None, epoch=3)
    with pytest.raises(ConditionError, match="no value for 'epoch'"):
        holds("epoch > 3")


def test_describe_shows_each_value_and_its_goal():
    condition = parse_condition("test_loss <= 0.1 and hidden_neurons <= 6")
    assert condition.describe({"test_loss": 0.1341, "hidden_neurons": 6}) == \
        "test_loss 0.134 (goal ≤ 0.1) · hidden_neurons 6 (goal ≤ 6)"
    assert parse_condition("not diverged").describe({"diverged": True}) == "diverged 1"
    assert parse_condition("gap >= previous.gap * 2").describe({"gap": 0.3}, {"gap": 0.1}) == \
        "gap 0.3 (goal ≥ 0.2)"
