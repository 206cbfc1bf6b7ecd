//! The web kit every feature's pages share: rendering and the one error type
//! ([`page`]), the one gate every request passes ([`gate`]), staff sessions and form tokens
//! ([`session`], [`csrf`]), where a request came from ([`address`]), what forms share
//! ([`forms`]), the one limit on public forms ([`public_limit`]) and the security headers
//! ([`security`]).

pub mod address;
pub mod csrf;
pub mod forms;
pub mod gate;
pub mod language;
pub mod page;
pub mod public_limit;
pub mod security;
pub mod session;

pub use address::{ClientAddress, TrustedProxies, emailed_link, public_base_url};
pub use forms::{
    FieldError, day, parse_date, random_bytes, see_other, ticked, when, with_repeated,
};
pub use gate::{Allowed, Guard};
pub use page::{Notice, PageError, PageResult, capitalised, render};
