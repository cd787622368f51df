//! `jianfan cms-config`: Decap CMS for a site hosted on GitHub or GitLab.
//!
//! Writes `static/admin/config.yml` (the same file `serve` makes for its
//! local backend, with the hosted backend instead) and
//! `static/admin/index.html`, so the admin is published with the site at
//! `/admin/` and saves go to the repository as commits.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::cms::config::{admin_page, config_yml, Backend};
use crate::diagnostic::Report;
use crate::source::config::SiteConfig;

/// The folder under the site's root the two files are written to.
pub const ADMIN_DIR: &str = "static/admin";

/// Writes the hosted admin for `backend` into `root/static/admin/`;
/// returns the two paths.
pub fn cms_config(root: &Path, backend: &Backend) -> Result<[PathBuf; 2]> {
    if let Backend::GitHub { repo, .. } | Backend::GitLab { repo, .. } = backend {
        let parts: Vec<&str> = repo.split('/').collect();
        if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
            bail!("`{repo}` is not a repository: write it as owner/name, e.g. newsroom/site");
        }
    }
    let config = SiteConfig::load(root).map_err(Report::from)?;
    let dir = root.join(ADMIN_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let yml = dir.join("config.yml");
    crate::fs::write_atomic(&yml, config_yml(&config, backend)?.as_bytes())?;
    let page = dir.join("index.html");
    crate::fs::write_atomic(&page, admin_page(&config).as_bytes())?;
    Ok([yml, page])
}
