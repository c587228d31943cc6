"""The cue words, in one place: how a sentence tells who speaks and what kind of stance it takes.

Each cue is a regular expression on the sentence (case-insensitive, on word boundaries) with a
strength in (0, 1]: how surely it marks that kind. The first kind whose strongest cue fires
wins, in the order below (a negated acceptance is a refusal, so refusals are tried first; a
conditional "could agree" is a concession before it is an acceptance).
"""

from __future__ import annotations

# verbs of speech: "X said", "said X", "X told ...", "according to X"
SPEECH = (
    r"said|says|say|told|tells|added|adds|stated|states|noted|notes|stressed|stresses|warned|"
    r"warns|insisted|insists|declared|declares|announced|announces|wrote|writes|emphasi[sz]ed|"
    r"emphasi[sz]es|reiterated|reiterates|explained|explains|argued|argues|replied|remarked|"
    r"recalled|countered|expressed|saying|adding|stressing|noting|warning|insisting|telling|underlined|underscored|confirmed|confirms|asserted|asserts|posted|continued|"
    r"told reporters|commented|answered|observed|acknowledged|conceded|signaled|signalled|"
    r"indicated|suggested|clarified|maintained|called|described|urged|demanded|vowed|pledged"
)

# a stance taken by a subject without a verb of speech: "Moscow wants ...", "Kyiv rejects ..."
STANCE = (
    r"wants|want|demands|demand|demanded|insists|insisted|seeks|sought|rejects|rejected|refuses|"
    r"refused|opposes|opposed|accepts|accepted|agrees|agreed|supports|supported|backs|backed|"
    r"is ready|was ready|are ready|is prepared|are prepared|is willing|are willing|"
    r"will not|won't|would not|cannot|can't|has ruled out|have ruled out|ruled out|rules out|"
    r"calls for|called for|proposes|proposed|offers|offered|has dismissed|have dismissed|"
    r"dismissed|dismisses|has rejected|have rejected|will never|would never|signaled|signalled|"
    r"expects|is seeking|are seeking|is demanding|are demanding|has demanded|has insisted|"
    r"will demand|will insist|will seek|intends|plans to|is pushing|are pushing|pushes|"
    r"has firmly|have firmly|firmly|welcomed|welcomes|endorsed|endorses|considers|regards|"
    r"been demanding|been calling|is calling|are calling|has called|have called|opposes|"
    r"spoke out|speaks out|came out|did not|does not|do not|has not|have not|"
    r"amended|enshrined|has enshrined|wrote into"
)

# a stance named by a noun after a possessive: "Lavrov's refusal to support ..."
POSSESSIVE = r"refusal|rejection|demands?|insistence|opposition|call|proposal"

# a person the last named speaker is followed back to
PRONOUN = (
    r"he|she|they|the minister|the spokesperson|the spokeswoman|the spokesman|the president|"
    r"the official|the diplomat|the envoy|the secretary|the chancellor|the prime minister|"
    r"the secretary general|the foreign minister|the deputy minister|the kremlin aide|the aide"
)

# mentions of the press, not of a party: "the Russian news agency Interfax", "Russian Izvestia"
PRESS = (
    r"news agency|newspaper|media|TV|television|channel|outlet|daily|broadcaster|agency|"
    r"proposal|plan|draft|initiative|document|counterproposal|blueprint"
)

# a text quoted word for word ("one key provision states: '...'"): the quotation is the
# document's wording, not a party's stance, whatever party it names
TEXT_QUOTED = (
    r"(?:provision|point|clause|article|paragraph|plan|draft|text|document|proposal|memorandum)"
    r"s?\s+(?:states?|says|reads?|stipulates?|provides?|specif(?:ies|y))\s*:?\s*[\"«„]"
)

# reported speech that puts a claim in another's mouth: "X accused Y of wanting ..."
CHARACTERISING = r"accus\w*|alleg\w*|claim\w*|blam\w*|portray\w*|falsely"

# what one party says another intends: "Kyiv says Moscow wants ...", "Rubio said Russia rejects"
INTENT = (
    r"wants|want|demands|demand|demanded|seeks|sought|insists|insisted|is seeking|is demanding|"
    r"intends|plans to|aims|is trying|tries|is pushing|refuses|refused|rejects|rejected|"
    r"is not interested|has no intention|is stalling|is dragging"
)

KINDS: dict[str, tuple[tuple[str, float], ...]] = {
    "refusal": (
        (r"(?:absolutely |completely |totally )?unacceptable", 1.0),
        (r"not acceptable|inacceptable|intolerable|non-negotiable|not negotiable", 1.0),
        (
            r"(?:will|would|can|could|shall|do|does|did) ?(?:not|never|n't) (?:accept|agree|allow|"
            r"recogni[sz]e|tolerate|give up|cede|surrender|withdraw|abandon|trade|consider|"
            r"negotiate|support|permit|sign|discuss|pursue|push for|back)\w*",
            1.0,
        ),
        (
            r"(?:won't|cannot|can't|never) (?:accept|agree|allow|recogni[sz]e|tolerate|give up|"
            r"cede|surrender|withdraw|abandon|trade|sign)\w*",
            1.0,
        ),
        (r"rul(?:e|es|ed|ing) out|out of the question|red line|no way|under no circumstances", 1.0),
        (r"reject\w*|refus\w*|dismiss\w*|oppos\w*", 0.8),
        (r"(?:spoke|speaks|came|comes) out against|(?:is|are|was|were) against", 0.9),
        (r"makes? it impossible|impossible|no vote and no veto|no veto|has no say", 0.8),
        (
            r"(?:should|must) not be|should never|must never|cannot (?:influence|dictate|decide)",
            0.9,
        ),
        (r"not going to|no (?:one|country) can dictate|no concessions", 0.7),
        (r"catastrophic|unrealistic|a threat to|legitimate target\w*", 0.8),
    ),
    "concession": (
        (
            r"(?:could|would|might|may) (?:agree|accept|consider|drop|give up|withdraw|freeze)\w*",
            0.9,
        ),
        (
            r"willing to|prepared to compromise|compromise\w*|concession\w*|no longer (?:insist|"
            r"demand)\w*|drop(?:s|ped)? (?:its|their|the) demand|soften\w*|give up|trade-?off",
            0.8,
        ),
        (r"even if|in exchange for|in return for", 0.6),
    ),
    "acceptance": (
        (
            r"(?:a|the|as a) (?:good |possible |solid |sound )?(?:basis|base|foundation|starting "
            r"point)",
            1.0,
        ),
        (
            r"agree(?:s|d|ing)?|accept(?:s|ed|ing|able)?|ready to|prepared to|open to|welcom\w*"
            r"|endors\w*"
            r"|support\w*|in favou?r of|back\w* the|approv\w*|sovereign right|right of any "
            r"country|decides? to join|free to (?:join|choose|decide)",
            0.8,
        ),
        (r"positive|constructive|progress|useful|work(?:ing)? on|appreciat\w*", 0.5),
    ),
    "demand": (
        (
            r"demand\w*|insist\w*|must|has to|have to|need to|needs to|necessary|require\w*|"
            r"condition\w*|depends? on|only if|unless|if they do not|call(?:s|ed)? for|"
            r"urge\w*",
            1.0,
        ),
        (
            r"want\w*|seek\w*|sought|should|expect\w*|push\w* for|aim\w*|objective\w*|goal|"
            r"guarantee\w*|commit\w*|key element\w*|root causes|revok\w*|nullif\w*",
            0.8,
        ),
        (r"(?:could|should|would) have (?:agreed|accepted)", 1.0),
        (r"propos\w*|intend\w*|will (?:achieve|take|liberate)", 0.6),
    ),
}
KIND_ORDER = ("refusal", "concession", "acceptance", "demand")

# a sentence on a whole text rather than an issue: "could serve as a basis", "the 28-point plan"
WHOLE_TEXT = (
    r"plans?|proposals?|framework|drafts?|\d+ points|\d+-point|points|peace deal|document|"
    r"initiative|memorandum|outlines|basis|foundation|starting point"
)
