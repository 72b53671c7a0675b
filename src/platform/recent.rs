//! A value worth keeping for a little while: worked out again only once it
//! is older than its time to live. For figures everyone sees and nobody needs
//! to the second (the home page's community numbers), so that a busy page
//! does not count the whole database on every request.
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Recent<T> {
    time_to_live: Duration,
    kept: Mutex<Option<(Instant, T)>>,
}

impl<T: Clone> Recent<T> {
    pub fn new(time_to_live: Duration) -> Self {
        Recent {
            time_to_live,
            kept: Mutex::new(None),
        }
    }

    /// The kept value while it is fresh; otherwise `work_out`'s, which is
    /// then kept. A failure is passed on and nothing is kept. Requests that
    /// find the value stale together may each work it out once: the lock is
    /// never held across the await.
    pub async fn get_or_refresh<E>(
        &self,
        work_out: impl AsyncFnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if let Some((at, value)) = &*self.lock() {
            if at.elapsed() < self.time_to_live {
                return Ok(value.clone());
            }
        }
        let value = work_out().await?;
        *self.lock() = Some((Instant::now(), value.clone()));
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Instant, T)>> {
        // A panic while holding the lock leaves at worst a stale value.
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keeps_a_value_for_its_time_to_live() {
        let recent = Recent::new(Duration::from_secs(3600));
        let first: Result<i32, ()> = recent.get_or_refresh(async || Ok(1)).await;
        let second: Result<i32, ()> = recent.get_or_refresh(async || Ok(2)).await;
        assert_eq!((first, second), (Ok(1), Ok(1)));
    }

    #[tokio::test]
    async fn works_it_out_again_once_stale() {
        let recent = Recent::new(Duration::ZERO);
        let first: Result<i32, ()> = recent.get_or_refresh(async || Ok(1)).await;
        let second: Result<i32, ()> = recent.get_or_refresh(async || Ok(2)).await;
        assert_eq!((first, second), (Ok(1), Ok(2)));
    }

    #[tokio::test]
    async fn keeps_nothing_when_working_it_out_fails() {
        let recent = Recent::new(Duration::from_secs(3600));
        let failed: Result<i32, &str> = recent.get_or_refresh(async || Err("down")).await;
        let next: Result<i32, &str> = recent.get_or_refresh(async || Ok(3)).await;
        assert_eq!((failed, next), (Err("down"), Ok(3)));
    }
}
