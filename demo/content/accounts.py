"""Demo accounts for each role, so the approval workflow and the triage can be tried.

Dev-only (created only with DEBUG on, like the demo admin), all with the demo password. Two
librarians, because a librarian cannot approve their own submission: one submits, the other
approves (a superuser may approve their own). The Information Service officer is made by
`demo.content.information_service`; the editor edits the site's general pages and reading
lists through Wagtail's own Editors group.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from demo.content.site import DEMO_ADMIN_PASSWORD
from library.models.workflow import LIBRARIANS_GROUP

# (username, first name, last name, group)
DEMO_ACCOUNTS = [
    ("librarian", "Lena", "Price", LIBRARIANS_GROUP),
    ("librarian2", "Rhys", "Evans", LIBRARIANS_GROUP),
    ("editor", "Eddie", "Shaw", "Editors"),
]


def load_demo_content(home) -> None:
    """The demo accounts, when DEBUG is on; existing accounts are left as they are."""
    if not settings.DEBUG:
        return
    user_model = get_user_model()
    for username, first_name, last_name, group_name in DEMO_ACCOUNTS:
        if user_model.objects.filter(username=username).exists():
            continue
        user = user_model.objects.create_user(
            username,
            f"{username}@example.org",
            DEMO_ADMIN_PASSWORD,
            first_name=first_name,
            last_name=last_name,
        )
        group, _created = Group.objects.get_or_create(name=group_name)
        user.groups.add(group)
