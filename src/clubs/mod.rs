//! Clubs: discover, create, view, join and leave. Who may do what is in
//! `authz.rs`.
pub mod api;
pub mod authz;
#[cfg(feature = "ssr")]
pub(crate) mod db;
pub mod members;
pub mod members_pages;
#[cfg(feature = "ssr")]
mod members_server;
pub mod pages;
