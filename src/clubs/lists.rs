//! Lists of clubs: discover (search, tags, pages) and the clubs a person
//! belongs to. Row security decides which clubs a list may hold; the member
//! counts come from the owner's counting function in the same statement.
use sqlx::PgConnection;
use uuid::Uuid;

use super::model::{club_summary_from_row, ClubList, ClubSummary, CLUBS_PER_PAGE};
use crate::auth::model::SessionUser;
use crate::error::AppResult;

/// How discover orders clubs: by how well they match a search, by size
/// (the default without a search: a list that starts with clubs people
/// chose), by the soonest next meeting the viewer may see, or by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscoverOrder {
    BestMatch,
    Size,
    Soonest,
    Name,
}

impl DiscoverOrder {
    /// The order asked for (`sort`), else the default: best match for a
    /// search or tag, size otherwise (best match needs words to match).
    pub fn chosen(sort: &str, searching: bool) -> Self {
        match (sort, searching) {
            ("size", _) => Self::Size,
            ("soon", _) => Self::Soonest,
            ("name", _) => Self::Name,
            (_, true) => Self::BestMatch,
            (_, false) => Self::Size,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::BestMatch => "match",
            Self::Size => "size",
            Self::Soonest => "soon",
            Self::Name => "name",
        }
    }
}

pub async fn discover(
    db: &mut PgConnection,
    viewer: Option<&SessionUser>,
    search: &str,
    tag: &str,
    order: DiscoverOrder,
    page: i64,
) -> AppResult<ClubList> {
    // Site staff see every club; everyone else public ones and their own.
    let staff = viewer.is_some_and(|v| v.role == "admin" || v.role == "moderator");
    let tag = tag.to_lowercase();
    // One statement, several ways to pick the page's clubs. The plan is
    // generic and each branch's parameter test is a one-time filter, so
    // only one runs. With no search or tag the page is read in size or name
    // order from an index (`clubs_size_order`, `clubs_name_order`) and the
    // total is kept (`visible_club_total`), so the cost does not grow with
    // the number of clubs; by soonest meeting, every visible club's next
    // meeting is looked up (one index probe each). A search or tag ranks
    // the matches and counts them. Each branch gives its clubs a `rank`
    // (higher first; then the name), so the page is cut in the order it is
    // shown. Each branch carries the clubs' columns: joining `clubs` again
    // by id was planned as a hash join over every club.
    let rows = sqlx::query!(
        r#"WITH listed AS (
             (SELECT c.id, c.name, c.description, c.is_public, c.max_members, c.meeting_frequency,
                     c.location, c.tags, 0::float8 AS rank,
                     (SELECT bookwork_private.visible_club_total()) AS total
                FROM clubs c
               WHERE $3 = '' AND $4 = '' AND $7 = 'name'
                 AND (c.is_public OR $1 OR EXISTS (SELECT 1 FROM club_members m
                       WHERE m.club_id = c.id AND m.user_id = $2 AND m.is_active))
               ORDER BY lower(c.name), c.id
               LIMIT $5 OFFSET $6)
             UNION ALL
             (SELECT c.id, c.name, c.description, c.is_public, c.max_members, c.meeting_frequency,
                     c.location, c.tags, c.member_total::float8,
                     (SELECT bookwork_private.visible_club_total())
                FROM clubs c
               WHERE $3 = '' AND $4 = '' AND $7 NOT IN ('name', 'soon')
                 AND (c.is_public OR $1 OR EXISTS (SELECT 1 FROM club_members m
                       WHERE m.club_id = c.id AND m.user_id = $2 AND m.is_active))
               ORDER BY c.member_total DESC, lower(c.name), c.id
               LIMIT $5 OFFSET $6)
             UNION ALL
             (SELECT c.id, c.name, c.description, c.is_public, c.max_members, c.meeting_frequency,
                     c.location, c.tags,
                     COALESCE(-extract(epoch FROM nm.starts_at)::float8, '-Infinity'::float8),
                     (SELECT bookwork_private.visible_club_total())
                FROM clubs c
                LEFT JOIN LATERAL (SELECT e.starts_at FROM events e
                      WHERE e.club_id = c.id AND e.starts_at > now() AND e.cancelled_at IS NULL
                      ORDER BY e.starts_at LIMIT 1) nm ON true
               WHERE $3 = '' AND $4 = '' AND $7 = 'soon'
                 AND (c.is_public OR $1 OR EXISTS (SELECT 1 FROM club_members m
                       WHERE m.club_id = c.id AND m.user_id = $2 AND m.is_active))
               ORDER BY nm.starts_at NULLS LAST, lower(c.name), c.id
               LIMIT $5 OFFSET $6)
             UNION ALL
             (SELECT c.id, c.name, c.description, c.is_public, c.max_members, c.meeting_frequency,
                     c.location, c.tags, r.rank, count(*) OVER ()
                FROM clubs c
                CROSS JOIN LATERAL (SELECT CASE $7
                      WHEN 'name' THEN 0::float8
                      WHEN 'size' THEN c.member_total::float8
                      WHEN 'soon' THEN COALESCE(-extract(epoch FROM (
                             SELECT e.starts_at FROM events e
                              WHERE e.club_id = c.id AND e.starts_at > now() AND e.cancelled_at IS NULL
                              ORDER BY e.starts_at LIMIT 1))::float8, '-Infinity'::float8)
                      ELSE CASE WHEN $3 = '' THEN 0 ELSE ts_rank(c.search, websearch_to_tsquery('english', $3)) END::float8
                      END AS rank) r
               WHERE NOT ($3 = '' AND $4 = '')
                 AND (c.is_public OR $1 OR EXISTS (SELECT 1 FROM club_members m
                       WHERE m.club_id = c.id AND m.user_id = $2 AND m.is_active))
                 AND ($3 = '' OR c.search @@ websearch_to_tsquery('english', $3))
                 AND ($4 = '' OR $4 = ANY (c.tags))
               ORDER BY r.rank DESC, lower(c.name), c.id
               LIMIT $5 OFFSET $6))
           SELECT l.id AS "id!", l.name AS "name!", l.description, l.is_public AS "is_public!",
                  l.max_members, l.meeting_frequency,
                  (SELECT b.title || CASE WHEN b.authors <> '' THEN ' by ' || b.authors ELSE '' END FROM books b WHERE b.club_id = l.id AND b.shelf = 'reading'
                    ORDER BY b.shelved_at DESC LIMIT 1) AS current_book,
                  (SELECT notice_time(e.starts_at, e.time_zone) FROM events e
                    WHERE e.club_id = l.id AND e.starts_at > now() AND e.cancelled_at IS NULL
                    ORDER BY e.starts_at LIMIT 1) AS next_meeting,
                  l.location, l.tags AS "tags!", COALESCE(n.members, 0) AS "member_count!",
                  l.total AS "total!"
             FROM listed l
             LEFT JOIN bookwork_private.member_counts(ARRAY(SELECT id FROM listed)) n
                    ON n.club_id = l.id
            ORDER BY l.rank DESC, lower(l.name), l.id"#,
        staff,
        viewer.map(|v| v.id),
        search,
        tag,
        CLUBS_PER_PAGE,
        (page - 1) * CLUBS_PER_PAGE,
        order.key()
    )
    .fetch_all(&mut *db)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    Ok(ClubList {
        clubs: rows
            .into_iter()
            .map(|r| club_summary_from_row!(r))
            .collect(),
        total,
        page,
        pages: ((total + CLUBS_PER_PAGE - 1) / CLUBS_PER_PAGE).max(1),
    })
}

pub async fn my_clubs(db: &mut PgConnection, user: Uuid) -> AppResult<Vec<ClubSummary>> {
    // The member counts come from the same statement: one call of the
    // owner's counting function for all the clubs listed.
    Ok(sqlx::query_as!(
        ClubSummary,
        r#"WITH mine AS (
             SELECT c.id, c.name, c.description, c.is_public, c.max_members, c.meeting_frequency,
                    (SELECT b.title || CASE WHEN b.authors <> '' THEN ' by ' || b.authors ELSE '' END FROM books b WHERE b.club_id = c.id AND b.shelf = 'reading'
                      ORDER BY b.shelved_at DESC LIMIT 1) AS current_book,
                    (SELECT notice_time(e.starts_at, e.time_zone) FROM events e
                      WHERE e.club_id = c.id AND e.starts_at > now() AND e.cancelled_at IS NULL
                      ORDER BY e.starts_at LIMIT 1) AS next_meeting,
                    c.location, c.tags
               FROM clubs c JOIN club_members m ON m.club_id = c.id
              WHERE m.user_id = $1 AND m.is_active)
           SELECT mine.id AS "id!", mine.name AS "name!", mine.description,
                  mine.is_public AS "is_public!", mine.max_members, mine.meeting_frequency,
                  mine.current_book, mine.next_meeting, mine.location, mine.tags AS "tags!",
                  COALESCE(n.members, 0) AS "member_count!"
             FROM mine
             LEFT JOIN bookwork_private.member_counts(ARRAY(SELECT id FROM mine)) n
                    ON n.club_id = mine.id
            ORDER BY lower(mine.name)"#,
        user
    )
    .fetch_all(&mut *db)
    .await?)
}

/// Public clubs to show a visitor (or a newcomer) on the home page: those
/// meeting soonest in public first, then the newest. Only public clubs and
/// their public meetings are read, so the list is the same whoever asks,
/// and an instance may keep it for everyone (`home::api`).
pub async fn featured(db: &mut PgConnection, limit: i64) -> AppResult<Vec<ClubSummary>> {
    let rows = sqlx::query!(
        r#"WITH picked AS (
             SELECT c.id, c.name, c.description, c.is_public, c.max_members, c.meeting_frequency,
                    c.location, c.tags, c.created_at, nm.starts_at AS next_at, nm.shown AS next_meeting,
                    (SELECT b.title || CASE WHEN b.authors <> '' THEN ' by ' || b.authors ELSE '' END FROM books b WHERE b.club_id = c.id AND b.shelf = 'reading'
                      ORDER BY b.shelved_at DESC LIMIT 1) AS current_book
               FROM clubs c
               LEFT JOIN LATERAL (
                    SELECT e.starts_at, notice_time(e.starts_at, e.time_zone) AS shown FROM events e
                     WHERE e.club_id = c.id AND e.is_public AND e.starts_at > now()
                       AND e.cancelled_at IS NULL
                     ORDER BY e.starts_at LIMIT 1) nm ON true
              WHERE c.is_public
              ORDER BY nm.starts_at IS NULL, nm.starts_at, c.created_at DESC, c.id
              LIMIT $1)
           SELECT p.id AS "id!", p.name AS "name!", p.description, p.is_public AS "is_public!",
                  p.max_members, p.meeting_frequency, p.current_book, p.next_meeting,
                  p.location, p.tags AS "tags!", COALESCE(n.members, 0) AS "member_count!"
             FROM picked p
             LEFT JOIN bookwork_private.member_counts(ARRAY(SELECT id FROM picked)) n
                    ON n.club_id = p.id
            ORDER BY p.next_at IS NULL, p.next_at, p.created_at DESC, p.id"#,
        limit
    )
    .fetch_all(&mut *db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| club_summary_from_row!(r))
        .collect())
}
