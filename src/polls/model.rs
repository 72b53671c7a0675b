//! What the browser and the server exchange about polls, and the checks on
//! a ballot as sent. Compiled on both sides.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::count::Outcome;
use super::dates::model::DateGrid;
use crate::clubs::authz::Viewer;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollOption {
    pub id: Uuid,
    pub book_id: Option<Uuid>,
    pub title: String,
    pub authors: String,
}

/// Books of the shelf as the choices of a `forms::SelectField`: (id, title).
pub fn shelf_choices(books: &[PollOption]) -> Vec<(String, String)> {
    books
        .iter()
        .map(|b| (b.id.to_string(), b.title.clone()))
        .collect()
}

/// A poll as one viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollPage {
    pub id: Uuid,
    pub club_id: Uuid,
    pub club_name: String,
    pub title: String,
    /// When it closes (or closed), in the viewer's zone.
    pub closes: String,
    pub open: bool,
    pub results_live: bool,
    /// In the order they were added.
    pub options: Vec<PollOption>,
    /// The viewer's ranking: option ids, most preferred first.
    pub my_ranking: Vec<Uuid>,
    /// Ballots cast (people who answered, for dates). Shown to the club's
    /// people always, to everyone else once the poll shows its results.
    pub ballots_cast: Option<i64>,
    /// Counted, when the viewer may see results.
    pub outcome: Option<Outcome>,
    pub can_vote: bool,
    pub can_manage: bool,
    /// Delete the poll (organisers; site moderators, as moderation).
    pub can_delete: bool,
    /// Who is looking, for what the page offers them instead of a ballot
    /// (sign in, join the club).
    pub viewer: Viewer,
    /// The winner's book is already up next (or reading, or read).
    pub winner_shelved: bool,
    /// "book" or "date".
    pub kind: String,
    /// A date poll's grid (`options` is then empty).
    pub dates: Option<DateGrid>,
    /// While members nominate books (before voting starts).
    pub nominations: Option<Nominations>,
    /// Who nominated each option (empty: the organiser's pick; "a member"
    /// for viewers who may not see the club's members).
    pub nominated_by: Vec<String>,
}

/// A book poll's nomination phase, for one viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nominations {
    /// Most books each member may nominate.
    pub cap: i16,
    /// How many the viewer has nominated.
    pub mine: i64,
    pub can_nominate: bool,
    /// Shelf books (suggested, up next) not in the poll yet.
    pub shelf: Vec<PollOption>,
}

/// A poll in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollSummary {
    pub id: Uuid,
    pub title: String,
    pub closes: String,
    pub open: bool,
    pub voted: bool,
}

/// An open poll the viewer may vote in and has not, for the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollWaiting {
    pub id: Uuid,
    pub title: String,
    pub club_name: String,
    pub closes: String,
}

/// A club's polls for its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClubPolls {
    pub club_id: Uuid,
    pub polls: Vec<PollSummary>,
    /// The viewer may open a poll.
    pub can_open: bool,
}

/// What a new poll's form offers: the club's books on the shelves that poll
/// kind chooses from (and the club's zone for the closing time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPollForm {
    pub club_id: Uuid,
    pub club_name: String,
    pub time_zone: String,
    /// A week from today, in the club's zone.
    pub default_date: String,
    pub books: Vec<PollOption>,
}

/// The form field of an option's rank: `rank[option-<id>]`. (A key starting
/// with a digit, as a bare id may, would be read as a list index.)
pub fn rank_field(option: Uuid) -> String {
    format!("rank[option-{option}]")
}

/// A ballot as the form sends it: for each option (keyed `option-<id>`),
/// its rank ("1", "2", …) or nothing. Returns the option ids in order of
/// preference.
///
/// Every option ranked at most once, ranks from 1 without gaps, and only
/// this poll's options; each problem in words.
pub fn ranking_from_form(
    options: &[Uuid],
    ranks: &HashMap<String, String>,
) -> Result<Vec<Uuid>, AppError> {
    let mut ranked: Vec<(u32, Uuid)> = Vec::new();
    for (key, value) in ranks {
        let option = key
            .strip_prefix("option-")
            .and_then(|id| id.parse::<Uuid>().ok())
            .filter(|o| options.contains(o))
            .ok_or_else(|| AppError::validation("form", "That ballot is for another poll."))?;
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let rank = value
            .parse::<u32>()
            .ok()
            .filter(|r| (1..=u32::try_from(options.len()).unwrap_or(u32::MAX)).contains(r))
            .ok_or_else(|| AppError::validation("form", "Choose a rank from the list."))?;
        ranked.push((rank, option));
    }
    ranked.sort();
    for window in ranked.windows(2) {
        if window[0].0 == window[1].0 {
            return Err(AppError::validation(
                "form",
                format!(
                    "Two books are ranked {}. Give each rank to one book only.",
                    ordinal(window[0].0)
                ),
            ));
        }
    }
    for (expected, (rank, _)) in (1..).zip(&ranked) {
        if *rank != expected {
            return Err(AppError::validation(
                "form",
                format!(
                    "Ranks go 1st, 2nd, 3rd… without gaps: nothing is ranked {}.",
                    ordinal(expected)
                ),
            ));
        }
    }
    if ranked.is_empty() {
        return Err(AppError::validation(
            "form",
            "Rank at least one book (1st is your favourite).",
        ));
    }
    Ok(ranked.into_iter().map(|(_, o)| o).collect())
}

/// A ballot being filled in, as each option's rank (in the order the
/// options were added): what the up/down buttons and selects change when
/// JavaScript runs. The rows show in [`Ranks::order`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranks(pub Vec<Option<u32>>);

impl Ranks {
    /// The options in the order shown: ranked ones by rank (a tie, as typed
    /// without JavaScript, by the order added), then the unranked ones.
    pub fn order(&self) -> Vec<usize> {
        let mut ranked: Vec<(u32, usize)> = self
            .0
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| (r, i)))
            .collect();
        ranked.sort();
        let unranked = (0..self.0.len()).filter(|i| self.0[*i].is_none());
        ranked.into_iter().map(|(_, i)| i).chain(unranked).collect()
    }

    /// The ranked options, most preferred first.
    fn ranked(&self) -> Vec<usize> {
        let order = self.order();
        order.into_iter().filter(|i| self.0[*i].is_some()).collect()
    }

    /// Ranks 1, 2, 3… in this order; everything else unranked.
    fn from_ranked(len: usize, ranked: &[usize]) -> Self {
        let mut ranks = vec![None; len];
        for (rank, option) in (1..).zip(ranked) {
            ranks[*option] = Some(rank);
        }
        Ranks(ranks)
    }

    /// `option` takes `rank` (the others move along to make room), or
    /// leaves the ranking.
    pub fn set(&self, option: usize, rank: Option<u32>) -> Self {
        let mut ranked = self.ranked();
        ranked.retain(|o| *o != option);
        if let Some(rank) = rank {
            let at = usize::try_from(rank.max(1) - 1)
                .unwrap_or(0)
                .min(ranked.len());
            ranked.insert(at, option);
        }
        Ranks::from_ranked(self.0.len(), &ranked)
    }

    /// One place higher; an unranked option joins the ranking at its end.
    pub fn up(&self, option: usize) -> Self {
        let mut ranked = self.ranked();
        match ranked.iter().position(|o| *o == option) {
            Some(0) => {}
            Some(at) => ranked.swap(at, at - 1),
            None => ranked.push(option),
        }
        Ranks::from_ranked(self.0.len(), &ranked)
    }

    /// One place lower; the last ranked option leaves the ranking.
    pub fn down(&self, option: usize) -> Self {
        let mut ranked = self.ranked();
        match ranked.iter().position(|o| *o == option) {
            Some(at) if at + 1 < ranked.len() => ranked.swap(at, at + 1),
            Some(at) => {
                ranked.remove(at);
            }
            None => {}
        }
        Ranks::from_ranked(self.0.len(), &ranked)
    }
}

/// 1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, 21st.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(Uuid, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(o, r)| (format!("option-{o}"), r.to_string()))
            .collect()
    }

    #[test]
    fn a_ballot_is_read_in_order_of_rank() {
        let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let options = [a, b, c];
        assert_eq!(
            ranking_from_form(&options, &form(&[(a, "2"), (b, ""), (c, "1")])).unwrap(),
            vec![c, a]
        );
        let message =
            |r: Result<Vec<Uuid>, AppError>| r.unwrap_err().field_message("form").unwrap();
        assert_eq!(
            message(ranking_from_form(&options, &form(&[(a, "1"), (b, "1")]))),
            "Two books are ranked 1st. Give each rank to one book only."
        );
        assert_eq!(
            message(ranking_from_form(&options, &form(&[(a, "1"), (b, "3")]))),
            "Ranks go 1st, 2nd, 3rd… without gaps: nothing is ranked 2nd."
        );
        assert!(ranking_from_form(&options, &form(&[(a, "")])).is_err());
        assert!(ranking_from_form(&options, &form(&[(a, "4")])).is_err());
        assert!(ranking_from_form(&options, &form(&[(Uuid::new_v4(), "1")])).is_err());
    }

    #[test]
    fn up_and_down_buttons_and_selects_keep_ranks_without_gaps() {
        // Options A B C D; ranked C, A; B and D not ranked.
        let r = Ranks(vec![Some(2), None, Some(1), None]);
        assert_eq!(r.order(), [2, 0, 1, 3]);
        assert_eq!(r.up(0), Ranks(vec![Some(1), None, Some(2), None]));
        assert_eq!(r.up(2), r, "first stays first");
        assert_eq!(r.up(3), Ranks(vec![Some(2), None, Some(1), Some(3)]));
        assert_eq!(r.down(2), Ranks(vec![Some(1), None, Some(2), None]));
        assert_eq!(
            r.down(0),
            Ranks(vec![None, None, Some(1), None]),
            "last leaves"
        );
        assert_eq!(r.down(1), r, "unranked stays");
        // Choosing 1st for B puts it first and moves the others along.
        assert_eq!(
            r.set(1, Some(1)),
            Ranks(vec![Some(3), Some(1), Some(2), None])
        );
        // A rank past the end goes to the end; none leaves the ranking.
        assert_eq!(
            r.set(3, Some(4)),
            Ranks(vec![Some(2), None, Some(1), Some(3)])
        );
        assert_eq!(r.set(2, None), Ranks(vec![Some(1), None, None, None]));
        // Ties typed without JavaScript are shown in the order added, and
        // kept until something is changed.
        let typed = Ranks(vec![Some(1), Some(1), None]);
        assert_eq!(typed.order(), [0, 1, 2]);
        assert_eq!(typed.up(1), Ranks(vec![Some(2), Some(1), None]));
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .map(ordinal)
            .to_vec();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }
}

/// The new book poll form as the browser sends it; `create_poll` takes it
/// as it comes (`#[server(flatten)]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollInput {
    pub title: String,
    /// When the poll closes.
    pub date: String,
    pub time: String,
    /// The ticked books (`books[]`), by id.
    #[serde(default)]
    pub books: Vec<String>,
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub results_live: bool,
    /// Members nominate books first, `cap` each.
    #[serde(default, deserialize_with = "crate::forms::checkbox")]
    pub nominate: bool,
    #[serde(default)]
    pub cap: String,
}
