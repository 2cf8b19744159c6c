"""Demo content for the site shell: home page, About page, site settings and the demo admin.

Idempotent like every module of `demo.content`; the page helpers here serve all of them.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from home.models import HomePage, StandardPage
from shelfmark_core.models import SiteSettings

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "shelfmark-demo"  # noqa: S105 - documented dev-only credentials


def get_or_create_child(parent: Page, page_class: type[Page], slug: str, **fields) -> Page:
    """The child of `parent` with `slug`, created (and published) from `fields` if missing."""
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None:
        return existing
    page = page_class(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_navigation_link(label: str, page: Page) -> None:
    """Append a link to `page` in the default site's main navigation, once."""
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    if any(
        block.value.get("page") and block.value["page"].pk == page.pk
        for block in site_settings.navigation
    ):
        return
    site_settings.navigation.append(("link", {"label": label, "page": page, "url": ""}))
    site_settings.save()


def ensure_home_page() -> HomePage:
    """The site's HomePage, replacing Wagtail's placeholder welcome page on a new install (any
    pages below the placeholder move to the home page)."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    home = HomePage(
        title="Shelfmark: knowledge and information for child protection",
        slug="home",
        introduction=(
            "<p>The UK's largest collection of child protection resources: search the library "
            "catalogue, read the national case review repository, follow our reading lists and "
            "ask the Information Service.</p>"
        ),
    )
    placeholder = (
        root.get_children().exclude(content_type__model="homepage").filter(slug="home").first()
    )
    if placeholder is not None:
        placeholder.slug = "welcome-placeholder"
        placeholder.save()
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Shelfmark",
        )
    else:
        site.root_page = home
        site.site_name = "Shelfmark"
        site.save()
    if placeholder is not None:
        # Pages already built under the welcome page (a catalogue loaded before the demo)
        # move to the home page rather than being deleted with it.
        for child in placeholder.get_children():
            child.move(home, pos="last-child")
        # Read again: the moves changed its row (child count) under the copy held here.
        Page.objects.get(pk=placeholder.pk).delete()
    return home


def ensure_site_address() -> bool:
    """Give the default Site the address the site is served at (WAGTAILADMIN_BASE_URL, which
    the dev settings build from `make run`'s PORT), so every absolute link (emails, the
    reading list print view, admin notifications) points there. True if it changed."""
    site = Site.objects.filter(is_default_site=True).first()
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if site is None or not address.hostname:
        return False
    port = address.port or (443 if address.scheme == "https" else 80)
    if (site.hostname, site.port) == (address.hostname, port):
        return False
    site.hostname, site.port = address.hostname, port
    site.save()
    return True


def load_demo_content(home: HomePage) -> None:
    """Site settings, the About page and the demo admin account."""
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if not site_settings.information_service_email:
        site_settings.information_service_phone = "0808 800 5000"
        site_settings.information_service_email = "help@example.org"
        site_settings.helpline_phone = "0808 800 5000"
        site_settings.footer_text = [
            (
                "paragraph",
                "<p>Shelfmark demo site. Our free Information Service helps people who work "
                "with children find the latest policy, practice, research and news on child "
                "protection.</p>",
            )
        ]
        site_settings.save()
    about = get_or_create_child(
        home,
        StandardPage,
        "about",
        title="About the Information Service",
        introduction=(
            "Our free service for people who work with children can help you find the latest "
            "policy, practice, research and news on child protection and related subjects."
        ),
        body=[
            ("heading", "What we can help with"),
            (
                "paragraph",
                "<p>We answer enquiries from social workers, health professionals, police, "
                "teachers, safeguarding partnerships and researchers. We search the library "
                "catalogue and the national case review repository for you, and compile "
                "reading lists on practice topics.</p>",
            ),
            ("heading", "This is not a helpline"),
            (
                "paragraph",
                "<p>If you are worried about a child's immediate safety, call the police on "
                "999. For advice about a child, call the helpline.</p>",
            ),
        ],
    )
    add_navigation_link("About", about)
    if settings.DEBUG:
        ensure_demo_admin()


def ensure_demo_admin() -> None:
    """The documented dev-only superuser; never created outside DEBUG."""
    user_model = get_user_model()
    if not user_model.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
        user_model.objects.create_superuser(
            DEMO_ADMIN_USERNAME, "admin@example.org", DEMO_ADMIN_PASSWORD
        )
