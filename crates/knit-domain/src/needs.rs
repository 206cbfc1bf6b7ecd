//! The `knit-needs` vocabulary: the fixed taxonomy of needs that the matcher, search,
//! referrals, reports and tests share. The ids are a contract with `taxonomy/needs.csv`
//! in the shared folder; a test checks the two agree whenever that folder is present.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The name Knit's own needs taxonomy carries in HSDS (`taxonomy` and `vocabulary`).
pub const VOCABULARY: &str = "knit-needs";

/// The broad area of life a need belongs to; the home page groups needs by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NeedDomain {
    Money,
    Housing,
    Safety,
    Health,
    Care,
    Family,
    Work,
    Practical,
    Community,
}

impl NeedDomain {
    pub const ALL: [NeedDomain; 9] = [
        NeedDomain::Money,
        NeedDomain::Housing,
        NeedDomain::Safety,
        NeedDomain::Health,
        NeedDomain::Care,
        NeedDomain::Family,
        NeedDomain::Work,
        NeedDomain::Practical,
        NeedDomain::Community,
    ];

    pub fn id(self) -> &'static str {
        match self {
            NeedDomain::Money => "money",
            NeedDomain::Housing => "housing",
            NeedDomain::Safety => "safety",
            NeedDomain::Health => "health",
            NeedDomain::Care => "care",
            NeedDomain::Family => "family",
            NeedDomain::Work => "work",
            NeedDomain::Practical => "practical",
            NeedDomain::Community => "community",
        }
    }

    /// A heading a resident understands.
    pub fn label(self) -> &'static str {
        match self {
            NeedDomain::Money => "Money and food",
            NeedDomain::Housing => "Housing",
            NeedDomain::Safety => "Feeling safe",
            NeedDomain::Health => "Health and wellbeing",
            NeedDomain::Care => "Care and independence",
            NeedDomain::Family => "Family and young people",
            NeedDomain::Work => "Work and learning",
            NeedDomain::Practical => "Practical help and advice",
            NeedDomain::Community => "Community and getting involved",
        }
    }

    pub fn needs(self) -> impl Iterator<Item = &'static Need> {
        NEEDS.iter().filter(move |n| n.domain == self)
    }
}

/// One kind of help a person may need.
#[derive(Debug, PartialEq, Eq)]
pub struct Need {
    pub id: NeedId,
    pub domain: NeedDomain,
    pub label: &'static str,
    pub description: &'static str,
}

/// The id of a need in the taxonomy. It can only hold an id that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NeedId(&'static str);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a need Knit knows; the needs are listed at /api/taxonomy_terms")]
pub struct UnknownNeed(pub String);

impl NeedId {
    pub fn parse(id: &str) -> Result<NeedId, UnknownNeed> {
        NEEDS
            .iter()
            .find(|n| n.id.0 == id)
            .map(|n| n.id)
            .ok_or_else(|| UnknownNeed(id.to_owned()))
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    pub fn need(self) -> &'static Need {
        NEEDS
            .iter()
            .find(|n| n.id == self)
            .expect("a NeedId only holds ids from NEEDS")
    }

    /// The stable HSDS taxonomy-term id of this need, the same in every Knit installation.
    pub fn term_id(self) -> Uuid {
        Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            format!("https://knit.example/needs/{}", self.0).as_bytes(),
        )
    }

    /// The position of this need in [`NEEDS`], handy for compact sets.
    pub fn index(self) -> usize {
        NEEDS
            .iter()
            .position(|n| n.id == self)
            .expect("a NeedId only holds ids from NEEDS")
    }
}

impl fmt::Display for NeedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for NeedId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for NeedId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        NeedId::parse(&id).map_err(serde::de::Error::custom)
    }
}

/// The taxonomy-wide id of the `knit-needs` taxonomy itself.
pub fn taxonomy_id() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://knit.example/needs")
}

/// Finds the need whose HSDS term id this is.
pub fn by_term_id(term_id: Uuid) -> Option<&'static Need> {
    NEEDS.iter().find(|n| n.id.term_id() == term_id)
}

macro_rules! needs {
    ($( $id:literal, $domain:ident, $label:literal, $description:literal; )*) => {
        /// Every need, in the order of the shared taxonomy file.
        pub static NEEDS: &[Need] = &[
            $( Need { id: NeedId($id), domain: NeedDomain::$domain, label: $label, description: $description }, )*
        ];
    };
}

needs! {
    "debt", Money, "Debt advice", "Free, confidential help with money owed: arrears, bailiffs, loans, credit cards, council tax and priority debts.";
    "benefits", Money, "Benefits and entitlements advice", "Checking what you can claim and help with forms, assessments, sanctions and appeals for Universal Credit, PIP and other benefits.";
    "money-management", Money, "Budgeting and money management", "Help to plan a budget, open a bank account, save, and make your money go further.";
    "crisis-support", Money, "Emergency grants and crisis support", "Urgent help when money has run out: emergency grants, fuel vouchers, hardship funds and local welfare assistance.";
    "fuel-poverty", Money, "Energy bills and keeping warm", "Help with gas and electricity bills, prepayment meters, warm spaces and making a home cheaper to heat.";
    "food", Money, "Food support", "Food banks, community pantries, free or low-cost meals and help to get enough to eat.";
    "gambling", Money, "Gambling harm", "Support for anyone hurt by gambling, their own or someone else's.";
    "homelessness", Housing, "Homelessness or risk of losing a home", "Somewhere to stay tonight, help if you have been told to leave or are sleeping rough, and the council's housing options team.";
    "housing-advice", Housing, "Housing advice and tenancy rights", "Advice on renting, repairs your landlord should do, deposits, evictions, and applying for social housing.";
    "home-repairs", Housing, "Home repairs and adaptations", "Handyperson services, adaptations such as grab rails and ramps, and help to make a home safe and warm.";
    "domestic-abuse", Safety, "Domestic abuse", "Confidential support if a partner, ex-partner or family member hurts, threatens, controls or frightens you, including safe places to stay.";
    "victim-support", Safety, "Victims of crime and antisocial behaviour", "Support after a crime, scam, hate incident or ongoing antisocial behaviour, whether or not it was reported.";
    "mental-health", Health, "Mental health support", "Someone to talk to about anxiety, low mood, stress or a crisis, from listening services to talking therapies.";
    "bereavement", Health, "Bereavement and loss", "Support after someone dies, for adults and children, and practical help with what needs doing.";
    "loneliness", Health, "Loneliness and social isolation", "Friendly calls, visits, and places to meet people when you feel alone.";
    "physical-activity", Health, "Physical activity and exercise", "Walks, gentle exercise, sport and classes for all ages and abilities.";
    "healthy-eating", Health, "Healthy eating and weight", "Cooking, eating well and managing weight, with support that fits your life.";
    "smoking", Health, "Stopping smoking", "Free help to stop smoking or vaping, including stop-smoking aids.";
    "alcohol-drugs", Health, "Alcohol and drug use", "Confidential support to cut down or stop drinking or using drugs, and help for families affected.";
    "long-term-conditions", Health, "Living with a long-term health condition", "Support to live well with conditions such as diabetes, arthritis, MS, COPD or chronic pain.";
    "dementia", Health, "Dementia and memory problems", "Memory cafes, advice and activities for people with dementia and those who care for them.";
    "carers", Care, "Support for unpaid carers", "Help for anyone who looks after a family member or friend: breaks, advice, carers' assessments and people who understand.";
    "disability", Care, "Disability support and independent living", "Advice, equipment, aids and support to live independently with a disability.";
    "older-people", Care, "Ageing well and support for older people", "Advice, activities and practical help for older people and their families.";
    "help-at-home", Care, "Practical help at home", "Help with shopping, cleaning, gardening, odd jobs and getting things done around the house.";
    "parenting", Family, "Parenting support", "Support for mums, dads and carers: parenting courses, family workers and someone to talk to.";
    "early-years", Family, "Babies toddlers and early years", "Baby and toddler groups, family hubs, health visitors and childcare help for under-fives.";
    "young-people", Family, "Activities and support for young people", "Youth clubs, activities, and confidential support for young people.";
    "send", Family, "Special educational needs and disabilities", "Support and advice for children and young people with special educational needs or disabilities, and their families.";
    "relationships", Family, "Relationship and family breakdown", "Help when a relationship or family is under strain: counselling, mediation and support after separation.";
    "employment", Work, "Finding work and employment support", "Help to find a job, write a CV, prepare for interviews and stay in work.";
    "skills", Work, "Learning qualifications and training", "Courses, qualifications and learning for adults, from maths and English to new careers.";
    "digital", Work, "Digital skills and getting online", "Help to use a phone, tablet or computer, get online, and get a device or data.";
    "esol", Work, "English language learning", "English classes and conversation groups for people whose first language is not English.";
    "transport", Practical, "Transport and travel", "Community transport, lifts to appointments, bus passes and help with travel costs.";
    "legal", Practical, "Legal advice", "Free or low-cost legal advice on family, employment, consumer and other problems.";
    "immigration", Practical, "Immigration and asylum advice", "Regulated advice and support for refugees, people seeking asylum and anyone with an immigration question.";
    "household-goods", Practical, "Furniture clothing and household goods", "Free or cheap furniture, white goods, clothes, baby equipment and essentials for a home.";
    "social-groups", Community, "Social groups clubs and hobbies", "Clubs, coffee mornings and groups where people share an interest and a chat.";
    "arts-creativity", Community, "Arts music and creativity", "Art, craft, music, singing, writing and drama groups for all abilities.";
    "nature", Community, "Gardening nature and the outdoors", "Community gardens, allotments, conservation volunteering and time outdoors.";
    "volunteering", Community, "Volunteering opportunities", "Ways to give your time and skills to help others and your community.";
    "community-action", Community, "Starting a group or community project", "Help to start or grow a group: advice, small grants, spaces, and people to do it with.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_need_is_found_by_its_own_id_and_term_id() {
        for need in NEEDS {
            assert_eq!(NeedId::parse(need.id.as_str()), Ok(need.id));
            assert_eq!(by_term_id(need.id.term_id()).map(|n| n.id), Some(need.id));
        }
        assert_eq!(NEEDS.len(), 43);
    }

    #[test]
    fn unknown_ids_are_refused_with_a_message() {
        let err = NeedId::parse("cake").unwrap_err();
        assert!(err.to_string().contains("\"cake\" is not a need"));
    }

    #[test]
    fn every_domain_has_needs() {
        for domain in NeedDomain::ALL {
            assert!(domain.needs().count() > 0, "{domain:?} has no needs");
        }
    }
}
