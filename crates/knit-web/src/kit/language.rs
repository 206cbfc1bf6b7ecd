//! The language a public page speaks: English or Welsh, from Fluent catalogues compiled
//! into the binary.
//!
//! A visitor chooses with a link (`?lang=cy`, `?lang=en`), which works without JavaScript;
//! the choice is kept for the browser session in one cookie that names the language and
//! nothing else. Without a choice, the browser's `Accept-Language` decides. The choice holds
//! for the whole request (set by [`choose`]), so a template, a notice or a form error asks
//! [`t`] for its words without each handler passing the language down.
//!
//! Welsh has six plural categories (zero, one, two, few, many, other); Fluent picks the
//! right one from CLDR's rules, so a catalogue states each form once.

use std::sync::OnceLock;

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The catalogues, one per language, with the same message ids.
pub const ENGLISH_CATALOGUE: &str = include_str!("../../locales/en/public.ftl");
pub const WELSH_CATALOGUE: &str = include_str!("../../locales/cy/public.ftl");

const COOKIE: &str = "knit_lang";

pub use knit_domain::language::Language;

/// A language's words: its catalogue, compiled once.
pub trait Catalogued {
    /// A message with its arguments; the English words where this catalogue lacks the
    /// message (the catalogue check in the tests keeps that from happening).
    fn message(self, id: &str, args: Option<&FluentArgs>) -> String;
}

fn catalogue(language: Language) -> &'static str {
    match language {
        Language::English => ENGLISH_CATALOGUE,
        Language::Welsh => WELSH_CATALOGUE,
    }
}

fn bundle(language: Language) -> &'static FluentBundle<FluentResource> {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    let bundles = BUNDLES.get_or_init(|| Language::ALL.map(build_bundle));
    match language {
        Language::English => &bundles[0],
        Language::Welsh => &bundles[1],
    }
}

impl Catalogued for Language {
    fn message(self, id: &str, args: Option<&FluentArgs>) -> String {
        let formatted = format_in(bundle(self), id, args);
        match formatted {
            Some(text) => text,
            None if self != Language::English => {
                tracing::warn!(
                    id,
                    language = self.code(),
                    "message missing from a catalogue"
                );
                Language::English.message(id, args)
            }
            None => {
                tracing::warn!(id, "message missing from the English catalogue");
                id.to_owned()
            }
        }
    }
}

fn build_bundle(language: Language) -> FluentBundle<FluentResource> {
    let tag = language
        .tag()
        .parse()
        .expect("the language tags above are well formed");
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // No bidi isolation marks: both languages run left to right, and the marks would
    // show in email subjects and page titles.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(catalogue(language).to_owned())
        .unwrap_or_else(|(_, errors)| panic!("{} catalogue: {errors:?}", language.code()));
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{} catalogue: {errors:?}", language.code()));
    bundle
}

fn format_in(
    bundle: &FluentBundle<FluentResource>,
    id: &str,
    args: Option<&FluentArgs>,
) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let text = bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned();
    if !errors.is_empty() {
        tracing::warn!(id, ?errors, "message formatted with errors");
    }
    Some(text)
}

/// What the current request chose, and where it is, for the switch link.
#[derive(Debug, Clone)]
struct Chosen {
    language: Language,
    /// The path and query of this page with `lang` removed.
    here: String,
}

tokio::task_local! {
    static CHOSEN: Chosen;
}

/// The language of the page being made; English outside a request (jobs, the CLI).
pub fn current() -> Language {
    CHOSEN.try_with(|c| c.language).unwrap_or(Language::English)
}

/// Runs `make` speaking `language`: for what is written outside the request it is for
/// (an email sent later, to someone who chose Welsh), so `t` and the rest speak it.
pub fn speaking<R>(language: Language, make: impl FnOnce() -> R) -> R {
    CHOSEN.sync_scope(
        Chosen {
            language,
            here: String::new(),
        },
        make,
    )
}

/// The words for `id` in the current language.
pub fn t(id: &str) -> String {
    current().message(id, None)
}

/// The words for `id` with one number, `$count`: the plural form follows the language.
pub fn t_count(id: &str, count: impl Into<FluentValue<'static>>) -> String {
    let mut args = FluentArgs::new();
    args.set("count", count.into());
    current().message(id, Some(&args))
}

/// The words for `id` with one named argument.
pub fn t1(id: &str, name: &str, value: impl ToString) -> String {
    t_with(id, &[(name, &value.to_string())])
}

/// The words for `id` with two named arguments (by reference, as templates pass them).
pub fn t2(id: &str, first: &(&str, &str), second: &(&str, &str)) -> String {
    t_with(id, &[*first, *second])
}

/// The words for `id` with named text arguments.
pub fn t_with(id: &str, named: &[(&str, &str)]) -> String {
    current().message(id, Some(&arguments(named)))
}

/// Named arguments for a message; text that reads as a number is a number, so plural
/// forms can select on it.
fn arguments<'a>(named: &[(&'a str, &'a str)]) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    for (name, value) in named {
        args.set(*name, FluentValue::try_number(value));
    }
    args
}

/// A need's name in the current language. English comes from the needs taxonomy itself,
/// so the words are stated once; Welsh from the catalogue, by the need's id.
pub fn need_label(need: &knit_domain::Need) -> String {
    domain_words("need", need.id.as_str(), need.label)
}

/// A domain of needs ("Money and food") in the current language.
pub fn domain_label(domain: knit_domain::needs::NeedDomain) -> String {
    domain_words("domain", domain.id(), domain.label())
}

/// Words the domain states in English ("Drop in", "Monday"), by a catalogue prefix and
/// their code: Welsh from the catalogue as `{prefix}-{code}`.
pub fn domain_words(prefix: &str, code: &str, english: &str) -> String {
    domain_words_with(prefix, code, english, &[])
}

/// As [`domain_words`], with named arguments for the Welsh message.
pub fn domain_words_with(
    prefix: &str,
    code: &str,
    english: &str,
    named: &[(&str, &str)],
) -> String {
    match current() {
        Language::English => english.to_owned(),
        welsh => welsh.message(&format!("{prefix}-{code}"), Some(&arguments(named))),
    }
}

/// The weekday of a date in the current language ("Tuesday", "Dydd Mawrth").
pub fn weekday_name(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    day_name(date.weekday())
}

/// The month of a date in the current language ("December", "Rhagfyr").
pub fn month_name(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    domain_words(
        "month",
        &date.month().to_string(),
        &date.format("%B").to_string(),
    )
}

/// A weekday's name in the current language ("Tuesday", "Dydd Mawrth").
pub fn day_name(day: chrono::Weekday) -> String {
    let code = day.to_string().to_lowercase();
    let english = chrono::NaiveDate::from_isoywd_opt(2026, 10, day)
        .map(|d| d.format("%A").to_string())
        .unwrap_or_default();
    domain_words("day", &code, &english)
}

/// A date without its year in the current language ("Tuesday 3 December").
pub fn long_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", weekday_name(date), date.day(), month_name(date))
}

/// A date with its year in the current language ("Tuesday 3 December 2026").
pub fn long_date_with_year(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {}", long_date(date), date.year())
}

/// A date without its weekday in the current language ("3 December 2026").
pub fn day_month_year(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", date.day(), month_name(date), date.year())
}

/// "10:00 to 12:00" in the current language.
pub fn time_range(from: impl std::fmt::Display, to: impl std::fmt::Display) -> String {
    t2(
        "time-range",
        &("from", &from.to_string()),
        &("to", &to.to_string()),
    )
}

/// The `lang` attribute of the page.
pub fn page_tag() -> &'static str {
    current().tag()
}

/// The link that shows this same page in the other language.
pub fn switch_href() -> String {
    let (here, other) = CHOSEN
        .try_with(|c| (c.here.clone(), c.language.other()))
        .unwrap_or_else(|_| ("/".to_owned(), Language::Welsh));
    let joiner = if here.contains('?') { '&' } else { '?' };
    format!("{here}{joiner}lang={}", other.code())
}

/// The other language's name and tag, for the switch link.
pub fn switch_name() -> &'static str {
    current().other().own_name()
}

pub fn switch_tag() -> &'static str {
    current().other().tag()
}

/// Decides the language of each request and keeps a new choice in a session cookie.
pub async fn choose(request: Request, next: Next) -> Response {
    let asked = asked_for(request.uri().query());
    let language = asked
        .or_else(|| from_cookie(request.headers()))
        .or_else(|| from_accept_language(request.headers()))
        .unwrap_or(Language::English);
    let here = without_lang(request.uri().path(), request.uri().query());
    let chosen = Chosen { language, here };
    let mut response = CHOSEN.scope(chosen, next.run(request)).await;
    // The same address answers in either language, so a cache must keep them apart.
    response.headers_mut().append(
        header::VARY,
        HeaderValue::from_static("accept-language, cookie"),
    );
    if let Some(language) = asked {
        // A session cookie (no expiry): it goes when the browser closes, and says only
        // which language was chosen.
        let cookie = format!(
            "{COOKIE}={}; Path=/; SameSite=Lax; HttpOnly",
            language.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

fn asked_for(query: Option<&str>) -> Option<Language> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(name, _)| name == "lang")
        .and_then(|(_, value)| Language::from_code(&value))
}

fn from_cookie(headers: &axum::http::HeaderMap) -> Option<Language> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| Language::from_code(value))
}

/// The first language the browser prefers that Knit speaks.
fn from_accept_language(headers: &axum::http::HeaderMap) -> Option<Language> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut ranked: Vec<(f32, Language)> = value
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let primary = tag.split('-').next()?;
            let language = Language::from_code(primary)?;
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (quality > 0.0).then_some((quality, language))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map(|(_, language)| *language)
}

fn without_lang(path: &str, query: Option<&str>) -> String {
    let kept: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .filter(|(name, _)| name != "lang")
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        return path.to_owned();
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish();
    format!("{path}?{query}")
}

#[cfg(test)]
mod catalogue_check;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_in_the_address_is_read_and_removed_from_the_switch_link() {
        assert_eq!(asked_for(Some("q=food&lang=cy")), Some(Language::Welsh));
        assert_eq!(asked_for(Some("lang=xx")), None);
        assert_eq!(
            without_lang("/search", Some("q=food+bank&lang=cy")),
            "/search?q=food+bank"
        );
        assert_eq!(without_lang("/", Some("lang=en")), "/");
    }

    #[test]
    fn the_browser_preference_picks_the_best_language_knit_speaks() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("fr;q=1, cy-GB;q=0.8, en;q=0.5"),
        );
        assert_eq!(from_accept_language(&headers), Some(Language::Welsh));
        headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("de"));
        assert_eq!(from_accept_language(&headers), None);
    }

    #[test]
    fn the_cookie_names_only_the_language() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("other=1; knit_lang=cy"),
        );
        assert_eq!(from_cookie(&headers), Some(Language::Welsh));
    }
}
