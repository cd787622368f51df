//! Commands: each CLI command runs the stages in its own order.
//!
//! `build` runs the whole chain and writes; `check` runs the same chain up
//! to a dry render, writes nothing, and adds the text lints; `serve` runs
//! `build`, then the same stages for one article on each save. `new`,
//! `import` and `fork` write one article file; `cms-config` writes the
//! hosted CMS's two files. Nothing imports this folder
//! but `main.rs`.

pub mod build;
pub mod check;
pub mod cms_config;
pub mod convert;
pub mod fork;
pub mod import;
pub mod new;
#[cfg(feature = "serve")]
pub mod serve;
