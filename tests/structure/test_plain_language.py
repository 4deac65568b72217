"""Plain language, one language at a time, on every page each role reaches from the navigation.

For each role of the issue (the city's administrator, standing board and democracy-law officer,
a commune's democracy-law officer, the commune's trade-union officer, and an anonymous citizen)
every page of its navigation, and the detail pages of its committee's rows, are rendered in
Vietnamese and in English. The text a person reads (text and the attributes read aloud, outside
``<code>``, scripts and parts marked with another ``lang``) must hold

* no internal value: no stored value of the code's enumerations (statuses, roles, levels,
  history actions, steps, answer values, channel codes, the vocabulary's codes) and no
  snake_case identifier;
* nothing of the other language: no English text of the catalogue on a Vietnamese page, no
  Vietnamese translation on an English one.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from html.parser import HTMLParser
from urllib.parse import unquote

import httpx
from babel.messages.pofile import read_po

from giamsat.accounts.roles import Role
from giamsat.cases.statuses import Status
from giamsat.reports.labels import STATUS_LABELS as REPORT_STATUSES
from giamsat.rulepacks.vocabulary import TABLES
from giamsat.tenancy.levels import Level
from giamsat.web.i18n import N_, Translator, catalogue_path
from giamsat.web.labels import HISTORY_ACTIONS, MEMBER_ROLES, STEPS
from tests.factories import Factory
from tests.structure.ba_dinh import BaDinhRows

CITY, COMMUNE = "01", "00004"
LANGUAGES = ("vi", "en")
#: (committee, role, organisation) of each account the issue names.
ACCOUNTS = {
    "admin": (CITY, "admin", ""),
    "standing board": (CITY, "standing_board", ""),
    "city officer": (CITY, "democracy_law", ""),
    "commune officer": (COMMUNE, "democracy_law", ""),
    "trade-union officer": (COMMUNE, "partner_officer", "union"),
}
PUBLIC_PAGES = (
    "/login",
    "/portal/",
    f"/portal/{COMMUNE}/report",
    "/portal/status",
    "/api/v1/docs",
    "/no-such-page",
)

_CODES = (
    {s.value for s in Status}
    | {r.value for r in Role}
    | {lv.value for lv in Level}
    | set(HISTORY_ACTIONS)
    | set(STEPS)
    | set(MEMBER_ROLES)
    | set(REPORT_STATUSES)
    | {code for table in TABLES.values() for code in table}
)
#: On a Vietnamese page every stored value is out of place; on an English one a value that is
#: also a plain English word ("draft", "head") may be that word, so only the coded ones count.
_INTERNAL = {
    "vi": re.compile(
        r"(?<![\w/.@-])(" + "|".join(sorted(map(re.escape, _CODES))) + r")(?![\w/.@-])"
    ),
    "en": re.compile(
        r"(?<![\w/.@-])("
        + "|".join(sorted(re.escape(c) for c in _CODES if not c.isalpha()))
        + r")(?![\w/.@-])"
    ),
}
_SNAKE = re.compile(r"(?<![\w/.@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/.@-])")
_READ_ALOUD = ("aria-label", "title", "alt", "placeholder")


class _Readable(HTMLParser):
    """The texts a person reads or hears: text nodes and the attributes read aloud, except in
    ``<code>``, scripts, styles, form values, and parts marked with another language."""

    SKIP = frozenset({"script", "style", "code", "textarea", "svg"})
    VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"})

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.texts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, hidden from this check)

    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        other = values.get("lang") not in (None, self.language)
        hidden = self._hidden() or tag in self.SKIP or other or values.get("translate") == "no"
        if not hidden:
            self.texts += [v for k, v in attrs if k in _READ_ALOUD and v]
        if tag not in self.VOID:
            self._stack.append((tag, hidden))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                return

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._hidden():
            self.texts.append(text)


def _readable(html: str, language: str) -> list[str]:
    parser = _Readable(language)
    parser.feed(html)
    return parser.texts


def _catalogue() -> tuple[set[str], set[str]]:
    """(English texts, Vietnamese texts) of the catalogue that differ between the languages,
    cut at their placeholders into the pieces that appear on a page as they are."""
    with catalogue_path("vi", ".po").open("rb") as handle:
        catalogue = read_po(handle, locale="vi")
    english: set[str] = set()
    vietnamese: set[str] = set()
    for message in catalogue:
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        strings = (message.string,) if isinstance(message.string, str) else message.string
        for source, words in ((ids, english), (tuple(strings), vietnamese)):
            for text in source:
                for piece in re.split(r"%\(\w+\)[sd]|%[sd]", text):
                    piece = " ".join(piece.split()).strip(" ,.:;()")
                    if piece:
                        words.add(piece)
    same = english & vietnamese
    return english - same, vietnamese - same


ENGLISH, VIETNAMESE = _catalogue()


def _other_language(texts: list[str], language: str) -> list[str]:
    """Texts of the other language's catalogue: a whole text, or a piece of four words or more
    inside one (a short word alone may be a name or a code)."""
    other = ENGLISH if language == "vi" else VIETNAMESE
    found = []
    for text in texts:
        bare = text.strip(" ,.:;()·—–*")
        if bare in other:
            found.append(bare)
            continue
        found += [p for p in other if len(p.split()) >= 4 and p in text]
    return found


def _problems(html: str, language: str) -> list[str]:
    texts = _readable(html, language)
    joined = "\n".join(texts)
    internal = set(_INTERNAL[language].findall(joined)) | set(_SNAKE.findall(joined))
    other = "English" if language == "vi" else "Vietnamese"
    mixed = {f"{other} text {t!r}" for t in _other_language(texts, language)}
    return sorted({f"internal value {v!r}" for v in internal}) + sorted(mixed)


def _nav_links(html: str) -> list[str]:
    menu = (
        html.split('id="main-menu"', 1)[1].split("</ul>", 1)[0] if 'id="main-menu"' in html else ""
    )
    return re.findall(r'href="(/c/[^"#?]*)"', menu)  # fmt: skip


def _detail_pages(rows: BaDinhRows) -> list[str]:
    """The pages of one committee's rows, each reached from one of its lists."""
    base = f"/c/{rows.code}"
    return [
        f"{base}/cases/{rows.case_id}",
        f"{base}/delegations/{rows.delegation_id}",
        f"{base}/recommendations/{rows.recommendation_id}",
        f"{base}/feedback/{rows.feedback_id}",
        f"{base}/portal/{rows.signal_id}",
        f"{base}/submissions/{rows.submission_id}",
        f"{base}/plans/versions/{rows.version_id}",
        f"{base}/plans/drafts/{rows.draft_id}",
        f"{base}/cadres/new",
        f"{base}/cadres/import",
    ]


def _switch_link(resp: httpx.Response, language: str) -> str:
    """The page's link to the other language, which comes back to this very page."""
    other = "en" if language == "vi" else "vi"
    here = resp.url.path + (f"?{resp.url.query.decode()}" if resp.url.query else "")
    link = re.search(r'href="(/language\?to=' + other + r'&amp;next=[^"]*)"', resp.text)
    assert link is not None, (here, "no language link")
    href = link.group(1).replace("&amp;", "&")
    # (the app serves a path with or without its last slash alike)
    assert unquote(href.split("next=", 1)[1]).rstrip("/") == here.rstrip("/"), (here, href)
    return href


async def _switch_back_and_forth(client: httpx.AsyncClient, path: str) -> None:
    """Follow the language link of ``path`` twice: each time the same page, the other language."""
    resp = await client.get(path)
    language = "en" if 'lang="en"' in resp.text[:200] else "vi"
    for _ in range(2):
        switched = await client.get(_switch_link(resp, language))
        assert switched.status_code in (302, 303), (path, switched.status_code)
        assert switched.headers["location"].rstrip("/") == path.rstrip("/"), path
        language = "en" if language == "vi" else "vi"
        resp = await client.get(path)
        assert f'lang="{language}"' in resp.text[:200], (path, language)


async def _walk(client: httpx.AsyncClient, extra: list[str], found: dict[str, list[str]]) -> int:
    """Every page of the navigation and ``extra``, in each language; the number rendered."""
    rendered = 0
    for language in LANGUAGES:
        switched = await client.get(f"/language?to={language}&next=/login")
        assert switched.status_code in (302, 303)
        home = await client.get("/", follow_redirects=True)
        pages = (
            [str(home.url.path), *_nav_links(home.text), *extra]
            if "/c/" in str(home.url)
            else list(extra)
        )
        for path in dict.fromkeys(pages):
            resp = await client.get(path, follow_redirects=True)
            if resp.status_code in (403, 404) and path in extra and "/c/" in path:
                continue  # a detail page this role may not open
            assert resp.status_code in (200, 404), (path, resp.status_code)
            assert f'lang="{language}"' in resp.text[:200], (path, language)
            _switch_link(resp, language)
            rendered += 1
            if problems := _problems(resp.text, language):
                found[f"{path} [{language}]"] = problems
    return rendered


async def test_every_page_speaks_one_language_and_no_internal_value(
    factory: Factory, rows_of: Callable[[str], Awaitable[BaDinhRows]]
) -> None:
    # given the rows of a commune (cases, delegation, feedback, portal report …) and of the city
    # (removed after the walk: later suites count these committees' rows)
    commune, city = await rows_of(COMMUNE), await rows_of(CITY)
    found: dict[str, list[str]] = {}
    rendered = 0
    # when each role opens every page of its navigation, and its committee's detail pages,
    # in Vietnamese and in English
    for committee, role, organisation in ACCOUNTS.values():
        client, _ = await factory.page_client(committee, role, organisation=organisation)
        rows = commune if committee == COMMUNE else city
        rendered += await _walk(client, _detail_pages(rows), found)
        # and the language link works on a missing page and on the API reference, signed in
        for path in (f"/c/{committee}/no-such-page", "/api/v1/docs", f"/c/{committee}/cases"):
            await _switch_back_and_forth(client, path)
    # and an anonymous citizen opens the public pages
    anonymous = factory.client()
    rendered += await _walk(anonymous, list(PUBLIC_PAGES), found)
    for path in ("/no-such-page", "/api/v1/docs", "/portal/status"):
        await _switch_back_and_forth(anonymous, path)
    # then every page speaks one language, links to the other one (which comes back to the
    # same page, signed in or not, error pages included) and shows names, never stored values
    assert rendered > 100, "the walk rendered too few pages"
    assert found == {}, "\n".join(f"{page}: {'; '.join(p)}" for page, p in found.items())


def test_the_check_sees_what_it_is_meant_to_see() -> None:
    # given a Vietnamese page with a stored status, a snake_case code and an English text,
    # and an English page holding a Vietnamese translation of the catalogue
    vi_page = (
        '<html lang="vi"><p>Trạng thái: awaiting_answer</p><p>Cases</p>'
        '<a lang="en" href="#">English</a><code>ho_ten</code></html>'
    )
    en_page = '<html lang="en"><p>Vụ việc</p><span aria-label="Danh mục"></span><p>draft</p></html>'
    # when they are checked
    vi, en = _problems(vi_page, "vi"), _problems(en_page, "en")
    # then the stored value and the other language are found, what is marked or coded is not
    assert "internal value 'awaiting_answer'" in vi and "English text 'Cases'" in vi
    assert not any("English'" in p or "ho_ten" in p for p in vi)
    assert "Vietnamese text 'Vụ việc'" in en and "Vietnamese text 'Danh mục'" in en
    assert not any("draft" in p for p in en)


async def test_the_api_answers_from_the_same_catalogue_in_the_callers_language(
    factory: Factory,
) -> None:
    # given the catalogue's words for a page that is not there, and an officer's API token
    vietnamese = Translator("vi").gettext(N_("There is no page here."))
    api, _ = await factory.api_client(COMMUNE)
    anonymous = factory.client()
    # when the API is asked for what does not exist, without and with English asked for
    plain = await anonymous.get("/api/v1/no-such-thing")
    english = await anonymous.get("/api/v1/no-such-thing", headers={"Accept-Language": "en-GB"})
    officer = await api.get("/api/v1/no-such-thing")
    # then it answers in Vietnamese by default, in English when asked, as the pages do
    assert plain.status_code == english.status_code == officer.status_code == 404
    assert plain.json()["message"] == vietnamese != "There is no page here."
    assert english.json()["message"] == "There is no page here."
    assert officer.json()["message"] == vietnamese
    page = await anonymous.get("/no-such-thing")
    assert vietnamese in page.text
