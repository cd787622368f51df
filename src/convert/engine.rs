//! Script conversion: the OpenCC engines and the per-variant [`Converter`].
//!
//! An [`Engine`] turns an OpenCC configuration name (`hk2s`, `t2tw`, …) into a
//! conversion step. Two engines implement it:
//!
//! * [`FmmsegEngine`] — `opencc-fmmseg`, pure Rust with the OpenCC
//!   dictionaries embedded: the default, nothing to install;
//! * `SystemEngine` — the system's OpenCC library through `opencc-rust`,
//!   compiled with the cargo feature `system-opencc`.
//!
//! A variant's [`Converter`] chains the steps its site.yaml entry names
//! (`[hk2t, t2tw]` for Taiwan readers), so adding a variant needs no code.
//! The source variant's converter is the identity.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::convert::repair::{repair, Repair};
use crate::source::config::KNOWN_CONFIGS;

/// One conversion step, such as OpenCC's `hk2s`.
pub trait Step: Send + Sync {
    /// Converts `text`; text with nothing to convert comes back unchanged.
    fn convert(&self, text: &str) -> String;
}

/// A source of conversion steps: one OpenCC implementation.
pub trait Engine: Send + Sync {
    /// A short name for messages, e.g. `opencc-fmmseg`.
    fn name(&self) -> &'static str;

    /// The step for the OpenCC configuration `config` (e.g. `hk2s`), or why
    /// there is none.
    fn step(&self, config: &str) -> Result<Box<dyn Step>, String>;

    /// The engine's name and whatever outside jianfan's own binary decides
    /// its output, as text. Caches and incremental builds are keyed by it,
    /// so a changed engine never serves a conversion it would not make now.
    fn fingerprint(&self) -> String {
        self.name().to_string()
    }
}

/// The engine the build uses: the system library when compiled with
/// `system-opencc`, the embedded dictionaries otherwise.
pub fn default_engine() -> Arc<dyn Engine> {
    #[cfg(feature = "system-opencc")]
    {
        Arc::new(SystemEngine)
    }
    #[cfg(not(feature = "system-opencc"))]
    {
        Arc::new(FmmsegEngine)
    }
}

/// Converts text into one variant's script by running its steps in order,
/// then the [`crate::convert::repair`] pass.
pub struct Converter {
    configs: Vec<String>,
    steps: Vec<Box<dyn Step>>,
    simplified: bool,
}

impl Converter {
    /// The converter of the source variant: text stays as written.
    pub fn identity() -> Self {
        Converter {
            configs: Vec::new(),
            steps: Vec::new(),
            simplified: false,
        }
    }

    /// A converter running `configs` in order with `engine`.
    pub fn new(engine: &dyn Engine, configs: &[String]) -> Result<Self, String> {
        let steps = configs
            .iter()
            .map(|c| engine.step(c))
            .collect::<Result<_, _>>()?;
        Ok(Converter {
            configs: configs.to_vec(),
            steps,
            simplified: writes_simplified(configs),
        })
    }

    /// Whether this converter leaves text as it is.
    pub fn is_identity(&self) -> bool {
        self.steps.is_empty()
    }

    /// Whether this converter writes Simplified text (its last step is one
    /// of OpenCC's `…2s` or `…2sp`).
    pub fn is_simplified(&self) -> bool {
        self.simplified
    }

    /// Converts one piece of reader-visible text.
    pub fn convert(&self, text: &str) -> String {
        self.convert_explained(text).0
    }

    /// Converts `text`, and says what the repair pass changed.
    pub fn convert_explained(&self, text: &str) -> (String, Vec<Repair>) {
        if self.is_identity() {
            return (text.to_string(), Vec::new());
        }
        let converted = self.steps_only(text);
        repair(text, converted, self.simplified, &|t| self.steps_only(t))
    }

    /// `text` through the steps alone.
    fn steps_only(&self, text: &str) -> String {
        match self.steps.split_first() {
            None => text.to_string(),
            Some((first, rest)) => rest
                .iter()
                .fold(first.convert(text), |text, step| step.convert(&text)),
        }
    }
}

/// Whether a chain of OpenCC configs ends in Simplified text.
pub fn writes_simplified(configs: &[String]) -> bool {
    configs
        .last()
        .is_some_and(|c| c.ends_with("2s") || c.ends_with("2sp"))
}

impl fmt::Debug for Converter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Converter")
            .field("configs", &self.configs)
            .finish()
    }
}

/// `opencc-fmmseg`: OpenCC's dictionaries compiled into the binary.
#[derive(Debug, Default, Clone, Copy)]
pub struct FmmsegEngine;

/// The dictionaries take a moment to unpack; every step and every build in
/// the process shares one copy.
fn fmmseg() -> &'static opencc_fmmseg::OpenCC {
    static OPENCC: OnceLock<opencc_fmmseg::OpenCC> = OnceLock::new();
    OPENCC.get_or_init(opencc_fmmseg::OpenCC::new)
}

struct FmmsegStep(opencc_fmmseg::OpenccConfig);

impl Step for FmmsegStep {
    fn convert(&self, text: &str) -> String {
        // Punctuation stays as written: 「」 is correct in both scripts, and
        // any change to it is the site's choice, not the dictionary's.
        fmmseg().convert_with_config(text, self.0, false)
    }
}

impl Engine for FmmsegEngine {
    fn name(&self) -> &'static str {
        "opencc-fmmseg"
    }

    fn step(&self, config: &str) -> Result<Box<dyn Step>, String> {
        if !KNOWN_CONFIGS.contains(&config) {
            return Err(unknown_config(config));
        }
        let config = opencc_fmmseg::OpenccConfig::try_from(config)
            .map_err(|_| format!("opencc-fmmseg does not support the OpenCC config `{config}`"))?;
        Ok(Box::new(FmmsegStep(config)))
    }
}

fn unknown_config(config: &str) -> String {
    let hint = crate::diagnostic::suggest(config, KNOWN_CONFIGS);
    format!("`{config}` is not an OpenCC config; {hint}")
}

/// The system's OpenCC library (libopencc), through `opencc-rust`.
#[cfg(feature = "system-opencc")]
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemEngine;

#[cfg(feature = "system-opencc")]
struct SystemStep(opencc_rust::OpenCC);

#[cfg(feature = "system-opencc")]
impl Step for SystemStep {
    fn convert(&self, text: &str) -> String {
        self.0.convert(text)
    }
}

#[cfg(feature = "system-opencc")]
impl Engine for SystemEngine {
    fn name(&self) -> &'static str {
        "system OpenCC"
    }

    fn step(&self, config: &str) -> Result<Box<dyn Step>, String> {
        if !KNOWN_CONFIGS.contains(&config) {
            return Err(unknown_config(config));
        }
        // OpenCC looks a bare file name up in its data folder; the explicit
        // path covers builds of the library that do not.
        let file = format!("{config}.json");
        opencc_rust::OpenCC::new(&file)
            .or_else(|_| opencc_rust::OpenCC::new(format!("/usr/share/opencc/{file}")))
            .map(|cc| Box::new(SystemStep(cc)) as Box<dyn Step>)
            .map_err(|e| format!("the system OpenCC library cannot load `{file}`: {e}"))
    }

    /// An upgrade of the system's OpenCC (its library or its dictionaries)
    /// changes conversions without changing jianfan's binary: the
    /// fingerprint names the library loaded and every dictionary file it can
    /// read, by size and modification time.
    fn fingerprint(&self) -> String {
        let mut places: Vec<std::path::PathBuf> = SYSTEM_DATA_DIRS.iter().map(Into::into).collect();
        // Where the dynamic linker found the library this process uses.
        if let Ok(maps) = std::fs::read_to_string("/proc/self/maps") {
            let library = maps
                .lines()
                .filter_map(|line| line.split_whitespace().nth(5))
                .find(|path| path.contains("libopencc"));
            places.extend(library.map(Into::into));
        }
        format!("{} {}", self.name(), files_fingerprint(&places))
    }
}

/// Where the system's OpenCC keeps its configurations and dictionaries
/// (Debian's `opencc-data` and a library built from source).
#[cfg(feature = "system-opencc")]
const SYSTEM_DATA_DIRS: &[&str] = &["/usr/share/opencc", "/usr/local/share/opencc"];

/// Each file at `places` (files, or folders read one level deep) as
/// `path size mtime`, sorted; places that do not exist are left out.
#[cfg(feature = "system-opencc")]
fn files_fingerprint(places: &[std::path::PathBuf]) -> String {
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for place in places {
        match std::fs::read_dir(place) {
            Ok(entries) => files.extend(entries.filter_map(|e| e.ok().map(|e| e.path()))),
            Err(_) => files.push(place.clone()),
        }
    }
    files.sort();
    let mut lines = Vec::new();
    for file in files {
        let Ok(meta) = std::fs::metadata(&file) else {
            continue;
        };
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        lines.push(format!(
            "{} {} {}",
            file.display(),
            meta.len(),
            modified.as_nanos()
        ));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hk2s() -> Converter {
        Converter::new(default_engine().as_ref(), &["hk2s".to_string()]).expect("hk2s exists")
    }

    #[test]
    fn hk2s_converts_phrases_and_characters() {
        let cc = hk2s();
        assert_eq!(cc.convert("數碼港「招兵買馬」"), "数码港「招兵买马」");
        assert_eq!(cc.convert("人工智能發展"), "人工智能发展");
    }

    #[test]
    fn latin_text_and_digits_pass_through() {
        assert_eq!(
            hk2s().convert("GreenTech Hub 2,200 https://x.org/a?b=1"),
            "GreenTech Hub 2,200 https://x.org/a?b=1"
        );
    }

    #[test]
    fn identity_changes_nothing() {
        let cc = Converter::identity();
        assert!(cc.is_identity());
        assert_eq!(cc.convert("數碼港"), "數碼港");
    }

    #[test]
    fn steps_chain_in_order() {
        let cc = Converter::new(default_engine().as_ref(), &["hk2t".into(), "t2tw".into()])
            .expect("both configs exist");
        // 裏 (HK) → 裡 (TW standard form).
        assert_eq!(cc.convert("這裏"), "這裡");
    }

    /// The `system-opencc` leg of CI must really run on the system library.
    #[cfg(feature = "system-opencc")]
    #[test]
    fn system_library_is_the_default_with_the_feature() {
        assert_eq!(default_engine().name(), "system OpenCC");
        let cc = Converter::new(&SystemEngine, &["hk2s".to_string()]).expect("hk2s.json");
        assert_eq!(cc.convert("數碼港「招兵買馬」"), "数码港「招兵买马」");
    }

    /// After an OpenCC upgrade, cached conversions must not be reused: the
    /// fingerprint caches are keyed by covers the library and every
    /// dictionary file, and changes when one of them does.
    #[cfg(feature = "system-opencc")]
    #[test]
    fn the_system_engine_fingerprint_follows_its_library_and_dictionaries() {
        let fingerprint = SystemEngine.fingerprint();
        assert!(fingerprint.contains("libopencc"), "{fingerprint}");
        assert!(fingerprint.contains("HKVariants.ocd2"), "{fingerprint}");

        let dir = tempfile::tempdir().expect("temp dir");
        let dictionary = dir.path().join("HKVariants.ocd2");
        std::fs::write(&dictionary, "old").expect("write");
        let places = [dir.path().to_path_buf(), dir.path().join("missing")];
        let before = files_fingerprint(&places);
        assert_eq!(before, files_fingerprint(&places), "stable");
        std::fs::write(&dictionary, "upgraded").expect("write");
        assert_ne!(before, files_fingerprint(&places), "an upgraded dictionary");
    }

    #[cfg(not(feature = "system-opencc"))]
    #[test]
    fn embedded_dictionaries_are_the_default() {
        assert_eq!(default_engine().name(), "opencc-fmmseg");
    }

    #[test]
    fn unknown_config_is_refused_with_a_hint() {
        let err = Converter::new(default_engine().as_ref(), &["hks2".to_string()])
            .expect_err("not a config");
        assert!(err.contains("`hks2` is not an OpenCC config"), "{err}");
        assert!(err.contains("did you mean"), "{err}");
    }
}
