"""Helpers the end-to-end scripts share. Standard library only: Debian's python3 runs some of them."""
import socket
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
