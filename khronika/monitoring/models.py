"""Documentation of violations. So far: the vocabularies every list of the monitoring model draws from.

A vocabulary is data (``monitoring/data/vocabularies/``), hierarchical and translated; its terms are
never deleted, only retired, so that a record keeps the meaning it was written with.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from khronika.core.models import Record
from khronika.core.tiers import public


class Vocabulary(Record):
    """A list of terms: types of act, degrees of involvement, reliability of sources…"""

    code = public(models.SlugField(_("code"), max_length=60, unique=True))
    name_ru = public(models.CharField(_("name (Russian)"), max_length=200))
    name_en = public(models.CharField(_("name (English)"), max_length=200))
    edition = public(models.CharField(_("edition"), max_length=20))

    class Meta:
        ordering = ["code"]
        verbose_name = _("vocabulary")
        verbose_name_plural = _("vocabularies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ru").startswith("en") else self.name_ru


class Term(Record):
    """One term of a vocabulary, under its parent term if it has one."""

    vocabulary = public(models.ForeignKey(Vocabulary, on_delete=models.PROTECT, related_name="terms"))
    code = public(models.SlugField(_("code"), max_length=60))
    parent = public(
        models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    )
    name_ru = public(models.CharField(_("name (Russian)"), max_length=200))
    name_en = public(models.CharField(_("name (English)"), max_length=200))
    position = public(models.PositiveIntegerField(default=0))
    # No longer offered for new records; records that use it keep it.
    retired = public(models.BooleanField(_("retired"), default=False))

    class Meta:
        ordering = ["vocabulary", "position"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_code_per_vocabulary")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ru").startswith("en") else self.name_ru
