"""Uploaded documents are never served straight from MEDIA_ROOT, even with DEBUG on."""

import importlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import clear_url_caches

import config.urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_urls(settings):
    """The project's URL routes as `make run` builds them, with DEBUG on."""
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def stored_files():
    names = [
        default_storage.save("documents/withdrawn-report.pdf", ContentFile(b"%PDF-1.4 secret")),
        default_storage.save("original_images/cover.txt", ContentFile(b"cover image")),
    ]
    yield names
    for name in names:
        default_storage.delete(name)


def test_with_debug_on_documents_are_not_served_from_media_but_images_are(
    client, debug_urls, stored_files, settings
):
    document, image = stored_files
    assert client.get(f"{settings.MEDIA_URL}{document}").status_code == 404
    served = client.get(f"{settings.MEDIA_URL}{image}")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == b"cover image"
