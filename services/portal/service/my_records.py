"""A workspace's own records: a department's wishes and a provider's solutions, each with its
matches, EMSD's decisions and field trials; and posting or closing them through the APIs.

Every call carries the signed-in person's token, so the services decide what the person may do
and see (contact emails included); the portal only asks and shows.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.portal.adapters.upstream import Rejected, Upstream
from services.portal.domain.paging import Paging
from services.portal.service.gather import settle
from services.portal.service.wishes import (
    Accepted,
    merge_down,
    record_path,
    trial_calls,
    unless_missing,
)

# kind -> (service, collection): a department's wishes, a provider's solutions.
KINDS = {"wish": ("wishes", "wishes"), "solution": ("solutions", "solutions")}
MOST_MATCHES = 100  # the matcher's largest page: a record's best matches
TEXTS = ("title_en", "title_zh", "description_en", "description_zh")
SHARED = (*TEXTS, "contact_email")
WISH_FIELDS = (*SHARED, "budget_hkd", "closes_on", "venue_note")
SOLUTION_FIELDS = (*SHARED, "trl", "website", "wish_id")
FIELDS = {"wish": WISH_FIELDS, "solution": SOLUTION_FIELDS}
WHOLE_NUMBERS = ("budget_hkd", "trl")


@dataclass(frozen=True)
class OwnRecord:
    """One of my records, its matches (None: the matcher is down) and, for a solution, its wish."""

    record: dict[str, Any]
    matches: list[Accepted] | None
    total_matches: int = 0
    wish: dict[str, Any] | None = None


@dataclass(frozen=True)
class OwnPage:
    """A page of my records, where it sits in the whole list, and the services that were down."""

    records: list[OwnRecord]
    paging: Paging
    down: list[str]

    @property
    def beyond_end(self) -> bool:
        """Whether the page asked for lies past the last one."""
        return self.paging.number > self.paging.last


def _items(page: Any) -> list[dict[str, Any]]:
    return list(page["items"]) if page else []


def _side_calls(upstream: Upstream, language: str, token: str, kind: str,
                records: list[dict[str, Any]]) -> dict[str, Any]:
    """The matches of each record and, for solutions, the wishes they were submitted for."""
    calls: dict[str, Any] = {
        f"matches {r['id']}": upstream.get("matcher", "/v1/matches", language=language,
                                           token=token, params={f"{kind}_id": r["id"],
                                                                "limit": MOST_MATCHES})
        for r in records}
    for wish_id in {r["wish_id"] for r in records if r.get("wish_id")}:
        calls[f"wish {wish_id}"] = unless_missing(upstream.get(
            "wishes", record_path("wishes", wish_id, "wishes"), language=language, token=token))
    return calls


async def own_records(upstream: Upstream, language: str, token: str, kind: str, org: str, *,
                      page: int, size: int) -> OwnPage:
    """Page `page` of `org`'s wishes or solutions (newest first), with their matches and trials;
    ServiceDown only if the records themselves cannot be read."""
    service, collection = KINDS[kind]
    body = await upstream.get(service, f"/v1/{collection}", language=language, token=token,
                              params={"owner_org": org, "limit": size, "offset": (page - 1) * size})
    records = list(body["items"])
    first, down = await settle(_side_calls(upstream, language, token, kind, records))
    # Only an accepted match can have trials: EMSD opens them from accepted matches alone.
    accepted = [m for r in records for m in _items(first[f"matches {r['id']}"])
                if m["status"] == "accepted"]
    trials, more = await settle(trial_calls(upstream, language, {"items": accepted}))
    out = []
    for record in records:
        matches = first[f"matches {record['id']}"]
        wish = first.get(f"wish {record.get('wish_id')}")
        out.append(OwnRecord(record, _with_trials(matches, trials), _total(matches), wish))
    return OwnPage(out, Paging(page, size, int(body["total"])), merge_down(down, more))


def _with_trials(matches: Any, trials: Mapping[str, Any]) -> list[Accepted] | None:
    """Each match beside its trials (None for a match whose trials could not be read)."""
    if matches is None:
        return None
    out = []
    for match in _items(matches):
        found = trials.get(f"trials {match['id']}")
        out.append(Accepted(match, None if found is None else list(found["items"])))
    return out


def _total(matches: Any) -> int:
    return int(matches["total"]) if matches else 0


def blank_form(kind: str, **values: Any) -> dict[str, Any]:
    """A form with every field of `kind` empty (categories none), then `values`."""
    return {**{name: "" for name in FIELDS[kind]}, "categories": [], **values}


def typed_form(kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """A POSTed form as typed: every field of `kind`, and the ticked categories."""
    typed = blank_form(kind)
    for name in FIELDS[kind]:
        value = fields.get(name)
        if isinstance(value, str):
            typed[name] = value
    typed["categories"] = [c for c in fields.get("categories", []) if isinstance(c, str)]
    return typed


def _whole(value: str) -> int | str:
    """A whole number as people type it (800,000 or 800 000); anything else as typed, so the API
    says what is wrong with it in its own words."""
    plain = value.replace(",", "").replace(" ", "").replace("\u00a0", "")
    return int(plain) if plain.isascii() and plain.isdigit() and len(plain) <= 15 else value


def body_of(kind: str, typed: Mapping[str, Any]) -> dict[str, Any]:
    """The API's JSON body: every field as typed, stripped; an empty field is absent."""
    body: dict[str, Any] = {"categories": list(typed.get("categories", []))}
    for name in FIELDS[kind]:
        value = str(typed.get(name, "")).strip()
        if value:
            body[name] = _whole(value) if name in WHOLE_NUMBERS else value
    return body


@dataclass(frozen=True)
class Problems:
    """The API's objections: by form field, and those that name no field of the form."""

    fields: dict[str, str]
    other: list[str]


def problems_of(exc: Rejected, names: tuple[str, ...], language: str) -> Problems:
    """Each field error beside its field (`categories[2]` beside categories), once each."""
    found: dict[str, list[str]] = {}
    other: list[str] = []
    for error in exc.errors:
        field, message = str(error.get("field", "")), str(error.get("message", ""))
        base = field.split("[")[0].split(".")[0]
        if base in names:
            if message not in found.setdefault(base, []):
                found[base].append(message)
        else:
            other.append(f"{field}: {message}" if field else message)
    if not found and not other:
        other.append(exc.detail or str(exc.status))
    separator = "；" if language.startswith("zh") else "; "
    return Problems({k: separator.join(v) for k, v in found.items()}, other)


async def post_record(upstream: Upstream, language: str, token: str, kind: str,
                      typed: Mapping[str, Any]) -> dict[str, Any]:
    """Post a wish or submit a solution as the form has it: the record the API stored."""
    service, collection = KINDS[kind]
    return await upstream.post(service, f"/v1/{collection}", json=body_of(kind, typed),
                               language=language, token=token)


async def close_wish(upstream: Upstream, language: str, token: str, wish_id: str,
                     reason: str) -> dict[str, Any]:
    """Close one of my wishes, with a reason when one is given."""
    path = record_path("wishes", wish_id, "wishes") + "/close"
    body = {"reason": reason.strip()} if reason.strip() else None
    return await upstream.post("wishes", path, json=body, language=language, token=token)


async def wish_to_answer(upstream: Upstream, language: str, token: str,
                         wish_id: str) -> dict[str, Any]:
    """The wish a solution is proposed to (NotFound, ServiceDown as the service says)."""
    return await upstream.get("wishes", record_path("wishes", wish_id, "wishes"),
                              language=language, token=token)
