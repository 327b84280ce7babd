"""Tierdesk's adversarial security suite, through the real server.

Starts `tierdesk serve --demo` on a database of its own (a temporary SQLite file, or a fresh PostgreSQL
database created for the run and dropped after it) with outgoing mail going to a real SMTP server (Debian's
aiosmtpd) on loopback, then attacks it class by class:

  tenant.py    another organisation's or a vendor's requests on hidden tickets, on every read and write
               path of the API and the portal and console pages; path tricks
  auth.py      CSRF on the forms and on API writes with a session, session rotation and logout, API token
               revocation, and (last, because it locks logins from loopback out) login throttling
  input.py     fields a requester may not set, control characters in search text, unknown references,
               duplicate JSON keys, malformed and oversized bodies, deep nesting, Cache-Control,
               attachment names and how files are served, HTML escaping
  mail.py      sender spoofing with encoded words, repeated loop headers, our own mailbox, attachment
               names, simultaneous deliveries, a sender flooding the desk, deep nesting, header injection
               into outgoing mail, bounces
  ssrf.py      webhook targets in private networks, written in every spelling, refused at saving and at
               delivery; redirects not followed
  alerts.py    the same alert twice (also at once) opens one ticket; tokens of one kind open no other door
  crash.py     the server killed with SIGKILL during mail intake and during outbox delivery

Every check prints one line; the exit status is 1 if any failed.

    /usr/bin/python3 Tests/security/run.py path/to/tierdesk [--database postgres://user:pw@host:port/db?tlsmode=disable]

With --database the URL names a PostgreSQL server and a database the role can connect to; the suite creates
a database of its own next to it (the role needs CREATEDB) and drops it at the end.
"""
import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib  # noqa: E402
from lib import API, Browser, Checks, Server, Sink, postgres_database, unique  # noqa: E402

import alerts  # noqa: E402
import auth  # noqa: E402
import crash  # noqa: E402
import input as input_checks  # noqa: E402
import mail  # noqa: E402
import ssrf  # noqa: E402
import tenant  # noqa: E402


class Desk:
    """What every module gets: the server, the SMTP sink, API clients per demo person, ids and tokens."""

    def __init__(self, server, sink, engine):
        self.server = server
        self.sink = sink
        self.engine = engine
        self.http = server.http
        self.tokens = {}
        self.people = {}
        self.organisations = {}
        self.groups = {}

    def anonymous(self):
        return API(self.http, None)

    def api(self, who):
        """The API as a demo person: anna, ben, chen, maria, admin, vera, jonas, petra, sam, lee."""
        return API(self.http, self.tokens[who])

    def browser(self):
        return Browser(self.http)

    @property
    def admin(self):
        return self.api("admin")

    def setup(self):
        result = self.server.cli("token", "issue", "--email", "admin@tierdesk.example", "--name", "security")
        if result.returncode != 0:
            raise AssertionError(f"token issue failed: {result.stderr.decode(errors='replace')}")
        self.tokens["admin"] = result.stdout.decode().strip()
        people = self.admin.get("/api/v1/people")
        assert people.status == 200, people
        for person in people.json():
            self.people[person["email"]] = person
        short = {"anna": "anna.l1@tierdesk.example", "ben": "ben.l2@tierdesk.example", "chen": "chen.l3@tierdesk.example",
                 "maria": "maria.manager@tierdesk.example", "vera": "vera@norderp.example",
                 "jonas": "jonas.weber@kessler-automotive.example", "petra": "petra.lang@kessler-automotive.example",
                 "sam": "sam.ortiz@brightcart.example", "lee": "lee.chan@brightcart.example"}
        self.emails = dict(short, admin="admin@tierdesk.example")
        for key, address in short.items():
            issued = self.admin.post("/api/v1/tokens", {"name": "security", "personId": self.people[address]["id"]})
            assert issued.status == 201, issued
            self.tokens[key] = issued.json()["token"]
        for organisation in self.admin.get("/api/v1/organisations").json():
            self.organisations[organisation["name"]] = organisation["id"]
        for group in self.admin.get("/api/v1/groups").json():
            self.groups[group["name"]] = group
        integration = self.admin.post("/api/v1/settings/integrations", {"kind": "mailgate", "name": "security-mailgate"})
        assert integration.status == 201, integration
        self.mailgate = API(self.http, integration.json()["token"])

    def person_id(self, who):
        return self.people[self.emails[who]]["id"]

    # -- helpers the modules share ---------------------------------------------------------------
    def add_requester(self, organisation="BrightCart", label="req"):
        """A fresh requester account (address, id, token) so that per-sender counters start at zero."""
        address = f"{unique(label)}@{organisation.lower().replace(' ', '-')}.example"
        created = self.admin.post("/api/v1/people", {"email": address, "name": f"Test {label}", "roles": ["requester"],
                                                     "organisationId": self.organisations[organisation], "password": "a long test password"})
        assert created.status == 201, created
        person = created.json()
        issued = self.admin.post("/api/v1/tokens", {"name": "security", "personId": person["id"]})
        assert issued.status == 201, issued
        return address, person["id"], API(self.http, issued.json()["token"])

    def open_ticket(self, api, title=None, **fields):
        body = {"title": title or f"Security check {unique()}", "description": "Opened by the security suite."}
        body.update(fields)
        created = api.post("/api/v1/tickets", body)
        assert created.status == 201, created
        return created.json()

    def inbound(self, raw, token_api=None):
        """Posts one raw message to the mail intake as the mail gateway does."""
        return (token_api or self.mailgate).post("/api/v1/mail/inbound", raw=raw, content_type="message/rfc822")

    def mail_intake(self, **settings):
        body = {"unknownSenders": "refuse", "autoRepliesPerHour": 100}
        body.update(settings)
        answer = self.admin.put("/api/v1/settings/mail-intake", body)
        assert answer.status == 200, answer
        return answer

    def outbox(self):
        answer = self.admin.get("/api/v1/outbox")
        return answer.json() if answer.status == 200 else []

    def outbox_settled(self):
        answer = self.admin.get("/api/v1/outbox")
        return answer.status == 200 and not any(m["status"] in ("pending", "sending") for m in answer.json())

    def wait_outbox(self, what="the outbox to settle", timeout=30):
        lib.wait_until(self.outbox_settled, what, timeout=timeout, interval=0.1,
                       describe=lambda: str([(m["key"], m["status"], m.get("lastError")) for m in self.outbox() if m["status"] in ("pending", "sending")][:10]))

    def events(self, reference, who="admin"):
        answer = self.api(who).get(f"/api/v1/tickets/{reference}/events")
        return answer.json() if answer.status == 200 else []

    def ticket(self, reference, who="admin"):
        answer = self.api(who).get(f"/api/v1/tickets/{reference}")
        return answer.json() if answer.status == 200 else None

    def ensure_running(self):
        """Restarts the server if it died or its binary was rebuilt meanwhile."""
        if not self.server.alive():
            self.server.start(demo=False)
            return "restarted after it died"
        if os.stat(self.server.binary).st_mtime != self.server.binary_mtime:
            self.server.restart()
            return "restarted on a rebuilt binary"
        return None


MODULES = [
    ("tenant", tenant.run),
    ("input", input_checks.run),
    ("mail", mail.run),
    ("ssrf", ssrf.run),
    ("alerts", alerts.run),
    ("auth", auth.run),
    ("crash", crash.run),
    # Last: it locks logins from loopback out for fifteen minutes.
    ("throttle", auth.run_throttling),
]


def main():
    parser = argparse.ArgumentParser(description="Tierdesk's adversarial security suite")
    parser.add_argument("binary", help="path to the tierdesk binary")
    parser.add_argument("--database", help="a postgres:// URL; without it the run uses a temporary SQLite file")
    parser.add_argument("--only", help="comma-separated modules to run (tenant,input,mail,ssrf,alerts,auth,crash,throttle)")
    arguments = parser.parse_args()
    binary = os.path.abspath(arguments.binary)
    directory = tempfile.mkdtemp(prefix="tierdesk-security-")
    drop = None
    if arguments.database:
        database_url, drop = postgres_database(arguments.database)
        engine = "PostgreSQL"
    else:
        database_url = f"sqlite://{directory}/security.sqlite"
        engine = "SQLite"
    started = time.monotonic()
    sink = Sink().start()
    server = Server(binary, directory, database_url, sink.port)
    failed = []
    try:
        server.start(demo=True)
        desk = Desk(server, sink, engine)
        desk.setup()
        print(f"security: tierdesk serve --demo on {engine} is up ({time.monotonic() - started:.1f} s)", flush=True)
        only = set(arguments.only.split(",")) if arguments.only else None
        for name, run in MODULES:
            if only and name not in only:
                continue
            check = Checks(f"security/{engine}/{name}")
            note = desk.ensure_running()
            if note:
                print(f"security/{engine}/{name}: the server was {note}", flush=True)
            module_started = time.monotonic()
            try:
                run(desk, check)
            except Exception:  # a module that breaks is a failure, and the others still run
                print(traceback.format_exc(), flush=True)
                check(False, "the module ran to its end", traceback.format_exc().strip().splitlines()[-1])
            print(f"security/{engine}/{name}: {time.monotonic() - module_started:.1f} s", flush=True)
            if check.failed:
                failed.append(name)
    finally:
        server.stop()
        sink.stop()
        if failed:
            print(f"--- tail of the server log ({server.log_path})")
            print(server.log_tail(3000))
        if drop:
            try:
                drop()
            except Exception as error:  # the cluster is thrown away anyway
                print(f"security: could not drop the database: {error}")
        if not failed:
            shutil.rmtree(directory, ignore_errors=True)
    print(f"security ({engine}): {'FAILED in ' + ', '.join(failed) if failed else 'all checks passed'} "
          f"in {time.monotonic() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
