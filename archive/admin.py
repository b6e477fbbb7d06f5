import dataclasses
import logging

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join

from archive.ingest.pipeline import EDITABLE_FIELDS, current_gazetteer, parse_document, save_article
from archive.ingest.read import RawDocument, RejectedFile, clean_text, read_bytes, too_large
from archive.models import (
    Alias,
    Article,
    Membership,
    Mention,
    Organisation,
    Origin,
    Person,
    PersonRedirect,
    Quote,
    Source,
)

logger = logging.getLogger(__name__)


@admin.display(description="Review", ordering="needs_review")
def waiting_for_review(obj) -> str:
    """Words, not Django's yes/no icons: a green tick read as "fine" when it meant "check me"."""
    return "waiting for review" if obj.needs_review else ""


@admin.action(description="Mark selected as reviewed")
def mark_reviewed(modeladmin, request, queryset):
    """The review queue: articles, people and organisations flagged by extraction."""
    reviewed = list(queryset.filter(needs_review=True))
    queryset.filter(pk__in=[obj.pk for obj in reviewed]).update(needs_review=False)
    for obj in reviewed:  # an UPDATE writes no history of its own
        modeladmin.log_change(request, obj, "Marked as reviewed.")
    modeladmin.message_user(request, f"{len(reviewed)} {queryset.model._meta.verbose_name_plural} marked as reviewed.")


class ArticleAddForm(forms.ModelForm):
    """Add an article by pasting its page or uploading a file: the ingest pipeline runs."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 20}), required=False, help_text="Paste the whole page.")
    upload = forms.FileField(required=False, help_text="Or upload a .txt, .html, .json or .jsonl file.")
    source_name = forms.CharField(required=False, label="Source", help_text="Publication, if the page does not say.")
    url = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Article
        fields = []

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text", "").strip(), cleaned.get("upload")
        if bool(text) == bool(upload):
            raise forms.ValidationError("Paste the text or upload a file (one of the two).")
        field = "upload" if upload else "text"
        limit = settings.ARCHIVE_MAX_FILE_BYTES
        size = upload.size if upload else len(text.encode("utf-8"))
        if size > limit:
            raise forms.ValidationError({field: f"{'The file' if upload else 'The text'} is {too_large(size, limit)}."})
        try:
            if upload:
                documents = read_bytes(upload.read(limit + 1), upload.name)
            else:
                documents = [RawDocument("pasted text", "pasted text", clean_text(text))]
            document = documents[0]
            if cleaned.get("url"):
                document = dataclasses.replace(document, meta={**document.meta, "url": cleaned["url"]})
            self.parsed = parse_document(document, current_gazetteer(), source_hint=cleaned.get("source_name", ""))
        except RejectedFile as exc:
            raise forms.ValidationError({field: exc.reason}) from exc
        except Exception as exc:  # noqa: BLE001 - an editor gets a message, never a 500
            logger.exception("Extraction failed for an article added in the admin")
            raise forms.ValidationError({field: f"This could not be processed ({type(exc).__name__})."}) from exc
        duplicate = Article.objects.filter(content_hash=self.parsed.content_hash).first()
        if duplicate:
            raise forms.ValidationError(f"The archive already has this text: “{duplicate.title}” (id {duplicate.pk}).")
        same_url = Article.objects.filter(url=self.parsed.url).first() if self.parsed.url_is_identity else None
        if same_url:
            raise forms.ValidationError(
                {"url": f"The archive already has an article with this url: “{same_url.title}” (id {same_url.pk})."}
            )
        return cleaned

    def save(self, commit=True):
        outcome = save_article(self.parsed, identify=False)
        self.save_m2m = lambda: None
        return Article.objects.get(pk=outcome.article_id)


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    fields = ["person", "organisation", "count", "in_headline", "boilerplate_only", "matched_text", "rule", "edited"]
    readonly_fields = ["matched_text", "rule"]
    autocomplete_fields = ["person", "organisation"]
    verbose_name_plural = "Entities (what matched, and the rule or alias that matched it)"


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    fields = ["speaker", "text", "cue", "start", "end", "edited"]
    autocomplete_fields = ["speaker"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published", "author", "review", "created"]
    list_filter = ["needs_review", "source", "title_is_fallback", ("published", admin.EmptyFieldListFilter)]
    search_fields = ["title", "author", "file_name"]
    date_hierarchy = "created"
    readonly_fields = [
        "content_hash",
        "file_name",
        "encoding",
        "extraction_version",
        "explanation",
        "reasons",
        "edited_fields",
        "created",
        "updated",
    ]
    autocomplete_fields = ["author_person"]
    list_select_related = ["source"]
    actions = [mark_reviewed]
    fieldsets = [
        (None, {"fields": ["title", "title_is_fallback", "source", "author", "author_person", "published", "url"]}),
        ("Review", {"fields": ["needs_review", "reasons", "edited_fields"]}),
        ("Text", {"fields": ["body", "raw"], "classes": ["collapse"]}),
        (
            "Extraction",
            {
                "fields": [
                    "explanation",
                    "content_hash",
                    "file_name",
                    "encoding",
                    "extraction_version",
                    "created",
                    "updated",
                ]
            },
        ),
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ArticleAddForm
            kwargs["fields"] = ["text", "upload", "source_name", "url"]
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["text", "upload", "source_name", "url"]})]
        return super().get_fieldsets(request, obj)

    def add_view(self, request, form_url="", extra_context=None):
        try:
            request.POST  # noqa: B018 - a paste beyond DATA_UPLOAD_MAX_MEMORY_SIZE fails here
        except RequestDataTooBig:
            limit = settings.ARCHIVE_MAX_FILE_BYTES
            self.message_user(request, f"The pasted text is too large; the limit is {limit:,} bytes.", messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().add_view(request, form_url, extra_context)

    def response_add(self, request, obj, post_url_continue=None):
        """After adding, the editor lands on the article to check what extraction found."""
        if "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, f"Added “{obj}”. Check what extraction found below and correct it here.")
        return HttpResponseRedirect(reverse("admin:archive_article_change", args=[obj.pk]))

    def get_inlines(self, request, obj):
        return [MentionInline, QuoteInline] if obj else []

    def save_model(self, request, obj, form, change):
        """Fields the editor changed are theirs: re-extraction keeps them."""
        if change:
            changed = set(form.changed_data) & set(EDITABLE_FIELDS)
            obj.edited_fields = sorted(set(obj.edited_fields or ()) | changed)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """An editor's added or corrected mention or quote survives re-extraction, and
        one they deleted is remembered so that re-extraction does not bring it back."""
        instances = formset.save(commit=False)
        article = form.instance
        deleted = {key: list(values) for key, values in (article.deleted_by_editor or {}).items()}
        for instance in instances:
            instance.edited = True
            instance.save()
            _forget_deletion(deleted, instance)
        for obj in formset.deleted_objects:
            _remember_deletion(deleted, obj)
            obj.delete()
        if deleted != (article.deleted_by_editor or {}):
            article.deleted_by_editor = deleted
            article.save(update_fields=["deleted_by_editor"])

    @admin.display(description="Review")
    def review(self, article):
        """Words, not a tick: a green tick read as 'fine' when it meant 'needs review'."""
        if not article.needs_review:
            return ""
        return "; ".join(article.review_reasons) or "flagged"

    @admin.display(description="Why it waits for review")
    def reasons(self, article):
        return format_html_join("\n", "<div>{}</div>", ((r,) for r in article.review_reasons)) or "—"

    @admin.display(description="Why these fields")
    def explanation(self, article):
        rows = [(field, article.extraction.get(field) or "—") for field in ("title", "author", "date", "source")]
        rows += [(line["kind"], f"{line['text']} ({line['reason']})") for line in article.extraction.get("lines", [])]
        return format_html_join("\n", "<div><b>{}</b>: {}</div>", rows)


def _remember_deletion(deleted: dict, obj) -> None:
    if isinstance(obj, Mention):
        key, pk = ("people", obj.person_id) if obj.person_id else ("organisations", obj.organisation_id)
        deleted.setdefault(key, [])
        if pk not in deleted[key]:
            deleted[key].append(pk)
    elif isinstance(obj, Quote) and obj.text not in deleted.get("quotes", []):
        deleted.setdefault("quotes", []).append(obj.text)


def _forget_deletion(deleted: dict, obj) -> None:
    """An editor who adds back what they deleted wants it kept."""
    if isinstance(obj, Mention):
        key, pk = ("people", obj.person_id) if obj.person_id else ("organisations", obj.organisation_id)
        if pk in deleted.get(key, []):
            deleted[key].remove(pk)
    elif isinstance(obj, Quote) and obj.text in deleted.get("quotes", []):
        deleted["quotes"].remove(obj.text)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ["name", "guarded", "origin"]
    readonly_fields = ["origin"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = [
        "kind",
        "organisation",
        "role",
        "elected_for",
        "start_date",
        "end_date",
        "end_reason",
        "source_note",
        "origin",
    ]
    readonly_fields = ["origin"]
    autocomplete_fields = ["organisation", "person", "elected_for"]


class EditorOwnsWhatItSaves:
    """Whatever an editor saves here is theirs: load_knowledge never overwrites or removes
    it (the object's fields, and the aliases and memberships added or changed inline)."""

    def save_model(self, request, obj, form, change):
        # An editor may untick edited_in_admin to hand the row back to the data files.
        if hasattr(obj, "edited_in_admin") and "edited_in_admin" not in form.changed_data and form.has_changed():
            obj.edited_in_admin = True
        if hasattr(obj, "origin"):
            obj.origin = Origin.EDITOR
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.has_changed() and hasattr(inline_form.instance, "origin"):
                inline_form.instance.origin = Origin.EDITOR
        super().save_formset(request, form, formset, change)


@admin.register(Person)
class PersonAdmin(EditorOwnsWhatItSaves, admin.ModelAdmin):
    list_display = ["name", "slug", waiting_for_review, "review_reason", "mention_count"]
    list_filter = ["needs_review", "surname_alias"]
    search_fields = ["name", "aliases__name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AliasInline, MembershipInline]
    actions = ["merge_people", mark_reviewed]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(mention_total=Count("mentions"))

    @admin.display(description="Mentions", ordering="mention_total")
    def mention_count(self, person):
        return person.mention_total

    @admin.action(description="Merge selected people…")
    def merge_people(self, request, queryset):
        """Merging asks first: an intermediate page lists the people with their mentions
        and lets the editor choose which record survives (the others become its aliases)."""
        people = list(queryset.order_by("needs_review", "-mention_total", "pk"))
        if len(people) < 2:
            self.message_user(request, "Select at least two people to merge.", messages.WARNING)
            return None
        if "confirm" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": "Merge people",
                "opts": self.model._meta,
                "people": people,
                "suggested": people[0],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/archive/person/merge_confirmation.html", context)
        keep = next((p for p in people if str(p.pk) == request.POST.get("survivor")), None)
        if keep is None:
            self.message_user(request, "Choose the person who remains.", messages.ERROR)
            return None
        others = [p for p in people if p.pk != keep.pk]
        with transaction.atomic():
            for person in others:
                label = f"{person.name} ({person.slug})"
                person.merge_into(keep)
                self.log_change(request, keep, f"Merged {label} into this person.")
        self.message_user(request, f"Merged {', '.join(p.name for p in others)} into {keep.name}.")
        return None


@admin.register(Organisation)
class OrganisationAdmin(EditorOwnsWhatItSaves, admin.ModelAdmin):
    list_display = ["name", "kind", "parent", waiting_for_review]
    list_filter = ["needs_review", "kind"]
    actions = [mark_reviewed]
    search_fields = ["name", "aliases__name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [AliasInline]


@admin.register(Membership)
class MembershipAdmin(EditorOwnsWhatItSaves, admin.ModelAdmin):
    list_display = ["person", "kind", "role", "organisation", "start_date", "end_date", "end_reason", "origin"]
    list_filter = ["kind", "origin", "organisation__kind"]
    search_fields = ["person__name", "organisation__name", "role"]
    autocomplete_fields = ["person", "organisation", "elected_for"]
    readonly_fields = ["origin"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "homepage"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PersonRedirect)
class PersonRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "person"]
    search_fields = ["old_slug", "person__name"]
    autocomplete_fields = ["person"]
