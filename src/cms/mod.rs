//! Editing in a browser: Decap CMS, configured from site.yaml.
//!
//! [`config`] makes Decap's `config.yml` and the admin page; [`entry`]
//! turns what Decap saves into jianfan's own file, checked as `check`
//! checks it. `serve` speaks Decap's local-backend protocol with these
//! (`commands/serve/cms.rs`); `jianfan cms-config` writes the file for a
//! site whose admin is hosted with it on GitHub or GitLab.

pub mod config;
pub mod entry;
