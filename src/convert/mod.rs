//! Convert: from source text to text and HTML in every script.
//!
//! In: the checked [`crate::source::Source`] (site.yaml, articles, topic
//! members). Out: a [`site::Site`] with one [`site::Edition`] per variant,
//! every reader-visible string converted once per variant with OpenCC
//! ([`engine`]) after the editor's steering (`-{…}-` spans and glossary
//! terms, [`localize`]), and each article's Markdown parsed once and
//! rendered to HTML per variant ([`markdown`]): templates only ever get
//! finished text. [`script`] knows which characters belong to which script;
//! [`repair`] keeps what a conversion must not write off the page.
//! May import `source` and the root modules, nothing downstream; the
//! conversion cache is reached through [`site::ConversionStore`].

pub mod engine;
pub mod localize;
pub mod markdown;
pub mod repair;
pub mod script;
pub mod site;

pub use engine::*;
