//! `knit bench assets`: how long the free times of a week take to work out for many assets
//! at once (the asset browse's "free at a time" filter and each asset's page do this), with
//! weekly windows, exceptions and approved bookings like a busy place's.

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveTime, TimeDelta, Weekday};
use knit_domain::assets::{Availability, Exception, Slot, Window, free_times};
use knit_domain::opening::uk_instant;

/// A small deterministic generator, so every run measures the same data.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a real time")
}

/// `assets` assets, each open on some weekdays with two windows a day, with an exception in
/// the week and a few approved bookings.
fn place(assets: usize, week: NaiveDate) -> Vec<(Availability, Vec<Slot>)> {
    let mut rng = Lcg(42);
    let days = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    (0..assets)
        .map(|_| {
            let mut weekly = Vec::new();
            for day in days {
                if rng.next(3) > 0 {
                    weekly.push(Window {
                        day,
                        from: hm(9, 0),
                        to: hm(13, 0),
                    });
                    weekly.push(Window {
                        day,
                        from: hm(17, 0),
                        to: hm(22, 0),
                    });
                }
            }
            let exceptions = vec![Exception {
                date: week + TimeDelta::days(rng.next(7) as i64),
                open: Vec::new(),
            }];
            let bookings = (0..rng.next(8))
                .map(|_| {
                    let date = week + TimeDelta::days(rng.next(7) as i64);
                    let start = date.and_time(hm(9 + rng.next(12) as u32, 0));
                    Slot {
                        starts_at: uk_instant(start),
                        ends_at: uk_instant(start + TimeDelta::hours(1 + rng.next(3) as i64)),
                    }
                })
                .collect();
            (Availability { weekly, exceptions }, bookings)
        })
        .collect()
}

/// Prints the median and slowest time to compute a week's free times for `assets` assets.
pub fn assets(assets: usize, runs: usize) -> anyhow::Result<()> {
    let mut week = NaiveDate::from_ymd_opt(2026, 12, 7).expect("a real date");
    while week.weekday() != Weekday::Mon {
        week = week.pred_opt().expect("a real date");
    }
    let place = place(assets, week);
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut stretches = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        stretches = 0;
        for (availability, bookings) in &place {
            stretches += std::hint::black_box(free_times(availability, bookings, week, 7)).len();
        }
        times.push(started.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "free times of {assets} assets for one week: median {:.3} ms, slowest {:.3} ms over {} runs ({stretches} free stretches)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        times.len(),
    );
    Ok(())
}
