"""Hostile input through the API and the pages: fields a requester may not set, control characters in search
text, references to nothing, duplicate JSON keys, malformed, oversized and deeply nested bodies, cache
headers on personal data, attachment names and how files are served, and HTML that must stay text.
"""
import unicodedata
import uuid
from urllib.parse import quote

from lib import unique

DEVICE_NAMES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"{p}{d}" for p in ("COM", "LPT") for d in "123456789¹²³"}


def unsafe_name(name):
    """Why a stored file name is unsafe, or None: format/control characters, a path, a Windows device name."""
    bad = [f"U+{ord(c):04X}" for c in name if unicodedata.category(c) in ("Cf", "Cc")]
    if bad:
        return f"keeps {', '.join(bad)}"
    if "/" in name or "\\" in name:
        return "keeps a path"
    if name.split(".", 1)[0].strip().upper() in DEVICE_NAMES:
        return "is a Windows device name"
    if name.endswith(".") or name.endswith(" "):
        return "ends in a dot or space"
    return None


HOSTILE_NAMES = [
    "report\u202Efdp.exe", "\u200Binvoice.pdf", "\u2066evil\u2069.txt", "\ufeffbom.txt", "soft\u00adhyphen.txt",
    "tag\U000E0041.txt", "alm\u061c.txt", "con.txt", "NUL", "com1.log", "LPT9", "aux.tar.gz", "CON .txt", "prn.", "lpt¹.doc",
    "nul:stream.txt", "../../etc/passwd", "..\\..\\boot.ini", "quote\".txt", "semi;colon.txt", "name.txt   ...",
]


def run(desk, check):
    requester_fields(desk, check)
    search_text(desk, check)
    references(desk, check)
    cache_headers(desk, check)
    duplicate_keys(desk, check)
    malformed(desk, check)
    attachments(desk, check)
    html(desk, check)


def requester_fields(desk, check):
    """[#7] A requester cannot start a ticket at L3, in a group, with an owner or a severity."""
    jonas = desk.api("jonas")
    chen = desk.person_id("chen")
    attempts = [
        ("tier L3", {"tier": "L3"}, "tier"),
        ("group", {"group": "MES engineering"}, "group"),
        ("tier L3 and group", {"tier": "L3", "group": "MES engineering"}, "tier"),
        ("ownerId", {"ownerId": chen}, "ownerId"),
        ("severity Sev1", {"severity": "Sev1"}, "severity"),
        ("everything at once", {"tier": "L3", "group": "MES engineering", "ownerId": chen, "severity": "Sev1"}, ""),
    ]
    for label, fields, field in attempts:
        title = f"Requester {label} {unique()}"
        answer = jonas.post("/api/v1/tickets", {"title": title, "description": "x", **fields})
        if answer.status == 201:
            ticket = answer.json()
            taken = [f for f, v in (("tier", ticket["tier"] == "L3"), ("group", ticket["group"] == "MES engineering"),
                                    ("ownerId", ticket["ownerId"] == chen), ("severity", ticket["severity"] == "Sev1" and "severity" in fields)) if v]
            check(not taken, f"[#7] a requester's {label} is ignored when the ticket is opened", f"kept {taken}: {ticket['tier']} {ticket['group']}")
        else:
            check(answer.status in (400, 403, 422) and (not field or answer.names(field) or answer.status == 403),
                  f"[#7] a requester's {label} is refused naming the field", answer)
    other_org = jonas.post("/api/v1/tickets", {"title": "x", "description": "x", "organisationId": desk.organisations["BrightCart"]})
    check(other_org.status in (403, 422) and other_org.names("organisationId") or other_org.status == 403,
          "a requester cannot open a ticket in another organisation", other_org)
    for_other = jonas.post("/api/v1/tickets", {"title": "x", "description": "x", "requesterId": desk.person_id("sam")})
    check(for_other.status == 403, "a requester cannot open a ticket for someone else", for_other)
    patch_target = desk.open_ticket(jonas)
    raised = jonas.patch(f"/api/v1/tickets/{patch_target['reference']}", {"version": patch_target["version"], "tier": "L3", "group": "MES engineering"})
    after = desk.ticket(patch_target["reference"])
    check(raised.status in (403, 404, 422) and after["tier"] == "L1", "a requester cannot move a ticket to L3 by PATCH", raised)


def search_text(desk, check):
    """[#8] Control characters in search text are refused naming the parameter, never 'everything' or 500."""
    anna = desk.api("anna")
    for raw in ["%00", "%01", "abc%00def", "%1b%5b31m", "%7f"]:
        answer = anna.get(f"/api/v1/tickets?q={raw}")
        check(answer.status == 400 and answer.names("q"), f"[#8] GET /api/v1/tickets?q={raw} answers 400 naming q", answer)
    browser = desk.browser()
    login = browser.login(desk.emails["anna"])
    check(login.status == 303, "Anna logs in to the console (setup)", login)
    desk.anna_browser = browser
    for raw in ["%01", "%00", "x%1by"]:
        page = browser.get(f"/console?q={raw}")
        check(page.status == 400 and "q" in page.text, f"[#8] /console?q={raw} answers 400 naming q", (page.status, page.text[-300:]))
    page = browser.get("/console/queue?tier=L1&q=%00")
    check(page.status == 400, "[#8] /console/queue?q=%00 answers 400", page.status)
    for path in ["/api/v1/known-errors?q=%00", "/api/v1/tickets?q=" + "%F0%9F%92%A9" * 10, "/api/v1/tickets?q=%ff%fe",
                 "/api/v1/tickets?q=" + "a" * 5000, "/api/v1/tickets?status=%00", "/api/v1/tickets?limit=-1",
                 "/api/v1/tickets?limit=99999999999999999999", "/api/v1/tickets?cursor=n-5", "/api/v1/tickets?cursor=n99999999999999999999",
                 "/api/v1/tickets?owner=../../", "/api/v1/tickets?q=%25%27%22%3B--", "/api/v1/tickets?q=_%25"]:
        answer = anna.get(path)
        check(answer.status in (200, 400), f"GET {path[:60]} is answered 200 or 400, never 5xx", answer)
    wildcard = desk.api("jonas").get("/api/v1/tickets?q=%25")
    check(wildcard.status in (200, 400) and all(t["organisationId"] == desk.organisations["Kessler Automotive"] for t in (wildcard.json() or {}).get("items", [])),
          "a LIKE wildcard in q lists only tickets the requester may see", wildcard.status)


def references(desk, check):
    """[#9] References to nothing are 4xx, not 500."""
    anna = desk.api("anna")
    nobody = str(uuid.uuid4())
    for field in ["organisationId", "serviceId", "ownerId", "requesterId"]:
        answer = anna.post("/api/v1/tickets", {"title": f"Unknown {field}", "description": "x", field: nobody})
        check(answer.status in (400, 404, 422) and answer.names(field), f"[#9] an unknown {field} on ticket creation is 4xx naming it", answer)
    admin = desk.admin.post("/api/v1/tickets", {"title": "Unknown organisation by an admin", "description": "x", "organisationId": nobody})
    check(admin.status in (400, 404, 422), "[#9] an admin's unknown organisationId is 4xx", admin)
    for path in ["/api/v1/people/not-a-uuid", f"/api/v1/people/{nobody}", "/api/v1/organisations/%00", f"/api/v1/tickets/TD-1/attachments/not-a-uuid",
                 "/api/v1/known-errors/KE-0", "/api/v1/known-errors/%2e%2e", f"/api/v1/oncall/schedules/{nobody}"]:
        answer = desk.admin.get(path)
        check(400 <= answer.status < 500, f"GET {path} is a 4xx", answer)


def cache_headers(desk, check):
    """[#10] Personal data is never stored by caches."""
    sam = desk.api("sam")
    ticket = desk.open_ticket(sam)
    reference = ticket["reference"]
    upload = sam.post(f"/api/v1/tickets/{reference}/attachments?filename=notes.txt", raw=b"private", content_type="text/plain")
    paths = [("sam", f"/api/v1/tickets/{reference}"), ("sam", "/api/v1/tickets"), ("sam", f"/api/v1/tickets/{reference}/events"),
             ("sam", f"/api/v1/tickets/{reference}/attachments"), ("sam", "/api/v1/me"), ("admin", "/api/v1/people"),
             ("admin", f"/api/v1/people/{desk.person_id('sam')}"), ("admin", "/api/v1/outbox")]
    if upload.status == 201:
        paths.append(("sam", f"/api/v1/tickets/{reference}/attachments/{upload.json()['id']}"))
    for who, path in paths:
        answer = desk.api(who).get(path)
        value = (answer.header("Cache-Control") or "").lower()
        check(answer.status == 200 and "no-store" in value and "private" in value,
              f"[#10] GET {path.replace(reference, 'TD-n')} says Cache-Control: private, no-store", f"{answer.status} Cache-Control: {value!r}")
    created = sam.post("/api/v1/tickets", {"title": "cache", "description": "x"})
    value = (created.header("Cache-Control") or "").lower()
    check("no-store" in value, "[#10] the ticket a POST returns is not cached either", value)


def duplicate_keys(desk, check):
    """[#11] A JSON object with a key twice is refused: which value wins is not for the parser to guess."""
    jonas = desk.api("jonas")
    marker = unique("dup")
    bodies = [
        ("POST /api/v1/tickets", "POST", "/api/v1/tickets", f'{{"title": "{marker} a", "description": "x", "title": "{marker} b"}}'),
        ("POST /api/v1/tickets (nested)", "POST", "/api/v1/tickets", f'{{"title": "{marker} c", "description": "x", "attributes": {{"k": "1", "k": "2"}}}}'),
        ("POST /api/v1/tickets (escaped key)", "POST", "/api/v1/tickets", f'{{"title": "{marker} d", "description": "x", "\\u0074itle": "{marker} e"}}'),
    ]
    for label, method, path, raw in bodies:
        answer = jonas.call(method, path, raw=raw.encode())
        check(answer.status == 400, f"[#11] {label} with a duplicate key answers 400", answer)
    listed = desk.api("jonas").get(f"/api/v1/tickets?q={marker}").json()
    check(not listed["items"], "[#11] no ticket was opened from a body with duplicate keys", [t["title"] for t in listed["items"]])
    ticket = desk.open_ticket(jonas)
    answer = jonas.call("PATCH", f"/api/v1/tickets/{ticket['reference']}", raw=f'{{"version": {ticket["version"]}, "title": "one", "title": "two"}}'.encode())
    check(answer.status == 400, "[#11] PATCH with a duplicate key answers 400", answer)
    answer = desk.admin.call("PUT", "/api/v1/settings/mail-intake", raw=b'{"unknownSenders": "refuse", "autoRepliesPerHour": 5, "autoRepliesPerHour": 1000}')
    check(answer.status == 400, "[#11] settings with a duplicate key answer 400", answer)


def malformed(desk, check):
    """Malformed and oversized bodies are clear 4xx problems and leave the server up."""
    jonas = desk.api("jonas")
    cases = [
        ("malformed JSON", b'{"title": ', "application/json", 400),
        ("trailing garbage", b'{"title": "a", "description": "b"} {}', "application/json", 400),
        ("a JSON array", b'[1, 2]', "application/json", 400),
        ("invalid UTF-8", b'{"title": "\xff\xfe", "description": "b"}', "application/json", 400),
        ("an empty body", b'', "application/json", 400),
        ("a number too large", b'{"title": "a", "description": "b", "impact": 1e999}', "application/json", 400),
        ("a form body", b'title=a&description=b', "application/x-www-form-urlencoded", 415),
    ]
    for label, raw, content_type, expected in cases:
        answer = jonas.post("/api/v1/tickets", raw=raw, content_type=content_type)
        check(answer.status == expected and (answer.header("Content-Type") or "").startswith("application/problem+json"),
              f"{label} answers {expected} as problem+json", answer)
    # 40 KB of brackets. A scanner that keeps a path per level ("attributes[0][0]…") needs memory quadratic in
    # the nesting: gigabytes for a request a client writes in a millisecond.
    deep = b'{"title": "a", "description": "b", "attributes": ' + b'[' * 20_000 + b']' * 20_000 + b'}'
    peak_before = desk.server.peak_memory()
    answer = jonas.post("/api/v1/tickets", raw=deep)
    grown = desk.server.peak_memory() - peak_before
    check(answer.status == 400 and desk.server.alive(), "20,000 nested arrays answer 400 and the server stays up", answer)
    if peak_before:
        check(grown < 150 * 1024 * 1024, "(extra) 40 KB of nested brackets cost the server less than 150 MB of memory",
              f"its peak memory grew by {grown // (1024 * 1024)} MB")
    deep_object = b'{"a":' * 5_000 + b'1' + b'}' * 5_000
    answer = jonas.patch("/api/v1/tickets/TD-1", raw=deep_object)
    check(400 <= answer.status < 500 and desk.server.alive(), "5,000 nested objects answer 4xx and the server stays up", answer)
    big = b'{"title": "big", "description": "' + b'a' * (9 * 1024 * 1024) + b'"}'
    answer = jonas.post("/api/v1/tickets", raw=big)
    check(answer.status == 413 and (answer.header("Content-Type") or "").startswith("application/problem+json"), "a 9 MiB JSON body answers 413 problem+json", answer)
    for title, what in [("line\r\nBcc: x@evil.test", "CR/LF"), ("nul\u0000byte", "NUL"), ("bell\u0007", "a control character")]:
        answer = jonas.post("/api/v1/tickets", {"title": title, "description": "x"})
        kept = answer.status == 201 and any(ord(c) < 32 for c in answer.json()["title"])
        check(answer.status in (201, 400, 422) and not kept, f"a title with {what} is refused or cleaned", answer)
    ticket = desk.open_ticket(jonas)
    huge = jonas.post(f"/api/v1/tickets/{ticket['reference']}/attachments?filename=big.bin", raw=b"\0" * (10 * 1024 * 1024 + 1), content_type="application/octet-stream")
    check(huge.status == 413, "an attachment over 10 MiB answers 413", huge)
    long_auth = desk.http.request("GET", "/api/v1/me", headers={"Authorization": "Bearer " + "a" * 5000})
    check(long_auth.status in (400, 401, 431), "a 5,000-character token is refused", long_auth)
    basic = desk.http.request("GET", "/api/v1/me", headers={"Authorization": "Basic YWRtaW46YWRtaW4="})
    check(basic.status == 401, "Basic authentication is refused", basic)
    check(desk.server.alive() and desk.server.healthy(), "the server is still healthy after the malformed bodies")


def attachments(desk, check):
    """[#5] Hostile file names through the upload API are cleaned; files are served so they cannot run."""
    sam = desk.api("sam")
    ticket = desk.open_ticket(sam)
    base = f"/api/v1/tickets/{ticket['reference']}/attachments"
    for name in HOSTILE_NAMES:
        answer = sam.post(f"{base}?filename={quote(name)}", raw=b"data", content_type="text/plain")
        if answer.status == 201:
            stored = answer.json()["filename"]
            problem = unsafe_name(stored)
            check(problem is None, f"[#5] upload name {name!r} is stored safely", f"{stored!r} {problem}")
        else:
            check(answer.status == 400 and answer.names("filename"), f"[#5] upload name {name!r} is refused naming filename", answer)
    for name in ["..", ".", "", "/", "\u202e", "\u200b\u200b"]:
        answer = sam.post(f"{base}?filename={quote(name)}", raw=b"data", content_type="text/plain")
        check(answer.status == 400 and answer.names("filename"), f"upload name {name!r} that names nothing is refused", answer)

    page = sam.post(f"{base}?filename=page.html", raw=b"<script>alert(document.cookie)</script>", content_type="text/html")
    svg = sam.post(f"{base}?filename=logo.svg", raw=b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', content_type="image/svg+xml")
    png = sam.post(f"{base}?filename=shot.png", raw=b"\x89PNG\r\n\x1a\n<script>alert(1)</script>", content_type="image/png")
    trick = sam.post(f"{base}?filename=t.html", raw=b"<b>x</b>", content_type="image/png, text/html")
    for label, upload, inline_ok in [("HTML", page, False), ("SVG", svg, False), ("PNG", png, True), ("a list of types", trick, True)]:
        if upload.status != 201:
            check(False, f"{label} upload is taken (setup)", upload)
            continue
        served = sam.get(f"{base}/{upload.json()['id']}")
        content_type = served.header("Content-Type") or ""
        disposition = served.header("Content-Disposition") or ""
        csp = served.header("Content-Security-Policy") or ""
        safe_type = content_type in ("application/octet-stream", "image/png")
        check(served.status == 200 and safe_type and (inline_ok or disposition.startswith("attachment"))
              and served.header("X-Content-Type-Options") == "nosniff" and "sandbox" in csp,
              f"a {label} file is served as a download or a plain image, nosniff, sandboxed", (content_type, disposition, csp))


SCRIPT = '<script>alert("td")</script>'
IMAGE = '<img src=x onerror=alert(1)>'


def html(desk, check):
    """Text from requesters is shown as text in the console and the portal, never as markup."""
    jonas = desk.api("jonas")
    ticket = desk.open_ticket(jonas, title=f"Broken {SCRIPT}", description=f"See {IMAGE} and <a href=\"javascript:alert(1)\">here</a>")
    reply = jonas.post(f"/api/v1/tickets/{ticket['reference']}/replies", {"body": f"More: {SCRIPT} {IMAGE}"})
    check(reply.status == 201, "a reply with markup is taken as text (setup)", reply)
    browser = getattr(desk, "anna_browser", None)
    if browser is None:
        browser = desk.browser()
        browser.login(desk.emails["anna"])
    page = browser.get(f"/console/tickets/{ticket['reference']}")
    check(page.status == 200 and SCRIPT not in page.text and IMAGE not in page.text and "href=\"javascript:" not in page.text
          and "&lt;script&gt;" in page.text, "console: markup in a ticket's title, description and reply is escaped", page.status)
    search = browser.get("/console?q=" + quote('"><script>alert(2)</script>'))
    check(search.status in (200, 400) and "<script>alert(2)" not in search.text, "console: search text is not reflected as markup", search.status)
    portal = desk.browser()
    portal.login(desk.emails["jonas"])
    page = portal.get(f"/portal/tickets/{ticket['reference']}")
    check(page.status == 200 and SCRIPT not in page.text and IMAGE not in page.text, "portal: markup in a ticket is escaped", page.status)
    desk.jonas_browser = portal
