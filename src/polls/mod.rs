//! Polls: ranked-choice book polls and date polls. (So far: counting.)
pub mod count;
