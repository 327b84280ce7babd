"""API contract test: schemathesis against `tierdesk serve --demo`, once as the admin and once as a requester.

Each run gets its own temporary SQLite database and server, so both start from the same demo. Every
schemathesis check is on (`--checks all`: status codes, content types, headers and response bodies
against the document's schemas, schema-violating requests rejected, schema-valid ones accepted,
undeclared methods answered 405 with `Allow`, authentication not ignored, resources usable after
creation and gone after deletion), with a fixed seed and a bounded number of examples per operation.

As the admin, the integration endpoints get integration tokens of their kinds (issued with
`tierdesk integration add`), as their callers would send; as the requester, they get the requester's
token and must refuse it. The caller's own token and account are protected by hooks.py.

Two settings say what this API means by its status codes: schema-valid input may be answered 422
(a rule no schema states, such as an id that names nothing), never 400; and the alert endpoints may
answer the document's 503 while alert intake has no reporter. Everything else is as schemathesis checks.

A failure fails the test unless Tests/contract/allowed.txt lists it (failure code, operation and
identity) with its reason. Entries the run did not need are reported, so the list stays short.

Run by scripts/test with the python of schemathesis's virtualenv (it needs PyYAML):
`VENV/bin/python Tests/contract/schemathesis_run.py path/to/tierdesk VENV/bin/schemathesis`.
Environment: TIERDESK_CONTRACT_MAX_EXAMPLES (default 6), TIERDESK_CONTRACT_SEED (default 1042),
TIERDESK_CONTRACT_KEEP=1 keeps the temporary directory (reports, server logs) and prints its path.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, os.pardir, os.pardir))
sys.path.insert(0, os.path.join(HERE, os.pardir, "support"))
from e2e import free_port, stop_process, wait_until  # noqa: E402

DOCUMENT = os.path.join(REPO, "Sources", "TierdeskServer", "Resources", "openapi.yaml")
ALLOWED = os.path.join(HERE, "allowed.txt")
HOOKS = os.path.join(HERE, "hooks.py")
SEED = int(os.environ.get("TIERDESK_CONTRACT_SEED", "1042"))
MAX_EXAMPLES = int(os.environ.get("TIERDESK_CONTRACT_MAX_EXAMPLES", "6"))

IDENTITIES = [
    ("admin", "admin@tierdesk.example"),
    ("requester", "sam.ortiz@brightcart.example"),
]
# Operations called by machines with integration tokens, not by people.
INTEGRATION_ENDPOINTS = {
    "/api/v1/mail/inbound": "mailgate",
    "/api/v1/integrations/alertmanager": "alertmanager",
    "/api/v1/integrations/grafana": "grafana",
    "/api/v1/integrations/events": "events",
}


def request(method, url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method, headers=headers), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def load_allowed():
    """`CODE METHOD PATH IDENTITY reason…` per line; IDENTITY is admin, requester or *."""
    entries = []
    with open(ALLOWED, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 4)
            if len(parts) < 5 or not re.fullmatch(r"ST\d{3}", parts[0]) or parts[3] not in ("admin", "requester", "*"):
                raise SystemExit(f"{ALLOWED}:{number}: expected `CODE METHOD PATH IDENTITY reason`, got: {line}")
            code, method, path, identity, reason = parts
            entries.append({"code": code, "operation": f"{method} {path}", "identity": identity, "reason": reason, "used": False})
    return entries


def check_document():
    """YAML lets a key appear twice and keeps the last; the validator cannot see it, so it is refused here,
    in the root document and in every file it includes."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise SystemExit(f"{key_node.start_mark.name}:{key_node.start_mark.line + 1}: the key {key!r} appears twice in one mapping")
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    parts = glob.glob(os.path.join(os.path.dirname(DOCUMENT), "openapi", "**", "*.yaml"), recursive=True)
    for path in [DOCUMENT] + sorted(parts):
        with open(path, encoding="utf-8") as f:
            yaml.load(f, Loader=Loader)


def toml_string(value):
    return json.dumps(value)  # a JSON string is a valid TOML basic string for these values


class Server:
    def __init__(self, binary, directory, name):
        self.binary = binary
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, TIERDESK_DATABASE_URL=f"sqlite://{directory}/{name}.sqlite", LOG_LEVEL="warning")
        self.log_path = os.path.join(directory, f"{name}-server.log")
        self.process = None

    def cli(self, *args):
        result = subprocess.run([self.binary, *args], capture_output=True, env=self.env, timeout=120)
        if result.returncode != 0:
            raise AssertionError(f"tierdesk {' '.join(args)} failed: {result.stderr.decode(errors='replace')[-2000:]}")
        return result.stdout.decode().strip()

    def start(self):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.binary, "serve", "--demo", "--host", "127.0.0.1", "--port", str(self.port)],
                                        env=self.env, stdout=log, stderr=log)
        wait_until(lambda: self.process.poll() is not None or request("GET", self.url + "/health")[0] == 200,
                   "tierdesk serve --demo to answer /health", timeout=90.0, interval=0.25)
        if self.process.poll() is not None:
            raise AssertionError(f"tierdesk serve exited with {self.process.returncode}; log:\n{self.tail()}")

    def stop(self):
        stop_process(self.process, timeout=15)

    def tail(self, size=4000):
        with open(self.log_path, "rb") as f:
            return f.read()[-size:].decode(errors="replace")


def run_identity(binary, schemathesis, directory, identity, email):
    server = Server(binary, directory, identity)
    server.start()
    try:
        # Issued while the server runs on the same SQLite file (WAL), as an operator would.
        token = server.cli("token", "issue", "--email", email, "--name", f"contract {identity}")
        status, body = request("GET", server.url + "/api/v1/me", token)
        assert status == 200, f"the new {identity} token does not work: {status} {body[:300]!r}"
        person_id = json.loads(body)["id"]
        status, body = request("GET", server.url + "/api/v1/tokens", token)
        assert status == 200, f"GET /api/v1/tokens as {identity}: {status} {body[:300]!r}"
        protected = [person_id] + [item["id"] for item in json.loads(body)]

        config = [
            # 422 is this API's answer to well-formed input that fails a rule no schema states (an id that
            # names nothing, a window ending before it starts, a move the workflow does not allow), so
            # schema-valid input may get it; a 400 for schema-valid input is still a failure.
            "[checks.positive_data_acceptance]",
            'expected-statuses = ["2xx", "3xx", 401, 403, 404, 409, 422, 429, "5xx"]',
            "",
        ]
        if identity == "admin":
            for path, kind in INTEGRATION_ENDPOINTS.items():
                secret = server.cli("integration", "add", "--kind", kind, "--name", f"contract {kind}")
                config += ["[[operations]]", f"include-path = {toml_string(path)}",
                           f"headers = {{ Authorization = {toml_string('Bearer ' + secret)} }}"]
                if kind != "mailgate":
                    # The document's 503: alert intake has no reporter (the run's own PUT of the alert
                    # intake settings may clear it), so the source is told to send again. Any other 5xx fails.
                    config += ["[operations.checks.not_a_server_error]",
                               'expected-statuses = ["2xx", "3xx", "4xx", 503]']
                config += [""]
        config_path = os.path.join(directory, f"{identity}-schemathesis.toml")
        with open(config_path, "w", encoding="utf-8") as f:
            f.write("\n".join(config) + "\n")

        report = os.path.join(directory, f"{identity}-report.json")
        output_path = os.path.join(directory, f"{identity}-schemathesis.txt")
        # The document as the server serves it, bundled from its parts, is the promise under test.
        command = [schemathesis, "--config-file", config_path, "run", server.url + "/api/v1/openapi.yaml",
                   "--url", server.url,
                   "--header", f"Authorization: Bearer {token}",
                   "--checks", "all",
                   "--seed", str(SEED),
                   "--max-examples", str(MAX_EXAMPLES),
                   "--workers", "1",
                   "--generation-database", "none",
                   "--request-timeout", "30",
                   "--no-color",
                   "--report", "json", "--report-json-path", report]
        env = dict(os.environ, SCHEMATHESIS_HOOKS=HOOKS, TIERDESK_CONTRACT_PROTECTED=",".join(protected))
        started = time.monotonic()
        with open(output_path, "w", encoding="utf-8") as out:
            completed = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=directory, timeout=900)
        elapsed = time.monotonic() - started
        still = request("GET", server.url + "/api/v1/me", token)[0]
        alive = server.process.poll() is None
    finally:
        server.stop()
    with open(output_path, encoding="utf-8", errors="replace") as f:
        output = f.read()
    if not os.path.exists(report):
        raise AssertionError(f"schemathesis ({identity}) wrote no report (exit {completed.returncode}):\n{output[-4000:]}")
    with open(report, encoding="utf-8") as f:
        document = json.load(f)
    return {"identity": identity, "report": document, "output": output, "elapsed": elapsed,
            "credentials_ok": still == 200, "server_alive": alive, "server_log": server.tail()}


def failure_blocks(output, operation):
    """The FAILURES section's block for one operation, as schemathesis printed it."""
    blocks = re.split(r"\n(?=_{3,} [A-Z]+ /)", output)
    return [block for block in blocks if re.match(r"_{3,} " + re.escape(operation) + r" _{3,}", block.strip())]


def evaluate(results, allowed):
    problems = []
    for result in results:
        identity, report = result["identity"], result["report"]
        operations = report.get("operations") or {}
        print(f"contract: {identity}: {operations.get('tested', 0)}/{operations.get('total', 0)} operations, "
              f"{report['test_cases']['generated']} test cases, {result['elapsed']:.0f} s, seed {report.get('seed')}", flush=True)
        if not report.get("complete"):
            problems.append(f"{identity}: the run did not complete ({report.get('stop_reason')})")
        if not operations.get("tested"):
            problems.append(f"{identity}: no operation was tested")
        if not result["credentials_ok"]:
            problems.append(f"{identity}: the run's own token stopped working during the run; later results are meaningless")
        if not result["server_alive"]:
            problems.append(f"{identity}: the server died during the run; its log:\n{result['server_log']}")
        for error in report.get("errors", []):
            problems.append(f"{identity}: schemathesis error: {error['title']} ({error['count']})")
        for group in report.get("failures", []):
            for operation in group["operations"]:
                match = [e for e in allowed if e["code"] == group["code"] and e["operation"] == operation and e["identity"] in (identity, "*")]
                for entry in match:
                    entry["used"] = True
                if match:
                    print(f"contract: {identity}: allowed {group['code']} {group['title']}: {operation} ({match[0]['reason']})")
                    continue
                problems.append(f"{identity}: {group['code']} {group['title']}: {operation}")
                for block in failure_blocks(result["output"], operation):
                    print(block.strip()[:6000], flush=True)
    for entry in allowed:
        if not entry["used"]:
            print(f"contract: note: allow-list entry not needed in this run: {entry['code']} {entry['operation']} {entry['identity']}")
    return problems


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: schemathesis_run.py path/to/tierdesk path/to/schemathesis")
    binary, schemathesis = os.path.abspath(sys.argv[1]), sys.argv[2]
    allowed = load_allowed()
    check_document()
    directory = tempfile.mkdtemp(prefix="tierdesk-contract-")
    keep = os.environ.get("TIERDESK_CONTRACT_KEEP") == "1"
    try:
        results = [run_identity(binary, schemathesis, directory, identity, email) for identity, email in IDENTITIES]
        problems = evaluate(results, allowed)
    finally:
        if keep:
            print(f"contract: reports and logs kept in {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
    if problems:
        print("\ncontract: FAILED:")
        for problem in problems:
            print(f"  - {problem}")
        sys.exit(1)
    print("contract: the server and the OpenAPI document agree")


if __name__ == "__main__":
    main()
