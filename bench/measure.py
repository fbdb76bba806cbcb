"""Whole-process measurements shared by `compare.py` and `anki_bench.py`.

A command is run to completion and reported with its wall time and its peak
resident memory. Standard library only, so either script can import it
whatever Python runs it.

Peak memory comes from GNU time (`/usr/bin/time -f %M`) when it is there.
Asking `os.wait4` directly would be wrong for small programs: Linux carries
a process's peak RSS (`ru_maxrss`) across `exec`, so a child started from
this Python process reports at least this process's own peak. GNU time is
small and forks the command itself, so the figure it reads is the command's
own. Without it, `wait4` is used and `Measured.peak_exact` says the figure
is only an upper bound when it is not above this process's own peak.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

GNU_TIME = shutil.which("time", path="/usr/bin:/bin")


@dataclass(frozen=True)
class Measured:
    """What one finished command cost."""

    wall_ms: float
    peak_mb: float
    # False when the figure may be this process's own peak rather than the
    # command's (no GNU time, and the command used less than we did).
    peak_exact: bool = True


class ProcessFailed(RuntimeError):
    """A measured command exited non-zero."""


def _own_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_measured(
    command: Sequence[str | Path],
    *,
    stdout: int | IO[Any] | None = subprocess.DEVNULL,
    quiet: bool = False,
) -> Measured:
    """Runs `command` to completion and returns its wall time and peak RSS.

    The disk's pending writes are flushed first (not timed). The wall time
    runs from just before the fork to the moment the command
    has been waited for, so it includes the program's start-up and shutdown
    (and, with GNU time, about 1.5 ms of GNU time's own start). Standard
    error passes through, or with `quiet` is kept aside and shown only if
    the command fails (so that progress bars stay off the report).
    """
    argv = [str(part) for part in command]
    shown = " ".join(argv)
    with tempfile.TemporaryDirectory(prefix="measure-") as scratch:
        report = Path(scratch) / "time"
        errors_path = Path(scratch) / "stderr"
        if GNU_TIME:
            argv = [GNU_TIME, "--format", "%M", "--output", str(report), *argv]
        with errors_path.open("w+b") as errors:
            # What the step before wrote (a 380 MB backup, a collection
            # copied) goes to the disk now, not during this command: every
            # command, notedeck's and Anki's, starts on a quiet machine.
            os.sync()
            started = time.perf_counter()
            child = subprocess.Popen(argv, stdout=stdout, stderr=errors if quiet else None)
            _, status, usage = os.wait4(child.pid, 0)
            wall_ms = (time.perf_counter() - started) * 1000.0
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode != 0:
                errors.seek(0)
                said = errors.read().decode(errors="replace").strip()
                raise ProcessFailed(f"`{shown}` exited with {child.returncode}\n{said}".strip())
        if GNU_TIME:
            kib = int(report.read_text().split()[-1])
            return Measured(wall_ms=wall_ms, peak_mb=kib / 1024.0)
    peak_mb = usage.ru_maxrss / 1024.0
    return Measured(wall_ms=wall_ms, peak_mb=peak_mb, peak_exact=peak_mb > _own_peak_mb())
