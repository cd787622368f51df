//! Decap CMS's `config.yml`, made from site.yaml, and the admin page that
//! loads Decap.
//!
//! jianfan knows its own schema, so nobody writes this file by hand: one
//! collection for `content/`, whose fields are the front-matter keys (title
//! and date required, topics a multiple select of site.yaml's topics by
//! name, draft a toggle that starts on), the body a plain text area (a
//! `<textarea>`, which Chinese input methods handle as any browser field;
//! the rich-text editor is not offered), and the interface in Traditional
//! Chinese. `serve` makes it at each request for its local backend;
//! `jianfan cms-config` writes it for Decap's GitHub or GitLab backend.

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::source::config::SiteConfig;

/// The Decap CMS release the admin page loads unless site.yaml says
/// otherwise (`cms.script`).
pub const DECAP_VERSION: &str = "3.16.3";
/// Where that release is served from.
pub const DECAP_SCRIPT: &str = "https://unpkg.com/decap-cms@3.16.3/dist/decap-cms.js";
/// The release's `dist/decap-cms.js`, hashed as the browser checks it
/// (subresource integrity): a changed file on the CDN is not run.
pub const DECAP_INTEGRITY: &str =
    "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// The folder uploaded photos go to, and the address pages use for it.
pub const MEDIA_FOLDER: &str = "static/images";
/// `MEDIA_FOLDER` as the published site has it.
pub const PUBLIC_FOLDER: &str = "/images";

/// Where Decap reads and writes the articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// `jianfan serve`'s own API at `origin` (`http://127.0.0.1:1111`):
    /// files on this machine, no git.
    Local {
        /// The served origin, without a trailing slash.
        origin: String,
    },
    /// A repository on GitHub, `owner/name`.
    GitHub {
        /// `owner/name`.
        repo: String,
        /// The branch the site is built from.
        branch: String,
        /// The OAuth server editors log in through (Decap's `base_url`);
        /// Netlify's when not given.
        auth_url: Option<String>,
    },
    /// A project on GitLab, `group/name`.
    GitLab {
        /// `group/name`.
        repo: String,
        /// The branch the site is built from.
        branch: String,
        /// The application ID of a GitLab OAuth application: editors log in
        /// with GitLab itself (PKCE), no server needed.
        app_id: Option<String>,
    },
}

/// A text field, optional unless `required`.
fn text_field(label: &str, name: &str, widget: &str, required: bool) -> Value {
    json!({ "label": label, "name": name, "widget": widget, "required": required })
}

/// A date as jianfan reads it (`2025-03-07`), picked in a calendar.
fn date_field(label: &str, name: &str, required: bool) -> Value {
    let mut field = json!({
        "label": label, "name": name, "widget": "datetime", "required": required,
        "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": false,
    });
    if required {
        // Today in the editor's browser, as `jianfan new` writes today.
        field["default"] = json!("{{now}}");
    }
    field
}

/// The article collection's fields, in the order the form shows them.
/// `local`: `serve`'s own backend, whose forms carry the version of the
/// file they were filled from (a hidden field), for its conflict check.
fn fields(config: &SiteConfig, local: bool) -> Vec<Value> {
    let topics: Vec<Value> = (config.topics.iter())
        .map(|(key, topic)| json!({ "label": topic.name, "value": key }))
        .collect();
    let version =
        json!({ "label": "版本", "name": "version", "widget": "hidden", "required": false });
    let mut fields = vec![
        text_field("標題", "title", "string", true),
        json!({
            "label": "網址名稱", "name": "slug", "widget": "string", "required": false,
            "hint": "文章網址的一部分，只用小寫英文字母、數字和連字號，例如 cyberport-ai-ecosystem。新文章必填；已發佈的文章不要更改。",
            "pattern": ["^[a-z0-9]+(-[a-z0-9]+)*$", "只可用小寫英文字母、數字和單個連字號"],
        }),
        text_field("副題", "subtitle", "string", false),
        date_field("日期", "date", true),
        date_field("更新日期", "updated", false),
        text_field("作者", "byline", "string", false),
        json!({
            "label": "專題", "name": "topics", "widget": "select", "multiple": true,
            "required": false, "options": topics,
        }),
        text_field("摘要", "summary", "text", false),
        json!({
            "label": "主圖", "name": "image", "widget": "image", "required": false,
            "choose_url": true,
        }),
        text_field("圖片替代文字（圖中所見）", "alt", "string", false),
        text_field("圖說", "caption", "string", false),
        text_field("圖片來源", "credit", "string", false),
        // Not required: an article written before has no `draft:` line, and
        // its form must save as it stands (the server keeps the file's value).
        json!({
            "label": "草稿（不發佈）", "name": "draft", "widget": "boolean", "default": true,
            "required": false,
        }),
        json!({
            // Not required: a draft may start as a headline, as with `new`.
            "label": "正文", "name": "body", "widget": "text", "required": false,
            "hint": "Markdown：空一行分段；`**粗體**`；`## 小標題`。",
        }),
    ];
    if local {
        fields.insert(0, version);
    }
    fields
}

/// What the collection's page says: which script to write in, which are
/// made from it.
fn description(config: &SiteConfig) -> String {
    let made: Vec<&str> = (config.variants.iter())
        .filter(|v| !v.is_source())
        .map(|v| v.name.as_str())
        .collect();
    format!(
        "{}的文章。請以{}撰寫；{}版本由轉換自動生成。",
        config.title,
        config.source().name,
        made.join("、")
    )
}

/// "View live" on the published site: the article in the source script.
fn hosted_preview(config: &SiteConfig) -> String {
    format!("{}/articles/{{{{slug}}}}/", config.source().prefix)
}

/// `config.yml` for `backend`.
pub fn config_yml(config: &SiteConfig, backend: &Backend) -> Result<String> {
    let (backend_value, site_url, preview_path) = match backend {
        Backend::Local { origin } => (
            json!({ "name": "proxy", "proxy_url": format!("{origin}/api/v1"), "branch": "main" }),
            format!("{origin}/"),
            // "View live" opens serve's side-by-side preview of both scripts.
            "_preview/{{slug}}/".to_string(),
        ),
        Backend::GitHub {
            repo,
            branch,
            auth_url,
        } => {
            let mut value = json!({ "name": "github", "repo": repo, "branch": branch });
            if let Some(url) = auth_url {
                value["base_url"] = json!(url);
            }
            (value, config.base_url.clone(), hosted_preview(config))
        }
        Backend::GitLab {
            repo,
            branch,
            app_id,
        } => {
            let mut value = json!({ "name": "gitlab", "repo": repo, "branch": branch });
            if let Some(id) = app_id {
                value["auth_type"] = json!("pkce");
                value["app_id"] = json!(id);
            }
            (value, config.base_url.clone(), hosted_preview(config))
        }
    };
    // Hosted, Decap writes `slug:` into the file and jianfan checks it is
    // the file's name; `serve` keeps it out of the file.
    let collection = json!({
        "name": "articles", "label": "文章", "label_singular": "文章",
        "description": description(config),
        "folder": "content", "extension": "md", "format": "yaml-frontmatter",
        "create": true, "delete": true,
        "slug": "{{fields.slug}}", "identifier_field": "title",
        "summary": "{{title}}（{{date}}）",
        "sortable_fields": ["date", "title"],
        "preview_path": preview_path,
        "fields": fields(config, matches!(backend, Backend::Local { .. })),
    });
    let document = json!({
        "locale": "zh_Hant",
        "backend": backend_value,
        "site_url": site_url,
        "display_url": site_url,
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        "editor": { "preview": false },
        "collections": [collection],
    });
    let yaml = serde_yaml::to_string(&document).context("cannot write config.yml")?;
    Ok(format!(
        "# Made by jianfan from site.yaml: edit site.yaml, not this file.\n{yaml}"
    ))
}

/// The admin page: Decap's script, from the pinned release with its
/// integrity hash, or from site.yaml's `cms.script`.
pub fn admin_page(config: &SiteConfig) -> String {
    let (script, integrity) = match &config.cms.script {
        Some(script) => (script.as_str(), config.cms.integrity.as_deref()),
        None => (DECAP_SCRIPT, Some(DECAP_INTEGRITY)),
    };
    let integrity = integrity
        .map(|hash| {
            format!(
                " integrity=\"{}\" crossorigin=\"anonymous\"",
                crate::render::escape_html(hash)
            )
        })
        .unwrap_or_default();
    format!(
        "<!doctype html>\n<html lang=\"zh-Hant-HK\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<link rel=\"icon\" href=\"data:,\">\n<title>{title} · 編輯室</title>\n\
         <link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">\n</head>\n<body>\n\
         <script src=\"{script}\"{integrity}></script>\n</body>\n</html>\n",
        title = crate::render::escape_html(&config.title),
        script = crate::render::escape_html(script),
    )
}
