"""Who a follow-up's responsible text means: a Role, a Person, or nobody yet.

The parser hands over the responsible party as written ("Kommunaldirektøren",
"cheferne", "ØDC", "Henrik", "projektgruppen"). This module maps that text to
the forum's roles and people. It never guesses: when the text fits nothing, or
fits several things equally well, the result is unresolved and the secretary
decides on the review page (the text as written is always kept).

Rules, in this order; the first that gives exactly one answer wins:

1. A role of the forum, by name or alias, ignoring case, "&"/"og" and the
   Danish inflection of the last word: definite singular ("Kommunaldirektøren"
   → Kommunaldirektør), indefinite and definite plural ("Afdelingscheferne" →
   Afdelingschef). Abbreviations such as "ØDC" are aliases. Roles that belong
   to no forum are tried when none of the forum's own roles fits.
2. A text that joins several parties ("Chef for Børn og Unge og HR-chefen",
   "Direktørforum, Økonomi & Stab") is split and each part tried with rule 1.
   Exactly one role among the parts → that role (the other parties are outside
   the forum, e.g. another forum; the text as written stays next to it).
   Several roles → unresolved, with those roles offered as candidates.
3. A plural group of chefs ("cheferne", "alle chefer", "afdelingscheferne"
   when no role is called that) means the forum's chef roles (``is_chef``):
   one such role → that role; several → unresolved with all of them as
   candidates, because one follow-up has one responsible role.
4. A person, by full name or alias, among the forum's people and the people
   named as the meeting's participants (a full name is also looked up among
   everyone, when it is unique); or by first name alone when exactly one of
   the forum's people and the meeting's participants has that first name.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from minutes.models import Body
from tracker.models import Membership, Person, Role


class Outcome:
    ROLE = "role"
    PERSON = "person"
    EMPTY = "empty"
    UNKNOWN = "unknown"
    SEVERAL_ROLES = "several_roles"
    SEVERAL_PEOPLE = "several_people"


@dataclass(frozen=True)
class Resolution:
    text: str
    role: Role | None = None
    person: Person | None = None
    outcome: str = Outcome.UNKNOWN
    # Roles the text could mean when it means more than one: shown to the secretary.
    candidates: tuple[Role, ...] = field(default=())

    @property
    def resolved(self) -> bool:
        return self.role is not None or self.person is not None


# Endings of a Danish noun's last word: definite, plural, definite plural
# ("direktør/-en/-er/-erne", "leder/-en/-e/-ne", "udvalg/-et", "gruppe/-n/-r/-rne").
_ENDINGS = ("", "en", "n", "et", "t", "er", "r", "e", "erne", "rne", "ne", "ene")
# Words too short to inflect safely: abbreviations ("KD", "ØDC") must match exactly.
_MIN_INFLECTED_LENGTH = 4
_CHEF_GROUP = re.compile(r"^(?:alle\s+)?(?:de\s+)?(?:[a-zæøå\-]*chefer(?:ne)?|chefgruppen|chefkredsen)$")
_SEPARATORS = re.compile(r"\s*(?:,|;|/|\s+og\s+|\s+samt\s+)\s*")
_EDGE_PUNCTUATION = " \t\n.,:;()[]\"'«»“”"


def normalise(text: str) -> str:
    """Lower case, "&" read as "og", single spaces, no surrounding punctuation."""
    value = text.replace("&", " og ").replace("\u00a0", " ").lower()
    value = re.sub(r"\s+", " ", value).strip(_EDGE_PUNCTUATION)
    return re.sub(r"^(?:den|det)\s+", "", value)


def _inflections(word: str) -> set[str]:
    if len(word) < _MIN_INFLECTED_LENGTH:
        return {word}
    return {word + ending for ending in _ENDINGS}


def _phrase_matches(text: str, key: str) -> bool:
    """Same phrase, allowing a Danish ending on the last word of either side."""
    if text == key:
        return True
    text_head, _, text_last = text.rpartition(" ")
    key_head, _, key_last = key.rpartition(" ")
    if text_head != key_head:
        return False
    return text_last in _inflections(key_last) or key_last in _inflections(text_last)


def _names(aliases: object) -> list[str]:
    """Aliases as stored (a JSON list); anything else an administrator may have typed counts as one name."""
    if isinstance(aliases, str):
        return [aliases]
    if isinstance(aliases, list):
        return [a for a in aliases if isinstance(a, str)]
    return []


def _first_name(name: str) -> str:
    return normalise(name).split(" ", 1)[0]


class ResponsibleResolver:
    """Resolves many texts for one forum and one meeting with a fixed number of queries.

    Build it once per import (``for_meeting``) and call ``resolve`` for each follow-up.
    """

    def __init__(
        self,
        *,
        roles: Sequence[Role],
        body_id: int | None,
        people: Sequence[Person],
        participants: Sequence[str] = (),
    ) -> None:
        self._own_roles = [r for r in roles if r.body_id == body_id and body_id is not None]
        self._shared_roles = [r for r in roles if r.body_id is None]
        self._chef_roles = [r for r in self._own_roles if r.is_chef]
        self._role_keys = {r.pk: {normalise(k) for k in [r.name, *_names(r.aliases)] if normalise(k)} for r in roles}
        self._people = list(people)
        self._participants = [p for p in (normalise(n) for n in participants) if p]
        self._cache: dict[str, Resolution] = {}

    @classmethod
    def for_meeting(cls, *, body: Body, participants: Iterable[str] = ()) -> ResponsibleResolver:
        participants = [p for p in participants if p and p.strip()]
        roles = list(Role.objects.filter(Q(body=body) | Q(body__isnull=True)))
        member_ids = Membership.objects.filter(body=body).values("person_id")
        named = Q(name__in=participants) if participants else Q(pk__in=[])
        people = list(Person.objects.filter(Q(pk__in=member_ids) | named, is_active=True).distinct())
        return cls(roles=roles, body_id=body.pk, people=people, participants=participants)

    # --- the rules ------------------------------------------------------------

    def resolve(self, text: str | None) -> Resolution:
        text = (text or "").strip()
        if not normalise(text):
            return Resolution(text=text, outcome=Outcome.EMPTY)
        if text not in self._cache:
            self._cache[text] = self._resolve(text)
        return self._cache[text]

    def _resolve(self, text: str) -> Resolution:
        key = normalise(text)
        roles = self._roles_for(key)
        if len(roles) == 1:
            return Resolution(text=text, role=roles[0], outcome=Outcome.ROLE)
        if len(roles) > 1:
            return Resolution(text=text, outcome=Outcome.SEVERAL_ROLES, candidates=tuple(roles))

        parts = [p for p in (normalise(part) for part in _SEPARATORS.split(key)) if p]
        if len(parts) > 1:
            found = self._roles_in_parts(parts)
            if len(found) == 1:
                return Resolution(text=text, role=found[0], outcome=Outcome.ROLE)
            if found:
                return Resolution(text=text, outcome=Outcome.SEVERAL_ROLES, candidates=tuple(found))

        chefs = self._chef_group(key)
        if len(chefs) == 1:
            return Resolution(text=text, role=chefs[0], outcome=Outcome.ROLE)
        if chefs:
            return Resolution(text=text, outcome=Outcome.SEVERAL_ROLES, candidates=tuple(chefs))

        people = self._people_for(key)
        if len(people) == 1:
            return Resolution(text=text, person=people[0], outcome=Outcome.PERSON)
        if len(people) > 1 or self._first_name_is_ambiguous(key):
            return Resolution(text=text, outcome=Outcome.SEVERAL_PEOPLE)
        return Resolution(text=text, outcome=Outcome.UNKNOWN)

    def _roles_for(self, key: str) -> list[Role]:
        for pool in (self._own_roles, self._shared_roles):
            exact = [r for r in pool if key in self._role_keys[r.pk]]
            if exact:
                return exact
            inflected = [r for r in pool if any(_phrase_matches(key, k) for k in self._role_keys[r.pk])]
            if inflected:
                return inflected
        return []

    def _roles_in_parts(self, parts: list[str]) -> list[Role]:
        """Roles named in a list of parties, longest names first.

        "chef for børn og unge og hr-chefen" splits into three parts; joining
        neighbours back finds "chef for børn og unge" before "unge" alone.
        """
        found: list[Role] = []
        start = 0
        while start < len(parts):
            for end in range(len(parts), start, -1):
                roles = self._roles_for(" og ".join(parts[start:end]))
                if roles or end == start + 1:
                    roles = roles or self._chef_group(parts[start])
                    found.extend(r for r in roles if r not in found)
                    start = end if roles else start + 1
                    break
        return found

    def _chef_group(self, key: str) -> list[Role]:
        return list(self._chef_roles) if _CHEF_GROUP.match(key) else []

    def _people_for(self, key: str) -> list[Person]:
        by_name = [p for p in self._people if normalise(p.name) == key]
        if by_name:
            return by_name
        by_alias = [p for p in self._people if key in {normalise(a) for a in _names(p.aliases)}]
        if by_alias:
            return by_alias
        if " " in key:
            # A full name of somebody outside the forum (a guest, a new colleague).
            return list(Person.objects.filter(name__iexact=key, is_active=True)[:2])
        names = self._full_names_for_first_name(key)
        if len(names) != 1:
            return []
        return [p for p in self._people if normalise(p.name) in names]

    def _first_name_is_ambiguous(self, key: str) -> bool:
        return " " not in key and len(self._full_names_for_first_name(key)) > 1

    def _full_names_for_first_name(self, first: str) -> set[str]:
        """Full names with this first name among the forum's people and the meeting's participants.

        A participant who is not in the register still counts: two Henriks at
        the table make "Henrik" ambiguous even when only one of them is known here.
        """
        names = {normalise(p.name) for p in self._people if _first_name(p.name) == first}
        names |= {name for name in self._participants if name.split(" ", 1)[0] == first}
        return names


def resolve_responsible(text: str | None, *, body: Body, participants: Iterable[str] = ()) -> Resolution:
    """One text at a time; the importer uses ``ResponsibleResolver`` for a whole meeting."""
    return ResponsibleResolver.for_meeting(body=body, participants=participants).resolve(text)
