//! How long signing in lasts, how long emailed links last, and when sign-in attempts are
//! slowed down. The store keeps the sessions, links and failures; these rules say what they
//! mean, given the time the caller passes in.

use chrono::{DateTime, TimeDelta, Utc};
use sha2::{Digest, Sha256};

/// A staff session ends after this long without a request, so a desk left unattended does
/// not stay open on someone's records.
pub const IDLE_TIMEOUT: TimeDelta = TimeDelta::minutes(30);
/// A staff session ends this long after sign-in however busy it is: a working day.
pub const ABSOLUTE_TIMEOUT: TimeDelta = TimeDelta::hours(12);
/// A password-reset link works once, within this long of being sent.
pub const RESET_LINK_LIFETIME: TimeDelta = TimeDelta::minutes(30);
/// An invitation link works once, within this long of being sent.
pub const INVITATION_LIFETIME: TimeDelta = TimeDelta::days(7);

/// Failed sign-ins older than this no longer count against an account or an address; the
/// store need only look back this far.
pub const THROTTLE_WINDOW: TimeDelta = TimeDelta::minutes(15);
/// Failed sign-ins for one account from one address within the window before that address
/// must wait to try that account again. A person who forgot their password gets this many
/// tries; a guesser gets this many per window and address. Failures from other addresses
/// never hold the account's owner back, so nobody can lock a colleague out of their work.
pub const MAX_ACCOUNT_FAILURES: usize = 5;
/// Failed sign-ins for one account, from anywhere, within the window that make a burst: the
/// account's owner and the place leads are told (once, as the count reaches it), since many
/// addresses guessing one account is an attack nobody should miss.
pub const BURST_FAILURES: usize = 10;
/// Failed sign-ins from one address within the window before it must wait. Higher than
/// for an account, because a whole office or library can share one address.
pub const MAX_ADDRESS_FAILURES: usize = 20;

/// Random bytes in a session id, a CSRF token, a reset link or an invitation link: 256 bits,
/// beyond guessing however many are live at once.
pub const TOKEN_BYTES: usize = 32;

/// A secret token, as sent to the browser or put in an emailed link: 64 hex digits made
/// from the caller's random bytes (drawn from `getrandom`, never a seeded generator).
pub fn token_from_random(bytes: [u8; TOKEN_BYTES]) -> String {
    hex::encode(bytes)
}

/// What the database keeps of a session id or link token: its SHA-256, so that someone who
/// reads a copy of the database cannot use what they find there to sign in. Look tokens up
/// by this digest; the token itself is never stored or logged.
pub fn token_digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Where a session stands at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Live,
    /// No request for [`IDLE_TIMEOUT`].
    IdleExpired,
    /// [`ABSOLUTE_TIMEOUT`] since sign-in.
    AbsoluteExpired,
}

/// Where a session created at `created` and last used at `last_seen` stands at `now`.
pub fn session_state(
    created: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    now: DateTime<Utc>,
) -> SessionState {
    if now - created >= ABSOLUTE_TIMEOUT {
        SessionState::AbsoluteExpired
    } else if now - last_seen >= IDLE_TIMEOUT {
        SessionState::IdleExpired
    } else {
        SessionState::Live
    }
}

pub fn session_is_live(
    created: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    session_state(created, last_seen, now) == SessionState::Live
}

/// Which kind of emailed link, for its lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailedLink {
    PasswordReset,
    Invitation,
}

impl EmailedLink {
    pub fn lifetime(self) -> TimeDelta {
        match self {
            EmailedLink::PasswordReset => RESET_LINK_LIFETIME,
            EmailedLink::Invitation => INVITATION_LIFETIME,
        }
    }
}

/// Why an emailed link no longer works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkRefused {
    #[error("this link has already been used; ask for a new one")]
    AlreadyUsed,
    #[error("this link has expired; ask for a new one")]
    Expired,
}

/// Whether a link sent at `issued` (and used at `used`, if it has been) may be used at `now`.
pub fn link_usable(
    link: EmailedLink,
    issued: DateTime<Utc>,
    used: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), LinkRefused> {
    if used.is_some() {
        return Err(LinkRefused::AlreadyUsed);
    }
    if now - issued >= link.lifetime() || now < issued {
        return Err(LinkRefused::Expired);
    }
    Ok(())
}

/// What is being slowed down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttled {
    Account,
    Address,
}

/// A refused sign-in attempt: wait this long before trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many attempts to sign in; try again in {} minute(s)", (self.wait.num_seconds() + 59) / 60)]
pub struct RetryAfter {
    pub wait: TimeDelta,
    pub because: Throttled,
}

/// Whether a sign-in may be attempted at `now`, given the times of recent failures (any
/// order; those older than [`THROTTLE_WINDOW`] are ignored): for the account typed *from the
/// address asking*, and from that address for any account. Refuses before the password is
/// checked, so a guesser learns nothing from a throttled attempt. Failures for an email with
/// no account count against that email too, so throttling does not reveal which emails have
/// accounts. (Asking for reset links passes the account's failures from anywhere: that
/// limits emails, never signing in.)
pub fn sign_in_allowed(
    account_failures: &[DateTime<Utc>],
    address_failures: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> Result<(), RetryAfter> {
    let account = wait_needed(account_failures, MAX_ACCOUNT_FAILURES, now);
    let address = wait_needed(address_failures, MAX_ADDRESS_FAILURES, now);
    match (account, address) {
        (None, None) => Ok(()),
        (Some(a), Some(b)) if b > a => Err(RetryAfter {
            wait: b,
            because: Throttled::Address,
        }),
        (Some(a), _) => Err(RetryAfter {
            wait: a,
            because: Throttled::Account,
        }),
        (None, Some(b)) => Err(RetryAfter {
            wait: b,
            because: Throttled::Address,
        }),
    }
}

/// Whether this failure, the newest of `account_anywhere`, is the one that makes a burst
/// ([`BURST_FAILURES`] within the window): true exactly once as the count reaches it.
pub fn completes_burst(account_anywhere: &[DateTime<Utc>], now: DateTime<Utc>) -> bool {
    let recent = account_anywhere
        .iter()
        .filter(|t| **t <= now && now - **t < THROTTLE_WINDOW)
        .count();
    recent == BURST_FAILURES
}

/// How long until fewer than `limit` of these failures fall within the window, if that is
/// not already so.
fn wait_needed(failures: &[DateTime<Utc>], limit: usize, now: DateTime<Utc>) -> Option<TimeDelta> {
    let mut recent: Vec<DateTime<Utc>> = failures
        .iter()
        .copied()
        .filter(|t| *t <= now && now - *t < THROTTLE_WINDOW)
        .collect();
    if recent.len() < limit {
        return None;
    }
    recent.sort_unstable();
    // Once the oldest of the newest `limit` failures leaves the window, only limit - 1 remain.
    let releasing = recent[recent.len() - limit];
    Some(releasing + THROTTLE_WINDOW - now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn nine_am() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
    }

    fn minutes(m: i64) -> TimeDelta {
        TimeDelta::minutes(m)
    }

    #[test]
    fn tokens_are_long_and_only_their_digest_is_stored() {
        let token = token_from_random([0xab; TOKEN_BYTES]);
        assert_eq!(token.len(), 64);
        let digest = token_digest(&token);
        assert_eq!(digest.len(), 64);
        assert_ne!(digest, token);
        assert_eq!(digest, token_digest(&token));
        assert_ne!(
            digest,
            token_digest(&token_from_random([0xac; TOKEN_BYTES]))
        );
    }

    #[test]
    fn a_session_in_use_lasts_a_working_day_and_no_longer() {
        let start = nine_am();
        // Busy all day, a request every 20 minutes.
        assert!(session_is_live(
            start,
            start + minutes(11 * 60 + 40),
            start + minutes(11 * 60 + 50)
        ));
        assert_eq!(
            session_state(start, start + minutes(719), start + minutes(720)),
            SessionState::AbsoluteExpired
        );
    }

    #[test]
    fn a_session_left_alone_for_half_an_hour_ends() {
        let start = nine_am();
        assert!(session_is_live(
            start,
            start + minutes(10),
            start + minutes(39)
        ));
        assert_eq!(
            session_state(start, start + minutes(10), start + minutes(40)),
            SessionState::IdleExpired
        );
    }

    #[test]
    fn a_reset_link_works_once_within_half_an_hour() {
        let sent = nine_am();
        let reset = EmailedLink::PasswordReset;
        assert_eq!(link_usable(reset, sent, None, sent + minutes(29)), Ok(()));
        assert_eq!(
            link_usable(reset, sent, None, sent + minutes(30)),
            Err(LinkRefused::Expired)
        );
        assert_eq!(
            link_usable(reset, sent, Some(sent + minutes(1)), sent + minutes(2)),
            Err(LinkRefused::AlreadyUsed)
        );
        assert_eq!(
            link_usable(reset, sent, None, sent - minutes(1)),
            Err(LinkRefused::Expired)
        );
    }

    #[test]
    fn an_invitation_lasts_a_week() {
        let sent = nine_am();
        let invite = EmailedLink::Invitation;
        assert_eq!(
            link_usable(invite, sent, None, sent + TimeDelta::days(6)),
            Ok(())
        );
        assert_eq!(
            link_usable(invite, sent, None, sent + TimeDelta::days(7)),
            Err(LinkRefused::Expired)
        );
    }

    #[test]
    fn five_wrong_passwords_make_an_account_wait_until_the_oldest_leaves_the_window() {
        let now = nine_am();
        let four: Vec<_> = (1..=4).map(|m| now - minutes(m)).collect();
        assert_eq!(sign_in_allowed(&four, &four, now), Ok(()));
        let five: Vec<_> = (1..=5).map(|m| now - minutes(m)).collect();
        // The oldest of the five was 5 minutes ago, so it leaves the 15-minute window in 10.
        assert_eq!(
            sign_in_allowed(&five, &five, now),
            Err(RetryAfter {
                wait: minutes(10),
                because: Throttled::Account
            })
        );
        assert_eq!(sign_in_allowed(&five, &five, now + minutes(10)), Ok(()));
        // Failures from long ago do not count.
        let old: Vec<_> = (16..=30).map(|m| now - minutes(m)).collect();
        assert_eq!(sign_in_allowed(&old, &old, now), Ok(()));
    }

    #[test]
    fn one_address_trying_many_accounts_is_slowed_too() {
        let now = nine_am();
        let spread: Vec<_> = (0..20)
            .map(|s| now - TimeDelta::seconds(30 * s + 1))
            .collect();
        let refused = sign_in_allowed(&[], &spread, now).unwrap_err();
        assert_eq!(refused.because, Throttled::Address);
        assert!(refused.wait > TimeDelta::zero() && refused.wait <= THROTTLE_WINDOW);
        assert_eq!(
            refused.to_string(),
            "too many attempts to sign in; try again in 6 minute(s)"
        );
    }

    #[test]
    fn the_longer_wait_is_the_one_given() {
        let now = nine_am();
        let account: Vec<_> = (1..=5).map(|m| now - minutes(m)).collect();
        let address: Vec<_> = (1..=20).map(|_| now - minutes(14)).collect();
        assert_eq!(
            sign_in_allowed(&account, &address, now),
            Err(RetryAfter {
                wait: minutes(10),
                because: Throttled::Account
            })
        );
        let address: Vec<_> = (1..=20).map(|_| now - minutes(1)).collect();
        assert_eq!(
            sign_in_allowed(&account, &address, now),
            Err(RetryAfter {
                wait: minutes(14),
                because: Throttled::Address
            })
        );
    }

    #[test]
    fn a_burst_is_noticed_once_as_it_reaches_the_threshold() {
        let now = nine_am();
        let failures = |n: usize| -> Vec<DateTime<Utc>> {
            (0..n).map(|i| now - TimeDelta::seconds(i as i64)).collect()
        };
        assert!(!completes_burst(&failures(BURST_FAILURES - 1), now));
        assert!(completes_burst(&failures(BURST_FAILURES), now));
        assert!(!completes_burst(&failures(BURST_FAILURES + 1), now));
        let old: Vec<_> = failures(BURST_FAILURES)
            .into_iter()
            .map(|t| t - THROTTLE_WINDOW)
            .collect();
        assert!(
            !completes_burst(&old, now),
            "failures outside the window do not count"
        );
    }
}
