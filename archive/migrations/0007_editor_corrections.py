from django.db import migrations, models


def reasons_to_lists(apps, schema_editor):
    """'no headline; new people: X, Y' becomes ['no headline', 'new people: X, Y']."""
    Article = apps.get_model("archive", "Article")
    for article in Article.objects.exclude(review_reasons_text="").only("review_reasons_text"):
        article.review_reasons = [r.strip() for r in article.review_reasons_text.split(";") if r.strip()]
        article.save(update_fields=["review_reasons"])


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0006_pending_index_update"),
    ]

    operations = [
        migrations.RenameField("article", "review_reasons", "review_reasons_text"),
        migrations.AddField(
            model_name="article",
            name="review_reasons",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Why the article waits for an editor, one reason a line (a new person, a headline made "
                "from the first sentence, a byline found by a weak rule); empty when nothing needs a person.",
            ),
        ),
        migrations.RunPython(reasons_to_lists, migrations.RunPython.noop),
        migrations.RemoveField("article", "review_reasons_text"),
        migrations.AddField(
            model_name="article",
            name="edited_fields",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Fields an editor changed in the admin (title, author, published, source, url, "
                "author_person): re-extraction keeps their values.",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="deleted_by_editor",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="What an editor deleted, so re-extraction does not bring it back: "
                "{'people': [ids], 'organisations': [ids], 'quotes': [texts]}.",
            ),
        ),
        migrations.AddField(
            model_name="quote",
            name="edited",
            field=models.BooleanField(
                default=False, help_text="Added or corrected by an editor: kept when the article is re-extracted."
            ),
        ),
    ]
