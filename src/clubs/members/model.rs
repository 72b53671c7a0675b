//! What the browser and the server exchange about a club's members and its
//! invitation links, and how many invitations one person may e-mail in a
//! day. Compiled on both sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Invitations one person may have e-mailed in a day: plenty for a club, too
/// few to use the site's address for bulk mail.
pub const EMAILED_INVITES_PER_DAY: i64 = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub user_id: Uuid,
    pub name: String,
    pub role: String,
    pub is_owner: bool,
    pub joined: String,
    pub books_read: i32,
    /// Only for those who may see contact details.
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersPage {
    pub club_id: Uuid,
    pub club_name: String,
    pub members: Vec<MemberRow>,
    pub me: Option<Uuid>,
    pub can_manage_members: bool,
    pub can_manage_invites: bool,
    pub can_hand_over: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRow {
    pub id: Uuid,
    pub expires: String,
    pub uses: i32,
    pub max_uses: i32,
    pub state: String,
}

/// What an invitation link leads to, for the person who opened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteStatus {
    Valid { club_id: Uuid, club_name: String },
    AlreadyMember { club_id: Uuid, club_name: String },
    Expired,
    UsedUp,
    Revoked,
    Unknown,
}
