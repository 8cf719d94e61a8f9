//! The clock, at the edge: today's date for the GUI and the CLI. `model` and `export` take the
//! date as an input and never read a clock.

/// Today (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::model::date::date_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    #[test]
    fn today_is_a_calendar_date_after_the_first_release() {
        let today = super::today();
        assert!(crate::model::validate::is_iso_date(&today), "{today}");
        assert!(today.as_str() >= "2026-11-28", "{today}");
    }
}
