"""Monitoring alerts end to end, with real parts: Debian's Prometheus Alertmanager on loopback sends its
webhooks to `tierdesk serve` (temporary SQLite database) with an `alertmanager` integration token.

Checks: Alertmanager's real webhooks open one ticket per alert fingerprint with the mapped severity and
service; its repeated notifications are counted on the same ticket, not opened again; a resolved alert
resolves its ticket and leaves the other alert's ticket alone; the same alert firing again later opens a
new ticket.

Run by scripts/test: `python3 Tests/alerts/alertmanager.py path/to/tierdesk`.
"""
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))
from e2e import Checks, free_port, wait_until  # noqa: E402

BINARY = sys.argv[1]
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"
check = Checks("alerts")
DEBUG = lambda: ""


def wait(condition, what):
    """Waits on Tierdesk or Alertmanager, showing Tierdesk's alerts if it times out."""
    return wait_until(condition, what, timeout=60.0, interval=0.1, describe=lambda: f"Tierdesk's alerts: {DEBUG()}")


def decoded(raw):
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return raw.decode(errors="replace")


def request(method, url, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method=method, headers=headers), timeout=10) as r:
            return r.status, decoded(r.read())
    except urllib.error.HTTPError as error:
        return error.code, decoded(error.read())
    except OSError:
        return 0, None


def now(offset=0):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)
    return moment.isoformat().replace("+00:00", "Z")


def main():
    directory = tempfile.mkdtemp(prefix="tierdesk-alerts-")
    port, am_port = free_port(), free_port()
    desk = f"http://127.0.0.1:{port}"
    env = dict(os.environ, TIERDESK_DATABASE_URL=f"sqlite://{directory}/alerts.sqlite", LOG_LEVEL="info")

    def cli(*args):
        result = subprocess.run([BINARY, *args], capture_output=True, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout.decode().strip()

    cli("user", "add", "--email", "admin@desk.test", "--name", "Ada Admin", "--role", "admin")
    cli("user", "add", "--email", "monitoring@desk.test", "--name", "Monitoring", "--role", "agent", "--tier", "L1")
    admin = cli("token", "issue", "--email", "admin@desk.test")
    token = cli("integration", "add", "--kind", "alertmanager", "--name", "production")
    config = os.path.join(directory, "alertmanager.yml")
    with open(config, "w") as f:
        f.write(f"""
route:
  receiver: tierdesk
  group_by: [alertname, instance]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 2s
receivers:
  - name: tierdesk
    webhook_configs:
      - url: {desk}/api/v1/integrations/alertmanager
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: {token}
""")
    log = open(os.path.join(directory, "server.log"), "ab")
    server = subprocess.Popen([BINARY, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=log)
    am_log = open(os.path.join(directory, "alertmanager.log"), "ab")
    alertmanager = subprocess.Popen([ALERTMANAGER, f"--config.file={config}", f"--storage.path={directory}/am",
                                     f"--web.listen-address=127.0.0.1:{am_port}", "--cluster.listen-address="],
                                    stdout=am_log, stderr=am_log)
    try:
        wait(lambda: request("GET", desk + "/health")[0] == 200, "Tierdesk to answer")
        wait(lambda: request("GET", f"http://127.0.0.1:{am_port}/-/ready")[0] == 200, "Alertmanager to be ready")
        run(desk, admin, f"http://127.0.0.1:{am_port}")
    finally:
        for process in (alertmanager, server):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if check.failed:
            for name in ("server.log", "alertmanager.log"):
                with open(os.path.join(directory, name), "rb") as f:
                    print(f"--- {name}\n" + f.read()[-3000:].decode(errors="replace"))


def run(desk, admin, am):
    status, service = request("POST", desk + "/api/v1/services", admin, {"name": "MES", "supportModel": "tiered"})
    assert status == 201, service
    _, people = request("GET", desk + "/api/v1/people", admin)
    reporter = next(p["id"] for p in people if p["email"] == "monitoring@desk.test")
    status, body = request("PUT", desk + "/api/v1/settings/alert-intake", admin, {
        "reporterId": reporter, "severityLabel": "severity", "severities": {"critical": "Sev1", "warning": "Sev3"},
        "defaultSeverity": "Sev3", "serviceLabel": "service", "onResolve": "close"})
    assert status == 200, body

    line = {"alertname": "LineStopped", "instance": "line-3", "severity": "critical", "service": "MES"}
    disk = {"alertname": "DiskFull", "instance": "db-1", "severity": "warning"}
    started = now(-5)

    def fire(labels, starts_at, ends_at=None):
        alert = {"labels": labels, "annotations": {"summary": f"{labels['alertname']} on {labels['instance']}"}, "startsAt": starts_at}
        alert["endsAt"] = ends_at or now(3600)
        status, body = request("POST", am + "/api/v2/alerts", body=[alert])
        assert status == 200, body

    def alerts():
        return request("GET", desk + "/api/v1/alerts", admin)[1] or []

    fingerprints = {}

    def alert(labels):
        """Tierdesk's record of an alert, found by the fingerprint Alertmanager gave it while it fired."""
        name = labels["alertname"]
        if name not in fingerprints:
            _, listed = request("GET", am + "/api/v2/alerts")
            found = next((a["fingerprint"] for a in listed or [] if a["labels"] == labels), None)
            if not found:
                return None
            fingerprints[name] = found
        return next((a for a in alerts() if a["key"] == fingerprints[name]), None)

    def ticket(reference):
        return request("GET", desk + f"/api/v1/tickets/{reference}", admin)[1]

    global DEBUG
    DEBUG = lambda: json.dumps(alerts())

    # 1. Two alerts fire: Alertmanager's webhooks open one ticket each, keyed by its fingerprint.
    fire(line, started)
    fire(disk, started)
    wait(lambda: len([a for a in alerts() if a.get("ticket")]) == 2, "two alert tickets")
    first = alert(line)
    check(first is not None and first["status"] == "firing", "the firing alert is keyed by Alertmanager's fingerprint", alerts())
    opened = ticket(first["ticket"])
    check(opened["severity"] == "Sev1" and opened["priority"] == "P1" and opened["type"] == "alert" and opened["channel"] == "monitoring",
          "the critical alert opens a Sev1 alert ticket", opened)
    check(opened["serviceId"] == service["id"] and opened["title"] == "[Alertmanager] LineStopped: LineStopped on line-3",
          "the service label names the service and the summary the title", opened)
    check(ticket(alert(disk)["ticket"])["severity"] == "Sev3", "the warning opens a Sev3 ticket")

    # 2. Alertmanager sends the group again (repeat_interval 2 s, and again on every change): counted, not reopened.
    fire(line, started)
    repeated = wait(lambda: (a := alert(line)) and a["count"] >= 3 and a, "repeated notifications to be counted")
    check(repeated["ticket"] == first["ticket"], "repeats stay on the first ticket", repeated)
    check(len({a["ticket"] for a in alerts()}) == 2, "no ticket is opened for a repeat", alerts())

    # 3. The line runs again: the resolution resolves its ticket and leaves the disk's alone.
    fire(line, started, now(-1))
    wait(lambda: ticket(first["ticket"])["status"] == "resolved", "the resolved alert to resolve its ticket")
    check(alert(line)["status"] == "resolved", "the alert is resolved", alert(line))
    check(ticket(alert(disk)["ticket"])["status"] == "new", "the other alert's ticket stays open")

    # 4. The line stops again later: a new episode opens a new ticket.
    fire(line, now())
    again = wait(lambda: (a := alert(line)) and a["status"] == "firing" and a["ticket"] != first["ticket"] and a, "the new episode's ticket")
    check(again["count"] >= 1 and ticket(again["ticket"])["status"] == "new", "firing again after the resolution opens a new ticket", again)
    check(len({a["ticket"] for a in alerts()}) == 2 and ticket(first["ticket"])["status"] == "resolved", "the first ticket stays resolved")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"alerts: FAILED {error}", flush=True)
        check.failed = True
    sys.exit(1 if check.failed else 0)
