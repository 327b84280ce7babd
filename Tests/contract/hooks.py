"""Schemathesis hooks for the API contract test (loaded through SCHEMATHESIS_HOOKS by schemathesis_run.py).

- The caller's own credentials are kept working: schemathesis learns ids from answers (GET /api/v1/me,
  GET /api/v1/tokens) and would otherwise revoke the very token it runs with, or deactivate the admin it
  runs as, and every later request would be a 401. A request that names one of the ids in
  TIERDESK_CONTRACT_PROTECTED (comma-separated) in `DELETE /api/v1/tokens/{tokenId}` or
  `PATCH /api/v1/people/{personId}` is sent for an id that names nothing instead (the server answers 404).
- `message/rfc822` bodies (POST /api/v1/mail/inbound) are sent as raw bytes, like application/octet-stream.
- An attachment upload (`*/*`) that schemathesis would send as application/x-www-form-urlencoded goes as
  application/octet-stream: a form cannot carry a file's bytes, and schemathesis would send an empty body.
"""
import os

import schemathesis

PROTECTED = {value.strip().lower() for value in os.environ.get("TIERDESK_CONTRACT_PROTECTED", "").split(",") if value.strip()}
UNKNOWN_ID = "00000000-0000-4000-8000-00000000dead"
GUARDED = {
    ("DELETE", "/api/v1/tokens/{tokenId}"): "tokenId",
    ("PATCH", "/api/v1/people/{personId}"): "personId",
}

schemathesis.serializer.alias("message/rfc822", "application/octet-stream")


@schemathesis.hook
def before_call(context, case, kwargs):
    if (case.method.upper(), case.path) == ("POST", "/api/v1/tickets/{reference}/attachments") \
            and (case.media_type or "").startswith("application/x-www-form-urlencoded"):
        case.media_type = "application/octet-stream"
    name = GUARDED.get((case.method.upper(), case.path))
    if name is None or not isinstance(case.path_parameters, dict):
        return
    value = case.path_parameters.get(name)
    if isinstance(value, str) and value.strip().lower() in PROTECTED:
        case.path_parameters[name] = UNKNOWN_ID
