//! The part that assembles and runs the application: the HTTP router and its
//! middleware, start-up and shutdown, the embedded database, telemetry, the
//! periodic clean-up, the metrics exporter and demo data. It sits above every feature (see
//! `docs/ARCHITECTURE.md`, "Layers"); the plumbing the features use is
//! `crate::platform`, below them.
pub mod assets;
pub mod deadline;
pub mod demo;
pub mod doctor;
pub mod embedded_pg;
pub mod form_boundary;
pub mod http;
pub mod leptos_config;
pub mod maintenance;
pub mod metrics;
pub mod roles;
pub mod run;
mod session_store;
pub mod shutdown;
pub mod telemetry;
