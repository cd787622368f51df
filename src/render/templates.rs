//! The site's Tera templates, parsed once per build, and the escaping every
//! template and view uses.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostic::{Diagnostic, Kind, Report};
use crate::layout::TEMPLATES_DIR;
use crate::render::routes::Route;

/// The site's Tera templates, parsed once per build.
pub struct Templates {
    tera: Tera,
    /// A hash of every template's name and text: incremental builds render
    /// everything again when it changes.
    pub fingerprint: String,
    /// The route templates whose pages may show how many articles there
    /// are: the template, or a template it can include (base.html, macros),
    /// mentions `count`. Only their pages change with the counts, so that
    /// publishing one article does not render every other page again.
    pub counted: Vec<&'static str>,
}

impl Templates {
    /// Parses every template (`.html`, `.xml`, `.txt`) under `dir`.
    pub fn load(dir: &Path) -> Result<Templates> {
        let mut sources = Vec::new();
        for relative in crate::fs::files_under(dir, dir.parent().unwrap_or(dir))? {
            if relative
                .extension()
                .is_some_and(|e| e == "html" || e == "xml" || e == "txt")
            {
                let text = crate::fs::read_text(&dir.join(&relative))?;
                let name = relative.to_string_lossy().replace('\\', "/");
                sources.push((name, text));
            }
        }
        let mut hasher = blake3::Hasher::new();
        for (name, text) in &sources {
            for part in [name.as_bytes(), text.as_bytes()] {
                hasher.update(&(part.len() as u64).to_le_bytes());
                hasher.update(part);
            }
        }
        let fingerprint = hasher.finalize().to_hex().to_string();
        // A word search, not a parse: it can only err towards rendering an
        // article page again, never towards keeping a stale one.
        let mentions = |name: &str| {
            sources
                .iter()
                .any(|(n, text)| n == name && text.contains("count"))
        };
        let shared = sources.iter().any(|(name, text)| {
            !Route::TEMPLATES.contains(&name.as_str()) && text.contains("count")
        });
        let counted = (Route::TEMPLATES.iter().copied())
            .filter(|name| shared || mentions(name))
            .collect();
        let mut tera = Tera::default();
        // Tera's default also escapes `/`, which is safe but turns every URL
        // into `https:&#x2F;&#x2F;…`; these five are all HTML and XML need, in
        // text and in quoted attributes alike.
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(sources).map_err(|e| {
            anyhow::anyhow!("{}", error_chain(&e))
                .context(format!("the templates in {TEMPLATES_DIR}/ do not compile"))
        })?;
        for required in Route::TEMPLATES {
            if !tera.get_template_names().any(|n| n == *required) {
                anyhow::bail!(
                    "{TEMPLATES_DIR}/ has no `{required}`; every site needs {}",
                    Route::TEMPLATES.join(", ")
                );
            }
        }
        Ok(Templates {
            tera,
            fingerprint,
            counted,
        })
    }

    pub(crate) fn render(&self, name: &str, context: &Context) -> Result<String> {
        self.tera
            .render(name, context)
            .map_err(|e| anyhow::anyhow!("{}", error_chain(&e)))
    }
}

pub use crate::text::escape_html;

/// JSON to place inside a `<script>`: `<` written as `\u003c`, so no string
/// can close the script or open a comment.
pub fn script_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .expect("views serialize")
        .replace('<', "\\u003c")
}

/// Tera's errors nest the useful part ("Variable `x` not found") in their
/// sources; show the whole chain on one line per cause.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        message.push_str(&format!("\n  caused by: {cause}"));
        source = cause.source();
    }
    message
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl Templates {
    /// The templates of the site at `root`, or `None` with the problem in
    /// `report` when they cannot be read or compiled.
    pub fn read(root: &Path, report: &mut Report) -> Option<Templates> {
        Templates::load(&root.join(TEMPLATES_DIR))
            .map_err(|e| {
                report.push(
                    Diagnostic::error(Kind::Template, TEMPLATES_DIR, format!("{e:#}")).with_help(
                        "fix the template; Tera's syntax is described at https://keats.github.io/tera/docs/",
                    ),
                )
            })
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_makes_markup_inert_but_keeps_urls_readable() {
        assert_eq!(
            escape_html("<script>\"'&</title>"),
            "&lt;script&gt;&quot;&#39;&amp;&lt;/title&gt;"
        );
        assert_eq!(
            escape_html("https://example.org/a/"),
            "https://example.org/a/"
        );
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        assert_eq!(
            script_json(&"</script><!--"),
            "\"\\u003c/script>\\u003c!--\""
        );
    }
}
