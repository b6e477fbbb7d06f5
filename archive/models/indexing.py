from django.db import models


class PendingIndexUpdate(models.Model):
    """An article whose search document may be behind the database.

    Written in the same transaction as the change that makes the document stale, and
    deleted once the index holds the article as committed: a process killed between the
    commit and the index write leaves the row, and the next ingest, rebuild or
    ``check_index --repair`` indexes it. Not a foreign key, so that deleting the article
    keeps the row that removes its document.
    """

    article_id = models.BigIntegerField(db_index=True, help_text="The article to index again (or remove).")
    queued = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"article {self.article_id} queued {self.queued:%Y-%m-%d %H:%M:%S}"
