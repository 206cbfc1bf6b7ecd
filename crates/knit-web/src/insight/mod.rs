//! Place insight: what the network's own records say about how it is doing. For now, where
//! the needs matcher is weak, from what coordinators did with its suggestions.

pub(crate) mod matcher;
