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
    ymd(date).map(|(y, m, d)| days_from_civil(y, m, d))
}

/// Howard Hinnant's `days_from_civil`.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// True when `date` is more than `months` calendar months before `today` (both `YYYY-MM-DD`):
/// `2025-11-27` is older than 12 months on `2026-11-28`, `2025-11-28` is not. Going back from
/// a day the earlier month lacks lands on that month's last day (`2024-02-29` minus 12 months is
/// `2023-02-28`). Unparseable dates are never old.
pub fn older_than_months(date: &str, today: &str, months: i64) -> bool {
    let (Some(date), Some((y, m, d))) = (days_from_date(date), ymd(today)) else {
        return false;
    };
    let month_index = y * 12 + (m - 1) - months;
    let (cut_y, cut_m) = (month_index.div_euclid(12), month_index.rem_euclid(12) + 1);
    let cut_d = d.min(days_in_month(cut_y, cut_m));
    date < days_from_civil(cut_y, cut_m, cut_d)
}

fn ymd(date: &str) -> Option<(i64, i64, i64)> {
    let mut parts = date.split('-').map(str::parse::<i64>);
    let (y, m, d) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    let valid =
        parts.next().is_none() && (1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d);
    valid.then_some((y, m, d))
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
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
        assert!(!older_than_months("2025-11-01", "garbage", 12));
        assert_eq!(days_from_date("2026-02-29"), None);
        assert_eq!(days_from_date("2026-11-28-1"), None);
    }

    #[test]
    fn staleness_counts_calendar_months() {
        // Exactly twelve months is not older than twelve months; one day more is.
        assert!(!older_than_months("2025-11-28", "2026-11-28", 12));
        assert!(older_than_months("2025-11-27", "2026-11-28", 12));
        // Across a leap day: twelve months before 2024-02-29 is 2023-02-28.
        assert!(!older_than_months("2023-02-28", "2024-02-29", 12));
        assert!(older_than_months("2023-02-27", "2024-02-29", 12));
        // A month shorter than today's day clamps to its last day.
        assert!(!older_than_months("2026-02-28", "2026-03-31", 1));
        assert!(older_than_months("2026-02-27", "2026-03-31", 1));
        // Across a year boundary.
        assert!(older_than_months("2025-12-14", "2026-01-15", 1));
        assert!(!older_than_months("2025-12-15", "2026-01-15", 1));
    }
}
