"""The "editor" group: adds and corrects articles and entities, manages no users.

Kept in step by a post_migrate receiver (apps.py), so every ``migrate`` (``make serve``
runs one) creates the group and gives it the permissions of models added since. Make an
account an editor in the admin (Users -> the user -> Groups: editor, and "Staff status").
"""

from django.contrib.auth.models import Group, Permission

EDITOR_GROUP = "editor"
# Everything editors correct; the index queue and login records are the machinery's.
EDITED_MODELS = (
    "article",
    "source",
    "person",
    "personredirect",
    "organisation",
    "alias",
    "membership",
    "mention",
    "quote",
)


def ensure_editor_group(**kwargs) -> Group:
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    permissions = Permission.objects.filter(content_type__app_label="archive", content_type__model__in=EDITED_MODELS)
    group.permissions.add(*permissions)
    return group
