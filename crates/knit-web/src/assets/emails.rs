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

fn dates(bookings: &[AssetBooking]) -> String {
    bookings
        .iter()
        .map(|b| format!("- {}", when(&b.slot)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn requester_email(bookings: &[AssetBooking]) -> Option<Email> {
    bookings
        .first()
        .and_then(|b| Email::parse(&b.requester.email).ok())
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
    if let Some(to) = requester_email(bookings) {
        let name = one_line(&bookings[0].requester.name);
        jobs.push(email_job(
            Message {
                to,
                subject: format!("We have your request: {title}"),
                body: format!(
                    "Hello {name},\n\nThank you: your request to use {title} has gone to its \
                     owner, who will answer you soon.\n\nYou asked for:\n{}\n\n{site_name}\n",
                    dates(bookings)
                ),
            },
            now,
        ));
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
                        dates(bookings)
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
    let Some(to) = requester_email(bookings) else {
        return Vec::new();
    };
    let first = &bookings[0];
    let title = one_line(&asset.details.title);
    let name = one_line(&first.requester.name);
    let (subject, body) = match first.status {
        BookingStatus::Approved => (
            format!("Your booking is approved: {title}"),
            format!(
                "Hello {name},\n\nGood news: your booking of {title} is approved.\n\n{}\n\n\
                 Add it to your calendar: {base_url}/asset-bookings/{}/calendar.ics\n\n\
                 Hire terms: {}\n\n{site_name}\n",
                dates(bookings),
                first.id,
                if asset.details.hire_terms.is_empty() {
                    "none given"
                } else {
                    &asset.details.hire_terms
                },
            ),
        ),
        _ => (
            format!("Your booking request was declined: {title}"),
            format!(
                "Hello {name},\n\nSorry: your request to use {title} was declined.\n\n\
                 The reason given: {}\n\nYou may find another time or place at {base_url}/assets\n\n\
                 {site_name}\n",
                one_line(first.reason.as_deref().unwrap_or("none given")),
            ),
        ),
    };
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
