"""Checks the account commands end to end on a temporary SQLite database: organisation add, user add with
--password-stdin, token issue, and the clear errors a mistyped command gets."""
import os
import subprocess
import sys
import tempfile

binary = sys.argv[1]
failed = False


def run(*args, stdin=""):
    return subprocess.run([binary, *args], input=stdin, capture_output=True, text=True, env=env)


def check(condition, message, result):
    global failed
    if condition:
        print(f"accounts: {message}: ok")
    else:
        print(f"accounts: {message}: exit {result.returncode}, stdout {result.stdout!r}, stderr {result.stderr[-400:]!r}")
        failed = True


with tempfile.TemporaryDirectory() as directory:
    env = dict(os.environ, TIERDESK_DATABASE_URL=f"sqlite://{directory}/accounts.sqlite")
    added = run("organisation", "add", "--name", "Kessler Automotive", "--shares-tickets")
    check(added.returncode == 0 and "Added Kessler Automotive" in added.stdout, "organisation add", added)
    person = run("user", "add", "--email", "jonas@example.com", "--name", "Jonas Weber", "--role", "requester",
                 "--organisation", "Kessler Automotive", "--password-stdin", stdin="a long password\n")
    check(person.returncode == 0 and "as requester" in person.stdout, "user add with --password-stdin", person)
    token = run("token", "issue", "--email", "jonas@example.com")
    check(token.returncode == 0 and token.stdout.strip().startswith("tdk_") and len(token.stdout.strip()) == 47,
          "token issue prints only the token", token)
    unknown = run("user", "add", "--email", "x@example.com", "--name", "X", "--role", "requester", "--organisation", "Nowhere")
    check(unknown.returncode != 0 and "No organisation Nowhere" in unknown.stderr and "Kessler Automotive" in unknown.stderr,
          "an unknown organisation is named with the known ones", unknown)
    no_tier = run("user", "add", "--email", "y@example.com", "--name", "Y", "--role", "agent")
    check(no_tier.returncode != 0 and "tier: is required for an agent" in no_tier.stderr, "an agent without a tier is refused", no_tier)
    twice = run("user", "add", "--email", "JONAS@example.com", "--name", "Twin", "--role", "admin")
    check(twice.returncode != 0 and "exists already" in twice.stderr, "a second person with the same e-mail is refused", twice)
    nobody = run("token", "issue", "--email", "nobody@example.com")
    check(nobody.returncode != 0 and "No person has the e-mail nobody@example.com" in nobody.stderr, "a token for nobody is refused", nobody)
sys.exit(1 if failed else 0)
