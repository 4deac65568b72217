"""Every page and API answer carries the security headers; no page has inline script or style."""

from __future__ import annotations

import re

import httpx
from litestar import Litestar

from giamsat.web.app import create_app
from tests.conftest import Database
from tests.factories import Factory
from tests.structure.routes import RouteCall, fill

OWN = "00037"  # Phường Phúc Tân: the logged-in administrator's committee
VALUES = {"code": OWN, "committee": OWN}

EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}
#: An inline script, an inline event handler or a javascript: URL, or an inline style.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:|<style[\s>]|\sstyle\s*=", re.I
)


def _problems(where: str, resp: httpx.Response) -> list[str]:
    found = []
    csp = resp.headers.get("content-security-policy", "")
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
                      "object-src 'none'"):  # fmt: skip
        if directive not in csp:
            found.append(f"{where}: CSP lacks {directive!r}")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        found.append(f"{where}: CSP allows unsafe-inline/eval")
    for name, value in EXPECTED.items():
        if resp.headers.get(name) != value:
            found.append(f"{where}: {name} is {resp.headers.get(name)!r}")
    if "camera=()" not in resp.headers.get("permissions-policy", ""):
        found.append(f"{where}: no Permissions-Policy")
    if resp.headers.get("content-type", "").startswith("text/html") and INLINE.search(resp.text):
        found.append(f"{where}: inline script or style: {INLINE.search(resp.text)}")
    return found


async def test_every_page_and_api_answer_has_the_security_headers(
    factory: Factory, app: Litestar, routes: list[RouteCall]
) -> None:
    # given an administrator logged in through the login page and every GET route of the app
    client, _ = await factory.page_client(OWN, "admin")
    api, _ = await factory.api_client(OWN, "admin")
    problems: list[str] = []
    gets = [c for c in routes if c.method == "GET"]
    assert len(gets) > 30, "the walk found too few pages"
    # when each is fetched (pages with the session cookie, the API with the bearer token)
    for call in gets:
        resp = await (api if call.is_api else client).get(fill(call, VALUES))
        problems += _problems(f"{call} -> {resp.status_code}", resp)
    # and an anonymous visitor asks for a page, a portal page, a route that does not exist and
    # a method a route does not allow
    async with factory.client() as anonymous:
        for path in ("/login", "/portal/", "/no/such/page", "/api/v1/nothing"):
            resp = await anonymous.get(path)
            problems += _problems(f"anonymous GET {path} -> {resp.status_code}", resp)
        resp = await anonymous.delete("/login")
        problems += _problems(f"anonymous DELETE /login -> {resp.status_code}", resp)
    # then every answer carries the headers, and no HTML page has inline script or style
    assert problems == []


async def test_hsts_and_secure_cookies_over_tls_but_not_on_the_loopback_demo(db: Database) -> None:
    # given the app with the default cookie setting (Secure)
    app = create_app(db.settings(secure_cookies=True), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    # when the login page is served over https
    async with httpx.AsyncClient(transport=transport, base_url="https://giamsat.example") as tls:
        resp = await tls.get("/login")
    # then HSTS is sent and the CSRF cookie is Secure
    assert resp.headers["strict-transport-security"].startswith("max-age=")
    assert "secure" in resp.headers["set-cookie"].lower()
    # when the same page is served over plain http to the public name
    async with httpx.AsyncClient(transport=transport, base_url="http://giamsat.example") as plain:
        resp = await plain.get("/login")
    # then no HSTS (it is only meaningful over TLS) but the cookie is still Secure
    assert "strict-transport-security" not in resp.headers
    assert "secure" in resp.headers["set-cookie"].lower()
    # when the demo is opened on loopback over plain http
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as demo:
        resp = await demo.get("/login")
    # then the cookie is not Secure (a browser would drop it there)
    assert "secure" not in resp.headers["set-cookie"].lower()
