//! Local Connectors: "become a connector" and the postcard landing on the public site,
//! and the connector's own pages — logging a conversation, passing a person to a
//! coordinator, printing postcards — with the figures for them and for place leads.

pub(crate) mod become_a_connector;
pub(crate) mod conversations;
pub(crate) mod figures;
pub mod postcards;
