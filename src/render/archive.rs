//! The archive: every article filed under the period (day, week or month)
//! it was published in, for the site as a whole and for each topic.
//!
//! A period's page shows what was published in that period and nothing that
//! depends on the rest of the archive, so publishing a story changes the
//! page of its own period (and, for the first story of a new period, the
//! "newer" link of the period before), never the pages of closed periods.
//! Front pages show the newest articles and link into the archive.

use chrono::{Datelike, Duration, NaiveDate};

use crate::convert::site::Site;
use crate::source::archive::Span;

/// One period of an archive: its first day and its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    /// The first day: the day itself, the Monday of an ISO week, the first
    /// of a month.
    pub start: NaiveDate,
    /// Its length.
    pub span: Span,
}

impl Period {
    /// The period of `span` that holds `day`.
    pub fn of(day: NaiveDate, span: Span) -> Period {
        let start = match span {
            Span::Day => day,
            Span::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
            Span::Month => day.with_day(1).expect("every month has a first day"),
        };
        Period { start, span }
    }

    /// Its last day.
    pub fn end(&self) -> NaiveDate {
        match self.span {
            Span::Day => self.start,
            Span::Week => self.start + Duration::days(6),
            Span::Month => {
                let next = self
                    .start
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(NaiveDate::MAX);
                next.pred_opt().unwrap_or(NaiveDate::MAX)
            }
        }
    }

    /// Its folder under the archive's root: `2025/03/07/`, `2025/w10/`
    /// (the ISO week's year and number) or `2025/03/`.
    pub fn path(&self) -> String {
        match self.span {
            Span::Day => self.start.format("%Y/%m/%d/").to_string(),
            Span::Week => {
                let week = self.start.iso_week();
                format!("{}/w{:02}/", week.year(), week.week())
            }
            Span::Month => self.start.format("%Y/%m/").to_string(),
        }
    }

    /// Its name for readers, with the UI's date format for its span
    /// (`archive_day`, `archive_week`, `archive_month`).
    pub fn label(&self, ui: &indexmap::IndexMap<String, String>) -> String {
        let (key, fallback) = match self.span {
            Span::Day => ("archive_day", "%Y-%m-%d"),
            Span::Week => ("archive_week", "%G-W%V"),
            Span::Month => ("archive_month", "%Y-%m"),
        };
        let format = ui.get(key).map_or(fallback, String::as_str);
        self.start.format(format).to_string()
    }
}

/// The day an article is filed under: its date as written (in its own
/// time zone, as its readers saw it).
pub fn day_of(site: &Site, index: usize) -> NaiveDate {
    site.articles[index].front.date.local().date()
}

/// Whose archive: the whole site's, or one topic's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Every article.
    Home,
    /// The articles of one topic.
    Topic(String),
}

impl Scope {
    /// Its articles, newest first.
    pub fn members<'a>(&self, site: &'a Site) -> &'a [usize] {
        match self {
            Scope::Home => &site.newest,
            Scope::Topic(key) => &site.topic_articles[key],
        }
    }

    /// The length of its periods.
    pub fn span(&self, site: &Site) -> Span {
        match self {
            Scope::Home => site.config.archive.home,
            Scope::Topic(_) => site.config.archive.topics,
        }
    }

    /// Its folder under a script's prefix: `` or `topics/ai/`.
    pub fn folder(&self) -> String {
        match self {
            Scope::Home => String::new(),
            Scope::Topic(key) => format!("topics/{key}/"),
        }
    }
}

/// The periods of `members` (newest first), newest first, each with the
/// range of `members` it holds.
pub fn periods(
    site: &Site,
    members: &[usize],
    span: Span,
) -> Vec<(Period, std::ops::Range<usize>)> {
    let mut periods: Vec<(Period, std::ops::Range<usize>)> = Vec::new();
    for (position, &index) in members.iter().enumerate() {
        let period = Period::of(day_of(site, index), span);
        match periods.last_mut() {
            Some((last, range)) if *last == period => range.end = position + 1,
            _ => periods.push((period, position..position + 1)),
        }
    }
    periods
}

/// The range of `members` (newest first) that `period` holds: found by
/// bisection, as every list page asks it.
pub fn range_of(site: &Site, members: &[usize], period: &Period) -> std::ops::Range<usize> {
    let (start, end) = (period.start, period.end());
    let first = members.partition_point(|&i| day_of(site, i) > end);
    let last = members.partition_point(|&i| day_of(site, i) >= start);
    first..last.max(first)
}

/// The non-empty periods either side of `period` in `members`: (newer,
/// older).
pub fn neighbours(
    site: &Site,
    members: &[usize],
    period: &Period,
) -> (Option<Period>, Option<Period>) {
    let range = range_of(site, members, period);
    let at = |position: usize| Period::of(day_of(site, members[position]), period.span);
    let newer = range.start.checked_sub(1).map(at);
    let older = (range.end < members.len()).then(|| at(range.end));
    (newer, older)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn periods_start_on_their_first_day_and_name_their_folder() {
        let friday = day("2025-03-07");
        let daily = Period::of(friday, Span::Day);
        assert_eq!((daily.path(), daily.end()), ("2025/03/07/".into(), friday));
        let weekly = Period::of(friday, Span::Week);
        assert_eq!(weekly.start, day("2025-03-03"));
        assert_eq!(
            (weekly.path(), weekly.end()),
            ("2025/w10/".into(), day("2025-03-09"))
        );
        let monthly = Period::of(friday, Span::Month);
        assert_eq!(
            (monthly.path(), monthly.end()),
            ("2025/03/".into(), day("2025-03-31"))
        );
        assert_eq!(
            Period::of(day("2024-02-10"), Span::Month).end(),
            day("2024-02-29")
        );
        // The ISO week of 30 December 2024 is week 1 of 2025.
        assert_eq!(
            Period::of(day("2024-12-30"), Span::Week).path(),
            "2025/w01/"
        );
    }

    #[test]
    fn labels_use_the_ui_formats() {
        let ui: indexmap::IndexMap<String, String> = [
            ("archive_month", "%Y年%-m月"),
            ("archive_week", "%G年第%V週"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let friday = day("2025-03-07");
        assert_eq!(Period::of(friday, Span::Month).label(&ui), "2025年3月");
        assert_eq!(Period::of(friday, Span::Week).label(&ui), "2025年第10週");
        assert_eq!(Period::of(friday, Span::Day).label(&ui), "2025-03-07");
    }
}
