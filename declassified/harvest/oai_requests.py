"""Reading an OAI-PMH request: verbs, arguments, UTC datestamps and resumption tokens.

Everything a harvester sends is checked here, before any query runs, so the verbs in
`declassified.harvest.oai` only see arguments of the right shape. Problems are raised as
`OAIError` with the protocol's error code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import QueryDict

DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
METADATA_PREFIX = "oai_dc"
TOKEN_SALT = "declassified.harvest.oai.resumption"
MAX_DATABASE_ID = 2**31 - 1  # integer primary keys; larger numbers cannot name a row

# Arguments each verb takes: required, optional, and whether resumptionToken may replace them.
VERBS: dict[str, tuple[frozenset, frozenset, bool]] = {
    "Identify": (frozenset(), frozenset(), False),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"}), False),
    "ListSets": (frozenset(), frozenset(), True),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset(), False),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"}), True),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"}), True),
}

# Value syntax of the arguments, as the OAI-PMH schema types them (request element attributes).
_PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
_URI = re.compile(r"[^\s\"<>\\^`{|}]+")
_XML_CHARS = re.compile("[\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SECOND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


class OAIError(Exception):
    """A protocol error: `code` is one of the OAI-PMH error codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def bad_argument(message: str) -> OAIError:
    return OAIError("badArgument", message)


def parse_request(params: QueryDict) -> tuple[str, dict[str, str]]:
    """(verb, {argument: value}) of a valid request; raises OAIError(badVerb/badArgument).

    Repeated arguments are errors, which `QueryDict.dict()` would hide, so `.lists()` is read.
    """
    arguments = dict(params.lists())
    verbs = arguments.pop("verb", [])
    if len(verbs) != 1:
        raise OAIError("badVerb", "The verb argument is missing or repeated.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", "That is not an OAI-PMH verb: use Identify, ListMetadataFormats, "
                                  "ListSets, GetRecord, ListIdentifiers or ListRecords.")
    repeated = sorted(name for name, values in arguments.items() if len(values) > 1)
    if repeated:
        raise bad_argument(f"Repeated argument: {', '.join(repeated)}.")
    values = {name: found[0] for name, found in arguments.items()}
    check_argument_names(verb, values)
    for name, value in values.items():
        check_argument_value(name, value)
    return verb, values


def check_argument_names(verb: str, values: dict[str, str]) -> None:
    required, optional, resumable = VERBS[verb]
    allowed = required | optional | ({"resumptionToken"} if resumable else set())
    illegal = sorted(set(values) - allowed)
    if illegal:
        raise bad_argument(f"{verb} does not take the argument(s): {', '.join(illegal)}.")
    if "resumptionToken" in values:
        if len(values) > 1:
            raise bad_argument("resumptionToken is an exclusive argument: send it alone.")
        return
    missing = sorted(required - set(values))
    if missing:
        raise bad_argument(f"{verb} needs the argument(s): {', '.join(missing)}.")


def check_argument_value(name: str, value: str) -> None:
    """Reject values the response could not echo: wrong syntax or characters XML cannot hold."""
    if not value or not _XML_CHARS.fullmatch(value):
        raise bad_argument(f"The {name} argument is empty or holds characters XML cannot carry.")
    if name == "metadataPrefix" and not _PREFIX.fullmatch(value):
        raise bad_argument("metadataPrefix has characters a metadata prefix cannot contain.")
    if name == "set" and not _SET_SPEC.fullmatch(value):
        raise bad_argument("set is not a setSpec (letters, digits and -_.!~*'() joined by ':').")
    if name == "identifier" and not _URI.fullmatch(value):
        raise bad_argument("identifier is not a URI (it may not contain spaces or quotes).")
    if name in {"from", "until"}:
        parse_datestamp(name, value)
    if name == "resumptionToken" and len(value) > 4000:
        raise OAIError("badResumptionToken", "That resumptionToken was not issued here.")


def parse_datestamp(name: str, value: str) -> tuple[dt.datetime, str]:
    """(UTC datetime, 'day' or 'second') of a from/until argument; raises badArgument."""
    if _DAY.fullmatch(value):
        pattern, granularity = "%Y-%m-%d", "day"
    elif _SECOND.fullmatch(value):
        pattern, granularity = DATESTAMP_FORMAT, "second"
    else:
        raise bad_argument(
            f"{name} must be a UTC date (YYYY-MM-DD) or datestamp (YYYY-MM-DDThh:mm:ssZ)."
        )
    try:
        moment = dt.datetime.strptime(value, pattern).replace(tzinfo=dt.UTC)
    except ValueError:
        raise bad_argument(f"{name} is not a real date: {value}.") from None
    return moment, granularity


@dataclass(frozen=True)
class DateRange:
    """from (inclusive) and until (inclusive at its granularity), as datetimes bounding updated_at.

    `before` is exclusive: until=2024-01-31 admits everything before 2024-02-01T00:00:00Z.
    """

    since: dt.datetime | None = None
    before: dt.datetime | None = None


def parse_date_range(values: dict[str, str]) -> DateRange:
    """The from/until arguments as a DateRange; mixed granularities or from > until fail."""
    since = until = None
    granularities = set()
    if "from" in values:
        since, granularity = parse_datestamp("from", values["from"])
        granularities.add(granularity)
    if "until" in values:
        until, granularity = parse_datestamp("until", values["until"])
        granularities.add(granularity)
    if len(granularities) > 1:
        raise bad_argument("from and until must have the same granularity.")
    if since and until and since > until:
        raise bad_argument("from is later than until.")
    before = None
    if until is not None:
        step = dt.timedelta(days=1) if granularities == {"day"} else dt.timedelta(seconds=1)
        try:
            before = until + step
        except OverflowError:
            before = None  # until the end of time: no upper bound
    return DateRange(since, before)


def format_datestamp(moment: dt.datetime) -> str:
    """A UTC datestamp at the repository's granularity (seconds, truncated)."""
    return moment.astimezone(dt.UTC).strftime(DATESTAMP_FORMAT)


# --- Resumption tokens -------------------------------------------------------------------


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.OAI_RESUMPTION_TOKEN_HOURS)


def issue_token(state: dict) -> str:
    """A signed, timestamped token holding a list request's query and its cursor."""
    return signing.dumps(state, salt=TOKEN_SALT, compress=True)


def read_token(token: str, kind: str) -> dict:
    """The state of a token issued for this kind of list; raises badResumptionToken.

    A token is bad when it was not signed here, has expired, or belongs to another verb.
    """
    try:
        state = signing.loads(token, salt=TOKEN_SALT, max_age=token_lifetime())
    except signing.SignatureExpired:
        raise OAIError("badResumptionToken", "That resumptionToken has expired; "
                                             "start the list again.") from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise OAIError("badResumptionToken",
                       "That resumptionToken is not one this repository issued.") from None
    if not isinstance(state, dict) or state.get("kind") != kind:
        raise OAIError("badResumptionToken", "That resumptionToken belongs to another list.")
    return state
