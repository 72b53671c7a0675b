//! `docs/ARCHITECTURE.md` lists every `bookwork_private` function and the Rust
//! files that call it. This reads the calls in `src/` and the functions in
//! `docs/schema.sql` (which the test command keeps current) and fails when the
//! list and either of them part ways.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ARCHITECTURE: &str = include_str!("../../docs/ARCHITECTURE.md");
const SCHEMA: &str = include_str!("../../docs/schema.sql");
const PREFIX: &str = "bookwork_private.";

/// The names that follow `bookwork_private.` in `text`.
fn private_names(text: &str) -> Vec<String> {
    text.match_indices(PREFIX)
        .map(|(at, _)| {
            text[at + PREFIX.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// Function → the files under `src/` that name it.
fn calls_in_src() -> BTreeMap<String, BTreeSet<String>> {
    fn walk(dir: &Path, out: &mut BTreeMap<String, BTreeSet<String>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let file = path
                    .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                for name in private_names(&text) {
                    out.entry(name).or_default().insert(file.clone());
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// The table's rows (function → files), and the functions listed as used
/// only inside the database.
fn documented() -> (BTreeMap<String, BTreeSet<String>>, BTreeSet<String>) {
    let unquote = |cell: &str| cell.trim().trim_matches('`').to_owned();
    let table = ARCHITECTURE
        .lines()
        .skip_while(|l| !l.starts_with("| function | called from |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').collect();
            let files = cells[1].split(',').map(unquote).collect();
            (unquote(cells[0]), files)
        })
        .collect();
    let inside = ARCHITECTURE
        .split("Used only inside the database")
        .nth(1)
        .expect("ARCHITECTURE.md lists the functions used only inside the database")
        .split("\n\n")
        .next()
        .unwrap()
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    (table, inside)
}

#[test]
fn every_private_function_is_listed_with_its_callers() {
    let calls = calls_in_src();
    let (table, inside) = documented();
    assert!(
        table.len() > 10 && inside.len() > 5,
        "the list was not read"
    );
    assert_eq!(
        table, calls,
        "docs/ARCHITECTURE.md's table of bookwork_private functions (left) and the calls in src/ (right)"
    );
    let in_schema: BTreeSet<String> = SCHEMA
        .lines()
        .filter(|l| l.starts_with("CREATE FUNCTION "))
        .flat_map(private_names)
        .collect();
    let listed: BTreeSet<String> = table.keys().cloned().chain(inside).collect();
    assert_eq!(
        listed, in_schema,
        "the functions docs/ARCHITECTURE.md lists (left) and those docs/schema.sql defines (right)"
    );
}
