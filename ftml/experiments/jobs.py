"""What every workflow script does around its one library call: its log, and its failures
said in a line that names what failed and where.

A script's stderr goes to its rule's log. An exception is written there with its traceback,
after one line that says what happened, for a file the path and the system's reason (``No
space left on device``, ``Read-only file system``); the same line goes to Snakemake's own
output, which shows it even when the log itself could not be written.
"""

import sys
import traceback
from contextlib import contextmanager

__all__ = ["job_logging"]


@contextmanager
def job_logging(log_path, rule):
    """Run a script's body with its stderr in ``log_path``, line-buffered.

    Parameters
    ----------
    log_path : path-like
        The rule's log.
    rule : str
        The rule's name, for the failure line.
    """
    console = sys.stderr
    try:
        log = open(log_path, "w", buffering=1)
    except OSError as error:
        log = None
        print(f"{rule}: cannot write its log: {_reason(error)}", file=console)
    if log is not None:
        sys.stderr = log
    try:
        yield
    except BaseException as error:
        line = f"{rule} failed: {_reason(error)}"
        for stream in (log, console):
            if stream is None:
                continue
            try:
                print(line, file=stream)
                if stream is log:
                    traceback.print_exc(file=stream)
                stream.flush()
            except OSError:
                pass  # a full disk may refuse the log too: the console still has the line
        raise
    finally:
        sys.stderr = console
        if log is not None:
            try:
                log.close()
            except OSError:
                pass


def _reason(error):
    """``<what>: <path>`` for an error about a file, the error's own text otherwise."""
    if isinstance(error, OSError) and error.filename is not None:
        return f"{error.strerror or type(error).__name__}: {error.filename}"
    return f"{type(error).__name__}: {error}"
