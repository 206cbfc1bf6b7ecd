//! What the store promises about staff accounts, told as stories: a coordinator signs in, a
//! place lead suspends someone, a reset link is used, someone guesses passwords, codes are
//! typed, two hundred things happen at once in the audit log and someone tampers with it,
//! email jobs fail and are retried, a partner's listing change waits for a place lead, and
//! a problem report is answered. Each runs on SQLite and on PostgreSQL.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use knit_domain::account::{Actor, Email, Membership, OrganizationId, Role, UserId, UserStatus};
use knit_domain::audit::{
    AccountEvent, BrokenLink, LinkProblem, NewAuditEvent, Outcome, chain, verify,
};
use knit_domain::listing_change::{ListingChangeStatus, ReviewRefused};
use knit_domain::public_forms::{
    PUBLIC_REQUESTS_PER_WINDOW, PUBLIC_WINDOW, PublicForm, public_request_allowed,
};
use knit_domain::session::{EmailedLink, LinkRefused, THROTTLE_WINDOW, Throttled, sign_in_allowed};
use knit_domain::totp::{
    CodeRefused, TotpSecret, check_code, code_at, hash_recovery_code, recovery_codes,
    verify_recovery_code,
};
use knit_store::accounts::{
    AuditCheck, AuditFilter, JOB_LEASE, JobFate, JobState, LinkError, ListingChangeError,
    ListingReview, NewJob, NewLink, NewListingChange, NewProblemNote, NewSession, NewUser,
    NewUserError, ProblemNoteKind, SessionRandom, StartSessionError, TwoFactor, job_retry_delay,
    verify_audit_log,
};
use knit_store::{SharedStore, Store, StoreError};
use sqlx::{AssertSqlSafe, Connection};
use uuid::Uuid;

use crate::fixtures::rich_service;
use crate::{Cleanup, Db};

// --- helpers ---

fn nine_am() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

/// 32 random bytes, as a caller draws them for a token.
fn random32() -> [u8; 32] {
    let mut out = [0u8; 32];
    out[..16].copy_from_slice(Uuid::new_v4().as_bytes());
    out[16..].copy_from_slice(Uuid::new_v4().as_bytes());
    out
}

fn random_session() -> SessionRandom {
    SessionRandom {
        token: random32(),
        csrf: random32(),
    }
}

fn email(address: &str) -> Email {
    Email::parse(address).unwrap()
}

async fn new_user(
    store: &dyn Store,
    name: &str,
    address: &str,
    status: UserStatus,
    memberships: Vec<Membership>,
) -> UserId {
    store
        .create_user(NewUser {
            name: name.into(),
            email: email(address),
            status,
            // Any PHC string will do for the store; sign-in stories check it elsewhere.
            password_hash: (status == UserStatus::Active).then(|| {
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".into()
            }),
            memberships,
            at: nine_am(),
        })
        .await
        .unwrap()
        .id
}

fn signed_in(user: Option<UserId>, replaces: Option<&str>, at: DateTime<Utc>) -> NewSession<'_> {
    NewSession {
        user,
        two_factor_passed: false,
        replaces,
        random: random_session(),
        at,
    }
}

/// A plain connection to the story's database, beside the store, for doing what Knit never
/// does: editing the audit log behind its back.
enum Raw {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Raw {
    async fn open(db: &Db) -> Raw {
        match &db.cleanup {
            Cleanup::File(dir) => {
                let path = dir.path().join("knit.db");
                Raw::Sqlite(
                    sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                        .await
                        .unwrap(),
                )
            }
            Cleanup::Schema { url, schema } => {
                let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::query(AssertSqlSafe(format!("SET search_path TO {schema}")))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                Raw::Postgres(conn)
            }
        }
    }

    async fn execute(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_owned());
        match self {
            Raw::Sqlite(conn) => sqlx::query(sql)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()),
            Raw::Postgres(conn) => sqlx::query(sql)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()),
        }
    }

    /// Lets the story change the log, as someone with the database's password could.
    async fn drop_audit_triggers(&mut self) {
        let statements: &[&str] = match self {
            Raw::Sqlite(_) => &[
                "DROP TRIGGER audit_events_refuse_update",
                "DROP TRIGGER audit_events_refuse_delete",
            ],
            Raw::Postgres(_) => &["DROP TRIGGER audit_events_refuse_change ON audit_events"],
        };
        for sql in statements {
            self.execute(sql).await.unwrap();
        }
    }
}

// --- stories ---

/// Asha, a coordinator, opens the sign-in page (an anonymous session for its CSRF secret),
/// signs in, and works through the morning.
pub async fn a_coordinator_signs_in_with_a_new_session(db: &Db) {
    let store = db.store();
    let asha = new_user(
        store,
        "Asha Patel",
        "Asha.Patel@Example.org",
        UserStatus::Active,
        vec![Membership::coordinator()],
    )
    .await;
    let t0 = nine_am();

    let before = store
        .start_session(signed_in(None, None, t0))
        .await
        .unwrap();
    let anonymous = store.session(&before.token, t0).await.unwrap().unwrap();
    assert_eq!(anonymous.user, None);
    assert_eq!(anonymous.csrf_secret, before.csrf_secret);
    assert_eq!(before.token.len(), 64);

    // Signing in gives a new id and ends the one from before, so an id planted in her
    // browser before sign-in is worth nothing after it.
    let after = store
        .start_session(signed_in(Some(asha), Some(&before.token), t0))
        .await
        .unwrap();
    assert_ne!(after.token, before.token);
    assert_ne!(after.csrf_secret, before.csrf_secret);
    assert_eq!(store.session(&before.token, t0).await.unwrap(), None);
    assert!(!store.touch_session(&before.token, t0).await.unwrap());
    let live = store.session(&after.token, t0).await.unwrap().unwrap();
    assert_eq!(live.user, Some(asha));
    assert_eq!(live.created_at, t0);
    assert!(!live.two_factor_passed);
    assert!(
        !format!("{live:?}").contains(&live.csrf_secret),
        "Debug hides the secret"
    );

    assert!(store.pass_two_factor(&after.token).await.unwrap());
    assert!(
        !store.pass_two_factor(&before.token).await.unwrap(),
        "an ended session cannot pass two-factor"
    );
    assert!(
        store
            .session(&after.token, t0)
            .await
            .unwrap()
            .unwrap()
            .two_factor_passed
    );

    // Signing in again elsewhere gives yet another id; both stay live.
    let laptop = store
        .start_session(signed_in(Some(asha), None, t0 + minutes(1)))
        .await
        .unwrap();
    assert_ne!(laptop.token, after.token);
    assert!(
        store
            .session(&after.token, t0 + minutes(1))
            .await
            .unwrap()
            .is_some()
    );

    // A request every 20 minutes keeps her signed in; half an hour idle does not.
    let mut now = t0;
    for _ in 0..6 {
        now += minutes(20);
        assert!(store.session(&after.token, now).await.unwrap().is_some());
        assert!(store.touch_session(&after.token, now).await.unwrap());
    }
    assert_eq!(
        store
            .session(&after.token, now)
            .await
            .unwrap()
            .unwrap()
            .last_seen_at,
        now
    );
    // Requests moments apart are not each written: the next write waits a minute.
    let moment = now + TimeDelta::seconds(10);
    assert!(store.touch_session(&after.token, moment).await.unwrap());
    assert_eq!(
        store
            .session(&after.token, moment)
            .await
            .unwrap()
            .unwrap()
            .last_seen_at,
        now
    );
    assert_eq!(
        store.session(&laptop.token, now).await.unwrap(),
        None,
        "idle"
    );
    assert!(
        !store.touch_session(&laptop.token, now).await.unwrap(),
        "an expired session is not brought back by a request"
    );
    // However busy, twelve hours after sign-in it ends.
    let mut now = t0;
    while now < t0 + TimeDelta::hours(12) - minutes(20) {
        now += minutes(20);
        assert!(store.touch_session(&after.token, now).await.unwrap());
    }
    assert!(store.session(&after.token, now).await.unwrap().is_some());
    let evening = t0 + TimeDelta::hours(12);
    assert_eq!(store.session(&after.token, evening).await.unwrap(), None);
    assert!(!store.touch_session(&after.token, evening).await.unwrap());
    assert_eq!(store.purge_expired_sessions(evening).await.unwrap(), 2);
    assert!(!store.end_session(&after.token).await.unwrap());

    // Signing out ends the session.
    let next = store
        .start_session(signed_in(Some(asha), None, evening))
        .await
        .unwrap();
    assert!(store.end_session(&next.token).await.unwrap());
    assert_eq!(store.session(&next.token, evening).await.unwrap(), None);

    // Someone invited who has not set a password yet cannot have a session, nor can nobody.
    let invited = new_user(store, "Ben", "ben@example.org", UserStatus::Invited, vec![]).await;
    assert!(matches!(
        store
            .start_session(signed_in(Some(invited), None, t0))
            .await,
        Err(StartSessionError::NotActive)
    ));
    assert!(matches!(
        store
            .start_session(signed_in(Some(UserId(Uuid::new_v4())), None, t0))
            .await,
        Err(StartSessionError::UnknownUser)
    ));

    // The stored user reads back as created, found by email whatever its case.
    let user = store.user(asha).await.unwrap().unwrap();
    assert_eq!(user.name, "Asha Patel");
    assert_eq!(user.email.as_str(), "asha.patel@example.org");
    assert_eq!(user.memberships, vec![Membership::coordinator()]);
    assert_eq!(user.two_factor, TwoFactor::Off);
    assert_eq!(user.created_at, t0);
    assert!(
        !format!("{user:?}").contains("Asha"),
        "Debug hides the name"
    );
    assert_eq!(
        store
            .user_by_email(&email("ASHA.PATEL@example.ORG"))
            .await
            .unwrap()
            .map(|u| u.id),
        Some(asha)
    );
    let again = store
        .create_user(NewUser {
            name: "Another Asha".into(),
            email: email("asha.patel@EXAMPLE.org"),
            status: UserStatus::Invited,
            password_hash: None,
            memberships: vec![],
            at: t0,
        })
        .await;
    assert!(matches!(again, Err(NewUserError::EmailTaken)), "{again:?}");
    store
        .set_password_hash(invited, "$argon2id$new")
        .await
        .unwrap();
    assert_eq!(
        store
            .user(invited)
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("$argon2id$new")
    );
    assert!(matches!(
        store
            .set_password_hash(UserId(Uuid::new_v4()), "$argon2id$x")
            .await,
        Err(StoreError::NotFound("user"))
    ));
}

/// Priya works for the food bank. She is suspended by Grace, the place lead; every session
/// of hers ends at once.
pub async fn a_place_lead_suspends_partner_staff_and_her_sessions_end(db: &Db) {
    let store = db.store();
    let food_bank = OrganizationId(Uuid::new_v4());
    let grace = new_user(
        store,
        "Grace",
        "grace@example.org",
        UserStatus::Active,
        vec![Membership::place_lead()],
    )
    .await;
    let priya = new_user(
        store,
        "Priya",
        "priya@foodbank.example.org",
        UserStatus::Active,
        vec![Membership::partner_staff(food_bank)],
    )
    .await;
    let t0 = nine_am();
    let mut hers = Vec::new();
    for n in 0..3 {
        hers.push(
            store
                .start_session(signed_in(Some(priya), None, t0 + minutes(n)))
                .await
                .unwrap(),
        );
    }
    let graces = store
        .start_session(signed_in(Some(grace), None, t0))
        .await
        .unwrap();

    assert_eq!(
        store
            .organization_members(food_bank)
            .await
            .unwrap()
            .iter()
            .map(|u| u.id)
            .collect::<Vec<_>>(),
        vec![priya]
    );

    assert_eq!(
        store
            .set_user_status(priya, UserStatus::Suspended)
            .await
            .unwrap(),
        3
    );
    for session in &hers {
        assert_eq!(
            store
                .session(&session.token, t0 + minutes(5))
                .await
                .unwrap(),
            None
        );
    }
    assert!(
        store
            .session(&graces.token, t0 + minutes(5))
            .await
            .unwrap()
            .is_some(),
        "only her sessions end"
    );
    assert!(matches!(
        store.start_session(signed_in(Some(priya), None, t0)).await,
        Err(StartSessionError::NotActive)
    ));
    assert_eq!(
        store.user(priya).await.unwrap().unwrap().status,
        UserStatus::Suspended
    );
    assert!(matches!(
        store
            .set_user_status(UserId(Uuid::new_v4()), UserStatus::Suspended)
            .await,
        Err(StoreError::NotFound("user"))
    ));

    // Reinstated, she can sign in again.
    assert_eq!(
        store
            .set_user_status(priya, UserStatus::Active)
            .await
            .unwrap(),
        0
    );
    store
        .start_session(signed_in(Some(priya), None, t0))
        .await
        .unwrap();

    // Her roles change: she leads the food bank's team, and helps as a connector too.
    store
        .add_membership(priya, Membership::organization_lead(food_bank))
        .await
        .unwrap();
    store
        .add_membership(priya, Membership::connector())
        .await
        .unwrap();
    let mut held = store.user(priya).await.unwrap().unwrap().memberships;
    held.sort_by_key(|m| m.role());
    assert_eq!(
        held,
        vec![
            Membership::organization_lead(food_bank),
            Membership::connector()
        ]
    );
    assert!(
        store
            .remove_membership(priya, Membership::connector())
            .await
            .unwrap()
    );
    assert!(
        !store
            .remove_membership(priya, Membership::connector())
            .await
            .unwrap()
    );
    assert!(matches!(
        store
            .add_membership(UserId(Uuid::new_v4()), Membership::coordinator())
            .await,
        Err(StoreError::NotFound("user"))
    ));

    // Grace approves the food bank.
    assert_eq!(store.organization_approval(food_bank).await.unwrap(), None);
    let approval = store
        .approve_organization(food_bank, grace, t0)
        .await
        .unwrap();
    assert_eq!(
        store.organization_approval(food_bank).await.unwrap(),
        Some(approval)
    );
    assert!(
        store
            .withdraw_organization_approval(food_bank)
            .await
            .unwrap()
    );
    assert_eq!(store.organization_approval(food_bank).await.unwrap(), None);

    // The users page lists everyone in email order.
    assert_eq!(store.count_users().await.unwrap(), 2);
    let page: Vec<UserId> = store
        .users(0, 10)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(page, vec![grace, priya]);
    assert_eq!(
        store
            .users(1, 10)
            .await
            .unwrap()
            .iter()
            .map(|u| u.id)
            .collect::<Vec<_>>(),
        vec![priya]
    );
}

/// Tom forgot his password. The link in his email works once, and only for half an hour.
pub async fn a_reset_link_works_once_within_half_an_hour(db: &Db) {
    let store = db.store();
    let tom = new_user(store, "Tom", "tom@example.org", UserStatus::Active, vec![]).await;
    let t0 = nine_am();
    let reset = EmailedLink::PasswordReset;
    let link = |at| NewLink {
        purpose: reset,
        user: tom,
        random: random32(),
        at,
    };

    let token = store.create_link(link(t0)).await.unwrap();
    assert!(
        matches!(
            store
                .consume_link(&token, EmailedLink::Invitation, t0)
                .await,
            Err(LinkError::Unknown)
        ),
        "a reset link is not an invitation"
    );
    // Reading a link, as a form does while it checks what was typed, leaves it usable.
    for _ in 0..2 {
        assert_eq!(
            store
                .peek_link(&token, reset, t0 + minutes(4))
                .await
                .unwrap(),
            tom
        );
    }
    assert_eq!(
        store
            .consume_link(&token, reset, t0 + minutes(5))
            .await
            .unwrap(),
        tom
    );
    assert!(matches!(
        store.peek_link(&token, reset, t0 + minutes(6)).await,
        Err(LinkError::Refused(LinkRefused::AlreadyUsed))
    ));
    assert!(matches!(
        store.consume_link(&token, reset, t0 + minutes(6)).await,
        Err(LinkError::Refused(LinkRefused::AlreadyUsed))
    ));

    let late = store.create_link(link(t0)).await.unwrap();
    assert!(matches!(
        store.consume_link(&late, reset, t0 + minutes(30)).await,
        Err(LinkError::Refused(LinkRefused::Expired))
    ));
    assert!(matches!(
        store.consume_link("not-a-token", reset, t0).await,
        Err(LinkError::Unknown)
    ));

    // He asked twice; once one link works, the other does not.
    let first = store.create_link(link(t0 + minutes(40))).await.unwrap();
    let second = store.create_link(link(t0 + minutes(41))).await.unwrap();
    assert_eq!(
        store
            .consume_link(&second, reset, t0 + minutes(42))
            .await
            .unwrap(),
        tom
    );
    assert!(matches!(
        store.consume_link(&first, reset, t0 + minutes(43)).await,
        Err(LinkError::Refused(LinkRefused::AlreadyUsed))
    ));

    // Clicking twice at once: one click wins.
    let token = store.create_link(link(t0 + minutes(50))).await.unwrap();
    let shared: SharedStore = db.store.clone();
    let mut clicks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let store = shared.clone();
        let token = token.clone();
        clicks.spawn(async move {
            store
                .consume_link(&token, reset, t0 + minutes(51))
                .await
                .is_ok()
        });
    }
    let worked = clicks.join_all().await.into_iter().filter(|ok| *ok).count();
    assert_eq!(worked, 1);

    // Setting the new password through the link uses it, and signs out everywhere.
    let phone = store
        .start_session(signed_in(Some(tom), None, t0 + minutes(50)))
        .await
        .unwrap();
    let token = store.create_link(link(t0 + minutes(55))).await.unwrap();
    assert_eq!(
        store
            .set_password_with_link(&token, reset, "$argon2id$fresh", t0 + minutes(56))
            .await
            .unwrap(),
        tom
    );
    let after = store.user(tom).await.unwrap().unwrap();
    assert_eq!(after.password_hash.as_deref(), Some("$argon2id$fresh"));
    assert_eq!(
        store.session(&phone.token, t0 + minutes(56)).await.unwrap(),
        None
    );
    assert!(matches!(
        store
            .set_password_with_link(&token, reset, "$argon2id$again", t0 + minutes(57))
            .await,
        Err(LinkError::Refused(LinkRefused::AlreadyUsed))
    ));
    assert_eq!(
        store
            .user(tom)
            .await
            .unwrap()
            .unwrap()
            .password_hash
            .as_deref(),
        Some("$argon2id$fresh"),
        "a refused link changes nothing"
    );

    // Once suspended, his links stop working.
    let token = store.create_link(link(t0 + minutes(58))).await.unwrap();
    store
        .set_user_status(tom, UserStatus::Suspended)
        .await
        .unwrap();
    assert!(matches!(
        store.consume_link(&token, reset, t0 + minutes(59)).await,
        Err(LinkError::Suspended)
    ));
    store
        .set_user_status(tom, UserStatus::Active)
        .await
        .unwrap();

    // Zara is invited; accepting sets her password and makes her active.
    let zara = new_user(
        store,
        "Zara",
        "zara@example.org",
        UserStatus::Invited,
        vec![],
    )
    .await;
    let invitation = store
        .create_link(NewLink {
            purpose: EmailedLink::Invitation,
            user: zara,
            random: random32(),
            at: t0,
        })
        .await
        .unwrap();
    store
        .set_password_with_link(
            &invitation,
            EmailedLink::Invitation,
            "$argon2id$zara",
            t0 + TimeDelta::days(2),
        )
        .await
        .unwrap();
    assert_eq!(
        store.user(zara).await.unwrap().unwrap().status,
        UserStatus::Active
    );

    let invite = store
        .create_link(NewLink {
            purpose: EmailedLink::Invitation,
            ..link(t0)
        })
        .await
        .unwrap();
    assert_eq!(
        store
            .consume_link(&invite, EmailedLink::Invitation, t0 + TimeDelta::days(6))
            .await
            .unwrap(),
        tom
    );
    assert!(matches!(
        store
            .create_link(NewLink {
                user: UserId(Uuid::new_v4()),
                ..link(t0)
            })
            .await,
        Err(StoreError::NotFound("user"))
    ));

    // Spent links are cleared away: every one of the nine sent here is used or expired by
    // now, but a fresh one stays.
    let fresh = store
        .create_link(link(t0 + TimeDelta::days(6)))
        .await
        .unwrap();
    assert_eq!(
        store
            .purge_spent_links(t0 + TimeDelta::days(6))
            .await
            .unwrap(),
        9
    );
    assert_eq!(
        store
            .purge_spent_links(t0 + TimeDelta::days(6))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        store
            .consume_link(&fresh, reset, t0 + TimeDelta::days(6))
            .await
            .unwrap(),
        tom
    );
}

/// Someone tries passwords: against one account, then across many from one address.
pub async fn brute_force_is_counted_per_account_and_per_address(db: &Db) {
    let store = db.store();
    let now = nine_am();
    for m in 1..=4 {
        store
            .record_sign_in_failure("Asha@Example.org ", "203.0.113.7", now - minutes(m))
            .await
            .unwrap();
    }
    let seen = store
        .sign_in_failures("asha@example.org", "203.0.113.7", now - THROTTLE_WINDOW)
        .await
        .unwrap();
    assert_eq!(
        seen.account.len(),
        4,
        "the account is counted whatever its case"
    );
    assert_eq!(sign_in_allowed(&seen.account, &seen.address, now), Ok(()));

    store
        .record_sign_in_failure("asha@example.org", "198.51.100.9", now - minutes(5))
        .await
        .unwrap();
    let seen = store
        .sign_in_failures("asha@example.org", "192.0.2.1", now - THROTTLE_WINDOW)
        .await
        .unwrap();
    assert_eq!(seen.account.len(), 5);
    assert!(seen.address.is_empty());
    assert!(
        seen.account_here.is_empty(),
        "others' failures are not counted against Asha's own address"
    );
    assert_eq!(
        sign_in_allowed(&seen.account_here, &seen.address, now),
        Ok(()),
        "guesses from elsewhere never lock Asha out"
    );
    assert_eq!(
        seen.account.first(),
        Some(&(now - minutes(5))),
        "oldest first"
    );
    store
        .record_sign_in_failure("asha@example.org", "203.0.113.7", now - minutes(10))
        .await
        .unwrap();
    let seen = store
        .sign_in_failures("asha@example.org", "203.0.113.7", now - THROTTLE_WINDOW)
        .await
        .unwrap();
    assert_eq!(seen.account_here.len(), 5);
    let refused = sign_in_allowed(&seen.account_here, &seen.address, now).unwrap_err();
    assert_eq!(refused.because, Throttled::Account);
    assert_eq!(refused.wait, minutes(5));

    // Failures older than the window are not read back.
    store
        .record_sign_in_failure("asha@example.org", "203.0.113.7", now - minutes(16))
        .await
        .unwrap();
    assert_eq!(
        store
            .sign_in_failures("asha@example.org", "203.0.113.7", now - THROTTLE_WINDOW)
            .await
            .unwrap()
            .account
            .len(),
        6
    );

    // One address trying twenty accounts, none of them real.
    for n in 0..20 {
        store
            .record_sign_in_failure(
                &format!("guess{n}@example.org"),
                "192.0.2.66",
                now - TimeDelta::seconds(20 * n + 1),
            )
            .await
            .unwrap();
    }
    let seen = store
        .sign_in_failures(
            "someone.new@example.org",
            "192.0.2.66",
            now - THROTTLE_WINDOW,
        )
        .await
        .unwrap();
    assert!(seen.account.is_empty());
    assert_eq!(seen.address.len(), 20);
    assert_eq!(
        sign_in_allowed(&seen.account, &seen.address, now)
            .unwrap_err()
            .because,
        Throttled::Address
    );

    // Asha signs in at last from 198.51.100.9: her failures there go, the guesses from
    // elsewhere stay counted against their addresses.
    assert_eq!(
        store
            .clear_sign_in_failures("ASHA@example.org", Some("198.51.100.9"))
            .await
            .unwrap(),
        1
    );
    let seen = store
        .sign_in_failures("asha@example.org", "203.0.113.7", now - THROTTLE_WINDOW)
        .await
        .unwrap();
    assert_eq!(seen.account_here.len(), 5);
    // A new password through an emailed link forgets them all.
    assert_eq!(
        store
            .clear_sign_in_failures("asha@example.org", None)
            .await
            .unwrap(),
        6
    );
    let seen = store
        .sign_in_failures("asha@example.org", "203.0.113.7", now - THROTTLE_WINDOW)
        .await
        .unwrap();
    assert!(seen.account.is_empty());
    let seen = store
        .sign_in_failures("x@example.org", "192.0.2.66", now - THROTTLE_WINDOW)
        .await
        .unwrap();
    assert_eq!(seen.address.len(), 20);
    assert_eq!(store.purge_sign_in_failures(now).await.unwrap(), 20);
}

/// A script sends thirty call-back requests at once from one address: the limit holds
/// exactly, however the requests interleave, while a neighbour and another form are heard.
pub async fn public_sends_are_limited_exactly_under_concurrency(db: &Db) {
    let store = db.store();
    let now = Utc::now();
    let since = now - PUBLIC_WINDOW;
    let sends = (0..30).map(|_| {
        let store = Arc::clone(db.shared());
        tokio::spawn(async move {
            store
                .admit_public_send(
                    PublicForm::RequestForHelp,
                    "203.0.113.99",
                    since,
                    now,
                    public_request_allowed,
                )
                .await
                .unwrap()
        })
    });
    let mut taken = 0;
    for send in sends.collect::<Vec<_>>() {
        taken += u64::from(send.await.unwrap());
    }
    assert_eq!(taken, PUBLIC_REQUESTS_PER_WINDOW);
    let admit = |form, address: &'static str, at| {
        store.admit_public_send(
            form,
            address,
            at - PUBLIC_WINDOW,
            at,
            public_request_allowed,
        )
    };
    assert!(
        admit(PublicForm::RequestForHelp, "203.0.113.100", now)
            .await
            .unwrap()
    );
    assert!(
        admit(PublicForm::ProblemReport, "203.0.113.99", now)
            .await
            .unwrap()
    );
    // An hour on, the address is heard again, and what it sent before is forgotten.
    let later = now + PUBLIC_WINDOW + TimeDelta::seconds(1);
    assert!(
        admit(PublicForm::RequestForHelp, "203.0.113.99", later)
            .await
            .unwrap()
    );
}

/// Grace turns on two-factor, uses codes, and once needs a recovery code.
pub async fn two_factor_codes_and_recovery_codes_work_once(db: &Db) {
    let store = db.store();
    let grace = new_user(
        store,
        "Grace",
        "grace@example.org",
        UserStatus::Active,
        vec![Membership::place_lead()],
    )
    .await;
    let secret = TotpSecret::from_random_bytes([7; 20]);
    let t0 = nine_am();

    store.set_totp_secret(grace, &secret).await.unwrap();
    assert_eq!(
        store.user(grace).await.unwrap().unwrap().two_factor,
        TwoFactor::Enrolling(secret.clone())
    );
    // Whoever reads the database cannot make Grace's codes: the secret is sealed.
    let mut raw = Raw::open(db).await;
    let matching = |condition: &str| {
        format!(
            "UPDATE users SET name = name WHERE id = '{}' AND {condition}",
            grace.0
        )
    };
    assert_eq!(
        raw.execute(&matching("totp_secret LIKE 'sealed:%'"))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        raw.execute(&matching(&format!(
            "totp_secret LIKE '%{}%'",
            secret.to_base32()
        )))
        .await
        .unwrap(),
        0
    );
    assert!(
        !store.record_totp_step(grace, 1).await.unwrap(),
        "no codes count before set-up is confirmed"
    );
    let step = check_code(&secret, &code_at(&secret, t0), t0, None).unwrap();
    assert!(store.confirm_totp(grace, step).await.unwrap());
    assert!(
        !store.confirm_totp(grace, step).await.unwrap(),
        "confirmed once"
    );

    // The same code again, a moment later: the stored step refuses it.
    let TwoFactor::On { last_used_step, .. } = store.user(grace).await.unwrap().unwrap().two_factor
    else {
        panic!("two-factor is on")
    };
    assert_eq!(last_used_step, Some(step));
    assert_eq!(
        check_code(&secret, &code_at(&secret, t0), t0, last_used_step),
        Err(CodeRefused::Reused)
    );
    assert!(!store.record_totp_step(grace, step).await.unwrap());
    assert_eq!(
        check_code(&secret, "000000", t0, last_used_step).ok(),
        None,
        "a wrong code is refused"
    );
    // The next code works once, even if two requests bring it at the same moment.
    let later = t0 + TimeDelta::seconds(30);
    let next = check_code(&secret, &code_at(&secret, later), later, last_used_step).unwrap();
    let (a, b) = tokio::join!(
        store.record_totp_step(grace, next),
        store.record_totp_step(grace, next)
    );
    assert!(a.unwrap() ^ b.unwrap());

    // Recovery codes: ten, stored hashed, each used once.
    let mut random = [[0u8; 10]; 10];
    for (i, code) in random.iter_mut().enumerate() {
        code[0] = i as u8;
        code[9] = 0xa5;
    }
    let codes = recovery_codes(random);
    let hashes: Vec<String> = codes.iter().map(|c| hash_recovery_code(c)).collect();
    store.set_recovery_codes(grace, &hashes).await.unwrap();
    let unused = store.unused_recovery_codes(grace).await.unwrap();
    assert_eq!(unused.len(), 10);
    assert!(
        unused.iter().all(|h| !codes.contains(h)),
        "only hashes are kept"
    );
    let typed = codes[3].to_uppercase();
    let found = verify_recovery_code(&typed, &unused).unwrap();
    assert!(
        store
            .use_recovery_code(grace, &unused[found], t0)
            .await
            .unwrap()
    );
    assert!(
        !store
            .use_recovery_code(grace, &unused[found], t0)
            .await
            .unwrap()
    );
    let unused = store.unused_recovery_codes(grace).await.unwrap();
    assert_eq!(unused.len(), 9);
    assert_eq!(verify_recovery_code(&typed, &unused), None);

    // Starting over clears everything.
    store.clear_two_factor(grace).await.unwrap();
    assert_eq!(
        store.user(grace).await.unwrap().unwrap().two_factor,
        TwoFactor::Off
    );
    assert!(store.unused_recovery_codes(grace).await.unwrap().is_empty());
}

fn audit_event(n: u64, actor: UserId) -> NewAuditEvent {
    let mut event = NewAuditEvent::for_account_event(
        AccountEvent::PasswordChecked,
        Some(actor),
        Some(actor),
        if n.is_multiple_of(3) {
            Outcome::Failed
        } else {
            Outcome::Succeeded
        },
        Some(format!("203.0.113.{}", n % 250)),
        nine_am() + TimeDelta::microseconds(n as i64 * 1_000_001),
    );
    event.actor_role = Some(Role::Coordinator);
    event
}

/// Two hundred things happen at once across instances; the chain still holds, and any edit,
/// deletion or insertion behind Knit's back is named.
pub async fn the_audit_chain_holds_under_concurrent_appends_and_names_tampering(db: &Db) {
    let store = db.store();
    assert_eq!(
        verify_audit_log(store).await.unwrap(),
        AuditCheck::Intact(knit_domain::audit::ChainHead::GENESIS)
    );
    let actors: Vec<UserId> = (0..4).map(|_| UserId(Uuid::new_v4())).collect();
    let shared: SharedStore = db.store.clone();
    let mut appends = tokio::task::JoinSet::new();
    for n in 0..200_u64 {
        let store = shared.clone();
        let actor = actors[(n % 4) as usize];
        appends.spawn(async move { store.append_audit(audit_event(n, actor)).await.unwrap() });
    }
    let mut written = appends.join_all().await;
    written.sort_by_key(|e| e.seq);
    assert_eq!(
        written.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=200).collect::<Vec<_>>()
    );

    let mut all = Vec::new();
    loop {
        let after = all
            .last()
            .map_or(0, |e: &knit_domain::audit::AuditEvent| e.seq);
        let page = store
            .audit_events(after, 64, &AuditFilter::default())
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        all.extend(page);
    }
    assert_eq!(all, written, "read back exactly as written");
    let head = verify(all.clone()).unwrap();
    assert_eq!(head.seq, 200);
    assert_eq!(store.audit_head().await.unwrap(), head);
    assert_eq!(
        verify_audit_log(store).await.unwrap(),
        AuditCheck::Intact(head)
    );

    let by_one = store
        .audit_events(
            0,
            1000,
            &AuditFilter {
                actor: Some(actors[1]),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(by_one.len(), 50);
    assert!(by_one.iter().all(|e| e.actor == Some(actors[1])));

    // Read backwards, newest first, a page at a time: the same events in reverse.
    let filter = AuditFilter {
        actor: Some(actors[1]),
        ..AuditFilter::default()
    };
    let newest = store
        .audit_events_before(u64::MAX, 20, &filter)
        .await
        .unwrap();
    let expected: Vec<_> = by_one.iter().rev().take(20).cloned().collect();
    assert_eq!(newest, expected);
    let older = store
        .audit_events_before(newest.last().unwrap().seq, 20, &filter)
        .await
        .unwrap();
    let expected: Vec<_> = by_one.iter().rev().skip(20).take(20).cloned().collect();
    assert_eq!(older, expected);
    let everyone = store
        .audit_events_before(101, 5, &AuditFilter::default())
        .await
        .unwrap();
    let seqs: Vec<u64> = everyone.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [100, 99, 98, 97, 96]);

    // The database itself refuses changes.
    let mut raw = Raw::open(db).await;
    assert!(
        raw.execute("UPDATE audit_events SET outcome = 'allowed' WHERE seq = 57")
            .await
            .is_err()
    );
    assert!(
        raw.execute("DELETE FROM audit_events WHERE seq = 57")
            .await
            .is_err()
    );
    assert_eq!(
        verify_audit_log(store).await.unwrap(),
        AuditCheck::Intact(head)
    );

    // Someone with the database's password gets past that. An edit is named...
    raw.drop_audit_triggers().await;
    let was = all[56].address.clone().unwrap();
    raw.execute("UPDATE audit_events SET address = '192.0.2.1' WHERE seq = 57")
        .await
        .unwrap();
    assert_eq!(
        verify_audit_log(store).await.unwrap(),
        AuditCheck::Broken(BrokenLink {
            seq: 57,
            problem: LinkProblem::Edited
        })
    );
    raw.execute(&format!(
        "UPDATE audit_events SET address = '{was}' WHERE seq = 57"
    ))
    .await
    .unwrap();
    assert_eq!(
        verify_audit_log(store).await.unwrap(),
        AuditCheck::Intact(head)
    );

    // ...so is a deletion in the middle...
    raw.execute("DELETE FROM audit_events WHERE seq = 120")
        .await
        .unwrap();
    let check = verify_audit_log(store).await.unwrap();
    assert_eq!(
        check,
        AuditCheck::Broken(BrokenLink {
            seq: 121,
            problem: LinkProblem::Missing { expected: 120 }
        })
    );
    assert!(
        check.to_string().contains("event 120 is missing"),
        "{check}"
    );
    raw.execute("DELETE FROM audit_events WHERE seq > 119")
        .await
        .unwrap();
    // ...or at the end, where the chain alone cannot tell...
    let check = verify_audit_log(store).await.unwrap();
    assert!(
        matches!(check, AuditCheck::EndMoved { recorded, found } if recorded == head && found.seq == 119),
        "{check:?}"
    );
    assert!(
        check.to_string().contains("event 120 is missing"),
        "{check}"
    );
    let on_sqlite = matches!(raw, Raw::Sqlite(_));
    let put_back = |e: &knit_domain::audit::AuditEvent| {
        format!(
            "INSERT INTO audit_events (seq, at, actor, actor_role, action, object_type, \
             object_id, address, outcome, prev_hash, hash) VALUES ({}, {}, '{}', '{}', '{}', \
             '{}', '{}', '{}', '{}', '{}', '{}')",
            e.seq,
            if on_sqlite {
                format!(
                    "'{}'",
                    e.at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
                )
            } else {
                format!("'{}'::timestamptz", e.at.to_rfc3339())
            },
            e.actor.unwrap(),
            e.actor_role.unwrap().code(),
            e.action,
            e.object_type,
            e.object_id.as_deref().unwrap(),
            e.address.as_deref().unwrap(),
            e.outcome.code(),
            e.prev_hash,
            e.hash
        )
    };
    let restore: Vec<String> = all[119..].iter().map(put_back).collect();
    for sql in restore {
        raw.execute(&sql).await.unwrap();
    }
    assert_eq!(
        verify_audit_log(store).await.unwrap(),
        AuditCheck::Intact(head)
    );

    // ...and an event added outside Knit, even one chained correctly.
    let forged = chain(&head, audit_event(999, actors[0]));
    let sql = put_back(&forged);
    raw.execute(&sql).await.unwrap();
    let check = verify_audit_log(store).await.unwrap();
    assert_eq!(
        check,
        AuditCheck::EndMoved {
            recorded: head,
            found: forged.head()
        }
    );
    assert!(
        check
            .to_string()
            .contains("event 201 was added outside Knit"),
        "{check}"
    );
    raw.execute("DELETE FROM audit_events WHERE seq = 201")
        .await
        .unwrap();
    let mut clumsy = forged.clone();
    clumsy.object_id = Some("someone-else".into());
    raw.execute(&put_back(&clumsy)).await.unwrap();
    assert_eq!(
        verify_audit_log(store).await.unwrap(),
        AuditCheck::Broken(BrokenLink {
            seq: 201,
            problem: LinkProblem::Edited
        })
    );

    // A last event swapped for another, chained correctly, shows against the head too.
    raw.execute("DELETE FROM audit_events WHERE seq >= 200")
        .await
        .unwrap();
    let replaced = chain(&all[198].head(), audit_event(555, actors[2]));
    raw.execute(&put_back(&replaced)).await.unwrap();
    let check = verify_audit_log(store).await.unwrap();
    assert_eq!(
        check,
        AuditCheck::EndMoved {
            recorded: head,
            found: replaced.head()
        }
    );
    assert!(
        check
            .to_string()
            .contains("event 200 is not the event Knit wrote"),
        "{check}"
    );
}

fn email_job(run_at: DateTime<Utc>, n: u32) -> NewJob {
    NewJob {
        kind: "email".into(),
        payload: serde_json::json!({ "template": "reset", "n": n }),
        run_at,
        max_attempts: 3,
    }
}

/// Reset emails go out through jobs: two workers never send the same one, a failure is
/// retried later and later, and a job whose worker died is picked up again.
pub async fn jobs_are_claimed_once_and_retried_with_backoff(db: &Db) {
    let store = db.store();
    let t0 = nine_am();
    let mut queued = HashSet::new();
    for n in 0..40 {
        queued.insert(store.enqueue_job(email_job(t0, n)).await.unwrap());
    }
    let later = store
        .enqueue_job(email_job(t0 + minutes(5), 99))
        .await
        .unwrap();

    let shared: Arc<dyn Store> = db.store.clone();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let store = shared.clone();
        workers.spawn(async move {
            let mut mine = Vec::new();
            while let Some(job) = store.claim_next_job(t0).await.unwrap() {
                assert_eq!(job.state, JobState::Running);
                assert_eq!(job.attempts, 1);
                assert!(store.complete_job(job.id, t0).await.unwrap());
                mine.push(job.id);
            }
            mine
        });
    }
    let claimed: Vec<_> = workers.join_all().await.into_iter().flatten().collect();
    assert_eq!(claimed.len(), 40, "each job claimed once");
    assert_eq!(claimed.iter().copied().collect::<HashSet<_>>(), queued);
    assert!(!claimed.contains(&later), "not before its time");
    let done = store.job(claimed[0]).await.unwrap().unwrap();
    assert_eq!(done.state, JobState::Done);
    assert_eq!(
        done.payload,
        serde_json::Value::Null,
        "a sent email's address and link are not kept"
    );
    assert!(!store.complete_job(claimed[0], t0).await.unwrap());

    // The mail server is down: each failure waits twice as long as the last.
    let job = store
        .claim_next_job(t0 + minutes(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.id, later);
    assert_eq!(job.payload["n"], 99);
    let mut now = t0 + minutes(5);
    let fate = store
        .fail_job(job.id, "connection refused", now)
        .await
        .unwrap();
    assert_eq!(fate, JobFate::RetryAt(now + job_retry_delay(1)));
    assert_eq!(job_retry_delay(1), TimeDelta::seconds(30));
    assert_eq!(store.claim_next_job(now).await.unwrap(), None, "not yet");
    now += job_retry_delay(1);
    let again = store.claim_next_job(now).await.unwrap().unwrap();
    assert_eq!((again.id, again.attempts), (later, 2));
    assert_eq!(again.last_error.as_deref(), Some("connection refused"));
    let fate = store.fail_job(again.id, "timed out", now).await.unwrap();
    assert_eq!(fate, JobFate::RetryAt(now + TimeDelta::seconds(60)));
    now += TimeDelta::seconds(60);
    let last = store.claim_next_job(now).await.unwrap().unwrap();
    assert_eq!(last.attempts, 3);
    assert_eq!(
        store.fail_job(last.id, "timed out", now).await.unwrap(),
        JobFate::Dead
    );
    let dead = store.job(later).await.unwrap().unwrap();
    assert_eq!(dead.state, JobState::Dead);
    assert_eq!(
        store
            .claim_next_job(now + TimeDelta::days(1))
            .await
            .unwrap(),
        None
    );
    assert!(matches!(
        store.fail_job(later, "again", now).await,
        Err(StoreError::NotFound(_))
    ));

    // A worker claims a job and dies with the process: after the lease it runs again.
    let orphan = store.enqueue_job(email_job(now, 7)).await.unwrap();
    let taken = store.claim_next_job(now).await.unwrap().unwrap();
    assert_eq!(taken.id, orphan);
    assert_eq!(store.claim_next_job(now + minutes(5)).await.unwrap(), None);
    let retaken = store
        .claim_next_job(now + JOB_LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((retaken.id, retaken.attempts), (orphan, 2));
    assert!(store.complete_job(orphan, now + JOB_LEASE).await.unwrap());

    // Finished jobs are cleared away in time; queued ones stay.
    let waiting = store
        .enqueue_job(email_job(now + TimeDelta::days(2), 8))
        .await
        .unwrap();
    assert_eq!(
        store
            .purge_finished_jobs(now + TimeDelta::days(1))
            .await
            .unwrap(),
        42
    );
    assert_eq!(store.job(later).await.unwrap(), None);
    assert_eq!(
        store.job(waiting).await.unwrap().unwrap().state,
        JobState::Queued
    );
}

fn staff(id: UserId, membership: Membership) -> Actor {
    Actor::staff(id, UserStatus::Active, vec![membership], true)
}

/// The food bank changes its opening hours; Grace, the place lead, decides.
pub async fn a_partner_change_waits_for_a_place_lead(db: &Db) {
    let store = db.store();
    let listing = rich_service(40);
    store
        .put_services(std::slice::from_ref(&listing))
        .await
        .unwrap();
    let food_bank = OrganizationId(listing.organization_id);
    let priya = new_user(
        store,
        "Priya",
        "priya@example.org",
        UserStatus::Active,
        vec![Membership::partner_staff(food_bank)],
    )
    .await;
    let grace = new_user(
        store,
        "Grace",
        "grace@example.org",
        UserStatus::Active,
        vec![Membership::place_lead()],
    )
    .await;
    let lead = staff(grace, Membership::place_lead());
    let t0 = nine_am();
    let propose = |description: &str, at| {
        let mut proposed = listing.clone();
        proposed.description = Some(description.into());
        NewListingChange {
            organization: food_bank,
            proposed,
            proposed_by: priya,
            at,
        }
    };

    let elsewhere = NewListingChange {
        organization: OrganizationId(Uuid::new_v4()),
        ..propose("Open on Saturdays too.", t0)
    };
    assert!(matches!(
        store.propose_listing_change(elsewhere).await,
        Err(ListingChangeError::WrongOrganization)
    ));

    let saturdays = store
        .propose_listing_change(propose("Open on Saturdays too.", t0))
        .await
        .unwrap();
    let typo = store
        .propose_listing_change(propose("Opne on Sundays.", t0 + minutes(1)))
        .await
        .unwrap();
    let wrong = store
        .propose_listing_change(propose("Closed for ever.", t0 + minutes(2)))
        .await
        .unwrap();
    assert_eq!(saturdays.status, ListingChangeStatus::Pending);
    assert_eq!(
        store.listing_change(saturdays.id).await.unwrap(),
        Some(saturdays.clone())
    );
    let pending = store
        .pending_listing_changes(Some(food_bank))
        .await
        .unwrap();
    assert_eq!(
        pending.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![saturdays.id, typo.id, wrong.id]
    );
    assert!(
        store
            .pending_listing_changes(Some(OrganizationId(Uuid::new_v4())))
            .await
            .unwrap()
            .is_empty()
    );

    // Priya cannot approve her own change.
    assert!(matches!(
        store
            .review_listing_change(
                saturdays.id,
                &staff(priya, Membership::partner_staff(food_bank)),
                ListingReview::Approve,
                t0
            )
            .await,
        Err(ListingChangeError::Refused(ReviewRefused::NotAllowed(_)))
    ));

    // Two place leads press Approve at the same moment: it is decided once.
    let omar = new_user(
        store,
        "Omar",
        "omar@example.org",
        UserStatus::Active,
        vec![Membership::place_lead()],
    )
    .await;
    let other_lead = staff(omar, Membership::place_lead());
    let (a, b) = tokio::join!(
        store.review_listing_change(saturdays.id, &lead, ListingReview::Approve, t0 + minutes(3)),
        store.review_listing_change(saturdays.id, &other_lead, ListingReview::Approve, t0)
    );
    let approved = match (a, b) {
        (Ok(done), Err(ListingChangeError::Refused(ReviewRefused::AlreadyDecided)))
        | (Err(ListingChangeError::Refused(ReviewRefused::AlreadyDecided)), Ok(done)) => done,
        other => panic!("decided twice or not at all: {other:?}"),
    };
    assert_eq!(approved.status, ListingChangeStatus::Approved);
    assert!([Some(grace), Some(omar)].contains(&approved.decided_by));
    assert_eq!(approved.decided_as, Some(Role::PlaceLead));
    // What was approved is what was proposed, confirmed on the day of the decision.
    let applied = approved.approved.clone().unwrap();
    let decided_on = approved.decided_at.unwrap();
    assert_eq!(applied.assured_date, Some(decided_on.date_naive()));
    assert_eq!(applied.last_modified, Some(decided_on));
    assert_eq!(
        knit_domain::Service {
            assured_date: saturdays.proposed.assured_date,
            last_modified: saturdays.proposed.last_modified,
            ..applied.clone()
        },
        saturdays.proposed
    );
    assert_eq!(
        store.listing_change(saturdays.id).await.unwrap(),
        Some(approved.clone())
    );

    // The directory changed in the same transaction as the decision, and says so to other
    // instances.
    let stored = store.service(listing.id).await.unwrap().unwrap();
    assert_eq!(
        stored.description.as_deref(),
        Some("Open on Saturdays too.")
    );
    assert_eq!(stored.assured_date, applied.assured_date);
    let changes = store.directory_changes_after(0, 10_000).await.unwrap();
    assert_eq!(changes.last().map(|c| c.service_id), Some(listing.id));

    // Grace corrects the typo as she approves it.
    let mut corrected = typo.proposed.clone();
    corrected.description = Some("Open on Sundays.".into());
    let mut another_listing = corrected.clone();
    another_listing.id = Uuid::new_v4();
    assert!(matches!(
        store
            .review_listing_change(
                typo.id,
                &lead,
                ListingReview::ApproveWithEdits(Box::new(another_listing)),
                t0
            )
            .await,
        Err(ListingChangeError::EditedAnotherListing)
    ));
    let edited = store
        .review_listing_change(
            typo.id,
            &lead,
            ListingReview::ApproveWithEdits(Box::new(corrected.clone())),
            t0 + minutes(4),
        )
        .await
        .unwrap();
    assert_eq!(edited.status, ListingChangeStatus::ApprovedWithEdits);
    let on_the_day = t0 + minutes(4);
    assert_eq!(
        edited.approved,
        Some(knit_domain::Service {
            assured_date: Some(on_the_day.date_naive()),
            last_modified: Some(on_the_day),
            ..corrected
        })
    );
    assert_eq!(
        edited.proposed, typo.proposed,
        "the proposal is kept as it was"
    );

    // A rejection needs a reason.
    assert!(matches!(
        store
            .review_listing_change(
                wrong.id,
                &lead,
                ListingReview::Reject {
                    reason: "  ".into()
                },
                t0
            )
            .await,
        Err(ListingChangeError::Refused(ReviewRefused::ReasonRequired))
    ));
    let rejected = store
        .review_listing_change(
            wrong.id,
            &lead,
            ListingReview::Reject {
                reason: "The food bank is open; this looks like a mistake.".into(),
            },
            t0 + minutes(5),
        )
        .await
        .unwrap();
    assert_eq!(
        rejected.status,
        ListingChangeStatus::Rejected {
            reason: "The food bank is open; this looks like a mistake.".into()
        }
    );
    assert_eq!(rejected.approved, None);
    assert_eq!(
        store.listing_change(wrong.id).await.unwrap(),
        Some(rejected)
    );
    assert!(
        store
            .pending_listing_changes(None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store
            .review_listing_change(Uuid::new_v4(), &lead, ListingReview::Approve, t0)
            .await,
        Err(ListingChangeError::NotFound)
    ));
}

/// Someone reports that the café moved; the food bank replies, and a place lead resolves it.
pub async fn a_problem_report_is_answered_and_resolved(db: &Db) {
    let store = db.store();
    let listing = rich_service(41);
    store
        .put_services(std::slice::from_ref(&listing))
        .await
        .unwrap();
    let food_bank = OrganizationId(listing.organization_id);
    let priya = new_user(
        store,
        "Priya",
        "priya@example.org",
        UserStatus::Active,
        vec![Membership::partner_staff(food_bank)],
    )
    .await;
    let grace = new_user(
        store,
        "Grace",
        "grace@example.org",
        UserStatus::Active,
        vec![Membership::place_lead()],
    )
    .await;
    let report = store
        .report_problem(listing.id, "The café moved to the library in May.")
        .await
        .unwrap();
    let t0 = nine_am();
    let note = |author, author_role, kind, body: &str, at| NewProblemNote {
        report_id: report.id,
        author,
        author_role,
        kind,
        body: body.into(),
        at,
    };

    let reply = store
        .add_problem_note(note(
            priya,
            Role::PartnerStaff,
            ProblemNoteKind::Reply,
            "Thanks — we will update the address.",
            t0,
        ))
        .await
        .unwrap();
    assert!(!store.problem_reports().await.unwrap()[0].resolved);
    let resolution = store
        .add_problem_note(note(
            grace,
            Role::PlaceLead,
            ProblemNoteKind::Resolution,
            "Address updated.",
            t0 + minutes(10),
        ))
        .await
        .unwrap();
    assert!(store.problem_reports().await.unwrap()[0].resolved);
    assert_eq!(
        store.problem_notes(report.id).await.unwrap(),
        vec![reply, resolution]
    );
    let nowhere = NewProblemNote {
        report_id: Uuid::new_v4(),
        ..note(grace, Role::PlaceLead, ProblemNoteKind::Reply, "?", t0)
    };
    assert!(matches!(
        store.add_problem_note(nowhere).await,
        Err(StoreError::NotFound("problem report"))
    ));
}

/// Runs each story on SQLite and on PostgreSQL, as the directory's stories are.
macro_rules! account_stories {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let db = crate::Db::sqlite().await;
                    super::$story(&db).await;
                    crate::rows_and_documents_agree(db.store()).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let Some(db) = crate::Db::postgres(stringify!($story)).await else { return };
                    super::$story(&db).await;
                    crate::rows_and_documents_agree(db.store()).await;
                    db.finish().await;
                }
            )*
        }
    };
}

account_stories!(
    a_coordinator_signs_in_with_a_new_session,
    a_place_lead_suspends_partner_staff_and_her_sessions_end,
    a_reset_link_works_once_within_half_an_hour,
    brute_force_is_counted_per_account_and_per_address,
    public_sends_are_limited_exactly_under_concurrency,
    two_factor_codes_and_recovery_codes_work_once,
    the_audit_chain_holds_under_concurrent_appends_and_names_tampering,
    jobs_are_claimed_once_and_retried_with_backoff,
    a_partner_change_waits_for_a_place_lead,
    a_problem_report_is_answered_and_resolved,
);
