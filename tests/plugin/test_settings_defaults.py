"""Every setting the installable apps read has a default, so a host site sets only what it
changes (shelfmark_core/conf.py; README "Adding Shelfmark to an existing Wagtail site")."""

import re
from pathlib import Path

from shelfmark_core.conf import DEFAULTS, app_setting

REPOSITORY = Path(__file__).resolve().parents[2]
APPS = ["shelfmark_core", "library", "readinglists", "enquiries", "learning", "currentawareness"]
PREFIXES = ("SHELFMARK_", "ENQUIRIES_", "CURRENTAWARENESS_")
DIRECT_READ = re.compile(r"settings\.((?:SHELFMARK|ENQUIRIES|CURRENTAWARENESS)_[A-Z0-9_]+)")


def app_sources():
    for app in APPS:
        for path in (REPOSITORY / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text()


def test_each_setting_read_through_app_setting_has_a_default():
    read = set()
    for _path, source in app_sources():
        read |= set(re.findall(r'app_setting\(\s*"([A-Z0-9_]+)"', source))
        read |= set(re.findall(r'setting = "([A-Z0-9_]+)"', source))
    assert read, "no app_setting calls found"
    assert read - set(DEFAULTS) == set()


def test_no_app_reads_its_own_settings_without_a_default():
    """`settings.ENQUIRIES_...` raises AttributeError in a host that never set it."""
    direct = [
        f"{path.relative_to(REPOSITORY)}: {match}"
        for path, source in app_sources()
        for match in DIRECT_READ.findall(source)
    ]
    assert direct == []


def test_a_host_override_wins_over_the_default(settings):
    settings.ENQUIRIES_RESPONSE_DAYS = 3
    assert app_setting("ENQUIRIES_RESPONSE_DAYS") == 3
    del settings.ENQUIRIES_RESPONSE_DAYS
    assert app_setting("ENQUIRIES_RESPONSE_DAYS") == DEFAULTS["ENQUIRIES_RESPONSE_DAYS"] == 10
    assert all(name.startswith(PREFIXES) for name in DEFAULTS)
