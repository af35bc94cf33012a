"""Walk every URL pattern and check that anonymous users and each role get exactly what the
view's declared permission allows: public views are the only ones anonymous users reach."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kyokan.apps.core import services
from kyokan.apps.core.access import PUBLIC, declared_access
from kyokan.apps.core.models import AuditEvent, ClosedDay, FiscalYear
from tests.api import urlwalk as api_walk
from tests.conftest import ALL_VIEWERS
from tests.deliberation import urlwalk as deliberation_walk
from tests.portal import urlwalk as portal_walk
from tests.procedures import urlwalk as procedures_walk


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", p


ALL_PATTERNS = sorted(_walk(get_resolver().url_patterns))


@pytest.fixture
def objects(people, sysadmin):
    """One object of each kind that a URL can point at."""
    division = people["staff"].department
    services.closed_day_create(actor=sysadmin, date=date(2023, 8, 14), name="点検")
    services.fiscal_year_create(actor=sysadmin, year=2023)
    meeting = _meeting_with_everything(sysadmin, people)
    documents = _documents_with_everything(sysadmin, people)
    surveys = _surveys_with_everything(people)
    return {
        **meeting,
        **surveys,
        **documents,
        "person": people["staff"],
        "department": division,
        "bureau": division.parent,
        "closed_day": ClosedDay.objects.get(),
        "fiscal_year": FiscalYear.objects.get(),
        "audit_event": AuditEvent.objects.order_by("id").first(),
        "export_job": _export_job(people),
        "outgoing_email": _outgoing_email(),
        "staff_import": _staff_import(),
        **_portfolio_with_everything(people),
        **deliberation_walk.objects(people),
        **_analysis_with_pages(),
        **portal_walk.objects(people),
        **api_walk.objects(people),
        **procedures_walk.objects(people),
    }


def _analysis_with_pages():
    """A finished analysis with its answers kept (groups C1 and C1.1, campaign K1)."""
    from kyokan import textanalysis
    from kyokan.apps.analyses import services as analyses
    from kyokan.apps.analyses.models import AnalysisRun, CommentSet

    items = [
        {"id": str(i), "clusters": ["C1", "C1.1"], "x": i / 10, "y": 0.0,
         "duplicate_of": None, "campaign": "K1"}
        for i in range(5)
    ]  # fmt: skip
    clusters = [
        {"id": "C1", "level": 1, "parent": None, "label": "窓口", "keywords": ["窓口"],
         "size": 1, "rows": 5, "representatives": ["0"]},
        {"id": "C1.1", "level": 2, "parent": "C1", "label": "窓口", "keywords": ["窓口"],
         "size": 1, "rows": 5, "representatives": ["0"]},
    ]  # fmt: skip
    campaigns = [{"id": "K1", "representative": "0", "text": "窓口を減らして", "distinct": 5,
                  "count": 5, "items": [str(i) for i in range(5)]}]  # fmt: skip
    result = {"items": items, "clusters": clusters, "stats": {"campaigns": campaigns}}
    comment_set = CommentSet.objects.create(title="意見", content="comment-id,comment-body\n")
    run = AnalysisRun.objects.create(comment_set=comment_set)
    comments = textanalysis.Comments(
        ids=[str(i) for i in range(5)], texts=[f"窓口を減らして{i}" for i in range(5)]
    )
    analyses.analysis_result_store(run=run, result=result, comments=comments)
    return {"analysis_with_pages": run}


def _staff_import():
    from kyokan.apps.core.models import StaffImport

    return StaffImport.objects.create(
        effective_on=date(2023, 4, 1), filename="hr.csv", content=b"\xef\xbb\xbf"
    )


def _outgoing_email():
    from kyokan.apps.core.models import OutgoingEmail

    return OutgoingEmail.objects.create(
        to="x@example.jp", kind="core.digest", subject="件名", body="本文", status="failed"
    )


def _export_job(people):
    """A finished background export of the secretariat's (only its owner may see it)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from kyokan.apps.core.models import ExportJob

    job = ExportJob.objects.create(
        owner=people["secretariat"],
        builder="test",
        title="書き出し",
        status=ExportJob.Status.DONE,
        filename="a.csv",
        content_type="text/csv",
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    job.file.save("a.csv", ContentFile(b"a\r\n"))
    return job


def _meeting_with_everything(sysadmin, people) -> dict:
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from kyokan.apps.meetings import services as ms

    start = timezone.now().replace(microsecond=0) + timedelta(days=10)
    series = ms.series_create(actor=sysadmin, name="本部会議", kind="exchange")
    polled = ms.meeting_create(actor=sysadmin, series=series)
    polled_invitation = ms.invitations_add(
        actor=sysadmin, meeting=polled, people=[people["staff"]]
    ).added[0]
    ms.poll_open(actor=sysadmin, meeting=polled, candidates=[(start, start + timedelta(hours=1))])
    meeting = ms.meeting_create(
        actor=sysadmin, series=series, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    course = ms.course_create(actor=sysadmin, title="DX基礎")
    ms.meeting_update(actor=sysadmin, meeting=meeting, course=course)
    invitation = ms.invitations_add(
        actor=sysadmin, meeting=meeting, people=[people["staff"], people["promoter"]]
    ).added[0]
    item = ms.agenda_item_create(actor=sysadmin, meeting=meeting, title="議題")
    link = ms.agenda_link_add(
        actor=sysadmin, item=item, target_type="meetings.meeting", target_id=str(polled.pk),
        label=str(polled),
    )  # fmt: skip
    paper = ms.paper_upload(
        actor=sysadmin,
        meeting=meeting,
        title="資料",
        file=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    decision = ms.decision_add(actor=sysadmin, meeting=meeting, text="決定")
    ms.papers_publish(actor=sysadmin, meeting=meeting)  # the guest's download link works
    action = ms.action_item_create(
        actor=sysadmin, meeting=meeting, title="宿題", owner=people["staff"],
        due_date=(start + timedelta(days=7)).date(),
    )  # fmt: skip
    expert_input = ms.expert_input_create(
        actor=sysadmin, meeting=meeting, expert=invitation, title="知見", body="本文"
    )
    return {
        "meeting": meeting,
        "polled": polled,
        "polled_invitation": polled_invitation,
        "invitation": invitation,
        "item": item,
        "link": link,
        "paper": paper,
        "decision": decision,
        "action": action,
        "expert_input": expert_input,
    }


def _documents_with_everything(sysadmin, people) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from kyokan.apps.documents import services as ds
    from kyokan.apps.documents.services import SectionData

    document = ds.document_create(actor=sysadmin, kind="strategy", title="戦略")
    adopted = ds.version_create(
        actor=sysadmin, document=document, label="初版",
        sections=[SectionData("目指す姿", "ICTを活用する。"), SectionData("基本方針", "本文")],
    )  # fmt: skip
    from tests.documents.adoption import adopt

    adopt(adopted, actor=sysadmin)
    draft = ds.version_revise(actor=sysadmin, version=adopted, label="改定案")
    section = draft.sections.order_by("path").first()
    ds.version_open_consultation(
        actor=sysadmin, version=draft, deadline=timezone.localdate() + timedelta(days=7)
    )
    comment = ds.comment_add(actor=people["staff"], section=section, body="意見")
    objection = ds.endorsement_set(
        actor=people["staff"], version=draft, stance="object", note="異議の理由"
    )
    ds.version_back_to_draft(actor=sysadmin, version=draft)
    term = ds.term_create(actor=sysadmin, preferred="デジタル化", variants="ICT化\n情報化")
    step = ds.step_create(actor=sysadmin, document=document, title="事務局案")
    return {
        "document": document,
        "adopted_version": adopted,
        "draft_version": draft,
        "section": section,
        "comment": comment,
        "objection": objection,
        "term": term,
        "step": step,
    }


def _surveys_with_everything(people) -> dict:
    from kyokan.apps.surveys import services as ss
    from tests.surveys.conftest import make_survey

    first, _questions = make_survey(people["secretariat"], round_label="事前")
    ss.survey_open(actor=people["secretariat"], survey=first)
    survey = ss.survey_create(
        actor=people["secretariat"], title=first.title, opens_on=first.opens_on,
        closes_on=first.closes_on, audience="all_staff", previous_round=first, round_label="事後",
    )  # fmt: skip
    public, _ = make_survey(people["secretariat"], audience="public", anonymous=True)
    ss.survey_open(actor=people["secretariat"], survey=public)
    from kyokan.apps.analyses.models import AnalysisRun

    text_question = first.questions.get(kind="text")
    run = AnalysisRun.objects.create(
        question=text_question, status="done", result={"items": [], "clusters": [], "stats": {}}
    )
    from kyokan.apps.surveys.models import ImportBatch

    batch = ImportBatch.objects.create(survey=first, filename="a.csv", status="done")
    return {
        "analysis_run": run,
        "import_batch": batch,
        "survey": first,
        "survey_round2": survey,
        "survey_question": survey.questions.first(),
        "survey_choice_question": first.questions.get(kind="single"),
        "public_survey": public,
    }


def _portfolio_with_everything(people) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from kyokan.apps.core.japanese_dates import fiscal_year_of
    from kyokan.apps.portfolio import services as ps

    secretariat = people["secretariat"]
    fy = fiscal_year_of(timezone.localdate())
    from kyokan.apps.core.models import FiscalYear

    for year in (fy - 1, fy, fy + 1):
        FiscalYear.objects.get_or_create(year=year)
    bureau = people["promoter"].role_assignments.get(role="promoter").department
    initiative = ps.initiative_create(
        actor=secretariat, title="電子申請", bureau=bureau, fiscal_year_start=fy - 1,
        fiscal_year_end=fy + 1, status="active", scope="kaizen", dx="D", rule_kind="none",
        organisation_kind="none", budget_kind="none",
    )  # fmt: skip
    kpi = ps.kpi_create(
        actor=secretariat, initiative=initiative, name="申請率", unit="%", direction="up",
        baseline=0, baseline_year=fy - 1,
    )  # fmt: skip
    report = ps.report_submit(
        actor=secretariat, initiative=initiative, fiscal_year=fy - 1, quarter=1,
        percent_done=10, health="good", happened="開始", today=timezone.localdate().replace(
            year=fy - 1, month=4, day=10),
    )  # fmt: skip
    link = ps.link_add(
        actor=secretariat, initiative=initiative, target_type="meetings.meeting", target_id="1",
        label="会議",
    )  # fmt: skip
    from kyokan.apps.portfolio.models import StrategyLink

    strategy_link = StrategyLink.objects.create(
        initiative=initiative, lineage="00000000-0000-0000-0000-000000000001", label="柱"
    )
    milestone = ps.milestone_create(
        actor=secretariat, initiative=initiative, title="稼働",
        due_on=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    goal = ps.goal_create(actor=secretariat, fiscal_year=fy, title="重点目標", kpis=[kpi])
    step = ps.step_create(actor=secretariat, name="ステップ1", fiscal_year=fy + 1)
    upload = ps.import_upload(actor=secretariat, filename="a.csv", data=b"title\r\n")
    return {
        "initiative": initiative,
        "kpi": kpi,
        "progress_report": report,
        "initiative_link": link,
        "strategy_link": strategy_link,
        "milestone": milestone,
        "goal": goal,
        "vision_step": step,
        "portfolio_import": upload,
    }


# URL name → its arguments, built from ``objects``. A new URL with arguments must be
# added here, or the walk fails and says so.
ARGS = {
    "core:person_detail": lambda o: {"pk": o["person"].pk},
    "core:person_edit": lambda o: {"pk": o["person"].pk},
    "core:person_roles": lambda o: {"pk": o["person"].pk},
    "core:person_active": lambda o: {"pk": o["person"].pk},
    "core:person_password": lambda o: {"pk": o["person"].pk},
    "core:department_detail": lambda o: {"pk": o["department"].pk},
    "core:department_edit": lambda o: {"pk": o["department"].pk},
    "core:department_delete": lambda o: {"pk": o["department"].pk},
    "core:fiscal_year_detail": lambda o: {"year": o["fiscal_year"].year},
    "core:closed_day_delete": lambda o: {"pk": o["closed_day"].pk},
    "core:audit_detail": lambda o: {"pk": o["audit_event"].pk},
    "documents:detail": lambda o: {"pk": o["document"].pk},
    "documents:edit": lambda o: {"pk": o["document"].pk},
    "documents:version_new": lambda o: {"pk": o["document"].pk},
    "documents:step_create": lambda o: {"pk": o["document"].pk},
    "documents:step_edit": lambda o: {"pk": o["step"].pk},
    "documents:step_delete": lambda o: {"pk": o["step"].pk},
    "documents:version": lambda o: {"pk": o["draft_version"].pk},
    "documents:version_revise": lambda o: {"pk": o["adopted_version"].pk},
    "documents:version_consultation": lambda o: {"pk": o["draft_version"].pk},
    "documents:version_to_draft": lambda o: {"pk": o["draft_version"].pk},
    "documents:version_adopt": lambda o: {"pk": o["draft_version"].pk},
    "documents:objection_answer": lambda o: {"pk": o["objection"].pk},
    "documents:version_abolish": lambda o: {"pk": o["adopted_version"].pk},
    "documents:version_delete": lambda o: {"pk": o["draft_version"].pk},
    "documents:compare": lambda o: {"pk": o["draft_version"].pk},
    "documents:endorse": lambda o: {"pk": o["draft_version"].pk},
    "documents:section_new": lambda o: {"pk": o["draft_version"].pk},
    "documents:section_edit": lambda o: {"pk": o["section"].pk},
    "documents:section_remove": lambda o: {"pk": o["section"].pk},
    "documents:section_restore": lambda o: {"pk": o["section"].pk},
    "documents:section_move": lambda o: {"pk": o["section"].pk, "direction": "up"},
    "documents:section_comments": lambda o: {"pk": o["section"].pk},
    "documents:comment_answer": lambda o: {"pk": o["comment"].pk},
    "documents:export": lambda o: {"pk": o["draft_version"].pk, "fmt": "md"},
    "documents:public_export": lambda o: {"pk": o["adopted_version"].pk, "fmt": "md"},
    "documents:import": lambda o: {"pk": o["document"].pk},
    "documents:terms": lambda o: {"pk": o["draft_version"].pk},
    "documents:terms_replace": lambda o: {"pk": o["draft_version"].pk},
    "documents:terms_replace_all": lambda o: {"pk": o["draft_version"].pk, "term": o["term"].pk},
    "documents:term_edit": lambda o: {"pk": o["term"].pk},
    "documents:term_delete": lambda o: {"pk": o["term"].pk},
    "documents:public_document": lambda o: {"pk": o["document"].pk},
    "documents:public_version": lambda o: {"pk": o["adopted_version"].pk},
    "core:staff_import_detail": lambda o: {"pk": o["staff_import"].pk},
    "core:staff_import_apply": lambda o: {"pk": o["staff_import"].pk},
    "core:outbox_retry": lambda o: {"pk": o["outgoing_email"].pk},
    "core:export_detail": lambda o: {"pk": o["export_job"].pk},
    "core:export_progress": lambda o: {"pk": o["export_job"].pk},
    "core:export_download": lambda o: {"pk": o["export_job"].pk},
    "analyses:run": lambda o: {"pk": o["analysis_run"].pk},
    "analyses:progress": lambda o: {"pk": o["analysis_run"].pk},
    "analyses:export": lambda o: {"pk": o["analysis_run"].pk, "fmt": "json"},
    "analyses:rerun": lambda o: {"pk": o["analysis_run"].pk},
    "analyses:group": lambda o: {"pk": o["analysis_with_pages"].pk, "cluster": "C1.1"},
    "analyses:near_duplicates": lambda o: {"pk": o["analysis_with_pages"].pk},
    "analyses:campaigns": lambda o: {"pk": o["analysis_with_pages"].pk},
    "analyses:campaign": lambda o: {"pk": o["analysis_with_pages"].pk, "campaign": "K1"},
    "surveys:detail": lambda o: {"pk": o["survey"].pk},
    "surveys:edit": lambda o: {"pk": o["survey_round2"].pk},
    "surveys:state": lambda o: {"pk": o["survey_round2"].pk, "action": "open"},
    "surveys:question_create": lambda o: {"pk": o["survey_round2"].pk},
    "surveys:question_edit": lambda o: {"pk": o["survey_question"].pk},
    "surveys:question_delete": lambda o: {"pk": o["survey_question"].pk},
    "surveys:answer": lambda o: {"pk": o["survey"].pk},
    "surveys:public_answer": lambda o: {"token": o["public_survey"].public_token},
    "surveys:results": lambda o: {"pk": o["survey"].pk},
    "surveys:non_respondents": lambda o: {"pk": o["survey"].pk},
    "surveys:crosstab": lambda o: {"pk": o["survey"].pk, "qpk": o["survey_choice_question"].pk},
    "surveys:compare": lambda o: {"pk": o["survey_round2"].pk},
    "surveys:export_csv": lambda o: {"pk": o["survey"].pk},
    "surveys:export_xlsx": lambda o: {"pk": o["survey"].pk},
    "surveys:import": lambda o: {"pk": o["survey"].pk},
    "surveys:void": lambda o: {"pk": o["survey"].pk},
    "surveys:remind": lambda o: {"pk": o["survey"].pk},
    "surveys:import_status": lambda o: {"pk": o["survey"].pk, "batch": o["import_batch"].pk},
    "surveys:import_progress": lambda o: {"pk": o["survey"].pk, "batch": o["import_batch"].pk},
    "meetings:detail": lambda o: {"pk": o["meeting"].pk},
    "meetings:edit": lambda o: {"pk": o["meeting"].pk},
    "meetings:status": lambda o: {"pk": o["meeting"].pk, "status": "held"},
    "meetings:invite": lambda o: {"pk": o["meeting"].pk},
    "meetings:guest_add": lambda o: {"pk": o["meeting"].pk},
    "meetings:attendance": lambda o: {"pk": o["meeting"].pk},
    "meetings:invitation_remove": lambda o: {"pk": o["invitation"].pk},
    "meetings:invitation_required": lambda o: {"pk": o["invitation"].pk},
    "meetings:action_complete": lambda o: {"pk": o["action"].pk},
    "meetings:action_reopen": lambda o: {"pk": o["action"].pk},
    "meetings:poll_create": lambda o: {"pk": o["meeting"].pk},
    "meetings:poll": lambda o: {"pk": o["polled"].pk},
    "meetings:poll_answer": lambda o: {"pk": o["polled"].pk},
    "meetings:poll_fix": lambda o: {"pk": o["polled"].pk},
    "meetings:poll_link": lambda o: {"token": o["polled_invitation"].token},
    "meetings:poll_link_ics": lambda o: {"token": o["invitation"].token},
    "meetings:item_create": lambda o: {"pk": o["meeting"].pk},
    "meetings:item_edit": lambda o: {"pk": o["item"].pk},
    "meetings:item_move": lambda o: {"pk": o["item"].pk, "direction": "up"},
    "meetings:item_delete": lambda o: {"pk": o["item"].pk},
    "meetings:item_minutes": lambda o: {"pk": o["item"].pk},
    "meetings:item_links": lambda o: {"pk": o["item"].pk},
    "meetings:link_remove": lambda o: {"pk": o["link"].pk},
    "meetings:paper_upload": lambda o: {"pk": o["meeting"].pk},
    "meetings:paper_generate": lambda o: {"pk": o["meeting"].pk},
    "meetings:paper": lambda o: {"pk": o["paper"].pk},
    "meetings:paper_delete": lambda o: {"pk": o["paper"].pk},
    "meetings:packet_docx": lambda o: {"pk": o["meeting"].pk},
    "meetings:packet_pdf": lambda o: {"pk": o["meeting"].pk},
    "meetings:decision_add": lambda o: {"pk": o["meeting"].pk},
    "meetings:decision_delete": lambda o: {"pk": o["decision"].pk},
    "meetings:action_create": lambda o: {"pk": o["meeting"].pk},
    "meetings:expert_input_create": lambda o: {"pk": o["meeting"].pk},
    "meetings:expert_input_edit": lambda o: {"pk": o["expert_input"].pk},
    "meetings:expert_input_delete": lambda o: {"pk": o["expert_input"].pk},
    "meetings:assessment": lambda o: {"pk": o["meeting"].pk, "phase": "before"},
    "meetings:meeting_ics": lambda o: {"pk": o["meeting"].pk},
    "portfolio:detail": lambda o: {"pk": o["initiative"].pk},
    "portfolio:edit": lambda o: {"pk": o["initiative"].pk},
    "portfolio:status": lambda o: {"pk": o["initiative"].pk},
    "portfolio:cost_value": lambda o: {"pk": o["initiative"].pk},
    "portfolio:delete": lambda o: {"pk": o["initiative"].pk},
    "portfolio:budget_edit": lambda o: {"pk": o["initiative"].pk},
    "portfolio:milestone_create": lambda o: {"pk": o["initiative"].pk},
    "portfolio:milestone_delete": lambda o: {"pk": o["milestone"].pk},
    "portfolio:links": lambda o: {"pk": o["initiative"].pk},
    "portfolio:link_remove": lambda o: {"pk": o["initiative_link"].pk},
    "portfolio:strategy_link_review": lambda o: {"pk": o["strategy_link"].pk},
    "portfolio:kpi_create": lambda o: {"pk": o["initiative"].pk},
    "portfolio:kpi_edit": lambda o: {"pk": o["kpi"].pk},
    "portfolio:kpi_actual": lambda o: {"pk": o["kpi"].pk},
    "portfolio:goal_edit": lambda o: {"pk": o["goal"].pk},
    "portfolio:report_create": lambda o: {"pk": o["initiative"].pk},
    "portfolio:report": lambda o: {"pk": o["progress_report"].pk},
    "portfolio:report_review": lambda o: {"pk": o["progress_report"].pk},
    "portfolio:report_comment": lambda o: {"pk": o["progress_report"].pk},
    "portfolio:step_edit": lambda o: {"pk": o["vision_step"].pk},
    "portfolio:step_delete": lambda o: {"pk": o["vision_step"].pk},
    "portfolio:import_preview": lambda o: {"pk": o["portfolio_import"].pk},
    "meetings:minutes_docx": lambda o: {"pk": o["meeting"].pk},
    "meetings:minutes_pdf": lambda o: {"pk": o["meeting"].pk},
    "meetings:papers_zip": lambda o: {"pk": o["meeting"].pk},
    "meetings:action_edit": lambda o: {"pk": o["action"].pk},
    "meetings:papers_publish": lambda o: {"pk": o["meeting"].pk},
    "meetings:minutes_publish": lambda o: {"pk": o["meeting"].pk},
    "meetings:guest_download": lambda o: {
        "token": o["invitation"].token,
        "what": "packet",
        "fmt": "docx",
    },
}

ARGS.update(deliberation_walk.ARGS)
ARGS.update(procedures_walk.ARGS)
ARGS.update(portal_walk.ARGS)
ARGS.update(api_walk.ARGS)


def test_every_view_declares_its_access():
    undeclared = [name for name, p in ALL_PATTERNS if declared_access(p.callback) is None]
    assert undeclared == []


def test_the_walk_covers_a_sensible_number_of_urls():
    assert len(ALL_PATTERNS) >= 25


def wrong_answers(client, user, patterns, args, objects) -> list[tuple]:
    """GET every URL of ``patterns`` as ``user`` (None: anonymous) and list those whose answer
    does not match the declared access: allowed → 200/302/405 (not to the login page),
    anonymous → the login page, otherwise 403. The app-level walks use it too."""
    login_url = reverse("login")
    wrong = []
    for name, pattern in patterns:
        kwargs = args[name](objects) if pattern.pattern.regex.groupindex else {}
        url = reverse(name, kwargs=kwargs)
        access = declared_access(pattern.callback)
        loader = getattr(pattern.callback, "kyokan_object", None)
        if access == PUBLIC:
            allowed = True
        elif user is None:
            allowed = False
        else:
            allowed = user.has_perm(access, loader(user=user, **kwargs) if loader else None)
        response = client.get(url)
        location = response.get("Location", "")
        if allowed:
            ok = response.status_code in (200, 302, 405) and not location.startswith(login_url)
        elif user is None:
            ok = response.status_code == 302 and location.startswith(login_url)
        else:
            ok = response.status_code == 403
        if not ok:
            wrong.append((name, url, access, allowed, response.status_code, location))
    return wrong


@pytest.mark.parametrize("viewer", ALL_VIEWERS)
def test_each_role_gets_exactly_what_it_may(viewer, client_as, people, objects):
    client = client_as(viewer)
    assert wrong_answers(client, people.get(viewer), ALL_PATTERNS, ARGS, objects) == []


def test_anonymous_reaches_only_public_views(client, objects):
    public_names = {n for n, p in ALL_PATTERNS if declared_access(p.callback) == PUBLIC}
    assert public_names == {
        "login", "logout", "set_language", "healthz",
        "meetings:poll_link", "meetings:poll_link_ics", "meetings:guest_download",
        "documents:public_list", "documents:public_document", "documents:public_version",
        "documents:public_export", "surveys:public_answer",
    } | deliberation_walk.PUBLIC | portal_walk.PUBLIC | api_walk.PUBLIC  # fmt: skip
    reached = set()
    for name, pattern in ALL_PATTERNS:
        kwargs = ARGS[name](objects) if pattern.pattern.regex.groupindex else {}
        if client.get(reverse(name, kwargs=kwargs)).status_code in (200, 405):
            reached.add(name)
    # The personal poll link is public: its token is the credential.
    assert reached == {
        "login", "logout", "healthz", "meetings:poll_link", "meetings:poll_link_ics",
        "meetings:guest_download", "documents:public_list", "documents:public_document",
        "documents:public_version", "documents:public_export", "surveys:public_answer",
    } | deliberation_walk.PUBLIC | portal_walk.REACHED | api_walk.PUBLIC  # fmt: skip


def test_an_undeclared_view_is_refused(rf, people):
    from kyokan.apps.core.middleware import AccessDeclaredMiddleware

    def bare_view(request):
        raise AssertionError("must not run")

    middleware = AccessDeclaredMiddleware(lambda r: None)
    request = rf.get("/")
    request.user = people["sysadmin"]
    with pytest.raises(PermissionDenied):
        middleware.process_view(request, bare_view, (), {})
