//! Password rules and hashing, stated once for sign-up, reset and change.
//!
//! The rules follow the NCSC's password guidance for system owners and NIST SP 800-63B: ask
//! for length, refuse the passwords attackers try first, and do not impose composition rules
//! ("one capital, one digit, one symbol"), which push people towards `Password1!`. Two-factor
//! guards every role that sees personal data, so the password is not the only lock.

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

use crate::account::Email;

/// The shortest password accepted. NIST SP 800-63B asks for at least 8 characters and the
/// NCSC recommends three random words, which are rarely under 12; 10 sits between, long
/// enough that guessing must go beyond the common lists, short enough to remember.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The longest password accepted. Long passphrases are welcome, but a bound keeps the cost of
/// hashing one predictable.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// The argon2id cost: OWASP's minimum recommended configuration (19 MiB of memory, 2
/// passes, 1 lane). Raising it here makes [`needs_rehash`] true for older hashes, so each
/// user's hash is upgraded at their next sign-in.
pub const ARGON2_MEMORY_KIB: u32 = 19_456;
pub const ARGON2_PASSES: u32 = 2;
pub const ARGON2_LANES: u32 = 1;

/// Why a new password was refused, in words for the person choosing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error(
        "your password must be at least 10 characters long; three random words together make one that is strong and easy to remember"
    )]
    TooShort,
    #[error("your password can be at most 256 characters long")]
    TooLong,
    #[error(
        "this is one of the passwords people use most, so it is easy to guess; try three random words"
    )]
    TooCommon,
    #[error(
        "this password repeats the same few characters, so it is easy to guess; try three random words"
    )]
    Repetitive,
    #[error("your password must not contain your email address")]
    ContainsEmail,
}

/// Checks a new password for the user with this email address.
pub fn check_new_password(password: &str, email: &Email) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if is_common(&lower) {
        return Err(PasswordProblem::TooCommon);
    }
    if is_repetitive(&lower) {
        return Err(PasswordProblem::Repetitive);
    }
    // A very short local part ("jo@…") would refuse too many good passwords to be worth it.
    let local = email.local_part();
    if local.chars().count() >= 3 && lower.contains(local) {
        return Err(PasswordProblem::ContainsEmail);
    }
    Ok(())
}

/// Whether a lower-cased password is on the deny-list, or is a listed one with digits and
/// symbols bolted on at either end ("Password123!", "!!sunshine2024"): attackers try those
/// forms first too.
fn is_common(lower: &str) -> bool {
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    [lower, core, squeezed.as_str()]
        .iter()
        .any(|candidate| common_passwords().any(|listed| listed == *candidate))
}

/// Whether a password is one short run of characters over and over ("aaaaaaaaaa",
/// "abcabcabcabc", "12121212121").
fn is_repetitive(lower: &str) -> bool {
    let chars: Vec<char> = lower.chars().collect();
    (1..=3).any(|unit| {
        chars.len() > unit && chars.iter().enumerate().all(|(i, c)| *c == chars[i % unit])
    })
}

fn common_passwords() -> impl Iterator<Item = &'static str> {
    COMMON_PASSWORDS.split_whitespace()
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(ARGON2_MEMORY_KIB, ARGON2_PASSES, ARGON2_LANES, None)
        .expect("the argon2 cost constants are within argon2's limits");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with argon2id and a fresh 16-byte salt from the operating system,
/// giving a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) to store as it is.
///
/// # Panics
/// If the operating system cannot supply random bytes, when no account can be made safely.
pub fn hash_password(password: &str) -> String {
    let salt = argon2::password_hash::generate_salt();
    hash_password_with_salt(password, &salt)
}

/// Hashes a password with a salt the caller chose: for callers that draw their own random
/// bytes, and for tests that need a repeatable hash. Never reuse a salt.
pub fn hash_password_with_salt(password: &str, salt: &[u8; 16]) -> String {
    hasher()
        .hash_password_with_salt(password.as_bytes(), salt)
        .expect("a 16-byte salt and a password under 4 GiB always hash")
        .to_string()
}

/// Whether `password` matches a stored PHC string. A malformed or foreign hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    hasher().verify_password(password.as_bytes(), phc).is_ok()
}

/// Spends the same time as checking a password against a real hash, and always says no. Call
/// it when no account has the email typed, so that sign-in takes as long for an address Knit
/// does not know as for one it does, and response times do not reveal who has an account.
pub fn verify_password_for_unknown_user(password: &str) -> bool {
    // Any fixed salt will do: the result is thrown away.
    let _ = hash_password_with_salt(password, b"knit-no-account!");
    false
}

/// Whether a stored hash was made with other settings than today's (older costs, another
/// algorithm), so it should be replaced by [`hash_password`] once the password is verified.
pub fn needs_rehash(phc: &str) -> bool {
    let expected =
        format!("$argon2id$v=19$m={ARGON2_MEMORY_KIB},t={ARGON2_PASSES},p={ARGON2_LANES}$");
    !phc.starts_with(&expected)
}

/// The passwords attackers try first, lower-cased: common words and names, keyboard walks,
/// digit runs, and the obvious ones for this service. Entries shorter than
/// [`MIN_PASSWORD_CHARS`] still matter, because a listed word with digits or symbols added
/// ("sunshine2024!") is refused too. One entry per word, separated by whitespace; phrases
/// are listed without their spaces, as the check squeezes spaces out.
const COMMON_PASSWORDS: &str = "
    knit knitknit knitting knitadmin knitpassword coordinator connector placelead partner
    volunteer community charity foodbank council elmbridge surrey london manchester birmingham
    england britain unitedkingdom greatbritain scotland wales
    password passw0rd p@ssword p@ssw0rd pa55word pa55w0rd passwords password1 passwordpassword
    mypassword newpassword changeme changeit letmein letmeinnow welcome welcome1 welcomehome
    secret topsecret default admin administrator adminadmin root rootroot login guest test
    testing tester testtest user username access accessdenied trustno1 nopassword temp
    temppassword iloveyou iloveyou1 loveyou lovely love lover loveme ilovemyself
    123456 1234567 12345678 123456789 1234567890 12345678910 0123456789 0987654321 9876543210
    987654321 123123 123123123 123321 1234512345 111111 1111111111 000000 0000000000 121212
    112233 11223344 123654 147258369 159753 741852963 789456123 654321 696969 987654 999999
    qwerty qwertyuiop qwerty123 qwertyui qwertz qwertzuiop azerty azertyuiop asdfgh asdfghjkl
    asdfasdf asdf zxcvbn zxcvbnm qazwsx qazwsxedc 1qaz2wsx 1q2w3e4r 1q2w3e4r5t 1q2w3e q1w2e3r4
    q1w2e3r4t5 zaq12wsx zaq1zaq1 abc123 abcdef abcdefg abcdefgh abcdefghij abcdefghijk abcd1234
    aaaaaa a1b2c3 a1b2c3d4 1a2b3c qweasd qweasdzxc asdzxc poiuytrewq mnbvcxz lkjhgfdsa 0987poiu
    1234qwer qwer1234 1234abcd pass1234 test1234
    michael jennifer jessica charlie thomas daniel matthew anthony joshua andrew robert william
    george harry oliver jack jacob james joseph samuel alexander benjamin christopher nicholas
    jordan taylor ashley amanda michelle nicole hannah sophie charlotte emily olivia amelia
    isabella jasmine daisy poppy molly bella buddy max lucky rocky ginger tigger pepper shadow
    sparky snoopy scooby bailey maggie princess prince angel angels babygirl baby sweetheart
    sweetie honey sunshine butterfly flower flowers rainbow summer winter autumn spring january
    february march april september october november december monday friday sunday christmas
    birthday family mother father mummy daddy grandma grandad nana friends friend bestfriend
    myself
    football soccer baseball basketball hockey cricket rugby tennis golf liverpool arsenal
    chelsea manutd manchesterunited tottenham everton celtic rangers leeds newcastle westham
    villa ynwa liverpool1 arsenal1 chelsea1 superman batman spiderman starwars pokemon
    minecraft fortnite harrypotter hogwarts gandalf matrix ninja pirate dragon dragons monkey
    tiger lion eagle falcon dolphin panda bear wolf mustang ferrari porsche mercedes corvette
    harley yamaha music guitar metallica nirvana slipknot eminem beatles oasis
    hello hello123 helloworld whatever freedom computer internet google facebook instagram
    youtube twitter linkedin samsung apple iphone android microsoft windows killer master
    mastermind superstar starlight blessed blessing faith jesus jesuschrist god heaven church
    trinity destiny forever together happy happiness smile peace hope trust money banana orange
    cookie cheese chocolate coffee pizza chicken purple yellow silver golden diamond ladybug
    cupcake pumpkin jordan23 michael1 shadow1 master1 football1 princess1 sunshine1 monkey1
    charlie1 qwerty1 hunter hunter2 ranger soldier thunder lightning phoenix matrix1 zxcvbnm1
    asdfghjkl1 iloveu loveu beautiful pretty cutie gorgeous fuckyou fuckoff asshole bastard
    bitch sexy letmein1 welcome123 administrator1 password123 password1234 passwordpassword1
    correcthorsebatterystaple threerandomwords
";

#[cfg(test)]
mod tests {
    use super::*;

    fn mary() -> Email {
        Email::parse("mary.jones@example.org").unwrap()
    }

    #[test]
    fn three_random_words_are_welcome() {
        assert_eq!(check_new_password("kettle orbit saffron", &mary()), Ok(()));
        assert_eq!(check_new_password("purplecanalteapot", &mary()), Ok(()));
        // No composition rules: lower-case letters alone are fine when long enough.
        assert_eq!(check_new_password("gardenbenchlamp", &mary()), Ok(()));
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert_eq!(
            check_new_password("ünïcødé😀", &mary()),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(check_new_password("ünïcødé😀ab", &mary()), Ok(()));
        assert_eq!(
            check_new_password(&"x1y2z".repeat(52), &mary()),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(check_new_password(&"abcdefgh".repeat(32), &mary()), Ok(()));
    }

    #[test]
    fn the_most_common_passwords_are_refused_even_with_digits_added() {
        for common in [
            "qwertyuiop",
            "1234567890",
            "Password123",
            "PASSWORD1234!",
            "sunshine2024!",
            "!!Liverpool1892",
            "letmein12345",
            "Knit12345678",
            "Correct Horse Battery Staple",
            "correcthorse batterystaple",
        ] {
            assert_eq!(
                check_new_password(common, &mary()),
                Err(PasswordProblem::TooCommon),
                "{common}"
            );
        }
    }

    #[test]
    fn the_same_few_characters_over_and_over_are_refused() {
        for weak in ["aaaaaaaaaaaa", "abcabcabcabc", "1212121212", "xyxyxyxyxyxy"] {
            assert_eq!(
                check_new_password(weak, &mary()),
                Err(PasswordProblem::Repetitive),
                "{weak}"
            );
        }
    }

    #[test]
    fn a_password_may_not_contain_the_email_name() {
        assert_eq!(
            check_new_password("Mary.Jones-is-great", &mary()),
            Err(PasswordProblem::ContainsEmail)
        );
        let jo = Email::parse("jo@example.org").unwrap();
        assert_eq!(check_new_password("jolly tomato wagon", &jo), Ok(()));
    }

    #[test]
    fn the_deny_list_is_lower_case_without_repeats() {
        let mut seen = std::collections::HashSet::new();
        for entry in common_passwords() {
            assert_eq!(entry, entry.to_lowercase(), "{entry}");
            assert!(seen.insert(entry), "{entry} is listed twice");
        }
        assert!(seen.len() >= 300, "{}", seen.len());
    }

    #[test]
    fn problems_are_explained_in_plain_english() {
        assert!(
            PasswordProblem::TooShort
                .to_string()
                .contains("at least 10 characters")
        );
        assert!(
            PasswordProblem::TooCommon
                .to_string()
                .contains("easy to guess")
        );
    }

    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let phc = hash_password("kettle orbit saffron");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("kettle orbit saffron", &phc));
        assert!(!verify_password("kettle orbit saffroN", &phc));
        assert!(!verify_password("kettle orbit saffron", "not a hash"));
        assert!(!needs_rehash(&phc));
        // Two hashes of one password differ, because each has its own salt.
        assert_ne!(phc, hash_password("kettle orbit saffron"));
    }

    #[test]
    fn a_hash_with_a_chosen_salt_is_repeatable() {
        let salt = [7u8; 16];
        let a = hash_password_with_salt("purplecanalteapot", &salt);
        assert_eq!(a, hash_password_with_salt("purplecanalteapot", &salt));
        assert!(verify_password("purplecanalteapot", &a));
        assert!(!verify_password_for_unknown_user("purplecanalteapot"));
    }

    #[test]
    fn an_older_or_cheaper_hash_is_marked_for_upgrade() {
        let params = Params::new(8, 1, 1, None).unwrap();
        let cheap = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_with_salt(b"purplecanalteapot", &[1u8; 16])
            .unwrap()
            .to_string();
        // It still verifies (its own costs are read from the string), but should be redone.
        assert!(verify_password("purplecanalteapot", &cheap));
        assert!(needs_rehash(&cheap));
    }
}
