//! Knit's search: the in-process directory index and the needs matcher.
//!
//! The index is built from the database at start and kept current on every write. It
//! holds only what ranking and filtering need; pages load the services they show from
//! the store.

pub mod catalogue;
pub mod directory_index;
pub mod matcher;
pub mod opportunities;

pub use directory_index::{DirectoryIndex, Hit, Reason, SearchQuery, SearchResults};
pub use matcher::{JsonlError, Matcher, NeedMatch, run_jsonl};
