//! site.yaml's settings for list pages: how long an archive page's period
//! is, and the UI strings the archive pages show, with defaults for a
//! site.yaml written before they existed.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// How long one archive page's period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Span {
    /// A calendar day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
}

/// The periods of the archive pages: the whole site's, and each topic's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveConfig {
    /// The period of the site's archive pages (`/zh-hant/2025/03/07/`).
    #[serde(default = "day")]
    pub home: Span,
    /// The period of each topic's archive pages (`/zh-hant/topics/ai/2025/03/`).
    #[serde(default = "month")]
    pub topics: Span,
}

impl Default for ArchiveConfig {
    fn default() -> Self {
        ArchiveConfig {
            home: Span::Day,
            topics: Span::Month,
        }
    }
}

fn day() -> Span {
    Span::Day
}
fn month() -> Span {
    Span::Month
}

/// Whether chrono can format dates with `format`: formatting with an
/// invalid one panics.
pub(crate) fn valid_date_format(format: &str) -> bool {
    !chrono::format::StrftimeItems::new(format)
        .any(|item| matches!(item, chrono::format::Item::Error))
}

/// The UI strings that are date formats: how archive pages name a month
/// and a week.
pub const PERIOD_FORMATS: [&str; 3] = ["archive_day", "archive_month", "archive_week"];

/// The strings the shipped templates' archive pages use, in Traditional
/// Chinese, for a site.yaml written before they existed; site.yaml's own
/// win.
const DEFAULT_UI: [(&str, &str); 9] = [
    ("more", "更多"),
    ("older_articles", "較早的報道"),
    ("newer_period", "較新"),
    ("older_period", "較舊"),
    ("archive", "報道存檔"),
    ("archive_day", "%Y年%-m月%-d日"),
    ("archive_month", "%Y年%-m月"),
    ("archive_week", "%G年第%V週"),
    ("photo_credit", "圖片來源"),
];

/// `ui` with [`DEFAULT_UI`]'s strings added where site.yaml has none.
pub(crate) fn with_default_ui(mut ui: IndexMap<String, String>) -> IndexMap<String, String> {
    for (key, text) in DEFAULT_UI {
        ui.entry(key.to_string())
            .or_insert_with(|| text.to_string());
    }
    ui
}
