//! `knit export 360giving`: every award of the local fund as a 360Giving data package
//! (`{"grants": [...]}`, version 1.4), streamed a batch at a time; and `knit bench fund`:
//! how long the panel page's scoring and ranking of a round takes, and the export of many
//! awards, on a scratch SQLite database.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Days, Utc};
use knit_domain::account::{Email, Membership, UserId, UserStatus};
use knit_domain::fund::{
    ApplicationForm, Decision, FUNDER_PREFIX, GrantPackage, Pence, RoundForm, Vote, grant, package,
};
use knit_domain::opening::uk_local;
use knit_store::Store;
use knit_store::accounts::NewUser;
use knit_store::casework::Stamp;
use knit_store::fund::{ApplicationLink, ApplicationWrite, NewDecision};

use super::open_store;
use crate::cli::Global;

const EXPORT_BATCH: u32 = 1_000;

/// Who the package says made the awards.
pub fn publisher(
    prefix: Option<String>,
    funder_id: Option<String>,
    funder_name: String,
) -> GrantPackage {
    let prefix = prefix.unwrap_or_else(|| FUNDER_PREFIX.to_owned());
    GrantPackage {
        funder_id: funder_id.unwrap_or_else(|| format!("{prefix}-FUNDER")),
        prefix,
        funder_name,
        site_url: std::env::var("KNIT_PUBLIC_URL")
            .ok()
            .filter(|u| !u.trim().is_empty()),
    }
}

/// Writes every award as a 360Giving package to `out`; returns how many grants. The
/// standard asks for at least one grant, so no awards is an error.
pub async fn write_360giving(
    store: &dyn Store,
    meta: &GrantPackage,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> anyhow::Result<u64> {
    let mut after = None;
    let mut written = 0u64;
    let mut head = serde_json::to_string(&serde_json::Value::Object(package(meta, now)))?;
    // The package's other fields, then the grants streamed into the same object.
    head.pop();
    out.write_all(head.as_bytes())?;
    out.write_all(b",\"grants\":[")?;
    loop {
        let batch = store.awards_for_export(after, EXPORT_BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.application_id);
        for award in &batch {
            if written > 0 {
                out.write_all(b",")?;
            }
            out.write_all(b"\n")?;
            serde_json::to_writer(&mut *out, &grant(meta, award))?;
            written += 1;
        }
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    anyhow::ensure!(
        written > 0,
        "there are no awards to export yet; a 360Giving package needs at least one grant"
    );
    Ok(written)
}

pub async fn export_360giving(
    global: &Global,
    file: Option<&Path>,
    prefix: Option<String>,
    funder_id: Option<String>,
    funder_name: Option<String>,
) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    let meta = publisher(
        prefix,
        funder_id,
        funder_name.unwrap_or_else(|| "Knit local fund".to_owned()),
    );
    let mut buffer = Vec::new();
    let written = write_360giving(store.as_ref(), &meta, Utc::now(), &mut buffer).await?;
    match file {
        Some(path) => {
            let mut out = BufWriter::new(
                std::fs::File::create(path)
                    .with_context(|| format!("could not create {}", path.display()))?,
            );
            out.write_all(&buffer)?;
            out.flush()?;
            eprintln!("Exported {written} grants to {}.", path.display());
        }
        None => std::io::stdout().lock().write_all(&buffer)?,
    }
    Ok(())
}

fn form(n: usize, amount: u64) -> ApplicationForm {
    ApplicationForm {
        kind: if n.is_multiple_of(3) {
            "constituted_group".into()
        } else {
            "unconstituted_group".into()
        },
        amount: amount.to_string(),
        name: format!("Applicant {n}"),
        email: format!("applicant{n}@bench.invalid"),
        group_name: format!("Group {n}"),
        charity_number: if n.is_multiple_of(6) {
            format!("{}", 1_000_000 + n)
        } else {
            String::new()
        },
        what_for: "A year of weekly sessions for people who live alone.".into(),
        who_benefits: "About thirty people in the town.".into(),
        spending: "Hall hire, tea, a minibus twice a month.".into(),
        ..ApplicationForm::default()
    }
}

fn p50_p99(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

/// `knit bench fund`: a round of `applications` scored by a panel of two (one declaring a
/// conflict on every tenth) then read, tallied and ranked as the panel page does; and the
/// 360Giving export of `awards` awards.
pub async fn bench(applications: usize, awards: usize) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("knit-bench-fund-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = bench_in(&dir, applications, awards).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn bench_in(dir: &Path, applications: usize, awards: usize) -> anyhow::Result<()> {
    let store = knit_store::open(&dir.join("bench.sqlite").display().to_string()).await?;
    store.use_keys(std::sync::Arc::new(knit_store::sealing::KeyRing::generate()));
    let now = Utc::now();
    let mut panel: Vec<UserId> = Vec::new();
    for n in 0..2 {
        let user = store
            .create_user(NewUser {
                name: format!("Panel {n}"),
                email: Email::parse(&format!("panel{n}@bench.invalid"))?,
                status: UserStatus::Active,
                password_hash: None,
                memberships: vec![Membership::place_lead()],
                at: now,
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        panel.push(user.id);
    }
    let stamp = |by: Option<UserId>| Stamp {
        by,
        role: None,
        at: now,
        address: None,
    };
    let closes = (uk_local(now).date() + Days::new(30))
        .format("%Y-%m-%d")
        .to_string();
    let plan = RoundForm {
        title: "Bench round".into(),
        min: "100".into(),
        max: "5000".into(),
        closes_on: closes,
        criteria: "Need | 3\nReach | 2\nValue | 1".into(),
        open_to_unconstituted: Some("yes".into()),
        ..RoundForm::default()
    }
    .plan(now)
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let round = store
        .create_round(&plan, &panel, stamp(None))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let total = applications.max(awards);
    eprintln!("Seeding {total} applications (scored: {applications}; awarded: {awards})…");
    let seeding = Instant::now();
    for n in 0..total {
        let mut random = [0u8; 32];
        random[..8].copy_from_slice(&(n as u64).to_be_bytes());
        let (app, _) = store
            .write_application(ApplicationWrite {
                link: ApplicationLink::New {
                    round: round.id,
                    random,
                },
                draft: form(n, 100 + (n as u64 * 37) % 4_900)
                    .draft()
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                submit: true,
                stamp: stamp(None),
                mail: None,
            })
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        // An award on the panel route needs scores first, so every awarded application is
        // scored as well as the round the panel page reads.
        if n < applications || n >= total - awards {
            for (m, member) in panel.iter().enumerate() {
                let vote = if m == 1 && n.is_multiple_of(10) {
                    Vote::Conflict {
                        reason: "Knows the applicant".into(),
                    }
                } else {
                    Vote::Scores(
                        plan.criteria
                            .iter()
                            .enumerate()
                            .map(|(i, c)| (c.key.clone(), ((n + i + m) % 6) as u8))
                            .collect::<BTreeMap<_, _>>(),
                    )
                };
                store
                    .cast_vote(app.id, *member, &vote, stamp(Some(*member)))
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
        }
        if n >= total - awards {
            let amount = app.draft.amount.unwrap_or(Pence::pounds(100));
            let mut random = [1u8; 32];
            random[..8].copy_from_slice(&(n as u64).to_be_bytes());
            // The second member declared a conflict on every tenth, so cannot decide it.
            let decider = if n.is_multiple_of(10) {
                panel[0]
            } else {
                panel[1]
            };
            store
                .decide(NewDecision {
                    application: app.id,
                    decision: Decision::Award {
                        amount,
                        reasons: "Meets the criteria".into(),
                    },
                    random,
                    stamp: stamp(Some(decider)),
                    mail: Vec::new(),
                })
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    eprintln!("Seeded in {:.1} s.", seeding.elapsed().as_secs_f64());

    // The panel page's work: read the round's applications with their votes, tally, rank.
    let mut times = Vec::new();
    let mut shown = 0;
    for _ in 0..20 {
        let started = Instant::now();
        let apps = store.panel_applications(round.id).await?;
        let ranked = knit_web::fund::staff::ranked(&round, apps);
        times.push(started.elapsed());
        shown = ranked.len();
    }
    let (p50, p99) = p50_p99(times);
    println!(
        "panel page: {shown} applications read, scored and ranked: p50 {:.1} ms, p99 {:.1} ms (target < 100 ms)",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3
    );

    let meta = publisher(None, None, "Bench fund".into());
    let mut times = Vec::new();
    let mut grants = 0;
    let mut bytes = 0;
    for _ in 0..5 {
        let mut out = Vec::with_capacity(awards * 900);
        let started = Instant::now();
        grants = write_360giving(store.as_ref(), &meta, now, &mut out).await?;
        times.push(started.elapsed());
        bytes = out.len();
    }
    let (p50, p99) = p50_p99(times);
    println!(
        "360Giving export: {grants} grants, {:.1} MB: p50 {:.2} s, worst {:.2} s (target < 2 s)",
        bytes as f64 / 1e6,
        p50.as_secs_f64(),
        p99.as_secs_f64()
    );
    Ok(())
}
