//! What a booking request sends: a note to whoever asked (when they gave an email), a notice
//! to the owner that a request waits, the answer, and the reminder for a request left
//! unanswered. The owner's notices name nobody: only the asset and a link.

use chrono::{DateTime, Utc};
use knit_domain::account::Email;
use knit_domain::assets::{BookingStatus, Slot};
use knit_domain::icalendar::Event;
use knit_domain::opening::uk_local;
use knit_domain::validation::one_line;
use knit_store::accounts::NewJob;
use knit_store::assets::{Asset, AssetBooking};

use crate::kit::language::{Language, speaking, t, t_with};
use crate::mail::Message;
use crate::mail::queue::email_job;

/// "Thursday 3 December 2026, 7:00pm to 9:00pm", in UK time.
pub fn when(slot: &Slot) -> String {
    let starts = uk_local(slot.starts_at);
    let ends = uk_local(slot.ends_at);
    format!(
        "{} to {}",
        starts.format("%A %-d %B %Y, %-I:%M%P"),
        ends.format("%-I:%M%P")
    )
}

/// A slot as a public page shows it: [`when`] in English, the same in Welsh with the
/// catalogue's days and months and the 24-hour clock.
pub fn slot_when(slot: &Slot) -> String {
    use crate::kit::language;
    if language::current() == language::Language::English {
        return when(slot);
    }
    let starts = uk_local(slot.starts_at);
    let ends = uk_local(slot.ends_at);
    let from = format!(
        "{}, {}",
        language::long_date_with_year(starts.date()),
        starts.format("%H:%M")
    );
    language::time_range(from, ends.format("%H:%M"))
}

/// The dates asked for, one a line: in English for owners, in the current language for
/// the requester (`spoken`).
fn dates(bookings: &[AssetBooking], spoken: bool) -> String {
    bookings
        .iter()
        .map(|b| {
            let when = if spoken {
                slot_when(&b.slot)
            } else {
                when(&b.slot)
            };
            format!("- {when}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The requester's address and the language they asked in, if they gave an address.
fn requester(bookings: &[AssetBooking]) -> Option<(Email, Language)> {
    let first = bookings.first()?;
    let to = Email::parse(&first.requester.email).ok()?;
    Some((to, first.requester.language))
}

/// The emails a new request sends: to the requester (if they gave an email) and to each of
/// `owners` (the owning organisation's staff, or the place leads).
pub fn request_mail(
    base_url: &str,
    site_name: &str,
    owners: &[Email],
    asset: &Asset,
    bookings: &[AssetBooking],
    now: DateTime<Utc>,
) -> Vec<NewJob> {
    let title = one_line(&asset.details.title);
    let mut jobs = Vec::new();
    if let Some((to, language)) = requester(bookings) {
        let name = one_line(&bookings[0].requester.name);
        let message = speaking(language, || {
            let titled = [("title", title.as_str())];
            Message {
                to,
                subject: t_with("asset-email-request-subject", &titled),
                body: format!(
                    "{}\n\n{}\n\n{}\n{}\n\n{site_name}\n",
                    t_with("email-hello", &[("name", name.as_str())]),
                    t_with("asset-email-request-body", &titled),
                    t("asset-email-you-asked"),
                    dates(bookings, true)
                ),
            }
        });
        jobs.push(email_job(message, now));
    }
    if let Some(first) = bookings.first() {
        let link = format!("{base_url}/staff/asset-bookings/{}", first.id);
        for to in owners {
            jobs.push(email_job(
                Message {
                    to: to.clone(),
                    subject: format!("A booking request is waiting: {title}"),
                    body: format!(
                        "Someone has asked to use {title}:\n{}\n\nPlease approve or decline it: \
                         {link}\n",
                        dates(bookings, false)
                    ),
                },
                now,
            ));
        }
    }
    jobs
}

/// The answer, to the requester (if they gave an email).
pub fn decision_mail(
    base_url: &str,
    site_name: &str,
    asset: &Asset,
    bookings: &[AssetBooking],
    now: DateTime<Utc>,
) -> Vec<NewJob> {
    let Some((to, language)) = requester(bookings) else {
        return Vec::new();
    };
    let first = &bookings[0];
    let title = one_line(&asset.details.title);
    let name = one_line(&first.requester.name);
    // In the language the request was made in, whatever the owner's page speaks.
    let (subject, body) = speaking(language, || {
        let titled = [("title", title.as_str())];
        let hello = t_with("email-hello", &[("name", name.as_str())]);
        match first.status {
            BookingStatus::Approved => {
                let terms = if asset.details.hire_terms.is_empty() {
                    t("asset-email-none-given")
                } else {
                    asset.details.hire_terms.clone()
                };
                let calendar = format!("{base_url}/asset-bookings/{}/calendar.ics", first.id);
                (
                    t_with("asset-email-approved-subject", &titled),
                    format!(
                        "{hello}\n\n{}\n\n{}\n\n{}\n\n{}\n\n{site_name}\n",
                        t_with("asset-email-approved-body", &titled),
                        dates(bookings, true),
                        t_with("email-add-to-calendar", &[("link", calendar.as_str())]),
                        t_with("asset-email-hire-terms", &[("terms", terms.as_str())]),
                    ),
                )
            }
            _ => {
                let reason = first
                    .reason
                    .as_deref()
                    .map_or_else(|| t("asset-email-none-given"), one_line);
                let elsewhere = format!("{base_url}/assets");
                (
                    t_with("asset-email-declined-subject", &titled),
                    format!(
                        "{hello}\n\n{}\n\n{}\n\n{}\n\n{site_name}\n",
                        t_with("asset-email-declined-body", &titled),
                        t_with("asset-email-reason", &[("reason", reason.as_str())]),
                        t_with("asset-email-elsewhere", &[("link", elsewhere.as_str())]),
                    ),
                )
            }
        }
    });
    vec![email_job(Message { to, subject, body }, now)]
}

/// A booking as an iCalendar event: the asset and the times, nothing about who asked.
pub fn event(
    asset: &Asset,
    booking: &AssetBooking,
    base_url: &str,
    host: &str,
    now: DateTime<Utc>,
) -> Event {
    let page = format!("{base_url}/assets/{}", asset.id);
    Event {
        uid: format!("asset-booking-{}@{host}", booking.id),
        stamp: now,
        starts_at: booking.slot.starts_at,
        ends_at: booking.slot.ends_at,
        summary: format!("Booked: {}", asset.details.title),
        description: Some(format!("{}. {page}", booking.status.label())),
        location: (!asset.details.area.is_empty()).then(|| asset.details.area.clone()),
        url: Some(page),
    }
}
