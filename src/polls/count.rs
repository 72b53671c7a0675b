//! Instant-runoff counting, as a pure function the results page and the
//! tests share.
//!
//! Each round counts every ballot for its highest-ranked option still
//! standing; a ballot with none left is exhausted. An option with more than
//! half of the continuing ballots wins. Otherwise the option with the fewest
//! votes is eliminated and its ballots move on. A tie for fewest is broken by
//! fewer votes in the round before (and the one before that, back to the
//! first), then by the order the options were added: the one added later goes.
use serde::{Deserialize, Serialize};

/// Why an option was eliminated when several had the fewest votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TieBreak {
    /// It had fewer votes in an earlier round (that round's number, from 1).
    EarlierRound(usize),
    /// Still tied: it was added later.
    AddedLater,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// Votes per option, by option index; `None` once it is eliminated.
    pub votes: Vec<Option<u32>>,
    /// Ballots with no option left standing.
    pub exhausted: u32,
    /// The option this round eliminated, if nobody won.
    pub eliminated: Option<usize>,
    pub tie_break: Option<TieBreak>,
}

impl Round {
    /// Ballots still counting for an option.
    pub fn continuing(&self) -> u32 {
        self.votes.iter().flatten().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub ballots: u32,
    pub rounds: Vec<Round>,
    /// None when no ballot ranked anything.
    pub winner: Option<usize>,
}

/// Counts `ballots` (option indexes, most preferred first; each option at
/// most once, which the caller has checked) over `options` options.
pub fn count(options: usize, ballots: &[Vec<usize>]) -> Outcome {
    let mut standing = vec![true; options];
    let mut rounds: Vec<Round> = Vec::new();
    loop {
        let mut votes = vec![0u32; options];
        let mut exhausted = 0;
        for ballot in ballots {
            match ballot.iter().find(|&&o| o < options && standing[o]) {
                Some(&o) => votes[o] += 1,
                None => exhausted += 1,
            }
        }
        let mut round = Round {
            votes: (0..options)
                .map(|o| standing[o].then_some(votes[o]))
                .collect(),
            exhausted,
            eliminated: None,
            tie_break: None,
        };
        let continuing = round.continuing();
        let majority = (0..options).find(|&o| standing[o] && votes[o] * 2 > continuing);
        let left = standing.iter().filter(|s| **s).count();
        if majority.is_some() || continuing == 0 || left <= 1 {
            rounds.push(round);
            return Outcome {
                ballots: u32::try_from(ballots.len()).unwrap_or(u32::MAX),
                rounds,
                winner: majority,
            };
        }
        let (loser, tie_break) = fewest(&standing, &votes, &rounds);
        standing[loser] = false;
        round.eliminated = Some(loser);
        round.tie_break = tie_break;
        rounds.push(round);
    }
}

/// The option to eliminate: fewest votes now; among those tied, fewest in
/// the latest earlier round that tells them apart; then the one added last.
fn fewest(standing: &[bool], votes: &[u32], earlier: &[Round]) -> (usize, Option<TieBreak>) {
    let least = (0..votes.len())
        .filter(|&o| standing[o])
        .map(|o| votes[o])
        .min()
        .expect("two or more options standing");
    let mut tied: Vec<usize> = (0..votes.len())
        .filter(|&o| standing[o] && votes[o] == least)
        .collect();
    if tied.len() == 1 {
        return (tied[0], None);
    }
    for (number, round) in earlier.iter().enumerate().rev() {
        let in_round = |o: usize| round.votes[o].unwrap_or(0);
        let low = tied.iter().map(|&o| in_round(o)).min().unwrap_or(0);
        let fewer: Vec<usize> = tied
            .iter()
            .copied()
            .filter(|&o| in_round(o) == low)
            .collect();
        if fewer.len() < tied.len() {
            tied = fewer;
            if tied.len() == 1 {
                return (tied[0], Some(TieBreak::EarlierRound(number + 1)));
            }
        }
    }
    (
        *tied.iter().max().expect("a tie has members"),
        Some(TieBreak::AddedLater),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(ranks: &[&[usize]]) -> Vec<Vec<usize>> {
        ranks.iter().map(|r| r.to_vec()).collect()
    }

    #[test]
    fn a_ranked_option_that_is_not_counted_is_passed_over() {
        // Option 2 of 2 does not exist (the caller drops unknown options,
        // but the count must not trip over one): the next choice counts.
        let o = count(2, &b(&[&[2, 0], &[1], &[0]]));
        assert_eq!(o.rounds[0].votes, [Some(2), Some(1)]);
        assert_eq!(o.winner, Some(0));
    }

    #[test]
    fn a_first_choice_majority_wins_in_round_one() {
        let o = count(3, &b(&[&[0], &[0, 1], &[1, 0], &[2]]));
        // 2 of 4 is not more than half: a runoff.
        assert_eq!(o.rounds.len(), 2);
        let o = count(3, &b(&[&[0], &[0, 1], &[0], &[1, 0], &[2]]));
        assert_eq!((o.winner, o.rounds.len()), (Some(0), 1));
    }

    #[test]
    fn a_split_majority_does_not_lose_to_the_largest_minority() {
        // Plurality would pick 0 (4 votes); 1 and 2 share a majority of 5
        // that prefers 1 to 0.
        let mut ballots = vec![vec![0]; 4];
        ballots.extend(vec![vec![1, 2]; 3]);
        ballots.extend(vec![vec![2, 1]; 2]);
        let o = count(3, &ballots);
        assert_eq!(o.winner, Some(1));
        assert_eq!(o.rounds[0].eliminated, Some(2));
        assert_eq!(o.rounds[1].votes, vec![Some(4), Some(5), None]);
    }

    #[test]
    fn exhausted_ballots_are_counted_and_shown() {
        let ballots = b(&[&[0], &[0], &[1], &[1], &[2]]);
        let o = count(3, &ballots);
        assert_eq!(o.rounds[0].eliminated, Some(2));
        assert_eq!(o.rounds[1].exhausted, 1);
        // 2 against 2 of 4 continuing: still no majority; 1 goes (added later).
        assert_eq!(o.rounds[1].eliminated, Some(1));
        assert_eq!(o.rounds[1].tie_break, Some(TieBreak::AddedLater));
        assert_eq!(o.winner, Some(0));
    }

    #[test]
    fn ties_are_broken_by_an_earlier_round_first() {
        // Round 1: 0:3 1:2 2:2 3:1 → 3 goes, its ballot moves to 2.
        // Round 2: 0:3 1:2 2:3 → 1 has fewest alone.
        // A tie in round 2 between options that differed in round 1:
        let ballots = b(&[
            &[0],
            &[0],
            &[0],
            &[1],
            &[1],
            &[2],
            &[2],
            &[3, 1],
            &[4, 2],
            &[4, 2],
        ]);
        let o = count(5, &ballots);
        // Round 1: 0:3 1:2 2:2 3:1 4:2 → 3 goes (fewest), its ballot to 1.
        assert_eq!(o.rounds[0].eliminated, Some(3));
        // Round 2: 0:3 1:3 2:2 4:2 → 2 and 4 tie; both had 2 in round 1; 4 added later.
        assert_eq!(o.rounds[1].eliminated, Some(4));
        assert_eq!(o.rounds[1].tie_break, Some(TieBreak::AddedLater));
        // Round 3: 0:3 1:3 2:4 → 0 and 1 tie; in round 2 they tied, in round 1
        // 1 had fewer (2 against 3): 1 goes.
        assert_eq!(o.rounds[2].eliminated, Some(1));
        assert_eq!(o.rounds[2].tie_break, Some(TieBreak::EarlierRound(1)));
        assert_eq!(o.winner, Some(2));
    }

    #[test]
    fn nothing_ranked_means_no_winner() {
        let o = count(3, &[vec![], vec![]]);
        assert_eq!(o.winner, None);
        assert_eq!(o.rounds.len(), 1);
        assert_eq!(o.rounds[0].exhausted, 2);
        assert_eq!(count(2, &[]).winner, None);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Up to 6 options and 40 ballots, each a ranking of some of them.
    fn election() -> impl Strategy<Value = (usize, Vec<Vec<usize>>)> {
        (1usize..=6).prop_flat_map(|options| {
            let ballot = Just((0..options).collect::<Vec<_>>())
                .prop_shuffle()
                .prop_flat_map(move |order| (0..=options).prop_map(move |n| order[..n].to_vec()));
            (Just(options), prop::collection::vec(ballot, 0..40))
        })
    }

    proptest! {
        #[test]
        fn a_first_choice_majority_wins_in_round_one((options, ballots) in election()) {
            let o = count(options, &ballots);
            for x in 0..options {
                let first = ballots.iter().filter(|b| b.first() == Some(&x)).count();
                if first * 2 > ballots.len() {
                    prop_assert_eq!(o.winner, Some(x));
                    prop_assert_eq!(o.rounds.len(), 1);
                }
            }
        }

        #[test]
        fn the_order_of_the_ballots_does_not_matter(
            (options, ballots) in election(),
            seed in any::<u64>(),
        ) {
            let mut shuffled = ballots.clone();
            // A deterministic shuffle from the seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(count(options, &ballots), count(options, &shuffled));
        }

        #[test]
        fn every_ballot_is_counted_once_in_every_round((options, ballots) in election()) {
            let o = count(options, &ballots);
            for round in &o.rounds {
                prop_assert_eq!(round.continuing() + round.exhausted, ballots.len() as u32);
            }
            prop_assert_eq!(o.ballots, ballots.len() as u32);
        }

        #[test]
        fn an_option_nobody_ranked_never_wins_while_another_has_votes((options, ballots) in election()) {
            let o = count(options, &ballots);
            let ranked = |x: usize| ballots.iter().any(|b| b.contains(&x));
            if ballots.iter().any(|b| !b.is_empty()) {
                let winner = o.winner;
                prop_assert!(winner.is_some_and(ranked), "{:?} won", winner);
            } else {
                prop_assert_eq!(o.winner, None);
            }
        }

        #[test]
        fn the_winner_is_never_eliminated_and_each_round_drops_one((options, ballots) in election()) {
            let o = count(options, &ballots);
            prop_assert!(o.rounds.len() <= options.max(1));
            for round in &o.rounds[..o.rounds.len() - 1] {
                prop_assert!(round.eliminated.is_some());
                prop_assert_ne!(round.eliminated, o.winner);
            }
        }
    }
}
