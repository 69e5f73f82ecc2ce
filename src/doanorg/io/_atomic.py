"""Writing files so that no write is ever half done, nor made through another name.

Every file doanorg writes is first written whole to a *temporary file* in the
folder it goes to (``.NAME.<random>.tmp``), and only then given its name, in one
step of the file system:

- where the file may replace one of that name, by :func:`os.replace`: a reader
  sees the old file or the new one, never a part; the old file's other names
  (hard links) keep the old text, and a symbolic link of that name is replaced,
  not written through;
- where it may not, by :func:`os.link`, which fails when the name is taken by
  anything, a file or a link (even one that points nowhere), and follows no
  link: a file made meanwhile is never replaced either.

A write that fails (a full disk, a file-size limit, Ctrl-C) leaves the folder
as it was: the temporary files are removed, and of several files written
together as new ones, none is left (:func:`staged`). While the files are made,
put in place or removed, Ctrl-C is held off until that step is done (then it
interrupts as ever), so that no step is left half done; writing them can be
interrupted at any point.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     target = Path(folder) / "out.txt"
...     with staged([target], replace=False) as (temporary,):
...         _ = temporary.write_text("whole\\n", encoding="utf-8")
...     sorted(path.name for path in Path(folder).iterdir()), target.read_text("utf-8")
(['out.txt'], 'whole\\n')
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["staged"]

_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS,
                            errno.EMLINK, errno.EXDEV})
"""What :func:`os.link` fails with where the file system has no hard links (FAT, some
network shares): there a name is checked, then taken by a rename."""


@contextlib.contextmanager
def staged(targets: Sequence[Path], *, replace: bool) -> Iterator[list[Path]]:
    """Temporary files beside ``targets``, one each, for the block to write; when the
    block ends without an error, each is moved onto its target, else all are removed.

    With ``replace``, a target that exists is replaced (whole, in one step). Without
    it, a taken name raises :class:`FileExistsError` and the targets this call had
    already put in place are removed again: new files are written all or none.

    Raises
    ------
    OSError
        If a temporary file cannot be made or written, or a target's name not taken.
    """
    temporaries: list[Path] = []
    placed: list[Path] = []
    try:
        with _interrupts_held():
            for target in targets:
                temporaries.append(_temporary(target))
        yield list(temporaries)
        with _interrupts_held():
            for temporary, target in zip(temporaries, targets, strict=True):
                _place(temporary, target, replace=replace)
                placed.append(target)
    except BaseException:
        if not replace:  # (the names were free: what is there now is ours)
            with _interrupts_held():
                for target in placed:
                    with contextlib.suppress(OSError):
                        target.unlink()
        raise
    finally:
        with _interrupts_held():
            for temporary in temporaries:
                with contextlib.suppress(OSError):
                    temporary.unlink()


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C (SIGINT) held off while the block runs, and raised as
    :class:`KeyboardInterrupt` when it ends (unless it ends with an error already).

    Only where Python's own handler is in place, and in the main thread (the only one
    signals are handled in); a program's own handler is left alone.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda number, _: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt


def _temporary(target: Path) -> Path:
    """A new, empty file beside ``target`` (its mode as the umask makes a new file's)."""
    while True:
        # (os.urandom, not secrets: that loads OpenSSL, 12 ms of every command)
        path = target.with_name(f".{target.name}.{os.urandom(4).hex()}.tmp")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return path


def _place(temporary: Path, target: Path, *, replace: bool) -> None:
    """Give ``temporary`` the name ``target``: replacing a file of that name, or only if
    no file or link has it."""
    if replace:
        os.replace(temporary, target)
        return
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from None
        os.rename(temporary, target)
