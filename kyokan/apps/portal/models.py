"""The citizen portal's own data: the reading dictionary the secretariat keeps.

Everything else the portal shows comes from the other apps through their ``public``
modules (kyokan.apps.documents.public, portfolio.public, meetings.public, surveys.public).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

HIRAGANA = re.compile(r"^[\u3041-\u3096\u30fc]+$")


def validate_hiragana(value: str) -> None:
    if not HIRAGANA.match(value or ""):
        raise ValidationError(_("Write the reading in hiragana only (e.g. ひかりのし)."))


class ReadingEntry(models.Model):
    """The reading of a name of the city's own places and people (or any word the
    analyser reads wrongly): it overrides the morphological analyser wherever the word
    appears on the portal."""

    surface = models.CharField(
        _("word as written"),
        max_length=40,
        unique=True,
        error_messages={"unique": _("This word already has a reading.")},
        help_text=_("e.g. ひかり野市, 光丘, 佐々木"),
    )
    reading = models.CharField(
        _("reading (hiragana)"), max_length=80, validators=[validate_hiragana]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("reading dictionary")
        ordering = ["reading", "surface"]

    def __str__(self) -> str:
        return f"{self.surface}（{self.reading}）"

    def clean(self) -> None:
        from .furigana import has_kanji

        if self.surface and not has_kanji(self.surface.strip()):
            raise ValidationError({"surface": _("Only words with kanji need a reading.")})
