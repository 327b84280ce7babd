#!/usr/bin/env python3
"""Browser journey through Tierdesk's web UI (headless Chromium + Selenium 4).

Needs a running `tierdesk serve --demo`; its base URL comes from TIERDESK_URL.

1. A wrong password is refused; the L1 agent logs in, opens the L1 queue (its times read relative to
   now, the exact time on hover), opens the first ticket with the keyboard (j, k, Enter; ? lists the
   shortcuts, r goes to the reply box), replies with a log file attached
   (with markup in the text, which must be shown escaped) and logs out.
2. Requester Jonas (Kessler Automotive) sees only his organisation's tickets.
3. Requester Sam (BrightCart) sees none of Jonas's tickets, and opening one of
   them by its URL answers "not found".
   On the way the agent escalates the ticket to L2: refused without evidence (each refusal next to its
   field, the typed reason kept), accepted with it.
4. Manager Maria finds notifications of SLA breaches (the timer escalates the demo's overdue tickets
   after start) and follows one to its ticket; she finds Ben's night page owed as time off in lieu and
   the week's operations owner taken from its schedule on the triage board; the admin adds a calendar
   in the SLA settings and sees a mistake refused with the field named.
5. Live: while Anna watches the open queue, requester Jonas opens a ticket in the portal (a second
   browser); it appears in Anna's queue without a reload. On its page Anna starts a reply; Jonas answers
   meanwhile and his answer appears in her timeline, with who did it, her typed text untouched. Manager
   Maria, opening the same ticket, is told Anna is writing. Anna keeps a canned response and puts it into a
   reply, and assigns two queue tickets to herself in one bulk change.
6. Requester Jonas reads the known problems (without root causes) and chooses his time zone. The admin
   invites a newcomer, who chooses a password from the single-use link and logs in; tries a triage rule on
   a ticket before saving it; sees the matrix, channels and a schedule's coming week in the field editor.
7. Vendor Vera answers in the L4 ticket's vendor thread (she reads the shared checklist, not the
   description); Jonas does not read it and is told the ticket waits for a third party; Anna watches the
   ticket; L3 Chen drops a file on the vendor form and forwards Vera's answer, which Jonas then reads while
   the file stays with the vendor; Anna is notified of Chen's reply.
8. Jonas opens a ticket with a file and a duplicate, filters and searches his own; L2 Ben saves a view,
   merges the duplicate, and records a data correction and a workaround.
   Ben, in a browser without JavaScript, has a stale reply refused (naming Anna's), kept, and sent again.
9. The pages of the agent, requester, admin, vendor, engineer and manager fit a 390 px phone (ticket rows
   become cards) and pass axe-core's accessibility checks with no serious or critical violation at 1440
   and 390 px; a screenshot of each at both widths is written to TIERDESK_SCREENSHOTS (default
   /tmp/tierdesk-screenshots) for review.
"""

import base64
import os
import re
import sys
import traceback
import uuid
from urllib.parse import urljoin, urlparse

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.support.ui import Select
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE_URL = os.environ.get("TIERDESK_URL", "http://127.0.0.1:8080").rstrip("/")
PASSWORD = "tierdesk-demo"
AGENT = "anna.l1@tierdesk.example"
JONAS = "jonas.weber@kessler-automotive.example"
SAM = "sam.ortiz@brightcart.example"
MANAGER = "maria.manager@tierdesk.example"
ADMIN = "admin@tierdesk.example"
VERA = "vera@norderp.example"
CHEN = "chen.l3@tierdesk.example"
BEN = "ben.l2@tierdesk.example"
WAIT_SECONDS = 10
SCREENSHOT = "/tmp/journey-failure.png"


class JourneyFailure(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise JourneyFailure(message)


def step(message):
    print(f"journey: {message}", flush=True)


def make_driver(javascript=True):
    options = Options()
    if not javascript:
        # A browser without the page's script: pages must work, and stale forms be refused, without it.
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def url(path):
    return urljoin(BASE_URL + "/", path.lstrip("/"))


def path_of(driver):
    return urlparse(driver.current_url).path


def wait(driver):
    return WebDriverWait(driver, WAIT_SECONDS)


def wait_for_path(driver, expected, what):
    try:
        wait(driver).until(lambda d: path_of(d).rstrip("/") == expected.rstrip("/"))
    except TimeoutException:
        raise JourneyFailure(
            f"{what}: expected to be on {expected}, but the browser is on {driver.current_url}"
        ) from None


def wait_visible(driver, by, selector, what):
    try:
        return wait(driver).until(EC.visibility_of_element_located((by, selector)))
    except TimeoutException:
        raise JourneyFailure(
            f"{what}: {selector} did not appear on {driver.current_url}"
        ) from None


def wait_stale(driver, element):
    """Waits until the page holding `element` has been replaced.

    Selenium's staleness_of expects StaleElementReferenceException, but Chromium sometimes reports a
    replaced node as an "unknown error" ("Node with given id does not belong to the document");
    both mean the same here.
    """
    def replaced(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    wait(driver).until(replaced)


def log_in(driver, email, landing):
    driver.get(url("/login"))
    email_input = wait_visible(driver, By.CSS_SELECTOR, "input#email", "login page")
    email_input.clear()
    email_input.send_keys(email)
    password_input = driver.find_element(By.CSS_SELECTOR, "input#password")
    password_input.clear()
    password_input.send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button#login-submit").click()
    try:
        wait(driver).until(
            lambda d: path_of(d).rstrip("/") == landing
            or d.find_elements(By.CSS_SELECTOR, ".error")
        )
    except TimeoutException:
        pass
    errors = driver.find_elements(By.CSS_SELECTOR, ".error")
    if errors and path_of(driver).rstrip("/") != landing:
        raise JourneyFailure(f"login as {email} failed: {errors[0].text!r}")
    wait_for_path(driver, landing, f"login as {email}")
    wait_visible(driver, By.CSS_SELECTOR, "button#logout", f"{landing} after login")
    step(f"logged in as {email}, landed on {landing}")


def failed_log_in(driver, email):
    driver.get(url("/login"))
    wait_visible(driver, By.CSS_SELECTOR, "input#email", "login page").send_keys(email)
    driver.find_element(By.CSS_SELECTOR, "input#password").send_keys("not-the-password")
    driver.find_element(By.CSS_SELECTOR, "button#login-submit").click()
    error = wait_visible(driver, By.CSS_SELECTOR, ".error", "login with a wrong password")
    check(error.text.strip(), "the login error has no message")
    check(
        not driver.find_elements(By.CSS_SELECTOR, "button#logout"),
        "a wrong password logged the user in",
    )
    step(f"wrong password refused: {error.text.strip()!r}")


def log_out(driver, who):
    for _ in range(3):
        # A page still arriving may replace the button between finding and clicking it.
        button = wait_visible(driver, By.CSS_SELECTOR, "button#logout", "logout")
        try:
            button.click()
            break
        except StaleElementReferenceException:
            continue
    try:
        wait_stale(driver, button)
        wait(driver).until(
            lambda d: not d.find_elements(By.CSS_SELECTOR, "button#logout")
        )
    except TimeoutException:
        raise JourneyFailure(f"logout of {who}: still logged in on {driver.current_url}") from None
    step(f"logged out {who}")


def ticket_rows(driver, what):
    try:
        wait(driver).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "tr.ticket-row")
        )
    except TimeoutException:
        raise JourneyFailure(f"{what}: no tr.ticket-row on {driver.current_url}") from None
    return driver.find_elements(By.CSS_SELECTOR, "tr.ticket-row")


def references_of(rows, what):
    """The rows' references, read from their data attribute. A live update may swap the list in while it is
    read: then the caller's rows are gone, and it reads the page's rows again."""
    for _ in range(5):
        try:
            references = []
            for row in rows:
                links = row.find_elements(By.CSS_SELECTOR, "a.ticket-link")
                check(links, f"{what}: a ticket row has no a.ticket-link")
                reference = links[0].text.strip()
                check(reference, f"{what}: a ticket link has no reference text")
                references.append(reference)
            return references
        except StaleElementReferenceException:
            rows = rows[0].parent.find_elements(By.CSS_SELECTOR, "tr.ticket-row")[: len(rows)]
    raise JourneyFailure(f"{what}: the list kept changing while it was read")


def relative_times(driver):
    """The queue's times read relative to now (the page's own script), with the exact time on hover."""
    times = driver.find_elements(By.CSS_SELECTOR, "table.tickets time[datetime]")
    check(times, "L1 queue shows no times")
    pattern = re.compile(r"^(now|in \d+ (min|h|d)|\d+ (min|h|d) (ago|late))$")
    texts = [element.text for element in times]
    check(all(pattern.match(text) for text in texts), f"L1 queue times are not relative: {texts}")
    check(
        all(element.get_attribute("title") for element in times),
        "L1 queue times show no exact time on hover",
    )
    for seconds, deadline, expected in [
        (-30, False, "now"),
        (-300, False, "5 min ago"),
        (7200, False, "in 2 h"),
        (90000, False, "in 25 h"),
        (-5400, True, "1 h late"),
        (-3 * 86400 - 60, True, "3 d late"),
    ]:
        text = driver.execute_script(
            "return window.Tierdesk.relative(arguments[0], arguments[1])", seconds, deadline
        )
        check(text == expected, f"a time {seconds} s away reads {text!r}, not {expected!r}")
    step(f"L1 queue times read relative to now, e.g. {texts[0]!r} ({times[0].get_attribute('title')})")


def agent_journey(driver):
    failed_log_in(driver, AGENT)
    log_in(driver, AGENT, "/console")

    for tier in ("L1", "L2", "L3", "L4"):
        link = wait_visible(driver, By.CSS_SELECTOR, f"a#queue-{tier}", "console")
        check(
            any(ch.isdigit() for ch in link.text),
            f"console: a#queue-{tier} shows no count (text {link.text!r})",
        )
    queue_link = driver.find_element(By.CSS_SELECTOR, "a#queue-L1")
    queue_link.click()
    try:
        wait_stale(driver, queue_link)
    except TimeoutException:
        raise JourneyFailure("clicking a#queue-L1 did not open the queue") from None

    rows = ticket_rows(driver, "L1 queue")
    # Read in one go: a live update may swap the list in between two reads.
    tiers = driver.execute_script(
        "return Array.from(document.querySelectorAll('tr.ticket-row'), function (row) { return row.dataset.tier; });"
    )
    check(
        all(tier == "L1" for tier in tiers),
        f"L1 queue lists tickets of other tiers: {tiers}",
    )
    references = references_of(rows, "L1 queue")
    step(f"L1 queue lists {len(rows)} ticket(s), all L1: {', '.join(references)}")
    relative_times(driver)

    # Keyboard: j, j, k choose the first ticket again; Enter opens it; r goes to the reply box; ? lists keys.
    reference = references[0]
    keys = ActionChains(driver)
    keys.send_keys("j").send_keys("j").send_keys("k").perform()
    chosen = driver.switch_to.active_element
    check(chosen.text == reference, f"j, j, k chose {chosen.text!r}, not {reference}")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    ticket_path = f"/console/tickets/{reference}"
    wait_for_path(driver, ticket_path, f"opening {reference} with Enter")
    heading = wait_visible(driver, By.TAG_NAME, "h1", f"ticket {reference}")
    check(reference in heading.text, f"ticket page h1 {heading.text!r} lacks {reference}")
    ActionChains(driver).send_keys("?").perform()
    wait_visible(driver, By.ID, "shortcuts", "the list of shortcuts after ?")
    ActionChains(driver).send_keys(Keys.ESCAPE).send_keys("r").perform()
    focused = driver.switch_to.active_element.get_attribute("id")
    check(focused == "reply-body", f"r went to {focused!r}, not the reply box")
    check(not driver.find_elements(By.ID, "shortcuts"), "Escape did not close the list of shortcuts")
    step(f"opened ticket {reference} with j, k and Enter; ? listed the shortcuts, r went to the reply box")

    marker = uuid.uuid4().hex[:12]
    reply = f"Browser journey reply {marker}: please check the <b>bold</b> setting."
    body = wait_visible(driver, By.CSS_SELECTOR, "textarea#reply-body", "reply form")
    body.clear()
    body.send_keys(reply)
    # A log file goes with the reply, chosen in the form's own file input.
    log_name = f"journey-{marker}.log"
    log_path = os.path.join("/tmp", log_name)
    with open(log_path, "w") as log_file:
        log_file.write("2026-12-05 09:14 ERROR MES terminal 12: session refused\n")
    driver.find_element(By.ID, "reply-files").send_keys(log_path)
    driver.find_element(By.CSS_SELECTOR, "button#reply-submit").click()
    try:
        wait_stale(driver, body)
    except TimeoutException:
        raise JourneyFailure("the reply form was not submitted (page did not reload)") from None
    wait_for_path(driver, ticket_path, "after replying")
    files = wait_visible(driver, By.ID, "attachments", "the ticket's files after replying with one").text
    check(log_name in files, f"the file sent with the reply is not listed: {files!r}")
    os.remove(log_path)
    step(f"the reply went with {log_name}, listed under the ticket's files")

    event_xpath = (
        "//ol[@id='timeline']//li[contains(concat(' ', normalize-space(@class), ' '), ' event ')]"
        f"[contains(., '{marker}')]"
    )
    event = wait_visible(driver, By.XPATH, event_xpath, "reply in the timeline")
    check(
        "<b>bold</b>" in event.text,
        f"the reply's markup was not shown literally; the event reads {event.text!r}",
    )
    timeline = driver.find_element(By.CSS_SELECTOR, "ol#timeline")
    injected = [
        b for b in timeline.find_elements(By.TAG_NAME, "b") if b.text.strip() == "bold"
    ]
    check(not injected, "the reply's <b> tag became a real element in the timeline")
    step(f"reply {marker} shown in the timeline, markup escaped")

    search_box = wait_visible(driver, By.CSS_SELECTOR, "input#search-q", "the header's search box")
    search_box.send_keys(f"Journey REPLY {marker}")
    search_box.submit()
    try:
        wait_stale(driver, search_box)
    except TimeoutException:
        raise JourneyFailure("the header's search was not submitted") from None
    found = references_of(ticket_rows(driver, "search results"), "search results")
    check(found == [reference], f"searching the reply's words found {found}, not [{reference}]")
    heading = driver.find_element(By.TAG_NAME, "h1").text
    check(f"Journey REPLY {marker}" in heading, f"the results page's h1 {heading!r} does not show the words")
    step(f"the header's search for three words of the reply found {reference}")

    escalate_with_evidence(driver, references)
    log_out(driver, AGENT)


def live_journey(driver):
    """A ticket opened elsewhere appears in an open queue, and a reply in an open ticket page, without a
    reload; presence names who else is on the ticket."""
    log_in(driver, AGENT, "/console")
    driver.execute_script("window.tierdeskJourneyStayed = true;")
    other = make_driver()
    try:
        marker = uuid.uuid4().hex[:10]
        log_in(other, JONAS, "/portal")
        other.get(url("/portal/new"))
        wait_visible(other, By.ID, "title", "the portal's new-ticket form").send_keys(f"Live journey {marker}")
        other.find_element(By.ID, "description").send_keys("The label printer on line 2 prints blank labels.")
        other.find_element(By.ID, "open-submit").click()
        wait(other).until(lambda d: re.search(r"/portal/tickets/TD-\d+", path_of(d)))
        reference = path_of(other).rsplit("/", 1)[1]
        step(f"Jonas opened {reference} in the portal")
        try:
            WebDriverWait(driver, WAIT_SECONDS).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, f'tr.ticket-row[data-reference="{reference}"]')
            )
        except TimeoutException:
            raise JourneyFailure(f"{reference} did not appear in the open queue without a reload") from None
        check(driver.execute_script("return window.tierdeskJourneyStayed === true;"), "the queue page reloaded")
        status = driver.find_element(By.ID, "live-status").text
        check(reference in status, f"the queue's live line does not name {reference}: {status!r}")
        step(f"{reference} appeared in Anna's open queue without a reload ({status!r})")

        driver.get(url(f"/console/tickets/{reference}"))
        draft = f"Draft {marker}: checking the ribbon"
        box = wait_visible(driver, By.ID, "reply-body", f"{reference}'s reply box")
        box.send_keys(draft)
        driver.execute_script("window.tierdeskJourneyStayed = true;")
        answer = f"It is line 2, not line 3 ({marker})"
        other.find_element(By.ID, "reply-body").send_keys(answer)
        other.find_element(By.ID, "reply-submit").click()
        try:
            WebDriverWait(driver, WAIT_SECONDS).until(
                lambda d: answer in d.find_element(By.ID, "timeline").text
            )
        except TimeoutException:
            raise JourneyFailure("Jonas's reply did not appear in Anna's open ticket page") from None
        check(driver.execute_script("return window.tierdeskJourneyStayed === true;"), "the ticket page reloaded")
        said = driver.find_element(By.ID, "live-status").text
        check("Jonas" in said and "replied" in said, f"the ticket's live line does not say Jonas replied: {said!r}")
        kept = driver.find_element(By.ID, "reply-body").get_attribute("value")
        check(kept == draft, f"Anna's typed reply changed to {kept!r}")
        step(f"Jonas's reply appeared in Anna's page ({said!r}); her draft is untouched")

        log_out(other, JONAS)
        log_in(other, MANAGER, "/console")
        other.get(url(f"/console/tickets/{reference}"))
        presence = wait_visible(other, By.ID, "presence", f"who else is on {reference}").text
        check("Anna" in presence and "writing" in presence, f"Maria is not told Anna is writing: {presence!r}")
        step(f"Maria sees on {reference}: {presence!r}")
        accessible(driver, f"the live ticket page {reference}")
        log_out(other, MANAGER)
    finally:
        other.quit()
    log_out(driver, AGENT)


def templates_journey(driver):
    """Anna keeps a canned response and puts it into a reply, its placeholders filled from the ticket."""
    log_in(driver, AGENT, "/console")
    driver.get(url("/console/templates"))
    marker = uuid.uuid4().hex[:8]
    name = f"Restart spooler {marker}"
    wait_visible(driver, By.ID, "t-name", "the canned responses page").send_keys(name)
    driver.find_element(By.ID, "t-body").send_keys("Hello {requester_first_name}, {reference}: please restart the spooler. {agent}")
    driver.find_element(By.ID, "t-save").click()
    listed = wait_visible(driver, By.ID, "templates", "the saved canned response").text
    check(name in listed, f"the canned response {name} is not listed: {listed!r}")
    link = ticket_rows_link(driver)
    driver.get(url(link))
    reference = link.rsplit("/", 1)[1]
    Select(wait_visible(driver, By.ID, "template-choice", f"{reference}'s canned responses")).select_by_visible_text(name)
    insert = driver.find_element(By.ID, "template-insert")
    insert.click()
    wait_stale(driver, insert)
    box = wait_visible(driver, By.ID, "reply-body", "the reply box with the canned response")
    text = box.get_attribute("value")
    check(text.startswith("Hello ") and f"{reference}: please restart the spooler. Anna Berg" in text,
          f"the canned response was not filled from {reference}: {text!r}")
    step(f"Anna's canned response went into {reference}'s reply box: {text!r}")
    log_out(driver, AGENT)


def bulk_journey(driver):
    """Anna ticks two tickets of the L1 queue and assigns them to herself in one step."""
    log_in(driver, AGENT, "/console")
    driver.get(url("/console/queue?tier=L1"))
    chosen = references_of(ticket_rows(driver, "the L1 queue")[:2], "the L1 queue")
    for reference in chosen:
        # Looked up afresh: a live update may have swapped the list in since (until the first tick holds it).
        driver.find_element(By.CSS_SELECTOR, f'tr[data-reference="{reference}"] input[type=checkbox]').click()
    Select(driver.find_element(By.ID, "bulk-action")).select_by_value("assign")
    button = driver.find_element(By.ID, "bulk-submit")
    button.click()
    wait_stale(driver, button)
    notice = wait_visible(driver, By.CSS_SELECTOR, ".notice", "the bulk change's notice").text
    check(all(reference in notice for reference in chosen), f"the notice does not name {chosen}: {notice!r}")
    for reference in chosen:
        row = driver.find_element(By.CSS_SELECTOR, f'tr[data-reference="{reference}"]')
        owner = row.find_element(By.CSS_SELECTOR, "td[data-label=Owner]").text
        check(owner == "Anna Berg", f"{reference} is owned by {owner!r} after the bulk assignment")
    step(f"Anna assigned {', '.join(chosen)} to herself in one step ({notice!r})")
    log_out(driver, AGENT)


def ticket_rows_link(driver):
    """The path of the first ticket of the open queue."""
    driver.get(url("/console"))
    rows = ticket_rows(driver, "the open queue")
    return urlparse(rows[0].find_element(By.CSS_SELECTOR, "a.ticket-link").get_attribute("href")).path


TIERED_SERVICES = ("MES", "ERP interface", "Customer portal")


def escalate_with_evidence(driver, references):
    """L1 escalates a ticket of a tiered service (swarm services have no gates): first without
    evidence (refused, naming what is missing), then with it."""
    for reference in references:
        ticket_path = f"/console/tickets/{reference}"
        driver.get(url(ticket_path))
        facts = wait_visible(driver, By.CSS_SELECTOR, "dl.facts", f"ticket {reference}").text
        if any(f"Service\n{name}" in facts for name in TIERED_SERVICES):
            break
    else:
        raise JourneyFailure(f"no ticket of a tiered service in the L1 queue: {references}")
    def submit(fields):
        for field, value in fields:
            element = wait_visible(driver, By.ID, field, "escalation form")
            element.clear()
            element.send_keys(value)
        button = driver.find_element(By.ID, "escalate-submit")
        button.click()
        wait_stale(driver, button)

    # A file on the ticket (the reply's log, if this is that ticket) is evidence enough; what L1 tried is not.
    has_files = bool(driver.find_elements(By.ID, "attachments"))
    submit([("esc-reason", "Beyond what L1 can fix")])
    wait_visible(driver, By.CSS_SELECTOR, "p.error", "an escalation without evidence")
    tried = wait_visible(driver, By.ID, "esc-tried-error", "the refusal next to 'what L1 tried'")
    check("already tried" in tried.text, f"the refusal next to 'what L1 tried' is not plain: {tried.text!r}")
    evidence = driver.find_elements(By.ID, "esc-evidence-error")
    check(bool(evidence) != has_files, f"evidence asked for {'although' if has_files else 'only if'} a file is on the ticket")
    if evidence:
        check("log excerpt" in evidence[0].text, f"the refusal next to the evidence is not plain: {evidence[0].text!r}")
    kept = driver.find_element(By.ID, "esc-reason").get_attribute("value")
    check(kept == "Beyond what L1 can fix", f"the typed reason was lost: {kept!r}")
    step(
        f"escalation refused next to the fields: {tried.text!r}"
        + (f", {evidence[0].text!r}" if evidence else " (the ticket's file counts as evidence)")
        + "; the reason kept"
    )
    submit([("esc-reason", "Beyond what L1 can fix"), ("esc-tried", "Runbook steps 1-3"), ("esc-none", "The client shows no error")])
    wait_for_path(driver, ticket_path, "after escalating")
    timeline = wait_visible(driver, By.CSS_SELECTOR, "ol#timeline", "timeline after escalating").text
    check("escalated L1 → L2" in timeline, f"{reference}: the timeline shows no hand-off to L2")
    step(f"{reference} escalated to L2 with what was tried")


def requester_references(driver, email, organisation):
    log_in(driver, email, "/portal")
    rows = ticket_rows(driver, f"portal of {email}")
    organisations = [row.get_attribute("data-organisation") for row in rows]
    check(
        all(org == organisation for org in organisations),
        f"portal of {email} shows tickets of other organisations: {organisations}",
    )
    references = references_of(rows, f"portal of {email}")
    step(f"{email} sees {len(references)} {organisation} ticket(s): {', '.join(references)}")
    return references


def requester_journey(driver):
    jonas_refs = requester_references(driver, JONAS, "Kessler Automotive")
    log_out(driver, JONAS)

    sam_refs = requester_references(driver, SAM, "BrightCart")
    overlap = sorted(set(jonas_refs) & set(sam_refs))
    check(not overlap, f"Sam sees Kessler Automotive tickets: {overlap}")
    step("no ticket is shared between the two organisations")

    foreign = jonas_refs[0]
    driver.get(url(f"/portal/tickets/{foreign}"))
    heading = wait_visible(driver, By.TAG_NAME, "h1", f"/portal/tickets/{foreign} as Sam")
    check(
        "not found" in heading.text.lower(),
        f"Sam opened {foreign} of another organisation; h1 reads {heading.text!r}",
    )
    step(f"Sam gets 'not found' for {foreign}")
    log_out(driver, SAM)


def text_fresh(driver, by, selector, what):
    """The text of an element read afresh each try: a live update may swap its part of the page in while it
    is read (Chromium then reports the node as stale or as not belonging to the document)."""
    for _ in range(5):
        try:
            return wait_visible(driver, by, selector, what).text
        except WebDriverException as error:
            if isinstance(error, TimeoutException):
                raise
            continue
    raise JourneyFailure(f"{what}: {selector} kept being replaced")


def wait_notice(driver, expected, what, selector=".notice"):
    """Waits until the page's notice (or another `selector`) says `expected`: the page before a form was
    sent may still be shown for a moment, or be replaced while it is read; returns its text."""
    def said(d):
        try:
            found = d.find_elements(By.CSS_SELECTOR, selector)
            return found[0].text if found and expected in found[0].text else False
        except WebDriverException:
            return False
    try:
        return wait(driver).until(said)
    except TimeoutException:
        shown = [n.text for n in driver.find_elements(By.CSS_SELECTOR, ".notice, .error")]
        raise JourneyFailure(f"{what}: the page does not say {expected!r} (it shows {shown})") from None


def click_fresh(driver, by, selector, what):
    """Clicks an element found afresh each try: a live update may swap its part of the page in between."""
    for _ in range(5):
        try:
            driver.find_element(by, selector).click()
            return
        except WebDriverException as error:
            if isinstance(error, TimeoutException):
                raise
            continue
    raise JourneyFailure(f"{what}: {selector} kept being replaced")


def drop_file(driver, form_id, name, text):
    """Drops a file on a form as a browser's drag and drop does (a synthetic drop event with a real File)."""
    driver.execute_script(
        """
        var form = document.getElementById(arguments[0]);
        var data = new DataTransfer();
        data.items.add(new File([arguments[2]], arguments[1], { type: "text/plain" }));
        form.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
        form.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
        """,
        form_id,
        name,
        text,
    )
    hint = driver.find_element(By.CSS_SELECTOR, f"#{form_id} .drop-hint").text
    check(name in hint, f"the dropped file {name} is not named on the form: {hint!r}")


def admin_journey(driver):
    """The admin invites a requester, who chooses a password from the link and logs in; tries a triage rule
    on a ticket before saving it; sees the matrix, gates, channels and a schedule's coming week."""
    log_in(driver, ADMIN, "/console")
    driver.find_element(By.CSS_SELECTOR, "header a[href='/console/admin']").click()
    wait_for_path(driver, "/console/admin", "the header's Admin link")
    driver.find_element(By.LINK_TEXT, "People").click()
    wait_for_path(driver, "/console/admin/people", "the People link")
    marker = uuid.uuid4().hex[:8]
    email = f"newcomer-{marker}@kessler-automotive.example"
    wait_visible(driver, By.ID, "p-name", "the invitation form").send_keys(f"Nina {marker}")
    driver.find_element(By.ID, "p-email").send_keys(email)
    Select(driver.find_element(By.ID, "p-organisation")).select_by_visible_text("Kessler Automotive")
    driver.find_element(By.ID, "p-save").click()
    link = wait_visible(driver, By.CSS_SELECTOR, "#invite-link code", "the invitation's link").text
    check("/invite/" in link, f"the invitation shows no link: {link!r}")
    step(f"the admin invited {email}")

    newcomer = make_driver()
    try:
        newcomer.get(url(urlparse(link).path))
        wait_visible(newcomer, By.ID, "invite-password", "the invitation page")
        accessible(newcomer, "the invitation page")
        newcomer.find_element(By.ID, "invite-password").send_keys("journey-password-1")
        newcomer.find_element(By.ID, "invite-repeated").send_keys("journey-password-1")
        newcomer.find_element(By.ID, "invite-submit").click()
        wait_for_path(newcomer, "/login", "choosing a password")
        wait_notice(newcomer, "password is set", "the welcome notice")
        filled = newcomer.find_element(By.ID, "email").get_attribute("value")
        check(filled == email, f"the login form is not filled with {email}: {filled!r}")
        newcomer.find_element(By.ID, "password").send_keys("journey-password-1")
        newcomer.find_element(By.ID, "login-submit").click()
        wait_for_path(newcomer, "/portal", "the newcomer's first login")
        newcomer.get(url(urlparse(link).path))
        used = wait_visible(newcomer, By.CSS_SELECTOR, ".error", "the spent invitation").text
        check("used already" in used, f"a used invitation link still works: {used!r}")
        step("the newcomer chose a password from the link, logged in, and the link no longer works")
    finally:
        newcomer.quit()

    reference = ticket_rows_link(driver).rsplit("/", 1)[1]
    driver.get(url("/console/admin/triage-rules"))
    wait_visible(driver, By.ID, "r-name", "the rule builder").send_keys(f"Journey rule {marker}")
    driver.find_element(By.ID, "r-tag").send_keys(f"journey-{marker}")
    driver.find_element(By.ID, "r-test").send_keys(reference)
    driver.find_element(By.ID, "r-try").click()
    preview = wait_visible(driver, By.ID, "rule-preview", "the rule's preview").text
    check(f"matches {reference}" in preview and f"journey-{marker}" in preview,
          f"the preview does not show the rule's change on {reference}: {preview!r}")
    check(driver.find_element(By.ID, "r-name").get_attribute("value") == f"Journey rule {marker}",
          "the builder lost the rule after trying it")
    step(f"the triage rule was tried on {reference} before saving: {preview.splitlines()[1]!r}")

    driver.get(url("/console/admin/directory"))
    wait_visible(driver, By.ID, "svc-new-name", "the new-service form").send_keys(f"Journey service {marker}")
    Select(driver.find_element(By.ID, "svc-new-model")).select_by_value("swarm")
    click_fresh(driver, By.CSS_SELECTOR, "#svc-new button[type=submit]", "adding a service")
    services = text_fresh(driver, By.ID, "services", "the services after adding one")
    check(f"Journey service {marker}" in driver.page_source, f"the new service is not listed: {services[:200]!r}")
    step(f"the admin added the service Journey service {marker} (swarm)")

    driver.get(url("/console/admin/settings"))
    cells = driver.find_elements(By.CSS_SELECTOR, "#matrix-form select")
    check(len(cells) == 9, f"the priority matrix has {len(cells)} cells")
    driver.get(url("/console/admin/channels"))
    wait_visible(driver, By.ID, "integration-new", "the integrations form")
    driver.get(url("/console/oncall"))
    schedule = driver.find_elements(By.CSS_SELECTOR, "a[href^='/console/oncall/schedules/']:not([href$='/new'])")
    check(schedule, "the on-call page links no schedule editor")
    schedule[0].click()
    week = wait_visible(driver, By.ID, "rotation-week", "the schedule's coming week").text
    check("primary" in week and "nobody" not in week.split("\n")[1], f"the coming week reads {week!r}")
    wait_visible(driver, By.ID, "schedule-fields", "the schedule's field editor")
    step("matrix, channels and a schedule's coming week shown; the schedule is edited field by field")
    log_out(driver, ADMIN)


def vendor_journey(driver):
    """The vendor answers in its own thread; the customer does not read it until the owner forwards it; a
    watcher is told; a file dropped on the vendor form reaches the vendor."""
    log_in(driver, VERA, "/portal")
    rows = [row for row in ticket_rows(driver, "Vera's tickets") if "M7 021" in row.text and "again" not in row.text]
    check(rows, "Vera does not see the ticket escalated to NordERP")
    reference = references_of(rows[:1], "Vera's tickets")[0]
    driver.get(url(f"/portal/tickets/{reference}"))
    wait_visible(driver, By.ID, "vendor-note", "the vendor's view of the ticket")
    check(not driver.find_elements(By.CSS_SELECTOR, "section.description"), "the vendor reads the customer's description")
    timeline = driver.find_element(By.ID, "timeline").text
    check("Shared evidence" in timeline, f"the vendor does not read the shared checklist: {timeline[:200]!r}")
    marker = uuid.uuid4().hex[:8]
    answer = f"Patch for NE-88231 ships Friday ({marker})"
    driver.find_element(By.ID, "reply-body").send_keys(answer)
    submit = driver.find_element(By.ID, "reply-submit")
    submit.click()
    wait_stale(driver, submit)
    wait_notice(driver, "Reply sent", "Vera's answer")
    step(f"Vera answered in {reference}'s vendor thread")
    log_out(driver, VERA)

    log_in(driver, AGENT, "/console")
    driver.get(url(f"/console/tickets/{reference}"))
    wait_visible(driver, By.ID, "watch", f"{reference}'s Watch button")
    click_fresh(driver, By.ID, "watch", f"{reference}'s Watch button")
    wait_notice(driver, "Watching", f"Anna watching {reference}")
    log_out(driver, AGENT)

    log_in(driver, JONAS, "/portal")
    driver.get(url(f"/portal/tickets/{reference}"))
    page = wait_visible(driver, By.ID, "timeline", f"{reference} as Jonas").text
    check(marker not in page, "the customer reads the vendor's answer before it is forwarded")
    check("waiting for a third party" in driver.find_element(By.CSS_SELECTOR, "dl.facts").text,
          "the customer is not told the ticket waits on a third party")
    log_out(driver, JONAS)

    log_in(driver, CHEN, "/console")
    driver.get(url(f"/console/tickets/{reference}"))
    thread = text_fresh(driver, By.ID, "vendor-thread", f"{reference}'s vendor thread")
    check(marker in thread, "Vera's answer is not in the console's vendor thread")
    accessible(driver, f"{reference} with its vendor thread")
    drop_file(driver, "vendor-form", f"dropped-{marker}.log", "ERROR M7 021 trace")
    driver.find_element(By.ID, "vendor-body").send_keys(f"Trace attached ({marker}).")
    click_fresh(driver, By.ID, "vendor-submit", "sending to the vendor")
    wait_notice(driver, "Sent to the vendor", "the message to the vendor")
    click_fresh(
        driver,
        By.XPATH,
        f"//li[contains(@class, 'vendor-message')][contains(., '{marker}')]//button",
        "forwarding Vera's answer",
    )
    wait_notice(driver, "sent to the customer", "forwarding Vera's answer")
    step(f"Chen sent a dropped file to NordERP and forwarded Vera's answer to the customer")
    log_out(driver, CHEN)

    log_in(driver, JONAS, "/portal")
    driver.get(url(f"/portal/tickets/{reference}"))
    page = wait_visible(driver, By.ID, "timeline", f"{reference} as Jonas").text
    check("NordERP Systems wrote" in page and marker in page, "the forwarded answer did not reach the customer")
    check(f"dropped-{marker}.log" not in driver.page_source, "the customer sees the file meant for the vendor")
    log_out(driver, JONAS)

    log_in(driver, VERA, "/portal")
    driver.get(url(f"/portal/tickets/{reference}"))
    files = wait_visible(driver, By.ID, "attachments", "the files shared with Vera").text
    check(f"dropped-{marker}.log" in files, f"the dropped file did not reach the vendor: {files!r}")
    log_out(driver, VERA)

    log_in(driver, AGENT, "/console")
    driver.get(url("/console/notifications"))
    news = wait_visible(driver, By.ID, "notifications", "Anna's notifications").text
    check(f"{reference}: Chen Wei replied" in news, f"Anna, watching {reference}, was not told of Chen's reply")
    step(f"Anna, watching {reference}, was notified of Chen's reply; the vendor got the dropped file")
    log_out(driver, AGENT)


def requester_extras_journey(driver):
    """Jonas reads the known problems in the portal and chooses his time zone."""
    log_in(driver, JONAS, "/portal")
    driver.find_element(By.LINK_TEXT, "Known problems").click()
    known = wait_visible(driver, By.ID, "known-problems", "the known problems").text
    check("Label printer prints blank labels" in known, f"the public article is not listed: {known[:200]!r}")
    check("ribbon sensor is not calibrated" not in known, "the portal shows an article's root cause")
    driver.find_element(By.LINK_TEXT, "Settings").click()
    zone = wait_visible(driver, By.ID, "zone", "the settings page")
    zone.clear()
    zone.send_keys("Asia/Tokyo")
    save = driver.find_element(By.ID, "zone-save")
    save.click()
    wait_stale(driver, save)
    wait_notice(driver, "Saved", "saving the zone")
    chosen = driver.execute_script("return document.documentElement.getAttribute('data-time-zone')")
    check(chosen == "Asia/Tokyo", f"the portal's pages are not in the chosen zone: {chosen!r}")
    zone = driver.find_element(By.ID, "zone")
    zone.clear()
    save = driver.find_element(By.ID, "zone-save")
    save.click()
    wait_stale(driver, save)
    wait_notice(driver, "Saved", "clearing the zone")
    step("Jonas read the known problems (no root cause) and chose, then cleared, his time zone")
    log_out(driver, JONAS)


def open_in_portal(driver, title, description, attachment=None):
    """Opens a ticket in the portal, with a file if given; returns its reference."""
    driver.get(url("/portal/new"))
    wait_visible(driver, By.ID, "title", "the portal's new-ticket form").send_keys(title)
    driver.find_element(By.ID, "description").send_keys(description)
    if attachment:
        driver.find_element(By.ID, "files").send_keys(attachment)
    driver.find_element(By.ID, "open-submit").click()
    wait(driver).until(lambda d: re.search(r"/portal/tickets/TD-\d+", path_of(d)))
    return path_of(driver).rsplit("/", 1)[1]


def engineer_journey(driver):
    """Jonas opens a ticket with a screenshot and, by mistake, the same again; filters and searches his
    tickets. L2 Ben saves a view of his queue, merges the duplicate, links a ticket, records a data
    correction and a workaround."""
    marker = uuid.uuid4().hex[:8]
    log_in(driver, JONAS, "/portal")
    shot = os.path.join("/tmp", f"screen-{marker}.txt")
    with open(shot, "w") as handle:
        handle.write("screen of the label printer error\n")
    first = open_in_portal(driver, f"Labels smudged {marker}", "Line 2 labels are smudged.", shot)
    files = wait_visible(driver, By.ID, "attachments", "the file sent with the new ticket").text
    check(f"screen-{marker}.txt" in files, f"the portal's new ticket lost its file: {files!r}")
    os.remove(shot)
    second = open_in_portal(driver, f"Labels smudged {marker} (again)", "Still smudged on line 2.")
    driver.get(url("/portal"))
    driver.find_element(By.LINK_TEXT, "Open").click()
    listed = references_of(ticket_rows(driver, "Jonas's open tickets"), "Jonas's open tickets")
    check(first in listed and second in listed, f"the open filter does not list {first} and {second}")
    search = wait_visible(driver, By.CSS_SELECTOR, "input#search-q", "the portal's search box")
    search.send_keys(f"smudged {marker}")
    search.submit()
    wait_stale(driver, search)
    found = sorted(references_of(ticket_rows(driver, "Jonas's search"), "Jonas's search"))
    check(found == sorted([first, second]), f"searching his own tickets found {found}")
    step(f"Jonas opened {first} with a file and {second}; the Open filter and his search find both")
    log_out(driver, JONAS)

    log_in(driver, BEN, "/console")
    driver.get(url("/console/queue?tier=L2"))
    wait_visible(driver, By.ID, "view-name", "the save-view form").send_keys(f"My L2 {marker}")
    click_fresh(driver, By.ID, "view-save", "saving the view")
    views = text_fresh(driver, By.CSS_SELECTOR, "nav.views", "the saved views")
    check(f"My L2 {marker}" in views, f"the saved view is not listed: {views!r}")

    driver.get(url(f"/console/tickets/{second}"))
    wait_visible(driver, By.ID, "merge-into", "the merge form").send_keys(first)
    click_fresh(driver, By.ID, "merge-submit", "merging")
    wait_notice(driver, "erged", "the merge")
    driver.get(url(f"/console/tickets/{first}"))
    links = text_fresh(driver, By.ID, "links", "the merge's link")
    check(second in links, f"{first} does not list its duplicate {second}: {links!r}")
    step(f"Ben saved a view and merged {second} into {first}, which names it")

    wait_visible(driver, By.ID, "dc-target", "the data correction form").send_keys(f"Label job {marker}")
    driver.find_element(By.ID, "dc-change").send_keys("printer profile ZD-1 → ZD-2")
    driver.find_element(By.ID, "dc-reason").send_keys("Wrong profile after the firmware update")
    click_fresh(driver, By.ID, "correction-submit", "recording the correction")
    wait_notice(driver, "Data correction recorded", "the data correction")
    wait_visible(driver, By.ID, "wa-description", "the workaround form").send_keys("Print from line 3 meanwhile")
    click_fresh(driver, By.ID, "workaround-submit", "recording the workaround")
    wait_notice(driver, "Workaround recorded", "the workaround")
    timeline = text_fresh(driver, By.ID, "timeline", f"{first}'s timeline")
    check(f"corrected data in Label job {marker}" in timeline, "the correction is not in the timeline")
    step(f"Ben recorded a data correction and a workaround on {first}")
    log_out(driver, BEN)


def stale_page_journey(driver):
    """Ben, in a browser without JavaScript, writes a reply on a page Anna changes meanwhile: it is refused,
    naming her reply, with his text kept; sent again, it goes through."""
    log_in(driver, AGENT, "/console")
    reference = ticket_rows_link(driver).rsplit("/", 1)[1]
    plain = make_driver(javascript=False)
    try:
        log_in(plain, BEN, "/console")
        plain.get(url(f"/console/tickets/{reference}"))
        marker = uuid.uuid4().hex[:8]
        mine = f"Ben's reply {marker}"
        wait_visible(plain, By.ID, "reply-body", f"{reference} without JavaScript").send_keys(mine)

        driver.get(url(f"/console/tickets/{reference}"))
        wait_visible(driver, By.ID, "reply-body", f"{reference} as Anna").send_keys(f"Anna's answer {marker}")
        click_fresh(driver, By.ID, "reply-submit", "Anna's reply")
        wait_notice(driver, "Reply sent", "Anna's reply")

        plain.find_element(By.ID, "reply-submit").click()
        refusal = wait_notice(plain, "Anna Berg replied", "the stale reply's refusal", selector=".error")
        check("While you were writing your reply" in refusal,
              f"the stale reply was not refused naming Anna's reply: {refusal!r}")
        kept = wait_visible(plain, By.ID, "reply-body", "the refused reply").get_attribute("value")
        check(kept == mine, f"Ben's typed reply was not kept: {kept!r}")
        click_fresh(plain, By.ID, "reply-submit", "sending the reply again")
        wait_notice(plain, "Reply sent", "the reply sent again")
        step(f"Ben's stale reply on {reference} was refused ({refusal[:60]!r}…), kept, and sent again")
        log_out(plain, BEN)
    finally:
        plain.quit()
    log_out(driver, AGENT)


def notifications_journey(driver):
    log_in(driver, MANAGER, "/console")
    link = driver.find_element(By.CSS_SELECTOR, "header a[href='/console/notifications']")
    # The header counts what is unread (the timer may not have notified anyone yet).
    badge = link.find_elements(By.ID, "unread-count")
    if badge:
        check(re.fullmatch(r"\d+\+?", badge[0].text) is not None, f"the unread count reads {badge[0].text!r}")
        step(f"Maria's header shows {badge[0].text} unread notification(s)")
    link.click()
    wait_for_path(driver, "/console/notifications", "notifications link")

    def notified(d):
        if d.find_elements(By.CSS_SELECTOR, "#notifications li.sla_breach"):
            return True
        d.refresh()
        return False
    try:
        wait(driver).until(notified)
    except TimeoutException:
        raise JourneyFailure("the manager got no SLA breach notification for the overdue demo tickets") from None
    first = driver.find_element(By.CSS_SELECTOR, "#notifications li.sla_breach a")
    reference = first.text.strip()
    step(f"Maria has breach notifications, the first for {reference}")
    first.click()
    wait_for_path(driver, f"/console/tickets/{reference}", "following a notification")
    timeline = wait_visible(driver, By.CSS_SELECTOR, "#timeline", f"{reference} timeline").text
    check("SLA breached" in timeline, f"{reference}: the timeline shows no SLA breach")
    step(f"{reference} shows the breach in its timeline")
    log_out(driver, MANAGER)


def oncall_journey(driver):
    log_in(driver, MANAGER, "/console")
    driver.find_element(By.LINK_TEXT, "On call").click()
    wait_for_path(driver, "/console/oncall", "on-call link")
    schedules = wait_visible(driver, By.TAG_NAME, "main", "on-call page").text
    check("Production support" in schedules and "Operations owner" in schedules, "the demo's schedules are not listed")
    driver.find_element(By.LINK_TEXT, "Time off in lieu").click()
    wait_for_path(driver, "/console/oncall/time-off", "time-off link")
    # The demo's night page was two nights ago, which may be last month.
    if not driver.find_elements(By.CSS_SELECTOR, "table#time-off"):
        driver.find_element(By.PARTIAL_LINK_TEXT, "←").click()
    table = wait_visible(driver, By.CSS_SELECTOR, "table#time-off", "time off in lieu").text
    # Acknowledged 02:06, resolved 04:10, work logged 02:10-04:30: 144 minutes, once.
    check("Ben Okafor" in table and "2.40" in table, f"Ben's night is not owed as 2.40 hours: {table!r}")
    step("Maria sees the 2.40 hours Ben is owed for the night page")
    driver.find_element(By.LINK_TEXT, "Triage").click()
    wait_for_path(driver, "/console/triage", "triage link")
    owner = wait_visible(driver, By.ID, "operations-owner", "triage board").text
    check("(primary of Operations owner)" in owner, f"the operations owner does not come from the schedule: {owner!r}")
    step(f"the triage board names the week's operations owner from the schedule: {owner}")
    log_out(driver, MANAGER)


def reports_journey(driver):
    log_in(driver, MANAGER, "/console")
    driver.find_element(By.LINK_TEXT, "Reports").click()
    wait_for_path(driver, "/console/reports", "reports link")
    rows = wait_visible(driver, By.CSS_SELECTOR, "table#checklist tbody", "the checklist").find_elements(By.TAG_NAME, "tr")
    check(len(rows) == 7, f"the checklist has {len(rows)} controls, not 7")
    statuses = [row.find_element(By.CSS_SELECTOR, "span.status").text for row in rows]
    check(all(s in ("Met", "At risk", "Missed", "No data") for s in statuses), f"a control has no status: {statuses}")
    check("No data" not in statuses[:3], f"the demo leaves a main control without data: {statuses}")
    charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart[role=img] title")
    check(len(charts) >= 10, f"only {len(charts)} charts with a title")
    step(f"Maria sees the seven controls ({', '.join(statuses)}) with their trends")
    link = driver.find_element(By.CSS_SELECTOR, "table#tiers tbody tr:first-child td a")
    count = int(link.text)
    check(count > 0, "no ticket was resolved at L1 in the demo's last 30 days")
    link.click()
    wait_for_path(driver, "/console/reports/tickets", "drilling into the L1 resolutions")
    heading = wait_visible(driver, By.TAG_NAME, "h1", "the drill-down").text
    check("Resolved at L1" in heading, f"the drill-down is headed {heading!r}")
    listed = driver.find_elements(By.CSS_SELECTOR, "table#report-tickets tbody tr")
    check(len(listed) == count, f"the figure says {count} but the list holds {len(listed)} tickets")
    step(f"the {count} tickets resolved at L1 are listed behind the figure")
    first = listed[0].find_element(By.TAG_NAME, "a")
    reference = first.text.strip()
    first.click()
    wait_for_path(driver, f"/console/tickets/{reference}", "opening a ticket from the drill-down")
    step(f"{reference} opens from the list")
    customer_report_prints(driver)
    log_out(driver, MANAGER)


def incident_journey(driver):
    log_in(driver, AGENT, "/console")
    driver.find_element(By.LINK_TEXT, "Incidents").click()
    wait_for_path(driver, "/console/incidents", "incidents link")
    earlier = wait_visible(driver, By.TAG_NAME, "main", "the incident list").text
    check("Line 3 stopped" in earlier, "the demo's line 3 incident is not listed")

    def fill(fields):
        for field, value in fields:
            element = driver.find_element(By.ID, field)
            element.clear()
            element.send_keys(value)

    fill((("incident-title", "Scanner sync fails at Kessler hall 2"), ("incident-public-title", "Scanner sync delays")))
    Select(driver.find_element(By.ID, "incident-severity")).select_by_visible_text("Sev2")
    Select(driver.find_element(By.ID, "incident-service")).select_by_visible_text("Shop-floor scanners")
    driver.find_element(By.ID, "declare-submit").click()
    notice = wait_visible(driver, By.CSS_SELECTOR, ".notice", "declaring an incident")
    check("declared" in notice.text, f"no confirmation after declaring: {notice.text!r}")
    reference = driver.find_element(By.CSS_SELECTOR, "h1 .ref").text
    step(f"Anna declared {reference}")
    fill((("update-symptom", "scans not reaching the MES"), ("update-impact", "Hall 2 books by hand")))
    button = driver.find_element(By.ID, "update-preview-button")
    button.click()
    wait_stale(driver, button)
    preview = wait_visible(driver, By.ID, "update-preview", "the update preview").text
    check("We are investigating scans not reaching the MES" in preview, f"the preview reads {preview!r}")
    button = driver.find_element(By.ID, "update-send")
    button.click()
    wait_stale(driver, button)
    notice = wait_visible(driver, By.CSS_SELECTOR, ".notice", "sending the update")
    check("sent" in notice.text, f"no confirmation after sending: {notice.text!r}")
    step(f"{reference}: the update was previewed and sent")
    Select(driver.find_element(By.ID, "update-state")).select_by_visible_text("Resolved")
    button = driver.find_element(By.ID, "update-send")
    button.click()
    wait_stale(driver, button)
    wait_visible(driver, By.CSS_SELECTOR, ".notice", "sending the resolution")
    check(driver.find_element(By.ID, "incident-state").text == "Resolved", "the incident is not resolved")
    fill(
        (
            ("review-summary", "A scanner gateway certificate expired."),
            ("review-impact", "Hall 2 booked by hand for 40 minutes."),
            ("review-root-cause", "The certificate was not monitored."),
        )
    )
    button = driver.find_element(By.ID, "review-submit")
    button.click()
    wait_stale(driver, button)
    notice = wait_visible(driver, By.CSS_SELECTOR, ".notice", "saving the review")
    check("review is saved" in notice.text, f"no confirmation after the review: {notice.text!r}")
    driver.find_element(By.ID, "close-submit").click()
    wait_for_path(driver, "/console/incidents", "closing the incident")
    step(f"{reference} was resolved, reviewed and closed")
    driver.get(url("/status"))
    status = wait_visible(driver, By.TAG_NAME, "main", "the status page").text
    check("Scanner sync delays" in status, "the status page does not show the incident's public title")
    check("Kessler" not in status and "hall 2" not in status, "the status page shows internal text")
    step("the public status page shows the public title only")
    driver.get(url("/console/incidents"))
    log_out(driver, AGENT)


def customer_report_prints(driver):
    driver.get(url("/console/reports"))
    driver.find_element(By.LINK_TEXT, "Customer SLA reports").click()
    wait_for_path(driver, "/console/reports/customer", "customer reports link")
    driver.find_element(By.LINK_TEXT, "Kessler Automotive").click()
    heading = wait_visible(driver, By.TAG_NAME, "h1", "Kessler's SLA report").text
    check("Kessler Automotive" in heading, f"the customer report is headed {heading!r}")
    sections = driver.find_elements(By.CSS_SELECTOR, "section.sheet")
    pdf = base64.b64decode(driver.print_page())
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    check(len(sections) == 4 and pages == len(sections), f"{len(sections)} sections printed on {pages} pages")
    hours = driver.find_element(By.CSS_SELECTOR, "section#hours").text
    check("Tier 2" in hours, f"Kessler's support hours do not name its plan: {hours!r}")
    step(f"Kessler's SLA report prints one page per section ({pages} pages)")


def sla_settings_journey(driver):
    log_in(driver, ADMIN, "/console")
    driver.find_element(By.LINK_TEXT, "SLA").click()
    wait_for_path(driver, "/console/sla", "SLA link")
    calendars = wait_visible(driver, By.CSS_SELECTOR, "table#calendars", "SLA settings").text
    check("plant-shifts" in calendars, "the SLA settings do not list the demo's plant-shifts calendar")

    def fill(zone):
        for field, value in (("cal-name", "night-shift"), ("cal-zone", zone), ("cal-mon", "22:00-24:00"), ("cal-tue", "00:00-06:00")):
            element = driver.find_element(By.ID, field)
            element.clear()
            element.send_keys(value)
        button = driver.find_element(By.ID, "calendar-save")
        button.click()
        wait_stale(driver, button)

    fill("Mars/Base")
    error = wait_visible(driver, By.CSS_SELECTOR, ".error", "a calendar with an unknown time zone")
    check("calendar.timeZone" in error.text, f"the refusal does not name the time zone: {error.text!r}")
    step(f"unknown time zone refused: {error.text.strip()!r}")
    fill("Europe/Berlin")
    notice = wait_visible(driver, By.CSS_SELECTOR, ".notice", "saving a calendar")
    check("Calendar saved" in notice.text, f"no confirmation after saving a calendar: {notice.text!r}")
    calendars = driver.find_element(By.CSS_SELECTOR, "table#calendars").text
    check("night-shift" in calendars and "22:00-24:00" in calendars, "the new calendar is not listed with its hours")
    step("the admin added the night-shift calendar")
    log_out(driver, ADMIN)


def billing_journey(driver):
    """Maria opens last month's statement of Kessler Automotive, logs time on one of its tickets, and finds
    it on this month's statement; Jonas sees Kessler's support hours in the portal."""
    log_in(driver, MANAGER, "/console")
    driver.find_element(By.LINK_TEXT, "Billing").click()
    wait_for_path(driver, "/console/billing", "billing link")
    rows = wait_visible(driver, By.CSS_SELECTOR, "table#balances tbody", "the balances").find_elements(By.TAG_NAME, "tr")
    check(len(rows) == 2, f"the billing page lists {len(rows)} contracted organisations, not 2")
    plans = driver.find_elements(By.CSS_SELECTOR, "table#plans tbody tr")
    names = [row.find_element(By.TAG_NAME, "td").text for row in plans]
    check(names == ["Pay as you go", "Tier 1", "Tier 2", "Tier 3"], f"the demo's plans are {names}")
    step(f"Maria sees this month's balances and the plans {', '.join(names)}")
    previous = driver.find_element(By.PARTIAL_LINK_TEXT, "←")
    previous.click()
    wait_stale(driver, previous)
    kessler = wait_visible(
        driver,
        By.XPATH,
        "//table[@id='balances']//tr[contains(., 'Kessler Automotive')]//a[contains(@class, 'statement-link')]",
        "Kessler's statement link",
    )
    kessler.click()
    heading = wait_visible(driver, By.TAG_NAME, "h1", "the statement").text
    check("Statement · Kessler Automotive" in heading, f"the statement is headed {heading!r}")
    total = driver.find_element(By.CSS_SELECTOR, "#statement-total").text
    check(total.startswith("EUR "), f"the statement's total reads {total!r}")
    lines = driver.find_elements(By.CSS_SELECTOR, "table#statement-lines tbody tr")
    check(len(lines) > 0, "last month's statement has no lines")
    step(f"last month's statement: {len(lines)} ticket line(s), total {total}")
    link = lines[0].find_element(By.TAG_NAME, "a")
    reference = link.text.strip()
    link.click()
    wait_for_path(driver, f"/console/tickets/{reference}", "opening a ticket from the statement")
    minutes = wait_visible(driver, By.CSS_SELECTOR, "input#time-minutes", "the time form")
    minutes.send_keys("45")
    driver.find_element(By.CSS_SELECTOR, "input#time-note").send_keys("Checked the interface log with the plant")
    driver.find_element(By.CSS_SELECTOR, "button#time-submit").click()
    wait_stale(driver, minutes)
    notice = wait_visible(driver, By.CSS_SELECTOR, "p.notice", "the time notice").text
    check("Time logged" in notice, f"logging time says {notice!r}")
    entries = driver.find_element(By.CSS_SELECTOR, "table#time-entries").text
    check("Checked the interface log with the plant" in entries, "the logged time is not listed on the ticket")
    step(f"Maria logged 45 minutes on {reference}")
    driver.find_element(By.LINK_TEXT, "Billing").click()
    wait_for_path(driver, "/console/billing", "billing link")
    wait_visible(
        driver,
        By.XPATH,
        "//table[@id='balances']//tr[contains(., 'Kessler Automotive')]//a[contains(@class, 'statement-link')]",
        "Kessler's statement link",
    ).click()
    wait_visible(driver, By.CSS_SELECTOR, "#statement-total", "this month's statement")
    current = driver.find_element(By.CSS_SELECTOR, "table#statement-lines").text
    check(reference in current, f"{reference} is not on this month's statement")
    step(f"{reference} is on this month's statement")
    log_out(driver, MANAGER)
    log_in(driver, JONAS, "/portal")
    driver.find_element(By.LINK_TEXT, "Support hours").click()
    wait_for_path(driver, "/portal/billing", "the support hours link")
    heading = wait_visible(driver, By.TAG_NAME, "h1", "the portal statement").text
    check("Kessler Automotive" in heading, f"Jonas's support hours are headed {heading!r}")
    step("Jonas sees Kessler Automotive's support hours and statement in the portal")
    log_out(driver, JONAS)


SCREENSHOTS = os.environ.get("TIERDESK_SCREENSHOTS", "/tmp/tierdesk-screenshots")
PHONE = (390, 844)
DESKTOP = (1440, 900)


def accessible(driver, what):
    """The page passes axe-core's checks (axe-selenium-python) with no serious or critical violation."""
    axe = Axe(driver)
    axe.inject()
    violations = [v for v in axe.run()["violations"] if v["impact"] in ("serious", "critical")]
    check(
        not violations,
        f"{what}: accessibility violations "
        + "; ".join(f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}" for v in violations),
    )


def page_widths(driver, who, email, landing, paths):
    """Each page at desktop and phone widths: a screenshot of both for review, axe-core's accessibility
    checks at both, and at 390 px nothing wider than the screen (the page scrolls down, never sideways)."""
    log_in(driver, email, landing)
    link = driver.find_elements(By.CSS_SELECTOR, "a.ticket-link")
    check(link, f"{who}: no ticket to open on {landing}")
    paths = paths + [urlparse(link[0].get_attribute("href")).path]
    os.makedirs(SCREENSHOTS, exist_ok=True)
    try:
        for width, height in (DESKTOP, PHONE):
            driver.set_window_size(width, height)
            for path in paths:
                driver.get(url(path))
                wait_visible(driver, By.TAG_NAME, "h1", f"{who} at {width} px")
                name = f"{who}-{path.strip('/').replace('/', '-').replace('?', '-').replace('=', '-') or 'start'}-{width}.png"
                driver.save_screenshot(os.path.join(SCREENSHOTS, name))
                accessible(driver, f"{who}: {path} at {width} px")
                if (width, height) == PHONE:
                    page, screen = driver.execute_script(
                        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                    )
                    check(page <= screen, f"{who}: {path} is {page} px wide on a {screen} px phone screen")
            if (width, height) == PHONE:
                driver.get(url(landing))
                rows = driver.find_elements(By.CSS_SELECTOR, "tr.ticket-row")
                check(rows, f"{who}: no tickets on {landing} at {width} px")
                display = driver.execute_script("return getComputedStyle(arguments[0]).display", rows[0])
                check(display == "block", f"{who}: ticket rows are not cards at {width} px ({display})")
    finally:
        driver.set_window_size(1280, 900)
    step(
        f"{who}: {len(paths)} pages fit {PHONE[0]} px and pass axe-core at both widths; "
        f"screenshots in {SCREENSHOTS}"
    )
    log_out(driver, email)


def phone_journey(driver):
    page_widths(
        driver,
        "agent",
        AGENT,
        "/console",
        ["/console", "/console/triage", "/console/notifications", "/console/oncall", "/console/known-errors",
         "/console/sla", "/console/reports", "/console/billing", "/console/incidents", "/console/time-off",
         "/console/templates"],
    )
    page_widths(
        driver,
        "requester",
        JONAS,
        "/portal",
        ["/portal", "/portal/new", "/portal/sla-report", "/portal/billing", "/portal/known-errors", "/portal/settings"],
    )
    page_widths(
        driver,
        "admin",
        ADMIN,
        "/console",
        ["/console/admin", "/console/admin/people", "/console/admin/directory", "/console/admin/settings",
         "/console/admin/channels", "/console/admin/triage-rules", "/console/oncall/schedules/new",
         "/console/oncall/policies/new"],
    )
    page_widths(driver, "vendor", VERA, "/portal", ["/portal"])
    page_widths(driver, "engineer", CHEN, "/console", ["/console/queue?tier=L3", "/console/known-errors"])
    page_widths(driver, "manager", MANAGER, "/console", ["/console/reports", "/console/oncall", "/console/incidents"])


def main():
    step(f"base URL {BASE_URL}")
    driver = make_driver()
    try:
        agent_journey(driver)
        live_journey(driver)
        templates_journey(driver)
        bulk_journey(driver)
        requester_journey(driver)
        requester_extras_journey(driver)
        admin_journey(driver)
        vendor_journey(driver)
        engineer_journey(driver)
        stale_page_journey(driver)
        notifications_journey(driver)
        oncall_journey(driver)
        reports_journey(driver)
        billing_journey(driver)
        incident_journey(driver)
        sla_settings_journey(driver)
        phone_journey(driver)
    except Exception as error:  # noqa: BLE001 - report any failure the same way
        print(f"journey: FAILED: {error}", file=sys.stderr, flush=True)
        if not isinstance(error, JourneyFailure):
            traceback.print_exc()
        try:
            print(f"journey: browser was on {driver.current_url}", file=sys.stderr)
            driver.save_screenshot(SCREENSHOT)
            print(f"journey: screenshot saved to {SCREENSHOT}", file=sys.stderr)
        except Exception:  # noqa: BLE001
            pass
        return 1
    finally:
        driver.quit()
    step("all steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
