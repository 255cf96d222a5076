"""Tagged JSON: Python values <-> plain JSON, exactly (see shared/values/tagged-json.ts).

Canonical encoding rules shared with the TypeScript side:
- ints are JSON integers when |n| <= 2**53 - 1, else {"$int": "..."}; bools stay JSON booleans;
- floats are JSON numbers only when finite and non-integral, else {"$float": repr(x)};
- tuples, sets (and frozensets), dicts with non-string keys, complex and bytes use one-key tags.
Standard library only: the executor's harness imports this module under `python -I`.
"""

import math

SAFE_INT = 2**53 - 1
MAX_DEPTH = 64


class Unserializable(Exception):
    """The value has a type tagged JSON cannot carry (a generator, a custom object...)."""


def _float(x):
    if math.isfinite(x) and not x.is_integer():
        return x
    return {"$float": repr(x)}


def encode(value, depth=0):
    if depth > MAX_DEPTH:
        raise Unserializable("value nested deeper than %d levels" % MAX_DEPTH)
    t = type(value)
    # Exact type checks first: subclasses (bool of int, Counter of dict) are handled below.
    if value is None:
        return None
    if t is bool:
        return value
    if t is int:
        return value if -SAFE_INT <= value <= SAFE_INT else {"$int": str(value)}
    if t is float:
        return _float(value)
    if t is str:
        return value
    if t is list:
        return [encode(v, depth + 1) for v in value]
    if t is tuple:
        return {"$tuple": [encode(v, depth + 1) for v in value]}
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return encode(int(value), depth)
    if isinstance(value, float):
        return _float(float(value))
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return {"$set": [encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        items = list(value.items())
        if all(type(k) is str for k, _ in items) and not (len(items) == 1 and items[0][0].startswith("$")):
            return {k: encode(v, depth + 1) for k, v in items}
        return {"$dict": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in items]}
    if isinstance(value, complex):
        return {"$complex": [_float(value.real), _float(value.imag)]}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": bytes(value).hex()}
    if isinstance(value, tuple):  # namedtuple and other tuple subclasses compare as tuples
        return {"$tuple": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    raise Unserializable("cannot represent a value of type %s" % t.__name__)


def _float_text(text):
    low = text.strip().lower()
    if low in ("nan", "-nan", "+nan"):
        return math.nan
    return float(low)


def decode(raw):
    if raw is None or isinstance(raw, (bool, str)):
        return raw
    if isinstance(raw, (int, float)):
        return raw  # Python's json keeps 2.0 a float and big integers exact
    if isinstance(raw, list):
        return [decode(v) for v in raw]
    if isinstance(raw, dict):
        if len(raw) == 1:
            (tag, body), = raw.items()
            if tag == "$float":
                return _float_text(body) if isinstance(body, str) else float(body)
            if tag == "$int":
                return int(body)
            if tag == "$tuple":
                return tuple(decode(v) for v in body)
            if tag == "$set":
                return {decode(v) for v in body}
            if tag == "$dict":
                return {decode(k): decode(v) for k, v in body}
            if tag == "$complex":
                return complex(decode_float(body[0]), decode_float(body[1]))
            if tag == "$bytes":
                return bytes.fromhex(body)
            if tag.startswith("$"):
                raise ValueError("unknown tag %r" % tag)
        return {k: decode(v) for k, v in raw.items()}
    raise ValueError("unsupported JSON value %r" % (raw,))


def decode_float(raw):
    if isinstance(raw, dict):
        return _float_text(raw["$float"])
    return float(raw)


class TooLarge(Exception):
    """The encoded value would exceed the caller's size budget (the executor's output_limit)."""


def make_encoder(max_chars=None):
    """An encoder with the same rules as `encode`, hardened for the executor's harness.

    Candidate code runs in the same interpreter as this encoder, so it may patch builtins
    (`builtins.isinstance = ...`), this module's globals, or hand back subclasses whose methods lie.
    The returned closure only uses references captured here, before any candidate code runs, checks
    types with issubclass(type(v), ...) (a spoofed __class__ cannot fool it) and reads containers
    through the base types' own methods (a subclass's __iter__ or __str__ never runs). `max_chars`
    bounds the approximate JSON size: past it TooLarge is raised without building the rest.
    """
    _type, _issubclass, _len, _repr = type, issubclass, len, repr
    _isfinite = math.isfinite
    _float_is_integer, _float_float = float.is_integer, float.__float__
    _int_int, _int_str, _bit_length = int.__int__, int.__str__, int.bit_length
    _str_str = str.__str__
    _list_copy, _tuple_iter, _dict_items = list.copy, tuple.__iter__, dict.items
    _set_iter, _frozenset_iter = set.__iter__, frozenset.__iter__
    _bytes, _hex, _complex_real, _complex_imag = bytes, bytes.hex, complex.real.__get__, complex.imag.__get__
    _startswith, _all = str.startswith, all
    _Unserializable, _TooLarge = Unserializable, TooLarge
    _safe, _max_depth = SAFE_INT, MAX_DEPTH
    budget = [0]

    def spend(n):
        if max_chars is not None:
            budget[0] -= n
            if budget[0] < 0:
                raise _TooLarge("the result is larger than %d characters of JSON" % max_chars)

    def flt(x):
        spend(24)
        if _isfinite(x) and not _float_is_integer(x):
            return x
        return {"$float": _repr(x)}

    def enc(value, depth):
        if depth > _max_depth:
            raise _Unserializable("value nested deeper than %d levels" % _max_depth)
        t = _type(value)
        if value is None or t is bool:
            spend(5)
            return value
        if t is int or (_issubclass(t, int) and not _issubclass(t, bool)):
            value = _int_int(value)
            spend(_bit_length(value) // 3 + 2)
            return value if -_safe <= value <= _safe else {"$int": _int_str(value)}
        if _issubclass(t, bool):
            return value is True or _int_int(value) == 1
        if _issubclass(t, float):
            return flt(_float_float(value))
        if _issubclass(t, str):
            spend(_len(value) + 2)
            return value if t is str else _str_str(value)
        if _issubclass(t, list):
            spend(1)
            return [enc(v, depth + 1) for v in _list_copy(value)]
        if _issubclass(t, tuple):
            spend(10)
            return {"$tuple": [enc(v, depth + 1) for v in _tuple_iter(value)]}
        if _issubclass(t, set) or _issubclass(t, frozenset):
            spend(8)
            items = _set_iter(value) if _issubclass(t, set) else _frozenset_iter(value)
            return {"$set": [enc(v, depth + 1) for v in items]}
        if _issubclass(t, dict):
            spend(2)
            items = [(k, v) for k, v in _dict_items(value)]
            if _all(_type(k) is str for k, _ in items) and not (_len(items) == 1 and _startswith(items[0][0], "$")):
                out = {}
                for k, v in items:
                    spend(_len(k) + 3)
                    out[k] = enc(v, depth + 1)
                return out
            return {"$dict": [[enc(k, depth + 1), enc(v, depth + 1)] for k, v in items]}
        if _issubclass(t, complex):
            return {"$complex": [flt(_complex_real(value)), flt(_complex_imag(value))]}
        if _issubclass(t, bytes) or _issubclass(t, bytearray):
            raw = _bytes(value)
            spend(2 * _len(raw) + 12)
            return {"$bytes": _hex(raw)}
        raise _Unserializable("cannot represent a value of type %s" % _type.__getattribute__(t, "__name__"))

    def encode_bounded(value):
        budget[0] = max_chars or 0
        return enc(value, 0)

    return encode_bounded
