//! The demo's people: new accounts (a real password only for those the
//! report prints), their club roles, and each club's members, some borrowed
//! from the previous club. Apart from `mod.rs`, which makes clubs and runs
//! the seeding, as `events.rs` holds the meetings.
use chrono::{DateTime, Duration, Utc};
use rand::distributions::Alphanumeric;
use rand::Rng;
use uuid::Uuid;

use super::insert::Batch;
use super::words::{FIRST_NAMES, LAST_NAMES};
use super::{DemoAccount, DemoError, Generator, Member, EMAIL_DOMAIN, NO_PASSWORD_PREFIX};
use crate::auth::password::hash_password;

/// A generated person before they are written.
struct Person {
    id: Uuid,
    name: String,
    email: String,
}

impl Generator {
    /// The club's members, owner first, as rows in `batch`. New people are
    /// created as needed; some come from the previous club.
    pub(super) async fn members(
        &mut self,
        club: Uuid,
        club_name: &str,
        club_created: DateTime<Utc>,
        printed: bool,
        batch: &mut Batch,
    ) -> Result<Vec<Member>, DemoError> {
        let count = self.size.members_per_club as usize;
        let mut members = Vec::with_capacity(count);
        for slot in 0..count {
            // Every sixth member (from the sixth on) is someone from the
            // previous club's fifth, eleventh, ... slot: a plain member or
            // guest there, and never the same person twice here.
            let borrowed = (slot % 6 == 5)
                .then(|| self.previous.get(slot - 1).copied())
                .flatten();
            let (member, joined) = match borrowed {
                Some(member) => (member, self.between(member.created_at.max(club_created))),
                None => {
                    let joined = if slot == 0 {
                        club_created
                    } else {
                        self.between(club_created)
                    };
                    let is_guest = slot >= 4 && self.rng.gen_bool(0.1);
                    let created_at = joined - Duration::days(self.rng.gen_range(0..=3));
                    let standing = match slot {
                        0 => "owner",
                        _ => "member",
                    };
                    let account = (printed && slot <= 1).then_some((club_name, standing));
                    let user = self.person(is_guest, created_at, account, batch).await?;
                    (
                        Member {
                            user,
                            is_guest,
                            created_at,
                        },
                        joined,
                    )
                }
            };
            let role = self.club_role(slot, member.is_guest);
            let months = (self.now - joined).num_days() / 30;
            let m = &mut batch.members;
            m.club_id.push(club);
            m.user_id.push(member.user);
            m.role.push(role);
            m.joined_date.push(joined);
            m.books_read
                .push(self.rng.gen_range(0..=months.max(0)) as i32);
            members.push(member);
        }
        self.counts.memberships += count as u64;
        Ok(members)
    }

    /// The owner is an admin; then a plain member (the one printed), a
    /// co-admin and a moderator; the rest mostly members, a few moderators,
    /// and guests where the person is a guest of the site.
    fn club_role(&mut self, slot: usize, is_guest: bool) -> &'static str {
        match slot {
            0 | 2 => "admin",
            1 => "member",
            3 => "moderator",
            _ if is_guest => "guest",
            _ if self.rng.gen_bool(0.06) => "moderator",
            _ => "member",
        }
    }

    /// A new person as a row in `batch`. With `account` (their club and
    /// standing) they get a real random password, and the report lists them.
    async fn person(
        &mut self,
        is_guest: bool,
        created_at: DateTime<Utc>,
        account: Option<(&str, &'static str)>,
        batch: &mut Batch,
    ) -> Result<Uuid, DemoError> {
        let person = self.new_person();
        let password_hash = match account {
            Some((club, standing)) => {
                let password = self.password();
                let hash = hash_password(password.clone())
                    .await
                    .map_err(|_| DemoError::Hashing)?;
                self.accounts.push(DemoAccount {
                    name: person.name.clone(),
                    email: person.email.clone(),
                    password,
                    club: club.to_owned(),
                    standing,
                });
                hash
            }
            None => format!("{NO_PASSWORD_PREFIX}{:032x}", self.rng.gen::<u128>()),
        };
        let u = &mut batch.users;
        u.id.push(person.id);
        u.name.push(person.name);
        u.email.push(person.email);
        u.password_hash.push(password_hash);
        u.role.push(if is_guest { "guest" } else { "member" });
        u.created_at.push(created_at);
        self.counts.users += 1;
        Ok(person.id)
    }

    fn new_person(&mut self) -> Person {
        let first = self.pick(FIRST_NAMES);
        let last = self.pick(LAST_NAMES);
        let local = format!("{}.{}", email_word(first), email_word(last));
        let seen = self.locals.entry(local.clone()).or_insert(0);
        *seen += 1;
        let local = match *seen {
            1 => local,
            n => format!("{local}{n}"),
        };
        Person {
            id: Uuid::new_v4(),
            name: format!("{first} {last}"),
            email: format!("{local}+{}@{EMAIL_DOMAIN}", self.tag),
        }
    }

    /// 16 random letters and digits (about 95 bits), in groups of four so it
    /// can be read out and typed.
    fn password(&mut self) -> String {
        let chars: Vec<char> = (0..16)
            .map(|_| char::from(self.rng.sample(Alphanumeric)))
            .collect();
        chars
            .chunks(4)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// A name as it may appear in an email's local part: "O'Brien" -> "obrien".
fn email_word(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
