"""Stateless resumption tokens: the harvest's arguments and where the last page ended, signed.

Pages continue after the last (datestamp, id) served, so a page costs the same at the end of a
long list as at its start, and a token outlives any restart of the server.
"""

import datetime
from dataclasses import asdict, dataclass

from django.core import signing

SALT = "library.oai.resumption"
TOKEN_LIFETIME = datetime.timedelta(hours=24)


class BadToken(ValueError):
    """A resumption token that was altered, has expired or belongs to another verb."""


@dataclass(frozen=True)
class Position:
    """A list request's arguments and how far it has gone."""

    verb: str
    prefix: str
    set_spec: str
    from_: str
    until: str
    after_stamp: str  # ISO datetime of the last item served
    after_id: int
    cursor: int  # items served before the next page
    total: int
    expires: str  # ISO datetime


def issue(position: Position) -> str:
    """The signed token for `position`."""
    return signing.dumps(asdict(position), salt=SALT, compress=True)


def read(token: str, verb: str, now: datetime.datetime) -> Position:
    """The position a token names; `BadToken` when it is not one of ours, expired or for
    another verb."""
    try:
        position = Position(**signing.loads(token, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise BadToken("The resumption token is not valid; start the list again.") from error
    if position.verb != verb:
        raise BadToken(f"The resumption token belongs to {position.verb}, not {verb}.")
    if datetime.datetime.fromisoformat(position.expires) < now:
        raise BadToken("The resumption token has expired; start the list again.")
    return position
