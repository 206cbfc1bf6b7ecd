//! The directory in the Open Referral HSDS 3.0 vocabulary: a service as HSDS "compiles"
//! it, with its organisation, places, times, phones and taxonomy attributes nested inside.
//!
//! Optional fields are `None` or empty, never empty strings: [`Service::tidy`] folds blank
//! text away on the way in, and serialisation omits what is absent, as ORUK requires.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::needs::{self, NeedId};
use crate::time_of_day::TimeOfDay;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub status: ServiceStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpretation_services: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_process: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_age: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_age: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// When someone last confirmed the listing is true: Knit's "last checked".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assured_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<Schedule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_areas: Vec<ServiceArea>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_at_locations: Vec<ServiceAtLocation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Language>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cost_options: Vec<CostOption>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServiceStatus {
    #[serde(rename = "active")]
    Active,
    #[serde(rename = "inactive")]
    Inactive,
    #[serde(rename = "defunct")]
    Defunct,
    #[serde(rename = "temporarily closed")]
    TemporarilyClosed,
}

impl ServiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceStatus::Active => "active",
            ServiceStatus::Inactive => "inactive",
            ServiceStatus::Defunct => "defunct",
            ServiceStatus::TemporarilyClosed => "temporarily closed",
        }
    }

    pub fn parse(s: &str) -> Option<ServiceStatus> {
        [
            Self::Active,
            Self::Inactive,
            Self::Defunct,
            Self::TemporarilyClosed,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }

    /// Whether residents should find the service at all. A temporarily closed service is
    /// still shown, with its status, so people know it exists and will come back.
    pub fn is_listed(self) -> bool {
        matches!(
            self,
            ServiceStatus::Active | ServiceStatus::TemporarilyClosed
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_incorporated: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phone {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<Uuid>,
    pub number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Frequency {
    Weekly,
    Monthly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
        }
    }

    pub fn parse(s: &str) -> Option<Frequency> {
        match s {
            "WEEKLY" => Some(Frequency::Weekly),
            "MONTHLY" => Some(Frequency::Monthly),
            _ => None,
        }
    }
}

/// A recurring opening, in the iCalendar RRULE terms HSDS borrows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dtstart: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freq: Option<Frequency>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<u16>,
    /// RRULE BYDAY: `MO,WE` weekly, or `2TU` (the second Tuesday) monthly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byday: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bymonthday: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<TimeOfDay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<TimeOfDay>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceArea {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceAtLocation {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LocationType {
    Physical,
    Postal,
    Virtual,
}

impl LocationType {
    pub fn as_str(self) -> &'static str {
        match self {
            LocationType::Physical => "physical",
            LocationType::Postal => "postal",
            LocationType::Virtual => "virtual",
        }
    }

    pub fn parse(s: &str) -> Option<LocationType> {
        [Self::Physical, Self::Postal, Self::Virtual]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: Uuid,
    pub location_type: LocationType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transportation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// A place whose address must never be published, such as a refuge. An extension to
    /// HSDS (ORUK allows extra fields); public outputs drop the whole location.
    #[serde(
        default,
        rename = "local_confidential",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub confidential: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accessibility: Vec<Accessibility>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attention: Option<String>,
    pub address_1: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_2: Option<String>,
    pub city: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub state_province: String,
    pub postal_code: String,
    pub country: String,
    pub address_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accessibility {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Language {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostOption {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
}

/// Links a service to a taxonomy term: a need, a way in, a way of delivery, or a term
/// from a taxonomy Knit does not know, kept as it came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribute {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_entity: Option<String>,
    pub taxonomy_term_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy_term: Option<TaxonomyTerm>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaxonomyTerm {
    pub id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vocabulary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Taxonomy {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// How a person gets to use a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WayIn {
    DropIn,
    SelfRefer,
    ReferralNeeded,
}

/// How a service is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    InPerson,
    Phone,
    Online,
}

/// A small fixed vocabulary of Knit's own, carried in HSDS as attributes.
pub trait KnitTerm: Sized + Copy + PartialEq + 'static {
    const TAXONOMY: &'static str;
    const ALL: &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;

    fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.code() == code)
    }

    fn taxonomy_id() -> Uuid {
        let uri = format!("https://knit.example/{}", Self::TAXONOMY);
        Uuid::new_v5(&Uuid::NAMESPACE_URL, uri.as_bytes())
    }

    fn term_id(self) -> Uuid {
        let uri = format!("https://knit.example/{}/{}", Self::TAXONOMY, self.code());
        Uuid::new_v5(&Uuid::NAMESPACE_URL, uri.as_bytes())
    }

    fn taxonomy_term(self) -> TaxonomyTerm {
        TaxonomyTerm {
            id: self.term_id(),
            code: Some(self.code().to_owned()),
            name: self.label().to_owned(),
            description: self.label().to_owned(),
            parent_id: None,
            taxonomy: Some(Self::TAXONOMY.to_owned()),
            taxonomy_id: Some(Self::taxonomy_id()),
            vocabulary: Some(Self::TAXONOMY.to_owned()),
            term_uri: None,
        }
    }
}

impl KnitTerm for WayIn {
    const TAXONOMY: &'static str = "knit-way-in";
    const ALL: &'static [WayIn] = &[WayIn::DropIn, WayIn::SelfRefer, WayIn::ReferralNeeded];
    fn code(self) -> &'static str {
        match self {
            WayIn::DropIn => "drop-in",
            WayIn::SelfRefer => "self-refer",
            WayIn::ReferralNeeded => "referral-needed",
        }
    }
    fn label(self) -> &'static str {
        match self {
            WayIn::DropIn => "Drop in",
            WayIn::SelfRefer => "Contact them yourself",
            WayIn::ReferralNeeded => "Needs a referral",
        }
    }
}

impl KnitTerm for Delivery {
    const TAXONOMY: &'static str = "knit-delivery";
    const ALL: &'static [Delivery] = &[Delivery::InPerson, Delivery::Phone, Delivery::Online];
    fn code(self) -> &'static str {
        match self {
            Delivery::InPerson => "in-person",
            Delivery::Phone => "phone",
            Delivery::Online => "online",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Delivery::InPerson => "In person",
            Delivery::Phone => "By phone",
            Delivery::Online => "Online",
        }
    }
}

impl NeedId {
    pub fn taxonomy_term(self) -> TaxonomyTerm {
        let need = self.need();
        TaxonomyTerm {
            id: self.term_id(),
            code: Some(self.as_str().to_owned()),
            name: need.label.to_owned(),
            description: need.description.to_owned(),
            parent_id: None,
            taxonomy: Some(needs::VOCABULARY.to_owned()),
            taxonomy_id: Some(needs::taxonomy_id()),
            vocabulary: Some(needs::VOCABULARY.to_owned()),
            term_uri: None,
        }
    }
}

impl Attribute {
    /// The code of the term when it belongs to the named Knit taxonomy.
    fn code_in(&self, taxonomy: &str) -> Option<&str> {
        let term = self.taxonomy_term.as_ref()?;
        let named = |t: &Option<String>| t.as_deref() == Some(taxonomy);
        (named(&term.taxonomy) || named(&term.vocabulary))
            .then_some(term.code.as_deref())
            .flatten()
    }

    fn linking(service_id: Uuid, term: TaxonomyTerm, link_type: &str) -> Attribute {
        Attribute {
            id: Uuid::new_v5(&service_id, term.id.as_bytes()),
            link_id: Some(service_id),
            link_type: Some(link_type.to_owned()),
            link_entity: Some("service".to_owned()),
            taxonomy_term_id: term.id,
            value: None,
            taxonomy_term: Some(term),
        }
    }
}

impl Service {
    /// The needs this service meets, in the order they were given. Needs are matched by
    /// their code, so a directory made elsewhere with its own term ids still counts.
    pub fn needs(&self) -> Vec<NeedId> {
        let mut out = Vec::new();
        for attribute in &self.attributes {
            if let Some(need) = attribute
                .code_in(needs::VOCABULARY)
                .and_then(|c| NeedId::parse(c).ok())
                && !out.contains(&need)
            {
                out.push(need);
            }
        }
        out
    }

    pub fn way_in(&self) -> Option<WayIn> {
        self.terms::<WayIn>().into_iter().next()
    }

    pub fn delivery(&self) -> Vec<Delivery> {
        self.terms::<Delivery>()
    }

    fn terms<T: KnitTerm>(&self) -> Vec<T> {
        let mut out = Vec::new();
        for attribute in &self.attributes {
            if let Some(term) = attribute.code_in(T::TAXONOMY).and_then(T::parse)
                && !out.contains(&term)
            {
                out.push(term);
            }
        }
        out
    }

    pub fn set_needs(&mut self, needs: &[NeedId]) {
        self.attributes
            .retain(|a| a.code_in(needs::VOCABULARY).is_none());
        for need in needs {
            self.attributes
                .push(Attribute::linking(self.id, need.taxonomy_term(), "need"));
        }
    }

    pub fn set_way_in(&mut self, way_in: WayIn) {
        self.set_terms(&[way_in]);
    }

    pub fn set_delivery(&mut self, delivery: &[Delivery]) {
        self.set_terms(delivery);
    }

    fn set_terms<T: KnitTerm>(&mut self, terms: &[T]) {
        self.attributes.retain(|a| a.code_in(T::TAXONOMY).is_none());
        for term in terms {
            self.attributes.push(Attribute::linking(
                self.id,
                term.taxonomy_term(),
                T::TAXONOMY,
            ));
        }
    }

    /// Locations people can visit or find on a map, leaving out confidential ones.
    pub fn public_locations(&self) -> impl Iterator<Item = &Location> {
        self.service_at_locations
            .iter()
            .filter_map(|sal| sal.location.as_ref())
            .filter(|l| !l.confidential)
    }

    /// Whether the service costs nothing: no cost option with a price above zero.
    pub fn is_free(&self) -> bool {
        self.cost_options
            .iter()
            .all(|c| c.amount.is_none_or(|a| a <= 0.0))
    }

    /// The same service as the public may see it: confidential places taken out.
    pub fn public_view(&self) -> Service {
        let mut public = self.clone();
        public
            .service_at_locations
            .retain(|sal| sal.location.as_ref().is_none_or(|l| !l.confidential));
        public
    }
}
