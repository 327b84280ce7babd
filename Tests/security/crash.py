"""The server killed with SIGKILL mid-work: mail being taken in is stored once or not at all (the mail
gateway's retry then stores it once), and mail being delivered arrives exactly once after the restart.
"""
import concurrent.futures
import threading

from lib import mail, unique, wait_until


def run(desk, check):
    during_intake(desk, check)
    during_delivery(desk, check)


def during_intake(desk, check):
    sender, _, _ = desk.add_requester("BrightCart", "crash")
    markers = [unique("crash") for _ in range(12)]
    raws = {m: mail(sender, f"Crash intake {m}", f"Body {m}", f"{m}@sender.test") for m in markers}
    answered = []
    lock = threading.Lock()

    def deliver(marker):
        try:
            answer = desk.inbound(raws[marker])
        except OSError as error:
            return marker, None, str(error)
        with lock:
            answered.append(marker)
        return marker, answer.status, answer.json()

    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        futures = [pool.submit(deliver, m) for m in markers]
        wait_until(lambda: answered, "a first mail to be taken", timeout=30, interval=0.005)
        desk.server.kill()
        first = [f.result() for f in futures]
    taken = [m for m, status, _ in first if status in (200, 201)]
    desk.server.start(demo=False)
    # The mail gateway hands every message over again: those it never got an answer for, and (at least once
    # delivery) the others too.
    second = {m: desk.inbound(raws[m]) for m in markers}
    bad = {m: (a.status, (a.json() or {}).get("outcome")) for m, a in second.items()
           if a.status not in (200, 201) or (a.json() or {}).get("outcome") not in ("created", "duplicate")}
    check(not bad, "after a kill during intake every message is taken again as new or duplicate", bad)
    repeated = [m for m in taken if (second[m].json() or {}).get("outcome") != "duplicate"]
    check(not repeated, "messages answered before the kill are duplicates after it", repeated)
    counts = {m: len(desk.admin.get(f"/api/v1/tickets?q={m}").json()["items"]) for m in markers}
    check(all(c == 1 for c in counts.values()), f"each of the 12 messages is exactly one ticket (taken before the kill: {len(taken)})",
          {m: c for m, c in counts.items() if c != 1})
    desk.wait_outbox("acknowledgements after the restart", timeout=60)
    twice = {m: len(desk.sink.answering(f"{m}@sender.test")) for m in markers}
    check(all(n <= 1 for n in twice.values()), "no message was acknowledged twice", {m: n for m, n in twice.items() if n > 1})


def during_delivery(desk, check):
    sender, _, _ = desk.add_requester("BrightCart", "held")
    desk.wait_outbox("the outbox to be empty before holding")
    desk.sink.held = 0
    desk.sink.hold = True
    try:
        ids = []
        for n in range(3):
            message_id = f"{unique('held')}@sender.test"
            answer = desk.inbound(mail(sender, f"Held delivery {n}", "x", message_id))
            check(answer.status == 201, f"held mail {n} is taken", answer)
            ids.append(message_id)
        wait_until(lambda: desk.sink.held > 0, "a delivery to be held by the SMTP server", timeout=30)
        desk.server.kill()
        # Released only once the held delivery has seen its client go away: released earlier, the SMTP server
        # would accept a message whose client died, which no sender can avoid sending again.
        wait_until(lambda: desk.sink.went_away >= desk.sink.held, "the held delivery to see the kill", timeout=30)
    finally:
        desk.sink.hold = False
    desk.server.start(demo=False)
    desk.wait_outbox("deliveries after the restart", timeout=60)
    counts = [len(desk.sink.answering(i)) for i in ids]
    check(counts == [1, 1, 1], "every acknowledgement held at the kill arrived exactly once after the restart", counts)
    statuses = {m["status"] for m in desk.outbox() if m["recipient"] == sender}
    check(statuses == {"delivered"}, "the outbox records them delivered", statuses)
