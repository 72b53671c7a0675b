//! What the home page shows. Compiled on both sides.
use serde::{Deserialize, Serialize};

/// Public numbers shown to everyone on the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    pub public_clubs: i64,
    pub upcoming_public_events: i64,
}
