//! What the matcher knows: for each need, the words, phrases and situations a UK social
//! prescriber would recognise in it, written from knowledge of those situations (not
//! fitted to any example file). One file per area of life, as on the home page.
//!
//! Each [`Cue`] names the needs it points to with a weight: how sure one mention alone
//! makes us. Around 0.9 a cue settles the need on its own ("bailiffs"); around 0.6 it is
//! enough alone but ranks below stronger evidence; at 0.3 to 0.45 it only shows together
//! with another cue for the same need. Phrase syntax is in `super::pattern`.

mod care;
mod community;
mod family;
mod health;
mod housing;
mod money;
mod practical;
mod safety;
mod work;

/// How negation bears on a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueKind {
    /// Something bad in itself ("bailiffs", "depressed", "drinking"): any nearby negation
    /// ("no", "never", "don't") cancels it.
    Problem,
    /// A topic or something a person lacks ("benefits", "food", "a job"): "no food" and
    /// "haven't got a job" are the need itself, so only a plain denial cancels it ("my
    /// benefits are fine", "it's not the money", "don't need food").
    Topic,
    /// An offer to give time or skills: it points to volunteering or community action and
    /// the rest of its clause is about what the person gives, not what they need.
    Offer,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Cue {
    pub phrases: &'static [&'static str],
    pub needs: &'static [(&'static str, f32)],
    pub kind: CueKind,
    /// Safety first: a need this cue finds ranks above every need that is not urgent.
    pub urgent: bool,
}

impl Cue {
    pub const fn problem(
        needs: &'static [(&'static str, f32)],
        phrases: &'static [&'static str],
    ) -> Cue {
        Cue {
            phrases,
            needs,
            kind: CueKind::Problem,
            urgent: false,
        }
    }

    pub const fn topic(
        needs: &'static [(&'static str, f32)],
        phrases: &'static [&'static str],
    ) -> Cue {
        Cue {
            phrases,
            needs,
            kind: CueKind::Topic,
            urgent: false,
        }
    }

    pub const fn offer(
        needs: &'static [(&'static str, f32)],
        phrases: &'static [&'static str],
    ) -> Cue {
        Cue {
            phrases,
            needs,
            kind: CueKind::Offer,
            urgent: false,
        }
    }

    /// Phrases that look like cues but are not ("of course", "on a budget", "would benefit
    /// from"): matching them claims their words so no shorter cue inside them fires.
    pub const fn neutral(phrases: &'static [&'static str]) -> Cue {
        Cue {
            phrases,
            needs: &[],
            kind: CueKind::Topic,
            urgent: false,
        }
    }

    pub const fn urgent(self) -> Cue {
        Cue {
            urgent: true,
            ..self
        }
    }
}

/// A cue at least this strong settles a need on its own.
pub(crate) const DECISIVE: f32 = 0.9;

/// How much of another need's evidence a settled need takes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Absorb {
    /// Only evidence short of decisive.
    Weaker,
    /// All of it: the words describe someone else's situation.
    All,
}

/// When the first need is settled, evidence for the second is read as part of it: tears
/// after a death are grief; damp in a rented home is the landlord's to fix, and a leak in
/// a home someone owns is a repair; an eviction is the homelessness team's; a partner who
/// hurts you is abuse, not a relationship problem; counselling for a couple is
/// relationship counselling; learning English is ESOL, not a general course; a carer's
/// need is the carer's, not the cared-for person's condition; a cancer someone died of
/// is the bereavement; an addiction beside a bet is to gambling.
pub(crate) const ABSORBS: &[(&str, &str, Absorb)] = &[
    ("bereavement", "mental-health", Absorb::Weaker),
    ("bereavement", "long-term-conditions", Absorb::Weaker),
    ("bereavement", "money-management", Absorb::Weaker),
    ("housing-advice", "home-repairs", Absorb::Weaker),
    ("home-repairs", "housing-advice", Absorb::Weaker),
    ("homelessness", "housing-advice", Absorb::Weaker),
    ("homelessness", "fuel-poverty", Absorb::Weaker),
    ("housing-advice", "fuel-poverty", Absorb::Weaker),
    ("home-repairs", "fuel-poverty", Absorb::Weaker),
    ("domestic-abuse", "relationships", Absorb::Weaker),
    ("relationships", "mental-health", Absorb::Weaker),
    ("esol", "skills", Absorb::Weaker),
    ("immigration", "legal", Absorb::Weaker),
    ("debt", "legal", Absorb::Weaker),
    ("debt", "money-management", Absorb::Weaker),
    ("domestic-abuse", "money-management", Absorb::Weaker),
    ("benefits", "legal", Absorb::Weaker),
    ("disability", "skills", Absorb::Weaker),
    ("carers", "long-term-conditions", Absorb::All),
    ("carers", "disability", Absorb::All),
    ("carers", "mental-health", Absorb::Weaker),
    ("dementia", "domestic-abuse", Absorb::Weaker),
    ("mental-health", "healthy-eating", Absorb::Weaker),
    ("victim-support", "digital", Absorb::Weaker),
    ("victim-support", "household-goods", Absorb::Weaker),
    ("victim-support", "transport", Absorb::Weaker),
    ("gambling", "money-management", Absorb::Weaker),
    ("gambling", "alcohol-drugs", Absorb::Weaker),
];

/// Needs that, named in the same sentence as an offer of help, are what the person brings
/// rather than what they need: skills and interests.
pub(crate) const GIVEABLE: &[&str] = &[
    "nature",
    "arts-creativity",
    "healthy-eating",
    "digital",
    "physical-activity",
    "transport",
    "skills",
    "esol",
    "social-groups",
    "household-goods",
    "food",
];

/// Needs that are urgent whatever words found them.
pub(crate) const ALWAYS_URGENT: &[&str] = &["domestic-abuse"];

/// Every cue, area by area.
pub(crate) fn cues() -> impl Iterator<Item = &'static Cue> {
    [
        money::CUES,
        housing::CUES,
        safety::CUES,
        health::CUES,
        care::CUES,
        family::CUES,
        work::CUES,
        practical::CUES,
        community::CUES,
        NOT_CUES,
    ]
    .into_iter()
    .flatten()
}

/// Named word classes usable in phrases as `@name`.
pub(crate) fn class(name: &str) -> Option<&'static [&'static str]> {
    CLASSES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, members)| *members)
}

const CLASSES: &[(&str, &[&str])] = &[
    (
        "partner",
        &[
            "partner",
            "husband",
            "wife",
            "boyfriend",
            "girlfriend",
            "ex",
            "fella",
            "bf",
            "gf",
            "missus",
            "hubby",
            "fiance",
            "fiancee",
            "spouse",
        ],
    ),
    (
        "he",
        &[
            "he",
            "she",
            "partner",
            "husband",
            "wife",
            "boyfriend",
            "girlfriend",
            "ex",
        ],
    ),
    (
        "relative",
        &[
            "mum",
            "mam",
            "mom",
            "mother",
            "dad",
            "da",
            "father",
            "nan",
            "nana",
            "nanna",
            "gran",
            "granny",
            "grandma",
            "grandad",
            "granddad",
            "grandfather",
            "grandmother",
            "husband",
            "wife",
            "partner",
            "son",
            "daughter",
            "brother",
            "sister",
            "aunt",
            "auntie",
            "uncle",
            "parents",
            "parent",
            "grandparents",
            "nephew",
            "niece",
            "fella",
            "hubby",
            "missus",
            "child",
            "kid",
            "friend",
            "neighbour",
            "him",
            "her",
        ],
    ),
    (
        "elder",
        &[
            "mum",
            "mam",
            "mom",
            "mother",
            "dad",
            "da",
            "father",
            "nan",
            "nana",
            "nanna",
            "gran",
            "granny",
            "grandma",
            "grandad",
            "granddad",
            "grandfather",
            "grandmother",
            "husband",
            "wife",
            "parents",
            "aunt",
            "auntie",
            "uncle",
        ],
    ),
    (
        "cared",
        &[
            "mum",
            "mam",
            "mom",
            "mother",
            "dad",
            "da",
            "father",
            "nan",
            "nana",
            "nanna",
            "gran",
            "granny",
            "grandma",
            "grandad",
            "granddad",
            "grandfather",
            "grandmother",
            "husband",
            "wife",
            "partner",
            "parents",
            "aunt",
            "auntie",
            "uncle",
            "brother",
            "sister",
            "son",
            "daughter",
            "friend",
            "neighbour",
            "law",
            "hubby",
            "missus",
            "him",
            "her",
        ],
    ),
    (
        "oldage",
        &[
            "65", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75", "76", "77", "78",
            "79", "80", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92",
            "93", "94", "95", "96", "97", "98", "99", "100", "101", "102", "103",
        ],
    ),
    (
        "childage",
        &[
            "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
        ],
    ),
    (
        "lang",
        &[
            "arabic",
            "polish",
            "urdu",
            "punjabi",
            "bengali",
            "bangla",
            "farsi",
            "persian",
            "kurdish",
            "tigrinya",
            "romanian",
            "portuguese",
            "spanish",
            "ukrainian",
            "russian",
            "chinese",
            "mandarin",
            "cantonese",
            "somali",
            "turkish",
            "pashto",
            "dari",
            "lithuanian",
            "latvian",
            "bulgarian",
            "albanian",
            "amharic",
            "tamil",
            "gujarati",
            "hindi",
            "french",
            "italian",
            "vietnamese",
            "hungarian",
            "czech",
            "slovak",
        ],
    ),
    (
        "teenage",
        &["11", "12", "13", "14", "15", "16", "17", "18", "19"],
    ),
    (
        "child",
        &[
            "son",
            "daughter",
            "child",
            "children",
            "kid",
            "kids",
            "boy",
            "girl",
            "lad",
            "bairn",
            "bairns",
            "teenager",
            "teen",
            "youngest",
            "eldest",
            "stepson",
            "stepdaughter",
            "grandson",
            "granddaughter",
            "toddler",
        ],
    ),
    (
        "drink",
        &[
            "drink", "drinking", "drunk", "booze", "boozing", "alcohol", "cans", "vodka", "wine",
            "lager", "cider", "pints",
        ],
    ),
    (
        "money",
        &[
            "money", "cash", "funds", "quid", "pounds", "penny", "pennies", "dosh",
        ],
    ),
    (
        "bills",
        &[
            "bills",
            "bill",
            "rent",
            "mortgage",
            "gas",
            "electric",
            "electricity",
        ],
    ),
];

/// Everyday phrases whose words would otherwise be taken for cues.
const NOT_CUES: &[Cue] = &[Cue::neutral(&[
    "of course",
    "on a budget",
    "benefit from",
    "would benefit",
    "benefit of the doubt",
    "poorly controlled",
    "well controlled",
    "bowling green",
    "take care",
    "don't care",
    "care about",
    "cares about",
    "couldn't care less",
    "can't wait",
    "cup of tea",
    "a brew",
    "phone died",
    "battery died",
    "car died",
    "good job",
    "fall asleep",
    "fell asleep",
    "crack on",
    "running late",
    "running around",
    "running about",
    "a cold",
    "got a cold",
    "the flu",
    "work out",
    "worked out",
    "working out",
    "sick of",
    "in bed",
    "lie in bed",
    "out of bed",
    "go to bed",
    "to bed",
    "running tests",
    "run some tests",
    "broke down",
    "broken down",
    "burnt|burned out car|cars|van|vans|house|flat|shop",
    "two jobs",
    "three jobs",
    "since|when i was @teenage|@childage",
    "older lads",
    "older boys",
    "older kids",
    "older men",
    "older brother",
    "older sister",
    "a company",
    "the company",
    "my company",
    "company i",
    "can't work without",
    "support group",
    "peer support",
    "no money problems",
    "no money worries",
    "no money issues",
    "no problems with money",
    "sick and tired",
    "by phone",
    "on the phone",
    "dying to",
    "acting up",
    "playing up",
    "insurance company",
    "phone company",
    "energy company",
    "water company",
    "bus company",
])];
