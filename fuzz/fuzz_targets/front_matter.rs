//! Fuzzes the front-matter splitter and parser with any UTF-8 text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(split) = jianfan::source::front_matter::split(text) {
        let _ = jianfan::source::front_matter::FrontMatter::parse(split.yaml, 2);
    }
});
