//! A meeting's items over the API (`/api/v1/events/{id}/items`,
//! `/api/v1/items/{id}`, `/api/v1/me/tasks`): who may add, change, tick off,
//! take on and remove them, checked by what the rows hold afterwards, with
//! the rules of docs/AUTHZ.md (organisers manage items; an assignee ticks
//! off their own; members take on open tasks; outsiders see none).
use crate::api_v1::{club_with, refused_fields, send, token};
use crate::common::{in_days, spawn_app};
use reqwest::Method;
use serde_json::json;
use sqlx::PgPool;

async fn item_row(pool: &PgPool, id: &str) -> Option<(String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT i.name, i.status, u.name FROM event_items i
           LEFT JOIN users u ON u.id = i.assigned_to WHERE i.id = $1::uuid",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    .unwrap()
}

#[sqlx::test]
async fn items_are_managed_ticked_off_and_taken_on_by_whom_the_pages_allow(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (club, [(_, owner_rw), (member, member_rw), (_, other_rw), (outsider, outsider_rw)]) =
        club_with(
            &app,
            &pool,
            json!({"name": "Itemised", "is_public": true}),
            [
                ("owner", None),
                ("member", Some("member")),
                ("other", Some("member")),
                ("outsider", None),
            ],
        )
        .await;
    let member_read = token(&pool, member, &["read"], None).await;
    let (status, _, event) = send(&app, Method::POST, &format!("/api/v1/clubs/{club}/events"), Some(&owner_rw),
        Some(json!({"title": "With scones", "date": in_days(6), "time": "18:00", "location": "Hall"})),
        &[]).await;
    assert_eq!(status, 201, "{event}");
    let event = event["id"].as_str().unwrap().to_owned();
    let items = format!("/api/v1/events/{event}/items");
    let count = async || -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM event_items WHERE event_id = $1::uuid")
            .bind(&event)
            .fetch_one(&pool)
            .await
            .unwrap()
    };

    // A members-only meeting is not there for outsiders; members add no
    // items.
    let (status, _, _) = send(&app, Method::GET, &items, Some(&outsider_rw), None, &[]).await;
    assert_eq!(status, 404);
    let scones = json!({"name": "Scones", "category": "material", "assignee_id": member});
    for (who, refusal) in [(&member_rw, 403), (&outsider_rw, 404)] {
        let (status, _, body) = send(
            &app,
            Method::POST,
            &items,
            Some(who),
            Some(scones.clone()),
            &[],
        )
        .await;
        assert_eq!(status, refusal, "{body}");
    }
    assert_eq!(count().await, 0);

    // Every invalid field at once, and nothing added.
    let (status, _, problem) = send(
        &app,
        Method::POST,
        &items,
        Some(&owner_rw),
        Some(json!({"name": " ", "category": "cake", "assignee_id": outsider})),
        &[],
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let fields = refused_fields(&problem);
    assert!(
        fields.contains(&"name") && fields.contains(&"category"),
        "{problem}"
    );
    let (status, _, problem) = send(
        &app,
        Method::POST,
        &items,
        Some(&owner_rw),
        Some(json!({"name": "Tea", "category": "task", "assignee_id": outsider})),
        &[],
    )
    .await;
    assert_eq!(status, 422, "an assignee outside the club: {problem}");
    assert_eq!(count().await, 0);

    // The owner adds one for the member; a retry with its key adds no other.
    let mut made = Vec::new();
    for _ in 0..2 {
        let (status, headers, item) = send(
            &app,
            Method::POST,
            &items,
            Some(&owner_rw),
            Some(scones.clone()),
            &[("idempotency-key", "scones-1")],
        )
        .await;
        assert_eq!(status, 201, "{item}");
        assert_eq!(
            headers["location"].to_str().unwrap(),
            format!("/api/v1/items/{}", item["id"].as_str().unwrap())
        );
        made.push(item);
    }
    assert_eq!(made[0]["id"], made[1]["id"]);
    assert_eq!(count().await, 1);
    let scones_id = made[0]["id"].as_str().unwrap().to_owned();
    let told: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'task_assigned'",
    )
    .bind(member)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(told, 1, "the assignee is told once");

    // The member finds it among their tasks and ticks it off; they may not
    // rename it, and a read-only token changes nothing.
    let (status, _, tasks) = send(
        &app,
        Method::GET,
        "/api/v1/me/tasks",
        Some(&member_read),
        None,
        &[],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(tasks["items"][0]["id"].as_str(), Some(scones_id.as_str()));
    let item = format!("/api/v1/items/{scones_id}");
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        &item,
        Some(&member_read),
        Some(json!({"status": "completed"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        &item,
        Some(&member_rw),
        Some(json!({"name": "Cake", "status": "completed"})),
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        &item,
        Some(&other_rw),
        Some(json!({"status": "completed"})),
        &[],
    )
    .await;
    assert_eq!(status, 403, "not their item");
    assert_eq!(
        item_row(&pool, &scones_id).await,
        Some(("Scones".into(), "pending".into(), Some("member".into())))
    );
    let (status, _, ticked) = send(
        &app,
        Method::PATCH,
        &item,
        Some(&member_rw),
        Some(json!({"status": "completed"})),
        &[],
    )
    .await;
    assert_eq!(status, 200, "{ticked}");
    assert_eq!(ticked["status"], "completed");
    assert_eq!(
        item_row(&pool, &scones_id).await,
        Some(("Scones".into(), "completed".into(), Some("member".into())))
    );

    // The owner's change based on an older read is refused; on the current
    // one it goes through, and null gives the item to nobody.
    let (_, headers, _) = send(&app, Method::GET, &item, Some(&owner_rw), None, &[]).await;
    let tag = headers["etag"].to_str().unwrap().to_owned();
    send(
        &app,
        Method::PATCH,
        &item,
        Some(&owner_rw),
        Some(json!({"notes": "Plain"})),
        &[],
    )
    .await;
    let (status, _, _) = send(
        &app,
        Method::PATCH,
        &item,
        Some(&owner_rw),
        Some(json!({"name": "Stale"})),
        &[("if-match", &tag)],
    )
    .await;
    assert_eq!(status, 412);
    let (_, headers, _) = send(&app, Method::GET, &item, Some(&owner_rw), None, &[]).await;
    let tag = headers["etag"].to_str().unwrap().to_owned();
    let (status, _, changed) = send(
        &app,
        Method::PATCH,
        &item,
        Some(&owner_rw),
        Some(json!({"name": "Fruit scones", "assignee_id": null})),
        &[("if-match", &tag)],
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["notes"], "Plain", "fields not sent stay");
    assert_eq!(
        item_row(&pool, &scones_id).await,
        Some(("Fruit scones".into(), "completed".into(), None))
    );

    // Two members take on one open task at once: one gets it.
    let (_, _, tea) = send(
        &app,
        Method::POST,
        &items,
        Some(&owner_rw),
        Some(json!({"name": "Make tea", "category": "task"})),
        &[],
    )
    .await;
    let tea_id = tea["id"].as_str().unwrap().to_owned();
    let take = format!("/api/v1/items/{tea_id}/volunteers");
    let (a, b) = tokio::join!(
        send(&app, Method::POST, &take, Some(&member_rw), None, &[]),
        send(&app, Method::POST, &take, Some(&other_rw), None, &[]),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} {}", a.2, b.2);
    let winner = if a.0 == 200 { "member" } else { "other" };
    assert_eq!(
        item_row(&pool, &tea_id).await.unwrap().2.as_deref(),
        Some(winner)
    );
    let (status, _, _) = send(&app, Method::POST, &take, Some(&outsider_rw), None, &[]).await;
    assert_eq!(status, 404);

    // Members do not remove items; the owner does.
    let (status, _, _) = send(&app, Method::DELETE, &item, Some(&member_rw), None, &[]).await;
    assert_eq!(status, 403);
    assert!(item_row(&pool, &scones_id).await.is_some());
    let (status, _, _) = send(&app, Method::DELETE, &item, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 204);
    assert!(item_row(&pool, &scones_id).await.is_none());
    let (status, _, _) = send(&app, Method::GET, &item, Some(&owner_rw), None, &[]).await;
    assert_eq!(status, 404);
    app.stop().await;
}
