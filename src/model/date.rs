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

/// An instant written `YYYY-MM-DDTHH:MM:SS[.fraction]` with its offset (`Z`, `+HH:MM` or
/// `+HHMM`; a space may stand for the `T`), as (seconds since 1970-01-01 UTC, nanoseconds). A
/// time without an offset is no instant (whose clock?), nor is anything else: None.
pub fn instant(text: &str) -> Option<(i64, u32)> {
    let text = text.trim();
    let days = days_from_date(text.get(..10)?)?;
    let rest = text.get(10..)?.strip_prefix(['T', 't', ' '])?;
    let num = |s: Option<&str>| -> Option<i64> {
        let s = s?;
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (h, m, s) = (
        num(rest.get(0..2))?,
        num(rest.get(3..5))?,
        num(rest.get(6..8))?,
    );
    if rest.get(2..3) != Some(":") || rest.get(5..6) != Some(":") || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let mut tail = rest.get(8..)?;
    let mut nanos = 0u32;
    if let Some(fraction) = tail.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        for (i, b) in fraction.bytes().take(digits.min(9)).enumerate() {
            nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
        }
        tail = fraction.get(digits..)?;
    }
    let offset = match tail {
        "Z" | "z" => 0,
        t if t.starts_with(['+', '-']) => {
            let sign = if t.starts_with('-') { -1 } else { 1 };
            let (hh, mm) = match t.len() {
                6 if t.get(3..4) == Some(":") => (num(t.get(1..3))?, num(t.get(4..6))?),
                5 => (num(t.get(1..3))?, num(t.get(3..5))?),
                _ => return None,
            };
            if hh > 23 || mm > 59 {
                return None;
            }
            sign * (hh * 3600 + mm * 60)
        }
        _ => return None,
    };
    Some((days * 86_400 + h * 3600 + m * 60 + s - offset, nanos))
}

/// Seconds since 1970-01-01 UTC written as an instant: `2025-02-14T13:27:03Z`.
pub fn instant_text(seconds: i64) -> String {
    let time = seconds.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date_from_days(seconds.div_euclid(86_400)),
        time / 3600,
        time % 3600 / 60,
        time % 60
    )
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
    #[test]
    fn instants_compare_across_forms_and_need_an_offset() {
        let at = |t: &str| instant(t);
        assert_eq!(at("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(at("2025-02-14T13:27:03Z"), Some((1_739_539_623, 0)));
        assert_eq!(at("2025-02-14T14:27:03+01:00"), at("2025-02-14T13:27:03Z"));
        assert_eq!(at("2025-02-14 09:27:03-0400"), at("2025-02-14T13:27:03Z"));
        assert_eq!(
            at("2025-02-14T13:27:03.5Z"),
            Some((1_739_539_623, 500_000_000))
        );
        assert!(at("2025-02-14T13:27:03.5Z") > at("2025-02-14T13:27:03Z"));
        assert_eq!(
            at("2025-02-14T13:27:03.123456789123Z"),
            Some((1_739_539_623, 123_456_789))
        );
        for bad in [
            "2025-02-14T14:27:03.913874",
            "2025-02-14",
            "2025-02-14T25:00:00Z",
            "2025-02-14T13:27:03.Z",
            "2025-02-14T13:27:03+1",
            "2025-02-14T13:2a:03Z",
            "yesterday",
            "",
            "2025-02-14T13:27:\u{e9}Z",
        ] {
            assert_eq!(at(bad), None, "{bad}");
        }
        assert_eq!(instant_text(1_739_539_623), "2025-02-14T13:27:03Z");
        assert_eq!(instant(&instant_text(-1)), Some((-1, 0)));
    }
}
