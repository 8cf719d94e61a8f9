//! Calendar dates without a clock: the caller supplies "now" (the app and CLI edges do).

/// Civil date `YYYY-MM-DD` for a count of days since 1970-01-01 (proleptic Gregorian).
pub fn date_from_days(days: i64) -> String {
    // Howard Hinnant's days_from_civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 for a `YYYY-MM-DD` date.
pub fn days_from_date(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(str::parse::<i64>);
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// True when `date` is more than `months` months before `today` (both `YYYY-MM-DD`).
pub fn older_than_months(date: &str, today: &str, months: i64) -> bool {
    match (days_from_date(date), days_from_date(today)) {
        (Some(a), Some(b)) => b - a > months * 30 + months / 2,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(date_from_days(0), "1970-01-01");
        assert_eq!(date_from_days(20_420), "2025-11-28");
        for days in [-1000, 0, 59, 60, 365, 11_016, 20_000, 30_000] {
            assert_eq!(days_from_date(&date_from_days(days)), Some(days));
        }
    }

    #[test]
    fn staleness_is_about_a_year() {
        assert!(older_than_months("2025-11-01", "2026-11-28", 12));
        assert!(!older_than_months("2026-01-01", "2026-11-28", 12));
        assert!(!older_than_months("garbage", "2026-11-28", 12));
    }
}
