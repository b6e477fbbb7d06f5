from django.apps import AppConfig
from django.db.models import signals


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = "Cuttings archive"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from archive.models import Alias, Organisation, Person, Source
        from archive.permissions import ensure_editor_group
        from archive.search.entities import forget_names

        # The name table behind search by name is rebuilt after any edit to a name.
        for model in (Person, Alias, Organisation, Source):
            for signal in (signals.post_save, signals.post_delete):
                signal.connect(forget_names, sender=model, dispatch_uid=f"forget-names-{model.__name__}")
        # After auth's own post_migrate receiver has created this app's permissions.
        signals.post_migrate.connect(ensure_editor_group, sender=self, dispatch_uid="archive-editor-group")
