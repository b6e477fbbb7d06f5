import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class MentionedQuerySet(models.QuerySet):
    """Shared by people and organisations: both are named by mentions."""

    def most_mentioned(self, since: datetime.date | None = None, limit: int = 10):
        """The most-mentioned first, annotated with ``article_count`` (boilerplate excluded;
        only articles published since ``since`` when given)."""
        mentions = Q(mentions__boilerplate_only=False)
        if since:
            mentions &= Q(mentions__article__published__gte=since)
        return (
            self.annotate(article_count=models.Count("mentions__article", filter=mentions, distinct=True))
            .filter(article_count__gt=0)
            .order_by("-article_count", *self.model._meta.ordering)[:limit]
        )


class PersonQuerySet(MentionedQuerySet):
    def member_of(self, organisation, on: datetime.date | None = None):
        """People with a membership of ``organisation`` (any role) that covers ``on``;
        with ``on=None``, anyone who was ever a member."""
        memberships = Membership.objects.filter(organisation=organisation).covering(on)
        return self.filter(memberships__in=memberships).distinct()

    def former_members_of(self, organisation, on: datetime.date | None = None):
        """People whose memberships of ``organisation`` had all ended by ``on`` (today),
        most recent departures first, annotated with ``left`` (the last end date)."""
        on = on or timezone.localdate()
        current = Membership.objects.filter(organisation=organisation).covering(on)
        return (
            self.filter(memberships__organisation=organisation, memberships__end_date__lt=on)
            .exclude(memberships__in=current)
            .annotate(left=models.Max("memberships__end_date", filter=Q(memberships__organisation=organisation)))
            .order_by("-left", "sort_name")
        )


class Person(models.Model):
    name = models.CharField(max_length=200, help_text="Canonical full name, without honorifics.")
    slug = models.SlugField(max_length=200, unique=True)
    sort_name = models.CharField(max_length=200, blank=True, help_text="e.g. 'Starmer, Keir'.")
    bio = models.TextField(blank=True)
    wikidata_id = models.CharField(max_length=20, blank=True, help_text="e.g. Q6383069")
    surname_alias = models.BooleanField(
        default=False, help_text="The surname alone means this person in UK political news (Starmer)."
    )
    needs_review = models.BooleanField(
        default=False, db_index=True, help_text="Discovered by extraction, not yet checked by an editor."
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("person-detail", kwargs={"slug": self.slug})

    def merge_into(self, other: "Person") -> None:
        """Make ``other`` the one person: this person's aliases, mentions, quotes,
        memberships and bylines move to it, the old slug redirects, and this row goes."""
        from django.db import transaction

        from archive.models.mentions import Mention

        if other.pk == self.pk:
            raise ValueError("A person cannot be merged into themselves.")
        with transaction.atomic():
            for mention in self.mentions.select_related("article"):
                existing = Mention.objects.filter(article=mention.article, person=other).first()
                if existing:
                    existing.count += mention.count
                    existing.in_headline |= mention.in_headline
                    existing.boilerplate_only &= mention.boilerplate_only
                    existing.first_offset = min(existing.first_offset, mention.first_offset)
                    existing.save()
                    mention.delete()
                else:
                    mention.person = other
                    mention.save()
            self.quotes.update(speaker=other)
            self.memberships.update(person=other)
            self.authored_articles.update(author_person=other)
            if not other.aliases.filter(name=self.name).exists() and self.name != other.name:
                other.aliases.create(name=self.name)
            for alias in self.aliases.all():
                if other.aliases.filter(name=alias.name).exists() or alias.name == other.name:
                    alias.delete()
                else:
                    alias.person = other
                    alias.save()
            self.redirects.update(person=other)
            PersonRedirect.objects.update_or_create(old_slug=self.slug, defaults={"person": other})
            self.delete()

    def parties_on(self, on: datetime.date | None):
        """The parties this person belonged to on a date (today when None)."""
        return Organisation.objects.filter(
            kind=Organisation.Kind.PARTY,
            memberships__in=self.memberships.covering(on or timezone.localdate()),
        ).distinct()


class PersonRedirect(models.Model):
    """The slug of a person merged into another, so old links keep working."""

    old_slug = models.SlugField(max_length=200, unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.person}"


class OrganisationQuerySet(MentionedQuerySet):
    def parties(self):
        return self.filter(kind=Organisation.Kind.PARTY)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PARTY = "party", "Party"
        PARTY_BODY = "party_body", "Party body"
        UNION = "union", "Trade union"
        FACTION = "faction", "Faction or campaign"
        MEDIA = "media", "Media"
        PARLIAMENT = "parliament", "Parliament or government"
        COMPANY = "company", "Company"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    parent = models.ForeignKey(
        "self",
        # A body outlives a deleted parent row rather than vanishing with it.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="e.g. the NEC belongs to the Labour Party.",
    )
    description = models.TextField(blank=True)
    homepage = models.URLField(blank=True)
    domains = models.JSONField(default=list, blank=True, help_text="Web domains, for the source of a url.")
    needs_review = models.BooleanField(
        default=False, db_index=True, help_text="Discovered by extraction, not yet checked by an editor."
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation-detail", kwargs={"slug": self.slug})

    @property
    def is_party(self) -> bool:
        return self.kind == self.Kind.PARTY


class Alias(models.Model):
    """Another name under which a person or organisation appears in text."""

    name = models.CharField(max_length=200, help_text="Matched case-sensitively on word boundaries.")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="aliases")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="aliases"
    )
    guarded = models.BooleanField(
        default=False,
        help_text="Also an ordinary word (Unite, Reform): matched only where context says it is a name.",
    )

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False),
                name="alias_names_one_entity",
            ),
            models.UniqueConstraint(fields=["name", "person"], name="alias_unique_per_person"),
            models.UniqueConstraint(fields=["name", "organisation"], name="alias_unique_per_organisation"),
        ]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def covering(self, on: datetime.date | None):
        """Memberships in force on a date; every membership when ``on`` is None."""
        if on is None:
            return self
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=on),
            Q(end_date__isnull=True) | Q(end_date__gte=on),
        )


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        max_length=200, default="member", help_text="e.g. 'member', 'leader', 'MP for Islington North'."
    )
    start_date = models.DateField(null=True, blank=True, help_text="Empty when unknown.")
    end_date = models.DateField(null=True, blank=True, help_text="Empty when current or unknown.")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = [models.F("start_date").asc(nulls_first=True)]

    def __str__(self):
        return f"{self.person}: {self.role}, {self.organisation}"
