"""Site settings moved from `home` to `shelfmark_core`: a site that had them keeps them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from shelfmark_core.models import SiteSettings

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("home", "0001_initial"), ("shelfmark_core", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def test_an_existing_site_keeps_its_contacts_navigation_and_editors(home_page):
    old_apps = migrate(BEFORE)
    site = old_apps.get_model("wagtailcore", "Site").objects.get(is_default_site=True)
    OldSettings = old_apps.get_model("home", "SiteSettings")
    OldSettings.objects.create(
        site=site,
        information_service_phone="0808 800 5000",
        information_service_email="help@example.org",
        navigation=[{"type": "link", "value": {"label": "Library", "page": None,
                                               "url": "https://example.org/library"}}],
    )  # fmt: skip
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    Permission = old_apps.get_model("auth", "Permission")
    Group = old_apps.get_model("auth", "Group")
    old_type, _ = ContentType.objects.get_or_create(app_label="home", model="sitesettings")
    change, _ = Permission.objects.get_or_create(
        content_type=old_type, codename="change_sitesettings",
        defaults={"name": "Can change site settings"},
    )  # fmt: skip
    editors = Group.objects.create(name="Site editors")
    editors.permissions.add(change)

    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())

    moved = SiteSettings.objects.get(site_id=site.pk)
    assert moved.information_service_phone == "0808 800 5000"
    assert moved.information_service_email == "help@example.org"
    assert moved.navigation[0].value["label"] == "Library"
    from django.contrib.auth.models import Group as LiveGroup

    assert (
        LiveGroup.objects.get(name="Site editors")
        .permissions.filter(
            content_type__app_label="shelfmark_core", codename="change_sitesettings"
        )
        .exists()
    )
