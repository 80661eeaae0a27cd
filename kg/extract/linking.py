"""Whether a short mention (surname, acronym, partial name) may link to a known entity.

A short mention links only when nothing around it contradicts the entity: a different given
name, a title that matches none of the entity's posts, or a different country qualifying it.
Every decision carries a reason, written into the draft's note.
"""

from __future__ import annotations

from dataclasses import dataclass

from .gazetteer import GazEntry
from .tokens import is_acronym, name_key

__all__ = ["LinkDecision", "decide_link", "is_short"]

_HONORIFICS = frozenset(
    str.split(
        """
        mr mrs ms dr prof professor sheikh imam mullah ayatollah former ex late then acting
        """
    )
)


@dataclass(frozen=True)
class LinkDecision:
    """The outcome of one link check: linked or not, and why (one line for the note)."""

    linked: bool
    reason: str


def is_short(entry: GazEntry, surface: str) -> bool:
    """Whether ``surface`` names ``entry`` by less than its full name: a surname, an acronym.

    >>> entry = GazEntry("per:ramzan-kadyrov", "Person", "Ramzan Kadyrov", ("Kadyrov",))
    >>> is_short(entry, "Kadyrov"), is_short(entry, "Ramzan Kadyrov")
    (True, False)
    """
    return is_acronym(surface) or len(name_key(surface)) < len(name_key(entry.name))


def decide_link(
    entry: GazEntry,
    surface: str,
    *,
    given: str | None = None,
    titles: tuple[str, ...] = (),
    qualifier: str | None = None,
    countries: tuple[str, ...] = (),
    year: int | None = None,
) -> LinkDecision:
    """Check a short mention of ``entry`` against its context.

    ``given`` is a capitalised word right before a surname ("Rashid" in "Rashid Kadyrov");
    ``titles`` are title words before it; ``qualifier`` is a country named on the mention
    itself ("Tajikistan's KNB", "Tajik GKNB"); ``countries`` are the countries of the
    sentence around it.

    >>> kadyrov = GazEntry("per:ramzan-kadyrov", "Person", "Ramzan Kadyrov", ("Kadyrov",))
    >>> decide_link(kadyrov, "Kadyrov", given="Rashid").linked
    False
    >>> decide_link(kadyrov, "Kadyrov", given="R.").linked
    True
    >>> knb = GazEntry("org:knb", "Organisation", "National Security Committee", ("KNB",),
    ...                country="Kazakhstan")
    >>> decide_link(knb, "KNB", qualifier="Tajikistan").reason
    "not linked to org:knb by 'KNB': it is of Kazakhstan, the text says Tajikistan"
    """
    target = f"{entry.key} by {surface!r}"
    if given is not None:
        known = {w for n in entry.names() for w in name_key(n)}
        word = given.rstrip(".").casefold()
        initial = len(word) == 1 and any(w.startswith(word) for w in known)
        if word not in known and not initial:
            return LinkDecision(False, f"not linked to {target}: the given name {given!r} differs")
    current = [p for p in entry.posts if year is None or p.start <= year <= p.end]
    words = {w.casefold().strip(".") for t in titles for w in t.replace("-", " ").split()}
    words -= _HONORIFICS
    if words and entry.posts:
        held = {
            w.casefold() for p in current or entry.posts for w in p.title.replace("-", " ").split()
        }
        if not words & held:
            shown = " ".join(titles)
            return LinkDecision(
                False, f"not linked to {target}: the title {shown!r} matches none of its posts"
            )
    own = {c for c in (entry.country, *(p.of for p in current)) if c}
    if own and qualifier is not None and qualifier not in own:
        return LinkDecision(
            False,
            f"not linked to {target}: it is of {', '.join(sorted(own))}, the text says {qualifier}",
        )
    if own and countries and not own & set(countries):
        return LinkDecision(
            False,
            f"not linked to {target}: it is of {', '.join(sorted(own))}, "
            f"the sentence is about {', '.join(sorted(set(countries)))}",
        )
    return LinkDecision(True, f"linked to {target}: nothing in the context contradicts it")
