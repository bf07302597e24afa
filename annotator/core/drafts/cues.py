"""The cue words drafts read: attack verbs, reporting verbs, voice, stance, event types."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


# ---------------------------------------------------------------------------------------------
# Cue words

_ATTACK = re.compile(
    r"\b(?:attack(?:ed|s|ing)?|ambush(?:ed|es|ing)?|raid(?:ed|s|ing)?|storm(?:ed|ing)|"
    r"assault(?:ed|s|ing)?|target(?:ed|ing)|struck|strikes?|bomb(?:ed|ing|ings)|"
    r"shell(?:ed|ing)|fired\s+(?:on|at|upon)|opened\s+fire\s+(?:on|at)|overr[au]n|"
    r"abduct(?:ed|ing)|kidnapp?(?:ed|ing)|execut(?:ed|ing)|behead(?:ed|ing)|massacred|"
    r"killed|clash(?:ed|es)\s+with|offensive\s+against|operations?\s+against|"
    r"seiz(?:ed|ing)\s+control\s+of)\b",
    re.IGNORECASE,
)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+\s+)?$", re.I)
_BY_AFTER = re.compile(r"^\W*(?:[\w'-]+\W+){0,5}?by\s+(?:the\s+)?$", re.I)
_REPORT = re.compile(
    r"\b(?:reported|reports|said|says|claimed|claims|announced|announces|stated|states|"
    r"declared|published|released|asserted|alleged|told|confirmed|acknowledged|admitted|"
    r"denied|denies|wrote|added|continued)\b",
    re.I,
)
_ACCORDING = re.compile(r"\b(?:according\s+to|citing|as\s+reported\s+by|quoted\s+by)\s+$", re.I)
_RESPONSIBILITY = re.compile(
    r"\b(?:claim(?:ed|s|ing)?\s+(?:the\s+)?(?:responsibility|credit)|"
    r"claim(?:ed|s|ing)?\s+(?:the|an|a)\s+(?:attack|attacks|raid|bombing|operation|ambush)|"
    r"took\s+responsibility|(?:its|their)\s+(?:fighters|soldiers|operatives|militants|men))\b",
    re.I,
)
# the perpetrator group speaking of itself before the attack word ("the group's news outlet
# said", "the group claimed", "a statement by the militants said")
_GROUP_SAYS = re.compile(
    r"\b(?:the|a)\s+(?:group|organi[sz]ation|militants|movement|jihadists?)(?:'s?|’s?)?\b"
    r"[^.;]{0,80}?\b(?:said|says|claimed|claims|announced|stated|reported|published)\b",
    re.I,
)
_ALLEGED = re.compile(r"\b(?:allegedly|suspected|blamed|accused|believed\s+to\s+be|presumed)\b",
                      re.I)
_DENIED = re.compile(r"\b(?:denied|denies|rejected\s+responsibility)\b", re.I)
_ATTEMPTED = re.compile(r"\b(?:attempted|tried\s+to|foiled|thwarted|repelled|repulsed|failed)\b",
                        re.I)
_THREATENED = re.compile(r"\b(?:threatened|vowed|warned\s+of)\b", re.I)
_EVENT_TYPES = (
    ("suicide_bomb", re.compile(r"\bsuicide\b", re.I)),
    ("remote_explosive_or_landmine", re.compile(
        r"\b(?:ied|improvised\s+explosive|landmines?|roadside\s+bomb|car\s+bomb|explosive\s+"
        r"device|bomb(?:s|ed|ing)?)\b", re.I)),
    ("air_or_drone_strike", re.compile(r"\b(?:air\s*strikes?|drones?|aircraft|warplanes?)\b",
                                       re.I)),
    ("shelling_artillery_missile", re.compile(
        r"\b(?:shell(?:s|ed|ing)|artillery|mortars?|rockets?|missiles?)\b", re.I)),
    ("execution", re.compile(r"\b(?:execut(?:ed|ing|ion)|behead(?:ed|ing))\b", re.I)),
    ("abduction_or_forced_disappearance", re.compile(
        r"\b(?:abduct(?:ed|ing|ion)|kidnapp?(?:ed|ing)|hostages?|taken\s+captive)\b", re.I)),
    ("armed_clash", re.compile(r"\b(?:clash(?:ed|es)?|fighting|firefight|gun\s*battle)\b", re.I)),
)
_MEMBERS = (r"(?:soldiers|troops|personnel|fighters|operatives|militants|members|forces|"
            r"elements|men|mercenaries|gunmen|units)")
_JOIN = re.compile(
    rf"^\s*(?:{_MEMBERS}\s*)?(?:,|and|&|as\s+well\s+as|along\s+with|together\s+with|,\s*and)"
    rf"\s*(?:the\s+|other\s+|members\s+of\s+the\s+|operatives\s+of\s+the\s+)?$",
    re.I,
)
_TARGET_REACH = 90  # code points after the attack word within which the first target sits
_SUBJECT_REACH = 120  # code points before it for the perpetrator
_PRECISE = {"site": 0, "place": 1, "near_place": 2, "admin3": 3, "admin2": 4, "admin1": 5,
            "region": 6, "country": 7}  # fmt: skip


# "fighters of the X attacked": the members of X did it, X is the subject
_MEMBERS_OF = re.compile(rf"\b{_MEMBERS}\s+of\s+(?:the\s+)?$", re.I)
_OBJECT_BEFORE = re.compile(r"\b(?:against|on|targeting|of|by)\s+(?:the\s+)?$", re.I)
_DETERMINER_BEFORE = re.compile(
    r"\b(?:a|an|the|their|its|his|her|this|that|these|those|another|of|per)\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
