//! `bookwork demo-data` against a real PostgreSQL: the sizes asked for, data
//! the app's own rules would accept, and passwords that work only where printed.
use bookwork::auth::password::verify_password;
use bookwork::server::demo::{seed, DemoReport, DemoSize, NO_PASSWORD_PREFIX, PRINTED_CLUBS};
use sqlx::PgPool;

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn small(pool: &PgPool) -> DemoReport {
    seed(pool, DemoSize::new(3, 7, 6).unwrap()).await.unwrap()
}

#[test]
fn sizes_are_read_from_flags_and_refused_outside_their_limits() {
    assert_eq!(
        DemoSize::from_args(&[]).unwrap(),
        DemoSize::new(6, 12, 8).unwrap()
    );
    let size = DemoSize::from_args(&["--events-per-club", "3", "--clubs", "40"]).unwrap();
    assert_eq!(
        (
            size.clubs(),
            size.members_per_club(),
            size.events_per_club()
        ),
        (40, 12, 3)
    );
    for bad in [
        &["--clubs", "0"][..],
        &["--clubs", "10001"],
        &["--members-per-club", "501"],
        &["--events-per-club", "1001"],
        &["--events-per-club", "0"],
        &["--clubs", "-1"],
        &["--clubs", "many"],
        &["--clubs"],
        &["--club", "3"],
        &["3"],
    ] {
        assert!(DemoSize::from_args(bad).is_err(), "{bad:?} was accepted");
    }
    let message = DemoSize::from_args(&["--members-per-club", "0"]).unwrap_err();
    assert!(
        message.contains("--members-per-club") && message.contains("500"),
        "{message}"
    );
    assert!(DemoSize::from_args(&["--clubs", "10000", "--members-per-club", "500"]).is_ok());
}

#[sqlx::test]
async fn seeds_the_size_asked_for(pool: PgPool) {
    let report = small(&pool).await;
    let c = &report.counts;
    assert_eq!((c.clubs, c.memberships, c.events), (3, 21, 18));
    assert_eq!(count(&pool, "SELECT count(*) FROM clubs").await, 3);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM club_members WHERE is_active").await,
        21
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM events").await, 18);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM users").await as u64,
        c.users
    );
    // A few members belong to two clubs, so there are fewer people than places.
    assert!((19..=21).contains(&c.users), "{} people", c.users);
    let items = count(&pool, "SELECT count(*) FROM event_items").await;
    assert_eq!(items as u64, c.items);
    assert!((36..=72).contains(&items), "{items} items");
    let rsvps = count(&pool, "SELECT count(*) FROM availability").await;
    assert_eq!(rsvps as u64, c.rsvps);
    assert!(rsvps >= 18 * 3, "{rsvps} RSVPs");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM availability WHERE waitlisted").await as u64,
        c.waitlisted
    );
    // Half the events are over, half to come, in every club.
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM (SELECT club_id FROM events GROUP BY club_id
              HAVING count(*) FILTER (WHERE event_date < current_date) = 3
                 AND count(*) FILTER (WHERE event_date > current_date) = 3) c"
        )
        .await,
        3
    );
    // Every club has a shelf and two polls, a closed one every voter answered
    // and an open one.
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM (SELECT club_id FROM books GROUP BY club_id
              HAVING count(*) FILTER (WHERE shelf = 'reading') = 1 AND count(*) FILTER (WHERE shelf = 'read') = 2
                 AND count(*) FILTER (WHERE shelf = 'up_next') = 1 AND count(*) FILTER (WHERE shelf = 'suggested') = 3) s"
        )
        .await,
        3
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM polls WHERE closes_at < now()").await,
        3
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM polls WHERE closes_at > now()").await,
        3
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM polls p WHERE p.closes_at < now()
                AND (SELECT count(*) FROM ballots b WHERE b.poll_id = p.id)
                  = (SELECT count(*) FROM club_members m WHERE m.club_id = p.club_id AND m.is_active
                        AND m.role IN ('member', 'moderator', 'admin'))"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM ballots WHERE cardinality(ranking) NOT BETWEEN 1 AND 3"
        )
        .await,
        0
    );
}

#[sqlx::test]
async fn clubs_are_run_by_their_owner_and_events_follow_the_club(pool: PgPool) {
    small(&pool).await;
    let owners_not_admin = count(
        &pool,
        "SELECT count(*) FROM clubs c
          WHERE NOT EXISTS (SELECT 1 FROM club_members m
                             WHERE m.club_id = c.id AND m.user_id = c.owner_id
                               AND m.role = 'admin' AND m.is_active)",
    )
    .await;
    assert_eq!(owners_not_admin, 0);
    let strays = count(
        &pool,
        "SELECT count(*) FROM events e JOIN clubs c ON c.id = e.club_id
          WHERE e.time_zone <> c.time_zone OR e.created_by IS DISTINCT FROM c.owner_id
             OR e.time_zone NOT IN (SELECT name FROM pg_timezone_names)",
    )
    .await;
    assert_eq!(strays, 0, "events must take the club's zone and owner");
    let outsiders = count(
        &pool,
        "SELECT count(*) FROM event_items i JOIN events e ON e.id = i.event_id
          WHERE i.assigned_to IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM club_members m WHERE m.club_id = e.club_id AND m.user_id = i.assigned_to)
         UNION ALL
         SELECT count(*) FROM availability a JOIN events e ON e.id = a.event_id
          WHERE NOT EXISTS (SELECT 1 FROM club_members m WHERE m.club_id = e.club_id AND m.user_id = a.user_id)
         ORDER BY 1 DESC LIMIT 1",
    )
    .await;
    assert_eq!(outsiders, 0, "only members are assigned items and answer");
    let over_limit = count(
        &pool,
        "SELECT count(*) FROM clubs c
          WHERE c.max_members < (SELECT count(*) FROM club_members m WHERE m.club_id = c.id)",
    )
    .await;
    assert_eq!(over_limit, 0);
    let site_guests_not_club_guests = count(
        &pool,
        "SELECT count(*) FROM club_members m JOIN users u ON u.id = m.user_id
          WHERE (u.role = 'guest') <> (m.role = 'guest')",
    )
    .await;
    assert_eq!(site_guests_not_club_guests, 0);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM users WHERE email <> lower(email)"
        )
        .await,
        0,
        "sign-in looks emails up in lower case"
    );
}

#[sqlx::test]
async fn waitlists_follow_the_order_of_arrival(pool: PgPool) {
    // Enough members per club that some limited events overflow.
    seed(&pool, DemoSize::new(2, 30, 10).unwrap())
        .await
        .unwrap();
    let wrong = count(
        &pool,
        "SELECT count(*) FROM (
             SELECT a.status, a.waitlisted, e.max_attendees,
                    count(*) FILTER (WHERE a.status = 'available')
                        OVER (PARTITION BY a.event_id ORDER BY a.arrival) AS place
               FROM availability a JOIN events e ON e.id = a.event_id) r
          WHERE r.waitlisted <> (r.status = 'available' AND r.place > coalesce(r.max_attendees, 2147483647))",
    )
    .await;
    assert_eq!(wrong, 0);
    assert!(
        count(&pool, "SELECT count(*) FROM availability WHERE waitlisted").await > 0,
        "events limited to a third of a 30-member club fill up"
    );
}

#[sqlx::test]
async fn printed_passwords_work_and_no_other_does(pool: PgPool) {
    let report = small(&pool).await;
    // Every club's owner and one plain member.
    assert_eq!(report.accounts.len(), 6);
    let hashes = count(
        &pool,
        "SELECT count(*) - count(DISTINCT password_hash) FROM users",
    )
    .await;
    assert_eq!(hashes, 0, "no two users share a password hash");
    for account in &report.accounts {
        let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE email = $1")
            .bind(&account.email)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(
            verify_password(account.password.clone(), Some(stored.clone())).await,
            "{} cannot sign in with the printed password",
            account.email
        );
        assert!(!verify_password("password".into(), Some(stored)).await);
        assert!(account.email.contains(&format!("+{}@", report.tag)));
    }
    let (role, owns): (String, bool) = sqlx::query_as(
        "SELECT m.role, c.owner_id = u.id FROM users u
           JOIN club_members m ON m.user_id = u.id JOIN clubs c ON c.id = m.club_id
          WHERE u.email = $1",
    )
    .bind(&report.accounts[1].email)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (role.as_str(), owns),
        ("member", false),
        "the second printed account is a plain member"
    );

    let unusable: Vec<String> = sqlx::query_scalar(
        "SELECT password_hash FROM users WHERE password_hash NOT LIKE '$argon2id$%' LIMIT 3",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(!unusable.is_empty());
    for stored in unusable {
        assert!(stored.starts_with(NO_PASSWORD_PREFIX), "{stored}");
        assert!(!verify_password(String::new(), Some(stored.clone())).await);
        assert!(!verify_password(stored.clone(), Some(stored)).await);
    }
}

#[sqlx::test]
async fn only_the_first_clubs_get_printed_accounts(pool: PgPool) {
    let report = seed(&pool, DemoSize::new(PRINTED_CLUBS + 2, 1, 1).unwrap())
        .await
        .unwrap();
    // One member each: the owner, and no plain member to print.
    assert_eq!(report.accounts.len(), PRINTED_CLUBS as usize);
    assert!(report.accounts.iter().all(|a| a.standing == "owner"));
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$%'"
        )
        .await,
        i64::from(PRINTED_CLUBS)
    );
}

#[sqlx::test]
async fn seeding_twice_adds_a_second_set(pool: PgPool) {
    let first = small(&pool).await;
    let second = small(&pool).await;
    assert_ne!(first.tag, second.tag);
    assert_eq!(count(&pool, "SELECT count(*) FROM clubs").await, 6);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM users").await as u64,
        first.counts.users + second.counts.users
    );
    for report in [&first, &second] {
        let tagged = count(
            &pool,
            &format!(
                "SELECT count(*) FROM users WHERE email LIKE '%+{}@demo.bookwork.test'",
                report.tag
            ),
        )
        .await;
        assert_eq!(tagged as u64, report.counts.users);
    }
}
