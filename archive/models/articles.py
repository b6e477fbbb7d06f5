import datetime

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Trunc
from django.urls import reverse
from django.utils import timezone


class Source(models.Model):
    """A publication: a newspaper, broadcaster, party or campaign site, blog."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(blank=True)
    domains = models.JSONField(
        default=list, blank=True, help_text="Web domains of this publication, e.g. ['bbc.co.uk']."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("source-detail", kwargs={"slug": self.slug})


# The bulk of an article row, never shown in a list of articles.
ARTICLE_TEXT_FIELDS = ("body", "raw", "extraction")


# Named in more articles than this, an entity's articles are found by walking the
# articles newest first (see ArticleQuerySet.named_by).
WALK_ARTICLES_ABOVE = 1000


class ArticleQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by(models.F("published").desc(nulls_last=True), "-created", "-pk")

    def published(self):
        """Articles with a known publication date, newest first."""
        return self.filter(published__isnull=False).newest_first()

    def listed(self):
        """What a list of articles shows (title, date, source, byline), without the body,
        the raw original or the extraction notes: most of a row's bytes, never shown in a list."""
        return self.select_related("source").defer(*ARTICLE_TEXT_FIELDS)

    def mentioning(self, person):
        """Articles whose body or headline names the person (boilerplate excluded)."""
        from archive.models.mentions import Mention

        return self.named_by(Mention.objects.of(person))

    def named_by(self, mentions, listing: bool = True, count: int | None = None):
        """The articles of ``mentions`` (one person's or organisation's, as
        ``Mention.objects.of()`` gives: at most one per article). ``listing=False`` for a
        count or a chart of them, which reads them all anyway; ``count``, when the caller
        has counted the mentions already."""
        # SQLite answers "pk IN (the mentions' articles)" by looking up each of them: quick
        # for a few hundred, but a newest-first page of a name in 16,000 of 100,000
        # articles sorts them all (300 ms). "EXISTS (a mention)" walks the articles newest
        # first until the page is full: 2 ms for that name, 400 ms for one named in three
        # articles. So a list of the often-named walks and everything else looks up.
        if listing and (mentions.count() if count is None else count) > WALK_ARTICLES_ABOVE:
            return self.filter(Exists(mentions.filter(article=OuterRef("pk"))))
        return self.filter(pk__in=mentions.values("article"))

    def named(self, name: str):
        """Articles ingested under this file name (relative to the ingested folder), as
        their own name or as another name of the same text."""
        # A subquery, not a join: SQLite answers "file_name = ? OR pk IN (...)" from the
        # two indexes, but an OR across a LEFT JOIN by reading every article (an ingest
        # of 30,000 files slowed from 26 to 8 articles a second).
        other = ArticleName.objects.filter(name=name).values("article_id")
        return self.filter(Q(file_name=name) | Q(pk__in=other))

    def quoting(self, person):
        return self.filter(quotes__speaker=person).distinct()

    def quoting_any(self, people):
        """Articles quoting any of ``people``, annotated with ``shared_speakers`` (how many of them)."""
        return (
            self.filter(quotes__speaker__in=people)
            .annotate(shared_speakers=Count("quotes__speaker", distinct=True))
            .order_by("-shared_speakers", models.F("published").desc(nulls_last=True), "-created", "-pk")
        )

    def on_date(self, year: int, month: int | None = None, day: int | None = None):
        """Articles published in a year, a month of it or on one day."""
        found = self.filter(published__year=year)
        if month:
            found = found.filter(published__month=month)
        if day:
            found = found.filter(published__day=day)
        return found

    def counts_by(self, kind: str) -> list[tuple[datetime.date, int]]:
        """(first day of each year, month or day, articles) for the dated articles, oldest first;
        periods without articles are absent."""
        rows = (
            self.order_by()
            .filter(published__isnull=False)
            .annotate(period=Trunc("published", kind, output_field=models.DateField()))
            .values("period")
            .annotate(articles=Count("pk", distinct=True))
            .order_by("period")
        )
        return [(row["period"], row["articles"]) for row in rows]

    def previous_in_source(self, article):
        """The article its source published just before this one (the same day: added earlier)."""
        return self._next_to_in_source(article, before=True)

    def next_in_source(self, article):
        """The article its source published just after this one."""
        return self._next_to_in_source(article, before=False)

    def _next_to_in_source(self, article, before: bool):
        if article.source_id is None or article.published is None:
            return None
        side, order = ("lt", "-") if before else ("gt", "")
        return (
            self.filter(source_id=article.source_id)
            .defer(*ARTICLE_TEXT_FIELDS)
            .filter(
                Q(**{f"published__{side}": article.published})
                | Q(published=article.published, **{f"pk__{side}": article.pk})
            )
            .order_by(f"{order}published", f"{order}pk")
            .first()
        )

    def naming(self, organisation):
        """Articles whose body or headline names the organisation itself (not its members:
        see ``naming_party``)."""
        from archive.models.mentions import Mention

        return self.named_by(Mention.objects.of(organisation))

    def naming_party(self, party, include_members=False, at_the_time=True):
        """Articles naming the party, and with ``include_members`` also the articles that
        mention anyone who was a member on the article's date (today's members when the
        article is undated, or always with ``at_the_time=False``)."""
        from archive.models.entities import Membership
        from archive.models.mentions import Mention

        names_party = Exists(Mention.objects.filter(article=OuterRef("pk"), organisation=party, boilerplate_only=False))
        if not include_members:
            return self.filter(names_party)
        today = timezone.localdate()
        memberships = Membership.objects.party().filter(organisation=party, person=OuterRef("person"))
        if at_the_time:
            on = models.functions.Coalesce(OuterRef(OuterRef("published")), models.Value(today))
            memberships = memberships.filter(
                Q(start_date__isnull=True) | Q(start_date__lte=on),
                Q(end_date__isnull=True) | Q(end_date__gte=on),
            )
        member_mentions = Mention.objects.filter(
            article=OuterRef("pk"), person__isnull=False, boilerplate_only=False
        ).filter(Exists(memberships))
        return self.filter(names_party | Exists(member_mentions))


class Article(models.Model):
    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=200)
    title_is_fallback = models.BooleanField(
        default=False, help_text="The page had no headline; the title was made from its text."
    )
    source = models.ForeignKey(
        Source,
        # Deleting a publication keeps its articles: they are the archive.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    author = models.CharField(max_length=300, blank=True)
    author_person = models.ForeignKey(
        "archive.Person",
        # The byline text stays on the article if the person row goes.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_articles",
    )
    published = models.DateField(
        null=True, blank=True, db_index=True, help_text="Publication date; empty when the page states none."
    )
    url = models.URLField(max_length=1000, blank=True, db_index=True)
    body = models.TextField(help_text="The cleaned article text that search and pages use.")
    raw = models.TextField(help_text="The page exactly as ingested (after decoding), for citation and re-extraction.")
    content_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the normalised body: one row per story."
    )
    file_name = models.CharField(
        max_length=300,
        blank=True,
        db_index=True,
        help_text="The article's identity: its file's path relative to the folder given to ingest "
        "(e.g. 'labourlist/001.txt'; 'feed.jsonl#3' for a line of a JSON-lines file). Of several "
        "files with the same text, the first name in sort order; the others are its other names.",
    )
    encoding = models.CharField(max_length=40, blank=True, help_text="How the file was decoded.")
    extraction_version = models.PositiveIntegerField(default=0)
    extraction = models.JSONField(
        default=dict, blank=True, help_text="Why each field and entity was extracted (rules, matched text)."
    )
    needs_review = models.BooleanField(default=False, db_index=True)
    review_reasons = models.JSONField(
        default=list,
        blank=True,
        help_text="Why the article waits for an editor, one reason a line (a new person, a headline made "
        "from the first sentence, a byline found by a weak rule); empty when nothing needs a person.",
    )
    edited_fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields an editor changed in the admin (title, author, published, source, url, "
        "author_person): re-extraction keeps their values.",
    )
    deleted_by_editor = models.JSONField(
        default=dict,
        blank=True,
        help_text="What an editor deleted, so re-extraction does not bring it back: "
        "{'people': [ids], 'organisations': [ids], 'quotes': [texts]}.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published").desc(nulls_last=True), "-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["published", "slug"], name="article_slug_unique_per_date"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(published__isnull=True), name="article_slug_unique_undated"
            ),
        ]
        indexes = [
            # The previous and next article of a source (the article page): 190 ms at
            # 100,000 articles sorting the source's articles, against reading one entry.
            models.Index(fields=["source", "published", "id"], name="article_source_published"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self._url("article-undated", "article-detail")

    def get_original_url(self):
        """The page exactly as ingested, as plain text."""
        return self._url("article-undated-original", "article-original")

    def _url(self, undated_name, dated_name):
        if self.published is None:
            return reverse(undated_name, kwargs={"slug": self.slug})
        date = self.published
        return reverse(dated_name, kwargs={"year": date.year, "month": date.month, "day": date.day, "slug": self.slug})

    @property
    def web_url(self) -> str:
        """The original address when it is a web address (http or https), else empty: safe in a link."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else ""

    @property
    def date_or_today(self) -> datetime.date:
        return self.published or timezone.localdate()

    def people(self):
        from archive.models.entities import Person

        return Person.objects.filter(mentions__article=self, mentions__boilerplate_only=False).distinct()

    def organisations(self):
        from archive.models.entities import Organisation

        return Organisation.objects.filter(mentions__article=self, mentions__boilerplate_only=False).distinct()


class ArticleName(models.Model):
    """Another file name under which the same text was ingested ("the same text under two
    names is one article with both names recorded")."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=300, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
