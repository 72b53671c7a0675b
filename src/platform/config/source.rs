//! Where variables are read from: the environment, or a lookup function in
//! tests, with the parsing every variable shares.
use std::str::FromStr;
use std::time::Duration;

use super::values::{bad, ConfigError};

/// Reads variables through a lookup function so tests need not touch the
/// process environment.
pub struct EnvSource<F: Fn(&str) -> Option<String>>(pub F);

impl<F: Fn(&str) -> Option<String>> EnvSource<F> {
    pub(super) fn get(&self, var: &str) -> Option<String> {
        (self.0)(var).filter(|v| !v.trim().is_empty())
    }

    pub(super) fn parse<T: FromStr>(
        &self,
        var: &'static str,
        what: &str,
    ) -> Result<Option<T>, ConfigError> {
        match self.get(var) {
            None => Ok(None),
            Some(raw) => raw
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| bad(var, format!("must be {what}, got {raw:?}"))),
        }
    }

    pub(super) fn duration(
        &self,
        var: &'static str,
        default: Duration,
    ) -> Result<Duration, ConfigError> {
        match self.get(var) {
            None => Ok(default),
            Some(raw) => parse_duration(&raw).ok_or_else(|| {
                bad(
                    var,
                    format!("must be a duration like 30s, 5m or 1h, got {raw:?}"),
                )
            }),
        }
    }
}

/// "90" (seconds), "30s", "5m", "1h".
fn parse_duration(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let (digits, unit) = raw.split_at(raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(raw.len()));
    let n: u64 = digits.parse().ok()?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("5 minutes"), None);
    }
}
