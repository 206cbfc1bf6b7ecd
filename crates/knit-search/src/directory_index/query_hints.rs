//! What people type besides topic words: "for my 4 year old", "over 60", "on a tuesday",
//! "free". These become soft preferences (services that fit rise, services that cannot
//! serve sink) and leave the words, so "tuesday" does not rank every listing that happens
//! to say "Tuesdays" in its name. Filters chosen on the form stay hard filters.

use chrono::Weekday;

use super::analyzer;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryHints {
    pub age: Option<u16>,
    pub day: Option<Weekday>,
    pub free: bool,
    /// The words left to search for, in order.
    pub words: Vec<String>,
}

fn weekday(word: &str) -> Option<Weekday> {
    let day = word.strip_suffix('s').unwrap_or(word);
    Some(match day {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn age(word: &str) -> Option<u16> {
    word.parse::<u16>()
        .ok()
        .filter(|a| *a <= knit_domain::validation::MAX_AGE)
}

/// Reads the hints out of the query's words.
pub fn read(text: &str) -> QueryHints {
    let words: Vec<String> = analyzer::words(text).collect();
    let mut hints = QueryHints::default();
    let mut used = vec![false; words.len()];
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    for i in 0..words.len() {
        if let Some(day) = weekday(word(i)) {
            hints.day = Some(day);
            used[i] = true;
        } else if word(i) == "free" {
            hints.free = true;
            used[i] = true;
        } else if let Some(years) = age(word(i)) {
            // "4 year old", "4 years old", "4 yr old"
            if matches!(word(i + 1), "year" | "years" | "yr" | "yrs")
                && matches!(word(i + 2), "old" | "olds")
            {
                hints.age = Some(years);
                used[i..i + 3].fill(true);
            // "over 60", "aged 60", "age 60"
            } else if i > 0 && matches!(word(i - 1), "over" | "aged" | "age") {
                hints.age = Some(years);
                used[i - 1] = true;
                used[i] = true;
            // "under 5"
            } else if i > 0 && word(i - 1) == "under" && years > 0 {
                hints.age = Some(years - 1);
                used[i - 1] = true;
                used[i] = true;
            }
        }
    }
    hints.words = words
        .into_iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(w, _)| w)
        .collect();
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_days_and_free_are_read_from_the_words() {
        let hints = read("something for my 4 year old on a Tuesday");
        assert_eq!(hints.age, Some(4));
        assert_eq!(hints.day, Some(Weekday::Tue));
        assert_eq!(hints.words, ["something", "for", "my", "on", "a"]);

        let hints = read("free exercise over 60");
        assert_eq!((hints.age, hints.free), (Some(60), true));
        assert_eq!(hints.words, ["exercise"]);

        assert_eq!(read("toddler group under 5").age, Some(4));
        assert_eq!(
            read("over 60s club").words,
            ["over", "60s", "club"],
            "a name is left alone"
        );
        assert_eq!(
            read("food bank"),
            QueryHints {
                words: vec!["food".into(), "bank".into()],
                ..QueryHints::default()
            }
        );
    }
}
