//! Two-factor sign-in: time-based one-time codes (RFC 6238) from an authenticator app, and
//! single-use recovery codes for when the phone is lost.
//!
//! Nothing here draws random bytes or reads the clock: the caller passes both in, so the
//! rules are the same in tests as in production.

use std::fmt;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, Totp};

use crate::account::Email;

/// Codes have 6 digits, change every 30 seconds and use HMAC-SHA-1: what every
/// authenticator app supports (RFC 6238's defaults).
pub const TOTP_DIGITS: u8 = 6;
pub const TOTP_STEP_SECONDS: u64 = 30;
/// One step either side is accepted, for a phone clock a little out and a slow typist.
pub const TOTP_SKEW_STEPS: u16 = 1;
/// RFC 4226 recommends a 160-bit shared secret.
pub const TOTP_SECRET_BYTES: usize = 20;
/// The issuer shown in authenticator apps beside the account.
pub const TOTP_ISSUER: &str = "Knit";

/// How many recovery codes a user gets at once; they are shown once and stored hashed.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Random bytes in each recovery code: 80 bits, written as 16 characters.
pub const RECOVERY_CODE_BYTES: usize = 10;

/// A user's shared TOTP secret. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret([u8; TOTP_SECRET_BYTES]);

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<hidden>)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the stored two-factor secret is not 32 base32 characters")]
pub struct BadTotpSecret;

/// The RFC 6238 time step a code was accepted for. Store the last one per user and pass it
/// back to [`check_code`], so that a code seen over someone's shoulder cannot be used again.
pub type TimeStep = u64;

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeRefused {
    #[error("enter the 6-digit code from your authenticator app")]
    Malformed,
    #[error("that code is not right, or has expired; try the newest code from your app")]
    Wrong,
    #[error("that code has already been used; wait for the next one")]
    Reused,
}

impl TotpSecret {
    /// A secret from 20 random bytes the caller drew from a secure source (`getrandom`).
    pub fn from_random_bytes(bytes: [u8; TOTP_SECRET_BYTES]) -> TotpSecret {
        TotpSecret(bytes)
    }

    /// The form to store (encrypted) and to type into an app by hand: 32 base32 characters.
    pub fn to_base32(&self) -> String {
        Secret::from(&self.0[..]).to_base32()
    }

    pub fn from_base32(text: &str) -> Result<TotpSecret, BadTotpSecret> {
        let cleaned: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let secret = Secret::try_from_base32(&cleaned).map_err(|_| BadTotpSecret)?;
        let bytes: [u8; TOTP_SECRET_BYTES] =
            secret.as_ref().try_into().map_err(|_| BadTotpSecret)?;
        Ok(TotpSecret(bytes))
    }

    fn totp(&self) -> Totp {
        totp_rs::Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(TOTP_DIGITS as _)
            .with_skew(TOTP_SKEW_STEPS)
            .with_step_duration(TOTP_STEP_SECONDS)
            .with_secret(&self.0[..])
            .build()
            .expect("a 160-bit secret with RFC 6238's defaults is always accepted")
    }
}

fn unix_seconds(at: DateTime<Utc>) -> u64 {
    // Before 1970 there is no valid code; step 0 is as good as any refusal.
    u64::try_from(at.timestamp()).unwrap_or(0)
}

/// The code an app shows at `at`. For tests and for confirming set-up, never for display.
pub fn code_at(secret: &TotpSecret, at: DateTime<Utc>) -> String {
    secret.totp().generate(unix_seconds(at)).to_string()
}

/// Checks a typed code at `now`, one step either side. `last_used_step` is the step of the
/// last code this user had accepted; that step and any earlier one are refused, so each code
/// works once. On success, store the returned step as the new `last_used_step`.
pub fn check_code(
    secret: &TotpSecret,
    typed: &str,
    now: DateTime<Utc>,
    last_used_step: Option<TimeStep>,
) -> Result<TimeStep, CodeRefused> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.len() != TOTP_DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeRefused::Malformed);
    }
    let totp = secret.totp();
    let origin = unix_seconds(now) / TOTP_STEP_SECONDS;
    let window =
        origin.saturating_sub(TOTP_SKEW_STEPS.into())..=origin + u64::from(TOTP_SKEW_STEPS);
    // Look at every step in the window, so a code reused within it is named as reused.
    let mut reused = false;
    for step in window {
        if totp.generate(step * TOTP_STEP_SECONDS).to_string() != code {
            continue;
        }
        if last_used_step.is_some_and(|last| step <= last) {
            reused = true;
            continue;
        }
        return Ok(step);
    }
    Err(if reused {
        CodeRefused::Reused
    } else {
        CodeRefused::Wrong
    })
}

/// The `otpauth://` URI an authenticator app reads (usually from a QR code) at set-up.
pub fn otpauth_uri(secret: &TotpSecret, account: &Email) -> String {
    let label = format!(
        "{}:{}",
        percent_encode(TOTP_ISSUER),
        percent_encode(account.as_str())
    );
    format!(
        "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={TOTP_DIGITS}&period={TOTP_STEP_SECONDS}",
        secret.to_base32().trim_end_matches('='),
        percent_encode(TOTP_ISSUER),
    )
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or copied from paper
/// cannot be mistyped into another.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Recovery codes from the caller's random bytes (10 codes of 10 bytes), written as
/// `xxxx-xxxx-xxxx-xxxx`. Show them once; store only [`hash_recovery_code`] of each.
pub fn recovery_codes(random: [[u8; RECOVERY_CODE_BYTES]; RECOVERY_CODE_COUNT]) -> Vec<String> {
    random.iter().map(encode_recovery_code).collect()
}

fn encode_recovery_code(bytes: &[u8; RECOVERY_CODE_BYTES]) -> String {
    let mut bits: u128 = 0;
    for b in bytes {
        bits = (bits << 8) | u128::from(*b);
    }
    let mut code = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        let shift = 5 * (15 - i);
        code.push(RECOVERY_ALPHABET[((bits >> shift) & 31) as usize] as char);
    }
    code
}

/// A typed recovery code in canonical form: lower case, no spaces or hyphens, and the
/// letters people confuse with digits read as those digits.
fn normalise_recovery_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_lowercase() {
            'o' => '0',
            'i' | 'l' => '1',
            other => other,
        })
        .collect()
}

/// The hash of a recovery code to store, as 64 hex digits. SHA-256 rather than argon2:
/// each code carries 80 random bits, beyond any offline guessing, and a fast hash lets a
/// sign-in compare against all ten without spending seconds.
pub fn hash_recovery_code(code: &str) -> String {
    let normal = normalise_recovery_code(code);
    hex::encode(Sha256::digest(
        format!("knit-recovery-code:{normal}").as_bytes(),
    ))
}

/// Which of the user's unused stored hashes a typed recovery code matches, if any. Mark
/// that one used (or delete it) at once: each code works once.
pub fn verify_recovery_code(typed: &str, unused_hashes: &[String]) -> Option<usize> {
    let candidate = hash_recovery_code(typed);
    let mut found = None;
    // Compare against every hash, without stopping early, so timing says nothing.
    for (i, stored) in unused_hashes.iter().enumerate() {
        if constant_time_eq(candidate.as_bytes(), stored.as_bytes()) && found.is_none() {
            found = Some(i);
        }
    }
    found
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// RFC 6238 Appendix B's SHA-1 seed: "12345678901234567890".
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_random_bytes(*b"12345678901234567890")
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(seconds, 0).unwrap()
    }

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // Appendix B gives 8 digits; a 6-digit code is the last 6 of them.
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(&rfc_secret(), at(time)), eight[2..], "at {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let secret = rfc_secret();
        let now = at(1_700_000_000);
        let step = 1_700_000_000 / 30;
        assert_eq!(
            check_code(&secret, &code_at(&secret, now), now, None),
            Ok(step)
        );
        assert_eq!(
            check_code(
                &secret,
                &code_at(&secret, at(1_700_000_000 - 30)),
                now,
                None
            ),
            Ok(step - 1)
        );
        assert_eq!(
            check_code(
                &secret,
                &code_at(&secret, at(1_700_000_000 + 30)),
                now,
                None
            ),
            Ok(step + 1)
        );
        assert_eq!(
            check_code(
                &secret,
                &code_at(&secret, at(1_700_000_000 - 90)),
                now,
                None
            ),
            Err(CodeRefused::Wrong)
        );
    }

    #[test]
    fn a_code_works_once() {
        let secret = rfc_secret();
        let now = at(1_700_000_000);
        let code = code_at(&secret, now);
        let step = check_code(&secret, &code, now, None).unwrap();
        assert_eq!(
            check_code(&secret, &code, now, Some(step)),
            Err(CodeRefused::Reused)
        );
        // An older code is refused once a newer one has been used.
        let older = code_at(&secret, at(1_700_000_000 - 30));
        assert_eq!(
            check_code(&secret, &older, now, Some(step)),
            Err(CodeRefused::Reused)
        );
        // The next code still works.
        let later = at(1_700_000_030);
        assert_eq!(
            check_code(&secret, &code_at(&secret, later), later, Some(step)),
            Ok(step + 1)
        );
    }

    #[test]
    fn codes_are_read_generously_and_refused_plainly() {
        let secret = rfc_secret();
        let now = at(1_700_000_000);
        let code = code_at(&secret, now);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(check_code(&secret, &spaced, now, None).is_ok());
        assert_eq!(
            check_code(&secret, "12345", now, None),
            Err(CodeRefused::Malformed)
        );
        assert_eq!(
            check_code(&secret, "12345a", now, None),
            Err(CodeRefused::Malformed)
        );
        assert_eq!(
            check_code(&secret, "", now, None),
            Err(CodeRefused::Malformed)
        );
    }

    #[test]
    fn a_secret_round_trips_through_base32_and_stays_out_of_debug_output() {
        let secret = TotpSecret::from_random_bytes([0xa5; 20]);
        let text = secret.to_base32();
        assert_eq!(text.len(), 32);
        assert_eq!(TotpSecret::from_base32(&text), Ok(secret.clone()));
        assert_eq!(
            TotpSecret::from_base32(&text.to_lowercase()),
            Ok(secret.clone())
        );
        assert_eq!(TotpSecret::from_base32("AAAA"), Err(BadTotpSecret));
        assert_eq!(TotpSecret::from_base32("not base32!"), Err(BadTotpSecret));
        assert!(!format!("{secret:?}").contains(&text));
    }

    #[test]
    fn the_set_up_uri_names_knit_and_the_account() {
        let email = Email::parse("mary.jones+knit@example.org").unwrap();
        let uri = otpauth_uri(&rfc_secret(), &email);
        assert_eq!(
            uri,
            "otpauth://totp/Knit:mary.jones%2Bknit%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Knit&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn ten_recovery_codes_each_work_once_however_they_are_typed() {
        let mut random = [[0u8; RECOVERY_CODE_BYTES]; RECOVERY_CODE_COUNT];
        for (i, bytes) in random.iter_mut().enumerate() {
            for (j, b) in bytes.iter_mut().enumerate() {
                *b = (i * 31 + j * 7 + 3) as u8;
            }
        }
        let codes = recovery_codes(random);
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        for code in &codes {
            assert_eq!(code.len(), 19);
            assert!(
                code.chars()
                    .all(|c| c == '-' || RECOVERY_ALPHABET.contains(&(c as u8))),
                "{code}"
            );
        }
        let mut stored: Vec<String> = codes.iter().map(|c| hash_recovery_code(c)).collect();
        assert!(
            stored
                .iter()
                .all(|h| h.len() == 64 && !codes.iter().any(|c| h.contains(c.as_str())))
        );

        // Typed in capitals, with spaces instead of hyphens, it still matches.
        let typed = codes[3].to_uppercase().replace('-', " ");
        assert_eq!(verify_recovery_code(&typed, &stored), Some(3));
        stored.remove(3);
        assert_eq!(verify_recovery_code(&codes[3], &stored), None);
        assert_eq!(verify_recovery_code("0000-0000-0000-0000", &stored), None);
    }

    #[test]
    fn letters_that_look_like_digits_read_as_digits() {
        assert_eq!(
            hash_recovery_code("0011-abcd-efgh-jkmn"),
            hash_recovery_code("OOiL abcd efgh jkmn")
        );
    }
}
