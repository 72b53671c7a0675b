//! Every operation in the served description, one request per cell: with no
//! token it is 401, and every write with a read-only token is 403 — the
//! body each sends is the operation's own example, so the refusal is the
//! token's and not the body's — and nothing in the database changes.
use crate::api_v1::{get, person, send, token};
use crate::common::spawn_app;
use reqwest::Method;
use serde_json::{json, Value};
use sqlx::PgPool;

/// Rows per table, but for the two a refused request still writes: its
/// token's request count and the token's last use.
async fn rows_per_table(pool: &PgPool) -> Vec<(String, i64)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'
            AND tablename NOT IN ('api_request_counts', 'api_tokens') ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut counts = Vec::new();
    for table in tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM public.\"{table}\""))
            .fetch_one(pool)
            .await
            .unwrap();
        counts.push((table, n));
    }
    counts
}

/// The operation's request body: its schema's example.
fn example_body(description: &Value, operation: &Value) -> Option<Value> {
    let schema = &operation["requestBody"]["content"]["application/json"]["schema"];
    if schema.is_null() {
        return None;
    }
    let name = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .unwrap_or_else(|| panic!("a request body that is not a named schema: {schema}"));
    let example = description["components"]["schemas"][name]["example"].clone();
    assert!(example.is_object(), "{name} has no example");
    Some(example)
}

#[sqlx::test]
async fn no_token_is_401_and_a_read_token_writes_nothing_anywhere(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let ann = person(&app, &pool, "ann").await;
    let read_only = token(&pool, ann, &["read"], None).await;
    let (status, _, description) = get(&app, "/api/v1/openapi.json", None).await;
    assert_eq!(status, 200);
    let before = rows_per_table(&pool).await;
    let mut checked = 0;
    for (path, item) in description["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            // Signing a program in is how it gets a token at all.
            if operation["security"] == json!([{}]) {
                continue;
            }
            // Each path parameter as its schema says: a whole number, a
            // UUID, or text (an invitation's token).
            let mut concrete = path.clone();
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] != "path" {
                    continue;
                }
                let schema = &parameter["schema"];
                let value = match (schema["type"].as_str(), schema["format"].as_str()) {
                    (Some("integer"), _) => "1".to_owned(),
                    (_, Some("uuid")) => uuid::Uuid::new_v4().to_string(),
                    _ => "bw-invitation-nobody-holds".to_owned(),
                };
                let name = parameter["name"].as_str().unwrap();
                concrete = concrete.replace(&format!("{{{name}}}"), &value);
            }
            assert!(!concrete.contains('{'), "{path}: a parameter not described");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = example_body(&description, operation);
            let (status, headers, problem) =
                send(&app, method.clone(), &concrete, None, body.clone(), &[]).await;
            assert_eq!(status, 401, "{method} {path} without a token: {problem}");
            assert_eq!(headers["content-type"], "application/problem+json");
            if method != Method::GET {
                let (status, _, problem) =
                    send(&app, method.clone(), &concrete, Some(&read_only), body, &[]).await;
                // Signing out is for a program's sign-in: a personal access
                // token is not one (its description says 401).
                let refusal = if operation["operationId"] == "sign_out" {
                    401
                } else {
                    403
                };
                assert_eq!(
                    status, refusal,
                    "{method} {path} with a read token: {problem}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 60, "every operation: {checked}");
    assert_eq!(rows_per_table(&pool).await, before, "nothing written");
    app.stop().await;
}
