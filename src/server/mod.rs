//! Server-only plumbing: configuration, the database (embedded or external),
//! application state, the HTTP router and its middleware, telemetry.
pub mod config;
pub mod db;
pub mod embedded_pg;
pub mod http;
pub mod leptos_config;
pub mod run;
pub mod shutdown;
pub mod state;
pub mod telemetry;
