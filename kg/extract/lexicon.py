"""Word lists of the extractor: titles, role nouns, name heads, place nouns, sentence starters.

These are English-language cues of the news genre, not entities. Kinds they name are checked
against the schema's vocabularies where they are used.
"""

from __future__ import annotations

__all__ = [
    "AGENT_NOUNS",
    "COLLECTIVE_HEADS",
    "CONNECTORS",
    "DETERMINERS",
    "EVENT_NAME_WORDS",
    "FAMILY_WORDS",
    "LOCATIVE_PREPOSITIONS",
    "MEDIA_NOUNS",
    "MILITANT_WORDS",
    "MONTHS",
    "NATIONAL_BODY_HEADS",
    "ORG_HEADS",
    "ORG_STARTS",
    "PERSON_TITLES",
    "PLACE_HEADS",
    "PLACE_NOUN_KINDS",
    "ROLE_NOUNS",
    "SENTENCE_STARTERS",
    "SURNAME_SUFFIXES",
    "WEEKDAYS",
]

# Words that may open a person's name as a title ("Interior Minister Bakyt Osmonaliev").


def _pairs(text: str) -> dict[str, str]:
    """``word=value`` pairs; an underscore in a word stands for a space.

    >>> _pairs("foreign_ministry=government_body tv=media_outlet")
    {'foreign ministry': 'government_body', 'tv': 'media_outlet'}
    """
    return {k.replace("_", " "): v for k, v in (item.split("=") for item in text.split())}


# Words that may open a person's name as a title ("Interior Minister Bakyt Osmonaliev").
PERSON_TITLES = frozenset(
    str.split(
        """
        activist admiral adviser advisor ambassador ayatollah brigadier capt captain chair
        chairman chairwoman chief col colonel commander commissioner defence defense deputy
        director dr emir envoy finance foreign gen general governor head imam interior
        journalist judge justice king lawyer leader lieutenant lt maj major marshal mayor
        minister mr mrs ms mullah opposition politician president prime prince professor
        prosecutor prosecutor-general queen secretary secretary-general senator sergeant sheikh
        speaker spokesman spokeswoman vice
        """
    )
)

# Lowercase role nouns of appositions: "the secretary-general of the CSO, Nikolai Borduzha".
ROLE_NOUNS = frozenset(
    str.split(
        """
        activist adviser advisor ambassador analyst blogger brother businessman chair chairman
        chairwoman citizen cleric colonel commander coordinator correspondent daughter defendant
        deputy detainee director dissident editor envoy expert father founder general governor
        head husband imam journalist judge lawyer leader mayor member minister mother national
        officer official politician president prosecutor representative researcher resident
        secretary secretary-general sister son spokesman spokeswoman suspect wife
        """
    )
)

FAMILY_WORDS = frozenset(
    str.split(
        """
        brother daughter father husband mother nephew niece sister son wife
        """
    )
)

# Last words of organisation names, mapped to an organisation kind.
ORG_HEADS: dict[str, str] = _pairs(
    """
    committee=government_body ministry=government_body office=government_body
    department=government_body administration=government_body agency=government_body
    council=government_body commission=government_body directorate=government_body
    inspectorate=government_body parliament=government_body assembly=government_body
    majlis=government_body cabinet=government government=government
    service=government_body services=government_body movement=other front=militant_group
    brigade=militant_group brigades=militant_group battalion=armed_force
    units=armed_force army=armed_force forces=armed_force guard=armed_force
    guards=armed_force corps=armed_force navy=armed_force police=police
    militia=militant_group court=court tribunal=court bank=bank fund=bank party=party
    bloc=party union=international_organisation organization=international_organisation
    organisation=international_organisation mission=international_organisation
    alliance=international_organisation foundation=ngo watch=ngo society=ngo
    centre=think_tank center=think_tank institute=think_tank company=company
    corporation=company group=other tv=media_outlet television=media_outlet
    radio=media_outlet news=media_outlet times=media_outlet post=media_outlet
    gazette=media_outlet gazeta=media_outlet pravda=media_outlet daily=media_outlet
    channel=media_outlet jamaat=militant_group emirate=militant_group
    """
)

ORG_STARTS: dict[str, str] = _pairs(
    """
    radio=media_outlet jamaat=militant_group hizb=religious_group
    """
)

MILITANT_WORDS = frozenset(
    str.split(
        """
        caliphate islamic jihad liberation mujahideen resistance
        """
    )
)

# Lowercase heads after a country or demonym ("China's foreign ministry", "the Kazakh government").
NATIONAL_BODY_HEADS: dict[str, str] = _pairs(
    """
    ministry=government_body government=government cabinet=government
    parliament=government_body army=armed_force navy=armed_force police=police
    prosecutor's_office=government_body embassy=government_body
    foreign_ministry=government_body interior_ministry=government_body
    defence_ministry=government_body defense_ministry=government_body
    justice_ministry=government_body security_council=government_body
    """
)

# Collective heads that make an unnamed Group ("Kazakhstan's security services").
COLLECTIVE_HEADS = frozenset(
    str.split(
        """
        activists analysts authorities believers citizens civilians clerics commentators critics
        defendants demonstrators deputies detectives diplomats experts extremists families
        fighters forces guards gunmen imams insurgents investigators journalists laborers
        labourers lawmakers leaders media men militants monitors nationals observers officers
        officials opposition organisers organizers passengers people persons police politicians
        protesters rebels refugees relatives residents services soldiers sources students
        terrorists troops units villagers women workers
        """
    )
)

# Nouns that can head an unnamed speaker ("some analysts speculate", "the ministry said").
AGENT_NOUNS = COLLECTIVE_HEADS | frozenset(
    str.split(
        """
        administration agency analyst committee court department detective expert family
        government group ministry mission observer office official organisation organization
        party service source spokesman spokeswoman
        """
    )
)

PLACE_HEADS: dict[str, str] = _pairs(
    """
    region=region province=region oblast=region valley=region district=district
    municipality=district raion=district rayon=district gorge=region mountains=region
    river=other lake=other sea=other square=facility airport=facility base=military_base
    airbase=military_base prison=facility border=border_area city=city village=village
    """
)

# "the town of X", "the village of X": a place of this kind follows.
PLACE_NOUN_KINDS: dict[str, str] = _pairs(
    """
    town=city city=city village=village region=region province=region district=district
    settlement=village oblast=region capital=city port=city municipality=district
    """
)

LOCATIVE_PREPOSITIONS = frozenset(
    str.split(
        """
        across around at in inside into near on outside within
        """
    )
)

MEDIA_NOUNS = (
    "online newspaper",
    "newspaper",
    "weekly",
    "daily",
    "magazine",
    "news agency",
    "agency",
    "television channel",
    "TV channel",
    "channel",
    "website",
    "news website",
    "broadcaster",
    "radio station",
    "radio",
    "news portal",
    "portal",
    "outlet",
    "TV",
)

# Words after which a capitalised run is an event name ("Rubezh 2004 exercises").
EVENT_NAME_WORDS = frozenset(
    str.split(
        """
        campaign drills exercise exercises operation summit war
        """
    )
)

CONNECTORS = frozenset(
    str.split(
        """
        al and bin de der du el for ibn of the ul ut van von
        """
    )
)

DETERMINERS = frozenset(
    str.split(
        """
        a all an both few five four many most several some the three two
        """
    )
)

SENTENCE_STARTERS = frozenset(
    str.split(
        """
        a according after also although an analysts and another any around as at because before
        both but by considering despite dozens during each earlier eight even every experts five
        for four from given government he her here his how however hundreds if in it its just
        last later local locals many meanwhile military moreover most near neither new next nine
        no nobody observers of officials on one only or other our over prior residents security
        seven several she since six so some still such ten that the their then there these they
        this those though thousands three to two under unknown we what when where which while
        who why yet
        """
    )
)

SURNAME_SUFFIXES = (
    "ov",
    "ova",
    "ev",
    "eva",
    "yev",
    "yeva",
    "iev",
    "ieva",
    "enko",
    "shvili",
    "dze",
    "ian",
    "yan",
    "zade",
    "zoda",
    "uly",
    "kyzy",
    "bekov",
    "bayev",
    "bayeva",
    "baev",
    "baeva",
    "ovich",
    "evich",
    "sky",
    "ski",
    "skaya",
    "li",
    "lu",
    "oglu",
    "ogly",
    "ov'",
    "aliev",
    "uulu",
)

MONTHS = frozenset(
    str.split(
        """
        apr april aug august dec december feb february jan january jul july jun june mar march
        may nov november oct october sep sept september
        """
    )
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
