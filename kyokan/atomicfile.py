"""Writing a result file atomically (plain Python, shared by the command lines).

A file is written to a temporary file beside it and renamed into place, so a failed run
leaves no half-written result. A target that exists and is not a regular file (``/dev/null``,
``/dev/stdout``, a named pipe) is written in place instead: renaming over it would replace
the device with a regular file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes(target: str | os.PathLike, data: bytes) -> None:
    path = Path(target)
    if path.exists() and not path.is_file():
        with path.open("wb") as stream:
            stream.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(target: str | os.PathLike, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))
