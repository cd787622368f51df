//! Lint: diagnostics on a built model of the site, shared by `check`,
//! `build` and `serve`.
//!
//! In: the [`crate::source::Source`], the assembled [`crate::convert::site::Site`]
//! and the render stage's [`crate::render::Plan`]. Out: diagnostics in the
//! run's report, nothing else: a lint never changes the site. Links and
//! site warnings run on every build; the text lints ([`script`]) read every
//! article's text and run in `check`. May import every stage before it,
//! never `publish` or `commands`.
//!
//! To add a lint: a module here with one function that takes what it reads
//! and `&mut Report`, called from the chains in `commands::build` and
//! `commands::check` (or from `check` alone when it reads every article's
//! text, as the script lint does).

pub mod links;
pub mod script;
pub mod site;
