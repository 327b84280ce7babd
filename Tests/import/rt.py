"""`tierdesk import rt` against a real Request Tracker 5 (Debian's request-tracker5 with its SQLite backend and
standalone server) on loopback. The test sets RT up through its own API (rt_setup.pl), creates a few hundred
tickets through RT's REST2 API (requesters in five organisations, three queues, replies with text and binary
files, internal comments, status and owner changes, a custom field, links), then:

- a dry run reports every ticket and stores nothing;
- an import killed part-way and run again stores every ticket exactly once;
- each Tierdesk ticket matches its RT ticket: title, requester, organisation, status, owner, queue, custom
  field, creation instant, every message with its instant, author and text, every file byte for byte, links;
- a third run finds everything imported and changes nothing; imported open tickets have SLA deadlines and no
  alarm already past is pending; nothing was queued for mail.

Run by scripts/test: `python3 Tests/import/rt.py path/to/tierdesk`."""
import base64
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))
from e2e import Checks, free_port, stop_process, wait_until  # noqa: E402

BINARY = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
RT_SERVER = "/usr/share/request-tracker5/libexec/rt-server"
TICKETS = 300
check = Checks("import rt")

STATUS = {"new": "new", "open": "in_progress", "stalled": "on_hold", "resolved": "resolved", "rejected": "closed"}
QUEUES = ["General", "Hardware", "Network"]


def rt_config(directory, port):
    conf = os.path.join(directory, "conf")
    os.makedirs(conf)
    with open(os.path.join(conf, "50-test.pm"), "w") as out:
        out.write(f"""Set($rtname, 'import.test');
Set($Organization, 'import.test');
Set($Timezone, 'UTC');
Set($DatabaseType, 'SQLite');
Set($DatabaseName, '{directory}/rt.sqlite');
Set($WebPath, '');
Set($WebDomain, '127.0.0.1');
Set($WebPort, {port});
Set($WebBaseURL, 'http://127.0.0.1:{port}');
Set($LogToSTDERR, 'warning');
Set($LogToSyslog, undef);
Set($LogToFile, undef);
Set($MailCommand, 'testfile');
Set($BcryptCost, 4);
1;
""")
    return conf


class RT:
    def __init__(self, url, token):
        self.base = url + "/REST/2.0"
        self.token = token

    def call(self, method, path, body=None):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def items(self, path):
        items, page = [], 1
        while True:
            separator = "&" if "?" in path else "?"
            answer = self.call("GET", f"{path}{separator}per_page=100&page={page}")
            items += answer["items"]
            if page >= answer.get("pages", 1):
                return items
            page += 1


def binary_file(index):
    """A file with every byte value, so a text round trip would show."""
    return bytes(range(256)) * 3 + index.to_bytes(4, "big")


def create_tickets(rt):
    created = []
    for index in range(TICKETS):
        org, person = index % 5 + 1, index % 8 + 1
        body = {"Queue": QUEUES[index % 3], "Subject": f"Scanner {index} offline at line {index % 7}",
                "Requestor": f"user{person}@org{org}.example", "ContentType": "text/plain",
                "Content": f"Line {index % 7} scanner shows E-{1000 + index}.\nSince the morning shift.",
                "Priority": [0, 50, 90][index % 3], "CustomFields": {"Affected System": f"MES-{index % 4}"}}
        if index % 25 == 24:
            body["RefersTo"] = int(created[-3])
        if index % 40 == 39:
            body["DependsOn"] = [int(created[-1])]
        ticket = rt.call("POST", "/ticket", body)["id"]
        created.append(str(ticket))
        if index % 2 == 0:
            files = [{"FileName": f"scanner-{index}.log", "FileType": "text/plain",
                      "FileContent": base64.b64encode(f"E-{1000 + index} at 06:0{index % 10}\n".encode()).decode()}]
            if index % 10 == 0:
                files.append({"FileName": f"dump {index}.bin", "FileType": "application/octet-stream",
                              "FileContent": base64.b64encode(binary_file(index)).decode()})
            rt.call("POST", f"/ticket/{ticket}/correspond",
                    {"Content": f"Please restart the scanner service (ticket {index}).", "ContentType": "text/plain",
                     "Attachments": files})
        if index % 3 == 0:
            rt.call("POST", f"/ticket/{ticket}/comment",
                    {"Content": f"Internal: firmware 2.{index % 5} is known to hang.", "ContentType": "text/plain"})
        if index % 5 == 0:
            rt.call("PUT", f"/ticket/{ticket}", {"Owner": "alice" if index % 10 == 0 else "bob"})
        status = ["resolved", "open", "stalled", "new"][index % 4]
        if index % 50 == 49:
            status = "rejected"
        if status != "new":
            rt.call("PUT", f"/ticket/{ticket}", {"Status": status})
    return created


def rt_view(rt, ticket_id):
    """What Tierdesk must show of an RT ticket."""
    ticket = rt.call("GET", f"/ticket/{ticket_id}")
    history = rt.items(f"/ticket/{ticket_id}/history?fields=Type,Creator,Created")
    messages, files = [], []
    for transaction in history:
        if transaction["Type"] not in ("Create", "Correspond", "Comment"):
            continue
        parts = rt.items(f"/transaction/{transaction['id']}/attachments?fields=Filename,ContentType,Content")
        text = next((p["Content"] for p in parts if not p["Filename"] and p["ContentType"] == "text/plain"), "")
        messages.append((transaction["Type"], transaction["Created"], transaction["Creator"]["id"], text))
        for part in parts:
            if part["Filename"]:
                content = base64.b64decode(rt.call("GET", f"/attachment/{part['id']}")["Content"])
                files.append((part["Filename"], hashlib.sha256(content).hexdigest()))
    links = sorted((h["ref"], str(h["id"])) for h in ticket["_hyperlinks"]
                   if h.get("type") == "ticket" and h["ref"] != "self")
    fields = {f["name"]: ", ".join(f["values"]) for f in ticket["CustomFields"] if f["values"]}
    owner = ticket["Owner"]["id"]
    return {"subject": ticket["Subject"], "status": ticket["Status"], "requester": ticket["Requestor"][0]["id"],
            "owner": None if owner == "Nobody" else owner, "queue": ticket["Queue"]["id"],
            "created": ticket["Created"], "messages": messages, "files": sorted(files), "links": links,
            "fields": fields}


def iso(value):
    """An instant as RT writes it, from SQLite's stored seconds."""
    import datetime
    return datetime.datetime.fromtimestamp(float(value), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def tierdesk_view(db, ticket_id, rt_ids, emails):
    row = db.execute("SELECT id, title, status, requester_id, organisation_id, owner_id, group_name, created_at, "
                     "attributes FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
    events = db.execute("SELECT kind, at, actor_id, body FROM ticket_events WHERE ticket_id = ? ORDER BY seq",
                        (ticket_id,)).fetchall()
    files = db.execute("SELECT filename, data FROM attachments WHERE ticket_id = ?", (ticket_id,)).fetchall()
    links = db.execute("SELECT kind, ticket_id, target_id FROM ticket_links WHERE ticket_id = ? OR target_id = ?",
                       (ticket_id, ticket_id)).fetchall()
    names = {"refers_to": ("refers-to", "referred-to-by"), "depends_on": ("depends-on", "depended-on-by")}
    seen = []
    for kind, source, target in links:
        outgoing, incoming = names[kind]
        seen.append((outgoing, rt_ids[target]) if source == ticket_id else (incoming, rt_ids[source]))
    kinds = {"created": "Create", "public_reply": "Correspond", "internal_note": "Comment"}
    messages = []
    for kind, at, actor, body in events:
        if kind in kinds:
            messages.append((kinds[kind], iso(at), emails.get(actor, actor), body or ""))
    if messages:  # the request's text is the ticket's description
        description = db.execute("SELECT description FROM tickets WHERE id = ?", (ticket_id,)).fetchone()[0]
        messages[0] = messages[0][:3] + (description,)
    return {"title": row[1], "status": row[2], "requester": emails[row[3]], "organisation": row[4],
            "owner": emails.get(row[5]), "group": row[6], "created": iso(row[7]),
            "attributes": json.loads(row[8]), "messages": messages,
            "files": sorted((name, hashlib.sha256(data).hexdigest()) for name, data in files),
            "links": sorted(seen)}


with tempfile.TemporaryDirectory() as directory:
    os.chmod(directory, 0o755)
    rt_port = free_port()
    conf = rt_config(directory, rt_port)
    rt_env = dict(os.environ, RT_SITE_CONFIG_DIR=conf)
    setup = subprocess.run(["rt-setup-database-5", "--action", "init", "--skip-create"], env=rt_env,
                           capture_output=True, text=True, timeout=300)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    made = subprocess.run(["perl", os.path.join(HERE, "rt_setup.pl")], env=rt_env, capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]
    # The test's own tickets need none of RT's notifications; its scrips would only slow it down.
    with sqlite3.connect(f"{directory}/rt.sqlite") as rt_db:
        rt_db.execute("UPDATE Scrips SET Disabled = 1")
    rt_log = open(os.path.join(directory, "rt.log"), "ab")
    server = subprocess.Popen([RT_SERVER, "--port", str(rt_port)], env=rt_env, stdout=rt_log, stderr=rt_log,
                              cwd=directory)
    importer = None
    try:
        rt_url = f"http://127.0.0.1:{rt_port}"
        rt = RT(rt_url, token)

        def answering():
            try:
                return rt.call("GET", "/queues/all") is not None
            except (urllib.error.URLError, ConnectionError):
                return False
        wait_until(answering, "RT to answer", timeout=60)
        created = create_tickets(rt)
        check(len(created) == TICKETS, f"RT holds {TICKETS} tickets made through its REST2 API", len(created))

        tierdesk_env = dict(os.environ, TIERDESK_DATABASE_URL=f"sqlite://{directory}/tierdesk.sqlite",
                            TIERDESK_IMPORT_TOKEN=token)
        subprocess.run([BINARY, "migrate"], env=tierdesk_env, check=True, capture_output=True)
        command = [BINARY, "import", "rt", "--url", rt_url, "--organisation", "Walk-in customers"]

        started = time.monotonic()
        dry = subprocess.run(command + ["--dry-run"], env=tierdesk_env, capture_output=True, text=True, timeout=600)
        print(f"import rt: the dry run read {TICKETS} tickets in {time.monotonic() - started:.1f} s", flush=True)
        check(dry.returncode == 0 and f"tickets: {TICKETS} new" in dry.stdout, "a dry run reports every ticket",
              dry.stdout + dry.stderr)
        with sqlite3.connect(f"{directory}/tierdesk.sqlite") as db:
            stored = db.execute("SELECT (SELECT COUNT(*) FROM tickets) + (SELECT COUNT(*) FROM import_mappings)")
            check(stored.fetchone()[0] == 0, "a dry run stores nothing")

        # Killed once it has stored part of the tickets (the progress lines say how far it got).
        importer = subprocess.Popen(command, env=tierdesk_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True)
        for line in importer.stdout:
            if line.startswith("Importing tickets: ") and int(line.split()[2]) >= TICKETS // 3:
                importer.send_signal(signal.SIGKILL)
                break
        importer.wait()
        with sqlite3.connect(f"{directory}/tierdesk.sqlite") as db:
            part = db.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
        check(0 < part < TICKETS, "the first run was killed part-way", part)

        started = time.monotonic()
        second = subprocess.run(command, env=tierdesk_env, capture_output=True, text=True, timeout=600)
        print(f"import rt: the second run stored {TICKETS - part} tickets in {time.monotonic() - started:.1f} s",
              flush=True)
        check(second.returncode == 0
              and f"tickets: {TICKETS - part} new, {part} already imported, 0 not mapped" in second.stdout,
              "the second run imports the rest and skips what the first stored", second.stdout + second.stderr)
        check("Importing tickets: " in second.stdout, "progress is shown as plain lines off a terminal")

        db = sqlite3.connect(f"{directory}/tierdesk.sqlite")
        mapped = dict(db.execute("SELECT source_id, target_id FROM import_mappings WHERE kind = 'ticket'"))
        check(db.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == TICKETS and len(mapped) == TICKETS
              and set(mapped) == set(created), "every RT ticket is in Tierdesk exactly once")
        emails = dict(db.execute("SELECT id, email FROM people"))
        organisations = dict(db.execute("SELECT id, name FROM organisations"))
        groups = {"1": "General"}
        groups.update({q["id"]: q["Name"] for q in rt.items("/queues/all?fields=Name")})
        rt_ids = {target: source for source, target in mapped.items()}
        mismatches = []
        totals = {"messages": 0, "files": 0, "links": 0}
        for ticket_id in created:
            want = rt_view(rt, ticket_id)
            have = tierdesk_view(db, mapped[ticket_id], rt_ids, emails)
            # The request is dated when the ticket was (RT may write its Create transaction a second later);
            # root's address is not a usable one, so it gets a stand-in under .invalid.
            expected_messages = [(kind, want["created"] if kind == "Create" else at,
                                  f"root@rt-127-0-0-1-{rt_port}.invalid" if author == "root" else author, text)
                                 for kind, at, author, text in want["messages"]]
            differences = {
                "title": (want["subject"], have["title"]),
                "status": (STATUS[want["status"]], have["status"]),
                "requester": (want["requester"], have["requester"]),
                "organisation": ("Org " + want["requester"].split("@org")[1].split(".")[0],
                                 organisations[have["organisation"]]),
                "owner": (want["owner"] and want["owner"] + "@desk.example", have["owner"]),
                "group": (groups[want["queue"]], have["group"]),
                "created": (want["created"], have["created"]),
                "field": (want["fields"].get("Affected System"), have["attributes"].get("Affected_System")),
                "origin": (f"RT 127.0.0.1 #{ticket_id}", have["attributes"].get("importedFrom")),
                "messages": (expected_messages, have["messages"]),
                "files": (want["files"], have["files"]),
                "links": (want["links"], have["links"]),
            }
            for name, (expected, actual) in differences.items():
                if expected != actual:
                    mismatches.append((ticket_id, name, expected, actual))
            totals["messages"] += len(want["messages"])
            totals["files"] += len(want["files"])
            totals["links"] += len(want["links"])
        check(not mismatches, f"every ticket matches RT: {totals['messages']} messages, {totals['files']} files, "
              f"{totals['links']} link ends", mismatches[:3])
        check(totals["files"] >= TICKETS // 2 and totals["links"] >= 10, "the data set holds files and links", totals)

        third = subprocess.run(command, env=tierdesk_env, capture_output=True, text=True, timeout=600)
        check(third.returncode == 0 and f"tickets: 0 new, {TICKETS} already imported" in third.stdout
              and "people: 0 new" in third.stdout, "a third run finds everything imported", third.stdout)
        counts = db.execute("SELECT (SELECT COUNT(*) FROM tickets), (SELECT COUNT(*) FROM ticket_events), "
                            "(SELECT COUNT(*) FROM attachments), (SELECT COUNT(*) FROM ticket_links)").fetchone()
        check(counts[0] == TICKETS, "and stores nothing twice", counts)
        open_without_deadline = db.execute(
            "SELECT COUNT(*) FROM tickets WHERE status NOT IN ('resolved', 'closed') AND next_deadline IS NULL "
            "AND status NOT IN ('on_hold')").fetchone()[0]
        check(open_without_deadline == 0, "imported open tickets have SLA deadlines", open_without_deadline)
        past_pending = db.execute("SELECT COUNT(*) FROM sla_plans WHERE next_fire_at < ?",
                                  (db.execute("SELECT MAX(imported_at) FROM import_mappings").fetchone()[0],)
                                  ).fetchone()[0]
        check(past_pending == 0, "no SLA alarm already past is left to fire", past_pending)
        check(db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0, "nothing was queued for mail or webhooks")
    finally:
        if importer is not None and importer.poll() is None:
            importer.kill()
        stop_process(server)

sys.exit(1 if check.failed else 0)
