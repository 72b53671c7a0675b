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
    /// May see and answer the club's requests to join.
    pub can_answer_requests: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRow {
    pub id: Uuid,
    /// When it stops working, in the reader's zone (else the club's), named.
    pub expires: String,
    /// The address it was e-mailed to; `None` for a link to share by hand.
    pub sent_to: Option<String>,
    pub uses: i32,
    pub max_uses: i32,
    pub state: String,
}

/// What an invitation link leads to, for the person who opened it.
/// What someone who opened a working invitation link sees of the club
/// before they join.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitePreview {
    pub description: Option<String>,
    pub members: i64,
    /// Who made the link (gone if they have left Bookwork).
    pub invited_by: Option<String>,
    /// The club's next meeting, in the club's zone.
    pub next_meeting: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteStatus {
    Valid {
        club_id: Uuid,
        club_name: String,
        preview: InvitePreview,
    },
    AlreadyMember {
        club_id: Uuid,
        club_name: String,
    },
    Expired,
    UsedUp,
    Revoked,
    Unknown,
}
