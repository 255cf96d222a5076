"""The executor's worker: runs candidate samples and reports each test's actual value.

Run as `python -s harness.py --in 3 --out 4 [options]` with PYTHONHASHSEED=0 and no other PYTHON*
variable in the environment (see electron/lab/executor/sandbox.ts: -I would ignore the seed).
Requests arrive as JSON lines on the --in fd, answers leave as JSON lines on the --out fd; the
candidate's stdout/stderr (fds 1/2) are never part of the protocol. Envelopes are numbered:
  -> {"seq", "type": "run", "samples": [{"code", "fn", "tests": [[arg, ...], ...], "asserts"?, "isolate"}]}
  <- {"seq", "type": "test", "s", "i", "ok": true, "value", "ms"}         one per finished test
  <- {"seq", "type": "test", "s", "i", "ok": false, "verdict", "exc", "msg", "ms"}
  <- {"seq", "type": "sample", "s", "mode", "verdict"?, "from"?, ...}   one per sample, last
  <- {"seq", "result": {"poisoned"}}  or  {"seq", "error": {"name", "message"}}
Expected values never come here: comparison happens in TypeScript (shared/values/python-equality.ts).
The exception is "asserts": assert-style snippets from dataset conversion, run after the pair tests
in the candidate's namespace as tests len(tests) on; one passes ({"ok": true}, no value) when it
raises nothing. They are dataset code, so a sample that carries any always forks. Their verdict is
only as trustworthy as the process that ran them: a sample that hunts down its report pipe could
forge an assert's pass (never a pair's: it lacks the expected value), so pairs are preferred wherever
the converter can make them.

Two modes per sample. "inproc": code that passes a static screen (no imports beyond a few pure
modules, no dunder or private names, no attribute stores, no open/exec/getattr...) runs in a fresh
namespace in this process, fast. "fork": anything else, and every sample of the isolated tier, runs
in a child forked from this warm process (the zygote), which closes the protocol fds first and
reports through a private pipe that this process validates. Per-test wall-clock timeouts are
Node's job: it SIGKILLs the whole sandbox when a test overruns.

Every name the harness needs is captured inside _main's closure before any candidate runs, so a
candidate that patches builtins, __main__ or tagged_json cannot change how results are encoded.
"""


def _main():
    import ast
    import builtins
    import gc
    import math
    import os
    import resource
    import signal
    import sys
    import time

    import _json

    here = os.path.dirname(os.path.abspath(__file__))
    # What -I would do beyond -s: the script's folder leaves sys.path (so no candidate imports the
    # harness), and no PYTHON* variable but the fixed hash seed may shape this interpreter.
    sys.path[:] = [p for p in sys.path if os.path.realpath(p or ".") != os.path.realpath(here)]
    stray = sorted(k for k in os.environ if k.startswith("PYTHON") and k != "PYTHONHASHSEED")
    if stray:
        sys.stderr.write("harness: refusing to start with %s set\n" % ", ".join(stray))
        os._exit(2)
    sys.path.insert(0, here)
    import tagged_json
    del sys.path[0]

    # Pure modules commonly used by generated code, preloaded so importing them costs nothing and
    # the in-process screen can allow them (they keep no global state a sample could poison).
    import bisect, collections, fractions, functools, heapq, itertools, re, statistics, string  # noqa: E401,F401
    import cmath, copy, dataclasses, typing  # noqa: E401,F401
    import threading  # noqa: F401  (preloaded so forked samples start fast)

    # ---- options -------------------------------------------------------------------------
    argv = sys.argv[1:]
    opts = {"in": "3", "out": "4", "as": "0", "fsize": "0", "nofile": "0", "nproc": "0", "scratch": "",
            "max-result": "1048576", "kill-strays": "0", "allow-fork": "1"}
    k = 0
    while k < len(argv):
        name = argv[k][2:]
        if name not in opts or k + 1 >= len(argv):
            sys.stderr.write("harness: bad option %r\n" % argv[k])
            os._exit(2)
        opts[name] = argv[k + 1]
        k += 2
    in_fd, out_fd = int(opts["in"]), int(opts["out"])
    os.set_blocking(in_fd, True)  # Node hands its socket ends over non-blocking
    os.set_blocking(out_fd, True)
    max_result = int(opts["max-result"])
    kill_strays = opts["kill-strays"] == "1"
    allow_fork = opts["allow-fork"] == "1"
    scratch = opts["scratch"]

    # ---- private references (see the module comment) ----------------------------------------
    _os_write, _os_read, _os_fork, _os_pipe, _os_close = os.write, os.read, os.fork, os.pipe, os.close
    _os_exit, _os_waitpid, _os_kill, _os_chdir, _os_mkdir = os._exit, os.waitpid, os.kill, os.chdir, os.mkdir
    _os_listdir, _os_unlink, _os_rmdir, _os_chmod, _os_lstat = os.listdir, os.unlink, os.rmdir, os.chmod, os.lstat
    _path_join = os.path.join
    _WIFSIGNALED, _WTERMSIG, _WEXITSTATUS = os.WIFSIGNALED, os.WTERMSIG, os.WEXITSTATUS
    _S_ISDIR = __import__("stat").S_ISDIR
    _perf = time.perf_counter
    _compile, _exec, _type, _len, _str, _repr = compile, exec, type, len, str, repr
    _isinstance, _min, _callable, _dict, _list = isinstance, min, callable, dict, list
    _BaseException, _MemoryError, _RecursionError = BaseException, MemoryError, RecursionError
    _AssertionError = AssertionError
    _SyntaxError = SyntaxError
    _ast_parse, _ast_walk = ast.parse, ast.walk
    _ast = {n: getattr(ast, n) for n in ("Import", "ImportFrom", "Name", "Attribute", "Store", "Del",
                                          "FunctionDef", "AsyncFunctionDef", "ClassDef", "arg", "alias",
                                          "Global", "Nonlocal", "keyword", "Constant", "JoinedStr")}
    _decode = tagged_json.decode
    _encode = tagged_json.make_encoder(max_result)
    _Unserializable, _TooLarge = tagged_json.Unserializable, tagged_json.TooLarge
    _chunks = _json.make_encoder(None, None, _json.encode_basestring_ascii, None, ":", ",", False, False, False)
    _json_loads = __import__("json").loads
    _join = "".join
    _setrlimit, _getrusage = resource.setrlimit, resource.getrusage
    _sys = sys
    _builtins_dict = builtins.__dict__
    _builtins_snapshot = dict(_builtins_dict)
    _stdout, _stderr = sys.stdout, sys.stderr
    _signal_names = {int(s): s.name for s in signal.Signals}
    _gc_collect = gc.collect
    CO_VARARGS, CO_VARKEYWORDS = 0x04, 0x08
    function_type = _type(_main)
    base_recursion = sys.getrecursionlimit()
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # results such as 2**20000 must encode exactly

    def dumps(obj):
        return _join(_chunks(obj, 0))

    # ---- the in-process screen --------------------------------------------------------------
    SAFE_MODULES = {"bisect", "collections", "fractions", "functools", "heapq", "itertools", "math",
                    "re", "statistics", "string", "cmath", "copy", "dataclasses", "typing"}
    DENIED_NAMES = {"open", "exec", "eval", "compile", "__import__", "globals", "locals", "vars", "getattr",
                    "setattr", "delattr", "breakpoint", "exit", "quit", "help", "memoryview", "dir",
                    "copyright", "credits", "license", "builtins", "sys", "os", "input"}

    def screen(tree):
        """None when the code may run in this process, else the reason it must be forked."""
        for node in _ast_walk(tree):
            t = _type(node)
            if t is _ast["Import"] or t is _ast["ImportFrom"]:
                mods = [node.module or ""] if t is _ast["ImportFrom"] else [a.name for a in node.names]
                for m in mods:
                    if m.split(".")[0] not in SAFE_MODULES or (t is _ast["ImportFrom"] and node.level):
                        return "imports %s" % m
                continue
            name = None
            if t is _ast["Name"]:
                name = node.id
                if name in DENIED_NAMES:
                    return "uses %s" % name
            elif t is _ast["Attribute"]:
                name = node.attr
                if _isinstance(node.ctx, (_ast["Store"], _ast["Del"])):
                    return "assigns attribute %s" % name
            elif t in (_ast["FunctionDef"], _ast["AsyncFunctionDef"], _ast["ClassDef"]):
                name = node.name
            elif t is _ast["arg"]:
                name = node.arg
            elif t is _ast["alias"]:
                name = node.asname
            elif t is _ast["keyword"]:
                name = node.arg
            if name and name[:1] == "_" and name != "_":
                return "uses the private name %s" % name
        return None

    # ---- writing -----------------------------------------------------------------------------
    def write_all(fd, data):
        view = memoryview(data)
        while view:
            n = _os_write(fd, view)
            view = view[n:]

    def send(fd, obj):
        write_all(fd, (dumps(obj) + "\n").encode())

    class Sink:
        """sys.stdout/stderr during a sample: keeps the first bytes for the report, drops the rest."""

        def __init__(self):
            self.head, self.size = [], 0

        def write(self, text):
            n = _len(text) if _type(text) is str else 0
            if self.size < 2048:
                self.head.append(_str(text)[: 2048 - self.size] if _type(text) is str else "")
            self.size += n
            return n

        def flush(self):
            return None

        def isatty(self):
            return False

        def text(self):
            return _join(self.head)[:2048]

    # ---- running one sample ------------------------------------------------------------------
    def describe(exc):
        """(type name, short message), robust to exceptions whose __str__ raises or lies."""
        try:
            tname = _type.__getattribute__(_type(exc), "__name__")
        except _BaseException:
            tname = "<exception>"
        try:
            msg = _str(exc)
            if _type(msg) is not str:
                msg = "<unprintable %s>" % tname
        except _BaseException:
            msg = "<unprintable %s>" % tname
        return tname, msg[:500]

    def arity_problem(fn, n):
        if _type(fn) is not function_type:
            return None
        code = fn.__code__
        if code.co_flags & CO_VARARGS:
            return None
        defaults = _len(fn.__defaults__ or ())
        need = code.co_argcount - defaults
        if need <= n <= code.co_argcount:
            return None
        return "takes %d positional argument%s but %d %s given" % (
            code.co_argcount, "" if code.co_argcount == 1 else "s", n, "was" if n == 1 else "were")

    def run_assert(seq, index, i, source, ns):
        """One assert-style test, run in the candidate's namespace as the datasets' own harnesses
        do (test code appended to the program): it sees the candidate's imports and helpers."""
        started = _perf()
        try:
            _exec(_compile(source, "<assert %d>" % (i + 1), "exec"), ns)
        except _BaseException as exc:
            ms = (_perf() - started) * 1000
            tname, msg = describe(exc)
            if _isinstance(exc, _AssertionError):
                verdict, msg = "wrong_answer", msg or "assertion failed"
            else:
                verdict = "memory_limit" if _isinstance(exc, _MemoryError) else "runtime_error"
            del exc
            return {"seq": seq, "type": "test", "s": index, "i": i, "ok": False, "verdict": verdict,
                    "exc": tname, "msg": msg, "ms": ms}
        return {"seq": seq, "type": "test", "s": index, "i": i, "ok": True, "ms": (_perf() - started) * 1000}

    def run_sample(emit, seq, index, sample, mode):
        """Loads one sample and runs its tests, emitting a message per test, then the sample's."""
        sink = Sink()
        tests = sample["tests"]
        head = {"seq": seq, "type": "sample", "s": index, "mode": mode}
        _sys.stdout = _sys.stderr = sink
        try:
            try:
                tree = sample.get("_tree") or _ast_parse(sample["code"], "<candidate>", "exec")
                code = _compile(tree, "<candidate>", "exec")
            except _BaseException as exc:
                tname, msg = describe(exc)
                line = getattr(exc, "lineno", None) if _isinstance(exc, _SyntaxError) else None
                head.update(verdict="compile_error", stage="compile", exc=tname, msg=msg, line=line, **{"from": 0})
                return head
            ns = {"__name__": "__candidate__", "__builtins__": builtins}
            try:
                _exec(code, ns)
            except _BaseException as exc:
                tname, msg = describe(exc)
                verdict = "memory_limit" if _isinstance(exc, _MemoryError) else "compile_error"
                head.update(verdict=verdict, stage="load", exc=tname, msg=msg, **{"from": 0})
                return head
            fn = ns.get(sample["fn"])
            if fn is None or not _callable(fn):
                head.update(verdict="missing_entry_point", msg="no function %s defined" % sample["fn"], **{"from": 0})
                return head
            for i, raw_args in enumerate(tests):
                args = _decode(raw_args)
                problem = arity_problem(fn, _len(args))
                if problem:
                    emit({"seq": seq, "type": "test", "s": index, "i": i, "ok": False, "verdict": "wrong_arity",
                          "exc": "TypeError", "msg": "%s() %s" % (sample["fn"], problem), "ms": 0})
                    continue
                started = _perf()
                try:
                    value = fn(*args)
                except _BaseException as exc:
                    ms = (_perf() - started) * 1000
                    tname, msg = describe(exc)
                    verdict = "memory_limit" if _isinstance(exc, _MemoryError) else "runtime_error"
                    del exc
                    emit({"seq": seq, "type": "test", "s": index, "i": i, "ok": False, "verdict": verdict,
                          "exc": tname, "msg": msg, "ms": ms})
                    continue
                ms = (_perf() - started) * 1000
                try:
                    encoded = _encode(value)
                    text = dumps(encoded)
                    if _len(text) > max_result:
                        raise _TooLarge("the result is larger than %d characters of JSON" % max_result)
                    message = {"seq": seq, "type": "test", "s": index, "i": i, "ok": True, "value": encoded, "ms": ms}
                except _TooLarge as exc:
                    message = {"seq": seq, "type": "test", "s": index, "i": i, "ok": False, "verdict": "output_limit",
                               "exc": "", "msg": describe(exc)[1], "ms": ms}
                except _BaseException as exc:
                    verdict = "memory_limit" if _isinstance(exc, _MemoryError) else "unserializable"
                    message = {"seq": seq, "type": "test", "s": index, "i": i, "ok": False, "verdict": verdict,
                               "exc": describe(exc)[0], "msg": describe(exc)[1], "ms": ms}
                value = None
                emit(message)
            base = _len(tests)
            for j, source in enumerate(sample.get("asserts") or ()):
                emit(run_assert(seq, index, base + j, source, ns))
            return head
        finally:
            _sys.stdout, _sys.stderr = _stdout, _stderr
            head["out"] = sink.text()
            head["outBytes"] = sink.size

    def poisoned():
        """Cheap invariants a well-behaved in-process sample cannot break; a break retires the worker."""
        if _len(_builtins_dict) != _len(_builtins_snapshot):
            return True
        for key, value in _builtins_snapshot.items():
            if _builtins_dict.get(key, poisoned) is not value:
                return True
        return _sys.getrecursionlimit() != base_recursion

    # ---- fork mode ---------------------------------------------------------------------------
    def wipe(path, keep_root):
        """Removes everything under path (the sample may have made files read-only)."""
        try:
            names = _os_listdir(path)
        except OSError:
            return
        for name in names:
            full = _path_join(path, name)
            try:
                if _S_ISDIR(_os_lstat(full).st_mode):
                    _os_chmod(full, 0o700)
                    wipe(full, False)
                else:
                    _os_unlink(full)
            except OSError:
                pass
        if not keep_root:
            try:
                _os_rmdir(path)
            except OSError:
                pass

    counter = [0]

    def run_forked(seq, index, sample, cpu_seconds):
        counter[0] += 1
        work = _path_join(scratch, "s%d" % counter[0]) if scratch else None
        if work:
            _os_mkdir(work, 0o700)
        r, w = _os_pipe()
        pid = _os_fork()
        if pid == 0:  # the child: never returns
            try:
                _os_close(r)
                _os_close(in_fd)
                _os_close(out_fd)
                if work:
                    _os_chdir(work)
                if cpu_seconds:
                    _setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
                head = run_sample(lambda m: send(w, m), seq, index, sample, "fork")
                send(w, head)
            except _BaseException:
                pass
            _os_exit(0)
        _os_close(w)
        tests_seen, head, violation = 0, None, None
        buf = b""
        # Read until the child's closing frame (not EOF: a grandchild the sample left behind may
        # hold the pipe open forever), or until the child dies without one.
        while head is None:
            chunk = _os_read(r, 1 << 16)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf and violation is None:
                line, _, buf = buf.partition(b"\n")
                try:
                    msg = _json_loads(line)
                    ok = (_type(msg) is dict and msg.get("seq") == seq and msg.get("s") == index and head is None)
                    if ok and msg.get("type") == "test" and msg.get("i") == tests_seen:
                        tests_seen += 1
                        send(out_fd, msg)
                    elif ok and msg.get("type") == "sample":
                        head = msg
                    else:
                        violation = "the sample wrote an invalid message"
                except ValueError:
                    violation = "the sample wrote an invalid message"
            if violation:
                _os_kill(pid, signal.SIGKILL)
                break
            if _len(buf) > max_result * 2 + 65536:
                violation = "the sample wrote an oversized message"
                _os_kill(pid, signal.SIGKILL)
                break
        _os_close(r)
        _, status = _os_waitpid(pid, 0)
        if kill_strays:
            # Inside our own pid namespace and uid, this ends whatever the sample left running
            # (daemons, setsid'd children); it never reaches outside the sandbox. Where the harness is
            # the namespace's pid 1 (unshare), the strays are its children: reap them.
            try:
                _os_kill(-1, signal.SIGKILL)
            except OSError:
                pass
            try:
                while _os_waitpid(-1, os.WNOHANG)[0] > 0:
                    pass
            except ChildProcessError:
                pass
        if work:
            wipe(scratch, True)
        if head is not None and violation is None:
            return head
        if _WIFSIGNALED(status):
            sig = _WTERMSIG(status)
            detail = "killed by %s" % _signal_names.get(sig, "signal %d" % sig)
            verdict = "timeout" if sig == signal.SIGXCPU else "crash"
        else:
            detail = "exited with code %d" % _WEXITSTATUS(status)
            verdict = "crash"
        if violation:
            detail, verdict = violation, "crash"
        return {"seq": seq, "type": "sample", "s": index, "mode": "fork", "verdict": verdict,
                "msg": "process %s during test %d" % (detail, tests_seen + 1), "from": tests_seen}

    # ---- limits, then serve ------------------------------------------------------------------
    def limit(which, value):
        if value > 0:
            try:
                _setrlimit(which, (value, value))
            except (ValueError, OSError) as exc:
                _stderr.write("harness: cannot set rlimit %s: %s\n" % (which, exc))

    _setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crashing sample must not write a core file
    limit(resource.RLIMIT_AS, int(opts["as"]))
    limit(resource.RLIMIT_FSIZE, int(opts["fsize"]))
    limit(resource.RLIMIT_NOFILE, int(opts["nofile"]))
    limit(resource.RLIMIT_NPROC, int(opts["nproc"]))
    if scratch:
        _os_chdir(scratch)
    gc.freeze()  # the harness's own objects stay out of every later collection

    send(out_fd, {"type": "ready", "pid": os.getpid(), "python": sys.version.split()[0]})
    pending = b""
    while True:
        while b"\n" not in pending:
            chunk = _os_read(in_fd, 1 << 20)
            if not chunk:
                _os_exit(0)
            pending += chunk
        line, _, pending = pending.partition(b"\n")
        seq = None
        try:
            req = _json_loads(line)
            seq = req["seq"]
            if req["type"] == "shutdown":
                _os_exit(0)
            if req["type"] != "run":
                raise ValueError("unknown request type %r" % req["type"])
            bad = False
            for index, sample in enumerate(req["samples"]):
                try:
                    tree = _ast_parse(sample["code"], "<candidate>", "exec")
                    reason = screen(tree)
                except _BaseException:
                    tree, reason = None, None  # run_sample reports the compile error
                if sample.get("asserts") and reason is None:
                    reason = "comes with assert tests (dataset code)"  # never in this process, never unconfined
                mode = "fork" if sample.get("isolate") or reason is not None else "inproc"
                if mode == "fork" and reason is not None and not allow_fork:
                    send(out_fd, {"seq": seq, "type": "sample", "s": index, "mode": "refused", "verdict": "refused",
                                  "msg": "no sandbox, and the code %s: refused rather than run unconfined" % reason,
                                  "from": 0})
                    continue
                if tree is not None:
                    sample["_tree"] = tree
                if mode == "inproc":
                    head = run_sample(lambda m: send(out_fd, m), seq, index, sample, "inproc")
                    bad = bad or poisoned()
                else:
                    head = run_forked(seq, index, sample, int(sample.get("cpu", 0)))
                send(out_fd, head)
            send(out_fd, {"seq": seq, "result": {"poisoned": bad}})
        except _BaseException as exc:
            tname, msg = describe(exc)
            send(out_fd, {"seq": seq, "error": {"name": tname, "message": msg}})


_main()
