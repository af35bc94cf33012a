"""Downloads of a version (Word, PDF, HTML, Markdown) for staff and, for adopted versions,
for everyone; and the import of a Word document as a new version."""

from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kyokan.apps.core import office
from kyokan.apps.core.access import public, require
from kyokan.apps.core.once import OnceFormMixin, submit_once
from kyokan.apps.core.viewkit import safe_next

from .. import io, selectors, services
from ..models import Document, Version
from .common import document_obj, version_obj, version_url

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


def _content(version: Version, fmt: str, *, show_changes: bool) -> bytes:
    if fmt == "docx":
        return io.export_docx(version, show_changes=show_changes)
    if fmt == "pdf":
        return io.export_pdf(version)
    if fmt == "html":
        return io.export_html(version).encode()
    return io.export_markdown(version).encode()


def _download(request, version: Version, fmt: str, *, fallback_url: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    try:
        content = _content(version, fmt, show_changes=request.GET.get("changes") == "1")
    except io.ExportUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(fallback_url)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = office.content_disposition(io.export_filename(version, fmt))
    return response


@require("documents.view_documents", obj=version_obj)
def export(request, pk: int, fmt: str, obj: Version):
    return _download(request, obj, fmt, fallback_url=version_url(obj))


@public
def public_export(request, pk: int, fmt: str):
    version = get_object_or_404(Version.objects.select_related("document", "based_on"), pk=pk)
    if not selectors.is_public(version):
        raise Http404
    # Back to the page the link was on, when it is one of this site: a Referer that is
    # a bare word ("abc") passed the host check and redirect() tried it as a view name.
    back = request.headers.get("referer", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = urlsplit(back)._replace(scheme="", netloc="").geturl()
    back = safe_next(request, back, reverse("documents:public_version", args=[pk]))
    return _download(request, version, fmt, fallback_url=back)


# --- import -------------------------------------------------------------------------------------


class ImportForm(OnceFormMixin, forms.Form):
    label = forms.CharField(
        label=gettext_lazy("Version label"),
        max_length=Version._meta.get_field("label").max_length,
        help_text=gettext_lazy("e.g. 令和3年度版, 改定案（第6回本部会議）"),
    )
    file = forms.FileField(
        label=gettext_lazy("Word document (.docx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Each paragraph in a Word heading style (見出し 1, 見出し 2 …) starts a section; "
            "the text under it becomes the section's text. At most %(limit)s."
        ) % {"limit": filesizeformat(io.MAX_IMPORT_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise ValidationError(_("Choose a Word document saved as .docx."))
        return upload


@require("documents.edit_documents", obj=document_obj)
@require_http_methods(["GET", "POST"])
def import_docx(request, pk: int, obj: Document):
    form = ImportForm(request.POST or None, request.FILES or None)

    def save(data) -> Version:
        try:
            sections = io.docx_to_sections(data["file"])
        except ValidationError as exc:  # shown under the file field
            raise ValidationError({"file": exc.messages}) from exc
        return services.version_create(
            actor=request.user,
            document=obj,
            label=data["label"],
            sections=sections,
            once=data["once"],
        )

    return submit_once(
        request,
        form,
        save=save,
        success=_("The Word document was imported as a new draft."),
        next_url=version_url,
        title=_("Import a Word document: %(document)s") % {"document": obj.title},
        intro=_(
            "The document becomes a new draft version of %(document)s, split into sections "
            "at its headings. Check the sections before opening the draft for comments."
        )
        % {"document": obj.title},
        submit_label=_("Import"),
        cancel_url=reverse("documents:detail", args=[pk]),
    )


urlpatterns = [
    path("versions/<int:pk>/export.<str:fmt>", export, name="export"),
    path("public/versions/<int:pk>/export.<str:fmt>", public_export, name="public_export"),
    path("documents/<int:pk>/import/", import_docx, name="import"),
]
