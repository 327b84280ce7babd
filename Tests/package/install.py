"""The Debian package, installed on this machine and started as its systemd unit would start it.

Builds the package (`scripts/package --debug`), installs it with dpkg, and checks what the package
promises: the binary with its resources, the hardened unit (`systemd-analyze verify`), the configuration
file readable by the service's group only, the `tierdesk` system user and /var/lib/tierdesk. Then it starts
`tierdesk serve` as that user with the configuration file's environment (no systemd runs in the test
machine) and waits for /ready, and purges the package: user, data and files are gone. Needs root.

    python3 Tests/package/install.py
"""
import grp
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))
from e2e import Checks, free_port, stop_process, wait_until  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))


def run(*args, check=True):
    result = subprocess.run(args, capture_output=True, text=True, timeout=1800)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return result


def installed():
    return run("dpkg-query", "-W", "-f=${Status}", "tierdesk", check=False).stdout.startswith("install ok installed")


def environment(path):
    values = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                name, value = line.split("=", 1)
                values[name] = value
    return values


def ready(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def main():
    checks = Checks("package")
    if os.geteuid() != 0:
        print("package: needs root (dpkg -i)", file=sys.stderr)
        return 1
    output = tempfile.mkdtemp(prefix="tierdesk-package-")
    server = None
    try:
        if installed():
            run("dpkg", "--purge", "tierdesk")
        deb = run(os.path.join(ROOT, "scripts", "package"), "--debug", "--output", output).stdout.strip().splitlines()[-1]
        contents = run("dpkg-deb", "--contents", deb).stdout
        for path in ("./usr/lib/tierdesk/tierdesk", "./usr/bin/tierdesk -> ../lib/tierdesk/tierdesk",
                     "./usr/lib/tierdesk/tierdesk_TierdeskServer.resources/", "./lib/systemd/system/tierdesk.service",
                     "./etc/tierdesk/tierdesk.env", "./usr/share/doc/tierdesk/README.md"):
            checks(path in contents, f"the package holds {path}")

        run("dpkg", "-i", deb)
        checks(installed(), "dpkg installs it")
        user = pwd.getpwnam("tierdesk")
        checks(user.pw_uid < 1000 and user.pw_dir == "/var/lib/tierdesk" and user.pw_shell.endswith("nologin"),
               "a system user without a login shell owns the service", user)
        data = os.stat("/var/lib/tierdesk")
        checks(data.st_uid == user.pw_uid and stat.S_IMODE(data.st_mode) == 0o750,
               "/var/lib/tierdesk belongs to it, closed to others", oct(data.st_mode))
        env_file = os.stat("/etc/tierdesk/tierdesk.env")
        checks(grp.getgrgid(env_file.st_gid).gr_name == "tierdesk" and stat.S_IMODE(env_file.st_mode) == 0o640,
               "the configuration file is readable by the service's group only", oct(env_file.st_mode))
        conffiles = run("dpkg-query", "-W", "-f=${Conffiles}", "tierdesk").stdout
        checks("/etc/tierdesk/tierdesk.env" in conffiles, "the configuration file is a conffile (kept across upgrades)")
        version = run("/usr/bin/tierdesk", "--help")
        checks(version.returncode == 0 and "serve" in version.stdout, "/usr/bin/tierdesk runs")

        unit = "/lib/systemd/system/tierdesk.service"
        with open(unit) as f:
            text = f.read()
        for directive in ("User=tierdesk", "NoNewPrivileges=yes", "ProtectSystem=strict", "EnvironmentFile=/etc/tierdesk/tierdesk.env",
                          "ReadWritePaths=/var/lib/tierdesk", "PrivateTmp=yes", "CapabilityBoundingSet="):
            checks(directive in text, f"the unit sets {directive}")
        if shutil.which("systemd-analyze"):
            verified = run("systemd-analyze", "verify", unit, check=False)
            checks(verified.returncode == 0, "systemd-analyze verify accepts the unit", verified.stderr[-600:])

        # As systemd would start it: the service's user, its environment file, its data directory.
        env = dict(environment("/etc/tierdesk/tierdesk.env"), PATH="/usr/bin:/bin")
        port = free_port()
        env["TIERDESK_PORT"] = str(port)
        checks(env.get("TIERDESK_DATABASE_URL") == "sqlite:///var/lib/tierdesk/tierdesk.sqlite",
               "the default configuration keeps the database in /var/lib/tierdesk")
        log = open(os.path.join(output, "server.log"), "wb")
        server = subprocess.Popen(
            ["/usr/bin/tierdesk", "serve", "--host", env["TIERDESK_HOST"], "--port", env["TIERDESK_PORT"]],
            user="tierdesk", group="tierdesk", extra_groups=[], env=env, cwd="/var/lib/tierdesk", stdout=log, stderr=log)
        wait_until(lambda: ready(f"http://127.0.0.1:{port}/ready"), "the installed service to be ready", timeout=120,
                   interval=0.2, describe=lambda: open(os.path.join(output, "server.log"), errors="replace").read()[-1500:])
        checks(True, "the installed service answers /ready")
        database = os.stat("/var/lib/tierdesk/tierdesk.sqlite")
        checks(database.st_uid == user.pw_uid, "its database is created in /var/lib/tierdesk, owned by the service")
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
        checks(code == 0, "it stops cleanly on SIGTERM", f"exit status {code}")
        server = None

        run("dpkg", "--purge", "tierdesk")
        gone = not installed() and not os.path.exists("/usr/bin/tierdesk") and not os.path.exists("/var/lib/tierdesk")
        try:
            pwd.getpwnam("tierdesk")
            gone = False
        except KeyError:
            pass
        checks(gone, "purging removes the files, the data and the user")
    except Exception as error:  # noqa: BLE001 - report and fail
        checks(False, "the package test finished", repr(error))
    finally:
        if server is not None:
            stop_process(server, timeout=15)
        if installed():
            run("dpkg", "--purge", "tierdesk", check=False)
        shutil.rmtree(output, ignore_errors=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
