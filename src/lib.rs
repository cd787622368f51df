//! jianfan (簡繁) builds a static news site in Traditional and Simplified
//! Chinese from articles written once, in Hong Kong Traditional Chinese.
//!
//! A build is a chain of stages, one folder each, with dependencies running
//! one way (each folder may import those above it, never those below):
//!
//! 1. [`source`]: site.yaml, content/ and static/ read and checked;
//!    [`photos`]: the photos of static/ made fit to publish;
//! 2. [`convert`]: every reader-visible string in every script, Markdown to
//!    HTML;
//! 3. [`render`]: the plan of every output path, and each page's bytes;
//! 4. [`lint`]: links, site warnings, and the text lints of `check`;
//! 5. [`publish`]: the output folder, the incremental keys and the caches;
//! 6. [`commands`]: `build`, `check`, `serve`, `new`, `import`, `fork`.
//!
//! Every stage adds its problems to one [`diagnostic::Report`]; the root
//! modules [`diagnostic`], [`layout`] (the names of the site's folders),
//! [`fs`] (reading files) and [`text`] (CJK text rules) serve them all.
//! [`commands::build::build`] runs the chain:
//!
//! ```no_run
//! use jianfan::commands::build::{build, BuildOptions};
//! let options = BuildOptions::new(".", "public");
//! let summary = build(&options, &jianfan::convert::default_engine())?;
//! println!("{} pages", summary.pages);
//! # Ok::<(), anyhow::Error>(())
//! ```

pub mod cms;
pub mod commands;
pub mod convert;
pub mod diagnostic;
pub mod fs;
pub mod layout;
pub mod lint;
pub mod photos;
pub mod publish;
pub mod render;
pub mod source;
pub mod text;
