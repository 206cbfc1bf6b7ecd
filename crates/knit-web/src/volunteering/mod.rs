//! Volunteering and peer connection: the public roles and "I'm interested" (`public`), the
//! organisation's roles and the offers it answers (`staff`), the chaser for unanswered
//! offers (`chaser`), volunteer match events and their follow-up (`match_events`), a
//! person's strengths kept by their coordinator (`strengths`) or offered by a resident to
//! see what fits (`what_fits`), and introductions between people who opted in to meet a
//! peer (`introductions`). The search of roles lives in the process like the directory's,
//! kept current from the store ([`OpportunitySearch`]).

pub mod chaser;
pub mod introductions;
pub mod match_events;
pub mod public;
pub mod staff;
pub mod strengths;
pub mod what_fits;

use std::sync::RwLock;
use std::time::Duration;

use knit_domain::account::OrganizationId;
use knit_domain::volunteering::{Opportunity, usual_reply_days};
use knit_search::opportunities::{OpportunityHit, OpportunityIndex, OpportunityQuery};
use knit_store::{Store, StoreError};

/// Roles read from the store at a time while loading.
const LOAD_BATCH: u32 = 2_000;

/// The bounds on fetching a partner's calendar feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedLimits {
    pub max_bytes: usize,
    pub timeout: Duration,
    /// Whether a feed may live on this machine or its private network. Never in a running
    /// Knit (a place lead's address must not reach the database or a cloud's metadata
    /// service); only tests that serve a feed from this machine turn it on.
    pub private_addresses: bool,
}

impl Default for FeedLimits {
    fn default() -> FeedLimits {
        FeedLimits {
            max_bytes: 1024 * 1024,
            timeout: Duration::from_secs(10),
            private_addresses: false,
        }
    }
}

/// What volunteering and activities keep in the process: the search of open roles and the
/// limits on fetching feeds.
pub struct VolunteeringState {
    search: RwLock<(Option<String>, OpportunityIndex)>,
    feed_limits: RwLock<FeedLimits>,
}

impl Default for VolunteeringState {
    fn default() -> VolunteeringState {
        VolunteeringState::new()
    }
}

impl VolunteeringState {
    pub fn new() -> VolunteeringState {
        VolunteeringState {
            search: RwLock::new((None, OpportunityIndex::new())),
            feed_limits: RwLock::new(FeedLimits::default()),
        }
    }

    pub fn feed_limits(&self) -> FeedLimits {
        self.feed_limits.read().map(|l| *l).unwrap_or_default()
    }

    /// Sets the bounds on fetching feeds (tests use small ones).
    pub fn set_feed_limits(&self, limits: FeedLimits) {
        if let Ok(mut l) = self.feed_limits.write() {
            *l = limits;
        }
    }

    /// Rebuilds the search of roles if any instance posted or changed one since it was
    /// built: one small query when nothing changed.
    pub async fn refresh(&self, store: &dyn Store) -> Result<(), StoreError> {
        let version = store.opportunities_version().await?;
        if self
            .search
            .read()
            .map(|s| s.0.as_deref() == Some(version.as_str()))
            .unwrap_or(false)
        {
            return Ok(());
        }
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = store.open_opportunities(after, LOAD_BATCH).await?;
            after = page.last().map(|o| o.id);
            let done = page.len() < LOAD_BATCH as usize;
            all.extend(page);
            if done {
                break;
            }
        }
        let index = OpportunityIndex::from_opportunities(&all);
        if let Ok(mut s) = self.search.write() {
            *s = (Some(version), index);
        }
        Ok(())
    }

    pub fn search(&self, query: &OpportunityQuery) -> (usize, Vec<OpportunityHit>) {
        self.search
            .read()
            .map(|s| s.1.search(query))
            .unwrap_or_default()
    }

    /// Takes in a role just posted here, before any reload.
    pub fn upsert(&self, opportunity: &Opportunity) {
        if let Ok(mut s) = self.search.write() {
            s.1.upsert(opportunity);
        }
    }
}

/// "usually replies in 2 working days", from the organisation's offers in the last 90 days.
pub async fn reply_figure(
    store: &dyn Store,
    organization: OrganizationId,
) -> Result<Option<String>, StoreError> {
    let now = chrono::Utc::now();
    let times = store
        .reply_times(organization, now - knit_domain::volunteering::REPLY_WINDOW)
        .await?;
    Ok(usual_reply_days(&times, now).map(|days| crate::t_count("volunteer-replies", days)))
}

/// The link to a staff page, absolute when the public address is configured.
pub(crate) fn staff_link(base_url: &str, path: &str) -> String {
    format!("{}{path}", base_url.trim_end_matches('/'))
}
