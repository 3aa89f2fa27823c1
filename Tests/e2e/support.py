"""Helpers for the end-to-end suite: run the real `medvault` binary, talk HTTP to it, read its database.

Nothing here mocks the server: every test drives the built executable over loopback and checks what a
client (and an auditor reading its database, see databases.py) would see.

The helpers live in modules by concern, re-exported here so that test modules keep importing from `support`:
suite (paths, prefixes, environment, the CLI), identities (secret, administrator, tokens), servers (the process
and what it stores), api_client (the JSON API), sessions (the browser), http_helpers (multipart bodies, error
envelopes) and raw_http (streamed uploads over a socket).
"""

# ruff: noqa: F401, F403
from api_client import *
from http_helpers import *
from identities import *
from raw_http import *
from servers import *
from sessions import *
from suite import *
