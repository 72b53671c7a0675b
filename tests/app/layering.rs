//! Dependencies point one way. Reads every file under `src/`, collects the
//! modules each one uses (`use` trees and inline `crate::`/`super::` paths),
//! and fails when a top-level module uses one from a higher layer, or when
//! files import each other, directly or round a longer circle.
//!
//! The layers are the numbered list under "## Layers" in
//! `docs/ARCHITECTURE.md`, read from there so it is written in one place: a
//! new top-level module has to be placed in that list before this passes.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ARCHITECTURE: &str = include_str!("../../docs/ARCHITECTURE.md");

/// Lowest first. A module may use modules of lower layers only. One layer
/// per numbered line of the list; its modules are the names in backticks
/// before the line's dash (`platform/` is the module `platform`).
fn layers() -> Vec<Vec<String>> {
    let section = ARCHITECTURE
        .split("\n## Layers\n")
        .nth(1)
        .expect("ARCHITECTURE.md has a section \"## Layers\"");
    let section = section.split("\n## ").next().unwrap_or(section);
    let layers: Vec<Vec<String>> = section
        .lines()
        .filter_map(|line| {
            let (number, rest) = line.split_once(". ")?;
            number.parse::<u32>().ok()?;
            let (head, _) = rest.split_once(" — ")?;
            let modules: Vec<String> = head
                .split('`')
                .skip(1)
                .step_by(2)
                .map(|m| m.trim_end_matches('/').to_owned())
                .collect();
            Some(modules)
        })
        .collect();
    assert!(
        layers.len() > 5 && layers.iter().all(|l| !l.is_empty()),
        "the layer list was not read: {layers:?}"
    );
    layers
}

type Module = Vec<String>;

fn layer_of(layers: &[Vec<String>], top: &str) -> Option<usize> {
    layers
        .iter()
        .position(|layer| layer.iter().any(|m| m == top))
}

/// Every module file under `src/`, by module path (`src/main.rs` is `main`).
fn module_files(src: &Path) -> BTreeMap<Module, PathBuf> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<Module, PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut inner = prefix.to_vec();
                inner.push(name);
                walk(&path, &inner, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let mut module = prefix.to_vec();
                if !(name == "mod" || (prefix.is_empty() && name == "lib")) {
                    module.push(name);
                }
                out.insert(module, path);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(src, &[], &mut out);
    out
}

/// The code of a file with comments, strings and character literals blanked
/// out (same length, so positions stay put).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let end = text[i..].find("*/").map_or(b.len(), |n| i + n + 2);
            blank(&mut out, i, end);
            i = end;
        } else if b[i] == b'r' && (b[i..].starts_with(b"r\"") || b[i..].starts_with(b"r#")) {
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            if b.get(i + 1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + 2 + hashes;
            let end = text[body..]
                .find(&close)
                .map_or(b.len(), |n| body + n + close.len());
            blank(&mut out, i, end);
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            blank(&mut out, i, (j + 1).min(b.len()));
            i = j + 1;
        } else if b[i] == b'\'' {
            // 'x', '\n', '\'' are characters; 'a (no closing quote) is a lifetime.
            let len = if b.get(i + 1) == Some(&b'\\') {
                text[i + 2..].find('\'').map(|n| n + 3)
            } else {
                text[i + 1..]
                    .chars()
                    .next()
                    .map(|c| c.len_utf8() + 1)
                    .filter(|&n| b.get(i + n) == Some(&b'\''))
                    .map(|n| n + 1)
            };
            match len {
                Some(n) => {
                    blank(&mut out, i, i + n);
                    i += n;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Expands a `use` tree (`a::{b, c::{d, self}}`) into full paths.
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(&tree);
        return vec![path.trim_end_matches("::self").to_owned()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap()];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            if p == "self" {
                vec![prefix.trim_end_matches("::").to_owned()]
            } else {
                expand_use(&format!("{prefix}{p}"))
            }
        })
        .collect()
}

/// Inline modules (`mod tests { ... }`) of a file: name and byte span.
fn inline_modules(code: &str) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(n) = code[at..].find("mod ") {
        let start = at + n;
        at = start + 4;
        let preceded_ok = start == 0 || !code.as_bytes()[start - 1].is_ascii_alphanumeric();
        let rest = &code[at..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let after = rest[name.len()..].trim_start();
        if !preceded_ok || name.is_empty() || !after.starts_with('{') {
            continue;
        }
        let open = at + name.len() + (rest[name.len()..].len() - after.len());
        let mut depth = 0;
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        found.push((name.clone(), open, open + i));
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// Every path that starts at the crate or a parent module, with the position
/// it was found at.
fn paths_in(code: &str) -> Vec<(usize, String)> {
    let mut paths = Vec::new();
    let mut rest_code = code.to_owned();
    // `use` trees first (they may hold braces), then blank them out.
    let mut at = 0;
    while let Some(n) = code[at..].find("use ") {
        let start = at + n;
        at = start + 4;
        if start > 0 && code.as_bytes()[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let Some(end) = code[start..].find(';').map(|e| start + e) else {
            break;
        };
        let tree = &code[start + 4..end];
        if tree.contains('(') || tree.contains('=') {
            continue; // not a use declaration
        }
        for path in expand_use(tree) {
            paths.push((start, path));
        }
        rest_code.replace_range(start..end, &" ".repeat(end - start));
        at = end;
    }
    let bytes = rest_code.as_bytes();
    for root in ["crate::", "super::", "self::", "bookwork::"] {
        let mut at = 0;
        while let Some(n) = rest_code[at..].find(root) {
            let start = at + n;
            at = start + root.len();
            if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
                continue;
            }
            if start > 1 && &rest_code[start - 2..start] == "::" {
                continue; // the middle of a longer path (super::super::x)
            }
            let path: String = rest_code[start..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            paths.push((start, path.trim_end_matches(':').to_owned()));
        }
    }
    paths
}

/// The module file a path points into, seen from `module`.
fn resolve(
    path: &str,
    module: &Module,
    files: &BTreeMap<Module, PathBuf>,
    is_main: bool,
) -> Option<Module> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let mut base: Module = match segments.first().copied() {
        Some("crate") => Vec::new(),
        Some("bookwork") if is_main => Vec::new(),
        Some("super") | Some("self") => module.clone(),
        _ => return None,
    };
    if segments[0] == "crate" || segments[0] == "bookwork" {
        segments.remove(0);
    }
    while let Some(first) = segments.first().copied() {
        match first {
            "super" => {
                base.pop()?;
            }
            "self" => {}
            _ => break,
        }
        segments.remove(0);
    }
    let mut target = base.clone();
    let mut best = base;
    for segment in segments {
        target.push(segment.to_owned());
        if files.contains_key(&target) {
            best = target.clone();
        } else {
            break;
        }
    }
    Some(best)
}

fn dependencies() -> BTreeMap<Module, BTreeSet<Module>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = module_files(&src);
    let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, path) in &files {
        let code = code_only(&std::fs::read_to_string(path).unwrap());
        let inline = inline_modules(&code);
        let is_main = module == &vec!["main".to_owned()];
        let edges = graph.entry(module.clone()).or_default();
        for (at, path) in paths_in(&code) {
            // Inside `mod tests { ... }`, `super` is the file's own module.
            let mut here = if is_main { Vec::new() } else { module.clone() };
            for (name, start, end) in &inline {
                if (*start..*end).contains(&at) {
                    here.push(name.clone());
                }
            }
            let Some(target) = resolve(&path, &here, &files, is_main) else {
                continue;
            };
            if !target.is_empty() && &target != module {
                edges.insert(target);
            }
        }
    }
    graph
}

#[test]
fn top_level_modules_only_use_lower_layers() {
    let graph = dependencies();
    let layers = layers();
    let mut wrong = Vec::new();
    let mut crossing = 0;
    for (from, targets) in &graph {
        let Some(top) = from.first() else { continue };
        let from_layer = layer_of(&layers, top)
            .unwrap_or_else(|| panic!("give the module `{top}` a layer in docs/ARCHITECTURE.md"));
        for to in targets {
            let other = &to[0];
            if other == top {
                continue;
            }
            crossing += 1;
            let to_layer = layer_of(&layers, other).unwrap_or_else(|| {
                panic!("give the module `{other}` a layer in docs/ARCHITECTURE.md")
            });
            if to_layer >= from_layer {
                wrong.push(format!("{} uses {}", from.join("::"), to.join("::")));
            }
        }
    }
    assert!(
        crossing > 50,
        "only {crossing} uses between top-level modules found: the scan is broken"
    );
    assert!(
        wrong.is_empty(),
        "dependencies must point down the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_file_imports_a_file_that_imports_it() {
    let graph = dependencies();
    // Tarjan's strongly connected components: any with two or more files is a circle.
    struct Walk<'a> {
        graph: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        circles: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, m: &'a Module) {
            let n = self.index.len();
            self.index.insert(m, n);
            self.low.insert(m, n);
            self.stack.push(m);
            self.on_stack.insert(m);
            for next in self.graph.get(m).into_iter().flatten() {
                let Some((next, _)) = self.graph.get_key_value(next) else {
                    continue;
                };
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[m].min(self.low[next]);
                    self.low.insert(m, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[m].min(self.index[next]);
                    self.low.insert(m, low);
                }
            }
            if self.low[m] == self.index[m] {
                let mut circle = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    circle.push(top.join("::"));
                    if top == m {
                        break;
                    }
                }
                if circle.len() > 1 {
                    self.circles.push(circle);
                }
            }
        }
    }
    let mut walk = Walk {
        graph: &graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        circles: Vec::new(),
    };
    for m in graph.keys() {
        if !walk.index.contains_key(m) {
            walk.visit(m);
        }
    }
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    assert!(
        edges > 150,
        "only {edges} imports found: the scan is broken"
    );
    assert!(
        walk.circles.is_empty(),
        "files that import each other (directly or round a circle):\n{}",
        walk.circles
            .iter()
            .map(|c| c.join(" → "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_scan_sees_use_trees_and_inline_paths() {
    let code = code_only(
        "use super::model::{A, b::{self, C}};\n// crate::not::this\nfn f() { crate::forms::x(\"crate::nor::this\"); }\nmod tests { use super::*; }",
    );
    let paths: Vec<String> = paths_in(&code).into_iter().map(|(_, p)| p).collect();
    assert!(paths.contains(&"super::model::A".to_owned()), "{paths:?}");
    assert!(paths.contains(&"super::model::b".to_owned()), "{paths:?}");
    assert!(
        paths.contains(&"super::model::b::C".to_owned()),
        "{paths:?}"
    );
    assert!(paths.contains(&"crate::forms::x".to_owned()), "{paths:?}");
    assert!(!paths.iter().any(|p| p.contains("not") || p.contains("nor")));
    assert_eq!(inline_modules(&code).len(), 1);
}
