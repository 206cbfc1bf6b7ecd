//! What training sessions look like outside the site: the emails a booking sends (a seat, a
//! place on the waiting list, a promotion, a reminder the day before) and the iCalendar
//! events of the feeds. Shared by the public booking pages and the place leads' register.

use chrono::{DateTime, TimeDelta, Utc};
use knit_domain::icalendar::Event;
use knit_domain::opening::uk_local;
use knit_domain::training::{BookingStatus, TrainingKind};
use knit_store::connectors::{BookingMail, BookingNotice, TrainingSession};

use crate::mail::Message;
use crate::mail::queue::email_job;

/// How long before a session its reminder goes.
pub const REMINDER_BEFORE: TimeDelta = TimeDelta::days(1);

/// "Wednesday 1 July 2026, 6:30pm to 8:00pm", in UK time.
pub fn when(session: &TrainingSession) -> String {
    let starts = uk_local(session.starts_at);
    let ends = uk_local(session.ends_at);
    format!(
        "{} to {}",
        starts.format("%A %-d %B %Y, %-I:%M%P"),
        ends.format("%-I:%M%P")
    )
}

/// Who leads a session: a trainer, or an event's host.
fn host_word(kind: TrainingKind) -> &'static str {
    match kind {
        TrainingKind::MatchEvent => "Host",
        _ => "Trainer",
    }
}

/// Where to go: the place, the online link, or both.
pub fn where_(session: &TrainingSession) -> String {
    match (&session.place, &session.online_link) {
        (Some(place), Some(link)) => format!("{place}, or online: {link}"),
        (Some(place), None) => place.clone(),
        (None, Some(link)) => format!("Online: {link}"),
        (None, None) => "to be confirmed".to_owned(),
    }
}

/// The emails for a booking that was just made or promoted, with links under `base_url`.
pub fn booking_mail(
    base_url: &str,
    site_name: &str,
    notice: &BookingNotice<'_>,
    now: DateTime<Utc>,
) -> BookingMail {
    let BookingNotice {
        booking,
        session,
        cancel_token,
        promoted,
    } = notice;
    let cancel = format!("{base_url}/bookings/{cancel_token}/cancel");
    let calendar = format!("{base_url}/training/{}/calendar.ics", session.id);
    let details = format!(
        "{title}\nWhen: {when}\nWhere: {where_}\n{host}: {trainer}",
        title = session.title,
        when = when(session),
        where_ = where_(session),
        host = host_word(session.kind),
        trainer = session.trainer,
    );
    let what = match session.kind {
        TrainingKind::MatchEvent => "volunteer match event",
        _ => "training session",
    };
    let (subject, opening) = match booking.status {
        BookingStatus::Waiting => (
            format!("You are on the waiting list: {}", session.title),
            "The session is full, so you are on the waiting list. If a place comes free, \
             the first person waiting gets it and we email you straight away."
                .to_owned(),
        ),
        _ if *promoted => (
            format!("A place has come free for you: {}", session.title),
            "Good news: someone cancelled and you were first on the waiting list, so the \
             place is yours."
                .to_owned(),
        ),
        _ => (
            format!("You are booked: {}", session.title),
            "Thank you for booking. Your place is confirmed.".to_owned(),
        ),
    };
    let body = format!(
        "Hello {name},\n\n{opening}\n\n{details}\n\n\
         Add it to your calendar: {calendar}\n\n\
         If you cannot come, please cancel so someone else can have the place:\n{cancel}\n\n\
         {site_name}\n",
        name = booking.name,
    );
    let message = |subject: String, body: String| Message {
        to: booking.email.clone(),
        subject,
        body,
    };
    let reminder_at = (session.starts_at - REMINDER_BEFORE).max(now);
    let reminder = message(
        format!("Reminder: {}, {}", session.title, when(session)),
        format!(
            "Hello {name},\n\nA reminder of your {what}:\n\n{details}\n\n\
             If you cannot come after all, please cancel so someone else can have the \
             place:\n{cancel}\n\n{site_name}\n",
            name = booking.name,
        ),
    );
    BookingMail {
        now: email_job(message(subject, body), now),
        reminder: Some(email_job(reminder, reminder_at)),
    }
}

/// A session as an iCalendar event, with a uid that stays the same across feeds.
pub fn event(session: &TrainingSession, base_url: &str, host: &str, now: DateTime<Utc>) -> Event {
    let page = format!("{base_url}/training/{}", session.id);
    Event {
        uid: format!("training-{}@{host}", session.id),
        stamp: now,
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        summary: session.title.clone(),
        description: Some(format!(
            "{kind}. {host}: {trainer}. Book or read more: {page}",
            kind = session.kind.label(),
            host = host_word(session.kind),
            trainer = session.trainer
        )),
        location: session
            .place
            .clone()
            .or_else(|| session.online_link.clone()),
        url: Some(page),
    }
}
