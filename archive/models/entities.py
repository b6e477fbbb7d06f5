import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from archive.ingest import names
from archive.knowledge.kinds import END_REASONS, WITHOUT_WHIP_ROLES, infer_kind


class MentionedQuerySet(models.QuerySet):
    """Shared by people and organisations: both are named by mentions."""

    def most_mentioned(self, since: datetime.date | None = None, limit: int = 10) -> list:
        """The most-mentioned first, each with ``article_count`` (boilerplate excluded; only
        articles published since ``since`` when given)."""
        from archive.models.articles import Article
        from archive.models.mentions import Mention

        mentions = Mention.objects.shown()
        if since:
            # From the articles since then, not a join: a join reads every mention and looks
            # up its article (1.4 s at 100,000 articles; 9 ms for a month's this way).
            mentions = mentions.filter(article__in=Article.objects.filter(published__gte=since).values("pk"))
        return self._ranked_by(mentions, limit)

    def co_mentioned_with(self, entity, limit: int = 10) -> list:
        """Who else the articles naming ``entity`` (a person or an organisation) name, the most
        often first, each with ``article_count`` (articles naming both; boilerplate excluded)."""
        from archive.models.mentions import Mention

        together = Mention.objects.shown().filter(article__in=Mention.objects.of(entity).values("article"))
        others = self.exclude(pk=entity.pk) if isinstance(entity, self.model) else self
        return others._ranked_by(together, limit)

    def _ranked_by(self, mentions, limit: int) -> list:
        """These people or organisations, the most often named in ``mentions`` first (ties in
        the model's order), each with ``article_count``; at most ``limit``, none unnamed.

        Counted from the mentions alone (one per article and name) and only then joined to
        the names: counting across the join grouped every mention by every column of the
        person, 0.9 s for a party named in 46,000 of 100,000 articles, against 0.3 s."""
        field = self.model._meta.model_name  # Mention's field for this model
        counts = dict(
            mentions.filter(**{f"{field}__in": self.values("pk")})
            .values(field)
            .annotate(named=models.Count("pk"))
            .order_by("-named")
            .values_list(field, "named")
        )
        if not counts:
            return []
        threshold = list(counts.values())[min(limit, len(counts)) - 1]
        candidates = self.filter(pk__in=[pk for pk, named in counts.items() if named >= threshold])
        # A stable sort by count over the model's order: ties stay in that order.
        ranked = sorted(candidates.order_by(*self.model._meta.ordering), key=lambda entity: -counts[entity.pk])[:limit]
        for entity in ranked:
            entity.article_count = counts[entity.pk]
        return ranked

    def starting_with(self, letter: str):
        """Alphabetical by the first letter of the sort key (people: Ó Briain under O) or
        the name (organisations)."""
        if self.model is Person:
            return self.filter(sort_key__startswith=letter.lower()).order_by(*self.model._meta.ordering)
        return self.filter(name__istartswith=letter).order_by(*self.model._meta.ordering)


ROLES_SHOWN = 2


# The people list "by kind": what someone is now, read from the memberships in force today.
# key: (label, kind of membership, which organisations). Seats in the Commons and the Lords
# are told apart from every other chamber, assembly and council.
WESTMINSTER = ("house-of-commons", "house-of-lords")
PERSON_KINDS = {
    "mp": ("MPs", "seat", Q(organisation__slug="house-of-commons")),
    "peer": ("Peers", "seat", Q(organisation__slug="house-of-lords")),
    "elected": ("Other parliaments, assemblies and councils", "seat", ~Q(organisation__slug__in=WESTMINSTER)),
    "government": ("Government and parliamentary office", "role", Q(organisation__kind="parliament")),
    "party": ("Party office", "role", Q(organisation__kind__in=("party", "party_body"))),
    "union": ("Trade unions", "role", Q(organisation__kind="union")),
    "campaign": ("Factions and campaigns", "role", Q(organisation__kind="faction")),
    "media": ("Media", "role", Q(organisation__kind="media")),
}


class PersonQuerySet(MentionedQuerySet):
    def of_kind(self, kind: str, on: datetime.date | None = None):
        """People who are, on ``on`` (today), of a ``PERSON_KINDS`` kind: holding a seat in
        the Commons, say, or a role in a trade union."""
        _, membership_kind, where = PERSON_KINDS[kind]
        # An uncorrelated IN (...) list: SQLite runs it once, where a correlated EXISTS beside
        # the people list's mention count was run per row (15 s for the MPs on the demo).
        held = Membership.objects.filter(where, kind=membership_kind).covering(on or timezone.localdate())
        return self.filter(pk__in=held.values("person_id"))

    def with_memberships_now(self, organisation=None, on: datetime.date | None = None):
        """Prefetch each person's memberships in force today (of ``organisation`` only, when
        given) into ``memberships_now``, for ``party_now`` and ``roles_now``."""
        current = Membership.objects.covering(on or timezone.localdate()).select_related("organisation", "elected_for")
        if organisation is not None:
            current = current.filter(organisation=organisation)
        return self.prefetch_related(models.Prefetch("memberships", queryset=current, to_attr="memberships_now"))

    def office_holders_first(self, organisation, on: datetime.date | None = None):
        """Those holding a role in ``organisation`` on ``on`` (today) first, the leader and
        officers before the membership at large, then alphabetical."""
        roles = Membership.objects.filter(
            person=models.OuterRef("pk"), organisation=organisation, kind=Membership.Kind.ROLE
        ).covering(on or timezone.localdate())
        return self.annotate(holds_role=models.Exists(roles)).order_by("-holds_role", *self.model._meta.ordering)

    def member_of(self, organisation, on: datetime.date | None = None):
        """People who belonged to ``organisation`` on ``on`` (anyone who ever did with
        ``on=None``). For a party that means party membership, not a seat won for it,
        its whip or a role in it; for any other body, a membership of any kind."""
        memberships = Membership.objects.filter(organisation=organisation).of_body(organisation).covering(on)
        return self.filter(memberships__in=memberships).distinct()

    def former_members_of(self, organisation, on: datetime.date | None = None):
        """People whose memberships of ``organisation`` had all ended by ``on`` (today),
        most recent departures first, annotated with ``left`` (the date they really left:
        the end of their last membership, not of a parliament) and ``left_reason`` (its
        end_reason). A member whose whip is suspended is still a member, not among these."""
        on = on or timezone.localdate()
        memberships = Membership.objects.filter(organisation=organisation).of_body(organisation)
        last = memberships.filter(person=models.OuterRef("pk"), end_date__isnull=False).order_by("-end_date")
        # Driven from the organisation's memberships (a few hundred rows), not from every
        # person with a join per membership: 250 ms -> a few ms for Labour at 10,000 articles.
        return (
            self.filter(pk__in=memberships.filter(end_date__lt=on).values("person_id"))
            .exclude(pk__in=memberships.covering(on).values("person_id"))
            .annotate(
                left=models.Subquery(last.values("end_date")[:1]),
                left_reason=models.Subquery(last.values("end_reason")[:1]),
            )
            .order_by("-left", *Person._meta.ordering)
        )


def person_sort_key(name: str, sort_name: str = "") -> str:
    """``Person.sort_key`` for a person's name and sort name: the sort name folded, or the
    name turned surname-first when there is no sort name. ``save`` sets it; bulk writes,
    which skip ``save``, call this."""
    return names.sort_key(sort_name or names.sort_name(name))[:200]


class Person(models.Model):
    name = models.CharField(max_length=200, help_text="Canonical full name, without honorifics.")
    slug = models.SlugField(max_length=200, unique=True)
    sort_name = models.CharField(max_length=200, blank=True, help_text="e.g. 'Starmer, Keir'.")
    sort_key = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        db_index=True,
        help_text="The sort name folded for ordering ('o briain, dara'): set on save from the sort name "
        "(or the name), so alphabetical order never depends on the database's collation.",
    )
    bio = models.TextField(blank=True)
    wikidata_id = models.CharField(max_length=20, blank=True, help_text="e.g. Q6383069")
    surname_alias = models.BooleanField(
        default=False, help_text="The surname alone means this person in UK political news (Starmer)."
    )
    needs_review = models.BooleanField(
        default=False, db_index=True, help_text="Discovered by extraction, not yet checked by an editor."
    )
    review_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text="Why an editor should check this person, e.g. a namesake of another person.",
    )
    edited_in_admin = models.BooleanField(
        default=False,
        help_text="An editor changed this person in the admin: load_knowledge leaves its fields alone.",
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "pk"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.sort_key = person_sort_key(self.name, self.sort_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("person-detail", kwargs={"slug": self.slug})

    def merge_into(self, other: "Person") -> None:
        """Make ``other`` the one person: this person's aliases, mentions, quotes,
        memberships and bylines move to it, the old slug redirects, and this row goes."""
        from django.db import transaction

        from archive.models.mentions import Mention
        from archive.search.signals import articles_about_people, index_articles_later

        if other.pk == self.pk:
            raise ValueError("A person cannot be merged into themselves.")
        with transaction.atomic():
            # Quotes and memberships move by UPDATE, without signals: both people's
            # articles are re-indexed when the merge commits.
            index_articles_later(articles_about_people([self.pk, other.pk]))
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

    def timeline(self) -> list[tuple[str, list["Membership"]]]:
        """Party, seats and roles, one row per span, oldest first: what the person page
        shows. Whip rows sit with party membership, which they qualify."""
        groups = {"Party": [], "Seats": [], "Roles": []}
        where = {
            Membership.Kind.PARTY: "Party",
            Membership.Kind.WHIP: "Party",
            Membership.Kind.SEAT: "Seats",
            Membership.Kind.ROLE: "Roles",
        }
        for membership in self.memberships.select_related("organisation", "elected_for").order_by(
            models.F("start_date").asc(nulls_first=True), "end_date", "role", "pk"
        ):
            groups[where.get(membership.kind, "Roles")].append(membership)
        return [(title, rows) for title, rows in groups.items() if rows]

    def parties_on(self, on: datetime.date | None) -> list["Organisation"]:
        """The parties this person was in on a date (today when None); see ``party_at``."""
        return self.party_at(on).parties

    def party_at(self, on: datetime.date | None, memberships=None) -> "PartyAtTheTime":
        """Party at the time: party membership covering ``on`` (today when None); failing
        that, the whip they took, then the party their seat was won for, saying which.
        ``memberships``: all of this person's memberships, already loaded with their
        organisations (a page asking for many dates loads them once, not once a row)."""
        on = on or timezone.localdate()
        if memberships is None:
            covering = self.memberships.covering(on).select_related("organisation", "elected_for")
        else:
            covering = [m for m in memberships if m.covers(on)]
        found = PartyAtTheTime.from_memberships(covering)
        if found.basis == PartyAtTheTime.SEAT:
            # Expelled from (or out of) the party the seat was won for, and still sitting:
            # the seat no longer says which party they are in.
            left = self._left_while_sitting(on, found.parties, covering, memberships)
            if left:
                found = PartyAtTheTime.from_memberships(covering, left=left)
        return found

    def _left_while_sitting(self, on, parties, covering, memberships) -> set:
        """Of ``parties``, those whose membership ended before ``on`` during a seat covering
        ``on`` that was won for them."""
        seats = [m for m in covering if m.kind == Membership.Kind.SEAT and m.elected_for in parties]
        since = min((m.start_date or datetime.date.min for m in seats), default=on)
        if memberships is None:
            ended = self.memberships.party().filter(organisation__in=parties, end_date__lt=on, end_date__gte=since)
            return {m.organisation for m in ended.select_related("organisation")}
        return {
            m.organisation
            for m in memberships
            if m.kind == Membership.Kind.PARTY
            and m.organisation in parties
            and m.end_date is not None
            and since <= m.end_date < on
        }

    @property
    def left_reason_display(self) -> str:
        """Why they left, in words, from ``former_members_of``'s ``left_reason``."""
        return END_REASONS.get(getattr(self, "left_reason", "") or "", "")

    @property
    def party_now(self):
        """Today's party (see ``party_at``) from ``with_memberships_now``; None when they have none."""
        now = PartyAtTheTime.from_memberships(self.memberships_now)
        if now.basis == PartyAtTheTime.SEAT:
            now = self.party_at(None)  # rare: the query that says whether they left it
        return now.parties[0] if now.parties else None

    @property
    def roles_now(self):
        """Today's seats and roles, from ``with_memberships_now``: those in their party first
        ('deputy leader'), then the most recently taken up."""
        party = self.party_now
        kinds = (Membership.Kind.SEAT, Membership.Kind.ROLE)
        roles = [m for m in reversed(self.memberships_now) if m.kind in kinds]
        return sorted(roles, key=lambda m: m.organisation != party)[:ROLES_SHOWN]


@dataclass
class PartyAtTheTime:
    """The parties a person was in on a date, what says so, and whose whip they were
    without (a member whose whip is suspended is still in the party)."""

    MEMBERSHIP = "membership"
    WHIP = "whip"
    SEAT = "seat"

    parties: list
    basis: str
    whip_suspended: list = field(default_factory=list)

    @classmethod
    def from_memberships(cls, memberships, left=frozenset()) -> "PartyAtTheTime":
        """From the memberships in force on the date: party membership; failing that, the
        whip they took, then the party their seat was won for (not when they sat as an
        independent, nor one in ``left``, a party they had left by then), then the party
        whose whip was suspended."""
        by_kind = {kind: [] for kind in Membership.Kind}
        for membership in memberships:
            by_kind[membership.kind].append(membership)
        whips = by_kind[Membership.Kind.WHIP]
        without = [m.organisation for m in whips if m.role in WITHOUT_WHIP_ROLES and m.organisation.is_party]
        independent = any(m.role == "independent" for m in whips)
        seats = [
            m.elected_for
            for m in by_kind[Membership.Kind.SEAT]
            if (not independent or m.elected_for in without) and m.elected_for not in left
        ]
        for basis, parties in (
            (PartyAtTheTime.MEMBERSHIP, [m.organisation for m in by_kind[Membership.Kind.PARTY]]),
            (PartyAtTheTime.WHIP, [m.organisation for m in whips if m.role not in WITHOUT_WHIP_ROLES]),
            (PartyAtTheTime.SEAT, seats),
            (PartyAtTheTime.WHIP, without),
        ):
            parties = sorted({p for p in parties if p and p.is_party}, key=lambda p: p.name)
            if parties:
                return cls(parties, basis, [p for p in parties if p in without])
        return cls([], "")

    def __bool__(self):
        return bool(self.parties)

    def __iter__(self):
        return iter(self.parties)

    @property
    def fallback_note(self) -> str:
        """'' for party membership; otherwise the words a page shows beside the party."""
        if self.basis == self.WHIP and self.whip_suspended:
            return ""
        return {self.WHIP: "took the party's whip", self.SEAT: "elected for the party"}.get(self.basis, "")

    @property
    def note(self) -> str:
        """What a page shows beside the party: the fallback, and 'whip suspended' for a
        member (or MP) without the party's whip then."""
        notes = [self.fallback_note] if self.fallback_note else []
        if self.whip_suspended:
            notes.append("whip suspended")
        return "; ".join(notes)


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
    edited_in_admin = models.BooleanField(
        default=False,
        help_text="An editor changed this organisation in the admin: load_knowledge leaves its fields alone.",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation-detail", kwargs={"slug": self.slug})

    @property
    def is_party(self) -> bool:
        return self.kind == self.Kind.PARTY


class Origin(models.TextChoices):
    """Who owns a row: load_knowledge (a data file) or an editor (the admin, or anything else)."""

    DATA = "data", "Data file"
    EDITOR = "editor", "Editor"


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
    origin = models.CharField(
        max_length=10,
        choices=Origin.choices,
        default=Origin.EDITOR,
        help_text="Data-file rows are load_knowledge's to update or remove; it never touches the others.",
    )

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["name", "pk"]
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

    def party(self):
        return self.filter(kind=Membership.Kind.PARTY)

    def of_body(self, organisation):
        """What makes someone a member of ``organisation``: party membership for a party,
        any kind of membership for anything else."""
        return self.party() if organisation.is_party else self


class Membership(models.Model):
    class Kind(models.TextChoices):
        SEAT = "seat", "Seat"
        PARTY = "party", "Party membership"
        WHIP = "whip", "Whip"
        ROLE = "role", "Role"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text="The party for party membership and the whip; the chamber or council for a seat.",
    )
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        blank=True,
        db_index=True,
        help_text="Seat (MP, MSP, MS, MLA, councillor, peer), party membership, the whip "
        "(sitting as an independent, whip suspended), or a role (leader, minister, NEC member). "
        "Left empty, it is worked out from the organisation and role ('member' of a party is "
        "party membership).",
    )
    role = models.CharField(
        max_length=200, default="member", help_text="e.g. 'member', 'leader', 'MP for Islington North'."
    )
    elected_for = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seats_won",
        help_text="For a seat: the party it was won for (the last fallback for party at the time).",
    )
    start_date = models.DateField(null=True, blank=True, help_text="Empty when unknown.")
    end_date = models.DateField(null=True, blank=True, help_text="Empty when current or unknown.")
    end_reason = models.CharField(
        max_length=20, choices=END_REASONS.items(), blank=True, help_text="Why it ended, where known."
    )
    source_note = models.CharField(
        max_length=500, blank=True, help_text="Where the fact comes from: a data file, a report or a page."
    )
    origin = models.CharField(
        max_length=10,
        choices=Origin.choices,
        default=Origin.EDITOR,
        db_index=True,
        help_text="Data-file rows are load_knowledge's to update or remove; it never touches the others.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = [models.F("start_date").asc(nulls_first=True), "pk"]

    def __str__(self):
        return f"{self.person}: {self.role}, {self.organisation}"

    def save(self, *args, **kwargs):
        if not self.kind:
            self.kind = infer_kind(self.organisation.kind, self.role)
        super().save(*args, **kwargs)

    def covers(self, on: datetime.date) -> bool:
        """In force on ``on``: the same test as ``Membership.objects.covering(on)``, for
        memberships already loaded (a prefetch)."""
        return (self.start_date is None or self.start_date <= on) and (self.end_date is None or on <= self.end_date)
