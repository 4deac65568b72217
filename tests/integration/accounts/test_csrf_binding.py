"""The CSRF token of a logged-in person belongs to their session, and to no other."""

from __future__ import annotations

import httpx

from tests.factories import csrf

#: A form that changes nothing with this body (the current password is wrong): 422 when the
#: CSRF check lets it through, 403 when it does not.
FORM = "/c/001/password"


def _body(token: str) -> dict[str, str]:
    return {"current_password": "not-the-password", "new_password": "x", "_csrf_token": token}


def _plant_csrf_cookie(client: httpx.AsyncClient, value: str) -> None:
    """Overwrite the browser's CSRF cookie (as a script on a sibling subdomain could)."""
    for cookie in client.cookies.jar:
        if cookie.name == "giamsat_csrf":
            cookie.value = value


async def test_a_csrf_token_works_only_with_the_session_it_was_made_for(factory):
    # given two people of Quận Ba Đình logged in through the login page
    alice, _ = await factory.page_client("001")
    bob, _ = await factory.page_client("001")
    try:
        alice_token, bob_token = csrf(alice), csrf(bob)
        # then each holds a different token (it is derived from the session)
        assert alice_token and bob_token and alice_token != bob_token
        # when Bob's browser posts a form carrying Alice's token (planted, or copied)
        planted = await bob.post(FORM, data=_body(alice_token))
        # and when Bob's browser also holds Alice's token as its CSRF cookie
        _plant_csrf_cookie(bob, alice_token)
        forged = await bob.post(FORM, data=_body(alice_token))
        # then both are refused
        assert planted.status_code == 403 and forged.status_code == 403
        # and Bob's own token still works (a page view puts it back in the cookie)
        await bob.get("/c/001/")
        assert csrf(bob) == bob_token
        ok = await bob.post(FORM, data=_body(bob_token))
        assert ok.status_code == 422
    finally:
        await alice.aclose()
        await bob.aclose()


async def test_the_token_of_the_login_form_does_not_outlive_the_login(factory):
    # given a visitor who fetched the login form (an anonymous token) and then logged in
    client, _ = await factory.page_client("001")
    async with factory.client() as other:
        await other.get("/login")
        anonymous = csrf(other)
    try:
        # when the logged-in browser posts with an anonymous token, even a validly signed one
        _plant_csrf_cookie(client, anonymous)
        resp = await client.post(FORM, data=_body(anonymous))
        # then it is refused: only the session's own token is accepted once logged in
        assert resp.status_code == 403
    finally:
        await client.aclose()
