//! Demo figures for place insight, for `knit demo` only: referrals to three of the town's
//! organisations over the last two months, answered at different speeds (so their public
//! pages carry a response promise and the network page has times to show), some turned
//! down, wellbeing measured before and after, and searches that found nothing. The
//! people are invented and carry no real details.

use chrono::{DateTime, TimeDelta, Utc};
use knit_domain::account::{Email, OrganizationId, Role, UserId};
use knit_domain::casework::{
    ConsentMethod, ConsentScope, PersonDetails, Priority, SafeContact, SharedDetails, SharedPart,
};
use knit_domain::referral::{ReferralMove, ReferralResult, RejectionReason, Side};
use knit_domain::wellbeing::{Measure, Ons4Answers, Stage};
use knit_store::casework::{NewCase, NewReferral, Stamp};
use knit_store::insight::SearchMiss;
use knit_store::{ServiceFilter, Store};

/// Referrals to each of the busiest organisations.
const PER_ORGANISATION: usize = 14;

pub async fn seed(store: &dyn Store) -> anyhow::Result<()> {
    let Some(lead) = store
        .user_by_email(&Email::parse(crate::demo::DEMO_LEAD_EMAIL)?)
        .await?
    else {
        return Ok(());
    };
    let now = Utc::now();
    let services = store
        .services_after(None, 200, &ServiceFilter::default())
        .await?;
    // Three organisations, one service each, that meet a need.
    let mut chosen = Vec::new();
    for s in &services {
        if !s.needs().is_empty()
            && !chosen
                .iter()
                .any(|c: &&knit_domain::Service| c.organization_id == s.organization_id)
        {
            chosen.push(s);
        }
        if chosen.len() == 3 {
            break;
        }
    }
    for (o, service) in chosen.iter().enumerate() {
        for i in 0..PER_ORGANISATION {
            let sent = now - TimeDelta::days(60 - (i as i64 * 4)) - TimeDelta::hours(o as i64);
            refer(store, lead.id, service, sent, o, i).await?;
        }
    }
    let month = now.format("%Y-%m").to_string();
    let miss = |words: &str, area: &str, need: &str, count| SearchMiss {
        month: month.clone(),
        words: words.to_owned(),
        area: area.to_owned(),
        need: need.to_owned(),
        count,
    };
    store
        .add_search_misses(&[
            miss("benefits advice evening", "KF1", "benefits", 23),
            miss("men's shed", "KF2", "loneliness", 14),
            miss("dementia carers group", "KF1", "carers", 11),
            miss("sign language", "", "", 9),
        ])
        .await?;
    Ok(())
}

async fn refer(
    store: &dyn Store,
    coordinator: UserId,
    service: &knit_domain::Service,
    sent: DateTime<Utc>,
    o: usize,
    i: usize,
) -> anyhow::Result<()> {
    let stamp = |at| Stamp {
        by: Some(coordinator),
        role: Some(Role::Coordinator),
        at,
        address: None,
    };
    let need = service.needs()[0];
    let details = PersonDetails {
        name: format!("Demo person {}", o * PER_ORGANISATION + i + 1),
        safe_contact: SafeContact::default(),
        ..PersonDetails::default()
    };
    let person = store
        .open_case(NewCase {
            from_intake: None,
            details: details.clone(),
            coordinator,
            record_consent: ConsentMethod::Spoken,
            stamp: stamp(sent - TimeDelta::hours(2)),
        })
        .await?;
    store
        .set_need(
            person,
            need,
            Priority::Soon,
            "",
            stamp(sent - TimeDelta::hours(1)),
        )
        .await?;
    let organization = OrganizationId(service.organization_id);
    store
        .record_consent(
            person,
            ConsentScope::ShareWith {
                organization,
                purpose: "a referral".to_owned(),
            },
            ConsentMethod::Spoken,
            None,
            stamp(sent - TimeDelta::hours(1)),
        )
        .await?;
    let referral = store
        .send_referral(NewReferral {
            person,
            service_id: service.id,
            organization,
            shared: SharedDetails::of(&details, &[SharedPart::Contact], &[need], ""),
            parent: None,
            from_organization: None,
            timeline_text: "Referred".to_owned(),
            stamp: stamp(sent),
            consent_given: None,
        })
        .await?;
    // Organisation 0 answers the next day, 1 in about three days, 2 in about a week.
    let wait = [1, 3, 6][o] + (i % 3) as i64;
    let opened = sent + TimeDelta::days(wait);
    if opened > Utc::now() {
        return Ok(());
    }
    let answer = |m, at| store.move_referral(referral.id, m, Side::Receiver, None, stamp(at));
    answer(ReferralMove::Open, opened).await?;
    if i % 5 == 4 {
        answer(ReferralMove::Reject(RejectionReason::NoCapacity), opened).await?;
        return Ok(());
    }
    answer(ReferralMove::Accept, opened).await?;
    let done = opened + TimeDelta::days(7);
    if done < Utc::now() {
        answer(ReferralMove::Start, opened).await?;
        answer(ReferralMove::Complete(ReferralResult::NeedMet), done).await?;
    }
    let before = Ons4Answers::new([4, 5, 4, 6])?;
    let after = Ons4Answers::new([4 + (i % 4) as u8, 6, 5, 4])?;
    store
        .record_measure(person, Stage::Start, Measure::Ons4(before), stamp(sent))
        .await?;
    store
        .record_measure(person, Stage::End, Measure::Ons4(after), stamp(opened))
        .await?;
    Ok(())
}
