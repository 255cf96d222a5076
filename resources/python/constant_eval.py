"""A small evaluator for pure expressions over literals, for test values that are not literals.

`[1] * 3`, `2**70`, `float('inf')`, `set([1, 2])`, `list(range(5))`: whitelisted builtins only, no
attribute access beyond math constants, no names but those the caller binds, and every built value
bounded in size, so parsing a dataset's tests never runs its code or explodes in memory.
Standard library only (imported by convert_tests.py under `python -I`).
"""

import ast
import math

MAX_ITEMS = 10_000  # elements of a built container, characters of a built string
MAX_INT_BITS = 10_000  # well under 3.11's 4300-digit int->str limit, which tagged_json needs


UNKNOWN = object()  # an env entry for a name bound to something the evaluator cannot know


class NotConstant(Exception):
    """An expression the safe evaluator refuses: names, attributes, calls outside the whitelist."""


def _bounded(value):
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise NotConstant("integer too large")
    if isinstance(value, (str, bytes, list, tuple, set, frozenset, dict)) and len(value) > MAX_ITEMS:
        raise NotConstant("value too large")
    return value


def materialize(value):
    if isinstance(value, range):
        if len(value) > MAX_ITEMS:
            raise NotConstant("range too large")
        return list(value)
    return value


def _checked_call(fn, *args, **kwargs):
    args = [materialize(a) for a in args]
    if fn in (str, repr) and args and isinstance(args[0], int) and args[0].bit_length() > MAX_INT_BITS:
        raise NotConstant("integer too large")
    return _bounded(fn(*args, **kwargs))


SAFE_CALLS = {
    name: fn
    for name, fn in {
        "float": float, "int": int, "str": str, "bool": bool, "complex": complex, "bytes": bytes,
        "list": list, "tuple": tuple, "set": set, "frozenset": frozenset, "dict": dict,
        "sorted": sorted, "len": len, "abs": abs, "min": min, "max": max, "sum": sum,
        "round": round, "chr": chr, "ord": ord, "repr": repr,
    }.items()
}
MATH_CONSTANTS = {"inf": math.inf, "nan": math.nan, "pi": math.pi, "e": math.e, "tau": math.tau}


def _binop(op, a, b):
    if isinstance(op, ast.Mult):
        for seq, n in ((a, b), (b, a)):
            if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int):
                if len(seq) * max(n, 0) > MAX_ITEMS:
                    raise NotConstant("repetition too large")
    if isinstance(op, ast.Pow) and isinstance(a, int) and isinstance(b, int) and b > 0:
        if abs(a) > 1 and b * abs(a).bit_length() > MAX_INT_BITS:
            raise NotConstant("power too large")
    if isinstance(op, ast.LShift) and isinstance(b, int) and b > MAX_INT_BITS:
        raise NotConstant("shift too large")
    ops = {
        ast.Add: lambda: a + b, ast.Sub: lambda: a - b, ast.Mult: lambda: a * b,
        ast.Div: lambda: a / b, ast.FloorDiv: lambda: a // b, ast.Mod: lambda: a % b,
        ast.Pow: lambda: a ** b, ast.LShift: lambda: a << b, ast.RShift: lambda: a >> b,
        ast.BitOr: lambda: a | b, ast.BitAnd: lambda: a & b, ast.BitXor: lambda: a ^ b,
    }
    if type(op) not in ops or isinstance(a, str) and isinstance(op, ast.Mod):
        raise NotConstant("operator %s" % type(op).__name__)
    try:
        return _bounded(ops[type(op)]())
    except (ArithmeticError, TypeError, ValueError) as error:
        raise NotConstant(str(error))


def evaluate(node, env):
    """The value of a pure expression over literals and `env` names, or NotConstant."""
    if isinstance(node, ast.Constant):
        if node.value is Ellipsis:
            raise NotConstant("Ellipsis")
        return _bounded(node.value)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        items = []
        for elt in node.elts:
            if isinstance(elt, ast.Starred):
                items.extend(materialize(evaluate(elt.value, env)))
            else:
                items.append(evaluate(elt, env))
        kind = {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)]
        try:
            return _bounded(kind(items))
        except TypeError as error:  # unhashable set member
            raise NotConstant(str(error))
    if isinstance(node, ast.Dict):
        try:
            result = {}
            for k, v in zip(node.keys, node.values):
                if k is None:
                    result.update(evaluate(v, env))
                else:
                    result[evaluate(k, env)] = evaluate(v, env)
            return _bounded(result)
        except TypeError as error:
            raise NotConstant(str(error))
    if isinstance(node, ast.UnaryOp):
        value = evaluate(node.operand, env)
        try:
            return {ast.USub: lambda: -value, ast.UAdd: lambda: +value,
                    ast.Not: lambda: not value, ast.Invert: lambda: ~value}[type(node.op)]()
        except TypeError as error:
            raise NotConstant(str(error))
    if isinstance(node, ast.BinOp):
        return _binop(node.op, evaluate(node.left, env), evaluate(node.right, env))
    if isinstance(node, ast.Name):
        if env.get(node.id, UNKNOWN) is not UNKNOWN:
            return env[node.id]
        raise NotConstant("name %r" % node.id)
    if isinstance(node, ast.Attribute):
        # The one attribute allowed: math's constants (math.inf, math.pi), read from our own math.
        if isinstance(node.value, ast.Name) and node.value.id == "math" and node.attr in MATH_CONSTANTS:
            return MATH_CONSTANTS[node.attr]
        raise NotConstant("attribute access")
    if isinstance(node, ast.Subscript):
        target = evaluate(node.value, env)
        index = node.slice.value if type(node.slice).__name__ == "Index" else node.slice  # 3.8 AST
        if isinstance(index, ast.Slice):
            parts = [None if p is None else evaluate(p, env) for p in (index.lower, index.upper, index.step)]
            key = slice(*parts)
        else:
            key = evaluate(index, env)
        try:
            return materialize(target)[key]
        except (LookupError, TypeError, ValueError) as error:
            raise NotConstant(str(error))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name == "range":
            args = [evaluate(a, env) for a in node.args]
            if node.keywords or not all(type(a) is int for a in args):
                raise NotConstant("range arguments")
            try:
                return materialize(range(*args))
            except (TypeError, ValueError) as error:
                raise NotConstant(str(error))
        if name in SAFE_CALLS and name not in env:
            args = [evaluate(a, env) for a in node.args if not isinstance(a, ast.Starred)]
            if len(args) != len(node.args) or any(k.arg is None for k in node.keywords):
                raise NotConstant("starred arguments")
            kwargs = {k.arg: evaluate(k.value, env) for k in node.keywords}
            try:
                return _checked_call(SAFE_CALLS[name], *args, **kwargs)
            except (ArithmeticError, TypeError, ValueError) as error:
                raise NotConstant(str(error))
    raise NotConstant("unsupported expression %s" % type(node).__name__)
