//! jianfan (簡繁) builds a static news site in Traditional and Simplified
//! Chinese from articles written once, in Hong Kong Traditional Chinese.
//!
//! The build is a chain of stages, each in its own module:
//!
//! 1. [`config`] reads `site.yaml`; [`article`] reads `content/*.md`, with
//!    [`front_matter`] checking each header. Every problem is collected as a
//!    [`diagnostic::Diagnostic`] naming file, line and fix.
//! 2. [`site`] converts every reader-visible string once per variant with
//!    [`convert`] (OpenCC) and renders Markdown with [`markdown`].
//! 3. [`render`] turns routes into pages through the Tera templates.
//! 4. [`fs`] writes them into a staging folder swapped in when complete;
//!    [`incremental`] lets unchanged files be kept from the previous build.
//!
//! [`build::build`] runs the chain:
//!
//! ```no_run
//! use jianfan::build::{build, BuildOptions};
//! let options = BuildOptions::new(".", "public");
//! let summary = build(&options, &jianfan::convert::default_engine())?;
//! println!("{} pages", summary.pages);
//! # Ok::<(), anyhow::Error>(())
//! ```

pub mod article;
pub mod build;
pub mod cache;
pub mod check;
pub mod config;
pub mod convert;
pub mod diagnostic;
pub mod fork;
pub mod front_matter;
pub mod fs;
pub mod glossary;
pub mod import;
pub mod incremental;
pub mod links;
pub mod localize;
pub mod markdown;
pub mod markup;
pub mod minify;
pub mod preview;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod script;
pub mod search;
pub mod serve;
pub mod site;
pub mod text;
