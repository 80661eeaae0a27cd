"""Cue tables: incident trigger words and reporting verbs, each with the term it signals.

Every vocabulary term named here (incident kinds, stances, roles) is checked against the
schema when the rules are built; a term the schema lacks switches its cue off.
"""

from __future__ import annotations

import re

__all__ = ["REPORTING", "TRIGGERS", "Reporting", "Trigger"]


class Trigger:
    """An incident trigger: a regex over a sentence, the incident kind and how to read it."""

    __slots__ = ("anchors", "kind", "noun", "pattern", "role")

    def __init__(self, kind: str, pattern: str, *, noun: bool, role: str, anchors: str) -> None:
        self.kind = kind
        self.pattern = re.compile(pattern, re.IGNORECASE)
        self.noun = noun
        self.role = role
        """Role of the grammatical subject (the actor before a verb trigger)."""
        self.anchors = tuple(anchors.split())
        """Lower-case stems; a sentence without any of them cannot match (a fast pre-filter)."""


def _t(
    kind: str, pattern: str, noun: bool = True, role: str = "perpetrator", anchors: str = ""
) -> Trigger:
    return Trigger(kind, r"\b(?:" + pattern + r")\b", noun=noun, role=role, anchors=anchors or kind)


TRIGGERS: tuple[Trigger, ...] = (
    _t(
        "intent_to_cooperate",
        r"(?:declared|announced|expressed|voiced)\s+(?:their|its|his|her)\s+"
        r"(?:readiness|willingness|intention)\s+to\s+[^.;]*?(?:investigations?|cooperat\w+|help)"
        r"|offered\s+(?:help|assistance|to\s+help)",
        noun=False,
        role="participant",
        anchors="readiness willingness intention offered",
    ),
    _t(
        "aid_cut",
        r"(?:slashed|cut|suspended|reduced|halted|froze)\s+(?:\w+\s+){0,2}aid"
        r"|aid\s+cuts?",
        noun=False,
        role="initiator",
        anchors="aid",
    ),
    _t(
        "sanctions",
        r"sanctions|embargo|imposed\s+sanctions",
        role="initiator",
        anchors="sanction embargo",
    ),
    _t(
        "bombing",
        r"(?:car|suicide|roadside)\s+bomb(?:ing)?s?|bomb\s+attacks?|bombings?|blasts?"
        r"|explosions?|exploded|bombed",
        anchors="bomb blast explo",
    ),
    _t("assassination", r"assassinat(?:ed|ion|ions)", anchors="assassinat"),
    _t(
        "killing",
        r"killings?|murder(?:ed|s)?|shot\s+dead|killed|beheaded|executed",
        anchors="kill murder shot behead execut",
    ),
    _t(
        "abduction",
        r"abduct(?:ed|ion|ions)|kidnapp(?:ed|ing|ings)|taken\s+hostage",
        anchors="abduct kidnap hostage",
    ),
    _t(
        "attack",
        r"(?:drone|air|missile|rocket)\s+strikes?|airstrikes?|attacks?|attacked|ambush(?:ed|es)?"
        r"|assault(?:ed|s)?|shelling|shelled|raided",
        anchors="strike attack ambush assault shell raided",
    ),
    _t(
        "clash",
        r"clash(?:ed|es)?|fighting\s+broke\s+out|firefights?|skirmish(?:es)?|gun\s*battles?"
        r"|exchanged\s+fire|traded?\s+fire|fought",
        role="participant",
        anchors="clash fight skirmish battle fire fought",
    ),
    _t(
        "military_campaign",
        r"military\s+campaign|offensive|(?<![-\w])war(?![-\w])|counter-?terrorist\s+operation",
        role="perpetrator",
        anchors="campaign offensive war operation",
    ),
    _t(
        "military_exercise",
        r"(?:military|joint|anti-terrorist|command-staff)?\s*exercises|drills|manoeuvres|maneuvers",
        role="organiser",
        anchors="exercises drills manoeuvres maneuvers",
    ),
    _t(
        "deployment",
        r"(?:troops|forces|soldiers)\s+(?:arrived|deployed|were\s+deployed)|deployed|deployment",
        noun=False,
        role="participant",
        anchors="deploy arrived",
    ),
    _t("arrest", r"arrested|arrests?", role="initiator", anchors="arrest"),
    _t(
        "detention",
        r"detained|detentions?|apprehended|rounded\s+up|were\s+(?:also\s+)?held",
        role="initiator",
        anchors="detain detention apprehended rounded held",
    ),
    _t(
        "deportation",
        r"deported|deportations?|expelled|extradited|extraditions?",
        role="initiator",
        anchors="deport expelled extradit",
    ),
    _t(
        "sentencing",
        r"sentenced(?:\s+to\s+(?:[\w-]+\s+){0,4}?(?:detention|prison|jail|imprisonment|death|arrest))?"
        r"|convicted|jailed|sentences?\s+of",
        role="initiator",
        anchors="sentence convicted jailed",
    ),
    _t(
        "military_campaign",
        r"operation\s+(?-i:[A-Z][\w-]+)(?:\s+(?-i:[A-Z][\w-]+))?",
        role="perpetrator",
        anchors="operation",
    ),
    _t("trial", r"trials?|went\s+on\s+trial|stood\s+trial", role="defendant", anchors="trial"),
    _t(
        "investigation",
        r"investigations?|inquiry|inquiries|probe|investigators",
        role="investigator",
        anchors="investigat inquir probe",
    ),
    _t(
        "protest",
        r"protests?|protested|rall(?:y|ies)|demonstrations?|marched|sit-ins?",
        role="participant",
        anchors="protest rall demonstration marched sit-in",
    ),
    _t(
        "meeting",
        r"(?:emergency\s+)?meeting|talks|summit",
        role="participant",
        anchors="meeting talks summit",
    ),
    _t(
        "agreement",
        r"(?:peace\s+|ceasefire\s+)?agreement|accord|treaty",
        role="participant",
        anchors="agreement accord treaty",
    ),
    _t(
        "border_restriction",
        r"closed\s+the\s+border|border\s+closures?|installed\s+fences",
        noun=False,
        role="initiator",
        anchors="border fences",
    ),
)


class Reporting:
    """A reporting or stance verb: its pattern and the stance it signals."""

    __slots__ = ("anchors", "pattern", "speaker_after", "stance")

    def __init__(
        self, stance: str, pattern: str, speaker_after: bool = False, anchors: str = ""
    ) -> None:
        self.stance = stance
        self.anchors = tuple(anchors.split())
        self.pattern = re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE)
        self.speaker_after = speaker_after
        """True when the speaker follows the pattern ("according to X", "cited by X")."""


REPORTING: tuple[Reporting, ...] = (
    Reporting(
        "declines_to_comment",
        r"(?:did|does|has|have|had)\s+not\s+(?:yet\s+)?(?:comment(?:ed)?|confirm(?:ed)?)"
        r"|declined\s+to\s+comment|refused\s+to\s+comment|no\s+comment",
        anchors="comment confirm",
    ),
    Reporting(
        "denies",
        r"denied|denies|deny|rejected|rejects|dismissed|refuted"
        r"|(?:has|have|had)\s+never\s+admitted|never\s+admitted",
        anchors="deni deny reject dismiss refute admitted",
    ),
    Reporting(
        "alleges",
        r"alleged|alleges|claimed|claims|accused|accuses|blamed|blames|charged"
        r"|condemned|condemns|(?:had|has|have)\s+named",
        anchors="alleg claim accuse blame charged condemn named",
    ),
    Reporting(
        "speculates",
        r"speculated?|speculates|suggest(?:s|ed)?|believe[sd]?|suspect(?:s|ed)?"
        r"|fear(?:s|ed)?|predicted",
        anchors="speculat suggest believe suspect fear predicted",
    ),
    Reporting(
        "reports", r"reported|reports|announced|announcing|announces", anchors="report announc"
    ),
    Reporting(
        "asserts",
        r"said|says|say|saying|told|tells|stated|states|added|noted|note|notes"
        r"|explained|insisted|stressed|declared|confirmed|argued|warned|warn|warns"
        r"|regard(?:s|ed)?|maintained|emphasi[sz]ed|insists|admitted|acknowledged",
        anchors="said say told tell stated states added note explained insist stress declared"
        " confirmed argued warn regard maintained emphasi admitted acknowledged",
    ),
    Reporting("reports", r"cited\s+by|reported\s+by", speaker_after=True, anchors="cited reported"),
    Reporting("asserts", r"according\s+to", speaker_after=True, anchors="according"),
)
