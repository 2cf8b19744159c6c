"""Who may see which catalogue records: the one rule every surface asks.

A record is visible to a caller when it is live and the caller passes every Wagtail view
restriction on the record or on a page above it: a login restriction is passed by anyone signed
in, a group restriction by the group's members and superusers, and a password restriction never
outside the page itself. A partner token acts as its partner user.

- Surfaces (pages, the API, exports, reading lists, feeds, OAI-PMH, digests) ask
  `audience_for(user)` once per request and use the `Audience`: `visible_to(audience)` on a
  record queryset, `audience.may_see(path)` for a row already read, `visible_record_stamp()`.
- Search engines derive their filter from the same `Audience`: Elasticsearch from
  `audience.blocked` (documents carry their restriction ids), and every engine excludes the
  ids in `record_filter_for(audience)`, read from the page tree itself, so counts, facets and
  suggestions never include what the caller may not see, however far the index lags.
"""

import datetime
import threading
from dataclasses import dataclass, field

from django.db import connection, models
from django.utils import timezone
from wagtail.models import PageViewRestriction

from library.versions import VersionStamp

SEES_ALL_KEY = "hides-nothing"
PATH_LENGTH = 255  # treebeard's path column


@dataclass(frozen=True)
class Audience:
    """The view restrictions a caller does not pass, and the tree paths they guard."""

    blocked: frozenset[int] = frozenset()
    hidden_paths: tuple[str, ...] = ()
    # Restrictions are counted at the moment the audience was read; a key that names them lets
    # caches and validators tell this caller's view from any other's.
    key: str = field(default=SEES_ALL_KEY, compare=False)

    def may_see(self, path: str) -> bool:
        """Whether a live page at `path` is visible to this caller."""
        return not (self.hidden_paths and path.startswith(self.hidden_paths))

    def hidden_q(self) -> models.Q:
        """A filter matching pages this caller may not see for being under a restriction."""
        hidden = models.Q()
        for path in self.hidden_paths:
            hidden |= models.Q(path__startswith=path)
        return hidden if hidden else models.Q(pk__in=[])


def _restriction_rows() -> list[tuple[int, str, str]]:
    """(id, restriction type, page path) of every view restriction, in one plain query (read on
    every search and record request)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT restriction.id, restriction.restriction_type, page.path "
            "FROM wagtailcore_pageviewrestriction restriction "
            "JOIN wagtailcore_page page ON page.id = restriction.page_id"
        )
        return cursor.fetchall()


def _member_restriction_ids(user) -> set[int]:
    """Ids of the group restrictions naming one of the user's groups."""
    through = PageViewRestriction.groups.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT restriction_groups.pageviewrestriction_id FROM {through} restriction_groups "  # noqa: S608 - Django's own table name
            "JOIN auth_user_groups membership ON membership.group_id = restriction_groups.group_id "
            "WHERE membership.user_id = %s",
            [user.pk],
        )
        return {row[0] for row in cursor.fetchall()}


def audience_for(user) -> Audience:
    """The audience of `user` (None or anonymous for the public, a partner token's user for a
    partner): which restrictions it passes and which it does not."""
    rows = _restriction_rows()
    passed: set[int] = set()
    if user is not None and user.is_authenticated and user.is_active:
        members_of = None
        for pk, kind, _path in rows:
            if kind == PageViewRestriction.LOGIN:
                passed.add(pk)
            elif kind == PageViewRestriction.GROUPS:
                if user.is_superuser:
                    passed.add(pk)
                    continue
                if members_of is None:
                    members_of = _member_restriction_ids(user)
                if pk in members_of:
                    passed.add(pk)
    blocked = frozenset(pk for pk, _kind, _path in rows if pk not in passed)
    return Audience(
        blocked=blocked,
        hidden_paths=tuple(sorted({path for pk, _kind, path in rows if pk in blocked})),
        key="hides:" + ",".join(map(str, sorted(blocked))) if blocked else SEES_ALL_KEY,
    )


def audience_of_request(request) -> Audience:
    """The audience of the request's user, read once per request."""
    audience = getattr(request, "_shelfmark_audience", None)
    if audience is None:
        audience = audience_for(getattr(request, "user", None))
        request._shelfmark_audience = audience
    return audience


def as_audience(who) -> Audience:
    """An `Audience` from an audience, a request or a user (None for the public)."""
    if isinstance(who, Audience):
        return who
    if hasattr(who, "META"):
        return audience_of_request(who)
    return audience_for(who)


def visible_pages(queryset, who):
    """The live pages of `queryset` (any page type: reading lists, sections) the caller may see."""
    return queryset.live().exclude(as_audience(who).hidden_q())


def visible_record_stamp(who, record_id: int) -> tuple[int, datetime.datetime | None] | None:
    """(id, last published) of the live record `record_id` if the caller may see it, else None.

    The API asks this before every record answer, cached or not, so it reads one plain row."""
    audience = as_audience(who)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page.id, page.last_published_at, page.path FROM wagtailcore_page page "
            "JOIN library_cataloguerecord record ON record.page_ptr_id = page.id "
            "WHERE page.live AND page.id = %s",
            [record_id],
        )
        row = cursor.fetchone()
    if row is None or not audience.may_see(row[2]):
        return None
    pk, published, _path = row
    if published is not None and timezone.is_naive(published):
        # SQLite hands back the stored UTC time without its zone.
        published = timezone.make_aware(published, datetime.UTC)
    return pk, published


# Hidden records, read from the page tree -------------------------------------------------------


class VisibilityState(VersionStamp):
    """Moves on whenever any record's visibility may have changed: a publish, unpublish, move
    or deletion, or a view restriction added, changed or removed (library/signals.py)."""

    class Meta:
        app_label = "library"

    def __str__(self):
        return f"visibility version {self.version}"


@dataclass
class HiddenRecords:
    """Record ids that some callers may not see, as the page tree says now: those not live, and
    those under each restriction."""

    version: int
    not_live: list[int]
    by_restriction: dict[int, list[int]]
    _for: dict[frozenset[int], tuple[int, ...]] = field(default_factory=dict)

    def for_audience(self, audience: Audience) -> tuple[int, ...]:
        """Sorted ids hidden from this audience (one tuple per distinct set of blocked
        restrictions, kept with this version)."""
        found = self._for.get(audience.blocked)
        if found is None:
            hidden = set(self.not_live)
            for pk in audience.blocked:
                hidden.update(self.by_restriction.get(pk, ()))
            found = tuple(sorted(hidden))
            self._for[audience.blocked] = found
        return found

    @classmethod
    def read(cls, version: int) -> "HiddenRecords":
        """Read from the page tree: the unpublished pages through a partial index (few rows,
        however large the catalogue), each restriction's subtree through the path index."""
        rows = _restriction_rows()
        record_table = "library_cataloguerecord"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT page.id FROM wagtailcore_page page JOIN {record_table} record "  # noqa: S608 - constant names
                "ON record.page_ptr_id = page.id WHERE NOT page.live"
            )
            not_live = [row[0] for row in cursor.fetchall()]
            by_restriction: dict[int, list[int]] = {}
            for pk, _kind, path in rows:
                cursor.execute(
                    f"SELECT page.id FROM wagtailcore_page page JOIN {record_table} record "  # noqa: S608 - constant names
                    "ON record.page_ptr_id = page.id WHERE page.path >= %s AND page.path <= %s",
                    [path, subtree_end(path)],
                )
                by_restriction[pk] = [row[0] for row in cursor.fetchall()]
        return cls(version=version, not_live=not_live, by_restriction=by_restriction)


def subtree_end(path: str) -> str:
    """The greatest tree path at or below `path`: tree paths are digits and capitals, which sort
    the same way (digits first) in every collation, so a subtree is one range of the index."""
    return path + "Z" * (PATH_LENGTH - len(path))


@dataclass(frozen=True)
class RecordFilter:
    """What one caller may not see, in the form search engines apply it: the blocked
    restrictions (for engines whose documents carry restriction ids) and the ids of records
    hidden now according to the page tree, whatever the index still holds."""

    audience: Audience = field(default_factory=Audience)
    hidden_ids: tuple[int, ...] = ()
    # The visibility version the ids were read at: with `audience.blocked`, a cache key.
    version: int = 0

    @property
    def key(self) -> tuple[int, frozenset[int]]:
        return self.version, self.audience.blocked


_hidden_lock = threading.Lock()
_hidden: HiddenRecords | None = None


def record_filter_for(who) -> RecordFilter:
    """The records hidden from the caller now (read from the page tree once per visibility
    version and process, then shared by every caller with the same blocked restrictions)."""
    global _hidden  # noqa: PLW0603 - one shared, replace-only copy per process
    audience = as_audience(who)
    version = VisibilityState.current()
    hidden = _hidden
    if hidden is None or hidden.version != version:
        with _hidden_lock:
            if _hidden is None or _hidden.version != version:
                _hidden = HiddenRecords.read(version)
            hidden = _hidden
    return RecordFilter(audience, hidden.for_audience(audience), version)
