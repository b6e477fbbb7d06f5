from django.db import models
from django.db.models import Q

from archive.models.entities import Organisation


class MentionQuerySet(models.QuerySet):
    def shown(self):
        """Mentions in an article's own text: not those only in site furniture."""
        return self.filter(boilerplate_only=False)

    def of(self, entity):
        """The shown mentions of a person or an organisation: one per article naming it."""
        field = "organisation" if isinstance(entity, Organisation) else "person"
        return self.shown().filter(**{field: entity})


class Mention(models.Model):
    """An article naming a person or an organisation."""

    article = models.ForeignKey("archive.Article", on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(
        "archive.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    organisation = models.ForeignKey(
        "archive.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    count = models.PositiveIntegerField(default=1)
    first_offset = models.PositiveIntegerField(default=0, help_text="Where in the body it is first named.")
    in_headline = models.BooleanField(default=False)
    boilerplate_only = models.BooleanField(
        default=False, help_text="Named only in site furniture (teasers, promos): kept, not shown."
    )
    matched_text = models.CharField(max_length=200, blank=True, help_text="The text that matched first.")
    rule = models.CharField(max_length=100, blank=True, help_text="The rule or alias that matched.")
    edited = models.BooleanField(
        default=False, help_text="Set or confirmed by an editor: kept when the article is re-extracted."
    )

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["first_offset", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False),
                name="mention_names_one_entity",
            ),
            models.UniqueConstraint(fields=["article", "person"], name="mention_unique_person"),
            models.UniqueConstraint(fields=["article", "organisation"], name="mention_unique_organisation"),
        ]
        indexes = [
            # "Which articles name X" and "how many articles name each X", answered from the
            # index alone: at 100,000 articles (690,000 mentions) the people list's counts
            # took 1.05 s reading the table and 0.13 s reading this index.
            models.Index(fields=["person", "boilerplate_only", "article"], name="mention_person_articles"),
            models.Index(fields=["organisation", "boilerplate_only", "article"], name="mention_org_articles"),
        ]

    def __str__(self):
        return f"{self.person or self.organisation} in {self.article}"


class Quote(models.Model):
    """Direct speech in an article: said by a person, by an organisation (its unnamed
    spokesperson), or by nobody the text identifies (unattributed)."""

    article = models.ForeignKey("archive.Article", on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(
        "archive.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="Who said it; empty when the text does not say (unattributed) or an organisation did.",
    )
    speaker_organisation = models.ForeignKey(
        "archive.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="The organisation speaking ('a spokesperson for Unite'), when no person is named.",
    )
    text = models.TextField()
    start = models.PositiveIntegerField(help_text="Character offset of the quote in the article body.")
    end = models.PositiveIntegerField()
    cue = models.CharField(max_length=200, blank=True, help_text="The attribution that named the speaker.")
    rule = models.CharField(max_length=200, blank=True, help_text="The attribution rule that decided the speaker.")
    edited = models.BooleanField(
        default=False, help_text="Added or corrected by an editor: kept when the article is re-extracted."
    )

    class Meta:
        ordering = ["article", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(speaker__isnull=True) | Q(speaker_organisation__isnull=True),
                name="quote_has_at_most_one_speaker",
            ),
        ]

    def __str__(self):
        return f"{self.speaker_label}: {self.text[:60]}"

    @property
    def speaker_label(self) -> str:
        """The person's or organisation's name, or 'unattributed'."""
        return str(self.speaker or self.speaker_organisation or "unattributed")

    @property
    def speaker_entity(self):
        return self.speaker or self.speaker_organisation
