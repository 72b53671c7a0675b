//! `/api/docs`: the API's reference page, written once at start-up from the
//! same description `/api/v1/openapi.json` serves, so the two cannot
//! disagree. Plain HTML with the site's stylesheet: it reads offline (no
//! script, nothing from elsewhere).
use serde_json::Value;
use std::fmt::Write;

fn esc(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// Text for people with `code` in backticks, as the descriptions write it.
fn prose(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", esc(part))
            } else {
                esc(part)
            }
        })
        .collect()
}

fn text_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A schema's type in words: `string`, `Club`, `array of Club`, `integer or null`.
fn type_of(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    for combined in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema.get(combined).and_then(Value::as_array) {
            let sep = if combined == "allOf" { " and " } else { " or " };
            return options.iter().map(type_of).collect::<Vec<_>>().join(sep);
        }
    }
    let kind = match schema.get("type") {
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        Some(Value::String(kind)) => kind.clone(),
        _ => "any".to_owned(),
    };
    match schema.get("items") {
        Some(items) => kind.replacen("array", &format!("array of {}", type_of(items)), 1),
        None => esc(&kind),
    }
}

/// A body's example: its own, or its schema's (a named schema's, or a
/// list of one of its items').
fn example_of(doc: &Value, body: &Value) -> Option<Value> {
    let named = |schema: &Value| -> Option<Value> {
        let name = schema.get("$ref")?.as_str()?.rsplit('/').next()?;
        doc.pointer(&format!("/components/schemas/{name}/example"))
            .cloned()
    };
    let schema = body.get("schema")?;
    body.get("example")
        .or_else(|| schema.get("example"))
        .cloned()
        .or_else(|| named(schema))
        .or_else(|| Some(Value::Array(vec![named(schema.get("items")?)?])))
}

fn example_block(out: &mut String, example: Option<&Value>) {
    if let Some(example) = example {
        let pretty = serde_json::to_string_pretty(example).unwrap_or_default();
        // Focusable: a wide example scrolls, and a keyboard must reach it.
        let _ = write!(
            out,
            "<pre tabindex=\"0\"><code>{}</code></pre>",
            esc(&pretty)
        );
    }
}

fn operation(out: &mut String, doc: &Value, path: &str, method: &str, op: &Value) {
    let id = text_of(op, "operationId");
    let _ = write!(
        out,
        "<section class=\"api-op\" id=\"{id}\"><h3><code>{} {}</code></h3>",
        method.to_uppercase(),
        esc(path)
    );
    let summary = text_of(op, "summary");
    let description = text_of(op, "description");
    for para in [summary, description].iter().filter(|t| !t.is_empty()) {
        let _ = write!(out, "<p>{}</p>", prose(para));
    }
    // `security: [{}]` on an operation: no token needed.
    let open = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|needs| {
            needs.is_empty()
                || needs
                    .iter()
                    .any(|n| n.as_object().is_some_and(|o| o.is_empty()))
        });
    let needs = if open {
        "No token needed."
    } else {
        "Needs a token (Authorization: Bearer)."
    };
    let _ = write!(out, "<p class=\"muted\">{needs}</p>");
    if let Some(params) = op.get("parameters").and_then(Value::as_array) {
        let _ = write!(
            out,
            "<div class=\"scroll-x\" tabindex=\"0\" role=\"region\" aria-label=\"Parameters of {} {}\">",
            method.to_uppercase(),
            esc(path)
        );
        out.push_str("<table><caption>Parameters</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">In</th><th scope=\"col\">Type</th><th scope=\"col\">Required</th><th scope=\"col\">What it is</th></tr></thead><tbody>");
        for p in params {
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(text_of(p, "name")),
                esc(text_of(p, "in")),
                p.get("schema").map(type_of).unwrap_or_default(),
                if p.get("required").and_then(Value::as_bool).unwrap_or(false) {
                    "yes"
                } else {
                    "no"
                },
                prose(text_of(p, "description"))
            );
        }
        out.push_str("</tbody></table></div>");
    }
    if let Some(body) = op.pointer("/requestBody/content/application~1json") {
        let _ = write!(
            out,
            "<h4>Body (JSON)</h4><p>{}</p>",
            body.get("schema").map(type_of).unwrap_or_default()
        );
        example_block(out, example_of(doc, body).as_ref());
    }
    if let Some(responses) = op.get("responses").and_then(Value::as_object) {
        out.push_str("<h4>Answers</h4><dl class=\"api-answers\">");
        for (status, response) in responses {
            let _ = write!(
                out,
                "<dt><code>{}</code></dt><dd>{}",
                esc(status),
                prose(text_of(response, "description"))
            );
            if let Some(content) = response.get("content").and_then(Value::as_object) {
                for (media, body) in content {
                    let _ = write!(
                        out,
                        " <span class=\"muted\">({}: {})</span>",
                        esc(media),
                        body.get("schema").map(type_of).unwrap_or_default()
                    );
                    example_block(out, example_of(doc, body).as_ref());
                }
            }
            out.push_str("</dd>");
        }
        out.push_str("</dl>");
    }
    out.push_str("</section>");
}

fn schema(out: &mut String, name: &str, schema: &Value) {
    let _ = write!(
        out,
        "<section class=\"api-schema\" id=\"schema-{0}\"><h3>{0}</h3>",
        esc(name)
    );
    let description = text_of(schema, "description");
    if !description.is_empty() {
        let _ = write!(out, "<p>{}</p>", prose(description));
    }
    let mut parts = vec![schema];
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        parts.extend(all.iter());
    }
    let required: Vec<&str> = parts
        .iter()
        .filter_map(|p| p.get("required").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let properties: Vec<(&String, &Value)> = parts
        .iter()
        .filter_map(|p| p.get("properties").and_then(Value::as_object))
        .flatten()
        .collect();
    if !properties.is_empty() {
        let _ = write!(
            out,
            "<div class=\"scroll-x\" tabindex=\"0\" role=\"region\" aria-label=\"Fields of {}\">",
            esc(name)
        );
        out.push_str("<table><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Type</th><th scope=\"col\">Always there</th><th scope=\"col\">What it is</th></tr></thead><tbody>");
        for (field, property) in properties {
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(field),
                type_of(property),
                if required.contains(&field.as_str()) {
                    "yes"
                } else {
                    "no"
                },
                prose(text_of(property, "description"))
            );
        }
        out.push_str("</tbody></table></div>");
    }
    example_block(out, schema.get("example"));
    out.push_str("</section>");
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The whole page.
pub fn page(description: &utoipa::openapi::OpenApi, stylesheet: &str) -> String {
    let doc = serde_json::to_value(description).unwrap_or_default();
    let mut out = String::new();
    let title = text_of(&doc["info"], "title");
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\">\
         <title>{0} reference</title><link rel=\"stylesheet\" href=\"{3}\"></head>\
         <body><a class=\"skip-link\" href=\"#main\">Skip to the reference</a>\
         <header class=\"site-header\"><div class=\"container header-row\"><a class=\"brand\" href=\"/\">Bookwork</a>\
         <nav class=\"site-nav\" aria-label=\"Main\"><a href=\"/\">Home</a><a href=\"/clubs\">Clubs</a><a href=\"/me\">Your API tokens</a></nav></div></header>\
         <main id=\"main\" class=\"container api-docs\"><h1>{0} reference</h1><p>{1}</p>\
         <p>Version {2}. The machine-readable description (OpenAPI 3.1) is at \
         <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p>",
        esc(title),
        prose(text_of(&doc["info"], "description")),
        esc(text_of(&doc["info"], "version")),
        esc(stylesheet)
    );
    out.push_str(GUIDE);
    let tags: Vec<(String, String)> = doc["tags"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .map(|t| {
                    (
                        text_of(t, "name").to_owned(),
                        text_of(t, "description").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.push_str("<nav aria-label=\"Operations\"><h2>Operations</h2><ul>");
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    for (tag, _) in &tags {
        for (path, item) in &paths {
            for method in METHODS {
                if let Some(op) = item.get(method).filter(|op| op["tags"][0] == *tag) {
                    let _ = write!(
                        out,
                        "<li><a href=\"#{}\"><code>{} {}</code></a> {}</li>",
                        text_of(op, "operationId"),
                        method.to_uppercase(),
                        esc(path),
                        prose(text_of(op, "summary"))
                    );
                }
            }
        }
    }
    out.push_str("</ul></nav>");
    for (tag, about) in &tags {
        let heading: String = tag
            .chars()
            .take(1)
            .flat_map(char::to_uppercase)
            .chain(tag.chars().skip(1))
            .collect();
        let _ = write!(
            out,
            "<h2 id=\"tag-{}\">{}</h2><p>{}</p>",
            esc(tag),
            esc(&heading),
            prose(about)
        );
        for (path, item) in &paths {
            for method in METHODS {
                if let Some(op) = item.get(method).filter(|op| op["tags"][0] == *tag) {
                    operation(&mut out, &doc, path, method, op);
                }
            }
        }
    }
    out.push_str("<h2 id=\"schemas\">Shapes</h2>");
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, body) in schemas {
            schema(&mut out, name, body);
        }
    }
    out.push_str("</main></body></html>");
    out
}

/// What holds for every operation.
const GUIDE: &str = "<h2>Using it</h2>\
<ul>\
<li><strong>Tokens.</strong> Make a personal access token on your profile page (<a href=\"/me\">/me</a>, \u{201c}API tokens\u{201d}), with the <code>read</code> scope, <code>write</code>, or both. Send it as <code>Authorization: Bearer &lt;token&gt;</code>; never in the address (that is refused). Revoke it there when you no longer need it.</li>\
<li><strong>Errors</strong> are <code>application/problem+json</code> (RFC 9457): a stable <code>type</code>, the <code>status</code>, a <code>detail</code> for people, and for invalid input every field in <code>errors</code>. 429 and 503 come with <code>Retry-After</code>.</li>\
<li><strong>Lists</strong> come a page at a time: <code>{\"items\": [...], \"next_cursor\": ...}</code>, with a <code>Link: &lt;...&gt;; rel=\"next\"</code> header while there is more. Pass <code>cursor</code> to get the next page.</li>\
<li><strong>Caching and collisions.</strong> Reads carry an <code>ETag</code>; send it back in <code>If-None-Match</code> to get 304 when nothing changed. Send it in <code>If-Match</code> with a change to be refused (412) if someone changed the thing since you read it.</li>\
<li><strong>Retrying a create</strong> is safe with an <code>Idempotency-Key</code> header (a UUID of yours): the same key and request within 24 hours answer what the first did, and make nothing new.</li>\
</ul>";
