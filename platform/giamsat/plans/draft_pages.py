"""The plan editor's pages (/c/{code}/plans/drafts/…) and a published version read back.

Thin: each handler reads its form, calls :mod:`giamsat.plans.drafts`, and re-renders the same
page with the problems beside their inputs (input kept) when an edit is refused.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_200_OK

from giamsat import clock
from giamsat.errors import InvalidInput, NotFound
from giamsat.plans import draft_forms as forms
from giamsat.plans.addition_drafts import (
    ADDITION_FILE,
    addition_problems,
    addition_rules,
    with_rules,
)
from giamsat.plans.draft_review import changes_since_base
from giamsat.plans.drafts import (
    EDITABLE,
    DraftChanged,
    DraftRefused,
    DraftView,
    approve_draft,
    check_change,
    edit_addition,
    edit_draft,
    get_draft,
    list_drafts,
    replace_files,
    return_draft,
    start_addition_draft,
    start_draft,
    submit_draft,
)
from giamsat.plans.files import from_uploads, materialised
from giamsat.plans.pack_words import change_words, pack_view, rule_lines
from giamsat.plans.service import PackRejected, history, published_version
from giamsat.plans.simulation import simulate
from giamsat.rulepacks.loader import read_pack
from giamsat.rulepacks.workbook import WorkbookInvalid, export_workbook
from giamsat.rulepacks.workbook_import import read_plan_workbook
from giamsat.rulepacks.writer import pack_files
from giamsat.web.downloads import content_disposition
from giamsat.web.guards import approver, current_tenant, logged_in, staff
from giamsat.web.i18n import N_
from giamsat.web.rendering import page, request_language, translator

BASE = "/c/{code:str}/plans/drafts"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _said(request: Request[Any, Any, Any], problems: forms.Problems) -> forms.Problems:
    """The problems in the page's language (texts from the catalogue; others as they are)."""
    tr = translator(request)
    return {field: [tr.gettext(m) for m in messages] for field, messages in problems.items()}


def _revision(form: Any) -> int:
    try:
        return int(str(form.get("revision")))
    except (TypeError, ValueError):
        raise InvalidInput(N_("The page is out of date: reload it"), field="revision") from None


def _draft_id(value: str) -> int:
    if not value.isdigit() or len(value) > 12:
        raise NotFound(N_("There is no such plan draft"), field="draft")
    return int(value)


async def _overview_page(
    request: Request[Any, Any, Any], draft: DraftView, status_code: int = 200, **extra: Any
) -> Template:
    lang = request_language(request)
    loaded = draft.loaded()
    from giamsat.rulepacks.checks import sanity_warnings

    warnings = [w.text(lang) for w in sanity_warnings(loaded.pack, loaded.docs)]
    changes = (
        await changes_since_base(draft.base_version, draft.files) if draft.base_version else []
    )
    view = pack_view(loaded, lang)
    added = rule_lines(addition_rules(draft.files), loaded, lang) if draft.is_addition else []
    if draft.is_addition:
        changes = []
    return page(
        request,
        "plans/draft.html",
        status_code=status_code,
        draft=draft,
        view=view,
        change_words=lambda changes: change_words(changes, view, lang),
        added=added,
        editable=draft.status in EDITABLE,
        warnings=warnings,
        changes=changes,
        today=clock.today(),
        **extra,
    )


class PlanDraftPages(Controller):
    include_in_schema = False
    guards = [logged_in]

    @get(BASE)
    async def index(self, request: Request[Any, Any, Any], code: str) -> Template:
        ctx = current_tenant(request)
        versions = [v for v in await history(code) if v.committee_code == ctx.committee_code]
        return page(
            request,
            "plans/drafts.html",
            drafts=await list_drafts(ctx),
            versions=versions,
            next_year=clock.today().year + 1,
            problems={},
        )

    @post(BASE, guards=[staff], status_code=HTTP_200_OK)
    async def start(self, request: Request[Any, Any, Any], code: str) -> Response[Any]:
        ctx = current_tenant(request)
        form = await request.form()
        try:
            year = int(str(form.get("year") or ""))
            if form.get("kind") == "addition":
                draft = await start_addition_draft(ctx, year)
                return Redirect(f"/c/{code}/plans/drafts/{draft.id}")
            base = int(str(form.get("base") or ""))
        except ValueError:
            raise InvalidInput(
                N_("Choose the plan to start from and the year"), field="year"
            ) from None
        draft = await start_draft(ctx, base, year)
        return Redirect(f"/c/{code}/plans/drafts/{draft.id}")

    @get(BASE + "/{draft:str}")
    async def show(self, request: Request[Any, Any, Any], code: str, draft: str) -> Template:
        ctx = current_tenant(request)
        return await _overview_page(request, await get_draft(ctx, _draft_id(draft)))

    # -- rules -------------------------------------------------------------------------------

    async def _rule_page(
        self,
        request: Request[Any, Any, Any],
        draft: DraftView,
        form: forms.RuleForm,
        problems: forms.Problems,
        status_code: int = 200,
    ) -> Template:
        lang = request_language(request)
        pack = draft.loaded().pack
        return page(
            request,
            "plans/rule_form.html",
            status_code=status_code,
            draft=draft,
            form=form,
            problems=_said(request, problems),
            choices=forms.choices(pack, lang),
            inputs=forms.CONDITION_INPUTS,
        )

    @get(BASE + "/{draft:str}/rules/{section:str}/new")
    async def new_rule(
        self, request: Request[Any, Any, Any], code: str, draft: str, section: str
    ) -> Template:
        found = await get_draft(current_tenant(request), _draft_id(draft))
        return await self._rule_page(request, found, forms.RuleForm.empty(_section(section)), {})

    @get(BASE + "/{draft:str}/rules/{section:str}/{rule_id:str}")
    async def edit_rule(
        self, request: Request[Any, Any, Any], code: str, draft: str, section: str, rule_id: str
    ) -> Template:
        found = await get_draft(current_tenant(request), _draft_id(draft))
        loaded = found.loaded()
        listed = (
            addition_rules(found.files)
            if found.is_addition
            else getattr(loaded.pack.rules, _section(section))
        )
        rules = {r.id: r for r in listed}
        if rule_id not in rules:
            raise NotFound(N_("The draft has no such rule"), field="rule")
        form = forms.RuleForm.of(section, rules[rule_id], loaded.fields)
        return await self._rule_page(request, found, form, {})

    @post(BASE + "/{draft:str}/rules/{section:str}", guards=[staff], status_code=HTTP_200_OK)
    async def save_rule(
        self, request: Request[Any, Any, Any], code: str, draft: str, section: str
    ) -> Response[Any]:
        ctx = current_tenant(request)
        section = _section(section)
        found = await get_draft(ctx, _draft_id(draft))
        raw = await request.form()
        form = forms.read_rule_form(section, raw)
        if str(raw.get("action") or "") == "add_row":
            form.alternatives.append({})
            return await self._rule_page(request, found, form, {})
        problems, saved = await self._apply_rule(request, found, form, _revision(raw), save=True)
        if saved:
            return Redirect(f"/c/{code}/plans/drafts/{found.id}#{section}")
        return await self._rule_page(request, found, form, problems, status_code=422)

    @post(BASE + "/{draft:str}/rules/{section:str}/check", guards=[staff], status_code=HTTP_200_OK)
    async def check_rule(
        self, request: Request[Any, Any, Any], code: str, draft: str, section: str
    ) -> Template:
        """Validation as you type: the same checks as saving, nothing kept (an HTMX fragment)."""
        ctx = current_tenant(request)
        found = await get_draft(ctx, _draft_id(draft))
        raw = await request.form()
        form = forms.read_rule_form(_section(section), raw)
        problems, _ = await self._apply_rule(request, found, form, found.revision, save=False)
        return page(request, "plans/_rule_check.html", problems=_said(request, problems))

    async def _apply_rule(
        self,
        request: Request[Any, Any, Any],
        draft: DraftView,
        form: forms.RuleForm,
        revision: int,
        save: bool,
    ) -> tuple[forms.Problems, bool]:
        ctx = current_tenant(request)
        lang = request_language(request)
        problems: forms.Problems = {}
        table = forms.to_table_rule(form, problems)
        if table is None:
            return problems, False
        rule = forms.to_rule(table)
        in_list = forms.put_in(form.original_id, rule)
        if draft.is_addition:
            current = addition_rules(draft.files)
        else:
            current = list(getattr(draft.loaded().pack.rules, form.section))
        if rule.id in {r.id for r in current} - {form.original_id}:
            return {"id": [N_("This rule id is already used")]}, False
        if draft.is_addition:
            files = with_rules(draft.files, in_list(current))
            rules_yaml = files[ADDITION_FILE]
        else:
            change = forms.in_section(form.section, in_list)
            rules_yaml = pack_files(change(draft.loaded().pack))["rules.yaml"]
        if not save:
            if draft.is_addition:
                errors = await addition_problems(ctx, files)
            else:
                errors = check_change(draft, change, ctx)
            return forms.rule_problems(errors, rules_yaml, form.section, table, lang), False
        try:
            if draft.is_addition:
                await edit_addition(ctx, draft.id, revision, in_list)
            else:
                await edit_draft(ctx, draft.id, revision, change)
        except DraftRefused as refused:
            return forms.rule_problems(refused.errors, rules_yaml, form.section, table, lang), False
        except DraftChanged as changed:
            return {"rule": [changed.say(translator(request).gettext)]}, False
        return {}, True

    @post(
        BASE + "/{draft:str}/rules/{section:str}/{rule_id:str}/delete",
        guards=[staff],
        status_code=HTTP_200_OK,
    )
    async def delete_rule(
        self, request: Request[Any, Any, Any], code: str, draft: str, section: str, rule_id: str
    ) -> Response[Any]:
        ctx = current_tenant(request)
        raw = await request.form()
        found = await get_draft(ctx, _draft_id(draft))
        try:
            if found.is_addition:
                await edit_addition(ctx, found.id, _revision(raw), forms.drop_from(rule_id))
            else:
                await edit_draft(
                    ctx, found.id, _revision(raw), forms.drop_rule(_section(section), rule_id)
                )
        except DraftRefused as refused:
            lang = request_language(request)
            return await _overview_page(
                request, found, 422, errors=[e.text(lang) for e in refused.errors]
            )
        return Redirect(f"/c/{code}/plans/drafts/{found.id}#{section}")

    # -- plan facts and reporting ----------------------------------------------------------

    @get(BASE + "/{draft:str}/{part:str}")
    async def part_form(
        self, request: Request[Any, Any, Any], code: str, draft: str, part: str
    ) -> Response[Any]:
        ctx = current_tenant(request)
        found = await get_draft(ctx, _draft_id(draft))
        if part == "workbook":
            loaded = found.loaded()
            name = f"Kế hoạch giám sát năm {found.year} (dự thảo).xlsx"
            return Response(
                export_workbook(loaded.pack, loaded.fields),
                media_type=XLSX,
                headers={"Content-Disposition": content_disposition(name)},
            )
        if part == "yaml":
            return _zip(found.files, f"ke-hoach-{found.year}-du-thao")
        if part not in ("plan", "reporting"):
            raise NotFound(N_("Page not found"))
        loaded = found.loaded()
        return page(
            request,
            f"plans/{part}_form.html",
            draft=found,
            pack=loaded.pack,
            values=None,
            problems={},
            choices=forms.choices(loaded.pack, request_language(request)),
        )

    @post(BASE + "/{draft:str}/{part:str}", guards=[staff], status_code=HTTP_200_OK)
    async def part_save(
        self, request: Request[Any, Any, Any], code: str, draft: str, part: str
    ) -> Response[Any]:
        ctx = current_tenant(request)
        found = await get_draft(ctx, _draft_id(draft))
        raw = await request.form()
        if part == "submit":
            await submit_draft(ctx, found.id, _revision(raw))
            return Redirect(f"/c/{code}/plans/drafts/{found.id}")
        if part == "workbook":
            return await self._import(request, found, raw)
        if part in ("approve", "return", "simulate"):
            return await self._review(request, found, part, raw)
        if part not in ("plan", "reporting"):
            raise NotFound(N_("Page not found"))
        lang = request_language(request)
        pack = found.loaded().pack
        problems: forms.Problems = {}
        change = (
            forms.plan_change(raw, problems, lang)
            if part == "plan"
            else forms.reporting_change(raw, pack, problems, lang)
        )
        if change is not None:
            try:
                await edit_draft(ctx, found.id, _revision(raw), change)
                return Redirect(f"/c/{code}/plans/drafts/{found.id}")
            except DraftRefused as refused:
                problems = {"form": [e.text(lang) for e in refused.errors]}
            except DraftChanged as changed:
                problems = {"form": [changed.say(translator(request).gettext)]}
        return page(
            request,
            f"plans/{part}_form.html",
            status_code=422,
            draft=found,
            pack=pack,
            values=raw,
            problems=_said(request, problems),
            choices=forms.choices(pack, lang),
        )

    async def _import(
        self, request: Request[Any, Any, Any], draft: DraftView, raw: Any
    ) -> Response[Any]:
        ctx = current_tenant(request)
        lang = request_language(request)
        upload = raw.get("workbook")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await _overview_page(
                request,
                draft,
                422,
                errors=[
                    translator(request).gettext(
                        N_("Choose an .xlsx workbook or a .zip of the plan's files")
                    )
                ],
            )
        data = await upload.read()
        try:
            if upload.filename.lower().endswith(".xlsx"):
                files = read_plan_workbook(data).files
            else:  # the plan's YAML files as one .zip (what "download the files" gives)
                files = from_uploads([(upload.filename, data)])
            await replace_files(ctx, draft.id, _revision(raw), files)
        except WorkbookInvalid as refused:
            return await _overview_page(
                request, draft, 422, errors=[e.render(lang) for e in refused.errors]
            )
        except DraftRefused as refused:
            return await _overview_page(
                request, draft, 422, errors=[e.text(lang) for e in refused.errors]
            )
        except InvalidInput as refused:
            return await _overview_page(
                request, draft, 422, errors=[translator(request).gettext(refused.message)]
            )
        return Redirect(f"/c/{draft.committee_code}/plans/drafts/{draft.id}")

    async def _review(
        self, request: Request[Any, Any, Any], draft: DraftView, action: str, raw: Any
    ) -> Response[Any]:
        ctx = current_tenant(request)
        approver(request, request.route_handler)
        if action == "return":
            await return_draft(ctx, draft.id, str(raw.get("comment") or ""))
            return Redirect(f"/c/{draft.committee_code}/plans/drafts/{draft.id}")
        if action == "simulate":
            today = clock.today()
            report = await simulate(
                draft.files, draft.committee_code, today - dt.timedelta(days=365), today
            )
            return await _overview_page(request, draft, simulation=report)
        try:
            effective = dt.date.fromisoformat(str(raw.get("effective_from") or "").strip())
        except ValueError:
            return await _overview_page(
                request,
                draft,
                422,
                errors=[
                    translator(request).gettext(
                        N_("Write the date it comes into force as year-month-day")
                    )
                ],
            )
        try:
            _, published = await approve_draft(ctx, draft.id, effective)
        except (DraftRefused, PackRejected) as refused:
            lang = request_language(request)
            return await _overview_page(
                request, draft, 422, errors=[e.text(lang) for e in refused.errors]
            )
        if published is None:  # an addition: it shows on the Plans page
            return Redirect(f"/c/{draft.committee_code}/plans")
        return Redirect(f"/c/{draft.committee_code}/plans/versions/{published.id}")


class PlanVersionPages(Controller):
    include_in_schema = False
    guards = [logged_in]

    @get("/c/{code:str}/plans/versions/{version_id:str}")
    async def show(
        self, request: Request[Any, Any, Any], code: str, version_id: str
    ) -> Response[Any]:
        """A published version read back: its plan, rules as tables, deadlines, publisher."""
        ctx = current_tenant(request)
        wanted, as_yaml = version_id, False
        if version_id.endswith(".zip"):
            wanted, as_yaml = version_id[:-4], True
        versions = {str(v.id): v for v in await history(ctx.committee_code)}
        view = versions.get(wanted)
        if view is None:
            raise NotFound(N_("There is no such plan version"))
        published = await published_version(view.version)
        if as_yaml:
            return _zip(published.files, f"ke-hoach-{view.year}-{view.committee_code}")
        with materialised(published.files, "version") as root:
            loaded = read_pack(root)
        from giamsat.plans.pack_words import publisher_name

        return page(
            request,
            "plans/version.html",
            version=view,
            view=pack_view(loaded, request_language(request)),
            publisher=await publisher_name(view.published_by),
        )


def _section(value: str) -> str:
    if value not in forms.SECTIONS:
        raise NotFound(N_("There is no such rule table"))
    return value


def _zip(files: dict[str, str], stem: str) -> Response[bytes]:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(files.items()):
            archive.writestr(f"{stem}/{name}", text)
    return Response(
        out.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": content_disposition(f"{stem}.zip")},
    )


ROUTES = [PlanDraftPages, PlanVersionPages]
