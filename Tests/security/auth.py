"""Sessions, forms and tokens: CSRF on every kind of form and on API writes made with a session, a new
session on every login (none chosen by an attacker), logout ending the session on the server, revoked or
deactivated credentials refused at once, and login throttling per account and per address.
"""
import concurrent.futures

from lib import API, Browser, unique

PASSWORD = "a long test password"


def run(desk, check):
    login_form(desk, check)
    sessions(desk, check)
    forms(desk, check)
    api_with_session(desk, check)
    tokens(desk, check)
    deactivation(desk, check)


def login_form(desk, check):
    stranger = desk.browser()
    no_cookie = stranger.post_form("/login", {"_csrf": "guess", "email": desk.emails["sam"], "password": "tierdesk-demo"})
    check(no_cookie.status == 403 and not stranger.session, "a login without the login form's cookie is refused", no_cookie.status)
    stranger.get("/login")
    wrong = stranger.post_form("/login", {"_csrf": "not-the-token", "email": desk.emails["sam"], "password": "tierdesk-demo"})
    check(wrong.status == 403 and not stranger.session, "a login whose form token does not match its cookie is refused", wrong.status)


def sessions(desk, check):
    """A login makes a new session; an attacker's planted cookie is not adopted; logout ends it on the server."""
    victim = desk.browser()
    victim.cookies["tierdesk_session"] = "attacker-chosen-session-value"
    login = victim.login(desk.emails["sam"])
    cookie_line = " ".join(login.all_headers("Set-Cookie")).lower()
    check(login.status == 303 and victim.session and victim.session != "attacker-chosen-session-value",
          "a login replaces a planted session cookie with a new session", victim.session)
    check("httponly" in cookie_line and "samesite=lax" in cookie_line and "path=/" in cookie_line,
          "the session cookie is HttpOnly, SameSite=Lax, Path=/", cookie_line)
    planted = API(desk.http, None)
    planted_me = planted.http.request("GET", "/api/v1/me", headers={"Cookie": "tierdesk_session=attacker-chosen-session-value"})
    check(planted_me.status == 401, "the planted value is no session", planted_me.status)

    again = desk.browser()
    again.login(desk.emails["sam"])
    check(again.session and again.session != victim.session, "every login gets its own session token")

    stolen = victim.session
    portal = victim.get("/portal")
    csrf = victim.csrf_in(portal)
    no_token = victim.post_form("/logout", {})
    still = desk.http.request("GET", "/api/v1/me", headers={"Cookie": f"tierdesk_session={stolen}"})
    check(no_token.status in (400, 403) and still.status == 200, "a logout without the form token does not end the session", (no_token.status, still.status))
    logout = victim.post_form("/logout", {"_csrf": csrf})
    check(logout.status == 303 and not victim.session, "logout clears the cookie", (logout.status, victim.cookies))
    replay = desk.http.request("GET", "/api/v1/me", headers={"Cookie": f"tierdesk_session={stolen}"})
    page = desk.http.request("GET", "/portal", headers={"Cookie": f"tierdesk_session={stolen}"})
    check(replay.status == 401 and page.status == 303 and page.header("Location") == "/login",
          "the old session cookie is dead on the server after logout", (replay.status, page.status))
    check(again.get("/portal").status == 200, "logging out one session leaves the person's other session alone")


def forms(desk, check):
    """Every form refuses a post without the session's token, with a wrong one, or with another session's."""
    sam = desk.browser()
    sam.login(desk.emails["sam"])
    jonas = getattr(desk, "jonas_browser", None) or desk.browser()
    if not jonas.session:
        jonas.login(desk.emails["jonas"])
    foreign = jonas.csrf_in(jonas.get("/portal"))
    own = desk.open_ticket(desk.api("sam"))
    reference = own["reference"]
    marker = unique("csrf")
    for label, token in [("without the form token", None), ("with a wrong token", "0" * 43), ("with another session's token", foreign), ("with an empty token", "")]:
        fields = {"title": f"{marker} {label}", "description": "x"}
        if token is not None:
            fields["_csrf"] = token
        opened = sam.post_form("/portal/tickets", fields)
        check(opened.status in (400, 403), f"portal: opening a ticket {label} is refused", opened.status)
        reply = {"body": f"{marker} reply {label}"}
        if token is not None:
            reply["_csrf"] = token
        answered = sam.post_form(f"/portal/tickets/{reference}/reply", reply)
        check(answered.status in (400, 403), f"portal: a reply {label} is refused", answered.status)
    listed = desk.api("sam").get(f"/api/v1/tickets?q={marker}").json()
    events = desk.events(reference)
    check(not listed["items"] and not any(marker in (e.get("body") or "") for e in events), "no forged form changed anything")
    good = sam.post_form(f"/portal/tickets/{reference}/reply", {"_csrf": sam.csrf_in(sam.get("/portal")), "body": "real reply"})
    check(good.status == 303, "the same reply with the session's token is taken (control)", good.status)

    anna = getattr(desk, "anna_browser", None) or desk.browser()
    if not anna.session:
        anna.login(desk.emails["anna"])
    version = desk.ticket(reference)["version"]
    for path, fields in [("note", {"body": "forged note"}), ("reply", {"body": "forged reply"}),
                         ("status", {"version": version, "status": "resolved", "resolution": "fixed", "comment": "forged"}),
                         ("assign", {"version": version, "owner": desk.person_id("anna"), "group": ""}),
                         ("escalate", {"version": version, "reason": "forged", "noEvidenceReason": "x", "tried": "y"})]:
        answer = anna.post_form(f"/console/tickets/{reference}/{path}", fields)
        check(answer.status in (400, 403), f"console: the {path} form without the token is refused", answer.status)
        answer = anna.post_form(f"/console/tickets/{reference}/{path}", {**fields, "_csrf": foreign})
        check(answer.status in (400, 403), f"console: the {path} form with another session's token is refused", answer.status)
    for path, fields in [("/console/notifications/read", {}), ("/console/triage/assign", {"reference": reference, "owner": desk.person_id("anna")}),
                         ("/console/known-errors", {"title": "forged", "symptoms": "x"}), ("/console/sla/calendars", {"document": "{}"})]:
        answer = anna.post_form(path, fields)
        check(answer.status in (400, 403), f"console: {path} without the token is refused", answer.status)
    after = desk.ticket(reference)
    check(after["version"] == version and after["status"] != "resolved" and not any("forged" in (e.get("body") or "") for e in desk.events(reference)),
          "no forged console form changed the ticket", (version, after["version"], after["status"]))


def api_with_session(desk, check):
    """API writes made with a session cookie need the X-CSRF-Token header; reads do not."""
    sam = desk.browser()
    sam.login(desk.emails["sam"])
    token = sam.csrf_in(sam.get("/portal"))
    body = {"title": f"Session API {unique()}", "description": "x"}
    check(sam.call("GET", "/api/v1/me").status == 200, "a session reads the API")
    for label, headers in [("without X-CSRF-Token", {}), ("with a wrong X-CSRF-Token", {"X-CSRF-Token": "wrong"}),
                           ("with the token in a query instead", {})]:
        path = "/api/v1/tickets" + (f"?_csrf={token}" if "query" in label else "")
        answer = sam.call("POST", path, body, headers)
        check(answer.status == 403, f"an API write with a session cookie {label} is refused", answer)
    for method in ["PUT", "PATCH", "DELETE"]:
        answer = sam.call(method, "/api/v1/tickets/TD-1", {"version": 1})
        check(answer.status in (403, 404, 405), f"a {method} with a session cookie and no token is refused", answer)
    good = sam.call("POST", "/api/v1/tickets", body, {"X-CSRF-Token": token})
    check(good.status == 201, "the same write with X-CSRF-Token is taken (control)", good)


def tokens(desk, check):
    """Revoked API tokens stop at once; nobody revokes or issues someone else's."""
    sam_id = desk.person_id("sam")
    issued = desk.admin.post("/api/v1/tokens", {"name": "to revoke", "personId": sam_id})
    check(issued.status == 201, "an admin issues a token for Sam (setup)", issued)
    token = API(desk.http, issued.json()["token"])
    check(token.get("/api/v1/me").status == 200, "the token works")
    stolen = desk.api("jonas").delete(f"/api/v1/tokens/{issued.json()['id']}")
    check(stolen.status == 404, "another requester cannot revoke Sam's token", stolen)
    foreign = desk.api("jonas").post("/api/v1/tokens", {"name": "mine now", "personId": sam_id})
    check(foreign.status in (403, 404), "a requester cannot issue a token for someone else", foreign)
    revoked = desk.api("sam").delete(f"/api/v1/tokens/{issued.json()['id']}")
    check(revoked.status == 204, "Sam revokes the token", revoked)
    for path in ["/api/v1/me", "/api/v1/tickets"]:
        check(token.get(path).status == 401, f"the revoked token is refused at once on {path}")
    again = desk.api("sam").delete(f"/api/v1/tokens/{issued.json()['id']}")
    check(again.status in (204, 404) and token.get("/api/v1/me").status == 401, "revoking twice revives nothing", again)


def deactivation(desk, check):
    """A deactivated person's sessions and tokens stop working."""
    address, person_id, api = desk.add_requester("BrightCart", "leaver")
    browser = desk.browser()
    login = browser.login(address, PASSWORD)
    check(login.status == 303 and api.get("/api/v1/me").status == 200, "the leaver has a session and a token (setup)", login.status)
    off = desk.admin.patch(f"/api/v1/people/{person_id}", {"active": False})
    check(off.status == 200, "an admin deactivates the leaver", off)
    check(api.get("/api/v1/me").status == 401, "the deactivated person's API token is refused at once")
    check(browser.call("GET", "/api/v1/me").status == 401, "the deactivated person's session is refused")


def run_throttling(desk, check):
    """[#6] 35 wrong passwords at once against one account: at most 5 are checked; one address gets at most 20
    checked failures in the window. Runs last: it locks logins from loopback out for fifteen minutes."""
    address, _, _ = desk.add_requester("BrightCart", "target")
    browsers = []
    for _ in range(35):
        browser = desk.browser()
        browser.get("/login")
        browsers.append(browser)

    def attempt(browser):
        return browser.post_form("/login", {"_csrf": browser.cookies.get("tierdesk_login_csrf", ""), "email": address, "password": "wrong password!"}).status

    with concurrent.futures.ThreadPoolExecutor(max_workers=35) as pool:
        statuses = list(pool.map(attempt, browsers))
    checked = statuses.count(401)
    check(checked <= 5 and statuses.count(429) == 35 - checked,
          "[#6] 35 simultaneous wrong passwords for one account: at most 5 are checked, the rest answered 429",
          f"{checked} checked, {statuses.count(429)} refused, others {sorted(set(statuses) - {401, 429})}")
    right = desk.browser().login(address, PASSWORD)
    check(right.status == 429 and "tierdesk_session=" not in " ".join(right.all_headers("Set-Cookie")).replace("tierdesk_session=;", ""),
          "the locked account is refused even with the right password", right.status)

    total = checked
    first_refusal = None
    for n in range(30):
        # A client that claims to be someone else by X-Forwarded-For is still counted by its own address.
        browser = Browser(desk.http)
        spoofed = {"X-Forwarded-For": f"203.0.113.{n + 1}", "X-Real-IP": f"198.51.100.{n + 1}", "Forwarded": f"for=192.0.2.{n + 1}"}
        form = browser.get("/login", headers=spoofed)
        status = browser.post_form("/login", {"_csrf": browser.csrf_in(form) or "", "email": f"{unique('nobody')}@nowhere.example",
                                              "password": "wrong password!"}, headers=spoofed).status
        if status == 401:
            total += 1
        elif status == 429:
            first_refusal = n
            break
    check(first_refusal is not None and total <= 20,
          "[#6] one address gets at most 20 checked failures in the window, then 429, whatever X-Forwarded-For claims",
          f"{total} checked failures from 127.0.0.1 before the first 429 (attempt {first_refusal})")
    other = desk.browser().login(desk.emails["petra"])
    check(other.status == 429, "while the address is locked, even a right password from it is refused", other.status)
