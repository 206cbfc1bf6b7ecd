//! What training sessions look like outside the site: the emails a booking sends (a seat, a
//! place on the waiting list, a promotion, a reminder the day before) and the iCalendar
//! events of the feeds. Shared by the public booking pages and the place leads' register.

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use knit_domain::icalendar::Event;
use knit_domain::opening::uk_local;
use knit_domain::training::{BookingStatus, TrainingKind};
use knit_domain::validation::one_line;
use knit_store::connectors::{BookingMail, BookingNotice, TrainingSession};

use crate::kit::language::{self, Language, t, t_with};
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

/// When a session runs, in the current language: [`when`] in English; in Welsh with the
/// catalogue's days and months ("Dydd Mercher 1 Gorffennaf 2026, 6:30pm i 8:00pm").
pub fn when_spoken(session: &TrainingSession) -> String {
    if language::current() == Language::English {
        return when(session);
    }
    let starts = uk_local(session.starts_at);
    let ends = uk_local(session.ends_at);
    format!(
        "{} {} {} {}, {} i {}",
        language::weekday_name(starts.date()),
        starts.day(),
        language::month_name(starts.date()),
        starts.year(),
        starts.format("%-I:%M%P"),
        ends.format("%-I:%M%P")
    )
}

/// Who leads a session: a trainer, or an event's host (in English: calendar feeds).
fn host_word(kind: TrainingKind) -> &'static str {
    match kind {
        TrainingKind::MatchEvent => "Host",
        _ => "Trainer",
    }
}

/// Where to go, in the current language: the place, the online link, or both.
pub fn where_(session: &TrainingSession) -> String {
    match (&session.place, &session.online_link) {
        (Some(place), Some(link)) => t_with(
            "training-where-both",
            &[("place", place.as_str()), ("link", link.as_str())],
        ),
        (Some(place), None) => place.clone(),
        (None, Some(link)) => t_with("training-where-online", &[("link", link.as_str())]),
        (None, None) => t("training-where-unknown"),
    }
}

/// The emails for a booking that was just made or promoted, with links under `base_url`,
/// in the language the booking was made in.
pub fn booking_mail(
    base_url: &str,
    site_name: &str,
    notice: &BookingNotice<'_>,
    now: DateTime<Utc>,
) -> BookingMail {
    language::speaking(notice.booking.language, || {
        spoken_booking_mail(base_url, site_name, notice, now)
    })
}

fn spoken_booking_mail(
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
    let title = one_line(&session.title);
    let when = when_spoken(session);
    let details = [
        title.clone(),
        t_with("email-booking-when", &[("when", when.as_str())]),
        t_with(
            "email-booking-where",
            &[("where", where_(session).as_str())],
        ),
        t_with(
            match session.kind {
                TrainingKind::MatchEvent => "email-booking-host",
                _ => "email-booking-trainer",
            },
            &[("name", session.trainer.as_str())],
        ),
    ]
    .join("\n");
    let what = t(match session.kind {
        TrainingKind::MatchEvent => "email-booking-what-event",
        _ => "email-booking-what-training",
    });
    let titled = |id: &str| t_with(id, &[("title", title.as_str())]);
    let (subject, opening) = match booking.status {
        BookingStatus::Waiting => (
            titled("email-booking-waiting-subject"),
            t("email-booking-waiting-opening"),
        ),
        _ if *promoted => (
            titled("email-booking-promoted-subject"),
            t("email-booking-promoted-opening"),
        ),
        _ => (
            titled("email-booking-booked-subject"),
            t("email-booking-booked-opening"),
        ),
    };
    let hello = t_with("email-hello", &[("name", one_line(&booking.name).as_str())]);
    let body = format!(
        "{hello}\n\n{opening}\n\n{details}\n\n{}\n\n{}\n{cancel}\n\n{site_name}\n",
        t_with("email-add-to-calendar", &[("link", calendar.as_str())]),
        t("email-booking-cancel"),
    );
    let message = |subject: String, body: String| Message {
        to: booking.email.clone(),
        subject,
        body,
    };
    let reminder_at = (session.starts_at - REMINDER_BEFORE).max(now);
    let reminder = message(
        t_with(
            "email-booking-reminder-subject",
            &[("title", title.as_str()), ("when", when.as_str())],
        ),
        format!(
            "{hello}\n\n{}\n\n{details}\n\n{}\n{cancel}\n\n{site_name}\n",
            t_with("email-booking-reminder-opening", &[("what", what.as_str())]),
            t("email-booking-reminder-cancel"),
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
