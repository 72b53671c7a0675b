//! The home page: what Bookwork is, and a live glance at the community.
pub mod api;
#[cfg(feature = "ssr")]
mod db;
pub mod model;
pub mod pages;
