"""The mail channel end to end, with real parts: a real SMTP server (Debian's aiosmtpd) on loopback receives
Tierdesk's mail, `tierdesk mailgate` pipes messages in as an MTA would, and `tierdesk serve` runs on a
temporary SQLite database.

Checks: a mail opens a ticket and the requester gets the acknowledgement with the reference through SMTP;
a reply threads back by Message-ID and by subject tag; an auto-responder loop stops after one exchange;
the auto-reply limit per sender; mailgate's exit codes (refused sender, bad token, server down, a second
delivery of the same message); and a server killed while the SMTP server holds a delivery loses nothing
and sends nothing twice.

Run by scripts/test with Debian's python3: `python3 Tests/mail/mail_channel.py path/to/tierdesk`.
"""
import asyncio
import email
import email.policy
import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request

import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))
from e2e import Checks, free_port, kill_process, stop_process, wait_until  # noqa: E402

BINARY = sys.argv[1]
DESK = "support@desk.test"
check = Checks("mail")


class Sink:
    """An SMTP server that keeps what it accepts. In hold mode it keeps a message's final reply back until
    released; a message whose client went away before the reply is not accepted, as RFC 5321 says
    (the server takes responsibility only with its 250 reply)."""

    def __init__(self):
        self.messages = []
        self.hold = False
        self.held = 0
        # Held deliveries that saw their client go away (and so were not accepted).
        self.went_away = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.hold:
            with self.lock:
                self.held += 1
            try:
                while self.hold:
                    transport = getattr(server, "transport", None)
                    if transport is None or transport.is_closing():
                        with self.lock:
                            self.went_away += 1
                        return "421 client went away"
                    await asyncio.sleep(0.01)
            except asyncio.CancelledError:
                # aiosmtpd cancels the handler when the connection is lost: the client went away.
                with self.lock:
                    self.went_away += 1
                raise
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address):
        with self.lock:
            return [m for (_, rcpts, m) in self.messages if address in rcpts]


class Server:
    def __init__(self, directory, smtp_port):
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ,
                        TIERDESK_DATABASE_URL=f"sqlite://{directory}/mail.sqlite",
                        TIERDESK_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}?starttls=off",
                        TIERDESK_MAIL_FROM=f"Tierdesk Service Desk <{DESK}>",
                        TIERDESK_BASE_URL="http://desk.test",
                        TIERDESK_OUTBOX_LEASE_SECONDS="2",
                        LOG_LEVEL="info")
        self.process = None

    def cli(self, *args, stdin=None):
        return subprocess.run([BINARY, *args], input=stdin, capture_output=True, env=self.env)

    def start(self):
        log = open(os.path.join(self.directory, "server.log"), "ab")
        self.process = subprocess.Popen([BINARY, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                        env=self.env, stdout=log, stderr=log)
        wait_until(self.healthy, "the server to answer /health", timeout=60)

    def healthy(self):
        try:
            with urllib.request.urlopen(self.url + "/health", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    def kill(self):
        kill_process(self.process)

    def stop(self):
        stop_process(self.process, timeout=10)

    def api(self, method, path, token, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def mail(sender, subject, body, message_id, extra=""):
    return (f"From: {sender}\r\nTo: {DESK}\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n"
            f"Date: Sun, 22 Nov 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n{extra}"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


def main():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    directory = tempfile.mkdtemp(prefix="tierdesk-mail-")
    server = Server(directory, controller.port)
    try:
        run(server, sink)
    finally:
        server.stop()
        controller.stop()
        if check.failed:
            with open(os.path.join(directory, "server.log"), "rb") as log:
                print(log.read()[-4000:].decode(errors="replace"))


def run(server, sink):
    setup = [
        ("organisation", "add", "--name", "BrightCart"),
        ("user", "add", "--email", "sam@brightcart.test", "--name", "Sam Ortiz", "--role", "requester", "--organisation", "BrightCart"),
        ("user", "add", "--email", "admin@desk.test", "--name", "Ada Admin", "--role", "admin"),
    ]
    for args in setup:
        result = server.cli(*args)
        assert result.returncode == 0, result.stderr
    mailgate_token = server.cli("integration", "add", "--kind", "mailgate", "--name", "postfix").stdout.decode().strip()
    unknown_kind = server.cli("integration", "add", "--kind", "pager", "--name", "x")
    check(unknown_kind.returncode != 0 and b"use mailgate, alertmanager, grafana, events" in unknown_kind.stderr, "an unknown integration kind is named with the known ones", unknown_kind)
    bad_from = subprocess.run([BINARY, "migrate"], capture_output=True, env=dict(server.env, TIERDESK_MAIL_FROM="nobody"))
    check(bad_from.returncode != 0 and b"TIERDESK_MAIL_FROM must name the desk's address" in bad_from.stderr, "a mail configuration without the desk's address is refused", bad_from)
    bad_url = subprocess.run([BINARY, "migrate"], capture_output=True, env=dict(server.env, TIERDESK_SMTP_URL="smtp://relay?starttls=maybe"))
    check(bad_url.returncode != 0 and b"starttls must be required, opportunistic or off" in bad_url.stderr, "a bad SMTP URL is refused with the reason", bad_url)
    bad_ca = subprocess.run([BINARY, "migrate"], capture_output=True, env=dict(server.env, TIERDESK_SMTP_URL="smtp://relay?ca=/nonexistent/ca.pem"))
    check(bad_ca.returncode != 0 and b"ca=/nonexistent/ca.pem is not a readable PEM file" in bad_ca.stderr, "an unreadable CA file stops the start instead of failing every delivery", bad_ca)
    admin = server.cli("token", "issue", "--email", "admin@desk.test").stdout.decode().strip()
    server.start()

    def gate(message, token=None):
        return subprocess.run([BINARY, "mailgate", "--url", server.url, "--token", token or mailgate_token],
                              input=message, capture_output=True, timeout=60)

    # 1. A mail opens a ticket; the acknowledgement with the reference arrives through SMTP.
    opened = gate(mail("Sam Ortiz <sam@brightcart.test>", "Checkout returns HTTP 500", "Since 09:00 every checkout fails.", "first@brightcart.test"))
    outcome = json.loads(opened.stdout or b"{}")
    check(opened.returncode == 0 and outcome.get("outcome") == "created", "mailgate opens a ticket", opened)
    reference = outcome.get("ticket", "TD-?")
    ack = wait_until(lambda: sink.to("sam@brightcart.test"), "the acknowledgement")[0]
    check(f"[{reference}]" in ack["Subject"] and reference in ack.get_content(), "the acknowledgement carries the reference", ack["Subject"])
    check(ack["Auto-Submitted"] == "auto-replied" and ack["In-Reply-To"] == "<first@brightcart.test>",
          "the acknowledgement is marked automatic and answers the requester's message", (ack["Auto-Submitted"], ack["In-Reply-To"]))
    check(ack["Message-ID"].endswith("@desk.test>") and "<first@brightcart.test>" in ack["References"],
          "the acknowledgement's Message-ID and References keep the thread", (ack["Message-ID"], ack["References"]))

    # 2. A reply to the acknowledgement threads back by Message-ID; one with only the subject tag too.
    reply = gate(mail("sam@brightcart.test", f"Re: {ack['Subject']}", "It still fails at 10:15.", "second@brightcart.test",
                      extra=f"In-Reply-To: {ack['Message-ID']}\r\nReferences: {ack['Message-ID']}\r\n"))
    outcome = json.loads(reply.stdout or b"{}")
    check(outcome.get("outcome") == "replied" and outcome.get("ticket") == reference, "a reply threads back by Message-ID", reply)
    tagged = gate(mail("sam@brightcart.test", f"AW: [{reference}] more", "Screenshot follows.", "third@brightcart.test"))
    check(json.loads(tagged.stdout or b"{}").get("ticket") == reference, "a reply threads back by the subject tag", tagged)
    status, events = server.api("GET", f"/api/v1/tickets/{reference}/events", admin)
    replies = [e for e in (events or []) if e.get("kind") == "public_reply"]
    check(status == 200 and len(replies) == 2, "both replies are on the ticket", events)

    # 3. A second delivery of the same message stores nothing twice.
    again = gate(mail("sam@brightcart.test", f"Re: {ack['Subject']}", "It still fails at 10:15.", "second@brightcart.test",
                      extra=f"In-Reply-To: {ack['Message-ID']}\r\n"))
    check(again.returncode == 0 and json.loads(again.stdout or b"{}").get("outcome") == "duplicate", "a repeated delivery is recognised", again)

    # 4. An auto-responder answering our acknowledgement gets no answer: the loop stops after one exchange.
    before = len(sink.to("sam@brightcart.test"))
    out_of_office = gate(mail("sam@brightcart.test", "Out of office: Checkout returns HTTP 500", "I am away until Monday.", "ooo-1@brightcart.test",
                              extra=f"Auto-Submitted: auto-replied\r\nIn-Reply-To: {ack['Message-ID']}\r\n"))
    check(json.loads(out_of_office.stdout or b"{}").get("outcome") == "replied", "the auto-reply lands on the ticket", out_of_office)
    fresh = gate(mail("sam@brightcart.test", "Automatic reply: away", "I am away until Monday.", "ooo-2@brightcart.test",
                      extra="Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n"))
    fresh_outcome = json.loads(fresh.stdout or b"{}")
    check(fresh_outcome.get("outcome") == "created" and fresh_outcome.get("autoReply", "").startswith("suppressed"),
          "an auto-reply that names no ticket gets no acknowledgement", fresh_outcome)
    bulk = gate(mail("news@brightcart.test", "Newsletter", "News.", "bulk-1@brightcart.test", extra="Precedence: bulk\r\n"))
    check(bulk.returncode == 65 and "unknown senders is refused" in bulk.stderr.decode(), "mail from an unknown sender is refused with the reason", bulk)
    wait_until(lambda: outbox_settled(server, admin), "the outbox to settle")
    check(len(sink.to("sam@brightcart.test")) == before, "nothing was sent back to the auto-responder", len(sink.to("sam@brightcart.test")) - before)

    # 5. A responder that marks nothing: the auto-reply limit per sender ends the loop.
    status, _ = server.api("PUT", "/api/v1/settings/mail-intake", admin, {"unknownSenders": "refuse", "autoRepliesPerHour": 2})
    check(status == 200, "admins set the auto-reply limit", status)
    for n in range(4):
        gate(mail("sam@brightcart.test", f"Please confirm {n}", "Automatic message.", f"loop-{n}@brightcart.test"))
    wait_until(lambda: outbox_settled(server, admin), "the outbox to settle")
    acks = [m for m in sink.to("sam@brightcart.test") if "Received:" in m["Subject"]]
    check(len(acks) == 2, "at most two acknowledgements per hour reach one sender", len(acks))

    # 6. mailgate's exit codes for the MTA.
    bad = gate(mail("sam@brightcart.test", "x", "y", "bad-token@brightcart.test"), token="tdi_wrong")
    check(bad.returncode == 77, "a wrong token exits 77 (EX_NOPERM)", bad)
    oversize = gate(b"From: sam@brightcart.test\r\nSubject: big\r\n" + b"X-Pad: y\r\n" * 600 + b"\r\nbody\r\n")
    check(oversize.returncode == 65 and b"header" in oversize.stderr.lower(), "a message with too many headers exits 65 with the reason", oversize)

    # 7. Killed while the SMTP server holds deliveries: nothing lost, nothing sent twice.
    status, _ = server.api("PUT", "/api/v1/settings/mail-intake", admin, {"unknownSenders": "refuse", "autoRepliesPerHour": 100})
    sink.hold = True
    for n in range(5):
        gate(mail("sam@brightcart.test", f"Label printer {n} offline", "The printer does not answer.", f"kill-{n}@brightcart.test"))
    wait_until(lambda: sink.held > 0, "a delivery to be held")
    server.kill()
    # Released once every held delivery has seen its client go away, or the sink would accept mail whose
    # sender died (which no sender can avoid sending again).
    wait_until(lambda: sink.went_away >= sink.held, "the held deliveries to see the kill")
    sink.hold = False
    down = gate(mail("sam@brightcart.test", "while down", "x", "down@brightcart.test"))
    check(down.returncode == 75, "with the server down mailgate exits 75 (EX_TEMPFAIL)", down)
    server.start()
    retried = gate(mail("sam@brightcart.test", "after restart", "x", "after@brightcart.test"))
    check(json.loads(retried.stdout or b"{}").get("outcome") == "created", "after the restart mail is taken again", retried)
    wait_until(lambda: outbox_settled(server, admin), "the outbox to settle after the restart", timeout=60)
    ids = [m["Message-ID"] for m in sink.to("sam@brightcart.test")]
    check(len(ids) == len(set(ids)), "no message was sent twice", [i for i in ids if ids.count(i) > 1])
    status, messages = server.api("GET", "/api/v1/outbox", admin)
    statuses = {m["status"] for m in messages or []}
    check(status == 200 and statuses == {"delivered"}, "every queued message was delivered", statuses)
    printers = [m["Subject"] for m in sink.to("sam@brightcart.test") if "Label printer" in m["Subject"]]
    check(sorted(printers) == sorted(set(printers)) and len(printers) == 5, "the five held acknowledgements arrived once each after the restart", printers)
    sent = {m["Message-ID"] for m in sink.to("sam@brightcart.test")}
    delivered = {m["key"] for m in messages or []}
    check(len(sent) == len(delivered), "each delivered outbox message arrived exactly once", (len(sent), len(delivered)))

    # 8. A major incident's updates reach a mail subscriber once each, with the public title only.
    leads = "plant-leads@brightcart.test"
    status, _ = server.api("POST", "/api/v1/settings/incident-subscribers", admin, {"kind": "email", "target": leads})
    check(status == 201, "an admin subscribes a list to incident updates", status)
    status, declared = server.api("POST", "/api/v1/incidents", admin,
                                  {"title": "Checkout 500s for BrightCart", "publicTitle": "Checkout unavailable", "severity": "Sev1"})
    check(status == 201, "an incident is declared", (status, declared))
    reference = (declared or {}).get("incident", {}).get("reference", "INC-?")
    for version, body in ((1, {"state": "investigating", "symptom": "checkout errors"}), (2, {"state": "investigating", "noChange": True})):
        status, update = server.api("POST", f"/api/v1/incidents/{reference}/updates", admin, dict(body, version=version))
        check(status == 201, f"update {version} is sent", (status, update))
    updates = wait_until(lambda: len(sink.to(leads)) >= 2 and sink.to(leads), "two incident updates by mail")
    wait_until(lambda: outbox_settled(server, admin), "the outbox to settle after the updates", timeout=60)
    updates = sink.to(leads)
    subjects = [m["Subject"] for m in updates]
    check(len(updates) == 2 and all("[Investigating] Checkout unavailable" in s and reference in s for s in subjects),
          "each update arrived once, headed with the public title", subjects)
    texts = "".join(m.get_content() for m in updates)
    check("BrightCart" not in texts and "Checkout 500s" not in texts and "No change" in texts,
          "the mails carry no internal title and the second says there is no change", texts[:400])
    server.stop()

    # 9. A relay that requires STARTTLS and authentication.
    starttls_and_auth(server, server.directory, mailgate_token)


def starttls_and_auth(server, directory, mailgate_token):
    """A relay that requires STARTTLS and AUTH, with a certificate of our own CA: mail goes out encrypted
    and authenticated."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", f"{directory}/key.pem", "-out", f"{directory}/cert.pem"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(f"{directory}/cert.pem", f"{directory}/key.pem")
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"tierdesk" and auth_data.password == b"relay secret"
        logins.append((mechanism, auth_data.login, ok))
        return AuthResult(success=ok)

    secure = Sink()
    controller = Controller(secure, hostname="127.0.0.1", server_hostname="localhost", port=free_port(), tls_context=context,
                            require_starttls=True, authenticator=authenticator, auth_require_tls=True)
    controller.start()
    try:
        server.env["TIERDESK_SMTP_URL"] = f"smtp://tierdesk:relay%20secret@localhost:{controller.port}?starttls=required&ca={directory}/cert.pem"
        server.start()
        message = mail("sam@brightcart.test", "Scanner over TLS", "x", "tls-1@brightcart.test")
        result = subprocess.run([BINARY, "mailgate", "--url", server.url, "--token", mailgate_token], input=message, capture_output=True, timeout=60)
        check(result.returncode == 0, "mail is taken with the TLS relay configured", result)
        ack = wait_until(lambda: secure.to("sam@brightcart.test"), "the acknowledgement over STARTTLS")[0]
        check("Scanner over TLS" in ack["Subject"] and logins == [("PLAIN", b"tierdesk", True)],
              "the acknowledgement went over STARTTLS with AUTH PLAIN", (ack["Subject"], logins))
    finally:
        server.stop()
        controller.stop()


def outbox_settled(server, admin):
    status, messages = server.api("GET", "/api/v1/outbox", admin)
    return status == 200 and all(m["status"] in ("delivered", "dead") for m in messages)


main()
sys.exit(1 if check.failed else 0)
