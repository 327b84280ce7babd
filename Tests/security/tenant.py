"""Tenant isolation: a ticket someone may not see answers 404 on every path, read or write, API or page,
before anything else about the request (its version, its body) is looked at; and path tricks reach no
ticket they should not.

Demo people: Sam (BrightCart, which does not share tickets) owns the target ticket. Jonas is a requester of
another organisation (Kessler), Lee a requester of Sam's own organisation (no sharing), Vera a vendor contact
whose vendor the ticket was never escalated to.
"""
from lib import unique

ATTACKERS = ("jonas", "lee", "vera")


def write_paths(reference, version, attachment_id):
    """Every write on one ticket, with a body that would be valid for someone allowed to make it."""
    base = f"/api/v1/tickets/{reference}"
    return [
        ("PATCH version only [#1]", "PATCH", base, {"version": version}),
        ("PATCH title", "PATCH", base, {"version": version, "title": "taken over"}),
        ("PATCH stale version", "PATCH", base, {"version": version + 7, "title": "taken over"}),
        ("status change", "POST", f"{base}/status", {"status": "resolved", "version": version, "comment": "x", "resolution": "solved"}),
        ("status change, stale version", "POST", f"{base}/status", {"status": "closed", "version": 999}),
        ("public reply", "POST", f"{base}/replies", {"body": "injected reply"}),
        ("internal note", "POST", f"{base}/notes", {"body": "injected note"}),
        ("data correction", "POST", f"{base}/corrections", {"target": "title", "change": "x", "reason": "y"}),
        ("escalation", "POST", f"{base}/escalations", {"version": version, "reason": "x", "tried": "y", "noEvidenceReason": "z"}),
        ("escalation, stale version", "POST", f"{base}/escalations", {"version": 999, "reason": "x"}),
        ("de-escalation", "POST", f"{base}/deescalations", {"version": version, "note": "x"}),
        ("workaround", "POST", f"{base}/workaround", {"version": version, "description": "reboot", "downgrade": True}),
        ("workaround, stale version", "POST", f"{base}/workaround", {"version": 999, "description": "reboot"}),
        ("known-error link", "POST", f"{base}/known-error", {"version": version, "knownError": "KE-1", "resolve": True}),
        ("known-error link, stale version", "POST", f"{base}/known-error", {"version": 999, "knownError": "KE-1"}),
        ("logged work", "POST", f"{base}/work", {"start": "2026-01-01T08:00:00Z", "end": "2026-01-01T09:00:00Z", "note": "x"}),
    ]


def read_paths(reference, attachment_id):
    base = f"/api/v1/tickets/{reference}"
    return [base, f"{base}/events", f"{base}/sla", f"{base}/attachments", f"{base}/attachments/{attachment_id}", f"{base}/suggestions"]


def run(desk, check):
    sam = desk.api("sam")
    title = f"Tenant target {unique()}"
    target = desk.open_ticket(sam, title=title)
    reference = target["reference"]
    upload = sam.post(f"/api/v1/tickets/{reference}/attachments?filename=invoice.pdf", raw=b"%PDF-1.4 secret", content_type="application/pdf")
    check(upload.status == 201, "the owner uploads a file (setup)", upload)
    attachment_id = upload.json()["id"] if upload.status == 201 else "00000000-0000-0000-0000-000000000000"
    before = sam.get(f"/api/v1/tickets/{reference}").json()
    events_before = len(desk.events(reference))

    # Positive control: the owner reads it; Kessler shares tickets, so Petra reads Jonas's.
    check(sam.get(f"/api/v1/tickets/{reference}").status == 200, "the owner reads the ticket (control)")
    kessler = desk.open_ticket(desk.api("jonas"))
    check(desk.api("petra").get(f"/api/v1/tickets/{kessler['reference']}").status == 200,
          "a requester of an organisation that shares tickets reads a colleague's ticket (control)")

    for who in ATTACKERS:
        api = desk.api(who)
        for path in read_paths(reference, attachment_id):
            answer = api.get(path)
            check(answer.status == 404, f"{who}: GET {path.replace(reference, 'hidden')} answers 404", answer)
        nowhere = "TD-99999999"
        for label, method, path, body in write_paths(reference, before["version"], attachment_id):
            answer = api.call(method, path, body)
            # A refusal by role alone (the same answer as for a ticket that does not exist) reveals nothing either.
            absent = api.call(method, path.replace(reference, nowhere), body)
            same_as_absent = answer.status == absent.status and answer.json() == absent.json()
            check((answer.status == 404 or (answer.status == 403 and same_as_absent)) and reference not in answer.text.replace(f"No ticket {reference}", ""),
                  f"{who}: {label} on a hidden ticket answers 404 without the ticket", answer)
        upload = api.post(f"/api/v1/tickets/{reference}/attachments?filename=x.txt", raw=b"x", content_type="text/plain")
        check(upload.status == 404, f"{who}: attachment upload on a hidden ticket answers 404", upload)
        listed = api.get(f"/api/v1/tickets?q={title.split()[-1]}")
        check(listed.status == 200 and not listed.json()["items"], f"{who}: the ticket list does not find the hidden ticket by its title", listed)
        by_org = api.get(f"/api/v1/tickets?organisation={desk.organisations['BrightCart']}")
        check(by_org.status in (200, 400, 403) and reference not in by_org.text, f"{who}: filtering by the victim's organisation shows nothing of it", by_org)

    after = sam.get(f"/api/v1/tickets/{reference}").json()
    check(after["version"] == before["version"] and after["title"] == before["title"] and after["status"] == before["status"],
          "the hidden ticket is unchanged after every attempt", (before["version"], after["version"], after["title"], after["status"]))
    check(len(desk.events(reference)) == events_before, "no event was added to the hidden ticket", len(desk.events(reference)) - events_before)
    listed = sam.get(f"/api/v1/tickets/{reference}/attachments").json()
    check(len(listed) == 1, "no file was added to the hidden ticket", [a.get("filename") for a in listed])

    # The attachment id of the hidden ticket, asked for through a ticket the attacker may see.
    stolen = desk.api("jonas").get(f"/api/v1/tickets/{kessler['reference']}/attachments/{attachment_id}")
    check(stolen.status == 404 and b"%PDF" not in stolen.body, "another ticket's attachment id through one's own ticket answers 404", stolen)

    pages(desk, check, reference)
    path_tricks(desk, check, reference, kessler["reference"])
    person_data(desk, check)
    internal_notes(desk, check)
    own_ticket_fields(desk, check)


def pages(desk, check, reference):
    """The portal and the console answer 404 (or send non-staff away) for a hidden ticket."""
    jonas = desk.browser()
    login = jonas.login(desk.emails["jonas"])
    check(login.status == 303 and jonas.session, "Jonas logs in to the portal (setup)", login)
    page = jonas.get(f"/portal/tickets/{reference}")
    check(page.status == 404 and "Tenant target" not in page.text, "portal: another organisation's ticket page answers 404", page.status)
    portal = jonas.get("/portal")
    csrf = jonas.csrf_in(portal)
    reply = jonas.post_form(f"/portal/tickets/{reference}/reply", {"_csrf": csrf or "", "body": "injected through the portal"})
    check(reply.status == 404, "portal: a reply with a valid form token on another organisation's ticket answers 404", reply.status)
    console = jonas.get(f"/console/tickets/{reference}")
    check(console.status in (303, 403, 404) and "Tenant target" not in console.text, "console: a requester is not shown the ticket page", console.status)
    status = jonas.post_form(f"/console/tickets/{reference}/status", {"_csrf": csrf or "", "version": "1", "status": "closed"})
    check(status.status in (303, 403, 404) and status.header("Location") != f"/console/tickets/{reference}?notice=status",
          "console: a requester's status form on a hidden ticket changes nothing", (status.status, status.header("Location")))
    note = jonas.post_form(f"/console/tickets/{reference}/note", {"_csrf": csrf or "", "body": "injected note"})
    check(note.status in (303, 403, 404) and "notice=noted" not in str(note.header("Location")),
          "console: a requester's note form on a hidden ticket changes nothing", (note.status, note.header("Location")))
    bodies = [e.get("body") or "" for e in desk.events(reference)]
    check(not any("injected" in b for b in bodies), "nothing from the pages reached the hidden ticket", bodies)

    vera = desk.browser()
    vera.login(desk.emails["vera"])
    page = vera.get(f"/portal/tickets/{reference}")
    check(page.status == 404, "portal: a vendor contact gets 404 for a ticket never escalated to the vendor", page.status)


def path_tricks(desk, check, hidden, own):
    """Encoded slashes, dot segments and spellings of the reference reach nothing hidden and never fail."""
    jonas = desk.api("jonas")
    number = hidden.split("-")[1]
    tricks = [
        f"/api/v1/tickets/..%2f..",
        f"/api/v1/tickets/..%2F..%2Fpeople",
        f"/api/v1/tickets/{own}/../{hidden}",
        f"/api/v1/tickets/{own}/..%2f{hidden}",
        f"/api/v1/tickets/{own}%2f..%2f{hidden}",
        f"/api/v1/tickets/%2e%2e/tickets/{hidden}",
        f"/api/v1/tickets/{hidden.lower()}",
        f"/api/v1/tickets/td-{int(number):08d}",
        f"/api/v1/tickets/%54D-{number}",
        f"/api/v1/tickets/TD-{number}%00",
        f"/api/v1/tickets/TD-{number}%20",
        f"/api/v1/tickets/TD-{number}?reference=TD-1",
        f"/api/v1/tickets//{hidden}",
        f"/api/v1//tickets/{hidden}",
        f"/api/v1/tickets/{hidden}/",
        f"/api/v1/tickets/{hidden};x=1",
        f"/api/v1/integrations/../tickets/{hidden}",
        f"/api/v1/tickets/TD-{number}{'0' * 30}",
        f"/api/v1/tickets/TD-99999999999999999999",
        f"/api/v1/tickets/TD--{number}",
        f"/api/v1/tickets/TD-+{number}",
        f"/api/v1/tickets/TD-{number}.json",
        f"/api/v1/tickets/TD-%D9%A1{number}",
    ]
    for path in tricks:
        answer = jonas.get(path)
        leaked = answer.status == 200 and f'"reference":"{hidden}"' in answer.text.replace(" ", "")
        check(not leaked and answer.status < 500, f"path trick {path} reaches no hidden ticket and does not fail", answer)
    for path in [f"/portal/tickets/{own}/../{hidden}", f"/portal/tickets/{own}%2f..%2f{hidden}", f"/portal/tickets/{hidden.lower()}",
                 f"/portal/tickets/%54D-{number}", f"/console/..%2fportal/tickets/{hidden}"]:
        answer = jonas.http.request("GET", path, headers={"Authorization": f"Bearer {jonas.token}"})
        check(answer.status < 500 and "Tenant target" not in answer.text, f"page path trick {path} shows no hidden ticket", answer.status)


def person_data(desk, check):
    """The directory is staff-only; a requester cannot read other people or another organisation."""
    jonas = desk.api("jonas")
    sam_id = desk.person_id("sam")
    for path in ["/api/v1/people", f"/api/v1/people/{sam_id}", f"/api/v1/organisations/{desk.organisations['BrightCart']}",
                 "/api/v1/outbox", "/api/v1/settings/webhooks", "/api/v1/settings/integrations", "/api/v1/settings/mail-intake",
                 "/api/v1/alerts", "/api/v1/triage/board"]:
        answer = jonas.get(path)
        check(answer.status in (403, 404) and "sam.ortiz" not in answer.text, f"a requester is refused {path}", answer)
    me = jonas.get("/api/v1/me")
    check(me.status == 200 and "passwordHash" not in me.text and "password" not in me.text.lower(), "/api/v1/me carries no password material", me)
    token_list = desk.admin.get("/api/v1/tokens")
    check(token_list.status == 200 and "tdt_" not in token_list.text and desk.tokens["admin"] not in token_list.text,
          "token lists never show a token's secret", token_list.text[:200])


def internal_notes(desk, check):
    """Requesters and vendor contacts never see internal notes, on the API or the portal."""
    sam = desk.api("sam")
    ticket = desk.open_ticket(sam)
    reference = ticket["reference"]
    secret = unique("internal")
    note = desk.api("anna").post(f"/api/v1/tickets/{reference}/notes", {"body": f"Internal only {secret}"})
    check(note.status == 201, "an agent adds an internal note (setup)", note)
    events = sam.get(f"/api/v1/tickets/{reference}/events")
    check(events.status == 200 and secret not in events.text and "internal_note" not in events.text,
          "the requester's history of the ticket leaves the internal note out", events.text[:300])
    browser = desk.browser()
    browser.login(desk.emails["sam"])
    page = browser.get(f"/portal/tickets/{reference}")
    check(page.status == 200 and secret not in page.text, "the portal page leaves the internal note out", page.status)
    vera = desk.api("vera")
    visible = vera.get("/api/v1/tickets").json()["items"]
    for item in visible[:3]:
        history = vera.get(f"/api/v1/tickets/{item['reference']}/events")
        check(history.status == 200 and "internal_note" not in history.text,
              f"the vendor contact's history of escalated {item['reference']} holds no internal notes", history.text[:200])


def own_ticket_fields(desk, check):
    """A requester may not hand their ticket to a vendor, an owner, a tier or a severity, nor promote themselves."""
    jonas = desk.api("jonas")
    ticket = desk.open_ticket(jonas)
    reference = ticket["reference"]
    vendors = desk.admin.get("/api/v1/vendors").json()
    changes = [("vendorId", {"vendorId": vendors[0]["id"]}), ("ownerId", {"ownerId": desk.person_id("chen")}),
               ("severity", {"severity": "Sev1"}), ("tier", {"tier": "L3"}), ("group", {"group": "MES engineering"})]
    for field, change in changes:
        version = desk.ticket(reference)["version"]
        answer = jonas.patch(f"/api/v1/tickets/{reference}", {"version": version, **change})
        after = desk.ticket(reference)
        kept = {"vendorId": after["vendorId"], "ownerId": after["ownerId"], "severity": after["severity"] == "Sev1",
                "tier": after["tier"] == "L3", "group": after["group"]}[field]
        check(answer.status in (403, 404, 422) and not kept, f"a requester cannot set {field} on their own ticket", answer)
    check(desk.api("vera").get(f"/api/v1/tickets/{reference}").status == 404, "the vendor still cannot see the requester's ticket")
    escalate = jonas.post(f"/api/v1/tickets/{reference}/escalations", {"version": desk.ticket(reference)["version"], "reason": "now", "noEvidenceReason": "x", "tried": "y"})
    check(escalate.status in (403, 404, 422) and desk.ticket(reference)["tier"] == "L1", "a requester cannot escalate their own ticket", escalate)
    me = desk.person_id("jonas")
    for body in [{"roles": ["admin"]}, {"organisationId": desk.organisations["BrightCart"]}, {"active": True, "roles": ["agent"], "tier": "L3"}]:
        answer = jonas.patch(f"/api/v1/people/{me}", body)
        check(answer.status in (403, 404), f"a requester cannot change their own account with {sorted(body)}", answer)
    check(desk.api("jonas").get("/api/v1/people").status in (403, 404), "the requester is still no staff")
    created = desk.api("anna").post("/api/v1/people", {"email": f"{unique('x')}@x.example", "name": "x", "roles": ["admin"], "password": "a long password 1"})
    check(created.status in (403, 404), "an agent cannot create an admin", created)
    maria = desk.api("maria").get("/api/v1/notifications").json()
    if maria:
        mark = desk.api("jonas").post(f"/api/v1/notifications/{maria[0]['id']}/read")
        check(mark.status == 404, "a requester cannot mark a manager's notification read", mark)
