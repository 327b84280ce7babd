"""Helpers the end-to-end scripts share. Standard library only: Debian's python3 runs some of them."""
import signal
import socket
import subprocess
import time


class Checks:
    """Prints each check as it is made and remembers whether any failed."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.failed = False

    def __call__(self, condition, message, detail=""):
        print(f"{self.prefix}: {message}: {'ok' if condition else 'FAILED ' + str(detail)[:600]}", flush=True)
        if not condition:
            self.failed = True


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, what, timeout=30.0, interval=0.05, describe=lambda: ""):
    """Polls `condition` until it holds; the tests wait on outcomes, never on fixed delays."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    detail = describe()
    raise AssertionError(f"timed out waiting for {what}" + (f"; {detail}" if detail else ""))


def kill_process(process):
    """SIGKILL, then reap it."""
    process.send_signal(signal.SIGKILL)
    process.wait()


def stop_process(process, timeout=15):
    """SIGTERM and wait; SIGKILL if it does not end in time. Nothing if it is not running."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_process(process)
