//! Server-only plumbing that every feature stands on: configuration, the
//! application state and its database pool, web-session flash values, the
//! browser-facing protections, values kept for a little while, the tokens
//! Bookwork issues (signed access tokens, random secrets stored as hashes),
//! the database's time-zone list and the names of the metrics everything
//! records.
//!
//! It sits below the features and imports none of them (see
//! `docs/ARCHITECTURE.md`, "Layers"); the part that assembles the application
//! (router, start-up, shutdown) is `crate::server`, above them.
pub mod config;
pub mod db;
pub mod flash;
pub mod metrics;
pub mod page_transaction;
pub mod recent;
pub mod responses;
pub mod security;
pub mod state;
pub mod tokens;
pub mod transactions;
pub mod zones;
