"""Three `tierdesk serve` instances on one PostgreSQL database behind Debian's nginx, one killed under load.

Starts a fresh database with the demo loaded, three instances at once, nginx on loopback balancing between
them, and an SMTP server (Debian's aiosmtpd) for the mail they send. Client threads drive mixed load
through nginx: requesters open tickets and reply to them, a monitoring integration sends alerts with few
distinct keys (mostly repeats), and an agent opens Sev1 tickets, which page the on-call engineer. After a
first stretch one instance is killed with SIGKILL; after a second it is started again; a third follows.
Then it checks, against what the clients were told:

  - every ticket, reply and Sev1 page a client was told about exists exactly once, and nothing a client
    was not told about exists twice;
  - each alert key opened exactly one ticket;
  - every mail queued for those tickets was delivered, none lost (a message the killed instance had sent
    but not yet recorded may arrive twice, with the same Message-ID);
  - each SLA alarm of the demo that was due when the three started together fired once;
  - a session and an API token work on every instance;
  - a priority matrix saved on one instance is in force on another within a second, and an API token
    revoked on one is refused by another within a second.

It prints throughput before, during and after the kill. Every check prints one line; exit status 1 if any
failed.

    /usr/bin/python3 Tests/cluster/run.py path/to/tierdesk --database postgres://user:pw@host:port/db?tlsmode=disable [--seconds 5]
"""
import argparse
import collections
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "security"))
from lib import API, HTTP, Browser, Checks, Server, Sink, free_port, postgres_database, stop_process, unique, wait_until  # noqa: E402

NGINX = "/usr/sbin/nginx"
WORKERS = 8
CLAIM_BATCH = 8  # outbox messages one sender claims at a time


def nginx_config(directory, port, upstreams):
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in upstreams)
    temp = os.path.join(directory, "nginx-temp")
    os.makedirs(temp, exist_ok=True)
    return f"""
daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream tierdesk {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 12m;
        location / {{
            proxy_pass http://tierdesk;
            proxy_http_version 1.1;
            proxy_connect_timeout 1s;
            # Only requests that never reached an instance are tried on the next one (nginx never passes
            # a POST on once it was sent), so a retry cannot store anything twice.
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


class Psql:
    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qs(parts.query)
        tls = query.pop("tlsmode", ["disable"])[0]
        self.url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path,
                                            urllib.parse.urlencode({"sslmode": "disable" if tls == "disable" else "prefer"}), ""))
        self.binary = "/usr/lib/postgresql/15/bin/psql" if os.path.exists("/usr/lib/postgresql/15/bin/psql") else "psql"

    def rows(self, statement):
        result = subprocess.run([self.binary, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", self.url, "-c", statement],
                                capture_output=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.decode(errors='replace')}")
        return [line.split("\t") for line in result.stdout.decode().splitlines() if line]


class Load:
    """What the clients did and were told, by marker."""

    def __init__(self, run, requesters, agent, events):
        self.run = run
        self.requesters = requesters
        self.agent = agent
        self.events = events
        self.lock = threading.Lock()
        self.told = {"ticket": {}, "reply": set(), "sev1": {}, "alert": {}}
        self.unknown = collections.Counter()
        self.statuses = collections.Counter()
        self.completed = []  # monotonic times of successful operations
        self.stop = threading.Event()

    def worker(self, number):
        rng = random.Random(number)
        api = self.requesters[number % len(self.requesters)]
        mine = []
        n = 0
        while not self.stop.is_set():
            n += 1
            roll = rng.random()
            kind = "ticket" if roll < 0.5 or not mine else "reply" if roll < 0.75 else "alert" if roll < 0.97 else "sev1"
            try:
                if kind == "ticket":
                    marker = f"{self.run}-t-{number}-{n}"
                    answer = api.post("/api/v1/tickets", {"title": marker, "description": "Opened under load."})
                    if answer.status == 201:
                        mine.append(answer.json()["reference"])
                        self.tell("ticket", marker, answer.json()["reference"])
                elif kind == "reply":
                    marker = f"{self.run}-r-{number}-{n}"
                    answer = api.post(f"/api/v1/tickets/{rng.choice(mine)}/replies", {"body": marker})
                    if answer.status in (200, 201):
                        self.tell("reply", marker, None)
                elif kind == "alert":
                    key = f"{self.run}-a-{rng.randrange(6)}"
                    answer = self.events.post("/api/v1/integrations/events", {
                        "event_action": "trigger", "dedup_key": key,
                        "payload": {"summary": f"Backup failed {key}", "source": "db-1", "severity": "error"}})
                    if answer.status == 202 and answer.json().get("ticket"):
                        self.tell("alert", key, answer.json()["ticket"])
                else:
                    marker = f"{self.run}-s-{number}-{n}"
                    answer = self.agent.post("/api/v1/tickets", {"title": marker, "description": "Line halted.",
                                                                 "severity": "Sev1"})
                    if answer.status == 201:
                        self.tell("sev1", marker, answer.json()["reference"])
                with self.lock:
                    self.statuses[answer.status] += 1
                    if answer.status >= 300:
                        self.unknown[kind] += 1
            except OSError:
                with self.lock:
                    self.statuses["connection error"] += 1
                    self.unknown[kind] += 1

    def tell(self, kind, marker, value):
        with self.lock:
            if kind == "reply":
                self.told[kind].add(marker)
            elif kind == "alert":
                self.told[kind].setdefault(marker, set()).add(value)
            else:
                self.told[kind][marker] = value
            self.completed.append(time.monotonic())

    def rate(self, start, end):
        with self.lock:
            return sum(1 for t in self.completed if start <= t < end) / max(end - start, 1e-9)


def demo_tokens(admin):
    people = {p["email"]: p for p in admin.get("/api/v1/people").json()}

    def token(address):
        issued = admin.post("/api/v1/tokens", {"name": "cluster", "personId": people[address]["id"]})
        assert issued.status == 201, issued
        return issued.json()["token"], issued.json()["id"]
    return people, token


def main():
    parser = argparse.ArgumentParser(description="Three Tierdesk instances on one PostgreSQL, one killed under load")
    parser.add_argument("binary")
    parser.add_argument("--database", required=True, help="a postgres:// URL; a fresh database is made next to it")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each stretch: before, during, after")
    arguments = parser.parse_args()
    checks = Checks("cluster")
    directory = tempfile.mkdtemp(prefix="tierdesk-cluster-")
    database_url, drop = postgres_database(arguments.database)
    sink = Sink().start()
    servers, nginx = [], None
    try:
        for index in range(3):
            folder = os.path.join(directory, f"instance-{index + 1}")
            os.makedirs(folder)
            server = Server(os.path.abspath(arguments.binary), folder, database_url, sink.port)
            server.env["TIERDESK_OUTBOX_LEASE_SECONDS"] = "3"
            servers.append(server)
        # The demo is loaded first; then the three start at once, so their SLA timers race for its alarms
        # that are already due.
        loaded = servers[0].cli("demo")
        assert loaded.returncode == 0, loaded.stderr
        for server in servers:
            server.launch(demo=False)
        for server in servers:
            server.wait_healthy()
        port = free_port()
        with open(os.path.join(directory, "nginx.conf"), "w") as conf:
            conf.write(nginx_config(directory, port, [s.port for s in servers]))
        nginx = subprocess.Popen([NGINX, "-p", directory, "-c", os.path.join(directory, "nginx.conf")],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        balanced = HTTP(port)
        wait_until(lambda: _ok(balanced), "nginx to answer", timeout=30)

        issued = servers[0].cli("token", "issue", "--email", "admin@tierdesk.example", "--name", "cluster")
        assert issued.returncode == 0, issued.stderr
        admin = API(balanced, issued.stdout.decode().strip())
        people, token = demo_tokens(admin)
        requesters = [API(balanced, token(a)[0]) for a in
                      ("jonas.weber@kessler-automotive.example", "petra.lang@kessler-automotive.example",
                       "sam.ortiz@brightcart.example", "lee.chan@brightcart.example")]
        anna_token = token("anna.l1@tierdesk.example")[0]
        integration = admin.post("/api/v1/settings/integrations", {"kind": "events", "name": "cluster-monitoring"})
        assert integration.status == 201, integration
        load = Load(unique("cl"), requesters, API(balanced, anna_token), API(balanced, integration.json()["token"]))

        threads = [threading.Thread(target=load.worker, args=(n,), daemon=True) for n in range(WORKERS)]
        t0 = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(arguments.seconds)
        t1 = time.monotonic()
        victim = servers[1]
        victim.kill()
        time.sleep(arguments.seconds)
        t2 = time.monotonic()
        victim.start(demo=False)
        t3 = time.monotonic()
        time.sleep(arguments.seconds)
        load.stop.set()
        for thread in threads:
            thread.join(timeout=120)
        t4 = time.monotonic()
        print(f"cluster: throughput (successful operations per second) before the kill {load.rate(t0, t1):.0f}, "
              f"with one instance down {load.rate(t1, t2):.0f}, while it restarted {load.rate(t2, t3):.0f} "
              f"({t3 - t2:.1f} s), after {load.rate(t3, t4):.0f}")
        print(f"cluster: answers {dict(load.statuses)}; not told (error or no answer) {dict(load.unknown)}")
        checks(all(s.alive() for s in servers), "all three instances are running after the restart")

        db = Psql(database_url)
        check_tickets(checks, db, load)
        check_alarms(checks, db)
        check_mail(checks, db, load, sink)
        check_instances(checks, servers, admin, people, token)
    except Exception as error:  # noqa: BLE001 - report and fail
        checks(False, "the cluster run finished", repr(error))
        for server in servers:
            print(f"--- {server.log_path} ---\n{server.log_tail(1500)}", file=sys.stderr)
    finally:
        if nginx is not None:
            stop_process(nginx, timeout=10)
        for server in servers:
            if server.alive():
                server.stop()
        sink.stop()
        try:
            drop()
        except Exception as error:  # noqa: BLE001
            print(f"cluster: could not drop the database: {error}", file=sys.stderr)
        if checks.failed:
            print(f"cluster: logs kept in {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)
    return 1 if checks.failed else 0


def _ok(http):
    try:
        return http.request("GET", "/health", timeout=2).status == 200
    except OSError:
        return False


def check_tickets(checks, db, load):
    run = load.run
    titles = collections.Counter(t for (t,) in db.rows(f"SELECT title FROM tickets WHERE title LIKE '{run}-%'"))
    twice = {t: n for t, n in titles.items() if n > 1}
    checks(not twice, "no ticket was stored twice", twice)
    for kind, what in (("ticket", "requester's ticket"), ("sev1", "Sev1 ticket")):
        lost = [m for m in load.told[kind] if titles[m] != 1]
        checks(not lost, f"every {what} a client was told about exists once ({len(load.told[kind])})", lost[:5])
    replies = collections.Counter(b for (b,) in db.rows(
        f"SELECT body FROM ticket_events WHERE kind = 'public_reply' AND body LIKE '{run}-r-%'"))
    checks(all(n == 1 for n in replies.values()), "no reply was stored twice", {b: n for b, n in replies.items() if n > 1})
    lost = [m for m in load.told["reply"] if replies[m] != 1]
    checks(not lost, f"every reply a client was told about exists once ({len(load.told['reply'])})", lost[:5])
    per_key = collections.defaultdict(set)
    for key, number in db.rows(f"SELECT a.alert_key, t.number FROM alerts a JOIN tickets t ON t.id = a.ticket_id "
                               f"WHERE a.alert_key LIKE '{run}-a-%'"):
        per_key[key].add(int(number))
    split = {k: v for k, v in per_key.items() if len(v) != 1}
    checks(not split and per_key, f"each alert key opened exactly one ticket ({len(per_key)} keys)", split)
    told = {k: {int(r.split("-")[1]) for r in v} for k, v in load.told["alert"].items()}
    checks(all(per_key.get(k) == v for k, v in told.items()), "every alert answer named that key's ticket",
           {k: (v, per_key.get(k)) for k, v in told.items() if per_key.get(k) != v})
    pages = collections.Counter(t for (t,) in db.rows(
        f"SELECT t.title FROM pages p JOIN tickets t ON t.id = p.ticket_id WHERE t.title LIKE '{run}-s-%'"))
    wrong = {m: pages[m] for m in load.told["sev1"] if pages[m] != 1}
    checks(not wrong and load.told["sev1"], f"every Sev1 ticket paged once ({len(load.told['sev1'])})", wrong)


def check_alarms(checks, db):
    fired = db.rows("SELECT ticket_id, field, before_value, after_value, count(*) FROM ticket_events "
                    "WHERE kind = 'sla_alarm' GROUP BY ticket_id, field, before_value, after_value")
    twice = [row for row in fired if int(row[4]) > 1]
    checks(fired and not twice, f"every SLA alarm the three instances raced for fired once ({len(fired)} alarms)", twice[:5])


def check_mail(checks, db, load, sink):
    run = load.run

    def queued():
        return db.rows(f"SELECT status, convert_from(payload, 'UTF8')::json->>'messageID' FROM outbox "
                       f"WHERE channel = 'mail' AND convert_from(payload, 'UTF8') LIKE '%{run}%'")
    wait_until(lambda: all(status == "delivered" for status, _ in queued()), "the outbox to deliver every message",
               timeout=120, interval=0.2, describe=lambda: str(collections.Counter(s for s, _ in queued())))
    ids = {message_id.strip("<>") for _, message_id in queued()}
    arrived = collections.Counter(str(m[3].get("Message-ID", "")).strip().strip("<>") for m in sink.all())
    lost = [m for m in ids if arrived[m] == 0]
    checks(ids and not lost, f"every mail queued for these tickets was delivered ({len(ids)} messages)", lost[:5])
    twice = {m: arrived[m] for m in ids if arrived[m] > 1}
    checks(sum(n - 1 for n in twice.values()) <= CLAIM_BATCH,
           f"mail sent twice only where the killed instance had sent it unrecorded ({len(twice)} such messages)", twice)


def check_instances(checks, servers, admin, people, token):
    for index, server in enumerate(servers, 1):
        browser = Browser(servers[0].http)
        browser.login("anna.l1@tierdesk.example")
        elsewhere = Browser(server.http)
        elsewhere.cookies = browser.cookies
        page = elsewhere.get("/console")
        checks(page.status == 200 and "anna" in page.text.lower(), f"a session made on instance 1 works on instance {index}", page.status)
    anna, _ = token("anna.l1@tierdesk.example")
    for index, server in enumerate(servers, 1):
        answer = API(server.http, anna).get("/api/v1/tickets?limit=1")
        checks(answer.status == 200, f"an API token works on instance {index}", answer.status)

    # A priority matrix saved through instance 1 is in force on instance 3 within a second.
    first, third = API(servers[0].http, admin.token), API(servers[2].http, admin.token)
    matrix = first.get("/api/v1/settings/priority-matrix").json()
    third.get("/api/v1/settings/priority-matrix")
    for entry in matrix["entries"]:
        if entry["impact"] == "low" and entry["urgency"] == "low":
            entry["priority"] = "P4" if entry["priority"] == "P5" else "P5"
            wanted = entry["priority"]
    saved = first.put("/api/v1/settings/priority-matrix", matrix)
    started = time.monotonic()
    checks(saved.status == 200, "the matrix is saved on instance 1", saved)
    agent = API(servers[2].http, anna)

    def in_force():
        created = agent.post("/api/v1/tickets", {"title": unique("matrix"), "description": "x", "impact": "low", "urgency": "low"})
        return created.status == 201 and created.json()["priority"] == wanted
    wait_until(in_force, "the new matrix on instance 3", timeout=10, interval=0.02)
    elapsed = time.monotonic() - started
    checks(elapsed <= 1.0, f"a matrix saved on instance 1 is in force on instance 3 after {elapsed * 1000:.0f} ms")

    # An API token revoked through instance 2 is refused by instance 3 within a second.
    secret, token_id = token("ben.l2@tierdesk.example")
    ben = API(servers[2].http, secret)
    checks(ben.get("/api/v1/tickets?limit=1").status == 200, "a new token works on instance 3")
    revoked = API(servers[1].http, admin.token).delete(f"/api/v1/tokens/{token_id}")
    started = time.monotonic()
    checks(revoked.status == 204, "the token is revoked on instance 2", revoked)
    wait_until(lambda: ben.get("/api/v1/tickets?limit=1").status == 401, "instance 3 to refuse the token", timeout=10, interval=0.02)
    elapsed = time.monotonic() - started
    checks(elapsed <= 1.0, f"a token revoked on instance 2 is refused by instance 3 after {elapsed * 1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
