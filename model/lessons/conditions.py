"""Goal conditions: a small expression language, parsed and evaluated without ``eval``.

    condition = parse_condition("test_loss <= 0.1 and hidden_neurons <= 6")
    condition.evaluate({"test_loss": 0.08, "hidden_neurons": 4})          # True
    condition.names                                                      # {"test_loss", "hidden_neurons"}

The grammar (recursive descent, one function per rule)::

    condition  := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | comparison
    comparison := sum (("<=" | "<" | ">=" | ">" | "==" | "!=") sum)?
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | atom
    atom       := NUMBER ["%"] | NAME | "previous." NAME | "(" condition ")" | "true" | "false"

``30 %`` is 0.30. A bare NAME is true when its value is non-zero (``diverged``).
``previous.X`` is X as it was when the previous task's goal was met. Numbers equal to nine
significant digits compare as equal (so ``0.35 - 0.25 >= 0.1`` holds). A comparison
with NaN on either side is false (accuracy on regression data has no value), and
so is a NaN used as true/false. Problems raise ``ConditionError(column, message)``
with the 1-based column of the offending token.
"""
from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from typing import Callable, Mapping

Value = float | bool
Quantities = Mapping[str, Value]



def _close(a: float, b: float) -> bool:
    """Equal to 9 significant digits: 0.35 − 0.25 (0.0999…98 in binary) counts as 0.1."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<=": lambda a, b: a < b or _close(a, b), "<": lambda a, b: a < b and not _close(a, b),
    ">=": lambda a, b: a > b or _close(a, b), ">": lambda a, b: a > b and not _close(a, b),
    "==": _close, "!=": lambda a, b: not _close(a, b),
}
ARITHMETIC: dict[str, Callable[[float, float], float]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": lambda a, b: a / b if b else math.nan,
}
GOAL_SIGNS = {"<=": "≤", ">=": "≥", "!=": "≠", "==": "=", "<": "<", ">": ">"}
KEYWORDS = ("and", "or", "not", "true", "false")
PREVIOUS = "previous."

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>(?:previous\.)?[A-Za-z_][A-Za-z0-9_]*)
  | (?P<operator><=|>=|==|!=|<|>|\+|-|\*|/|%|\(|\))
""", re.VERBOSE)


class ConditionError(ValueError):
    """A condition that does not parse or names something unknown; ``column`` is 1-based."""

    def __init__(self, column: int, message: str):
        super().__init__(f"column {column}: {message}")
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Token:
    kind: str       # "number", "name", "operator", "end"
    text: str
    column: int     # 1-based


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an "end" token; ConditionError at a stray character."""
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ConditionError(position + 1, f"unexpected character {text[position]!r}")
        if match.lastgroup != "space":
            tokens.append(Token(match.lastgroup, match.group(), position + 1))
        position = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# -- the tree: each node evaluates itself against the quantities ---------------------------

class Node:
    column: int

    def value(self, now: Quantities, previous: Quantities | None) -> float:
        raise NotImplementedError

    def truth(self, now: Quantities, previous: Quantities | None) -> bool:
        value = self.value(now, previous)
        return not math.isnan(value) and value != 0

    def children(self) -> tuple["Node", ...]:
        return ()

    def names(self) -> frozenset[str]:
        return frozenset().union(*(child.names() for child in self.children()))


@dataclass(frozen=True)
class Number(Node):
    number: float
    column: int

    def value(self, now, previous) -> float:
        return self.number

    def __str__(self) -> str:
        return f"{self.number:g}"


@dataclass(frozen=True)
class Name(Node):
    name: str           # with "previous." for the previous task's value
    column: int

    def value(self, now, previous) -> float:
        if self.name.startswith(PREVIOUS):
            if previous is None:
                raise ConditionError(self.column, f"{self.name} has no value: there is no previous task")
            source, key = previous, self.name[len(PREVIOUS):]
        else:
            source, key = now, self.name
        if key not in source:
            raise ConditionError(self.column, f"no value for {key!r}")
        return float(source[key])

    def names(self) -> frozenset[str]:
        return frozenset({self.name})

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Negative(Node):
    operand: Node
    column: int

    def value(self, now, previous) -> float:
        return -self.operand.value(now, previous)

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def __str__(self) -> str:
        return f"-{self.operand}"


@dataclass(frozen=True)
class Binary(Node):
    """``left operator right``."""

    operator: str
    left: Node
    right: Node
    column: int

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)

    def __str__(self) -> str:
        return f"{self.left} {self.operator} {self.right}"


class Arithmetic(Binary):
    def value(self, now, previous) -> float:
        return ARITHMETIC[self.operator](self.left.value(now, previous), self.right.value(now, previous))


class Comparison(Binary):
    def value(self, now, previous) -> float:
        return float(self.truth(now, previous))

    def truth(self, now, previous) -> bool:
        left, right = self.left.value(now, previous), self.right.value(now, previous)
        if math.isnan(left) or math.isnan(right):
            return False
        return COMPARISONS[self.operator](left, right)


@dataclass(frozen=True)
class Logical(Node):
    operator: str           # "and", "or"
    operands: tuple[Node, ...]
    column: int

    def value(self, now, previous) -> float:
        return float(self.truth(now, previous))

    def truth(self, now, previous) -> bool:
        results = (operand.truth(now, previous) for operand in self.operands)
        return all(results) if self.operator == "and" else any(results)

    def children(self) -> tuple[Node, ...]:
        return self.operands

    def __str__(self) -> str:
        return f" {self.operator} ".join(f"({o})" if isinstance(o, Logical) else str(o) for o in self.operands)


@dataclass(frozen=True)
class Not(Node):
    operand: Node
    column: int

    def value(self, now, previous) -> float:
        return float(self.truth(now, previous))

    def truth(self, now, previous) -> bool:
        return not self.operand.truth(now, previous)

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def __str__(self) -> str:
        return f"not {self.operand}"


# -- the parser --------------------------------------------------------------------------

class _Parser:
    def __init__(self, text: str):
        self.tokens = tokenize(text)
        self.position = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.position]

    def accept(self, *texts: str) -> Token | None:
        token = self.token
        if token.kind in ("operator", "name") and token.text in texts:
            self.position += 1
            return token
        return None

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise ConditionError(1, "the condition is empty")
        node = self.condition()
        if self.token.kind != "end":
            raise ConditionError(self.token.column, f"unexpected {self.token.text!r}")
        return node

    def condition(self) -> Node:
        return self.logical("or", self.conjunction)

    def conjunction(self) -> Node:
        return self.logical("and", self.negation)

    def logical(self, word: str, operand: Callable[[], Node]) -> Node:
        first = operand()
        operands = [first]
        while self.accept(word):
            operands.append(operand())
        return first if len(operands) == 1 else Logical(word, tuple(operands), first.column)

    def negation(self) -> Node:
        token = self.accept("not")
        return Not(self.negation(), token.column) if token else self.comparison()

    def comparison(self) -> Node:
        left = self.sum()
        token = self.accept(*COMPARISONS)
        return Comparison(token.text, left, self.sum(), token.column) if token else left

    def sum(self) -> Node:
        node = self.product()
        while token := self.accept("+", "-"):
            node = Arithmetic(token.text, node, self.product(), token.column)
        return node

    def product(self) -> Node:
        node = self.unary()
        while token := self.accept("*", "/"):
            node = Arithmetic(token.text, node, self.unary(), token.column)
        return node

    def unary(self) -> Node:
        token = self.accept("-")
        return Negative(self.unary(), token.column) if token else self.atom()

    def atom(self) -> Node:
        token = self.token
        if token.kind == "number":
            self.position += 1
            number = float(token.text)
            if self.accept("%"):
                number /= 100.0
            return Number(number, token.column)
        if token.kind == "name":
            self.position += 1
            if token.text in ("true", "false"):
                return Number(float(token.text == "true"), token.column)
            if token.text in KEYWORDS:
                raise ConditionError(token.column, f"expected a value, got {token.text!r}")
            return Name(token.text, token.column)
        if self.accept("("):
            node = self.condition()
            if not self.accept(")"):
                raise ConditionError(self.token.column, f"expected ')', got {self.token.text or 'the end'!r}")
            return node
        raise ConditionError(token.column, f"expected a number or a name, got {token.text or 'the end'!r}")


# -- the public object ----------------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    """A parsed goal: ``evaluate`` it against quantities, ``describe`` it for the panel."""

    text: str
    tree: Node

    @property
    def names(self) -> frozenset[str]:
        """Every quantity name used, ``previous.X`` included as written."""
        return self.tree.names()

    def evaluate(self, quantities: Quantities, previous: Quantities | None = None) -> bool:
        """True when the goal holds. ConditionError for a missing value (or previous.X without
        a previous task)."""
        return self.tree.truth(quantities, previous)

    def describe(self, quantities: Quantities, previous: Quantities | None = None) -> str:
        """Each comparison's left-hand value and its goal, e.g.
        ``"test_loss 0.134 (goal ≤ 0.1) · hidden_neurons 6 (goal ≤ 6)"``; a bare name shows its value."""
        parts = []
        for node in _leaves(self.tree):
            try:
                if isinstance(node, Comparison):
                    left, right = node.left.value(quantities, previous), node.right.value(quantities, previous)
                    parts.append(f"{node.left} {_shown(left)} (goal {GOAL_SIGNS[node.operator]} {_shown(right)})")
                else:
                    parts.append(f"{node} {_shown(node.value(quantities, previous))}")
            except ConditionError:
                parts.append(f"{node} (no value yet)")
        return " · ".join(parts)

    def __str__(self) -> str:
        return self.text


def _leaves(node: Node) -> list[Node]:
    """The comparisons and bare values under the logical operators."""
    if isinstance(node, Logical):
        return [leaf for operand in node.operands for leaf in _leaves(operand)]
    if isinstance(node, Not):
        return _leaves(node.operand)
    return [node]


def _shown(value: float) -> str:
    if math.isnan(value):
        return "–"
    return f"{value:.3g}"


def parse_condition(text: str, known: Callable[[str], bool] | None = None) -> Condition:
    """Parse ``text``; with ``known``, every name (``previous.`` stripped) must satisfy it.
    ConditionError(column, message) on any problem."""
    if not isinstance(text, str):
        raise ConditionError(1, f"a condition must be a text, got {text!r}")
    tree = _Parser(text).parse()
    if known is not None:
        _check_names(tree, known)
    return Condition(text, tree)


def _check_names(node: Node, known: Callable[[str], bool]) -> None:
    if isinstance(node, Name):
        bare = node.name[len(PREVIOUS):] if node.name.startswith(PREVIOUS) else node.name
        if not known(bare):
            raise ConditionError(node.column, f"unknown quantity {bare!r}")
        return
    for child in node.children():
        _check_names(child, known)
