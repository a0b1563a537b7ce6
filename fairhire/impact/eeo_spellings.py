"""How HR exports spell the EEO-1 categories: the data behind :mod:`fairhire.impact.eeo`.

Each spelling is compared ignoring case, extra spaces and the spaces around a slash. The
categories themselves (and their order) are defined in :mod:`fairhire.impact.eeo`; this module
only lists the other ways of writing them, and the labels that mean "unknown".
"""

from __future__ import annotations

from .._core.flags import LOCALE_FALSE_TEXT, LOCALE_TRUE_TEXT

HISPANIC = "Hispanic or Latino"
NOT_HISPANIC = "Not Hispanic or Latino"

#: Labels read as "unknown" (compared ignoring case, punctuation spacing and surrounding spaces).
UNKNOWN_SPELLINGS: frozenset[str] = frozenset(
    {
        "unknown",
        "not known",
        "unk",
        "n/a",
        "na",
        "none",
        "not available",
        "not provided",
        "not specified",
        "unspecified",
        "undisclosed",
        "not disclosed",
        "declined",
        "decline",
        "decline to state",
        "declined to state",
        "decline to self-identify",
        "decline to self identify",
        "declined to self-identify",
        "declined to self identify",
        "decline to identify",
        "decline to answer",
        "prefer not to say",
        "prefer not to answer",
        "prefer not to disclose",
        "i prefer not to say",
        "i do not wish to answer",
        "i don't wish to answer",
        "i do not wish to self-identify",
        "i don't wish to self-identify",
        "choose not to disclose",
        "did not disclose",
        "did not self-identify",
    }
)

OTHER_SEX_SPELLINGS = frozenset(
    {"other", "non-binary", "nonbinary", "non binary", "another gender", "gender non-conforming"}
)

# Race spellings: each category's EEO-1 name, the DCWP rule's name, and both with the
# "(Not Hispanic or Latino)" qualifier; plus short forms that cannot mean anything else.
RACE_SYNONYMS: dict[str, tuple[str, ...]] = {
    HISPANIC: (
        "hispanic",
        "latino",
        "latina",
        "latinx",
        "latine",
        "hispanic/latino",
        "hispanic or latinx",
        "hispanic/latinx",
    ),
    "White": (),
    "Black or African American": ("black", "african american", "black/african american"),
    "Native Hawaiian or Pacific Islander": (
        "native hawaiian or other pacific islander",
        "native hawaiian/other pacific islander",
        "native hawaiian/pacific islander",
        "pacific islander",
    ),
    "Asian": (),
    "Native American or Alaska Native": (
        "american indian or alaska native",
        "american indian or alaskan native",
        "native american or alaskan native",
        "american indian/alaska native",
        "american indian/alaskan native",
        "native american/alaska native",
        "native american",
        "american indian",
    ),
    "Two or More Races": (
        "two or more",
        "two or more races",
        "multiracial",
        "multi-racial",
        "2 or more races",
    ),
}


#: Answers to the separate "Are you Hispanic or Latino?" question (the OMB two-question format
#: that EEO self-identification forms and HRIS exports often keep in a column of its own).
ETHNICITY_SYNONYMS: dict[str, tuple[str, ...]] = {
    HISPANIC: (*RACE_SYNONYMS[HISPANIC], "hispanic or latino", "yes", "y", "true",
               *sorted(LOCALE_TRUE_TEXT)),
    NOT_HISPANIC: (
        "not hispanic or latino",
        "not hispanic/latino",
        "not hispanic",
        "not latino",
        "non-hispanic",
        "non hispanic",
        "nonhispanic",
        "non-hispanic or latino",
        "non-hispanic/latino",
        "non-hispanic or non-latino",
        "no",
        "n",
        "false",
        *sorted(LOCALE_FALSE_TEXT),
    ),
}
