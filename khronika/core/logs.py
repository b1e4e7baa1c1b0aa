"""The node's log format: tracebacks without exception messages.

An exception's message may quote a value (PostgreSQL's "Key (username)=(…) already exists", a
validation message, a value a library echoes), and values may be protected. Every handler of the node's
log uses ``SafeFormatter``: a logged exception shows its class and the frames of its traceback (file,
line, function), never its message or a chained exception's message.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]


def describe_exception(exc_info: ExcInfo) -> str:
    kind, _value, tb = exc_info
    frames = "".join(
        f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
        for frame in traceback.extract_tb(tb)
    )
    name = kind.__qualname__ if kind is not None else "Exception"
    module = getattr(kind, "__module__", "")
    return f"Traceback (most recent call last):\n{frames}{module}.{name} (message withheld)"


class SafeFormatter(logging.Formatter):
    def __init__(self, fmt: str = LOG_FORMAT, *args: object, **kwargs: object) -> None:
        super().__init__(fmt, *args, **kwargs)  # type: ignore[arg-type]

    def formatException(self, ei: ExcInfo) -> str:  # type: ignore[override]
        return describe_exception(ei)

    def formatStack(self, stack_info: str) -> str:
        return stack_info
