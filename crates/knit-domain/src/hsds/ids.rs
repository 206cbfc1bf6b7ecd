//! Which ids a file has used so far, so a record that reuses one is named by its path
//! before the database meets it. Services and what belongs to one service alone (phones,
//! schedules, contacts…) must each have an id of their own; organisations, locations and
//! taxonomy terms are shared between services by id, but the addresses and accessibility
//! of a location belong to that location alone.
//!
//! Memory grows with the ids (about 30 bytes each), never with the size of the file.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use uuid::Uuid;

use super::framing::Place;
use crate::Service;
use crate::validation::Problem;

/// The kinds of record whose ids must not repeat, each a table of its own.
#[derive(Clone, Copy)]
enum Kind {
    Service,
    Phone,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
    Language,
    CostOption,
    Contact,
    ContactPhone,
    Attribute,
}

const KINDS: usize = 10;

#[derive(Debug, Default)]
pub struct IdLedger {
    /// By kind: each id and the record that first used it.
    owned: [HashMap<Uuid, Place>; KINDS],
    /// Address and accessibility ids, each to its location and the record that used it.
    of_locations: [HashMap<Uuid, (Uuid, Place)>; 2],
}

impl IdLedger {
    pub fn new() -> IdLedger {
        IdLedger::default()
    }

    /// Notes the ids of one record, returning a problem for each id an earlier record (or
    /// this one, elsewhere) has used. Paths are below the record.
    pub fn note(&mut self, at: Place, service: &Service) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut own = |kind: Kind, id: Uuid, path: String| {
            // The first user keeps the id, so a third use is named against it too.
            match self.owned[kind as usize].entry(id) {
                Entry::Occupied(first) => {
                    let first = *first.get();
                    problems.push(Problem {
                        path,
                        reason: if first == at {
                            format!("{id} is used twice in this service")
                        } else {
                            format!("{id} is already the id of one in {first}")
                        },
                    });
                }
                Entry::Vacant(vacant) => {
                    vacant.insert(at);
                }
            }
        };
        own(Kind::Service, service.id, "id".into());
        let lists: [(Kind, &str, Vec<Uuid>); 8] = [
            (
                Kind::Phone,
                "phones",
                service.phones.iter().map(|p| p.id).collect(),
            ),
            (
                Kind::Schedule,
                "schedules",
                service.schedules.iter().map(|s| s.id).collect(),
            ),
            (
                Kind::ServiceArea,
                "service_areas",
                service.service_areas.iter().map(|a| a.id).collect(),
            ),
            (
                Kind::ServiceAtLocation,
                "service_at_locations",
                service.service_at_locations.iter().map(|s| s.id).collect(),
            ),
            (
                Kind::Language,
                "languages",
                service.languages.iter().map(|l| l.id).collect(),
            ),
            (
                Kind::CostOption,
                "cost_options",
                service.cost_options.iter().map(|c| c.id).collect(),
            ),
            (
                Kind::Contact,
                "contacts",
                service.contacts.iter().map(|c| c.id).collect(),
            ),
            (
                Kind::Attribute,
                "attributes",
                service.attributes.iter().map(|a| a.id).collect(),
            ),
        ];
        for (kind, name, ids) in lists {
            for (i, id) in ids.into_iter().enumerate() {
                own(kind, id, format!("{name}[{i}].id"));
            }
        }
        for (c, contact) in service.contacts.iter().enumerate() {
            for (p, phone) in contact.phones.iter().enumerate() {
                own(
                    Kind::ContactPhone,
                    phone.id,
                    format!("contacts[{c}].phones[{p}].id"),
                );
            }
        }
        for (s, sal) in service.service_at_locations.iter().enumerate() {
            let Some(location) = &sal.location else {
                continue;
            };
            let parts: [(&str, Vec<Uuid>); 2] = [
                (
                    "addresses",
                    location.addresses.iter().map(|a| a.id).collect(),
                ),
                (
                    "accessibility",
                    location.accessibility.iter().map(|a| a.id).collect(),
                ),
            ];
            for (part, (name, ids)) in parts.into_iter().enumerate() {
                for (i, &id) in ids.iter().enumerate() {
                    if ids[..i].contains(&id) {
                        problems.push(Problem {
                            path: format!("service_at_locations[{s}].location.{name}[{i}].id"),
                            reason: format!("{id} is used twice in this location"),
                        });
                        continue;
                    }
                    let seen = &mut self.of_locations[part];
                    match seen.get(&id) {
                        Some(&(owner, first)) if owner != location.id => {
                            problems.push(Problem {
                                path: format!("service_at_locations[{s}].location.{name}[{i}].id"),
                                reason: format!(
                                    "{id} already belongs to another location, in {first}"
                                ),
                            });
                        }
                        Some(_) => {}
                        None => {
                            seen.insert(id, (location.id, at));
                        }
                    }
                }
            }
        }
        problems
    }
}
