"""Calling plugin functions with the arguments they ask for.

Guards, apply functions, summaries, letter contexts, panels and figures are
called like hooks: with keyword arguments, of which each function takes any
subset (``case``, ``detail``, ``form``, ``user``, ``school``, ...). A plugin writes
``def guard(case, form)`` or ``def context(detail)`` and gets just those.
"""

import inspect
from functools import lru_cache


@lru_cache(maxsize=1024)
def _wanted(fn):
    """The keyword names ``fn`` accepts, or None when it takes ``**kwargs``."""
    params = inspect.signature(fn).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    return tuple(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))


def call(fn, **available):
    """Call ``fn`` with those of ``available`` that it names (lazy values: see ``Lazy``).

    An argument the function names but that is not available is an error in the
    plugin's declaration, reported with the function's name."""
    names = _wanted(fn)
    if names is None:
        return fn(**{k: _value(v) for k, v in available.items()})
    missing = [n for n in names if n not in available and _has_no_default(fn, n)]
    if missing:
        raise TypeError(
            f"{fn.__qualname__} asks for {', '.join(missing)}, which is not "
            f"available here (available: {', '.join(sorted(available))})"
        )
    return fn(**{n: _value(available[n]) for n in names if n in available})


@lru_cache(maxsize=1024)
def _has_no_default(fn, name):
    return inspect.signature(fn).parameters[name].default is inspect.Parameter.empty


class Lazy:
    """An argument computed only when the called function asks for it (e.g. the detail
    row, which costs a query)."""

    __slots__ = ("_make", "_done", "_value")

    def __init__(self, make):
        self._make = make
        self._done = False

    def get(self):
        if not self._done:
            self._value = self._make()
            self._done = True
        return self._value


def _value(v):
    return v.get() if isinstance(v, Lazy) else v
