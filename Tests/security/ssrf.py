"""Server-side request forgery: outgoing calls (webhooks, paging webhooks) into loopback and private networks
are refused when saved, in every spelling of the address, and again at delivery when a harmless-looking name
resolves there; redirects are never followed.
"""
import http.server
import socket
import threading

from lib import free_port, unique, wait_until

# The spellings of loopback the brief names first [#12], then others an attacker tries.
NEW_SPELLINGS = ["http://127.1/", "http://0x7f000001/", "http://2130706433/", "http://017700000001/",
                 "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:0:0:1]/"]
MORE_SPELLINGS = ["http://0/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://127.0.1/", "http://[0000::1]/",
                  "http://[::ffff:a00:1]/", "http://[::1%25lo]/", "http://0x0a000001/", "http://3232235521/"]
KNOWN_SPELLINGS = ["http://127.0.0.1/", "http://127.0.0.1:8080/hook", "http://localhost/", "http://LOCALHOST./", "http://api.localhost/",
                   "http://[::1]/", "http://[::]/", "http://0.0.0.0/", "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.0.1/",
                   "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/", "http://[fe80::1]/", "http://[fd00::1]/",
                   "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "http://224.0.0.1/", "http://printer.local/",
                   "http://db.internal/", "http://127.000.000.001/"]
NOT_HTTP = ["file:///etc/passwd", "gopher://example.com/", "ftp://example.com/", "http://user:secret@example.com/",
            "http://example.com@127.0.0.1/", "javascript:alert(1)", "http:///nohost", "http://exa mple.com/"]


class Receiver:
    """A local HTTP server that counts what reaches it; optionally redirects."""

    def __init__(self, redirect_to=None):
        self.hits = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                receiver.hits.append((self.path, dict(self.headers), self.rfile.read(length)))
                if redirect_to:
                    self.send_response(302)
                    self.send_header("Location", redirect_to)
                else:
                    self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def run(desk, check):
    created = []
    try:
        saving(desk, check)
        paging_contacts(desk, check)
        delivery(desk, check, created)
    finally:
        for subscription in created:
            desk.admin.delete(f"/api/v1/settings/webhooks/{subscription}")


def saving(desk, check):
    for label, urls in [("[#12] ", NEW_SPELLINGS), ("", MORE_SPELLINGS), ("", KNOWN_SPELLINGS), ("", NOT_HTTP)]:
        for url in urls:
            answer = desk.admin.post("/api/v1/settings/webhooks", {"url": url, "events": ["ticket.created"]})
            if answer.status == 201:
                desk.admin.delete(f"/api/v1/settings/webhooks/{answer.json()['id']}")
            check(400 <= answer.status < 500 and answer.status != 404, f"{label}a webhook to {url} is refused on saving", answer)
    agent = desk.api("anna").post("/api/v1/settings/webhooks", {"url": "https://hooks.example.com/x", "events": ["ticket.created"]})
    check(agent.status in (403, 404), "an agent cannot subscribe webhooks", agent)


def paging_contacts(desk, check):
    """An agent's own paging webhook is the same door, open to non-admins."""
    anna = desk.api("anna")
    path = f"/api/v1/people/{desk.person_id('anna')}/paging-contacts"
    for url in NEW_SPELLINGS + ["http://0/", "http://0177.0.0.1/", "http://127.0.0.1/", "http://[::1]/", "http://169.254.169.254/"]:
        answer = anna.put(path, {"methods": [{"kind": "webhook", "address": url}]})
        check(400 <= answer.status < 500, f"an agent's paging webhook to {url} is refused", answer)
    anna.put(path, {"methods": []})
    other = anna.put(f"/api/v1/people/{desk.person_id('ben')}/paging-contacts", {"methods": [{"kind": "email", "address": "evil@attacker.test"}]})
    check(other.status in (403, 404), "an agent cannot change a colleague's paging contacts", other)


def loopback_name():
    """A host name that is not a loopback literal but resolves to loopback (this machine's name, usually)."""
    for name in [socket.gethostname(), "localhost.localdomain", "ip6-localhost"]:
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(name, 80)}
        except OSError:
            continue
        if addresses and all(a.startswith("127.") or a == "::1" for a in addresses) and "localhost" not in name.split(".")[-1]:
            return name
    return None


def webhook_messages(desk, subscription):
    return [m for m in desk.outbox() if m["channel"] == "webhook" and subscription.lower() in m["key"].lower()]


def settled(desk, subscription):
    messages = webhook_messages(desk, subscription)
    return messages if messages and all(m["status"] in ("delivered", "dead", "cancelled") for m in messages) else None


def delivery(desk, check, created):
    """A name resolving to loopback is refused at delivery; allowed private targets get the call (control);
    redirects are not followed."""
    receiver = Receiver()
    second = Receiver()
    redirector = Receiver(redirect_to=f"http://127.0.0.1:{second.port}/stolen")
    try:
        control = desk.admin.post("/api/v1/settings/webhooks", {"url": f"http://127.0.0.1:{receiver.port}/control", "events": ["ticket.created"], "allowPrivateTargets": True})
        check(control.status == 201, "an admin may allow a private target explicitly (control)", control)
        redirect = desk.admin.post("/api/v1/settings/webhooks", {"url": f"http://127.0.0.1:{redirector.port}/r", "events": ["ticket.created"], "allowPrivateTargets": True})
        name = loopback_name()
        sneaky = None
        if name:
            sneaky = desk.admin.post("/api/v1/settings/webhooks", {"url": f"http://{name}:{receiver.port}/sneaky", "events": ["ticket.created"]})
        ids = [a.json()["id"] for a in (control, redirect, sneaky) if a is not None and a.status == 201]
        created.extend(ids)
        ticket = desk.open_ticket(desk.api("sam"), title=f"Webhook trigger {unique()}")
        for subscription in ids:
            wait_until(lambda: settled(desk, subscription), "the webhook deliveries to settle", timeout=30, interval=0.1,
                       describe=lambda: str(webhook_messages(desk, subscription)))
        paths = [hit[0] for hit in receiver.hits]
        check("/control" in paths, "the allowed private target received the event (control)", paths)
        hit = next((h for h in receiver.hits if h[0] == "/control"), None)
        if hit:
            check("X-Tierdesk-Signature" in hit[1] and ticket["description"] not in hit[2].decode(errors="replace"),
                  "the delivered event is signed and carries no ticket text", hit[1].keys())
        if redirect.status == 201:
            messages = webhook_messages(desk, redirect.json()["id"])
            check(redirector.hits and not second.hits and all(m["status"] == "dead" for m in messages),
                  "a redirect is not followed and ends the message dead", (len(redirector.hits), len(second.hits), [m["status"] for m in messages]))
        if sneaky is None:
            check(True, "no host name resolves to loopback here; the delivery-time check is not exercised")
        elif sneaky.status != 201:
            check(400 <= sneaky.status < 500, f"a webhook to {name} (resolves to loopback) is refused on saving", sneaky)
        else:
            messages = webhook_messages(desk, sneaky.json()["id"])
            check("/sneaky" not in paths and messages and all(m["status"] == "dead" for m in messages),
                  f"a webhook to {name}, which resolves to loopback, is refused at delivery and ends dead",
                  (paths, [(m["status"], m.get("lastError")) for m in messages]))
    finally:
        for r in (receiver, second, redirector):
            r.stop()
