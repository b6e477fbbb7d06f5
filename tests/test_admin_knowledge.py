"""What an editor saves in the admin survives load_knowledge."""

import datetime

import pytest
from django.core.management import call_command

from archive.models import Membership, Origin, Person
from tests.test_admin import errors, form_data

pytestmark = pytest.mark.django_db


def test_a_loaded_membership_changed_in_the_admin_becomes_the_editors_and_survives_a_load(admin_client, knowledge):
    membership = Membership.objects.get(person__slug="danny-kruger", organisation__slug="reform-uk", kind="party")
    assert membership.origin == Origin.DATA
    url = f"/admin/archive/membership/{membership.pk}/change/"
    data = form_data(admin_client.get(url), "membership_form")
    data["source_note"] = "Checked by an editor against the Commons register."

    response = admin_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302, errors(response)
    membership.refresh_from_db()
    assert membership.origin == Origin.EDITOR
    call_command("load_knowledge", verbosity=0)
    membership.refresh_from_db()
    assert membership.source_note == "Checked by an editor against the Commons register."
    # The file's version of the same row is not added back beside it.
    assert (
        Membership.objects.filter(person__slug="danny-kruger", organisation__slug="reform-uk", kind="party").count()
        == 1
    )


def test_a_person_edited_in_the_admin_keeps_the_editors_fields_and_the_files_rows(admin_client, knowledge):
    person = Person.objects.get(slug="mike-amesbury")
    url = f"/admin/archive/person/{person.pk}/change/"
    data = form_data(admin_client.get(url), "person_form")
    data["bio"] = "Written by an editor."
    data["memberships-0-end_date"] = "2025-03-16"  # an inline row the editor corrects

    response = admin_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302, errors(response)
    person.refresh_from_db()
    assert person.edited_in_admin
    corrected = Membership.objects.get(pk=data["memberships-0-id"])
    assert corrected.origin == Origin.EDITOR
    untouched = person.memberships.exclude(pk=corrected.pk)
    assert untouched.exists() and set(untouched.values_list("origin", flat=True)) == {Origin.DATA}

    call_command("load_knowledge", verbosity=0)

    person.refresh_from_db()
    assert person.bio == "Written by an editor."
    assert Membership.objects.get(pk=corrected.pk).end_date == datetime.date(2025, 3, 16)


def test_an_alias_added_in_the_admin_survives_a_load(admin_client, knowledge):
    person = Person.objects.get(slug="mike-amesbury")
    url = f"/admin/archive/person/{person.pk}/change/"
    data = form_data(admin_client.get(url), "person_form")
    total = int(data["aliases-TOTAL_FORMS"])
    data.update({f"aliases-{total}-name": "Michael Amesbury", "aliases-TOTAL_FORMS": str(total + 1)})

    response = admin_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302, errors(response)
    call_command("load_knowledge", verbosity=0)
    alias = person.aliases.get(name="Michael Amesbury")
    assert alias.origin == Origin.EDITOR
