"""Incoming mail as an attacker writes it: senders disguised with encoded words, loop headers given twice,
mail from the desk's own mailbox, hostile attachment names, the same message delivered twice at once, a
sender flooding the desk, deep nesting, header injection into the mail Tierdesk sends back, markup, bounces.
"""
import base64
import concurrent.futures
import subprocess

import lib

from input import unsafe_name, HOSTILE_NAMES
from lib import DESK_ADDRESS, mail, rfc2047, rfc2231, unique, wait_until


def run(desk, check):
    desk.mail_intake()
    spoofed_sender(desk, check)
    repeated_loop_headers(desk, check)
    own_mailbox(desk, check)
    attachment_names(desk, check)
    simultaneous_deliveries(desk, check)
    flood(desk, check)
    nesting(desk, check)
    header_injection(desk, check)
    markup_and_bounces(desk, check)
    desk.mail_intake()


def replies_on(desk, reference):
    return [e for e in desk.events(reference) if e.get("kind") == "public_reply"]


def spoofed_sender(desk, check):
    """[#2] An address hidden in an encoded display name is a name, never the sender."""
    victim, _, _ = desk.add_requester("BrightCart", "victim")
    opened = desk.inbound(mail(victim, "Payroll export fails", "Since Monday."))
    check(opened.status == 201, "the victim opens a ticket by mail (setup)", opened)
    reference = opened.json()["ticket"]
    local, domain = victim.split("@")
    encoded_q = f"=?utf-8?q?{local}=40{domain.replace('.', '=2E')}=2C?="
    encoded_b = "=?utf-8?b?" + base64.b64encode(f"{victim},".encode()).decode() + "?="
    attacker = f"{unique('attacker')}@ext.test"
    disguises = [
        ("[#2] a q-encoded 'victim,' name", f"{encoded_q} <{attacker}>"),
        ("a b-encoded 'victim,' name", f"{encoded_b} <{attacker}>"),
        ("an encoded <victim> name", f"=?utf-8?q?=3C{local}=40{domain.replace('.', '=2E')}=3E?= <{attacker}>"),
        ("a quoted victim address as name", f"\"{victim}\" <{attacker}>"),
        ("an unquoted victim address as name", f"{victim} <{attacker}>"),
        ("a victim address as comment", f"{attacker} ({victim})"),
    ]
    for settings in ("refuse", "open"):
        if settings == "open":
            desk.mail_intake(unknownSenders="open", organisationId=desk.organisations["Kessler Automotive"])
        for label, sender in disguises:
            before = len(replies_on(desk, reference))
            marker = unique("spoof")
            answer = desk.inbound(mail(sender, f"Re: [{reference}] Payroll export fails", f"Attacker text {marker}"))
            outcome = answer.json() or {}
            joined = outcome.get("outcome") == "replied" or outcome.get("ticket") == reference or len(replies_on(desk, reference)) != before
            owner_ok = True
            if answer.status == 201:
                ticket = desk.ticket(outcome["ticket"])
                person = desk.admin.get(f"/api/v1/people/{ticket['requesterId']}").json()
                owner_ok = person.get("email") == attacker
            check(not joined and owner_ok and answer.status in (201, 403, 422),
                  f"{label} ({settings} intake) is treated as {attacker.split('@')[0]}@ext.test, not the victim",
                  f"{answer.status} {outcome} owner_ok={owner_ok}")
    only_encoded = desk.inbound(mail(encoded_q.replace("=2C", ""), f"Re: [{reference}] x", "no address at all"))
    check(only_encoded.status in (400, 403, 422) and only_encoded.json().get("outcome") is None and len(replies_on(desk, reference)) == 0,
          "a From with only an encoded address and no real one is refused, not read as the victim", only_encoded)
    desk.mail_intake()
    # The same disguise through `tierdesk mailgate`, as the MTA pipes it: bounced as the attacker's mail.
    fresh = f"{unique('attacker')}@ext.test"
    piped = subprocess.run([desk.server.binary, "mailgate", "--url", f"http://127.0.0.1:{desk.server.port}", "--token", desk.mailgate.token],
                           input=mail(f"{encoded_q} <{fresh}>", f"Re: [{reference}] Payroll export fails", "piped"), capture_output=True, timeout=60)
    check(piped.returncode == 65 and fresh.encode() in piped.stderr and victim.encode() not in piped.stderr,
          "[#2] mailgate bounces the disguised mail as the attacker's (refused intake)", (piped.returncode, piped.stdout[-200:], piped.stderr[-300:]))

    # Known requesters of another organisation cannot join a ticket by its tag or by our Message-ID.
    outsider, _, _ = desk.add_requester("Kessler Automotive", "outsider")
    wait_until(lambda: desk.sink.to(victim), "the victim's acknowledgement", timeout=20)
    ack = desk.sink.to(victim)[0][3]
    for label, extra in [("subject tag", ""), ("In-Reply-To our Message-ID", f"In-Reply-To: {ack['Message-ID']}\r\nReferences: {ack['Message-ID']}\r\n")]:
        answer = desk.inbound(mail(outsider, f"Re: [{reference}] Payroll", "outsider text", extra=extra))
        check(answer.status == 201 and answer.json().get("ticket") != reference,
              f"another organisation's requester replying by {label} opens a ticket of their own", answer)
    check(not replies_on(desk, reference), "the victim's ticket has no reply from anyone else", replies_on(desk, reference))


def repeated_loop_headers(desk, check):
    """[#3] A loop header given twice counts whichever value says 'automatic'."""
    sender, _, _ = desk.add_requester("BrightCart", "loop")
    control_id = f"{unique('control')}@sender.test"
    control = desk.inbound(mail(sender, "A person writes", "Hello.", control_id))
    check(control.status == 201 and control.json().get("autoReply") == "allowed", "a plain mail may be answered (control)", control)
    cases = [
        ("[#3] Precedence: normal then bulk", "Precedence: normal\r\nPrecedence: bulk\r\n"),
        ("[#3] Auto-Submitted: no then auto-replied", "Auto-Submitted: no\r\nAuto-Submitted: auto-replied\r\n"),
        ("Precedence: bulk then normal", "Precedence: bulk\r\nPrecedence: normal\r\n"),
        ("[#3] Precedence: normal then list, folded", "Precedence: normal\r\nPRECEDENCE:\r\n  list\r\n"),
        ("[#3] Auto-Submitted: no then auto-generated in capitals", "Auto-Submitted: no\r\nauto-submitted: Auto-Generated\r\n"),
        ("Auto-Submitted as an encoded word", "Auto-Submitted: =?utf-8?q?auto-replied?=\r\n"),
    ]
    ids = []
    for label, extra in cases:
        message_id = f"{unique('loop')}@sender.test"
        answer = desk.inbound(mail(sender, f"Automatic {unique()}", "I am away.", message_id, extra=extra))
        auto = (answer.json() or {}).get("autoReply") or ""
        check(answer.status in (200, 201) and auto.startswith("suppressed"), f"{label}: the intake reports the answer suppressed", answer)
        ids.append((label, message_id))
    desk.wait_outbox("acknowledgements to be sent")
    check(bool(desk.sink.answering(control_id)), "the control mail was acknowledged through SMTP")
    for label, message_id in ids:
        check(not desk.sink.answering(message_id), f"{label}: no acknowledgement reached the SMTP server", len(desk.sink.answering(message_id)))


def own_mailbox(desk, check):
    """[#4] Mail claiming to come from the desk's own mailbox opens nothing and is never answered."""
    desk.mail_intake(unknownSenders="open", organisationId=desk.organisations["BrightCart"])
    variants = [f"Tierdesk Service Desk <{DESK_ADDRESS}>", DESK_ADDRESS.upper(), f"<{DESK_ADDRESS}>", f"Someone <{DESK_ADDRESS.replace('support', 'Support')}>"]
    for sender in variants:
        message_id = f"{unique('own')}@elsewhere.test"
        answer = desk.inbound(mail(sender, f"Looks like us {unique()}", "A fresh message from our own address.", message_id))
        outcome = answer.json() or {}
        check(answer.status in (200, 202) and outcome.get("outcome") in ("ignored", "duplicate") and not outcome.get("ticket"),
              f"[#4] From: {sender} with a fresh Message-ID opens no ticket", answer)
    desk.mail_intake()
    desk.wait_outbox()
    to_desk = desk.sink.to(DESK_ADDRESS)
    check(not to_desk, "[#4] nothing was sent to the desk's own mailbox", [m[3]["Subject"] for m in to_desk])
    people = desk.admin.get("/api/v1/people").json()
    check(not [p for p in people if p["email"].lower() == DESK_ADDRESS], "[#4] no account was made for the desk's own mailbox")


def multipart_with_files(sender, names, message_id=None):
    boundary = "b-" + unique()
    parts = [f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFiles attached.\r\n"]
    for i, name in enumerate(names):
        encoded = rfc2231(name)
        style = i % 3
        if style == 0:
            disposition = f"attachment; filename*={encoded}"
            ctype = "application/octet-stream"
        elif style == 1:
            disposition = "attachment"
            ctype = f"application/octet-stream; name=\"{rfc2047(name)}\""
        else:
            disposition = f"attachment; filename=\"{rfc2047(name)}\""
            ctype = "text/plain"
        parts.append(f"--{boundary}\r\nContent-Type: {ctype}\r\nContent-Disposition: {disposition}\r\n"
                     f"Content-Transfer-Encoding: base64\r\n\r\n{base64.b64encode(b'file ' + str(i).encode()).decode()}\r\n")
    body = "".join(parts) + f"--{boundary}--"
    return mail(sender, "Files with odd names", body, message_id, content_type=f"multipart/mixed; boundary=\"{boundary}\"")


def attachment_names(desk, check):
    """[#5] File names in mail lose format characters, paths and device names, whatever encoding carries them."""
    sender, _, _ = desk.add_requester("BrightCart", "files")
    names = HOSTILE_NAMES[:18]
    answer = desk.inbound(multipart_with_files(sender, names))
    check(answer.status == 201, "a mail with 18 oddly named files is taken", answer)
    if answer.status != 201:
        return
    files = desk.admin.get(f"/api/v1/tickets/{answer.json()['ticket']}/attachments").json()
    check(len(files) == len(names), "every file of the mail was kept", len(files))
    for stored in files:
        problem = unsafe_name(stored["filename"])
        check(problem is None, f"[#5] mail file name {stored['filename']!r} is safe", problem)


def simultaneous_deliveries(desk, check):
    """[#9] The same Message-ID delivered at the same instant opens one ticket; the rest are duplicates."""
    sender, _, _ = desk.add_requester("BrightCart", "twice")
    for round_number in range(3):
        raw = mail(sender, f"Delivered twice {round_number}", "Same bytes.", f"{unique('same')}@sender.test")
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda _: desk.inbound(raw), range(4)))
        statuses = sorted(a.status for a in answers)
        outcomes = sorted((a.json() or {}).get("outcome", str(a.status)) for a in answers)
        tickets = {(a.json() or {}).get("ticket") for a in answers}
        check(outcomes == ["created", "duplicate", "duplicate", "duplicate"] and len(tickets) == 1 and all(s in (200, 201) for s in statuses),
              f"[#9] four simultaneous deliveries of one message (round {round_number + 1}): one ticket, three duplicates, no 5xx",
              list(zip(statuses, outcomes)))


def flood(desk, check):
    """[#13] One sender opening many tickets quickly: the excess is kept but opens no more tickets."""
    sender, _, _ = desk.add_requester("BrightCart", "flood")
    count = 40
    markers = [unique("flood") for _ in range(count)]

    def send(marker):
        return marker, desk.inbound(mail(sender, f"Flood {marker}", f"Body {marker}", f"{marker}@sender.test"))

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, markers))
    failed = [(m, a.status) for m, a in answers if a.status not in (200, 201, 202)]
    check(not failed, f"[#13] all {count} mails of one sender are taken (2xx), none bounced or failed", failed[:5])
    created = [a for _, a in answers if (a.json() or {}).get("outcome") == "created"]
    check(len(created) < count, f"[#13] {count} mails in a burst from one sender do not open {count} tickets", f"{len(created)} created")
    limit = desk.admin.get("/api/v1/settings/mail-intake").json().get("newTicketsPerHour")
    if isinstance(limit, int):
        check(len(created) <= limit, f"[#13] six deliveries at a time from one sender still open at most the limit of {limit} tickets",
              f"{len(created)} created")
    kept = [(m, a.json()) for m, a in answers if a.status < 300 and (a.json() or {}).get("outcome") != "created"]
    silent = [(m, o) for m, o in kept if o.get("outcome") in ("ignored", "duplicate") or not (o.get("ticket") or o.get("reason"))]
    check(not silent, "[#13] the answer for each mail over the limit says where it was kept", silent[:3])
    lost = []
    for marker, outcome in kept:
        if outcome.get("ticket"):
            bodies = " ".join(e.get("body") or "" for e in desk.events(outcome["ticket"]))
            if marker not in bodies:
                lost.append((marker, outcome))
    check(not lost, "[#13] the text of every mail over the limit is on the ticket the answer names", lost[:3])
    desk.wait_outbox()
    answered = [m for m, _ in kept if desk.sink.answering(f"{m}@sender.test")]
    check(not answered, "[#13] mail over the limit gets no automatic answer", answered[:3])


def nested(depth, text="Deep text."):
    body = f"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    for level in range(depth):
        boundary = f"level{level}"
        body = f"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n{body}\r\n--{boundary}--\r\n"
    return body


def nesting(desk, check):
    """[#14] A legal mail nested more than ten multipart levels deep is taken; absurd nesting does not crash."""
    sender, _, _ = desk.add_requester("BrightCart", "deep")
    for depth in (11, 14, 25):
        tree = nested(depth, f"Deep text {depth}.")
        raw = (f"From: {sender}\r\nTo: {DESK_ADDRESS}\r\nSubject: Nested {depth}\r\nMessage-ID: <{unique('deep')}@sender.test>\r\n"
               f"MIME-Version: 1.0\r\n{tree}").encode()
        answer = desk.inbound(raw)
        check(answer.status == 201, f"[#14] a mail nested {depth} multipart levels deep is taken", answer)
    tree = nested(3000)
    raw = (f"From: {sender}\r\nTo: {DESK_ADDRESS}\r\nSubject: Nested 3000\r\nMessage-ID: <{unique('deep')}@sender.test>\r\n"
           f"MIME-Version: 1.0\r\n{tree}").encode()
    answer = desk.inbound(raw)
    check(answer.status < 500 and desk.server.alive(), "a mail nested 3,000 levels deep is answered without a crash", answer)
    oversize = desk.inbound(mail(sender, "Too big", "x" * (25 * 1024 * 1024 + 10)))
    check(oversize.status == 413 and desk.server.alive(), "a mail over 25 MiB answers 413", oversize)
    boundary_bomb = ("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" * 5000) + "--b--\r\n"
    raw = mail(sender, "Many parts", boundary_bomb, content_type="multipart/mixed; boundary=b")
    answer = desk.inbound(raw)
    check(answer.status in (201, 413, 422) and desk.server.alive(), "a mail with 5,000 parts is refused or taken, without a crash", answer)


def header_injection(desk, check):
    """CR/LF in a subject or a name never becomes a header of the mail Tierdesk sends."""
    sender, _, _ = desk.add_requester("BrightCart", "inject")
    evil = f"{unique('evil')}@attacker.test"
    subject = f"=?utf-8?q?Printer_down=0D=0ABcc:_{evil.replace('@', '=40')}=0D=0AX-Injected:_1?="
    message_id = f"{unique('inj')}@sender.test"
    answer = desk.inbound(mail(sender, subject, "Body.", message_id))
    check(answer.status == 201, "a mail with CR/LF encoded in its subject is taken", answer)

    desk.mail_intake(unknownSenders="open", organisationId=desk.organisations["BrightCart"])
    stranger = f"{unique('stranger')}@ext.test"
    name_id = f"{unique('inj')}@ext.test"
    named = desk.inbound(mail(f"=?utf-8?q?Eve=0D=0ABcc:_{evil.replace('@', '=40')}=0D=0AX-Injected:_2?= <{stranger}>", "Hello", "Body.", name_id))
    check(named.status == 201, "a stranger with CR/LF encoded in the name opens a ticket (open intake)", named)
    desk.mail_intake()

    agent_reply = None
    if answer.status == 201:
        reference = answer.json()["ticket"]
        agent_reply = desk.api("anna").post(f"/api/v1/tickets/{reference}/replies", {"body": f"Fixed.\r\nBcc: {evil}\r\n\r\nX-Injected: 3"})
        check(agent_reply.status == 201, "an agent's reply with header-like lines is taken", agent_reply)
    desk.wait_outbox("the answers to be sent")
    sent = desk.sink.to(sender) + desk.sink.to(stranger)
    check(len(sent) >= 3, "the acknowledgements and the reply reached the SMTP server", len(sent))
    for mail_from, rcpts, raw, parsed in sent:
        head = raw.split(b"\r\n\r\n", 1)[0].decode(errors="replace")
        lines = [line.split(":", 1)[0].lower() for line in head.split("\r\n") if line and line[0] not in " \t"]
        injected = [n for n in lines if n in ("bcc", "x-injected")]
        check(not injected and evil not in rcpts and len(rcpts) == 1,
              f"'{parsed['Subject']}' to {rcpts[0]} carries no injected header or recipient", (injected, rcpts))
    check(not desk.sink.to(evil), "nothing was sent to the address injected into a header")


def markup_and_bounces(desk, check):
    """Markup in mail shows as text in the console; a bounce naming a ticket is an internal note, unanswered."""
    sender, _, _ = desk.add_requester("BrightCart", "markup")
    boundary = "alt-" + unique()
    body = (f"--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
            f"<p>Hi</p><script>alert('mail')</script><img src=x onerror=alert(1)><iframe src=javascript:alert(2)></iframe>\r\n--{boundary}--")
    answer = desk.inbound(mail(sender, "<script>alert('subject')</script>", body, content_type=f"multipart/alternative; boundary=\"{boundary}\""))
    check(answer.status == 201, "an HTML-only mail with script is taken", answer)
    plain = desk.inbound(mail(sender, "Plain markup", "<script>alert('plain')</script> <img src=x onerror=alert(3)>"))
    browser = getattr(desk, "anna_browser", None) or desk.browser()
    if not browser.session:
        browser.login(desk.emails["anna"])
    for label, result in [("HTML", answer), ("plain", plain)]:
        if result.status != 201:
            continue
        page = browser.get(f"/console/tickets/{result.json()['ticket']}")
        raw_markup = [m for m in ("<script>alert(", "<img src=x", "<iframe") if m in page.text]
        check(page.status == 200 and not raw_markup, f"console: markup from a {label} mail is not rendered", raw_markup)

    ticket = answer.json().get("ticket") if answer.status == 201 else None
    if ticket:
        before = len(desk.sink.all())
        bounce = desk.inbound(mail("MAILER-DAEMON@mx.sender.test", f"Undelivered Mail Returned to Sender [{ticket}]",
                                   f"<{sender}>: mailbox full", extra="Auto-Submitted: auto-replied\r\n"))
        check(bounce.status == 200 and bounce.json().get("outcome") == "noted", "a bounce naming a ticket becomes a note", bounce)
        events = desk.events(ticket)
        check(any(e.get("kind") == "internal_note" and "mailbox full" in (e.get("body") or "") for e in events)
              and not any(e.get("kind") == "public_reply" and "mailbox full" in (e.get("body") or "") for e in events),
              "the bounce is an internal note, not a public reply", [e.get("kind") for e in events])
        requester = desk.api("admin").get(f"/api/v1/tickets/{ticket}").json()["requesterId"]
        issued = desk.admin.post("/api/v1/tokens", {"name": "security", "personId": requester}).json()["token"]
        seen = lib.API(desk.http, issued).get(f"/api/v1/tickets/{ticket}/events").text
        check("mailbox full" not in seen, "the requester does not see the bounce note", seen[:200])
        desk.wait_outbox()
        check(not desk.sink.to("MAILER-DAEMON@mx.sender.test") and not desk.sink.to("mailer-daemon@mx.sender.test"),
              "the bounce is never answered", len(desk.sink.all()) - before)
