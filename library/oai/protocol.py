"""OAI-PMH 2.0 requests checked against the protocol: which verb, which arguments, which dates.

Every malformed request becomes an `OAIError` with the protocol's error code and a sentence
saying what to change; nothing a harvester sends produces a server error.
"""

import datetime
import re
from dataclasses import dataclass

VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # verb: (required arguments, optional arguments); resumptionToken is exclusive.
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OAIError(Exception):
    """An error condition of the protocol: its code and a message for the harvester."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


@dataclass(frozen=True)
class OAIRequest:
    """A request whose verb and arguments have been checked."""

    verb: str
    arguments: dict[str, str]


def parse_request(query) -> OAIRequest:
    """Check a QueryDict (GET or POST) against the protocol; raise `OAIError` when it breaks it."""
    verbs = query.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        if not verbs:
            raise OAIError("badVerb", "The request has no verb; add verb=Identify, for example.")
        if len(verbs) > 1:
            raise OAIError("badVerb", "The verb is repeated; send exactly one.")
        raise OAIError(
            "badVerb",
            f"“{verbs[0][:40]}” is not an OAI-PMH verb; use one of: {', '.join(VERBS)}.",
        )
    verb = verbs[0]
    required, optional = VERBS[verb]
    arguments: dict[str, str] = {}
    for name, values in query.lists():
        if name == "verb":
            continue
        if name not in required | optional:
            raise OAIError("badArgument", f"{verb} takes no argument “{name[:40]}”.")
        if len(values) > 1:
            raise OAIError("badArgument", f"The argument {name} is repeated; send it once.")
        arguments[name] = values[0]
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OAIError(
                "badArgument",
                "A resumptionToken is the only argument allowed beside the verb.",
            )
        return OAIRequest(verb, arguments)
    missing = sorted(required - set(arguments))
    if missing:
        raise OAIError("badArgument", f"{verb} needs the argument(s): {', '.join(missing)}.")
    return OAIRequest(verb, arguments)


def parse_datestamp(value: str, name: str) -> tuple[datetime.datetime, bool]:
    """A from/until value as a UTC datetime, and whether it was given to the second."""
    try:
        if SECOND.match(value):
            stamp = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return stamp.replace(tzinfo=datetime.UTC), True
        if DAY.match(value):
            stamp = datetime.datetime.strptime(value, "%Y-%m-%d")
            return stamp.replace(tzinfo=datetime.UTC), False
    except ValueError:
        pass
    raise OAIError(
        "badArgument",
        f"“{value[:40]}” is not a valid {name}: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.",
    )


def date_range(
    from_value: str | None, until_value: str | None
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """(from, until) with until made exclusive (the end of its second or day)."""
    start = end = None
    granularities = set()
    if from_value:
        start, to_second = parse_datestamp(from_value, "from")
        granularities.add(to_second)
    if until_value:
        moment, to_second = parse_datestamp(until_value, "until")
        granularities.add(to_second)
        end = moment + (datetime.timedelta(seconds=1) if to_second else datetime.timedelta(days=1))
    if len(granularities) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if start and end and start >= end:
        raise OAIError("badArgument", "from is later than until; swap them.")
    return start, end
