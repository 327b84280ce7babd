"""Backup, restore and export end to end on SQLite: `tierdesk backup` copies the database while `tierdesk serve`
takes a stream of new tickets, `tierdesk restore` puts the copy into a fresh database, and `tierdesk check`
shows the copy and the restore hold the same rows and the same event checksum. A restore never mixes
data into a database that holds some, and a backup never overwrites a file.

Run by scripts/test: `python3 Tests/cli/backup.py path/to/tierdesk`."""
import json
import os
import subprocess
import sys
import tempfile
import threading
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))
from e2e import Checks, free_port, stop_process, wait_until  # noqa: E402

BINARY = sys.argv[1]
check = Checks("backup")


def cli(env, *args):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, env=env, timeout=120)


def api(url, token, method="GET", body=None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read() or b"null")


def summary(line):
    """The counts and checksum of a backup, restore or check line."""
    return line.split(": ", 1)[1] if ": " in line else line.split(", ", 1)[1]


with tempfile.TemporaryDirectory() as directory:
    live = dict(os.environ, TIERDESK_DATABASE_URL=f"sqlite://{directory}/live.sqlite")
    # A dry run lists every migration of an empty database and changes nothing; after `migrate`, none.
    dry = cli(live, "migrate", "--dry-run")
    pending = dry.stdout.split()
    check(dry.returncode == 0 and pending[:2] == ["M001_CreateDirectory", "M002_CreateTickets"] and len(pending) >= 22,
          "migrate --dry-run lists every migration of an empty database", dry.stdout + dry.stderr)
    check(cli(live, "migrate", "--dry-run").stdout.split() == pending, "a dry run changes nothing")
    migrated = cli(live, "migrate")
    check(migrated.returncode == 0, "migrate brings the schema up to date", migrated.stderr)
    after = cli(live, "migrate", "--dry-run").stdout.strip()
    check(after == "The database is up to date.", "migrate --dry-run after migrate lists nothing", after)
    for args in (("organisation", "add", "--name", "BrightCart"),
                 ("user", "add", "--email", "sam@brightcart.test", "--name", "Sam", "--role", "requester", "--organisation", "BrightCart")):
        assert cli(live, *args).returncode == 0
    token = cli(live, "token", "issue", "--email", "sam@brightcart.test").stdout.strip()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(os.path.join(directory, "server.log"), "ab")
    server = subprocess.Popen([BINARY, "serve", "--host", "127.0.0.1", "--port", str(port)], env=live, stdout=log, stderr=log)
    try:
        def healthy():
            try:
                with urllib.request.urlopen(url + "/health", timeout=1) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(healthy, "the server to answer /health", timeout=60)
        created = []
        stop = threading.Event()

        def write():
            while not stop.is_set():
                status, ticket = api(url + "/api/v1/tickets", token, "POST",
                                     {"title": f"Checkout fails {len(created)}", "description": "HTTP 500 at checkout"})
                if status == 201:
                    created.append(ticket["reference"])

        writer = threading.Thread(target=write)
        writer.start()
        wait_until(lambda: len(created) >= 20, "tickets to be written")
        before = len(created)
        backup_path = os.path.join(directory, "backup.sqlite")
        taken = cli(live, "backup", "--to", backup_path)
        during = len(created)
        wait_until(lambda: len(created) >= during + 20, "more tickets after the backup")
        stop.set()
        writer.join()
        check(taken.returncode == 0 and "Backed up to" in taken.stdout, "a backup is taken while tickets are written", taken)
        counts = dict(item.rsplit(" ", 1) for item in summary(taken.stdout.strip()).split(", ") if not item.startswith("event"))
        in_backup = int(counts.get("tickets", "0"))
        check(before <= in_backup <= len(created) and in_backup < len(created),
                   "the backup holds the tickets written before it and not those after", (before, in_backup, len(created)))
        again = cli(live, "backup", "--to", backup_path)
        check(again.returncode != 0 and "never overwrites" in again.stderr, "a backup never overwrites a file", again)
    finally:
        stop_process(server)

    restored = dict(os.environ, TIERDESK_DATABASE_URL=f"sqlite://{directory}/restored/tierdesk.sqlite")
    done = cli(restored, "restore", "--from", backup_path)
    check(done.returncode == 0 and "Restored" in done.stdout, "the backup is restored into a new database", done)
    of_restore = cli(restored, "check")
    of_backup = cli(dict(os.environ, TIERDESK_DATABASE_URL=f"sqlite://{backup_path}"), "check")
    check(of_restore.returncode == 0 and of_restore.stdout.startswith("integrity ok"), "the restored database is intact", of_restore)
    check(summary(of_restore.stdout.strip()) == summary(of_backup.stdout.strip()) == summary(taken.stdout.strip()),
               "the restore holds the backup's rows and event checksum", (of_restore.stdout, of_backup.stdout))
    refused = cli(live, "restore", "--from", backup_path)
    check(refused.returncode != 0 and "already holds data" in refused.stderr, "a restore into a database with data is refused", refused)
    missing = cli(restored, "restore", "--from", os.path.join(directory, "nothing.sqlite"))
    check(missing.returncode != 0 and "does not exist" in missing.stderr, "a missing backup file is named", missing)

    # The restored database exports the customer's data for a data request.
    folder = os.path.join(directory, "export")
    exported = cli(restored, "export", "--organisation", "brightcart", "--to", folder)
    check(exported.returncode == 0 and f"{in_backup} tickets" in exported.stdout, "tierdesk export writes the organisation's tickets", exported)
    with open(os.path.join(folder, "tickets.json"), encoding="utf-8") as f:
        check(len(json.load(f)) == in_backup, "tickets.json holds every ticket of the organisation", folder)
    again = cli(restored, "export", "--organisation", "BrightCart", "--to", folder)
    check(again.returncode != 0 and "is not empty" in again.stderr, "an export never writes into a folder that holds files", again)
    unknown = cli(restored, "export", "--organisation", "Initech", "--to", os.path.join(directory, "other"))
    check(unknown.returncode != 0 and "there are: BrightCart" in unknown.stderr, "an unknown organisation is named with the known ones", unknown)
sys.exit(1 if check.failed else 0)
