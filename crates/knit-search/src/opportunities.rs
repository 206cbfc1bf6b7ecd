//! Searching volunteer roles: the same words and distances as the directory. Text goes
//! through the directory index's analyser (`directory_index::analyzer`: the same words,
//! stop words, stems and generic-word weights), and distance through the same flat
//! projection, so "driver near KF1" reads the same in both. Filters: within a distance,
//! suitable for someone new, suitable for someone recovering, no DBS check needed.

use std::collections::HashMap;

use knit_domain::geo::{FlatDistances, LatLon};
use knit_domain::volunteering::{Opportunity, Times};
use uuid::Uuid;

use crate::directory_index::analyzer::{tokens, weight_of};

/// How much a word in the title counts against one in the description.
const TITLE_WEIGHT: f32 = 3.0;
/// Skills wanted count nearly as much as the title.
const SKILL_WEIGHT: f32 = 2.0;

#[derive(Debug, Clone, Default)]
pub struct OpportunityQuery {
    pub words: String,
    pub near: Option<LatLon>,
    /// With `near`: only roles within this distance (roles with no place stay).
    pub within_km: Option<f64>,
    pub suitable_for_new: bool,
    pub suitable_for_recovering: bool,
    pub no_dbs: bool,
    /// When the person is free: only roles that happen then, or say nothing of when.
    pub free: Option<Times>,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpportunityHit {
    pub id: Uuid,
    pub score: f32,
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone)]
struct Doc {
    id: Uuid,
    position: Option<LatLon>,
    new: bool,
    recovering: bool,
    dbs: bool,
    /// When it happens, read once from the role's words.
    times: Option<Times>,
    live: bool,
}

/// The roles open now, indexed by stem.
#[derive(Debug, Clone, Default)]
pub struct OpportunityIndex {
    docs: Vec<Doc>,
    by_id: HashMap<Uuid, usize>,
    postings: HashMap<String, Vec<(u32, f32)>>,
    live: usize,
}

impl OpportunityIndex {
    pub fn new() -> OpportunityIndex {
        OpportunityIndex::default()
    }

    pub fn from_opportunities<'a>(
        all: impl IntoIterator<Item = &'a Opportunity>,
    ) -> OpportunityIndex {
        let mut index = OpportunityIndex::new();
        for o in all {
            index.upsert(o);
        }
        index
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Adds a role, or replaces it; a closed role is removed.
    pub fn upsert(&mut self, o: &Opportunity) {
        self.remove(o.id);
        if !o.open {
            return;
        }
        let n = self.docs.len() as u32;
        let mut weights: HashMap<String, f32> = HashMap::new();
        let mut add = |text: &str, field: f32| {
            for token in tokens(text) {
                let w = field * weight_of(&token.word);
                let e = weights.entry(token.stem).or_insert(0.0);
                *e = e.max(w);
            }
        };
        add(&o.plan.title, TITLE_WEIGHT);
        add(&o.plan.skills.join(" "), SKILL_WEIGHT);
        add(&o.plan.description, 1.0);
        add(&o.plan.place, 1.0);
        add(&o.organization_name, 1.0);
        add(&o.plan.when, 0.5);
        for (stem, w) in weights {
            self.postings.entry(stem).or_default().push((n, w));
        }
        self.docs.push(Doc {
            id: o.id,
            position: o.position,
            new: o.plan.suitable_for_new,
            recovering: o.plan.suitable_for_recovering,
            dbs: o.needs_dbs(),
            times: Times::read(&o.plan.when),
            live: true,
        });
        self.by_id.insert(o.id, n as usize);
        self.live += 1;
    }

    pub fn remove(&mut self, id: Uuid) {
        if let Some(n) = self.by_id.remove(&id) {
            self.docs[n].live = false;
            self.live -= 1;
        }
    }

    fn admits(
        &self,
        doc: &Doc,
        q: &OpportunityQuery,
        flat: Option<&FlatDistances>,
    ) -> Option<Option<f64>> {
        if !doc.live
            || (q.suitable_for_new && !doc.new)
            || (q.suitable_for_recovering && !doc.recovering)
            || (q.no_dbs && doc.dbs)
            || !Times::fit(q.free, doc.times)
        {
            return None;
        }
        let distance = match (flat, doc.position) {
            (Some(flat), Some(p)) => Some(flat.km(p)),
            _ => None,
        };
        if let (Some(limit), Some(d)) = (q.within_km, distance)
            && d > limit
        {
            return None;
        }
        Some(distance)
    }

    /// Matching roles, best first: more of the words, then a better score, then nearer.
    /// With no words, every role the filters admit, nearest first.
    pub fn search(&self, q: &OpportunityQuery) -> (usize, Vec<OpportunityHit>) {
        let flat = q.near.map(FlatDistances::new);
        let stems: Vec<String> = {
            let mut s: Vec<String> = tokens(&q.words).map(|t| t.stem).collect();
            s.sort();
            s.dedup();
            s
        };
        let mut hits: Vec<(u32, OpportunityHit)> = Vec::new();
        if stems.is_empty() {
            for doc in &self.docs {
                if let Some(distance_km) = self.admits(doc, q, flat.as_ref()) {
                    hits.push((
                        0,
                        OpportunityHit {
                            id: doc.id,
                            score: 0.0,
                            distance_km,
                        },
                    ));
                }
            }
        } else {
            let mut scores: HashMap<u32, (u32, f32)> = HashMap::new();
            for stem in &stems {
                for (n, w) in self.postings.get(stem).map(Vec::as_slice).unwrap_or(&[]) {
                    let e = scores.entry(*n).or_insert((0, 0.0));
                    e.0 += 1;
                    e.1 += w;
                }
            }
            for (n, (matched, score)) in scores {
                let doc = &self.docs[n as usize];
                if let Some(distance_km) = self.admits(doc, q, flat.as_ref()) {
                    hits.push((
                        matched,
                        OpportunityHit {
                            id: doc.id,
                            score,
                            distance_km,
                        },
                    ));
                }
            }
        }
        let total = hits.len();
        let far = f64::MAX;
        let order = |a: &(u32, OpportunityHit), b: &(u32, OpportunityHit)| {
            b.0.cmp(&a.0)
                .then(b.1.score.total_cmp(&a.1.score))
                .then(
                    a.1.distance_km
                        .unwrap_or(far)
                        .total_cmp(&b.1.distance_km.unwrap_or(far)),
                )
                .then(a.1.id.cmp(&b.1.id))
        };
        let limit = if q.limit == 0 { 20 } else { q.limit };
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit - 1, order);
            hits.truncate(limit);
        }
        hits.sort_by(order);
        (total, hits.into_iter().map(|(_, h)| h).collect())
    }
}

/// Synthetic roles over the same towns as the synthetic services: titles, skills and
/// filters drawn at random, placed near where services are.
pub fn synthetic_roles(n: usize, places: &[LatLon], seed: u64) -> Vec<Opportunity> {
    use knit_domain::account::OrganizationId;
    use knit_domain::synthetic::SplitMix64;
    use knit_domain::volunteering::{Check, OpportunityPlan};
    const TITLES: &[&str] = &[
        "Van driver",
        "Warehouse helper",
        "Garden volunteer",
        "Befriender",
        "Cafe helper",
        "Shop assistant",
        "Dog walker",
        "Homework club helper",
        "Community cook",
        "Trustee",
        "Receptionist",
        "Litter picker",
        "Choir accompanist",
        "Digital helper",
        "Lunch club host",
    ];
    const SKILLS: &[&str] = &[
        "driving",
        "lifting",
        "gardening",
        "listening",
        "cooking",
        "computers",
        "reading",
        "maths",
        "music",
        "first aid",
        "welsh",
        "polish",
        "accounts",
        "sewing",
        "DIY",
    ];
    let mut rng = SplitMix64::new(seed);
    (0..n)
        .map(|i| {
            let near = *rng.pick(places);
            let title = *rng.pick(TITLES);
            let skills = vec![rng.pick(SKILLS).to_string(), rng.pick(SKILLS).to_string()];
            Opportunity {
                id: Uuid::from_u128(0x5000_0000 + i as u128),
                organization_name: format!("Group {}", rng.below(5_000)),
                plan: OpportunityPlan {
                    organization: OrganizationId(Uuid::from_u128(rng.below(5_000) as u128)),
                    title: format!("{title} {}", rng.below(100)),
                    description: format!(
                        "Help our {} with {} and {}",
                        rng.pick(&["team", "neighbours", "members", "visitors"]),
                        skills[0],
                        skills[1]
                    ),
                    place: String::new(),
                    postcode: None,
                    when: rng
                        .pick(&["Mornings", "Weekends", "Evenings", "Flexible"])
                        .to_string(),
                    skills,
                    checks: if rng.chance(0.3) {
                        vec![Check::Dbs]
                    } else {
                        vec![]
                    },
                    accessibility: String::new(),
                    suitable_for_new: rng.chance(0.5),
                    suitable_for_recovering: rng.chance(0.3),
                },
                position: LatLon::new(
                    near.lat + (rng.unit() - 0.5) * 0.1,
                    near.lon + (rng.unit() - 0.5) * 0.1,
                )
                .ok(),
                open: true,
                posted_at: chrono::Utc::now(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use knit_domain::account::OrganizationId;
    use knit_domain::volunteering::{Check, OpportunityPlan};

    fn role(
        n: u128,
        title: &str,
        skills: &[&str],
        at: (f64, f64),
        dbs: bool,
        new: bool,
    ) -> Opportunity {
        Opportunity {
            id: Uuid::from_u128(n),
            organization_name: "Kestleford Food Bank".into(),
            plan: OpportunityPlan {
                organization: OrganizationId(Uuid::from_u128(99)),
                title: title.into(),
                description: "Helping our neighbours".into(),
                place: String::new(),
                postcode: None,
                when: "Weekly".into(),
                skills: skills.iter().map(|s| s.to_string()).collect(),
                checks: if dbs { vec![Check::Dbs] } else { vec![] },
                accessibility: String::new(),
                suitable_for_new: new,
                suitable_for_recovering: false,
            },
            position: LatLon::new(at.0, at.1).ok(),
            open: true,
            posted_at: Utc::now(),
        }
    }

    #[test]
    fn words_stem_like_the_directory_and_filters_apply() {
        let near = (53.0, -2.0);
        let far = (53.5, -2.0);
        let index = OpportunityIndex::from_opportunities(&[
            role(1, "Van driver", &["driving"], near, true, false),
            role(2, "Warehouse helper", &["lifting"], near, false, true),
            role(3, "Delivery driver", &["driving"], far, false, true),
        ]);
        let q = |words: &str| OpportunityQuery {
            words: words.into(),
            near: LatLon::new(near.0, near.1).ok(),
            ..OpportunityQuery::default()
        };
        let (total, hits) = index.search(&q("drivers"));
        assert_eq!(total, 2);
        assert_eq!(hits[0].id, Uuid::from_u128(1), "the nearer driver first");
        let (_, hits) = index.search(&OpportunityQuery {
            within_km: Some(10.0),
            ..q("driving")
        });
        assert_eq!(hits.len(), 1);
        let (_, hits) = index.search(&OpportunityQuery {
            no_dbs: true,
            ..q("driver")
        });
        assert_eq!(hits.iter().map(|h| h.id.as_u128()).collect::<Vec<_>>(), [3]);
        let (total, _) = index.search(&OpportunityQuery {
            suitable_for_new: true,
            ..q("")
        });
        assert_eq!(total, 2);
    }

    #[test]
    fn only_roles_that_happen_when_someone_is_free_are_found() {
        let at = (53.0, -2.0);
        let mut mornings = role(1, "Van driver", &["driving"], at, false, false);
        mornings.plan.when = "Tuesday and Friday mornings".into();
        let mut saturdays = role(2, "Minibus driver", &["driving"], at, false, false);
        saturdays.plan.when = "Saturdays".into();
        let anytime = role(3, "Delivery driver", &["driving"], at, false, false);
        let index = OpportunityIndex::from_opportunities(&[mornings, saturdays, anytime]);
        let found = |free: &str| {
            let (_, hits) = index.search(&OpportunityQuery {
                words: "driving".into(),
                free: Times::read(free),
                ..OpportunityQuery::default()
            });
            let mut ids: Vec<u128> = hits.iter().map(|h| h.id.as_u128()).collect();
            ids.sort();
            ids
        };
        assert_eq!(
            found("weekends"),
            [2, 3],
            "a role that says nothing of when stays"
        );
        assert_eq!(found("Friday morning"), [1, 3]);
        assert_eq!(found(""), [1, 2, 3]);
    }

    #[test]
    fn a_closed_role_leaves_the_index() {
        let mut index = OpportunityIndex::new();
        let mut r = role(1, "Gardener", &[], (53.0, -2.0), false, false);
        index.upsert(&r);
        assert_eq!(
            index
                .search(&OpportunityQuery {
                    words: "garden".into(),
                    ..Default::default()
                })
                .0,
            1
        );
        r.open = false;
        index.upsert(&r);
        assert!(index.is_empty());
        assert_eq!(
            index
                .search(&OpportunityQuery {
                    words: "garden".into(),
                    ..Default::default()
                })
                .0,
            0
        );
    }
}
