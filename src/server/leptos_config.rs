//! Loads the runtime Leptos options from `Leptos.toml`.
use std::path::Path;

use leptos::config::{get_config_from_str, LeptosOptions};

/// The copy of Leptos.toml compiled into the binary, used when no file is found.
const BUILT_IN: &str = include_str!("../../Leptos.toml");

/// Reads `LEPTOS_CONFIG` or `./Leptos.toml` (else the built-in copy); `LEPTOS_*`
/// variables, which cargo-leptos sets when it runs the server, take precedence.
pub fn load() -> Result<LeptosOptions, String> {
    let path = std::env::var("LEPTOS_CONFIG").unwrap_or_else(|_| "Leptos.toml".to_owned());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) if std::env::var_os("LEPTOS_CONFIG").is_none() => BUILT_IN.to_owned(),
        Err(err) => {
            return Err(format!(
                "configuration error: LEPTOS_CONFIG {path} could not be read: {err}"
            ))
        }
    };
    let mut options = get_config_from_str(&text)
        .map_err(|err| format!("configuration error: {path} is invalid: {err}"))?;
    // The build decides whether bundle names carry a content hash; it records
    // the hashes in a file beside the server binary. Follow what it produced
    // rather than repeating the setting here.
    options.hash_files = hash_file_beside_binary(&options.hash_file);
    Ok(options)
}

fn hash_file_beside_binary(name: &str) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(name)))
        .as_deref()
        .is_some_and(Path::exists)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_options_match_the_crate_that_cargo_leptos_builds() {
        let options = get_config_from_str(BUILT_IN).unwrap();
        // cargo-leptos names the bundle after the crate and uses these paths
        // by default; Cargo.toml deliberately does not repeat them.
        assert_eq!(&*options.output_name, env!("CARGO_PKG_NAME"));
        assert_eq!(&*options.site_root, "target/site");
        assert_eq!(&*options.site_pkg_dir, "pkg");
        assert_eq!(options.site_addr, "127.0.0.1:3000".parse().unwrap());
    }
}
