"""Converts HumanEval and MBPP records into the lab's problem format, without running dataset code.

Reads JSONL records on stdin (see electron/lab/problems/formats/assert-converter.ts) and writes one
JSON result per line: {"index", "problem", "stats"} or {"index", "error"}. Test code is only parsed
with `ast`; values come from ast.literal_eval's subset plus a small evaluator for pure expressions
over literals (`[1] * 3`, `2**70`, `float('inf')`, `set([1, 2])`), bounded in size. Every test ends
as an [input, expected] pair, a kept assert-style snippet, or a skipped entry with a reason.
Standard library only; run as `python -I convert_tests.py`.
"""

import ast
import inspect
import json
import math
import os
import sys
import textwrap
from collections import Counter

# -I leaves the script's folder off sys.path; tagged_json lives beside this file.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tagged_json  # noqa: E402
from constant_eval import UNKNOWN, NotConstant, evaluate, materialize  # noqa: E402

MAX_UNROLL = 64  # iterations of a constant `for` loop unrolled into pairs
DEFAULT_TOL = (1e-9, 0.0)  # the lab's default float tolerance (shared/values/python-equality.ts)


class NotAPair(Exception):
    """An assert that cannot become an [input, expected] pair; the message says why."""


class Target:
    """The function under test: its names in test code and the parameters that fix the arity rule."""

    def __init__(self, name, aliases, fn_def):
        self.name = name
        self.aliases = set(aliases) | {name}
        args = fn_def.args
        positional = list(getattr(args, "posonlyargs", [])) + list(args.args)
        self.positional = [a.arg for a in positional]
        # *args/**kwargs: no fixed arity, so no `parameters` and every input is an argument list.
        self.parameters = None if args.vararg or args.kwarg else self.positional

    def is_call(self, node):
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in self.aliases

    def input_of(self, call, env):
        args = []
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                args.extend(materialize(self._value(arg.value, env)))
            else:
                args.append(self._value(arg, env))
        for kw in call.keywords:
            # A keyword naming the next positional parameter is the same call written positionally.
            if kw.arg is None or kw.arg not in self.positional or self.positional.index(kw.arg) != len(args):
                raise NotAPair("keyword argument %s" % (kw.arg or "**"))
            args.append(self._value(kw.value, env))
        if self.parameters is not None:
            if len(self.parameters) == 1:
                if len(args) != 1:
                    raise NotAPair("a one-parameter function called with %d arguments" % len(args))
                return args[0]
            if len(args) > len(self.parameters):
                raise NotAPair("more arguments than parameters")
        return list(args)

    @staticmethod
    def _value(node, env):
        try:
            return evaluate(node, env)
        except NotConstant as error:
            raise NotAPair("argument is not a constant (%s)" % error)


def _expected(node, env):
    try:
        return evaluate(node, env)
    except NotConstant as error:
        raise NotAPair("expected value is not a constant (%s)" % error)


def _is_math_call(node, names):
    f = node.func if isinstance(node, ast.Call) else None
    return (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "math"
            and f.attr in names) or (isinstance(f, ast.Name) and f.id in names)


def _tolerance_pair(target, diff_call, bound, env):
    """`abs(f(x) - y) < tol`: diff_call is the abs(...) call, bound the tol expression."""
    if len(diff_call.args) != 1 or diff_call.keywords or not isinstance(diff_call.args[0], ast.BinOp) \
            or not isinstance(diff_call.args[0].op, ast.Sub):
        raise NotAPair("unsupported tolerance form")
    left, right = diff_call.args[0].left, diff_call.args[0].right
    call, other = (left, right) if target.is_call(left) else (right, left)
    if not target.is_call(call) or target.is_call(other):
        raise NotAPair("tolerance check does not compare one call with a value")
    tol = _expected(bound, env)
    if type(tol) not in (int, float) or not tol >= 0:
        raise NotAPair("tolerance is not a number")
    return [(target.input_of(call, env), _expected(other, env), (DEFAULT_TOL[0], float(tol)))]


def assert_pairs(test, target, env):
    """[(input, expected, tolerance or None)] for one assert's test expression, or NotAPair."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return [p for value in test.values for p in assert_pairs(value, target, env)]
    if target.is_call(test):
        return [(target.input_of(test, env), True, None)]
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and target.is_call(test.operand):
        return [(target.input_of(test.operand, env), False, None)]
    if isinstance(test, ast.Call) and _is_math_call(test, ("isnan",)) and len(test.args) == 1 \
            and target.is_call(test.args[0]) and not test.keywords:
        return [(target.input_of(test.args[0], env), math.nan, None)]
    if isinstance(test, ast.Call) and _is_math_call(test, ("isclose",)) and len(test.args) == 2:
        a, b = test.args
        call, other = (a, b) if target.is_call(a) else (b, a)
        if not target.is_call(call) or target.is_call(other):
            raise NotAPair("isclose does not compare one call with a value")
        kw = {k.arg: _expected(k.value, env) for k in test.keywords}
        if set(kw) - {"rel_tol", "abs_tol"} or not all(type(v) in (int, float) and v >= 0 for v in kw.values()):
            raise NotAPair("unsupported isclose argument")
        tol = (float(kw.get("rel_tol", 1e-9)), float(kw.get("abs_tol", 0.0)))
        return [(target.input_of(call, env), _expected(other, env), None if tol == DEFAULT_TOL else tol)]
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, (ast.Eq, ast.Is)):
            call, other = (left, right) if target.is_call(left) else (right, left)
            if not target.is_call(call):
                raise NotAPair("the function's result is transformed before the comparison")
            if target.is_call(other):
                raise NotAPair("compares two calls")
            expected = _expected(other, env)
            if isinstance(op, ast.Is) and not any(expected is v for v in (True, False, None)):
                raise NotAPair("identity test against a value other than True/False/None")
            return [(target.input_of(call, env), expected, None)]
        abs_call = lambda n: isinstance(n, ast.Call) and (  # noqa: E731
            isinstance(n.func, ast.Name) and n.func.id == "abs" or _is_math_call(n, ("fabs",)))
        if isinstance(op, (ast.Lt, ast.LtE)) and abs_call(left):
            return _tolerance_pair(target, left, right, env)
        if isinstance(op, (ast.Gt, ast.GtE)) and abs_call(right):
            return _tolerance_pair(target, right, left, env)
    raise NotAPair("not a supported assert form")


def _encode(value):
    """Tagged JSON with set members in a fixed order: str hashing differs per process, and the
    bundled files must come out the same on every build."""
    def canonical(raw):
        if isinstance(raw, list):
            return [canonical(v) for v in raw]
        if isinstance(raw, dict):
            out = {k: canonical(v) for k, v in raw.items()}
            if list(out) == ["$set"]:
                out["$set"] = sorted(out["$set"], key=lambda v: json.dumps(v, sort_keys=True))
            return out
        return raw
    return canonical(tagged_json.encode(value))




def _bound_names(node):
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            yield n.id
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield n.name
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            for alias in n.names:
                yield (alias.asname or alias.name).split(".")[0]


def _calls(node, target):
    return any(target.is_call(n) for n in ast.walk(node))


def _source(lines, node, text):
    """The statement's own source, dedented: what an assert-style test keeps."""
    first = lines[node.lineno - 1]
    if first[: node.col_offset].strip() == "":
        return textwrap.dedent("".join(lines[node.lineno - 1: node.end_lineno])).rstrip()
    return ast.get_source_segment(text, node)


class Collector:
    """Turns test statements into pairs, kept asserts and skipped entries for one problem."""

    def __init__(self, target, prelude):
        self.target = target
        self.prelude = list(prelude)  # source chunks every kept snippet starts with
        self.env = {}
        self.pairs = []  # (input, expected, tolerance, snippet)
        self.kept = []
        self.skipped = []

    def context(self, src, node):
        """A statement that tests nothing but later tests may need (imports, helper variables)."""
        self.prelude.append(src)
        self.bind(node)

    def bind(self, node):
        """Remembers `name = constant` so later asserts may use the name as a value; any other
        binding (`list = ...`, `import math`, loop variables) makes the name unknown, so that a
        shadowed builtin is never evaluated as the builtin."""
        for name in _bound_names(node):
            self.env[name] = UNKNOWN
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                self.env[node.targets[0].id] = evaluate(node.value, self.env)
            except NotConstant:
                pass

    def test(self, src, node):
        self._test(src, node)
        self.bind(node)  # after this test, the names it binds (a loop variable) are not constants

    def _test(self, src, node):
        snippet = "\n".join(self.prelude + [src])
        if isinstance(node, ast.Assert):
            if isinstance(node.test, ast.Constant) and node.test.value:
                self.skipped.append({"test": src, "reason": "always true: asserts a constant"})
                return
            try:
                # Encoded in full before any is added: an `and` of two asserts is a pair each or kept whole.
                found = [(_encode(inp), _encode(expected), tol, snippet)
                         for inp, expected, tol in assert_pairs(node.test, self.target, self.env)]
                self.pairs.extend(found)
                return
            except (NotAPair, tagged_json.Unserializable):
                pass
        elif isinstance(node, ast.For) and self._unroll(node, snippet):
            return
        if not _calls(node, self.target):
            self.skipped.append({"test": src, "reason": "does not call %s" % self.target.name})
            return
        self.kept.append(snippet)

    def _unroll(self, node, snippet):
        """`for x in range(2, 8): assert f(x, x + 1) == str(x)` over constants becomes pairs."""
        if node.orelse or not isinstance(node.target, ast.Name) or not all(isinstance(s, ast.Assert) for s in node.body):
            return False
        try:
            values = materialize(evaluate(node.iter, self.env))
            if not isinstance(values, (list, tuple, str)) or len(values) > MAX_UNROLL:
                return False
            found = []
            for value in values:
                env = dict(self.env, **{node.target.id: value})
                for stmt in node.body:
                    for inp, expected, tol in assert_pairs(stmt.test, self.target, env):
                        found.append((_encode(inp), _encode(expected), tol, snippet))
        except (NotConstant, NotAPair, tagged_json.Unserializable):
            return False
        self.pairs.extend(found)
        return True

    def result(self):
        """The problem's test fields: the most common tolerance wins, other tolerances stay asserts."""
        tolerances = Counter(tol for _, _, tol, _ in self.pairs if tol is not None)
        chosen = tolerances.most_common(1)[0][0] if tolerances else None
        cases, kept = [], list(self.kept)
        for inp, expected, tol, snippet in self.pairs:
            if tol is None or tol == chosen:
                cases.append([inp, expected])
            elif snippet not in kept:  # an unrolled loop's pairs share one snippet
                kept.append(snippet)
        fields = {"test_cases": cases}
        if kept:
            fields["assert_tests"] = kept
        if chosen is not None:
            fields["tolerance"] = {"rel_tol": chosen[0], "abs_tol": chosen[1]}
        stats = {"pairs": len(cases), "asserts_kept": len(kept), "skipped": self.skipped}
        return fields, stats


def _function(module, name):
    defs = [s for s in module.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == name]
    return defs[-1] if defs else None


def _docstring(fn):
    text = ast.get_docstring(fn)
    if text is None:  # HumanEval/115 puts an import before its docstring
        for stmt in fn.body:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                return inspect.cleandoc(stmt.value.value)
    return text


def convert_humaneval(rec):
    prompt, test = rec["prompt"], rec["test"]
    name = rec["entry_point"]
    prompt_module = ast.parse(prompt)
    fn = _function(prompt_module, name)
    if fn is None:
        raise ValueError("the prompt does not define %s" % name)
    target = Target(name, ["candidate"], fn)
    module = ast.parse(test)
    check = _function(module, "check")
    if check is None or not check.args.args:
        raise ValueError("the test defines no check(candidate) function")
    alias = check.args.args[0].arg
    target.aliases.add(alias)
    lines, prompt_lines = test.splitlines(True), prompt.splitlines(True)
    # Kept snippets run after the candidate's code: they bring the prompt's helpers (encode_cyclic),
    # the test module's own definitions, and bind the check's parameter to the entry point.
    prelude = [_source(prompt_lines, s, prompt) for s in prompt_module.body if s is not fn]
    for stmt in module.body:
        is_metadata = isinstance(stmt, ast.Assign) and any(getattr(t, "id", "") == "METADATA" for t in stmt.targets)
        is_run = isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) and getattr(stmt.value.func, "id", "") == "check"
        if stmt is not check and not is_metadata and not is_run:
            prelude.append(_source(lines, stmt, test))
    prelude.append("%s = %s" % (alias, name))
    collector = Collector(target, prelude)
    for stmt in prompt_module.body + module.body:
        if stmt is not fn and stmt is not check:
            collector.bind(stmt)
    for stmt in check.body:
        src = _source(lines, stmt, test)
        if isinstance(stmt, ast.Assert) or any(isinstance(n, ast.Assert) for n in ast.walk(stmt)) \
                or (isinstance(stmt, ast.Expr) and _calls(stmt, target)):
            collector.test(src, stmt)
        else:
            collector.context(src, stmt)
    fields, stats = collector.result()
    problem = {"function_name": name, "docstring": _docstring(fn) or "", **fields}
    if target.parameters is not None:
        problem["parameters"] = target.parameters
    if rec.get("canonical_solution") is not None:
        problem["reference_solution"] = prompt + rec["canonical_solution"]
    problem.update(starter_code=prompt, source=str(rec.get("task_id", name)))
    return problem, stats


def _mbpp_target(module, tests):
    """The function the asserts call: the most called name that the reference code defines."""
    called = Counter(n.func.id for t in tests for n in ast.walk(t)
                     if isinstance(n, ast.Call) and isinstance(n.func, ast.Name))
    for name, _ in called.most_common():
        fn = _function(module, name)
        if fn is not None:
            return Target(name, [], fn), fn
    raise ValueError("the reference code defines none of the functions its tests call (%s)" % ", ".join(sorted(called)))


def _mbpp_starter(code, module, fn, helpers, text):
    chunks = [ast.get_source_segment(code, s) for s in helpers]
    args = fn.args
    parts = [a.arg for a in list(getattr(args, "posonlyargs", [])) + list(args.args)]
    for i, default in enumerate(args.defaults):
        k = len(parts) - len(args.defaults) + i
        parts[k] += "=" + ast.get_source_segment(code, default)
    if args.vararg:
        parts.append("*" + args.vararg.arg)
    if args.kwarg:
        parts.append("**" + args.kwarg.arg)
    doc = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    chunks.append('def %s(%s):\n    """%s"""\n' % (fn.name, ", ".join(parts), doc))
    return "\n\n".join(chunks)


def convert_mbpp(rec):
    code = rec["code"].replace("\r\n", "\n")
    setup = (rec.get("test_setup_code") or "").replace("\r\n", "\n")
    sources = list(rec.get("test_list") or []) + list(rec.get("challenge_test_list") or [])
    if not sources:
        raise ValueError("the record has no tests")
    module = ast.parse(code)
    parsed, skipped = [], []
    for src in sources:
        try:
            parsed.append((src.strip(), ast.parse(src.strip())))
        except SyntaxError as error:
            skipped.append({"test": src, "reason": "syntax error: %s" % error.msg})
    target, fn = _mbpp_target(module, [tree for _, tree in parsed])
    setup_module = ast.parse(setup)
    used = {n.id for tree in [setup_module] + [t for _, t in parsed] for n in ast.walk(tree) if isinstance(n, ast.Name)}
    # Tests that build inputs with the reference's own classes (`root = Node(1)`, `Pair(5, 24)`)
    # need those definitions; kept asserts carry them and the starter code shows them.
    helpers = [s for s in module.body if isinstance(s, (ast.ClassDef, ast.FunctionDef)) and s.name in used and s is not fn]
    prelude = [ast.get_source_segment(code, s) for s in helpers] + ([setup.strip()] if setup.strip() else [])
    collector = Collector(target, prelude)
    for stmt in setup_module.body:
        collector.bind(stmt)
    collector.skipped.extend(skipped)
    for src, tree in parsed:
        for stmt in tree.body:
            collector.test(_source(src.splitlines(True), stmt, src), stmt)
    fields, stats = collector.result()
    problem = {"function_name": target.name, "docstring": rec["text"].strip(), **fields}
    if target.parameters is not None:
        problem["parameters"] = target.parameters
    problem.update(reference_solution=code, starter_code=_mbpp_starter(code, module, fn, helpers, rec["text"].strip()),
                   source="mbpp/%s" % (target.name if rec.get("task_id") is None else rec["task_id"]))
    return problem, stats


def convert(rec):
    fmt = rec.get("format")
    if fmt == "humaneval":
        problem, stats = convert_humaneval(rec)
    elif fmt == "mbpp":
        problem, stats = convert_mbpp(rec)
    else:
        raise ValueError("unknown format %r" % fmt)
    # Datasets reuse function names across tasks (HumanEval has two `solve`): name problems by task.
    problem = {"name": problem["source"], **problem}
    if not problem["test_cases"] and not problem.get("assert_tests"):
        reasons = "; ".join(s["reason"] for s in stats["skipped"]) or "no tests"
        raise ValueError("no test could be converted or kept (%s)" % reasons)
    return {"problem": problem, "stats": stats}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        rec = json.loads(line)
        try:
            out = convert(rec)
        except SyntaxError as error:
            out = {"error": "Python syntax error in the record, line %s: %s" % (error.lineno, error.msg)}
        except (ValueError, KeyError, TypeError) as error:
            out = {"error": str(error) or type(error).__name__}
        except Exception as error:  # one odd record must not sink the batch; its message names the bug
            out = {"error": "the converter failed on this record: %s: %s" % (type(error).__name__, error)}
        out["index"] = rec.get("index")
        sys.stdout.write(json.dumps(out, allow_nan=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
