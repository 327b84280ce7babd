"""Alert intake under replay: the same alert sent again, or many times at once, opens one ticket; a late copy
of an ended episode opens nothing; each integration token opens its own door only; alert tickets stay
internal.
"""
import concurrent.futures
import datetime

from lib import API, unique


def now(offset=0):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def token(desk, kind):
    answer = desk.admin.post("/api/v1/settings/integrations", {"kind": kind, "name": f"security-{kind}-{unique()}"})
    assert answer.status == 201, answer
    return answer.json()["id"], API(desk.http, answer.json()["token"])


def event(key, action="trigger", summary="Backup failed"):
    return {"event_action": action, "dedup_key": key,
            "payload": {"summary": summary, "source": "db-1", "severity": "critical", "timestamp": now()}}


def alertmanager(fingerprint, status="firing", starts=None, name="DiskFull"):
    return {"version": "4", "status": status, "receiver": "tierdesk", "groupKey": "{}:{}", "alerts": [{
        "status": status, "labels": {"alertname": name, "severity": "warning", "instance": "db-1"},
        "annotations": {"summary": "Disk almost full"}, "startsAt": starts or now(-60),
        "endsAt": now() if status == "resolved" else "0001-01-01T00:00:00Z", "fingerprint": fingerprint}]}


def run(desk, check):
    events_id, events = token(desk, "events")
    _, manager = token(desk, "alertmanager")

    key = unique("replay")
    first = events.post("/api/v1/integrations/events", event(key))
    second = events.post("/api/v1/integrations/events", event(key))
    check(first.status == 202 and first.json().get("outcome") == "opened", "an alert opens a ticket", first)
    check(second.status == 202 and second.json().get("outcome") == "repeated" and second.json().get("ticket") == first.json().get("ticket"),
          "the same alert replayed is counted on the same ticket", second)

    burst = unique("burst")
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: events.post("/api/v1/integrations/events", event(burst)), range(8)))
    outcomes = sorted((a.json() or {}).get("outcome", str(a.status)) for a in answers)
    tickets = {(a.json() or {}).get("ticket") for a in answers}
    check(outcomes.count("opened") == 1 and len(tickets) == 1 and all(a.status == 202 for a in answers),
          "eight copies of one alert at the same instant open one ticket", outcomes)

    fingerprint = unique("fp")
    starts = now(-120)
    fired = manager.post("/api/v1/integrations/alertmanager", alertmanager(fingerprint, starts=starts))
    doubled = manager.post("/api/v1/integrations/alertmanager", {**alertmanager(fingerprint, starts=starts),
                                                                 "alerts": alertmanager(fingerprint, starts=starts)["alerts"] * 3})
    check(fired.status == 200 and doubled.status == 200 and len({a.get("ticket") for a in fired.json()["alerts"] + doubled.json()["alerts"]}) == 1,
          "an Alertmanager alert repeated in one request and across requests has one ticket", (fired, doubled))
    resolved = manager.post("/api/v1/integrations/alertmanager", alertmanager(fingerprint, status="resolved", starts=starts))
    late = manager.post("/api/v1/integrations/alertmanager", alertmanager(fingerprint, starts=starts))
    check(resolved.status == 200 and late.status == 200 and late.json()["alerts"][0]["outcome"] == "ignored",
          "a late replay of an ended episode opens nothing", late)

    if first.status == 202:
        reference = first.json()["ticket"]
        check(desk.api("jonas").get(f"/api/v1/tickets/{reference}").status == 404, "a requester cannot see an alert ticket")

    person = desk.admin.post("/api/v1/integrations/events", event(unique()))
    check(person.status == 401, "a person's API token does not open the events endpoint", person)
    wrong_kind = manager.post("/api/v1/integrations/events", event(unique()))
    check(wrong_kind.status == 401, "an Alertmanager token does not open the events endpoint", wrong_kind)
    mailgate = desk.mailgate.post("/api/v1/integrations/alertmanager", alertmanager(unique()))
    check(mailgate.status == 401, "a mailgate token does not open the Alertmanager endpoint", mailgate)
    as_mail = events.post("/api/v1/mail/inbound", raw=b"From: x@y.test\r\n\r\nhi", content_type="message/rfc822")
    check(as_mail.status == 401, "an events token does not open the mail intake", as_mail)
    as_person = events.get("/api/v1/tickets")
    check(as_person.status == 401, "an integration token is not a person's token", as_person)
    revoked = desk.admin.delete(f"/api/v1/settings/integrations/{events_id}")
    after = events.post("/api/v1/integrations/events", event(unique()))
    check(revoked.status == 204 and after.status == 401, "a revoked integration token is refused at once", after)

    hostile = manager.post("/api/v1/integrations/alertmanager", alertmanager(unique(), name="Disk\r\nBcc: x@evil.test\u202e<script>"))
    if hostile.status == 200 and hostile.json()["alerts"][0].get("ticket"):
        ticket = desk.ticket(hostile.json()["alerts"][0]["ticket"])
        check(not any(ord(c) < 32 for c in ticket["title"]), "control characters in an alert name do not reach the ticket title", repr(ticket["title"]))
    else:
        check(400 <= hostile.status < 500, "an alert name with control characters is refused or cleaned", hostile)
