"""Browser end-to-end tests of accounts: API tokens, invitations, isolation, sign-out, disabling.

The caller starts the server (CUTROOM_URL) with CUTROOM_ADMIN_EMAIL / CUTROOM_ADMIN_PASSWORD
and passes the same two here. The admin signs in, makes a read token in the tokens page (the
secret is shown once, reads with `Authorization: Bearer` and is refused a write), invites a
member from the users page; the member accepts the link in a browser of their own, sees none
of the admin's projects, signs out and in again; the admin disables the member, whose next
request shows the sign-in form. A sign-in refused too often says how long to wait.

CUTROOM_SETUP_URL, when set, is a second server with an empty storage and no admin variables:
its first-run setup page is filled in.

Screenshots of each screen land in Tests/artifacts/accounts-*.png.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select

from test_web_e2e import BASE_URL, Flow, new_driver, run, server, sign_in_if_asked, tid  # noqa: F401 (server is a fixture)

ADMIN_EMAIL = os.environ.get("CUTROOM_ADMIN_EMAIL", "")
ADMIN_PASSWORD = os.environ.get("CUTROOM_ADMIN_PASSWORD", "")
SETUP_URL = os.environ.get("CUTROOM_SETUP_URL", "").rstrip("/")
MEMBER_PASSWORD = "member password, long enough"


def call(method: str, url: str, body: object | None = None, token: str | None = None) -> tuple[int, dict, dict]:
    """(status, JSON body, headers) of one request to the API at `url`."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return response.status, json.loads(text) if text else {}, dict(response.headers)
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, json.loads(text) if text else {}, dict(error.headers)


def api(method: str, path: str, body: object | None = None, token: str | None = None) -> tuple[int, dict]:
    status, data, _ = call(method, f"{BASE_URL}/api/v1{path}", body, token)
    return status, data


@pytest.fixture(scope="module")
def admin_token(server: str) -> str:
    assert ADMIN_EMAIL and ADMIN_PASSWORD, "set CUTROOM_ADMIN_EMAIL and CUTROOM_ADMIN_PASSWORD (the server's first admin)"
    status, body = api("POST", "/auth/login", {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert status == 200, body
    return body["data"]["token"]


def open_menu_item(flow: Flow, item: str) -> None:
    flow.click(flow.one("user-menu"))
    flow.click(flow.one(f"user-menu-{item}"))


def fill(flow: Flow, test_id: str, text: str) -> None:
    field = flow.one(test_id)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(text)


def sign_in(flow: Flow, email: str, password: str) -> None:
    flow.one("sign-in-form")
    fill(flow, "sign-in-email", email)
    fill(flow, "sign-in-password", password)
    flow.click(flow.one("sign-in-submit"))


def row_with(flow: Flow, test_id: str, text: str):
    return flow.wait().until(lambda _: next((r for r in flow.all(test_id) if text in r.text), False), message=f"no {test_id} with {text!r}")


def test_tokens_invites_isolation_and_disabling(server: str, admin_token: str) -> None:
    pid = os.getpid()
    admin_project = f"Admin only {pid}"
    status, created = api("POST", "/projects", {"name": admin_project}, admin_token)
    assert status in (200, 201), created
    member_email = f"member-{pid}@example.test"

    admin_driver = new_driver(1280, 800)
    member_driver: WebDriver | None = None
    admin = Flow(admin_driver, "accounts")
    try:
        def body():
            nonlocal member_driver
            browser = admin.browser

            # 1. Signed out, the app asks for a sign-in (not the setup form: an admin exists).
            browser.get(server + "/")
            admin.one("sign-in-form")
            assert not admin.all("setup-form")
            admin.shot("1-sign-in")
            sign_in(admin, ADMIN_EMAIL, "not the password")
            error = admin.one("sign-in-error")
            assert "wrong" in error.text.lower(), error.text
            sign_in(admin, ADMIN_EMAIL, ADMIN_PASSWORD)
            admin.one("dashboard")
            row = row_with(admin, "project-card", admin_project)
            assert row

            # 2. The user menu: the admin's name or email, Escape closes it, Users is offered.
            menu = admin.one("user-menu")
            assert menu.text.strip(), "the user menu shows no name"
            admin.click(menu)
            admin.one("user-menu-users")
            assert menu.get_attribute("aria-expanded") == "true"
            browser.switch_to.active_element.send_keys(Keys.ESCAPE)
            admin.wait().until(lambda _: not admin.all("user-menu-account"), message="Escape did not close the menu")
            assert browser.switch_to.active_element == menu, "Escape should give focus back to the menu button"

            # 3. Tokens: create a read token; its secret is shown once.
            open_menu_item(admin, "tokens")
            admin.wait().until(lambda b: b.current_url.endswith("#/tokens"))
            admin.one("tokens-page")
            fill(admin, "token-create-name", f"e2e read {pid}")
            Select(admin.one("token-create-scope")).select_by_value("read")
            Select(admin.one("token-create-expiry")).select_by_value("30")
            admin.click(admin.one("token-create-submit"))
            secret = admin.wait().until(lambda _: (v := admin.one("token-secret").get_attribute("value")) and v, message="no secret shown")
            assert secret.startswith("cr_"), secret
            assert "not be shown again" in admin.one("token-created").text
            admin.click(admin.one("token-secret-copy"))
            admin.wait().until(lambda _: admin.one("token-secret-copy").text == "Copied", message="Copy did not confirm")
            token_row = row_with(admin, "token-row", f"e2e read {pid}")
            assert "read" in token_row.text and "never" in token_row.find_element(By.CSS_SELECTOR, tid("token-last-used")).text
            assert "in 30 days" in token_row.text or "in 29 days" in token_row.text, token_row.text
            admin.shot("3-tokens")

            # ... it reads with Authorization: Bearer, and a write is refused (403).
            status, listed = api("GET", "/projects", token=secret)
            assert status == 200, listed
            assert admin_project in [p["name"] for p in listed["data"]]
            status, refused = api("POST", "/projects", {"name": "Not with a read token"}, secret)
            assert status == 403, refused
            assert refused["error"]["code"] == "READ_ONLY_TOKEN", refused

            # ... and after a reload it is gone from the page for good, while its last use shows.
            browser.refresh()
            token_row = row_with(admin, "token-row", f"e2e read {pid}")
            assert not admin.all("token-secret")
            assert secret not in browser.page_source
            assert token_row.find_element(By.CSS_SELECTOR, tid("token-last-used")).text != "never"

            # ... a revoked token stops working at once (revoking asks first).
            fill(admin, "token-create-name", f"e2e doomed {pid}")
            admin.click(admin.one("token-create-submit"))
            doomed = admin.wait().until(lambda _: (v := admin.one("token-secret").get_attribute("value")) and v != secret and v)
            assert api("GET", "/projects", token=doomed)[0] == 200
            admin.click(row_with(admin, "token-row", f"e2e doomed {pid}").find_element(By.CSS_SELECTOR, tid("token-revoke")))
            assert "stop working" in admin.one("confirm-dialog").text
            admin.click(admin.one("confirm-ok"))
            admin.wait().until(lambda _: not any(f"e2e doomed {pid}" in r.text for r in admin.all("token-row")), message="the revoked token is still listed")
            assert not admin.all("token-secret"), "the revoked token's secret is still on screen"
            assert api("GET", "/projects", token=doomed)[0] == 401

            # 4. Users: invite a member; the one-time link is shown.
            open_menu_item(admin, "users")
            admin.one("users-page")
            fill(admin, "user-invite-email", member_email)
            Select(admin.one("user-invite-role")).select_by_value("member")
            admin.click(admin.one("user-invite-submit"))
            link = admin.wait().until(lambda _: (v := admin.one("invite-link").get_attribute("value")) and v, message="no invite link")
            assert re.search(r"#/invite/[^/]+$", link), link
            member_row = row_with(admin, "user-row", member_email)
            assert member_row.get_attribute("data-status") == "invited"
            # Inviting the same address again is refused with the server's reason (409).
            fill(admin, "user-invite-email", member_email)
            admin.click(admin.one("user-invite-submit"))
            assert "email" in admin.one("user-invite-error").text.lower()
            admin.shot("4-users")

            # ... a second invitee: a new link replaces the old one, the role changes, and deleting asks first.
            temp_email = f"temp-{pid}@example.test"
            fill(admin, "user-invite-email", temp_email)
            admin.click(admin.one("user-invite-submit"))
            first_link = admin.wait().until(lambda _: (v := admin.one("invite-link").get_attribute("value")) and v != link and v)
            admin.click(row_with(admin, "user-row", temp_email).find_element(By.CSS_SELECTOR, tid("user-reinvite")))
            second_link = admin.wait().until(lambda _: (v := admin.one("invite-link").get_attribute("value")) and v != first_link and v, message="no new invite link")
            assert api("GET", "/auth/invites/" + first_link.rsplit("/", 1)[1])[0] == 404, "the replaced link still works"
            assert api("GET", "/auth/invites/" + second_link.rsplit("/", 1)[1])[0] == 200
            Select(row_with(admin, "user-row", temp_email).find_element(By.CSS_SELECTOR, tid("user-role"))).select_by_value("admin")
            admin.wait().until(lambda _: api("GET", "/users", token=admin_token)[1]["data"] and next(u for u in api("GET", "/users", token=admin_token)[1]["data"] if u["email"] == temp_email)["role"] == "admin")
            admin.click(row_with(admin, "user-row", temp_email).find_element(By.CSS_SELECTOR, tid("user-delete")))
            dialog = admin.one("confirm-dialog")
            assert "projects" in dialog.text and "cannot be undone" in dialog.text, dialog.text
            admin.shot("4b-delete-confirm")
            admin.click(admin.one("confirm-ok"))
            admin.wait().until(lambda _: not any(temp_email in r.text for r in admin.all("user-row")), message="the deleted user is still listed")
            assert all(u["email"] != temp_email for u in api("GET", "/users", token=admin_token)[1]["data"])

            # 5. The member opens the link in a browser of their own (no cookies) and joins.
            member_driver = new_driver(1280, 800)
            member = Flow(member_driver, "accounts-member")
            member_driver.delete_all_cookies()
            member_driver.get(link)
            assert member_email in member.one("invite-email").text
            member.shot("5-invite")
            fill(member, "invite-password", MEMBER_PASSWORD)
            fill(member, "invite-confirm", MEMBER_PASSWORD + "x")
            member.click(member.one("invite-submit"))
            assert "match" in member.browser.find_element(By.ID, "invite-confirm-error").text
            fill(member, "invite-confirm", MEMBER_PASSWORD)
            member.click(member.one("invite-submit"))

            # ... and sees an empty dashboard: the admin's projects are not theirs.
            member.one("dashboard")
            assert member_email.split("@")[0] in member.one("user-menu").text or member_email in member.one("user-menu").text
            member.wait().until(lambda _: "0 projects" in member.one("dashboard").text, message="the member's dashboard is not empty")
            assert admin_project not in member.browser.page_source
            assert not member.all("project-card")
            # The link worked once.
            status, _ = api("GET", "/auth/invites/" + link.rsplit("/", 1)[1])
            assert status == 404
            member.click(member.one("user-menu"))
            member.one("user-menu-tokens")
            assert not member.all("user-menu-users"), "a member is offered the users page"
            member.shot("5-member-dashboard-menu")
            # The menu is a keyboard menu: arrows move, Escape closes.
            member.browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
            assert member.browser.switch_to.active_element.get_attribute("data-testid") == "user-menu-tokens"
            member.browser.switch_to.active_element.send_keys(Keys.ESCAPE)
            member.wait().until(lambda _: not member.all("user-menu-tokens"))
            # A click outside closes it too.
            member.click(member.one("user-menu"))
            member.one("user-menu-account")
            member.click(member.one("dashboard"))
            member.wait().until(lambda _: not member.all("user-menu-account"), message="a click outside did not close the menu")

            # 6. The member names themselves and changes their password on the account page.
            open_menu_item(member, "account")
            member.one("account-page")
            fill(member, "account-name", "Mia Member")
            member.click(member.one("account-name-save"))
            member.wait().until(lambda _: "Mia Member" in member.one("user-menu").text, message="the header does not show the new name")
            new_password = MEMBER_PASSWORD + " changed"
            fill(member, "account-current-password", "not my password")
            fill(member, "account-new-password", new_password)
            fill(member, "account-confirm-password", new_password)
            member.click(member.one("account-password-save"))
            wrong = member.wait().until(lambda b: next(iter(b.find_elements(By.ID, "account-current-password-error")), False), message="no error at the current password")
            assert "wrong" in wrong.text.lower(), wrong.text
            member.shot("6-account")
            fill(member, "account-current-password", MEMBER_PASSWORD)
            member.click(member.one("account-password-save"))
            member.wait().until(lambda _: member.one("account-current-password").get_attribute("value") == "", message="the password was not changed")
            assert not member.browser.find_elements(By.ID, "account-current-password-error")

            # ... signs out, and signs in again with the new password.
            open_menu_item(member, "sign-out")
            member.one("sign-in-form")
            assert "signed out" in member.one("sign-in-form").text.lower()
            sign_in(member, member_email, MEMBER_PASSWORD)
            assert "wrong" in member.one("sign-in-error").text.lower()
            sign_in(member, member_email, new_password)
            member.one("dashboard")
            assert "Mia Member" in member.one("user-menu").text

            # 7. The admin sees the member active, and disables them.
            browser.refresh()
            member_row = row_with(admin, "user-row", member_email)
            admin.wait().until(lambda _: row_with(admin, "user-row", member_email).get_attribute("data-status") == "active")
            admin.click(row_with(admin, "user-row", member_email).find_element(By.CSS_SELECTOR, tid("user-disable")))
            admin.wait().until(lambda _: row_with(admin, "user-row", member_email).get_attribute("data-status") == "disabled")
            # The admin cannot disable or delete themselves from the page.
            own = row_with(admin, "user-row", ADMIN_EMAIL)
            assert not own.find_element(By.CSS_SELECTOR, tid("user-delete")).is_enabled()

            # ... the member's next request ends their session: the sign-in form shows.
            fill(member, "project-create-input", "After disabling")
            member.click(member.one("project-create-button"))
            member.one("sign-in-form")
            sign_in(member, member_email, new_password)
            assert "disabled" in member.one("sign-in-error").text.lower()
            member.shot("7-disabled")

        run(admin, body)
    finally:
        admin_driver.quit()
        if member_driver:
            member_driver.quit()


def test_sign_in_refused_too_often_says_how_long_to_wait(server: str) -> None:
    driver = new_driver(1280, 800)
    flow = Flow(driver, "accounts-limit")
    try:
        def body():
            driver.get(server + "/")
            # Failures count per account, and this one does not exist: five wrong tries, then a wait.
            email = f"nobody-{os.getpid()}@example.test"
            for attempt in range(6):
                sign_in(flow, email, f"wrong password {attempt}")
                flow.wait().until(lambda _: flow.all("sign-in-error") and flow.one("sign-in-submit").is_enabled())
                if "Too many attempts" in flow.one("sign-in-error").text:
                    break
            text = flow.one("sign-in-error").text
            assert re.fullmatch(r"Too many attempts, try again in \d+ s", text), text
            flow.shot("limit")

        run(flow, body)
    finally:
        driver.quit()


@pytest.mark.skipif(not SETUP_URL, reason="CUTROOM_SETUP_URL (a server with no account yet) is not set")
def test_first_run_setup() -> None:
    status, body, _ = call("GET", f"{SETUP_URL}/api/v1/auth/setup")
    assert status == 200 and body["data"]["required"] is True, body
    driver = new_driver(1280, 800)
    flow = Flow(driver, "accounts-setup")
    try:
        def body():
            driver.get(SETUP_URL + "/")
            flow.one("setup-form")
            assert not flow.all("sign-in-form")
            flow.shot("setup")
            fill(flow, "setup-email", "first@example.test")
            fill(flow, "setup-name", "First Admin")
            fill(flow, "setup-password", "short")
            fill(flow, "setup-confirm", "short")
            flow.click(flow.one("setup-submit"))
            assert "at least 8" in driver.find_element(By.ID, "setup-password-error").text
            fill(flow, "setup-password", "first admin password")
            fill(flow, "setup-confirm", "first admin password")
            flow.click(flow.one("setup-submit"))
            flow.one("dashboard")
            assert "First Admin" in flow.one("user-menu").text
            flow.click(flow.one("user-menu"))
            flow.one("user-menu-users")
            status, after, _ = call("GET", f"{SETUP_URL}/api/v1/auth/setup")
            assert after["data"]["required"] is False, after

        run(flow, body)
    finally:
        driver.quit()
