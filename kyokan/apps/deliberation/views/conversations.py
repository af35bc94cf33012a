"""Consensus conversations: the list, the page where one votes on one statement at a time
and adds statements, moderation of new statements, the analysis (in the background), the
report with the opinion map, exports (Polis format, CSV) and the Polis import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kyokan.apps.core import exports
from kyokan.apps.core.access import require
from kyokan.apps.core.once import submit_once
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import apply_service_errors, form_page, submit

from .. import limits, report, selectors, services
from ..forms import (
    ConversationForm,
    NewConversationForm,
    PolisImportForm,
    StatementForm,
    VoteForm,
)
from ..models import ConsensusRun, Conversation, Statement
from ..polis import UploadError, error_text, export_zip, read_uploaded
from .common import conversation_obj
from .ideas import RATE_LIMITED

CONVERSATION_FIELDS = Conversation.EDITABLE_FIELDS


@require("deliberation.view_conversations")
def conversation_list(request):
    page = paginate(request, selectors.conversations(request.user))
    return render(request, "deliberation/conversation_list.html", {"page": page})


@require("deliberation.manage_conversations")
@require_http_methods(["GET", "POST"])
def conversation_create(request):
    form = NewConversationForm(request.POST or None)
    return submit_once(
        request,
        form,
        save=lambda d: services.conversation_create(
            actor=request.user,
            seeds=d.get("seeds") or (),
            once=d.get("once", ""),
            **{k: d[k] for k in CONVERSATION_FIELDS},
        ),
        success=_("The conversation was created. Open it when the seed statements are ready."),
        next_url=lambda c: c.get_absolute_url(),
        title=_("New conversation"),
        intro=_(
            "Ask one question. Seed statements start the conversation; participants vote "
            "agree, disagree or pass on each, one at a time, and may add their own."
        ),
        cancel_url=reverse("deliberation:conversations"),
    )


@require("deliberation.manage_conversations", obj=conversation_obj)
@require_http_methods(["GET", "POST"])
def conversation_edit(request, pk: int, obj: Conversation):
    form = ConversationForm(request.POST or None, instance=obj, with_seeds=False)
    return submit(
        request,
        form,
        save=lambda d: services.conversation_update(
            actor=request.user,
            conversation=obj,
            **{k: d[k] for k in CONVERSATION_FIELDS},
        ),
        success=_("The changes were saved."),
        next_url=lambda _r: obj.get_absolute_url(),
        title=_("Edit %(name)s") % {"name": obj},
        cancel_url=obj.get_absolute_url(),
    )


@require("deliberation.view_conversation", obj=conversation_obj)
def conversation_detail(request, pk: int, obj: Conversation):
    participant = selectors.participant_of(request.user, obj)
    can_vote = request.user.has_perm("deliberation.vote", obj)
    statement = selectors.next_statement(obj, participant) if can_vote else None
    context = {
        "conversation": obj,
        "statement": statement,
        "can_vote": can_vote,
        "can_manage": request.user.has_perm("deliberation.manage_conversations"),
        "progress": selectors.conversation_progress(obj, participant),
        "counts": selectors.conversation_counts(obj),
        "statement_form": StatementForm(),
        "run": selectors.latest_run(obj),
    }
    if request.htmx and request.GET.get("part") == "vote":
        return render(request, "deliberation/partials/vote_card.html", context)
    return render(request, "deliberation/conversation_detail.html", context)


def vote_target(request, conversation: Conversation) -> tuple[VoteForm, Statement | None]:
    """The posted vote's form and statement of ``conversation``; None (with the message to
    the person) when the form is invalid or the statement is not the conversation's."""
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return form, None
    statement = Statement.objects.filter(
        conversation=conversation, pk=form.cleaned_data["statement"]
    ).first()
    if statement is None:
        messages.error(request, _("This statement is not part of the conversation."))
    return form, statement


def cast_staff_vote(request, statement, form) -> bool:
    """A signed-in member of staff's vote (the staff page, or the citizens' page when staff
    use it): the staff rate limit, the service, its refusal as a message. ``False`` when the
    rate limit refused it (nothing else was tried)."""
    if not limits.allow(request, "vote"):
        messages.error(request, str(RATE_LIMITED))
        return False
    try:
        services.vote_cast(
            actor=request.user, statement=statement, value=form.cleaned_data["value"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return True


@require("deliberation.vote", obj=conversation_obj)
@require_POST
def vote(request, pk: int, obj: Conversation):
    back = obj.get_absolute_url() + "#vote"
    form, statement = vote_target(request, obj)
    if statement is None:
        return redirect(back)
    if not cast_staff_vote(request, statement, form):
        return redirect(back)
    if request.htmx:
        return redirect(reverse("deliberation:conversation", args=[obj.pk]) + "?part=vote")
    return redirect(back)


def add_staff_statement(request, conversation: Conversation, form: StatementForm) -> bool:
    """A signed-in member of staff's statement (the staff page, or the citizens' page when
    staff use it): the staff rate limit, the service, its errors on ``form``, the message.
    ``True`` when the statement was added."""
    if not limits.allow(request, "statement"):
        form.add_error(None, str(RATE_LIMITED))
        return False
    try:
        statement = services.statement_add(
            actor=request.user, conversation=conversation, text=form.cleaned_data["text"]
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return False
    messages.success(
        request,
        _("Thank you: your statement is shown once the moderator has checked it.")
        if statement.visibility == "pending"
        else _("Thank you: your statement was added."),
    )
    return True


@require("deliberation.vote", obj=conversation_obj)
@require_POST
def statement_add(request, pk: int, obj: Conversation):
    form = StatementForm(request.POST)
    if form.is_valid() and add_staff_statement(request, obj, form):
        return redirect(obj.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Add a statement to %(name)s") % {"name": obj},
        submit_label=_("Add"),
        cancel_url=obj.get_absolute_url(),
    )


@require("deliberation.manage_conversations", obj=conversation_obj)
@require_POST
def seed_add(request, pk: int, obj: Conversation):
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            services.statement_add(
                actor=request.user, conversation=obj, text=form.cleaned_data["text"], seed=True
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The seed statement was added."))
            return redirect(reverse("deliberation:statements", args=[obj.pk]))
    return form_page(
        request,
        form,
        title=_("Add a seed statement to %(name)s") % {"name": obj},
        submit_label=_("Add"),
        cancel_url=reverse("deliberation:statements", args=[obj.pk]),
    )


@require("deliberation.manage_conversations", obj=conversation_obj)
def statements(request, pk: int, obj: Conversation):
    """All statements with their votes, and the ones waiting for moderation."""
    page = paginate(request, report.statement_rows_qs(obj))
    return render(
        request,
        "deliberation/statements.html",
        {"conversation": obj, "page": page, "statement_form": StatementForm()},
    )


@require("deliberation.manage_conversations", obj=conversation_obj)
@require_POST
def statement_moderate(request, pk: int, spk: int, obj: Conversation):
    statement = get_object_or_404(Statement, conversation=obj, pk=spk)
    approve = request.POST.get("decision") == "approve"
    services.statement_moderate(actor=request.user, statement=statement, approve=approve)
    messages.success(request, _("The statement is shown.") if approve else _("Removed."))
    return redirect(reverse("deliberation:statements", args=[obj.pk]))


@require("deliberation.manage_conversations", obj=conversation_obj)
@require_POST
def conversation_state(request, pk: int, state: str, obj: Conversation):
    if state not in Conversation.State.values:
        raise Http404
    try:
        services.conversation_set_state(actor=request.user, conversation=obj, state=state)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The conversation is now %(state)s.") % {"state": Conversation.State(state).label},
        )
    return redirect(obj.get_absolute_url())


@require("deliberation.manage_conversations", obj=conversation_obj)
@require_POST
def analyse(request, pk: int, obj: Conversation):
    try:
        run = services.analysis_start(actor=request.user, conversation=obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(obj.get_absolute_url())
    messages.success(request, _("The analysis runs in the background; this page follows it."))
    return redirect(reverse("deliberation:run", args=[run.pk]))


def _run_obj(pk: int, **_kw) -> Conversation:
    return get_object_or_404(
        ConsensusRun.objects.select_related("conversation"), pk=pk
    ).conversation


@require("deliberation.view_conversation", obj=_run_obj)
def run_status(request, pk: int, obj: Conversation):
    run = get_object_or_404(ConsensusRun, pk=pk)
    if run.status == ConsensusRun.Status.DONE and not request.htmx:
        return redirect(reverse("deliberation:report", args=[obj.pk]))
    template = "deliberation/partials/run_status.html" if request.htmx else "deliberation/run.html"
    return render(request, template, {"run": run, "conversation": obj})


@require("deliberation.view_conversation", obj=conversation_obj)
def conversation_report(request, pk: int, obj: Conversation):
    run = selectors.latest_done_run(obj)
    context = {
        "conversation": obj,
        "run": run,
        "latest": selectors.latest_run(obj),
        "counts": selectors.conversation_counts(obj),
        "can_manage": request.user.has_perm("deliberation.manage_conversations"),
    }
    if run is not None:
        context.update(report.report_context(obj, run.result))
    return render(request, "deliberation/report.html", context)


@require("deliberation.view_conversation", obj=conversation_obj)
def export_polis(request, pk: int, obj: Conversation):
    run = selectors.latest_done_run(obj)
    try:
        data = export_zip(obj, run.result if run else None)
    except Exception as exc:  # an input problem of the library: say it, do not fail
        from kyokan.consensus import ConsensusInputError

        if not isinstance(exc, ConsensusInputError):
            raise
        messages.error(request, error_text(exc))
        return redirect(obj.get_absolute_url())
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="polis-conversation-{obj.pk}.zip"'
    return response


@require("deliberation.view_conversation", obj=conversation_obj)
def export_csv(request, pk: int, what: str, obj: Conversation):
    if what == "statements":
        header, rows = report.statements_table(obj, selectors.latest_done_run(obj))
    elif what == "votes":
        header, rows = report.votes_table(obj)
    elif what == "groups":
        run = selectors.latest_done_run(obj)
        if run is None:
            raise Http404
        header, rows = report.groups_table(obj, run.result)
    else:
        raise Http404
    return exports.csv_response(f"conversation-{obj.pk}-{what}.csv", header, rows)


@require("deliberation.manage_conversations")
@require_http_methods(["GET", "POST"])
def polis_import(request):
    form = PolisImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from kyokan.consensus import ConsensusInputError

        try:
            export = read_uploaded(form.cleaned_data["files"])
            conversation = services.conversation_import(
                actor=request.user, title=form.cleaned_data["title"], export=export
            )
        except UploadError as exc:
            form.add_error("files", str(exc))
        except ConsensusInputError as exc:
            form.add_error(
                "files", _("Nothing was imported: %(error)s") % {"error": error_text(exc)}
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Imported: %(s)s statements and %(v)s votes. Run the analysis to see the groups.")
                % {
                    "s": conversation.statements.count(),
                    "v": selectors.conversation_counts(conversation)["votes"],
                },
            )
            return redirect(conversation.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Import a Polis conversation"),
        intro=_(
            "The conversation's statements, participants and votes are imported all "
            "together, or — if anything in the export is wrong — not at all."
        ),
        submit_label=_("Import"),
        cancel_url=reverse("deliberation:conversations"),
    )


urlpatterns = [
    path("conversations/", conversation_list, name="conversations"),
    path("conversations/new/", conversation_create, name="conversation_create"),
    path("conversations/import/", polis_import, name="polis_import"),
    path("conversations/<int:pk>/", conversation_detail, name="conversation"),
    path("conversations/<int:pk>/edit/", conversation_edit, name="conversation_edit"),
    path("conversations/<int:pk>/vote/", vote, name="vote"),
    path("conversations/<int:pk>/statements/new/", statement_add, name="statement_add"),
    path("conversations/<int:pk>/seeds/new/", seed_add, name="seed_add"),
    path("conversations/<int:pk>/statements/", statements, name="statements"),
    path(
        "conversations/<int:pk>/statements/<int:spk>/moderate/",
        statement_moderate,
        name="statement_moderate",
    ),
    path(
        "conversations/<int:pk>/state/<str:state>/", conversation_state, name="conversation_state"
    ),
    path("conversations/<int:pk>/analyse/", analyse, name="analyse"),
    path("conversations/runs/<int:pk>/", run_status, name="run"),
    path("conversations/<int:pk>/report/", conversation_report, name="report"),
    path("conversations/<int:pk>/export/polis.zip", export_polis, name="export_polis"),
    path("conversations/<int:pk>/export/<str:what>.csv", export_csv, name="export_csv"),
]
