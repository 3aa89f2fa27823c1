"""The browser's side of medvault: the sign-in form, the session cookie and the CSRF tokens pages carry.
"""

from __future__ import annotations

import html
import re

import requests

from suite import USER_AGENT

# --- the browser: sign-in form, session cookie, CSRF ---------------------------------------------

LOGIN_CSRF_COOKIE = "medvault_login_csrf"
SESSION_COOKIE = "medvault_session"


def hidden_field(page: str, name: str) -> str | None:
    """The value of `<input … name="NAME" … value="…">` in an HTML page (attribute order free)."""
    for tag in re.findall(r"<input\b[^>]*>", page, flags=re.IGNORECASE):
        if re.search(rf"""\bname\s*=\s*["']{re.escape(name)}["']""", tag):
            value = re.search(r"""\bvalue\s*=\s*["']([^"']*)["']""", tag)
            return html.unescape(value.group(1)) if value else None
    return None


def meta_csrf(page: str) -> str | None:
    """The session CSRF token a page carries in `<meta name="csrf-token" content="…">`."""
    for tag in re.findall(r"<meta\b[^>]*>", page, flags=re.IGNORECASE):
        if re.search(r"""\bname\s*=\s*["']csrf-token["']""", tag):
            content = re.search(r"""\bcontent\s*=\s*["']([^"']*)["']""", tag)
            return html.unescape(content.group(1)) if content else None
    return None


def set_cookie_headers(response: requests.Response) -> list[str]:
    """Every `Set-Cookie` header of a response, unjoined."""
    return list(response.raw.headers.getlist("Set-Cookie"))


class Browser:
    """A browser against one server: a cookie jar, no bearer token, redirects not followed."""

    def __init__(self, server: "MedvaultServer"):
        self.server = server
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.trust_env = False

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.session.get(self.server.url(path), **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.session.post(self.server.url(path), **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.session.delete(self.server.url(path), **kwargs)

    def login_form(self) -> str:
        """GETs /login and returns the form's csrf_token (the login CSRF cookie is now set)."""
        response = self.get("/login")
        assert response.status_code == 200, response.text[:300]
        token = hidden_field(response.text, "csrf_token")
        assert token, "the sign-in form carries a hidden csrf_token"
        return token

    def sign_in(self, email: str, password: str, csrf: str | None = ...) -> requests.Response:
        """Submits the sign-in form (fetching it first for its csrf_token unless `csrf` is given; None
        omits the field)."""
        if csrf is ...:
            csrf = self.login_form()
        form = {"email": email, "password": password} | ({"csrf_token": csrf} if csrf is not None else {})
        return self.post("/login", data=form)

    def signed_in(self, email: str, password: str) -> str:
        """Signs in (expecting success) and returns the session's CSRF token from the home page."""
        response = self.sign_in(email, password)
        assert response.status_code == 303, f"sign-in failed: {response.status_code} {response.text[:300]}"
        return self.session_csrf()

    def session_csrf(self) -> str:
        home = self.get("/")
        assert home.status_code == 200, f"GET / -> {home.status_code} {home.headers.get('Location')}"
        token = meta_csrf(home.text)
        assert token, "the home page carries <meta name=\"csrf-token\">"
        return token
