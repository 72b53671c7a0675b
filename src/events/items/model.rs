//! What the browser and the server exchange about an event's items and
//! tasks, and the check on what people type for an item. Compiled on both
//! sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, Checks};
use crate::forms::optional_text as optional;

pub const ITEM_CATEGORIES: [&str; 5] = ["agenda", "task", "material", "note", "other"];
pub const ITEM_STATUSES: [&str; 4] = ["pending", "in_progress", "completed", "cancelled"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub status: String,
    pub notes: String,
    pub assignee_id: Option<Uuid>,
    pub assignee: Option<String>,
    /// The viewer may change this item's status.
    pub can_update_status: bool,
    /// The viewer may take it on ("I'll bring it"): a task or material
    /// nobody has, of a coming meeting of their club.
    pub can_volunteer: bool,
}

/// A club member an item can be assigned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignable {
    pub id: Uuid,
    pub name: String,
}

/// An open task of mine, for the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyTask {
    pub id: Uuid,
    pub name: String,
    pub category: String,
    pub status: String,
    pub event_id: Uuid,
    pub event_title: String,
    pub starts: String,
}

/// An item's fields as typed, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItem {
    pub name: String,
    pub category: String,
    pub assignee: Option<Uuid>,
    pub notes: Option<String>,
}

pub fn validate_item(
    name: &str,
    category: &str,
    assignee: &str,
    notes: &str,
) -> Result<NewItem, AppError> {
    let mut checks = Checks::new();
    let name = checks.check(
        optional(name, "name", 255)
            .and_then(|n| n.ok_or_else(|| AppError::validation("name", "Give the item a name."))),
    );
    let category = category.trim();
    if !ITEM_CATEGORIES.contains(&category) {
        checks.add("category", "Choose a category.");
    }
    let assignee = match assignee.trim() {
        "" => Some(None),
        raw => checks.check(raw.parse::<Uuid>().map(Some).map_err(|_| {
            AppError::validation("assignee", "Choose a member of the club, or nobody.")
        })),
    };
    let notes = checks.check(optional(notes, "notes", 2000));
    checks.done(|| {
        Some(NewItem {
            name: name?,
            category: category.to_owned(),
            assignee: assignee?,
            notes: notes?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_input_is_checked() {
        assert!(validate_item("Bring snacks", "task", "", "").is_ok());
        assert!(validate_item("", "task", "", "").is_err());
        assert!(validate_item("x", "chore", "", "").is_err());
        assert!(validate_item("x", "task", "someone", "").is_err());
        assert_eq!(
            validate_item("", "chore", "someone", "")
                .unwrap_err()
                .fields(),
            ["name", "category", "assignee"]
        );
    }
}
