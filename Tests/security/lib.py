"""What the security checks share: an HTTP client that sends requests exactly as written (raw paths, raw
bodies, any header), a cookie-keeping browser for the HTML forms, an SMTP sink (Debian's aiosmtpd) that keeps
every message Tierdesk sends, and the `tierdesk serve` process with its database.

Standard library plus aiosmtpd: Debian's /usr/bin/python3 runs it.
"""
import asyncio
import email
import email.policy
import http.client
import http.cookies
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import uuid

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))
from e2e import Checks, free_port, kill_process, stop_process, wait_until  # noqa: E402,F401

DESK_ADDRESS = "support@desk.test"
DEMO_PASSWORD = "tierdesk-demo"
PSQL_CANDIDATES = ["/usr/lib/postgresql/15/bin/psql", shutil.which("psql") or "psql"]


def unique(label="x"):
    """A short marker no other check uses, for titles, addresses and Message-IDs."""
    return f"{label}{uuid.uuid4().hex[:10]}"


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------
class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name)

    def all_headers(self, name):
        return self.headers.get_all(name) or []

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def names(self, field):
        """Whether a problem+json answer names `field` (in its errors or its detail)."""
        data = self.json()
        if not isinstance(data, dict):
            return False
        fields = [e.get("field", "") for e in data.get("errors") or [] if isinstance(e, dict)]
        return any(field in f for f in fields) or field in str(data.get("detail", ""))

    def __repr__(self):
        return f"<{self.status} {self.headers.get('Content-Type', '')} {self.body[:300]!r}>"


class HTTP:
    """Requests as written: the path is sent byte for byte, nothing is followed or normalised."""

    def __init__(self, port):
        self.port = port

    def request(self, method, path, body=None, headers=None, timeout=60):
        if isinstance(body, str):
            body = body.encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            if body is not None:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read())
        finally:
            connection.close()


class API:
    """A person's (or an integration's) view of the API through a Bearer token."""

    def __init__(self, http_client, token):
        self.http = http_client
        self.token = token

    def call(self, method, path, body=None, raw=None, content_type="application/json", headers=None):
        sent = dict(headers or {})
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None and content_type:
            sent.setdefault("Content-Type", content_type)
        return self.http.request(method, path, data, sent)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("PATCH", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.call("PUT", path, body, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)


class Browser:
    """A browser's cookie jar and form posts; redirects are returned, not followed."""

    def __init__(self, http_client):
        self.http = http_client
        self.cookies = {}

    def _headers(self, extra=None):
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, response):
        for raw in response.all_headers("Set-Cookie"):
            jar = http.cookies.SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path, headers=None):
        return self._keep(self.http.request("GET", path, None, self._headers(headers)))

    def post_form(self, path, fields, headers=None):
        from urllib.parse import urlencode
        body = urlencode(fields).encode()
        sent = self._headers(headers)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        return self._keep(self.http.request("POST", path, body, sent))

    def call(self, method, path, body=None, headers=None):
        sent = self._headers(headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        return self._keep(self.http.request(method, path, data, sent))

    @staticmethod
    def csrf_in(page):
        found = re.search(r'name="_csrf" value="([^"]*)"', page.text)
        return found.group(1) if found else None

    def login(self, email_address, password=DEMO_PASSWORD):
        """Logs in through the form; returns the POST's response."""
        form = self.get("/login")
        token = self.csrf_in(form)
        return self.post_form("/login", {"_csrf": token or "", "email": email_address, "password": password})

    @property
    def session(self):
        return self.cookies.get("tierdesk_session")


# ---------------------------------------------------------------------------
# SMTP sink
# ---------------------------------------------------------------------------
class Sink:
    """An SMTP server that keeps what it accepts, raw and parsed. In hold mode it keeps a message's final
    reply back until released; a message whose client went away first is not accepted (RFC 5321)."""

    def __init__(self):
        self.messages = []  # (mail_from, rcpt_tos, raw bytes, parsed)
        self.hold = False
        self.held = 0
        # Held deliveries that saw their client go away (and so were not accepted).
        self.went_away = 0
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def port(self):
        return self.controller.port

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
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), raw, parsed))
        return "250 OK"

    def all(self):
        with self.lock:
            return list(self.messages)

    def to(self, address):
        return [m for m in self.all() if address.lower() in [r.lower() for r in m[1]]]

    def answering(self, message_id):
        """Messages that answer `message_id` (their In-Reply-To names it)."""
        return [m for m in self.all() if f"<{message_id}>" in str(m[3].get("In-Reply-To", ""))]


# ---------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------
class Server:
    def __init__(self, binary, directory, database_url, smtp_port):
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.http = HTTP(self.port)
        self.env = dict(os.environ,
                        TIERDESK_DATABASE_URL=database_url,
                        TIERDESK_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}?starttls=off",
                        TIERDESK_MAIL_FROM=f"Tierdesk Service Desk <{DESK_ADDRESS}>",
                        TIERDESK_BASE_URL="http://desk.test",
                        TIERDESK_OUTBOX_LEASE_SECONDS="2",
                        LOG_LEVEL="notice")
        self.process = None
        self.log_path = os.path.join(directory, "server.log")
        self.binary_mtime = None

    def cli(self, *args, stdin=None):
        return subprocess.run([self.binary, *args], input=stdin, capture_output=True, env=self.env, timeout=120)

    def start(self, demo=True):
        self.launch(demo)
        self.wait_healthy()

    def launch(self, demo=True):
        """Starts the process without waiting for it to answer (see ``wait_healthy``)."""
        log = open(self.log_path, "ab")
        args = [self.binary, "serve", "--host", "127.0.0.1", "--port", str(self.port)] + (["--demo"] if demo else [])
        self.binary_mtime = os.stat(self.binary).st_mtime

        def launched():
            try:
                return subprocess.Popen(args, env=self.env, stdout=log, stderr=log)
            except OSError as error:  # ETXTBSY: the binary is being written by a build right now
                if error.errno != 26:
                    raise
                return None

        self.process = wait_until(launched, "the binary to be written completely", timeout=300, interval=1)
        log.close()

    def wait_healthy(self):
        wait_until(self.healthy, "the server to answer /health", timeout=120, interval=0.1,
                   describe=lambda: self.log_tail(1500))

    def healthy(self):
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"tierdesk serve exited with {self.process.returncode}: {self.log_tail(2000)}")
        try:
            return self.http.request("GET", "/health", timeout=2).status == 200
        except OSError:
            return False

    def peak_memory(self):
        """The server's peak resident memory in bytes (Linux), or 0 where that cannot be read."""
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        kill_process(self.process)

    def stop(self):
        stop_process(self.process, timeout=15)

    def restart(self):
        self.stop()
        self.start(demo=False)

    def log_tail(self, size=4000):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-size:].decode(errors="replace")
        except OSError:
            return ""


def mail(sender, subject, body="Hello.", message_id=None, extra="", to=DESK_ADDRESS, content_type="text/plain; charset=utf-8"):
    """A plain RFC 5322 message as bytes; `extra` holds more header lines, each ending in CRLF."""
    message_id = message_id or f"{unique('m')}@sender.test"
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n"
            f"Date: Sun, 22 Nov 2026 09:00:00 +0100\r\nMIME-Version: 1.0\r\n{extra}"
            f"Content-Type: {content_type}\r\n\r\n{body}\r\n").encode()


def rfc2231(name):
    """A parameter value in RFC 2231 form: UTF-8''percent-encoded."""
    from urllib.parse import quote
    return "UTF-8''" + quote(name, safe="")


def rfc2047(text):
    """An RFC 2047 encoded word (UTF-8, base64)."""
    import base64
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


def postgres_database(url):
    """Creates a fresh database next to the one `url` names; returns (server URL for it, drop function)."""
    parts = urllib.parse.urlsplit(url)
    name = f"tdsec_{os.getpid()}_{unique('')}"
    query = urllib.parse.parse_qs(parts.query)
    tls = query.pop("tlsmode", ["disable"])[0]
    psql_query = urllib.parse.urlencode({"sslmode": "disable" if tls == "disable" else "prefer"})
    admin_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, psql_query, ""))
    psql = next((p for p in PSQL_CANDIDATES if p and os.path.exists(p)), "psql")

    def run(statement):
        result = subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", admin_url, "-c", statement], capture_output=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr.decode(errors='replace')}")

    run(f'CREATE DATABASE "{name}"')
    server_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
    return server_url, lambda: run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
