"""Take the README's screenshots again from a fresh demo: ``.venv/bin/python tools/screenshots.py``.

It builds the SQLite demo in a temporary folder, serves it on a free loopback port, and has
Debian's chromium (through Playwright) photograph, at 1366 px and at 375 px:
- the home page (work queue) of Phường Ba Đình's democracy-law officer;
- the first case of that ward's list;
- the city's report page.
The pictures go to ``docs/screenshots/``; the server and the folder are gone afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "screenshots-demo-pass"  # noqa: S105 (the throw-away demo's own accounts)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTHS = {"desktop": 1366, "phone": 375}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _login(page: Page, base: str, committee: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#committee", committee)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/c/{committee}/")


def _shoot(page: Page, name: str, width: str) -> None:
    path = OUT / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"wrote {path.relative_to(ROOT)}")


def photograph(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for width, pixels in WIDTHS.items():
            ward = browser.new_page(locale="vi-VN", viewport={"width": pixels, "height": 900})
            _login(ward, base, "00004", "badinh")
            _shoot(ward, "home", width)
            ward.goto(f"{base}/c/00004/cases")
            ward.locator("table.govuk-table tbody tr a").first.click()
            ward.wait_for_load_state()
            _shoot(ward, "case", width)
            ward.close()
            city = browser.new_page(locale="vi-VN", viewport={"width": pixels, "height": 900})
            _login(city, base, "01", "danchu")
            city.goto(f"{base}/c/01/reports")
            city.wait_for_load_state()
            _shoot(city, "city-reports", width)
            city.close()
        browser.close()


def main() -> int:
    giamsat = str(Path(sys.executable).with_name("giamsat"))
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "GIAMSAT_DATABASE_URL": f"sqlite:///{folder}/demo.sqlite",
            "GIAMSAT_SECRET_KEY": "screenshots",
            "GIAMSAT_IDENTITY_KEY": "screenshots-key",
        }
        demo = [giamsat, "demo", "--no-serve", "--password", PASSWORD]
        subprocess.run(demo, env=env, check=True, capture_output=True, timeout=300)  # noqa: S603
        port = _free_port()
        serve = [giamsat, "serve", "--port", str(port)]
        server = subprocess.Popen(  # noqa: S603 (our own command, no shell)
            serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            else:
                print("the demo server did not become ready", file=sys.stderr)
                return 1
            OUT.mkdir(parents=True, exist_ok=True)
            photograph(base)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
