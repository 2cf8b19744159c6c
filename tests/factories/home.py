"""Factories for the home app's pages and a ready-made site tree."""

import factory
import wagtail_factories
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from home.models import HomePage, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Shelfmark test home"
    slug = "home"

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    introduction = "An introduction to this page."

    class Meta:
        model = StandardPage


def make_site() -> HomePage:
    """A default Site whose root is a fresh HomePage, replacing Wagtail's welcome page."""
    # Transactional tests flush the tables that Wagtail's migrations filled; rebuild them.
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root.get_children().delete()
    home = HomePageFactory(parent=root)
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Shelfmark"
    )
    return home
