//! Warnings about the site as a whole: things that build but that a reader
//! would find odd (an empty topic, an article no topic lists) and
//! hand-edited variants that have fallen behind their source.

use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::layout::SITE_FILE;
use crate::source::article::Article;
use crate::source::Source;

/// Things that build fine but that a reader would find odd.
pub fn warnings(source: &Source, report: &mut Report) {
    let (config, articles, topic_articles) = (&source.config, &source.articles, &source.topics);
    for (key, members) in topic_articles {
        if members.is_empty() {
            report.push(
                Diagnostic::warning(
                    Kind::Site,
                    SITE_FILE,
                    format!("topic `{key}` has no articles; its page will be empty"),
                )
                .at(config.topics[key].line, None)
                .with_help("file an article under it, or remove the topic"),
            );
        }
    }
    for article in articles {
        for fork in article.forks.values() {
            report.extend(fork_warnings(article, fork));
        }
        if article.front.topics.is_empty() {
            report.push(
                Diagnostic::warning(
                    Kind::Site,
                    &article.file,
                    "the article has no topics; only the home page lists it",
                )
                .at_line(2)
                .with_help("add e.g. `topics: [ai]` to its front matter"),
            );
        }
    }
}

/// A hand-edited variant that no longer matches its source.
fn fork_warnings(source: &Article, fork: &Article) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let hash = &source.source_hash;
    if fork.front.forked_from.as_deref() != Some(hash.as_str()) {
        let message = match &fork.front.forked_from {
            Some(_) => format!(
                "{} has changed since this variant was made from it",
                source.file.display()
            ),
            None => format!(
                "this variant does not record which version of {} it was made from",
                source.file.display()
            ),
        };
        warnings.push(
            Diagnostic::warning(Kind::Site, &fork.file, message)
                .at_line(1)
                .with_help(format!(
                    "bring it up to date with {}, then set `forked_from: {hash}`",
                    source.file.display()
                )),
        );
    }
    let fork_topics: Vec<&str> = fork.front.topics.iter().map(|(t, _)| t.as_str()).collect();
    let topics: Vec<&str> = source
        .front
        .topics
        .iter()
        .map(|(t, _)| t.as_str())
        .collect();
    if fork_topics != topics || fork.front.date != source.front.date {
        warnings.push(
            Diagnostic::warning(
                Kind::Site,
                &fork.file,
                "its `date` or `topics` differ from the source; the source's are used",
            )
            .at_line(1)
            .with_help(format!("copy them from {}", source.file.display())),
        );
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::article::Include;

    #[test]
    fn an_empty_topic_is_a_warning_with_its_line() {
        let site = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            site.path().join(SITE_FILE),
            "title: t\nbase_url: https://example.org/\nvariants:\n  zh-hant: {lang: zh-Hant-HK, \
             name: 繁體, prefix: zh-hant}\ntopics:\n  ai: {name: 人工智能}\n",
        )
        .expect("site.yaml");
        std::fs::create_dir(site.path().join(crate::layout::CONTENT_DIR)).expect("content/");
        let mut report = Report::default();
        let source =
            crate::source::read(site.path(), Include::published(), None, None, &mut report)
                .expect("reads");
        warnings(&source, &mut report);
        let found: Vec<String> = report.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            found,
            [
                "warning: site.yaml:6: topic `ai` has no articles; its page will be empty\n  \
             help: file an article under it, or remove the topic"
            ]
        );
    }
}
