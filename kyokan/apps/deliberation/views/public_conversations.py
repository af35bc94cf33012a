"""Consensus conversations for citizens, on the portal and without an account: the list of
the conversations open to the public, the page where one votes on one statement at a time
(agree / disagree / pass, plain forms and POST-redirect-GET: no JavaScript needed) and may
add a short statement for the moderator, and the published results.

A browser is one participant, named by a random token in a signed cookie (visitors.py);
votes, statements and new participants are rate-limited per address (limits.py). A
conversation that is not public, a draft, or ended without published results answers 404 on
every one of these pages; one that has ended with its results published stays readable (its
page says it has ended and links the results) and refuses votes and statements with a
message.

A member of city staff who is signed in and may take part in the conversation
(``deliberation.vote``) is not a second, anonymous participant here: the page shows their
staff participation (what they have answered on the staff page too), and their votes and
statements are recorded as theirs, with the staff page's rules and limits — no cookie. Other
signed-in accounts (citizens, experts) take part like any visitor.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kyokan.apps.core.access import public
from kyokan.apps.core.selectors import paginate
from kyokan.apps.core.viewkit import apply_service_errors
from kyokan.apps.portal.views import portal_render

from .. import limits, report, selectors, services, visitors
from .. import public as public_selectors
from ..forms import StatementForm
from ..models import Conversation
from .conversations import add_staff_statement, cast_staff_vote, vote_target
from .ideas import RATE_LIMITED


def _conversation(pk: int) -> Conversation:
    conversation = public_selectors.public_conversation(pk)
    if conversation is None:
        raise Http404
    return conversation


ENDED = gettext_lazy(
    "This conversation has ended: it takes no more answers or statements. Its published "
    "results can still be read."
)


def _as_staff(request, conversation: Conversation) -> bool:
    """Whether the signed-in person takes part as their staff participant."""
    user = request.user
    return user.is_authenticated and user.has_perm("deliberation.vote", conversation)


def _page(request, conversation: Conversation, form: StatementForm):
    if conversation.ended:
        return portal_render(
            request, "deliberation/public_conversation.html", {"conversation": conversation}
        )
    as_staff = _as_staff(request, conversation)
    if as_staff:
        participant = selectors.participant_of(request.user, conversation)
    else:
        participant = selectors.visitor_participant(
            conversation, visitors.key_of(visitors.token_of(request))
        )
    context = {
        "conversation": conversation,
        "as_staff": as_staff,
        "statement": selectors.next_statement(conversation, participant),
        "progress": selectors.conversation_progress(conversation, participant),
        "last_vote": selectors.last_vote(participant),
        "statement_form": form,
    }
    return portal_render(request, "deliberation/public_conversation.html", context)


def _visitor(request, conversation: Conversation) -> tuple[str, str, bool]:
    """(token, its hash, whether this browser is new to the conversation)."""
    token = visitors.token_of(request) or visitors.new_token()
    key = visitors.key_of(token)
    return token, key, selectors.visitor_participant(conversation, key) is None


def _allowed(request, what: str, *, new_participant: bool) -> bool:
    if not limits.allow(request, what):
        return False
    return not new_participant or limits.allow(request, "public_participant")


@public
def public_conversation_list(request):
    """The public conversations: the open ones, then those that have ended with their
    results published (marked 終了)."""
    page = paginate(request, public_selectors.public_conversations(include_closed=True))
    return portal_render(request, "deliberation/public_conversations.html", {"page": page})


@public
def public_conversation(request, pk: int):
    return _page(request, _conversation(pk), StatementForm())


@public
@require_POST
def public_vote(request, pk: int):
    conversation = _conversation(pk)
    back = reverse("deliberation:public_conversation", args=[pk]) + "#vote"
    if conversation.ended:
        messages.error(request, str(ENDED))
        return redirect(back)
    form, statement = vote_target(request, conversation)
    if statement is None:
        return redirect(back)
    if _as_staff(request, conversation):
        cast_staff_vote(request, statement, form)
        return redirect(back)
    token, key, new = _visitor(request, conversation)
    response = redirect(back)
    if not _allowed(request, "public_vote", new_participant=new):
        messages.error(request, str(RATE_LIMITED))
        return response
    try:
        services.vote_cast(
            actor=None, statement=statement, value=form.cleaned_data["value"], visitor=key
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return response
    visitors.remember(response, request, token)
    return response


@public
@require_POST
def public_statement(request, pk: int):
    conversation = _conversation(pk)
    form = StatementForm(request.POST)
    if conversation.ended:
        messages.error(request, str(ENDED))
        return redirect("deliberation:public_conversation", pk=pk)
    if not conversation.allow_statements:
        messages.error(request, _("This conversation takes votes only, not new statements."))
        return redirect("deliberation:public_conversation", pk=pk)
    if form.is_valid() and _as_staff(request, conversation):
        if add_staff_statement(request, conversation, form):
            return redirect("deliberation:public_conversation", pk=pk)
    elif form.is_valid():
        token, key, new = _visitor(request, conversation)
        if not _allowed(request, "public_statement", new_participant=new):
            form.add_error(None, str(RATE_LIMITED))
        else:
            try:
                services.statement_add(
                    actor=None,
                    conversation=conversation,
                    text=form.cleaned_data["text"],
                    visitor=key,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your statement was sent. It is shown to everyone once the "
                        "secretariat has checked it."
                    ),
                )
                response = redirect("deliberation:public_conversation", pk=pk)
                visitors.remember(response, request, token)
                return response
    return _page(request, conversation, form)


@public
def public_conversation_report(request, pk: int):
    """The results citizens may read: the groups of opinion and the consensus statements of
    the latest analysis, statements hidden by the moderator left out — or why there is
    nothing to read (not published, not analysed yet)."""
    conversation = _conversation(pk)
    run = public_selectors.public_results(conversation)
    context = {"conversation": conversation, "run": run}
    if run is not None:
        context.update(report.report_context(conversation, run.result, visible_only=True))
    return portal_render(request, "deliberation/public_report.html", context)


urlpatterns = [
    path("conversations/public/", public_conversation_list, name="public_conversations"),
    path("conversations/public/<int:pk>/", public_conversation, name="public_conversation"),
    path("conversations/public/<int:pk>/vote/", public_vote, name="public_vote"),
    path(
        "conversations/public/<int:pk>/statements/new/",
        public_statement,
        name="public_statement",
    ),
    path(
        "conversations/public/<int:pk>/report/",
        public_conversation_report,
        name="public_conversation_report",
    ),
]
